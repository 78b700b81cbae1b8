/*
 * board_query.c — look-ups over a struct h7_board, shared by the host tools and the firmware.
 * Freestanding: no libc calls, so the bootloader can link it as it is.
 */
#include "h7/board.h"

static bool name_eq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

const struct h7_region *h7_board_region_at(const struct h7_board *b, uint32_t addr, uint32_t len)
{
    uint64_t end = (uint64_t)addr + (len ? len : 1);
    for (uint32_t i = 0; i < b->n_regions; i++) {
        const struct h7_region *r = &b->regions[i];
        if (addr >= r->origin && end <= (uint64_t)r->origin + r->length)
            return r;
    }
    return NULL;
}

const struct h7_region *h7_board_region(const struct h7_board *b, const char *name)
{
    for (uint32_t i = 0; i < b->n_regions; i++)
        if (name_eq(b->regions[i].name, name))
            return &b->regions[i];
    return NULL;
}

const struct h7_range *h7_board_range(const struct h7_board *b, enum h7_range_kind kind,
                                      const char *name)
{
    for (uint32_t i = 0; i < b->n_ranges; i++)
        if (b->ranges[i].kind == kind && (!name || name_eq(b->ranges[i].name, name)))
            return &b->ranges[i];
    return NULL;
}

const struct h7_range *h7_board_reserved_overlap(const struct h7_board *b, uint32_t addr,
                                                 uint32_t len)
{
    for (uint32_t i = 0; i < b->n_ranges; i++) {
        const struct h7_range *r = &b->ranges[i];
        if (r->kind == H7_RANGE_RESERVED && h7_ranges_overlap(r->origin, r->length, addr, len))
            return r;
    }
    return NULL;
}
