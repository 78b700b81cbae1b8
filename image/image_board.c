/*
 * image_board.c — check a parsed image against a board description and the slot it is stored
 * in, and recognise raw (headerless) Daisy images. Freestanding.
 */
#include "image_fault.h"

int h7_image_check_board(const struct h7_image_info *info, const struct h7_board *board,
                         const struct h7_range *slot, struct h7_image_fault *fault)
{
    /* Every failure sets these and leaves through `out`. */
    int err = H7_IMAGE_E_ARG, seg = -1;
    uint32_t field = 0, addr = 0, len = 0;
    if (!info || !board || !slot)
        goto out;
    err = H7_IMAGE_E_LOAD_ADDRESS;
    field = H7_IMAGE_OFF_LOAD_ADDRESS;
    addr = info->load_address;
    len = 4;
    if (addr != slot->origin)
        goto out;
    err = H7_IMAGE_E_SLOT_SIZE;
    field = H7_IMAGE_OFF_IMAGE_SIZE;
    len = info->image_size + H7_IMAGE_TRAILER_SIZE;
    if ((uint64_t)info->image_size + H7_IMAGE_TRAILER_SIZE > slot->length)
        goto out;

    for (seg = 0; seg < info->segment_count; seg++) {
        const struct h7_image_segment *s = &info->seg[seg];
        const struct h7_region *r = h7_board_region_at(board, s->dest, s->size);
        field = info->header_size + (uint32_t)seg * info->segment_entry_size +
                H7_IMAGE_SEG_OFF_DEST;
        addr = s->dest;
        len = s->size;
        if (s->kind == H7_SEG_XIP) {
            /* The bytes run in place, so they must be where the slot holds them. */
            uint32_t in_slot = addr - slot->origin; /* == load_address: checked above */
            err = H7_IMAGE_E_SEG_XIP;
            if (addr < slot->origin || in_slot != s->offset || in_slot >= slot->length ||
                len > slot->length - in_slot || !r || !(r->flags & H7_REGION_XIP))
                goto out;
            continue;
        }
        err = H7_IMAGE_E_SEG_REGION;
        if (!r || (r->flags & (H7_REGION_LOAD | H7_REGION_RAM)) != (H7_REGION_LOAD | H7_REGION_RAM))
            goto out;
        err = H7_IMAGE_E_SEG_RESERVED_RANGE;
        if (h7_board_reserved_overlap(board, addr, len))
            goto out;
    }
    seg = -1;
    err = H7_IMAGE_E_ENTRY;
    field = H7_IMAGE_OFF_ENTRY;
    addr = info->entry;
    len = 2;
    const struct h7_region *er = h7_board_region_at(board, addr & ~1u, len);
    if (!er || !(er->flags & H7_REGION_EXEC))
        goto out;
    err = H7_IMAGE_OK;
    field = addr = len = 0;
out:
    return h7_image_set_fault(fault, err, seg, field, addr, len);
}

const struct h7_region *h7_image_raw_reset_region(const struct h7_board *board,
                                                  const uint32_t words[2])
{
    if (!board || !words)
        return NULL;
    uint32_t sp = words[0], reset = words[1];
    if (sp == H7_IMAGE_MAGIC || sp % 4 || sp == 0)
        return NULL;
    const struct h7_region *sr = h7_board_region_at(board, sp - 1, 1);
    if (!sr || !(sr->flags & H7_REGION_RAM))
        return NULL;
    if (!(reset & 1u))
        return NULL;
    const struct h7_region *rr = h7_board_region_at(board, reset & ~1u, 2);
    if (!rr || !(rr->flags & H7_REGION_EXEC))
        return NULL;
    if (rr->flags & H7_REGION_RAM)
        return rr;
    const struct h7_range *slot = h7_board_range(board, H7_RANGE_SLOT, "APP");
    if (slot && h7_board_region_at(board, slot->origin, 1) == rr)
        return rr;
    return NULL;
}
