/*
 * image_write.c — lay out and write an h7boot image (h7_image_write.h). Freestanding.
 */
#include "h7_image_write.h"

static int fail(struct h7_image_fault *f, int err, int segment, uint32_t addr, uint32_t len)
{
    if (f) {
        f->err = err;
        f->segment = segment;
        f->other = -1;
        f->field = 0;
        f->addr = addr;
        f->len = len;
    }
    return err;
}

static uint64_t align4(uint64_t x)
{
    return (x + 3u) & ~(uint64_t)3u;
}

/* Offsets chosen for each input segment, and the table order. */
struct layout {
    uint64_t offset[H7_IMAGE_MAX_SEGMENTS];
    uint8_t order[H7_IMAGE_MAX_SEGMENTS]; /* table position -> input index */
    uint32_t meta_size, tlv_size, image_size;
};

static bool has_payload(const struct h7_image_build_segment *s)
{
    return s->kind == H7_SEG_COPY || s->kind == H7_SEG_XIP;
}

/* Index of a placed payload overlapping [off, off+size), or -1. placed[i] says who is placed. */
static int placed_overlap(const struct h7_image_build *b, const struct layout *l,
                          const bool *placed, uint64_t off, uint32_t size)
{
    for (uint32_t i = 0; i < b->segment_count; i++)
        if (placed[i] && off < l->offset[i] + b->seg[i].size && l->offset[i] < off + size)
            return (int)i;
    return -1;
}

static int plan(const struct h7_image_build *b, struct layout *l, struct h7_image_fault *f)
{
    uint32_t n = b->segment_count;
    bool placed[H7_IMAGE_MAX_SEGMENTS] = {false};
    if (n == 0 || n > H7_IMAGE_MAX_SEGMENTS)
        return fail(f, H7_IMAGE_E_SEGMENT_COUNT, -1, 0, n);
    l->tlv_size = b->name ? (uint32_t)align4(4u + b->name_len) : 0;
    l->meta_size = H7_IMAGE_HEADER_SIZE + n * H7_IMAGE_SEGMENT_SIZE + l->tlv_size;
    if (l->meta_size > H7_IMAGE_META_MAX)
        return fail(f, H7_IMAGE_E_META_SIZE, -1, 0, l->meta_size);
    uint64_t end = l->meta_size;

    for (uint32_t i = 0; i < n; i++) {
        const struct h7_image_build_segment *s = &b->seg[i];
        if (s->kind != H7_SEG_COPY && s->kind != H7_SEG_ZERO && s->kind != H7_SEG_XIP)
            return fail(f, H7_IMAGE_E_SEG_KIND, (int)i, s->dest, s->size);
        if (s->size == 0)
            return fail(f, H7_IMAGE_E_SEG_EMPTY, (int)i, s->dest, 0);
        if (has_payload(s) && !s->data)
            return fail(f, H7_IMAGE_E_ARG, (int)i, s->dest, s->size);
        l->offset[i] = 0;
        if (s->kind != H7_SEG_XIP)
            continue;
        /* XIP payloads sit at their link address: fixed before anything else is placed. */
        uint64_t off = (uint64_t)s->dest - b->load_address;
        if (s->dest < b->load_address || off < l->meta_size || off % H7_IMAGE_ALIGN ||
            placed_overlap(b, l, placed, off, s->size) >= 0)
            return fail(f, H7_IMAGE_E_SEG_XIP, (int)i, s->dest, s->size);
        l->offset[i] = off;
        placed[i] = true;
        if (off + s->size > end)
            end = off + s->size;
    }
    /* COPY payloads, ascending destination, first fit. */
    for (;;) {
        int next = -1;
        for (uint32_t i = 0; i < n; i++)
            if (b->seg[i].kind == H7_SEG_COPY && !placed[i] &&
                (next < 0 || b->seg[i].dest < b->seg[next].dest))
                next = (int)i;
        if (next < 0)
            break;
        uint64_t off = l->meta_size;
        int hit;
        while ((hit = placed_overlap(b, l, placed, off, b->seg[next].size)) >= 0)
            off = align4(l->offset[hit] + b->seg[hit].size);
        l->offset[next] = off;
        placed[next] = true;
        if (off + b->seg[next].size > end)
            end = off + b->seg[next].size;
    }
    end = align4(end);
    if (end + H7_IMAGE_TRAILER_SIZE > 0xFFFFFFFFu)
        return fail(f, H7_IMAGE_E_IMAGE_SIZE, -1, 0, 0);
    l->image_size = (uint32_t)end;

    /* Table order: payload segments by offset, then ZERO segments by destination. */
    uint32_t k = 0;
    bool listed[H7_IMAGE_MAX_SEGMENTS] = {false};
    for (int pass = 0; pass < 2; pass++) {
        for (;;) {
            int pick = -1;
            for (uint32_t i = 0; i < n; i++) {
                if (listed[i] || has_payload(&b->seg[i]) != (pass == 0))
                    continue;
                uint64_t key = pass == 0 ? l->offset[i] : b->seg[i].dest;
                uint64_t best = pick < 0 ? 0 : (pass == 0 ? l->offset[pick] : b->seg[pick].dest);
                if (pick < 0 || key < best)
                    pick = (int)i;
            }
            if (pick < 0)
                break;
            listed[pick] = true;
            l->order[k++] = (uint8_t)pick;
        }
    }
    return H7_IMAGE_OK;
}

int h7_image_build(const struct h7_image_build *b, uint8_t *out, size_t cap, size_t *len,
                   struct h7_image_fault *fault)
{
    struct layout l;
    if (!b || !len)
        return fail(fault, H7_IMAGE_E_ARG, -1, 0, 0);
    int rc = plan(b, &l, fault);
    if (rc)
        return rc;
    *len = (size_t)l.image_size + H7_IMAGE_TRAILER_SIZE;
    if (!out)
        return H7_IMAGE_OK;
    if (cap < *len)
        return fail(fault, H7_IMAGE_E_TRUNCATED, -1, 0, (uint32_t)*len);

    /* Two plain loops (the compiler turns them into memset) rather than one with a test. */
    for (uint32_t i = 0; i < l.meta_size; i++)
        out[i] = 0;
    for (uint32_t i = l.meta_size; i < l.image_size; i++)
        out[i] = H7_IMAGE_PAD_BYTE;
    h7_put_le32(out + H7_IMAGE_OFF_MAGIC, H7_IMAGE_MAGIC);
    h7_put_le16(out + H7_IMAGE_OFF_FORMAT_VERSION, H7_IMAGE_FORMAT_VERSION);
    h7_put_le16(out + H7_IMAGE_OFF_HEADER_SIZE, H7_IMAGE_HEADER_SIZE);
    h7_put_le32(out + H7_IMAGE_OFF_FLAGS, b->flags);
    out[H7_IMAGE_OFF_VERSION] = b->version_major;
    out[H7_IMAGE_OFF_VERSION + 1] = b->version_minor;
    h7_put_le16(out + H7_IMAGE_OFF_VERSION + 2, b->version_patch);
    h7_put_le32(out + H7_IMAGE_OFF_ENTRY, b->entry);
    h7_put_le32(out + H7_IMAGE_OFF_VECTOR_TABLE, b->vector_table);
    h7_put_le16(out + H7_IMAGE_OFF_SEGMENT_COUNT, (uint16_t)b->segment_count);
    h7_put_le16(out + H7_IMAGE_OFF_SEGMENT_SIZE, H7_IMAGE_SEGMENT_SIZE);
    h7_put_le32(out + H7_IMAGE_OFF_TLV_SIZE, l.tlv_size);
    h7_put_le32(out + H7_IMAGE_OFF_IMAGE_SIZE, l.image_size);
    h7_put_le32(out + H7_IMAGE_OFF_LOAD_ADDRESS, b->load_address);
    h7_put_le32(out + H7_IMAGE_OFF_HEADER_CRC, h7_crc32(0, out, H7_IMAGE_OFF_HEADER_CRC));

    for (uint32_t t = 0; t < b->segment_count; t++) {
        const struct h7_image_build_segment *s = &b->seg[l.order[t]];
        uint8_t *e = out + H7_IMAGE_HEADER_SIZE + t * H7_IMAGE_SEGMENT_SIZE;
        uint32_t off = (uint32_t)l.offset[l.order[t]];
        h7_put_le32(e + H7_IMAGE_SEG_OFF_DEST, s->dest);
        h7_put_le32(e + H7_IMAGE_SEG_OFF_SIZE, s->size);
        h7_put_le32(e + H7_IMAGE_SEG_OFF_OFFSET, off);
        e[H7_IMAGE_SEG_OFF_KIND] = s->kind;
        if (has_payload(s)) {
            const uint8_t *src = (const uint8_t *)s->data;
            for (uint32_t i = 0; i < s->size; i++)
                out[off + i] = src[i];
        }
    }
    if (b->name) {
        uint8_t *t = out + H7_IMAGE_HEADER_SIZE + b->segment_count * H7_IMAGE_SEGMENT_SIZE;
        h7_put_le16(t, H7_TLV_NAME);
        h7_put_le16(t + 2, b->name_len);
        for (uint16_t i = 0; i < b->name_len; i++)
            t[4 + i] = (uint8_t)b->name[i];
    }
    h7_sha256(out, l.image_size, out + l.image_size);
    h7_put_le32(out + l.image_size + H7_IMAGE_HASH_SIZE, H7_IMAGE_COMMITTED);
    return H7_IMAGE_OK;
}
