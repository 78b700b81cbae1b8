/*
 * image_board.c — check a parsed image against a board description and the slot it is stored
 * in, and recognise raw (headerless) Daisy images. Freestanding.
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

int h7_image_check_board(const struct h7_image_info *info, const struct h7_board *board,
                         const struct h7_range *slot, struct h7_image_fault *fault)
{
    if (!info || !board || !slot)
        return fail(fault, H7_IMAGE_E_ARG, -1, 0, 0, 0);
    if (info->load_address != slot->origin)
        return fail(fault, H7_IMAGE_E_LOAD_ADDRESS, -1, H7_IMAGE_OFF_LOAD_ADDRESS,
                    info->load_address, 4);
    if ((uint64_t)info->image_size + H7_IMAGE_TRAILER_SIZE > slot->length)
        return fail(fault, H7_IMAGE_E_SLOT_SIZE, -1, H7_IMAGE_OFF_IMAGE_SIZE, slot->origin,
                    info->image_size + H7_IMAGE_TRAILER_SIZE);

    for (int i = 0; i < info->segment_count; i++) {
        const struct h7_image_segment *s = &info->seg[i];
        uint32_t field = info->header_size + (uint32_t)i * info->segment_entry_size;
        const struct h7_region *r = h7_board_region_at(board, s->dest, s->size);
        if (s->kind == H7_SEG_XIP) {
            /* The bytes run in place, so they must be where the slot holds them. */
            if ((uint64_t)info->load_address + s->offset != s->dest ||
                !h7_ranges_overlap(s->dest, 1, slot->origin, slot->length) ||
                (uint64_t)s->dest + s->size > (uint64_t)slot->origin + slot->length || !r ||
                !(r->flags & H7_REGION_XIP))
                return fail(fault, H7_IMAGE_E_SEG_XIP, i, field + H7_IMAGE_SEG_OFF_DEST, s->dest,
                            s->size);
            continue;
        }
        if (!r || !(r->flags & H7_REGION_LOAD) || !(r->flags & H7_REGION_RAM))
            return fail(fault, H7_IMAGE_E_SEG_REGION, i, field + H7_IMAGE_SEG_OFF_DEST, s->dest,
                        s->size);
        if (h7_board_reserved_overlap(board, s->dest, s->size))
            return fail(fault, H7_IMAGE_E_SEG_RESERVED_RANGE, i, field + H7_IMAGE_SEG_OFF_DEST,
                        s->dest, s->size);
    }
    const struct h7_region *er = h7_board_region_at(board, info->entry & ~1u, 2);
    if (!er || !(er->flags & H7_REGION_EXEC))
        return fail(fault, H7_IMAGE_E_ENTRY, -1, H7_IMAGE_OFF_ENTRY, info->entry, 2);
    if (fault)
        fail(fault, H7_IMAGE_OK, -1, 0, 0, 0);
    return H7_IMAGE_OK;
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
