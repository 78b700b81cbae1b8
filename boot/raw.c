/*
 * Raw Daisy images: no header, the app's vector table first. Booted the way the Daisy
 * bootloader boots them (its LoadProgramAndJump / FillTargetMemory):
 *  - word 0 (initial SP) minus one must be RAM the bootloader may load (not flash, not QSPI,
 *    not an unknown address);
 *  - word 1 (reset vector) inside the raw load region (Daisy: AXI SRAM) means: copy a fixed
 *    raw_copy_size bytes (Daisy: 480 KB) from the slot to the start of that region and run
 *    there; inside the slot means: run in place.
 * Raw images carry no checksum, so nothing more can be verified.
 */
#include "boot_internal.h"
#include "h7_image.h"

enum h7_boot_reason h7_boot_raw_plan(const struct h7_boot_port *p, const struct h7_boot_config *c,
                                     uint32_t sp, uint32_t reset, struct h7_boot_plan *plan)
{
    const struct h7_board *b = p->board;
    *plan = (struct h7_boot_plan){.format = 0, .n_segments = 1, .bad_index = -1};

    const struct h7_region *sr = h7_board_region_at(b, sp - 1, 1);
    if (!sr || (sr->flags & (H7_REGION_RAM | H7_REGION_LOAD)) != (H7_REGION_RAM | H7_REGION_LOAD)) {
        plan->bad_addr = sp;
        return H7_BOOT_ERR_RAW_SP;
    }
    const struct h7_region *load = c->raw_region ? h7_board_region(b, c->raw_region) : NULL;
    uint32_t entry = reset & ~1u;
    if (load && entry >= load->origin && entry - load->origin < load->length) {
        uint32_t size = c->raw_copy_size;
        if (size > load->length)
            size = load->length;
        if (size > p->slot->length)
            size = p->slot->length;
        plan->seg[0] = (struct h7_boot_segment){
            .dst = load->origin, .size = size, .src_off = 0, .kind = H7_SEG_COPY};
        plan->vtor = load->origin;
        plan->image_size = size;
    } else if (entry >= p->slot->origin && entry - p->slot->origin < p->slot->length) {
        plan->seg[0] = (struct h7_boot_segment){
            .dst = p->slot->origin, .size = p->slot->length, .src_off = 0, .kind = H7_SEG_XIP};
        plan->vtor = p->slot->origin;
        plan->image_size = p->slot->length;
    } else {
        plan->bad_addr = reset;
        return H7_BOOT_ERR_RAW_ENTRY;
    }
    /* The copy must not land on the bootloader's own RAM (the Daisy bootloader keeps the last
     * 32 KB of AXI SRAM; h7boot's BOOT_RAM range is elsewhere, but a board may differ). */
    const struct h7_boot_segment *s = &plan->seg[0];
    if (s->kind == H7_SEG_COPY && h7_board_reserved_overlap(b, s->dst, s->size)) {
        plan->bad_addr = s->dst;
        return H7_BOOT_ERR_SEG_RESERVED;
    }
    return H7_BOOT_OK;
}
