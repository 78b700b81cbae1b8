/*
 * mem_ldmemory.h — the MEMORY regions an ELF file was really linked with, so that `report`
 * prints ld's own --print-memory-usage table for whatever script linked it (libDaisy's
 * STM32H750IB_{flash,sram,qspi}.lds, a script from `h7boot ld`, any other).
 *
 * Two sources, both written by GNU ld or for it:
 *   - the map file (-Wl,-Map=...; libDaisy's Makefile writes build/TARGET.map): its "Memory
 *     Configuration" part lists every region as ld resolved it (name, origin, length, attributes);
 *   - the linker script itself: its MEMORY { NAME (ATTR) : ORIGIN = expr, LENGTH = expr } block,
 *     expressions with numbers, K/M suffixes, + - * / and parentheses ("512K - 32K").
 * The regions keep the script's order: ld prints its table in that order.
 */
#ifndef H7_MEM_LDMEMORY_H
#define H7_MEM_LDMEMORY_H

#include <stddef.h>

#include "h7/board.h"

struct h7_ld_memory {
    size_t n;
    struct h7_region regions[H7_BOARD_MAX_REGIONS]; /* name, origin, length, flags from attrs */
};

/* From a map file. Returns 1 with the regions, 0 when the file has no MEMORY regions (linked
 * without a MEMORY block), -1 with "FILE: what" in err when it cannot be read or is not a map. */
int h7_ld_memory_from_map(const char *path, struct h7_ld_memory *m, char *err, size_t errlen);

/* From a linker script: the same results as h7_ld_memory_from_map. */
int h7_ld_memory_from_script(const char *path, struct h7_ld_memory *m, char *err, size_t errlen);
int h7_ld_memory_parse_script(const char *text, const char *path, struct h7_ld_memory *m,
                              char *err, size_t errlen);

/* `board` with its regions replaced by the link's (ranges that no longer lie in one region
 * are dropped; the ranges keep their meaning for the rules that read the board). */
void h7_ld_memory_board(const struct h7_board *board, const struct h7_ld_memory *m,
                        struct h7_board *out);

#endif
