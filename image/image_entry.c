/*
 * image_entry.c — what the core jumps through: the initial SP and the reset vector (words 0
 * and 1 of the vector table), checked against the image's own segments and the board before
 * any jump. The ONE check for the bootloader (boot/image.c), `h7boot inspect` and the DFU RAM
 * load-and-run path (dfu/dfu_class.c). Freestanding.
 *
 * Why each rule (Armv7-M ARM §B1.5.5 "Reset behavior": MSP = word 0, PC = word 1 with EPSR.T
 * from bit 0):
 *  - SP 8-byte aligned: AAPCS requires it at every public interface, and the reset handler is
 *    one; an SP of 0 or in flash faults on the first push.
 *  - the 8 bytes below SP are in RAM that the image does not load code or data into (no COPY or
 *    XIP segment): the first pushes would overwrite the program itself;
 *  - reset vector with bit 0 set (Thumb: a Cortex-M has no Arm state; bit 0 clear faults with
 *    INVSTATE), pointing into a COPY or XIP segment of the image, in an executable region: a
 *    jump anywhere else runs bytes nobody verified;
 *  - the header's `entry` equal to the vector's reset address: the core uses the vector, so an
 *    `entry` that says something else means the checks above were done on the wrong value.
 */
#include "image_fault.h"

/* The COPY/XIP segment that holds [addr, addr + len), or NULL. ZERO segments hold no code. */
static const struct h7_image_segment *code_segment(const struct h7_image_segment *seg,
                                                   unsigned n, uint32_t addr, uint32_t len)
{
    for (unsigned i = 0; i < n; i++) {
        const struct h7_image_segment *s = &seg[i];
        if (s->kind != H7_SEG_COPY && s->kind != H7_SEG_XIP)
            continue;
        if (addr >= s->dest && len <= s->size && addr - s->dest <= s->size - len)
            return &seg[i];
    }
    return 0;
}

int h7_image_check_entry(const struct h7_board *board, const struct h7_image_segment *seg,
                         unsigned n, uint32_t sp, uint32_t reset, struct h7_image_fault *fault)
{
    int err = H7_IMAGE_E_ARG;
    uint32_t addr = 0;
    if (!board || (!seg && n))
        goto out;

    err = H7_IMAGE_E_STACK;
    addr = sp;
    if (sp % 8 || sp < 8)
        goto out;
    const struct h7_region *sr = h7_board_region_at(board, sp - 8, 8);
    if (!sr || !(sr->flags & H7_REGION_RAM))
        goto out;
    for (unsigned i = 0; i < n; i++)
        if ((seg[i].kind == H7_SEG_COPY || seg[i].kind == H7_SEG_XIP) &&
            h7_ranges_overlap(seg[i].dest, seg[i].size, sp - 8, 8))
            goto out;

    err = H7_IMAGE_E_RESET;
    addr = reset;
    if (!(reset & 1u) || !code_segment(seg, n, reset & ~1u, 2))
        goto out;
    const struct h7_region *rr = h7_board_region_at(board, reset & ~1u, 2);
    if (!rr || !(rr->flags & H7_REGION_EXEC))
        goto out;
    err = H7_IMAGE_OK;
    addr = 0;
out:
    return h7_image_set_fault(fault, err, -1, 0, addr, err ? 4 : 0);
}

int h7_image_vector_offset(const struct h7_image_info *info, uint32_t *offset,
                           struct h7_image_fault *fault)
{
    if (!info || !offset)
        return h7_image_set_fault(fault, H7_IMAGE_E_ARG, -1, 0, 0, 0);
    const struct h7_image_segment *s =
        code_segment(info->seg, info->segment_count, info->vector_table, 8);
    if (!s)
        return h7_image_set_fault(fault, H7_IMAGE_E_VECTOR, -1, H7_IMAGE_OFF_VECTOR_TABLE,
                                  info->vector_table, 8);
    *offset = s->offset + (info->vector_table - s->dest);
    return H7_IMAGE_OK;
}

int h7_image_check_vectors(const struct h7_image_info *info, const struct h7_board *board,
                           const uint32_t words[2], struct h7_image_fault *fault)
{
    uint32_t off = 0;
    if (!words)
        return h7_image_set_fault(fault, H7_IMAGE_E_ARG, -1, 0, 0, 0);
    int err = h7_image_vector_offset(info, &off, fault);
    if (err)
        return err;
    err = h7_image_check_entry(board, info->seg, info->segment_count, words[0], words[1], fault);
    if (err) {
        if (fault) /* the word in the image that holds the bad value */
            fault->field = off + (err == H7_IMAGE_E_STACK ? 0u : 4u);
        return err;
    }
    if (info->entry != words[1])
        return h7_image_set_fault(fault, H7_IMAGE_E_ENTRY_VECTOR, -1, H7_IMAGE_OFF_ENTRY,
                                  info->entry, 4);
    return H7_IMAGE_OK;
}
