/*
 * mem_usage.h — how much of each board region an ELF file uses, counted the way GNU ld's
 * --print-memory-usage counts it.
 *
 * ld keeps a "current" pointer per MEMORY region: placing an allocated output section in a
 * region moves it to the section's end (VMA), and a loadable section whose load image (LMA) sits
 * in another region moves that region's pointer to the end of the load image. "Used" is
 * current - origin: alignment gaps and a first section that does not start at the origin count
 * as used. Here a section belongs to the region that contains its address (the MEMORY map of
 * the link, or the board's), and the sections are taken in section header order (ld's script
 * order), each setting used = its end - origin: the same number, also when a section at a fixed
 * address is followed by one lower down (then ld's table shows the lower end, and so does this).
 */
#ifndef H7_MEM_USAGE_H
#define H7_MEM_USAGE_H

#include <stdio.h>

#include "elf_sections.h"
#include "h7/board.h"

/* One reason a section of the ELF file is in a region. */
struct h7_mem_placed {
    const struct h7_elf_section *section;
    bool load_image; /* true: the section's load image (LMA) is here, it runs elsewhere */
};

struct h7_mem_region_use {
    const struct h7_region *region;
    uint32_t used; /* bytes from the origin to the end of the last section (ld's figure) */
    size_t n_placed;
    struct h7_mem_placed *placed; /* in address order */
    size_t n_symbols;
    const struct h7_elf_symbol **symbols; /* symbols whose address is here, largest first */
};

struct h7_mem_usage {
    size_t n_regions; /* == board->n_regions, same order */
    struct h7_mem_region_use *regions;
    size_t n_outside; /* sections that lie in no region of the board */
    const struct h7_elf_section **outside;
};

/* Compute the usage of `elf` on `board`. Returns 0, or -1 when out of memory. */
int h7_mem_usage_compute(const struct h7_board *board, const struct h7_elf *elf,
                         struct h7_mem_usage *out);
void h7_mem_usage_free(struct h7_mem_usage *u);

/* The region use of the region that holds [addr, addr+len), or NULL. */
const struct h7_mem_region_use *h7_mem_usage_at(const struct h7_mem_usage *u, uint32_t addr,
                                                uint32_t len);

/* A size the way ld prints it: "%10u GB|MB|KB" when a whole multiple, else " %10u B". */
void h7_mem_print_ld_size(FILE *out, uint64_t size);

/* ld's --print-memory-usage table, byte for byte, for every region of the board. */
void h7_mem_print_ld_table(FILE *out, const struct h7_mem_usage *u);

#endif
