/*
 * image_parse.c — decode an h7boot image header and segment table and check every rule that
 * needs no board (docs/image-format.md). Freestanding; reads only inside [buf, buf+len).
 *
 * All address and size arithmetic is done in uint64_t, so no field value can wrap a check.
 */
#include "h7_image.h"

static int fail(struct h7_image_fault *f, int err, int segment, uint32_t field, uint32_t addr,
                uint32_t len)
{
    if (f) {
        f->err = err;
        f->segment = segment;
        f->other = -1;
        f->field = field;
        f->addr = addr;
        f->len = len;
    }
    return err;
}

static void ok(struct h7_image_fault *f)
{
    if (f)
        fail(f, H7_IMAGE_OK, -1, 0, 0, 0);
}

bool h7_image_has_magic(const void *buf, size_t len)
{
    return buf && len >= 4 && h7_le32((const uint8_t *)buf) == H7_IMAGE_MAGIC;
}

/* The checks on the fixed 64 bytes that let a reader trust header_size and image_size. */
static int check_header(const uint8_t *p, size_t len, struct h7_image_fault *f)
{
    if (!p)
        return fail(f, H7_IMAGE_E_ARG, -1, 0, 0, 0);
    if (len < 4)
        return fail(f, H7_IMAGE_E_TRUNCATED, -1, 0, 0, (uint32_t)len);
    if (h7_le32(p + H7_IMAGE_OFF_MAGIC) != H7_IMAGE_MAGIC)
        return fail(f, H7_IMAGE_E_MAGIC, -1, H7_IMAGE_OFF_MAGIC, h7_le32(p), 4);
    if (len < H7_IMAGE_HEADER_SIZE)
        return fail(f, H7_IMAGE_E_TRUNCATED, -1, 0, 0, (uint32_t)len);
    if (h7_le32(p + H7_IMAGE_OFF_HEADER_CRC) != h7_crc32(0, p, H7_IMAGE_OFF_HEADER_CRC))
        return fail(f, H7_IMAGE_E_HEADER_CRC, -1, H7_IMAGE_OFF_HEADER_CRC,
                    h7_le32(p + H7_IMAGE_OFF_HEADER_CRC), 4);
    uint16_t version = h7_le16(p + H7_IMAGE_OFF_FORMAT_VERSION);
    if (version != H7_IMAGE_FORMAT_VERSION)
        return fail(f, H7_IMAGE_E_FORMAT_VERSION, -1, H7_IMAGE_OFF_FORMAT_VERSION, version, 2);
    uint16_t hsize = h7_le16(p + H7_IMAGE_OFF_HEADER_SIZE);
    if (hsize < H7_IMAGE_HEADER_SIZE || hsize > H7_IMAGE_HEADER_SIZE_MAX || hsize % H7_IMAGE_ALIGN)
        return fail(f, H7_IMAGE_E_HEADER_SIZE, -1, H7_IMAGE_OFF_HEADER_SIZE, hsize, 2);
    uint16_t nseg = h7_le16(p + H7_IMAGE_OFF_SEGMENT_COUNT);
    if (nseg == 0 || nseg > H7_IMAGE_MAX_SEGMENTS)
        return fail(f, H7_IMAGE_E_SEGMENT_COUNT, -1, H7_IMAGE_OFF_SEGMENT_COUNT, nseg, 2);
    uint16_t esize = h7_le16(p + H7_IMAGE_OFF_SEGMENT_SIZE);
    if (esize < H7_IMAGE_SEGMENT_SIZE || esize > H7_IMAGE_SEGMENT_SIZE_MAX ||
        esize % H7_IMAGE_ALIGN)
        return fail(f, H7_IMAGE_E_SEGMENT_SIZE, -1, H7_IMAGE_OFF_SEGMENT_SIZE, esize, 2);
    uint32_t tlv = h7_le32(p + H7_IMAGE_OFF_TLV_SIZE);
    uint64_t meta = (uint64_t)hsize + (uint64_t)nseg * esize + tlv;
    if (tlv % H7_IMAGE_ALIGN || meta > H7_IMAGE_META_MAX)
        return fail(f, H7_IMAGE_E_META_SIZE, -1, H7_IMAGE_OFF_TLV_SIZE, tlv, 4);
    uint32_t isize = h7_le32(p + H7_IMAGE_OFF_IMAGE_SIZE);
    if (isize % H7_IMAGE_ALIGN || isize < meta)
        return fail(f, H7_IMAGE_E_IMAGE_SIZE, -1, H7_IMAGE_OFF_IMAGE_SIZE, isize, 4);
    /* image + trailer must be addressable from the slot start in 32 bits */
    if ((uint64_t)isize + H7_IMAGE_TRAILER_SIZE > 0xFFFFFFFFu)
        return fail(f, H7_IMAGE_E_IMAGE_SIZE, -1, H7_IMAGE_OFF_IMAGE_SIZE, isize, 4);
    ok(f);
    return H7_IMAGE_OK;
}

int h7_image_meta_size(const void *buf, size_t len, uint32_t *meta_size,
                       struct h7_image_fault *fault)
{
    const uint8_t *p = (const uint8_t *)buf;
    int rc = check_header(p, len, fault);
    if (rc)
        return rc;
    if (meta_size)
        *meta_size = (uint32_t)h7_le16(p + H7_IMAGE_OFF_HEADER_SIZE) +
                     (uint32_t)h7_le16(p + H7_IMAGE_OFF_SEGMENT_COUNT) *
                         h7_le16(p + H7_IMAGE_OFF_SEGMENT_SIZE) +
                     h7_le32(p + H7_IMAGE_OFF_TLV_SIZE);
    return H7_IMAGE_OK;
}

int h7_image_commit_word_offset(const void *buf, size_t len, uint32_t *commit_offset,
                                uint32_t *total_size, struct h7_image_fault *fault)
{
    const uint8_t *p = (const uint8_t *)buf;
    int rc = check_header(p, len, fault);
    if (rc)
        return rc;
    uint32_t isize = h7_le32(p + H7_IMAGE_OFF_IMAGE_SIZE);
    if (commit_offset)
        *commit_offset = isize + H7_IMAGE_HASH_SIZE;
    if (total_size)
        *total_size = isize + H7_IMAGE_TRAILER_SIZE;
    return H7_IMAGE_OK;
}

int h7_image_tlv_walk(const struct h7_image_info *info, const void *meta, size_t len,
                      int (*fn)(void *ctx, uint16_t type, const uint8_t *value, uint16_t vlen),
                      void *ctx)
{
    if (!info || !meta || len < info->meta_size)
        return H7_IMAGE_E_ARG;
    const uint8_t *p = (const uint8_t *)meta + info->tlv_offset;
    uint32_t pos = 0, size = info->tlv_size;
    while (pos < size) {
        if (size - pos < 4)
            return H7_IMAGE_E_TLV;
        uint16_t type = h7_le16(p + pos), vlen = h7_le16(p + pos + 2);
        uint32_t padded = ((uint32_t)vlen + 3u) & ~3u;
        if (padded > size - pos - 4)
            return H7_IMAGE_E_TLV;
        if (fn) {
            int r = fn(ctx, type, p + pos + 4, vlen);
            if (r)
                return r;
        }
        pos += 4 + padded;
    }
    return H7_IMAGE_OK;
}

/* Refuse unknown critical TLVs. */
static int tlv_known(void *ctx, uint16_t type, const uint8_t *value, uint16_t vlen)
{
    (void)value;
    (void)vlen;
    uint32_t *bad_type = ctx;
    if ((type & H7_TLV_CRITICAL) != 0) {
        *bad_type = type;
        return H7_IMAGE_E_TLV_CRITICAL;
    }
    return 0;
}

static bool payload_kind(uint8_t kind)
{
    return kind == H7_SEG_COPY || kind == H7_SEG_XIP;
}

/* Index of the COPY/XIP segment that holds [addr, addr+len), or -1. */
static int segment_holding(const struct h7_image_info *info, uint32_t addr, uint32_t len)
{
    for (int i = 0; i < info->segment_count; i++) {
        const struct h7_image_segment *s = &info->seg[i];
        if (payload_kind(s->kind) && addr >= s->dest &&
            (uint64_t)addr + len <= (uint64_t)s->dest + s->size)
            return i;
    }
    return -1;
}

int h7_image_parse(const void *buf, size_t len, struct h7_image_info *info,
                   struct h7_image_fault *fault)
{
    const uint8_t *p = (const uint8_t *)buf;
    if (!info)
        return fail(fault, H7_IMAGE_E_ARG, -1, 0, 0, 0);
    int rc = check_header(p, len, fault);
    if (rc)
        return rc;

    info->format_version = h7_le16(p + H7_IMAGE_OFF_FORMAT_VERSION);
    info->header_size = h7_le16(p + H7_IMAGE_OFF_HEADER_SIZE);
    info->flags = h7_le32(p + H7_IMAGE_OFF_FLAGS);
    info->version_major = p[H7_IMAGE_OFF_VERSION];
    info->version_minor = p[H7_IMAGE_OFF_VERSION + 1];
    info->version_patch = h7_le16(p + H7_IMAGE_OFF_VERSION + 2);
    info->entry = h7_le32(p + H7_IMAGE_OFF_ENTRY);
    info->vector_table = h7_le32(p + H7_IMAGE_OFF_VECTOR_TABLE);
    info->segment_count = h7_le16(p + H7_IMAGE_OFF_SEGMENT_COUNT);
    info->segment_entry_size = h7_le16(p + H7_IMAGE_OFF_SEGMENT_SIZE);
    info->tlv_size = h7_le32(p + H7_IMAGE_OFF_TLV_SIZE);
    info->tlv_offset = info->header_size + (uint32_t)info->segment_count * info->segment_entry_size;
    info->meta_size = info->tlv_offset + info->tlv_size;
    info->image_size = h7_le32(p + H7_IMAGE_OFF_IMAGE_SIZE);
    info->load_address = h7_le32(p + H7_IMAGE_OFF_LOAD_ADDRESS);

    if (info->flags & H7_IMAGE_FLAGS_REQUIRED_MASK & ~H7_IMAGE_FLAGS_REQUIRED_KNOWN)
        return fail(fault, H7_IMAGE_E_FLAGS, -1, H7_IMAGE_OFF_FLAGS, info->flags, 4);
    if (len < info->meta_size)
        return fail(fault, H7_IMAGE_E_TRUNCATED, -1, (uint32_t)len, 0, info->meta_size);

    uint32_t bad_tlv = 0;
    rc = h7_image_tlv_walk(info, p, len, tlv_known, &bad_tlv);
    if (rc == H7_IMAGE_E_TLV)
        return fail(fault, rc, -1, info->tlv_offset, 0, info->tlv_size);
    if (rc)
        return fail(fault, rc, -1, info->tlv_offset, bad_tlv, info->tlv_size);

    uint64_t next_payload = info->meta_size; /* payloads ascend from the end of the metadata */
    int prev_payload = -1;
    for (int i = 0; i < info->segment_count; i++) {
        uint32_t field = info->header_size + (uint32_t)i * info->segment_entry_size;
        const uint8_t *e = p + field;
        struct h7_image_segment *s = &info->seg[i];
        s->dest = h7_le32(e + H7_IMAGE_SEG_OFF_DEST);
        s->size = h7_le32(e + H7_IMAGE_SEG_OFF_SIZE);
        s->offset = h7_le32(e + H7_IMAGE_SEG_OFF_OFFSET);
        s->kind = e[H7_IMAGE_SEG_OFF_KIND];

        if (s->kind != H7_SEG_COPY && s->kind != H7_SEG_ZERO && s->kind != H7_SEG_XIP)
            return fail(fault, H7_IMAGE_E_SEG_KIND, i, field + H7_IMAGE_SEG_OFF_KIND, s->dest,
                        s->size);
        if (e[H7_IMAGE_SEG_OFF_FLAGS] || h7_le16(e + H7_IMAGE_SEG_OFF_PAD))
            return fail(fault, H7_IMAGE_E_SEG_RESERVED, i, field + H7_IMAGE_SEG_OFF_FLAGS, s->dest,
                        s->size);
        if (s->size == 0)
            return fail(fault, H7_IMAGE_E_SEG_EMPTY, i, field + H7_IMAGE_SEG_OFF_SIZE, s->dest, 0);
        if ((uint64_t)s->dest + s->size > 0x100000000ull)
            return fail(fault, H7_IMAGE_E_SEG_WRAP, i, field + H7_IMAGE_SEG_OFF_SIZE, s->dest,
                        s->size);
        if (s->kind == H7_SEG_ZERO) {
            if (s->offset != 0)
                return fail(fault, H7_IMAGE_E_SEG_OFFSET, i, field + H7_IMAGE_SEG_OFF_OFFSET,
                            s->dest, s->size);
        } else {
            uint64_t end = (uint64_t)s->offset + s->size;
            if (s->offset % H7_IMAGE_ALIGN || s->offset < info->meta_size || end > info->image_size)
                return fail(fault, H7_IMAGE_E_SEG_OFFSET, i, field + H7_IMAGE_SEG_OFF_OFFSET,
                            s->dest, s->size);
            if (s->offset < next_payload) {
                fail(fault, H7_IMAGE_E_SEG_ORDER, i, field + H7_IMAGE_SEG_OFF_OFFSET, s->dest,
                     s->size);
                if (fault)
                    fault->other = prev_payload;
                return H7_IMAGE_E_SEG_ORDER;
            }
            next_payload = end;
            prev_payload = i;
        }
        for (int j = 0; j < i; j++) {
            const struct h7_image_segment *o = &info->seg[j];
            if (h7_ranges_overlap(s->dest, s->size, o->dest, o->size)) {
                fail(fault, H7_IMAGE_E_SEG_OVERLAP, i, field + H7_IMAGE_SEG_OFF_DEST, s->dest,
                     s->size);
                if (fault)
                    fault->other = j;
                return H7_IMAGE_E_SEG_OVERLAP;
            }
        }
    }

    if (!(info->entry & 1u) || segment_holding(info, info->entry & ~1u, 2) < 0)
        return fail(fault, H7_IMAGE_E_ENTRY, -1, H7_IMAGE_OFF_ENTRY, info->entry, 2);
    if (info->vector_table % H7_IMAGE_VECTOR_ALIGN ||
        segment_holding(info, info->vector_table, 8) < 0)
        return fail(fault, H7_IMAGE_E_VECTOR, -1, H7_IMAGE_OFF_VECTOR_TABLE, info->vector_table, 8);
    ok(fault);
    return H7_IMAGE_OK;
}
