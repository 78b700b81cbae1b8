/*
 * image_parse.c — decode an h7boot image header and segment table and check every rule that
 * needs no board (docs/image-format.md). Freestanding; reads only inside [buf, buf+len).
 *
 * All address and size arithmetic is done in uint64_t, so no field value can wrap a check.
 */
#include "image_fault.h"

int h7_image_set_fault(struct h7_image_fault *f, int err, int segment, uint32_t field,
                       uint32_t addr, uint32_t len)
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

bool h7_image_has_magic(const void *buf, size_t len)
{
    return buf && len >= 4 && h7_le32((const uint8_t *)buf) == H7_IMAGE_MAGIC;
}

/* The header fields with a range rule: lo <= value <= hi and (value & mask) == 0, checked in
 * this order (the first that fails is reported). image_size's lower bound is meta_size. */
static const struct header_rule {
    uint8_t off, width, mask;
    int8_t err;
    uint32_t lo, hi;
} header_rules[] = {
    {H7_IMAGE_OFF_FORMAT_VERSION, 2, 0, H7_IMAGE_E_FORMAT_VERSION, H7_IMAGE_FORMAT_VERSION,
     H7_IMAGE_FORMAT_VERSION},
    {H7_IMAGE_OFF_HEADER_SIZE, 2, H7_IMAGE_ALIGN - 1, H7_IMAGE_E_HEADER_SIZE, H7_IMAGE_HEADER_SIZE,
     H7_IMAGE_HEADER_SIZE_MAX},
    {H7_IMAGE_OFF_SEGMENT_COUNT, 2, 0, H7_IMAGE_E_SEGMENT_COUNT, 1, H7_IMAGE_MAX_SEGMENTS},
    {H7_IMAGE_OFF_SEGMENT_SIZE, 2, H7_IMAGE_ALIGN - 1, H7_IMAGE_E_SEGMENT_SIZE,
     H7_IMAGE_SEGMENT_SIZE, H7_IMAGE_SEGMENT_SIZE_MAX},
    /* and header + table + TLV area <= H7_IMAGE_META_MAX, checked right after */
    {H7_IMAGE_OFF_TLV_SIZE, 4, H7_IMAGE_ALIGN - 1, H7_IMAGE_E_META_SIZE, 0, H7_IMAGE_META_MAX},
    /* image + trailer must be addressable from the slot start in 32 bits */
    {H7_IMAGE_OFF_IMAGE_SIZE, 4, H7_IMAGE_ALIGN - 1, H7_IMAGE_E_IMAGE_SIZE, 0,
     0xFFFFFFFFu - H7_IMAGE_TRAILER_SIZE},
};

/* The checks on the fixed 64 bytes that let a reader trust header_size and image_size; *meta
 * receives header + segment table + TLV bytes. A failed field is reported with its offset, its
 * value and its width; a short buffer with its length and the bytes needed. */
static int check_header(const uint8_t *p, size_t len, struct h7_image_fault *f, uint32_t *meta)
{
    int err = H7_IMAGE_E_ARG;
    uint32_t field = 0, value = 0, width = 0, m = 0;
    if (!p)
        goto out;
    err = H7_IMAGE_E_TRUNCATED;
    field = (uint32_t)len;
    width = 4;
    if (len < width)
        goto out;
    err = H7_IMAGE_E_MAGIC;
    field = H7_IMAGE_OFF_MAGIC;
    value = h7_le32(p);
    if (value != H7_IMAGE_MAGIC)
        goto out;
    err = H7_IMAGE_E_TRUNCATED;
    field = (uint32_t)len;
    value = 0;
    width = H7_IMAGE_HEADER_SIZE;
    if (len < width)
        goto out;
    err = H7_IMAGE_E_HEADER_CRC;
    field = H7_IMAGE_OFF_HEADER_CRC;
    value = h7_le32(p + field);
    width = 4;
    if (value != h7_crc32(0, p, H7_IMAGE_OFF_HEADER_CRC))
        goto out;
    for (const struct header_rule *r = header_rules; r < header_rules + 6; r++) {
        err = r->err;
        field = r->off;
        width = r->width;
        value = width == 2 ? h7_le16(p + field) : h7_le32(p + field);
        uint32_t lo = field == H7_IMAGE_OFF_IMAGE_SIZE ? m : r->lo;
        if (value < lo || value > r->hi || (value & r->mask))
            goto out;
        if (field == H7_IMAGE_OFF_TLV_SIZE) { /* each term is bounded above: no wrap */
            m = h7_le16(p + H7_IMAGE_OFF_HEADER_SIZE) +
                (uint32_t)h7_le16(p + H7_IMAGE_OFF_SEGMENT_COUNT) *
                    h7_le16(p + H7_IMAGE_OFF_SEGMENT_SIZE) +
                value;
            if (m > H7_IMAGE_META_MAX)
                goto out;
        }
    }
    *meta = m;
    err = H7_IMAGE_OK;
    field = value = width = 0;
out:
    return h7_image_set_fault(f, err, -1, field, value, width);
}

int h7_image_meta_size(const void *buf, size_t len, uint32_t *meta_size,
                       struct h7_image_fault *fault)
{
    uint32_t meta;
    int rc = check_header(buf, len, fault, &meta);
    if (!rc && meta_size)
        *meta_size = meta;
    return rc;
}

int h7_image_commit_word_offset(const void *buf, size_t len, uint32_t *commit_offset,
                                uint32_t *total_size, struct h7_image_fault *fault)
{
    uint32_t meta;
    int rc = check_header(buf, len, fault, &meta);
    if (rc)
        return rc;
    uint32_t isize = h7_le32((const uint8_t *)buf + H7_IMAGE_OFF_IMAGE_SIZE);
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
    uint32_t meta;
    if (!info)
        return h7_image_set_fault(fault, H7_IMAGE_E_ARG, -1, 0, 0, 0);
    int rc = check_header(p, len, fault, &meta);
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
    info->meta_size = meta;
    info->tlv_offset = meta - info->tlv_size;
    info->image_size = h7_le32(p + H7_IMAGE_OFF_IMAGE_SIZE);
    info->load_address = h7_le32(p + H7_IMAGE_OFF_LOAD_ADDRESS);
    info->header_offset = 0; /* the field is reserved without LOCATED */

    /* Every failure below fills `fl` and leaves through `out`; segment faults name the
     * segment, its destination range and the offending field of its entry. */
    struct h7_image_fault fl = {.segment = -1, .other = -1};
    uint32_t bad_tlv = 0;
    fl.err = H7_IMAGE_E_FLAGS;
    fl.field = H7_IMAGE_OFF_FLAGS;
    fl.addr = info->flags;
    fl.len = 4;
    if (info->flags & H7_IMAGE_FLAGS_REQUIRED_MASK & ~H7_IMAGE_FLAGS_REQUIRED_KNOWN)
        goto out;
    if (info->flags & H7_IMAGE_FLAG_LOCATED) {
        /* The metadata [H, H + meta) lies inside the image, at a 4 KB boundary after 0. */
        uint32_t h = h7_le32(p + H7_IMAGE_OFF_HEADER_OFFSET);
        h7_image_set_fault(&fl, H7_IMAGE_E_HEADER_OFFSET, -1, H7_IMAGE_OFF_HEADER_OFFSET, h, 4);
        if (h == 0 || h % H7_IMAGE_LOCATE_ALIGN || h > info->image_size ||
            meta > info->image_size - h)
            goto out;
        info->header_offset = h;
    }
    if (len < meta) {
        h7_image_set_fault(&fl, H7_IMAGE_E_TRUNCATED, -1, (uint32_t)len, 0, meta);
        goto out;
    }
    fl.err = h7_image_tlv_walk(info, p, len, tlv_known, &bad_tlv);
    if (fl.err) { /* bad_tlv is still 0 for H7_IMAGE_E_TLV */
        h7_image_set_fault(&fl, fl.err, -1, info->tlv_offset, bad_tlv, info->tlv_size);
        goto out;
    }

    /* 32-bit arithmetic below: each comparison is ordered so that nothing can wrap (sizes are
     * checked non-zero before dest + size - 1 is formed, and so on). */
    /* Payloads ascend without overlap, and none overlaps the metadata [mlo, mhi). */
    uint32_t mlo = info->header_offset, mhi = mlo + meta;
    uint32_t next_payload = mlo ? 0 : meta;
    int prev_payload = -1;
    for (int i = 0; i < info->segment_count; i++) {
        uint32_t entry = info->header_size + (uint32_t)i * info->segment_entry_size;
        const uint8_t *e = p + entry;
        struct h7_image_segment *s = &info->seg[i];
        s->dest = h7_le32(e + H7_IMAGE_SEG_OFF_DEST);
        s->size = h7_le32(e + H7_IMAGE_SEG_OFF_SIZE);
        s->offset = h7_le32(e + H7_IMAGE_SEG_OFF_OFFSET);
        s->kind = e[H7_IMAGE_SEG_OFF_KIND];
        uint32_t last = s->dest + s->size - 1; /* the last byte, once size and wrap are checked */
        unsigned at;                           /* the offending field of the entry */
        h7_image_set_fault(&fl, 0, i, 0, s->dest, s->size);

        fl.err = H7_IMAGE_E_SEG_KIND, at = H7_IMAGE_SEG_OFF_KIND;
        if (s->kind != H7_SEG_COPY && s->kind != H7_SEG_ZERO && s->kind != H7_SEG_XIP)
            goto seg;
        fl.err = H7_IMAGE_E_SEG_RESERVED, at = H7_IMAGE_SEG_OFF_FLAGS;
        if (e[H7_IMAGE_SEG_OFF_FLAGS] || h7_le16(e + H7_IMAGE_SEG_OFF_PAD))
            goto seg;
        fl.err = H7_IMAGE_E_SEG_EMPTY, at = H7_IMAGE_SEG_OFF_SIZE;
        if (s->size == 0)
            goto seg;
        fl.err = H7_IMAGE_E_SEG_WRAP; /* dest + size > 2^32 */
        if (last < s->dest)
            goto seg;
        fl.err = H7_IMAGE_E_SEG_OFFSET, at = H7_IMAGE_SEG_OFF_OFFSET;
        if (s->kind == H7_SEG_ZERO) {
            if (s->offset != 0)
                goto seg;
        } else {
            /* aligned, after the metadata, offset + size <= image_size */
            if (s->offset % H7_IMAGE_ALIGN || s->offset > info->image_size ||
                s->size > info->image_size - s->offset ||
                (s->offset < mhi && mlo < s->offset + s->size))
                goto seg;
            fl.err = H7_IMAGE_E_SEG_ORDER;
            fl.other = prev_payload;
            if (s->offset < next_payload)
                goto seg;
            next_payload = s->offset + s->size;
            prev_payload = i;
        }
        fl.err = H7_IMAGE_E_SEG_OVERLAP, at = H7_IMAGE_SEG_OFF_DEST;
        for (fl.other = 0; fl.other < i; fl.other++) {
            const struct h7_image_segment *o = &info->seg[fl.other];
            if (s->dest <= o->dest + o->size - 1 && o->dest <= last)
                goto seg;
        }
        continue;
    seg:
        fl.field = entry + at;
        goto out;
    }

    fl.err = H7_IMAGE_E_ENTRY;
    if (!(info->entry & 1u) || segment_holding(info, info->entry & ~1u, 2) < 0) {
        h7_image_set_fault(&fl, fl.err, -1, H7_IMAGE_OFF_ENTRY, info->entry, 2);
        goto out;
    }
    fl.err = H7_IMAGE_E_VECTOR;
    if (info->vector_table % H7_IMAGE_VECTOR_ALIGN ||
        segment_holding(info, info->vector_table, 8) < 0) {
        h7_image_set_fault(&fl, fl.err, -1, H7_IMAGE_OFF_VECTOR_TABLE, info->vector_table, 8);
        goto out;
    }
    fl.err = H7_IMAGE_OK;
    h7_image_set_fault(&fl, H7_IMAGE_OK, -1, 0, 0, 0);
out:
    if (fault)
        *fault = fl;
    return fl.err;
}
