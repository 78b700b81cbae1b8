/*
 * dfuse_file.c — DfuSe file writer and validating reader (dfuse_file.h).
 */
#include "dfuse_file.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "h7_image.h" /* h7_le32/h7_put_le32 */

/* The suffix CRC: CRC-32 without the final XOR, i.e. ~zlib's. zlib is fast on megabytes. */
static uint32_t dfuse_crc(const uint8_t *p, size_t len)
{
    uLong crc = crc32(0, Z_NULL, 0);
    while (len) {
        uInt n = len > 0x40000000u ? 0x40000000u : (uInt)len;
        crc = crc32(crc, p, n);
        p += n;
        len -= n;
    }
    return ~(uint32_t)crc;
}

size_t dfuse_file_size(const struct dfuse_image *img)
{
    size_t size = DFUSE_PREFIX_SIZE + DFUSE_TARGET_SIZE + DFUSE_SUFFIX_SIZE;
    for (unsigned i = 0; i < img->n_elements; i++)
        size += DFUSE_ELEMENT_SIZE + img->elements[i].size;
    return size;
}

size_t dfuse_element_data_offset(const struct dfuse_image *img, unsigned i)
{
    size_t off = DFUSE_PREFIX_SIZE + DFUSE_TARGET_SIZE + DFUSE_ELEMENT_SIZE;
    for (unsigned k = 0; k < i; k++)
        off += img->elements[k].size + DFUSE_ELEMENT_SIZE;
    return off;
}

void dfuse_write(const struct dfuse_image *img, uint8_t *out)
{
    size_t total = dfuse_file_size(img), pos = 0;
    memcpy(out, "DfuSe", 5);
    out[5] = 1;
    h7_put_le32(out + 6, (uint32_t)total);
    out[10] = 1;
    pos = DFUSE_PREFIX_SIZE;

    uint8_t *t = out + pos;
    memset(t, 0, DFUSE_TARGET_SIZE);
    memcpy(t, "Target", 6);
    t[6] = img->alt;
    h7_put_le32(t + 7, img->name[0] ? 1 : 0);
    strncpy((char *)t + 11, img->name, 254);
    h7_put_le32(t + 266,
                (uint32_t)(total - DFUSE_PREFIX_SIZE - DFUSE_TARGET_SIZE - DFUSE_SUFFIX_SIZE));
    h7_put_le32(t + 270, img->n_elements);
    pos += DFUSE_TARGET_SIZE;

    for (unsigned i = 0; i < img->n_elements; i++) {
        const struct dfuse_element *e = &img->elements[i];
        h7_put_le32(out + pos, e->address);
        h7_put_le32(out + pos + 4, e->size);
        if (e->data != out + pos + DFUSE_ELEMENT_SIZE) /* built in place: nothing to copy */
            memcpy(out + pos + DFUSE_ELEMENT_SIZE, e->data, e->size);
        pos += DFUSE_ELEMENT_SIZE + e->size;
    }
    uint8_t *s = out + pos;
    h7_put_le16(s, img->bcd_device);
    h7_put_le16(s + 2, img->pid);
    h7_put_le16(s + 4, img->vid);
    h7_put_le16(s + 6, DFUSE_BCD_DFU);
    memcpy(s + 8, "UFD", 3);
    s[11] = DFUSE_SUFFIX_SIZE;
    h7_put_le32(s + 12, dfuse_crc(out, total - 4));
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

int dfuse_read(const uint8_t *buf, size_t len, struct dfuse_image *img, char *err, size_t errlen)
{
    memset(img, 0, sizeof *img);
    if (len < DFUSE_PREFIX_SIZE + DFUSE_SUFFIX_SIZE)
        return fail(err, errlen, "file of %zu bytes is too short for a DfuSe prefix and suffix",
                    len);
    const uint8_t *s = buf + len - DFUSE_SUFFIX_SIZE;
    size_t so = len - DFUSE_SUFFIX_SIZE;
    if (memcmp(s + 8, "UFD", 3))
        return fail(err, errlen, "DFU suffix: signature at offset %zu is not \"UFD\"", so + 8);
    if (s[11] != DFUSE_SUFFIX_SIZE)
        return fail(err, errlen, "DFU suffix: bLength at offset %zu is %u, not 16", so + 11, s[11]);
    uint32_t crc = dfuse_crc(buf, len - 4), stored = h7_le32(s + 12);
    if (crc != stored)
        return fail(err, errlen,
                    "DFU suffix: CRC at offset %zu is 0x%08x, the file's bytes give 0x%08x",
                    so + 12, stored, crc);
    if (h7_le16(s + 6) != DFUSE_BCD_DFU)
        return fail(err, errlen, "DFU suffix: bcdDFU at offset %zu is 0x%04x, not 0x011a (DfuSe)",
                    so + 6, h7_le16(s + 6));
    img->bcd_device = h7_le16(s);
    img->pid = h7_le16(s + 2);
    img->vid = h7_le16(s + 4);

    if (memcmp(buf, "DfuSe", 5))
        return fail(err, errlen, "DfuSe prefix: signature at offset 0 is not \"DfuSe\"");
    if (buf[5] != 1)
        return fail(err, errlen, "DfuSe prefix: version at offset 5 is %u, not 1", buf[5]);
    if (h7_le32(buf + 6) != len)
        return fail(err, errlen, "DfuSe prefix: file size at offset 6 says %u, the file has %zu",
                    h7_le32(buf + 6), len);
    if (buf[10] != 1)
        return fail(err, errlen,
                    "DfuSe prefix: %u targets (offset 10); h7boot reads single-target files",
                    buf[10]);
    size_t pos = DFUSE_PREFIX_SIZE, end = len - DFUSE_SUFFIX_SIZE;
    if (end - pos < DFUSE_TARGET_SIZE)
        return fail(err, errlen, "DfuSe target prefix at offset %zu is truncated", pos);
    const uint8_t *t = buf + pos;
    if (memcmp(t, "Target", 6))
        return fail(err, errlen, "DfuSe target: signature at offset %zu is not \"Target\"", pos);
    img->alt = t[6];
    if (h7_le32(t + 7))
        snprintf(img->name, sizeof img->name, "%.255s", (const char *)t + 11);
    uint32_t tsize = h7_le32(t + 266), count = h7_le32(t + 270);
    pos += DFUSE_TARGET_SIZE;
    if (tsize != end - pos)
        return fail(err, errlen,
                    "DfuSe target: size at offset %zu says %u bytes of elements, the file "
                    "holds %zu",
                    pos - 8, tsize, end - pos);
    if (count > DFUSE_MAX_ELEMENTS)
        return fail(err, errlen, "DfuSe target: %u elements (offset %zu), at most %u supported",
                    count, pos - 4, DFUSE_MAX_ELEMENTS);
    for (uint32_t i = 0; i < count; i++) {
        if (end - pos < DFUSE_ELEMENT_SIZE)
            return fail(err, errlen, "DfuSe element %u: header at offset %zu is truncated", i, pos);
        struct dfuse_element *e = &img->elements[i];
        e->address = h7_le32(buf + pos);
        e->size = h7_le32(buf + pos + 4);
        if (e->size > end - pos - DFUSE_ELEMENT_SIZE)
            return fail(err, errlen,
                        "DfuSe element %u at 0x%08x: size %u at offset %zu runs past the "
                        "target (%zu bytes left)",
                        i, e->address, e->size, pos + 4, end - pos - DFUSE_ELEMENT_SIZE);
        e->data = buf + pos + DFUSE_ELEMENT_SIZE;
        pos += DFUSE_ELEMENT_SIZE + e->size;
    }
    img->n_elements = count;
    if (pos != end)
        return fail(err, errlen,
                    "DfuSe target: its %u elements end at offset %zu by their size fields, but "
                    "the target runs to offset %zu: an element size is wrong",
                    count, pos, end);
    return 0;
}
