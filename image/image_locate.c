/*
 * image_locate.c — where the metadata of the image in a slot stands (docs/image-format.md,
 * "Located header"). Freestanding; one rule for the bootloader, `inspect` and any reader.
 *
 * Why the order: the magic at 0 is the plain image. A slot whose first words pass the raw
 * vector-table check is a raw image unless its own vector table (entry 7, reserved by Armv7-M)
 * points at a header: so a header left higher up in the slot by an earlier download can never
 * take over a raw image written later with `make program-dfu`. Only a slot that starts with
 * neither (data linked at the slot start) is searched at 4 KB boundaries.
 */
#include "h7_image.h"

static int read_word(h7_image_read_fn read, void *ctx, uint32_t off, uint32_t *w)
{
    uint8_t b[4];
    if (read(ctx, off, b, 4))
        return H7_IMAGE_E_IO;
    *w = h7_le32(b);
    return 0;
}

int h7_image_locate(const struct h7_board *board, uint32_t slot_len, h7_image_read_fn read,
                    void *ctx, uint32_t *header_offset)
{
    uint32_t w[2], at, word;
    if (!board || !read || !header_offset || slot_len < H7_IMAGE_HEADER_SIZE)
        return H7_IMAGE_E_ARG;
    *header_offset = 0;
    if (read_word(read, ctx, 0, &w[0]) || read_word(read, ctx, 4, &w[1]))
        return H7_IMAGE_E_IO;
    if (w[0] == H7_IMAGE_MAGIC)
        return H7_IMAGE_FOUND_HEADER;
    uint32_t last = slot_len - H7_IMAGE_HEADER_SIZE; /* a header must fit in the slot */
    if (h7_image_raw_reset_region(board, w)) {
        if (read_word(read, ctx, H7_IMAGE_LOCATOR_OFFSET, &at))
            return H7_IMAGE_E_IO;
        if (at == 0 || at % H7_IMAGE_LOCATE_ALIGN || at > last)
            return H7_IMAGE_FOUND_RAW;
        if (read_word(read, ctx, at, &word))
            return H7_IMAGE_E_IO;
        if (word != H7_IMAGE_MAGIC)
            return H7_IMAGE_FOUND_RAW;
        *header_offset = at;
        return H7_IMAGE_FOUND_HEADER;
    }
    for (at = H7_IMAGE_LOCATE_ALIGN; at <= last && at >= H7_IMAGE_LOCATE_ALIGN;
         at += H7_IMAGE_LOCATE_ALIGN) { /* (stops if `at` wraps) */
        if (read_word(read, ctx, at, &word))
            return H7_IMAGE_E_IO;
        if (word == H7_IMAGE_MAGIC) {
            *header_offset = at;
            return H7_IMAGE_FOUND_HEADER;
        }
    }
    return H7_IMAGE_FOUND_NOTHING;
}
