/*
 * What does the slot hold? An h7boot image (magic first), a raw Daisy image (a vector table
 * first), erased flash, or something else.
 */
#include "boot_internal.h"
#include "h7_image.h"

enum h7_boot_reason h7_boot_find(const struct h7_boot_port *p, const struct h7_boot_config *c,
                                 struct h7_boot_plan *plan)
{
    uint32_t w0, w1;
    *plan = (struct h7_boot_plan){.bad_index = -1};
    if (!h7_boot_slot_word(p, 0, &w0) || !h7_boot_slot_word(p, 4, &w1))
        return H7_BOOT_ERR_SLOT_READ;
    /* Erased NOR reads 0xFF; RAM standing in for flash (QEMU) starts as zeros. */
    if (w0 == w1 && (w0 == 0xFFFFFFFFu || w0 == 0))
        return H7_BOOT_ERR_SLOT_EMPTY;
    /* Where the header is: at 0, located by the vector table's entry 7, or at a 4 KB boundary
     * when the slot starts with data (h7_image_locate, docs/image-format.md). A header found is
     * never reinterpreted as a raw image: a corrupt h7boot image is refused, not booted some
     * other way. */
    uint32_t at;
    int found = h7_boot_locate(p, &at);
    if (found < 0)
        return H7_BOOT_ERR_SLOT_READ;
    if (found == H7_IMAGE_FOUND_HEADER)
        return h7_boot_image_plan(p, at, plan);
    if (!c->raw_region)
        return H7_BOOT_ERR_NO_IMAGE;
    /* A raw image, or nothing: the raw checks say which of its words is wrong. */
    return h7_boot_raw_plan(p, c, w0, w1, plan);
}
