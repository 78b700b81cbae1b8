/*
 * libFuzzer target: the board-file parser (boards/board_parse.c) on arbitrary text. Any input
 * ends in a board or in a "FILE:LINE: ..." error; an accepted board obeys what the tools rely
 * on: a name, regions that do not overlap and do not wrap, every reserve/slot/word range inside
 * the region it names.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "board_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct h7_board b;
    char err[256];
    if (h7_board_parse((const char *)data, size, "fuzz.board", &b, err, sizeof err)) {
        if (strncmp(err, "fuzz.board:", 11) || !memchr(err, 0, sizeof err))
            abort(); /* every error names the file and line */
        return 0;
    }
    if (!b.name[0] || !b.n_regions || b.n_regions > H7_BOARD_MAX_REGIONS)
        abort();
    for (uint32_t i = 0; i < b.n_regions; i++) {
        const struct h7_region *r = &b.regions[i];
        if (!r->length || (uint64_t)r->origin + r->length > 0x100000000ull)
            abort();
        for (uint32_t j = 0; j < i; j++)
            if (h7_ranges_overlap(r->origin, r->length, b.regions[j].origin, b.regions[j].length))
                abort();
    }
    for (uint32_t i = 0; i < b.n_ranges; i++) {
        const struct h7_range *g = &b.ranges[i];
        if (g->kind == H7_RANGE_PERIPH)
            continue;
        if (g->region < 0 || (uint32_t)g->region >= b.n_regions ||
            h7_board_region_at(&b, g->origin, g->length) != &b.regions[g->region])
            abort();
    }
    return 0;
}
