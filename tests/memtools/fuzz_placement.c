/*
 * libFuzzer target: the placement file parser and planner (mem_placement.c) on arbitrary text,
 * against the Daisy Seed board. Any input must end in a plan or a FILE:LINE error, never in a
 * crash, overflow or leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "board_parse.h"
#include "mem_placement.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct h7_board board;
    static struct h7_plan *plan;
    static int ready;
    char err[512];
    if (!ready) {
        if (h7_board_load("daisy-seed", &board, err, sizeof err))
            abort();
        plan = malloc(sizeof *plan);
        if (!plan)
            abort();
        ready = 1;
    }
    if (h7_placement_plan((const char *)data, size, "fuzz.place", &board, plan, err, sizeof err))
        return strncmp(err, "fuzz.place:", 11) ? (abort(), 0) : 0;
    if (plan->n_out == 0 || plan->code_region < 0)
        abort();
    return 0;
}
