/*
 * mem_usage.c — per-region usage of an ELF file, ld's way (see mem_usage.h).
 */
#include "mem_usage.h"

#include <inttypes.h>
#include <stdlib.h>

/* The region a section starts in: a section that runs past the region's end overflows it (as
 * in ld, which assigns sections to regions, not addresses to regions). A section that starts
 * past every region's end but right where an overflowing region's contents end (the next
 * section of an overflowed region) belongs to that region too. */
static struct h7_mem_region_use *use_at(struct h7_mem_usage *u, const struct h7_board *b,
                                        uint32_t addr)
{
    const struct h7_region *r = h7_board_region_at(b, addr, 1);
    if (r)
        return &u->regions[r - b->regions];
    for (size_t i = 0; i < u->n_regions; i++) {
        struct h7_mem_region_use *ru = &u->regions[i];
        uint64_t end = (uint64_t)ru->region->origin + ru->used;
        if (ru->used > ru->region->length && addr >= ru->region->origin && addr <= end)
            return ru;
    }
    return NULL;
}

/* ld's region pointer: set to the end of each section placed in the region, in script order
 * (ldlang.c sets region->current = dot after every output section). With the script order known
 * (from the map file) the last one counts, also when it lies below an earlier one (a section at
 * a fixed address, then an empty one after the image); without it, the highest end. */
static void extend(struct h7_mem_region_use *ru, uint32_t start, uint32_t size, bool ordered)
{
    uint64_t end = (uint64_t)start + size - ru->region->origin;
    if (ordered || end > ru->used)
        ru->used = (uint32_t)end;
}

/* Script order when known, else address order. */
static int by_script_order(const void *a, const void *b)
{
    const struct h7_elf_section *x = *(const struct h7_elf_section *const *)a;
    const struct h7_elf_section *y = *(const struct h7_elf_section *const *)b;
    if (x->script_order != y->script_order)
        return x->script_order < y->script_order ? -1 : 1;
    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int by_place(const void *a, const void *b)
{
    const struct h7_mem_placed *x = a, *y = b;
    uint32_t ax = x->load_image ? x->section->lma : x->section->addr;
    uint32_t bx = y->load_image ? y->section->lma : y->section->addr;
    return ax < bx ? -1 : ax > bx;
}

int h7_mem_usage_compute(const struct h7_board *b, const struct h7_elf *elf,
                         struct h7_mem_usage *u)
{
    u->n_regions = b->n_regions;
    u->regions = calloc(b->n_regions ? b->n_regions : 1, sizeof *u->regions);
    u->outside = calloc(elf->n_sections ? elf->n_sections : 1, sizeof *u->outside);
    u->n_outside = 0;
    if (!u->regions || !u->outside)
        goto oom;
    for (size_t i = 0; i < b->n_regions; i++) {
        struct h7_mem_region_use *ru = &u->regions[i];
        ru->region = &b->regions[i];
        /* A section is placed at most twice (VMA and LMA). */
        ru->placed = calloc(2 * elf->n_sections + 1, sizeof *ru->placed);
        ru->symbols = calloc(elf->n_symbols + 1, sizeof *ru->symbols);
        if (!ru->placed || !ru->symbols)
            goto oom;
    }
    const struct h7_elf_section **order = calloc(elf->n_sections + 1, sizeof *order);
    if (!order)
        goto oom;
    for (size_t i = 0; i < elf->n_sections; i++)
        order[i] = &elf->sections[i];
    qsort(order, elf->n_sections, sizeof *order, by_script_order);
    bool ordered = elf->n_sections > 0;
    for (size_t i = 0; i < elf->n_sections; i++)
        ordered = ordered && elf->sections[i].script_order;
    for (size_t i = 0; i < elf->n_sections; i++) {
        const struct h7_elf_section *s = order[i];
        struct h7_mem_region_use *ru = use_at(u, b, s->addr);
        if (!ru) {
            if (s->size)
                u->outside[u->n_outside++] = s;
            continue;
        }
        extend(ru, s->addr, s->size, ordered);
        ru->placed[ru->n_placed++] = (struct h7_mem_placed){s, false};
        if (!s->nobits && s->lma != s->addr) {
            struct h7_mem_region_use *lu = use_at(u, b, s->lma);
            if (lu && lu != ru) {
                extend(lu, s->lma, s->size, ordered);
                lu->placed[lu->n_placed++] = (struct h7_mem_placed){s, true};
            }
        }
    }
    free(order);
    for (size_t i = 0; i < u->n_regions; i++)
        qsort(u->regions[i].placed, u->regions[i].n_placed, sizeof *u->regions[i].placed,
              by_place);
    /* Symbols are already largest first. */
    for (size_t i = 0; i < elf->n_symbols; i++) {
        const struct h7_elf_symbol *y = &elf->symbols[i];
        struct h7_mem_region_use *ru = use_at(u, b, y->addr);
        if (ru)
            ru->symbols[ru->n_symbols++] = y;
    }
    return 0;
oom:
    h7_mem_usage_free(u);
    return -1;
}

void h7_mem_usage_free(struct h7_mem_usage *u)
{
    for (size_t i = 0; u->regions && i < u->n_regions; i++) {
        free(u->regions[i].placed);
        free(u->regions[i].symbols);
    }
    free(u->regions);
    free(u->outside);
    *u = (struct h7_mem_usage){0};
}

const struct h7_mem_region_use *h7_mem_usage_at(const struct h7_mem_usage *u, uint32_t addr,
                                                uint32_t len)
{
    for (size_t i = 0; i < u->n_regions; i++) {
        const struct h7_region *r = u->regions[i].region;
        if (len == 0)
            len = 1;
        if (addr >= r->origin && (uint64_t)addr + len <= (uint64_t)r->origin + r->length)
            return &u->regions[i];
    }
    return NULL;
}

void h7_mem_print_ld_size(FILE *out, uint64_t sz)
{
    /* As ld 2.40 prints it (observed): whole GB first, so an empty region reads "0 GB". */
    if ((sz & 0x3fffffff) == 0)
        fprintf(out, "%10" PRIu64 " GB", sz >> 30);
    else if ((sz & 0xfffff) == 0)
        fprintf(out, "%10" PRIu64 " MB", sz >> 20);
    else if ((sz & 0x3ff) == 0)
        fprintf(out, "%10" PRIu64 " KB", sz >> 10);
    else
        fprintf(out, " %10" PRIu64 " B", sz);
}

void h7_mem_print_ld_table(FILE *out, const struct h7_mem_usage *u)
{
    fprintf(out, "Memory region         Used Size  Region Size  %%age Used\n");
    for (size_t i = 0; i < u->n_regions; i++) {
        const struct h7_mem_region_use *ru = &u->regions[i];
        fprintf(out, "%16s: ", ru->region->name);
        h7_mem_print_ld_size(out, ru->used);
        h7_mem_print_ld_size(out, ru->region->length);
        if (ru->region->length)
            fprintf(out, "    %6.2f%%", ru->used * 100.0 / ru->region->length);
        fprintf(out, "\n");
    }
}
