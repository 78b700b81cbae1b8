/*
 * h7_image_write.h — build an h7boot image from a list of segments (the packer's back end).
 *
 * Freestanding like the reader (no malloc: the caller provides the output buffer), so a device
 * could build an image too; used by `h7boot pack` and by the tests. The layout it produces is
 * the one docs/image-format.md describes under "How a packer builds an image":
 *  - metadata first (header, segment table, a NAME TLV when a name is given);
 *  - each XIP payload at dest - load_address (its link address inside the slot);
 *  - COPY payloads in ascending destination order, each at the first 4-aligned offset after
 *    the metadata where it overlaps no payload placed before it;
 *  - gaps 0xFF; the table lists COPY/XIP segments in payload order, then ZERO segments;
 *  - SHA-256 of [0, image_size), then the commit word H7_IMAGE_COMMITTED.
 */
#ifndef H7_IMAGE_WRITE_H
#define H7_IMAGE_WRITE_H

#include "h7_image.h"

struct h7_image_build_segment {
    uint32_t dest;
    uint32_t size;
    uint8_t kind;     /* enum h7_image_seg_kind */
    const void *data; /* COPY/XIP: size bytes; ZERO: NULL */
};

struct h7_image_build {
    uint32_t load_address; /* the slot's address */
    uint32_t entry;
    uint32_t vector_table;
    uint32_t flags;
    uint8_t version_major, version_minor;
    uint16_t version_patch;
    const char *name; /* NAME TLV, or NULL */
    uint16_t name_len;
    uint32_t segment_count;
    struct h7_image_build_segment seg[H7_IMAGE_MAX_SEGMENTS];
};

/*
 * Lay out and write the image. With out == NULL only computes *len (the image plus trailer).
 * Otherwise out must have room for *len bytes (cap). Returns 0, or an error with `fault`:
 * H7_IMAGE_E_SEGMENT_COUNT, _SEG_KIND, _SEG_EMPTY, _SEG_XIP (an XIP segment below the load
 * address, inside the metadata, misaligned or overlapping another XIP payload), _META_SIZE,
 * _IMAGE_SIZE (does not fit in 32 bits), _TRUNCATED (cap too small), _ARG.
 * The result is not checked against a board: run h7_image_parse()/h7_image_check_board().
 */
int h7_image_build(const struct h7_image_build *b, uint8_t *out, size_t cap, size_t *len,
                   struct h7_image_fault *fault);

#endif /* H7_IMAGE_WRITE_H */
