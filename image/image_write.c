/*
 * image_write.c — lay out and write an h7boot image (h7_image_write.h). Freestanding.
 */
#include "h7_image_write.h"
#include "image_fault.h"

/* The writer's faults name an input segment and an address range, not an image field. */
static int fail(struct h7_image_fault *f, int err, int segment, uint32_t addr, uint32_t len)
{
    return h7_image_set_fault(f, err, segment, 0, addr, len);
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
    uint32_t meta_off; /* where the metadata stands: 0, or a located header's offset */
    int locator;       /* input index of the XIP segment that gets the locator word, or -1 */
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

/* The first offset >= off where [off, off+size) overlaps no placed payload and, when meta is
 * set, not the metadata either; steps by `step` (4: first fit; 4096: a located header). */
static uint64_t first_free(const struct h7_image_build *b, const struct layout *l,
                           const bool *placed, bool meta, uint64_t off, uint32_t size,
                           uint32_t step)
{
    for (;;) {
        int hit = placed_overlap(b, l, placed, off, size);
        uint64_t end = hit >= 0 ? l->offset[hit] + b->seg[hit].size : 0;
        if (hit < 0 && meta && off < (uint64_t)l->meta_off + l->meta_size &&
            l->meta_off < off + size)
            end = (uint64_t)l->meta_off + l->meta_size;
        if (!end)
            return off;
        off = (end + step - 1) / step * step;
    }
}

/* A located header: after the XIP payloads are fixed, at the first 4 KB boundary (not 0)
 * where the metadata overlaps none; the XIP segment holding a vector table at the slot start
 * carries its offset in the reserved entry 7 (docs/image-format.md, "Located header"). */
static int locate(const struct h7_image_build *b, struct layout *l, const bool *placed,
                  struct h7_image_fault *f)
{
    l->meta_off = (uint32_t)first_free(b, l, placed, false, H7_IMAGE_LOCATE_ALIGN, l->meta_size,
                                       H7_IMAGE_LOCATE_ALIGN);
    if ((uint64_t)l->meta_off + l->meta_size > 0xFFFFFFFFu - H7_IMAGE_TRAILER_SIZE)
        return fail(f, H7_IMAGE_E_HEADER_OFFSET, -1, 0, l->meta_size);
    if (b->vector_table != b->load_address)
        return H7_IMAGE_OK;
    for (uint32_t i = 0; i < b->segment_count; i++) {
        const struct h7_image_build_segment *s = &b->seg[i];
        if (s->kind != H7_SEG_XIP || s->dest != b->load_address)
            continue;
        if (s->size < H7_IMAGE_LOCATOR_OFFSET + 4 ||
            h7_le32((const uint8_t *)s->data + H7_IMAGE_LOCATOR_OFFSET) != 0)
            return fail(f, H7_IMAGE_E_HEADER_OFFSET, (int)i, s->dest + H7_IMAGE_LOCATOR_OFFSET, 4);
        l->locator = (int)i;
    }
    return H7_IMAGE_OK;
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
    bool located = false;
    l->meta_off = 0;
    l->locator = -1;

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
        if (s->dest < b->load_address || off % H7_IMAGE_ALIGN ||
            placed_overlap(b, l, placed, off, s->size) >= 0)
            return fail(f, H7_IMAGE_E_SEG_XIP, (int)i, s->dest, s->size);
        located |= off < l->meta_size; /* the slot start is taken: the header moves up */
        l->offset[i] = off;
        placed[i] = true;
        if (off + s->size > end)
            end = off + s->size;
    }
    if (located) {
        int rc = locate(b, l, placed, f);
        if (rc)
            return rc;
        if ((uint64_t)l->meta_off + l->meta_size > end)
            end = (uint64_t)l->meta_off + l->meta_size;
    }
    /* COPY payloads, ascending destination, first fit around the XIP payloads and metadata. */
    for (;;) {
        int next = -1;
        for (uint32_t i = 0; i < n; i++)
            if (b->seg[i].kind == H7_SEG_COPY && !placed[i] &&
                (next < 0 || b->seg[i].dest < b->seg[next].dest))
                next = (int)i;
        if (next < 0)
            break;
        uint64_t off = first_free(b, l, placed, true, located ? 0 : l->meta_size,
                                  b->seg[next].size, H7_IMAGE_ALIGN);
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

static void write_meta(const struct h7_image_build *b, const struct layout *l, uint8_t *out);

int h7_image_build(const struct h7_image_build *b, uint8_t *out, size_t cap, size_t *len,
                   struct h7_image_fault *fault)
{
    struct layout l = {0}; /* every field is set by plan(); gcc cannot see that */
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
    for (uint32_t i = 0; i < l.image_size; i++)
        out[i] = H7_IMAGE_PAD_BYTE;
    uint8_t *m = out + l.meta_off; /* the metadata: at 0, or a located header's place */
    for (uint32_t i = 0; i < l.meta_size; i++)
        m[i] = 0;
    write_meta(b, &l, m);
    for (uint32_t t = 0; t < b->segment_count; t++) {
        const struct h7_image_build_segment *s = &b->seg[l.order[t]];
        uint32_t off = (uint32_t)l.offset[l.order[t]];
        if (has_payload(s)) {
            const uint8_t *src = (const uint8_t *)s->data;
            for (uint32_t i = 0; i < s->size; i++)
                out[off + i] = src[i];
        }
    }
    if (l.locator >= 0) /* entry 7 of the vector table at the slot start: checked zero */
        h7_put_le32(out + l.offset[l.locator] + H7_IMAGE_LOCATOR_OFFSET, l.meta_off);
    else if (l.meta_off) {
        /* Without a locator the reader searches 4 KB boundaries from 4096: none below the
         * header may hold the magic. */
        for (uint32_t at = H7_IMAGE_LOCATE_ALIGN; at < l.meta_off; at += H7_IMAGE_LOCATE_ALIGN)
            if (h7_le32(out + at) == H7_IMAGE_MAGIC)
                return fail(fault, H7_IMAGE_E_HEADER_OFFSET, -1, b->load_address + at, 4);
    }
    h7_sha256(out, l.image_size, out + l.image_size);
    h7_put_le32(out + l.image_size + H7_IMAGE_HASH_SIZE, H7_IMAGE_COMMITTED);
    return H7_IMAGE_OK;
}

/* Header, segment table and NAME TLV into m (meta_size zeroed bytes). */
static void write_meta(const struct h7_image_build *b, const struct layout *l, uint8_t *out)
{
    uint32_t flags = (b->flags & ~H7_IMAGE_FLAG_LOCATED) | (l->meta_off ? H7_IMAGE_FLAG_LOCATED : 0);
    h7_put_le32(out + H7_IMAGE_OFF_MAGIC, H7_IMAGE_MAGIC);
    h7_put_le16(out + H7_IMAGE_OFF_FORMAT_VERSION, H7_IMAGE_FORMAT_VERSION);
    h7_put_le16(out + H7_IMAGE_OFF_HEADER_SIZE, H7_IMAGE_HEADER_SIZE);
    h7_put_le32(out + H7_IMAGE_OFF_FLAGS, flags);
    out[H7_IMAGE_OFF_VERSION] = b->version_major;
    out[H7_IMAGE_OFF_VERSION + 1] = b->version_minor;
    h7_put_le16(out + H7_IMAGE_OFF_VERSION + 2, b->version_patch);
    h7_put_le32(out + H7_IMAGE_OFF_ENTRY, b->entry);
    h7_put_le32(out + H7_IMAGE_OFF_VECTOR_TABLE, b->vector_table);
    h7_put_le16(out + H7_IMAGE_OFF_SEGMENT_COUNT, (uint16_t)b->segment_count);
    h7_put_le16(out + H7_IMAGE_OFF_SEGMENT_SIZE, H7_IMAGE_SEGMENT_SIZE);
    h7_put_le32(out + H7_IMAGE_OFF_TLV_SIZE, l->tlv_size);
    h7_put_le32(out + H7_IMAGE_OFF_IMAGE_SIZE, l->image_size);
    h7_put_le32(out + H7_IMAGE_OFF_LOAD_ADDRESS, b->load_address);
    h7_put_le32(out + H7_IMAGE_OFF_HEADER_OFFSET, l->meta_off);
    h7_put_le32(out + H7_IMAGE_OFF_HEADER_CRC, h7_crc32(0, out, H7_IMAGE_OFF_HEADER_CRC));

    for (uint32_t t = 0; t < b->segment_count; t++) {
        const struct h7_image_build_segment *s = &b->seg[l->order[t]];
        uint8_t *e = out + H7_IMAGE_HEADER_SIZE + t * H7_IMAGE_SEGMENT_SIZE;
        uint32_t off = (uint32_t)l->offset[l->order[t]];
        h7_put_le32(e + H7_IMAGE_SEG_OFF_DEST, s->dest);
        h7_put_le32(e + H7_IMAGE_SEG_OFF_SIZE, s->size);
        h7_put_le32(e + H7_IMAGE_SEG_OFF_OFFSET, off);
        e[H7_IMAGE_SEG_OFF_KIND] = s->kind;
    }
    if (b->name) {
        uint8_t *t = out + H7_IMAGE_HEADER_SIZE + b->segment_count * H7_IMAGE_SEGMENT_SIZE;
        h7_put_le16(t, H7_TLV_NAME);
        h7_put_le16(t + 2, b->name_len);
        for (uint16_t i = 0; i < b->name_len; i++)
            t[4 + i] = (uint8_t)b->name[i];
    }
}
