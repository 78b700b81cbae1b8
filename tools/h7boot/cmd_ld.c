/*
 * h7boot ld — a GNU ld script from a placement file (format: mem_placement.h, docs/memory.md).
 *
 *   h7boot ld PLACEMENT --board B -o app.ld
 *
 * The script holds the board's MEMORY map (same names and numbers as boardgen's memory.ld, so
 * `ld --print-memory-usage` and `h7boot report` print the same table), one output section per
 * rule and region, and two tables the startup walks (runtime/h7_startup.c):
 *   __h7_copy_table_start..end: { load address, run address, bytes } per section with contents
 *                               that runs in RAM and is stored elsewhere (a section a loader
 *                               puts at its final address needs no entry)
 *   __h7_zero_table_start..end: { address, bytes } per zeroed section
 * plus the usual names: _sidata/_sdata/_edata, _sbss/_ebss, _estack/__StackTop/__StackLimit,
 * __HeapBase/__HeapLimit/end, __exidx_*, __init_array_*.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board_parse.h"
#include "commands.h"
#include "mem_placement.h"

static int usage(FILE *o)
{
    fprintf(o, "usage: h7boot ld PLACEMENT --board BOARD -o SCRIPT.ld\n"
               "  PLACEMENT      placement file (format: docs/memory.md)\n"
               "  --board BOARD  board name (daisy-seed, ...) or path to a .board file\n"
               "  -o FILE        the linker script to write ('-' = standard output)\n");
    return o == stdout ? H7_EXIT_OK : H7_EXIT_USAGE;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    if (ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

static const char *rname(const struct h7_plan *pl, int i) { return pl->board->regions[i].name; }

/* Room in front of the data an app stores after its image in the slot: the image header and
 * segment table (at most 4 KB), then the load images themselves (4-byte aligned each). */
#define IMAGE_META_ROOM 0x1000u

static void write_section(FILE *o, const struct h7_plan *pl, const struct h7_out_section *s,
                          bool first_after_image)
{
    if (s->after_image)
        fprintf(o, "    /* after the app image in the slot */\n");
    fprintf(o, "    %s", s->name);
    if (s->start)
        fprintf(o, " 0x%08x", (unsigned)s->start);
    else if (first_after_image) {
        const struct h7_range *slot = &pl->board->ranges[pl->slot];
        uint32_t erase = pl->board->regions[slot->region].erase_size;
        fprintf(o, " ALIGN(0x%08x + __h7_image_room, 0x%x)", (unsigned)slot->origin,
                (unsigned)(erase ? erase : 4));
    }
    fprintf(o, "%s : ALIGN(4)\n    {\n", s->init == H7_INIT_COPY ? "" : " (NOLOAD)");
    if (s->before[0])
        fprintf(o, "        %s\n", s->before);
    for (size_t k = 0; k < s->n_patterns; k++)
        fprintf(o, s->keep ? "        KEEP(%s)\n" : "        %s\n", s->patterns[k]);
    fprintf(o, "        . = ALIGN(4);\n");
    if (s->after[0])
        fprintf(o, "        %s\n", s->after);
    fprintf(o, "    } > %s", rname(pl, s->region));
    if (s->load_region != s->region)
        fprintf(o, " AT> %s", rname(pl, s->load_region));
    if (s->rule_line)
        fprintf(o, "   /* placement line %d */", s->rule_line);
    fprintf(o, "\n\n");
}

static bool in_ram(const struct h7_plan *pl, int region)
{
    return (pl->board->regions[region].flags & H7_REGION_RAM) != 0;
}

/* The range of the board that holds `addr` in region `region` (the innermost: a reserve or a
 * slot), or NULL. */
static const struct h7_range *range_at(const struct h7_plan *pl, int region, uint32_t addr)
{
    for (uint32_t k = 0; k < pl->board->n_ranges; k++) {
        const struct h7_range *g = &pl->board->ranges[k];
        if (g->region == region && (g->kind == H7_RANGE_RESERVED || g->kind == H7_RANGE_SLOT) &&
            addr >= g->origin && addr - g->origin < g->length)
            return g;
    }
    return NULL;
}

/*
 * The edges inside regions that MEMORY cannot express, one ASSERT each (ld itself checks the
 * region ends):
 *   - a bootloader's RAM (a reserved range in a RAM region, BOOT_RAM): everything placed in
 *     that region ends before it, when a bootloader loads the app;
 *   - flash storage linked from a region's start (the QSPI user area): it ends inside the
 *     range it starts in, never in the slot after it;
 *   - a section at a fixed address in a reserved range ends inside that range; one in the
 *     slot of a RAM-loaded app starts after the room the stored image needs;
 *   - data after the image ends inside the slot.
 * Region end markers are empty sections written last, so their address is where ld's
 * placement in the region ended.
 */
static void write_edges(FILE *o, const struct h7_plan *pl, int storage_region)
{
    const struct h7_board *b = pl->board;
    for (uint32_t k = 0; k < b->n_ranges && pl->bootloaded; k++) {
        const struct h7_range *g = &b->ranges[k];
        if (g->kind != H7_RANGE_RESERVED || g->region < 0 || !in_ram(pl, g->region))
            continue;
        const char *rn = rname(pl, g->region);
        if (g->origin == b->regions[g->region].origin)
            continue; /* at the region's start: nothing is linked below it */
        fprintf(o, "    .h7_end.%s (NOLOAD) : { __h7_end_%s = .; } > %s\n"
                   "    ASSERT(__h7_end_%s <= 0x%08x,\n"
                   "           \"%s: sections run into %s (0x%08x..0x%08x), the bootloader's RAM "
                   "while it loads the app\")\n\n",
                rn, rn, rn, rn, (unsigned)g->origin, rn, g->name, (unsigned)g->origin,
                (unsigned)(g->origin + g->length - 1));
    }
    if (storage_region >= 0) {
        const struct h7_range *g =
            range_at(pl, storage_region, b->regions[storage_region].origin);
        if (g)
            fprintf(o, "    ASSERT(__h7_storage_end <= 0x%08x,\n"
                       "           \"%s storage (DSY_QSPI_BSS, H7_QSPI_BSS) runs past %s into "
                       "0x%08x\")\n\n",
                    (unsigned)(g->origin + g->length), rname(pl, storage_region), g->name,
                    (unsigned)(g->origin + g->length));
    }
    for (size_t i = 0; i < pl->n_out; i++) {
        const struct h7_out_section *s = &pl->out[i];
        const struct h7_range *g = s->start ? range_at(pl, s->region, s->start) : NULL;
        if (g && g->kind == H7_RANGE_SLOT && pl->bootloaded && s->region != pl->code_region)
            fprintf(o, "    ASSERT(ADDR(%s) >= 0x%08x + __h7_image_room,\n"
                       "           \"%s (placement line %d) overlaps the app image stored in "
                       "slot %s: place it @ image-end\")\n",
                    s->name, (unsigned)g->origin, s->name, s->rule_line, g->name);
        else if (g && g->kind == H7_RANGE_RESERVED)
            fprintf(o, "    ASSERT(ADDR(%s) + SIZEOF(%s) <= 0x%08x,\n"
                       "           \"%s (placement line %d) runs past the end of %s\")\n",
                    s->name, s->name, (unsigned)(g->origin + g->length), s->name, s->rule_line,
                    g->name);
        if (s->after_image) {
            const struct h7_range *slot = &b->ranges[pl->slot];
            fprintf(o, "    ASSERT(ADDR(%s) + SIZEOF(%s) <= 0x%08x,\n"
                       "           \"%s does not fit in slot %s after the app image\")\n",
                    s->name, s->name, (unsigned)(slot->origin + slot->length), s->name,
                    slot->name);
        }
    }
}

static void write_script(FILE *o, const struct h7_plan *pl, const char *placement)
{
    const struct h7_board *b = pl->board;
    fprintf(o, "/*\n * Generated by h7boot ld from %s for board %s, preset %s. Do not edit:\n"
               " * change the placement file and run h7boot ld again.\n",
            placement, b->name, h7_preset_name(pl->preset));
    if (pl->spill)
        fprintf(o, " *\n * Some rules spill into a second region: link with\n"
                   " *     -Wl,--enable-non-contiguous-regions\n"
                   " * (without it ld puts everything in the first region and reports it full).\n");
    fprintf(o, " */\n\nMEMORY\n{\n");
    for (uint32_t i = 0; i < b->n_regions; i++) {
        const struct h7_region *r = &b->regions[i];
        fprintf(o, "    %-10s (%s) : ORIGIN = 0x%08x, LENGTH = 0x%08x\n", r->name,
                r->flags & H7_REGION_RAM ? (r->flags & H7_REGION_EXEC ? "rwx" : "rw")
                                         : (r->flags & H7_REGION_EXEC ? "rx" : "r"),
                (unsigned)r->origin, (unsigned)r->length);
    }
    fprintf(o, "}\n\nENTRY(Reset_Handler)\n\nSECTIONS\n{\n");

    size_t i = 0;
    /* guard, flash storage and vectors come first (mem_placement.c explains the order) */
    int storage_region = -1;
    for (; i < pl->n_out; i++) {
        const struct h7_out_section *s = &pl->out[i];
        if (!strcmp(s->name, ".isr_vector")) {
            if (storage_region >= 0)
                fprintf(o, "    .h7_storage_end (NOLOAD) : { __h7_storage_end = .; } > %s\n\n",
                        rname(pl, storage_region));
            write_section(o, pl, s, false);
            i++;
            break;
        }
        if (s->init == H7_INIT_KEEP && !in_ram(pl, s->region))
            storage_region = s->region;
        write_section(o, pl, s, false);
    }
    /* the tables, in the code region right after the vectors */
    fprintf(o, "    .h7_tables : ALIGN(4)\n    {\n        __h7_copy_table_start = .;\n");
    for (size_t k = 0; k < pl->n_out; k++) {
        const struct h7_out_section *s = &pl->out[k];
        if (s->init == H7_INIT_COPY && in_ram(pl, s->region) && s->load_region != s->region)
            fprintf(o, "        LONG(LOADADDR(%s)) LONG(ADDR(%s)) LONG(SIZEOF(%s))\n", s->name,
                    s->name, s->name);
    }
    fprintf(o, "        __h7_copy_table_end = .;\n        __h7_zero_table_start = .;\n");
    for (size_t k = 0; k < pl->n_out; k++) {
        const struct h7_out_section *s = &pl->out[k];
        if (s->init == H7_INIT_ZERO)
            fprintf(o, "        LONG(ADDR(%s)) LONG(SIZEOF(%s))\n", s->name, s->name);
    }
    fprintf(o, "        __h7_zero_table_end = .;\n    } > %s\n\n", rname(pl, pl->code_region));
    /* stack and heap: first in their regions */
    fprintf(o, "    .h7_stack (NOLOAD) : ALIGN(8)\n    {\n        __StackLimit = .;\n"
               "        . = . + 0x%x;\n        . = ALIGN(8);\n        __StackTop = .;\n"
               "    } > %s\n    _estack = __StackTop;\n\n",
            (unsigned)pl->stack_size, rname(pl, pl->stack_region));
    if (pl->heap_region >= 0)
        fprintf(o, "    .h7_heap (NOLOAD) : ALIGN(8)\n    {\n        __HeapBase = .;\n"
                   "        PROVIDE(end = .);\n        PROVIDE(_end = .);\n"
                   "        . = . + 0x%x;\n        __HeapLimit = .;\n    } > %s\n\n",
                (unsigned)pl->heap_size, rname(pl, pl->heap_region));
    bool marked = false;
    for (; i < pl->n_out; i++) {
        const struct h7_out_section *s = &pl->out[i];
        if (s->init != H7_INIT_COPY && !marked && pl->load_region >= 0) {
            /* every load image is placed by now: the end of the stored image */
            fprintf(o, "    .h7_image_end (NOLOAD) :\n    {\n        __h7_image_end = .;\n"
                       "    } > %s\n\n",
                    rname(pl, pl->load_region));
            marked = true;
        }
        if (!s->after_image)
            write_section(o, pl, s, false);
    }
    /* The room a RAM-loaded app's image takes at the slot's start, for data stored after it
     * and the ASSERTs of data at fixed slot addresses; written after every load image. */
    if (pl->bootloaded && pl->slot >= 0 &&
        pl->board->ranges[pl->slot].region != pl->code_region) {
        fprintf(o, "    /* room for the image in the slot: header, then every load image */\n"
                   "    __h7_image_room = 0x%x", IMAGE_META_ROOM);
        for (size_t j = 0; j < pl->n_out; j++) {
            const struct h7_out_section *c = &pl->out[j];
            if (c->init == H7_INIT_COPY && !c->after_image && in_ram(pl, c->load_region))
                fprintf(o, "\n        + ALIGN(SIZEOF(%s), 4)", c->name);
        }
        fprintf(o, "\n        + ALIGN(SIZEOF(.h7_tables), 4);\n\n");
    }
    bool first = true;
    for (size_t k = 0; k < pl->n_out; k++) {
        const struct h7_out_section *s = &pl->out[k];
        if (s->after_image) {
            write_section(o, pl, s, first);
            first = false;
        }
    }
    write_edges(o, pl, storage_region);
    fprintf(o, "    /* names CMSIS and newlib start-up code expect */\n"
               "    _sidata = LOADADDR(.data);\n    _sdata = ADDR(.data);\n"
               "    _edata = ADDR(.data) + SIZEOF(.data);\n    _sbss = ADDR(.bss);\n"
               "    _ebss = ADDR(.bss) + SIZEOF(.bss);\n    __bss_start__ = _sbss;\n"
               "    __bss_end__ = _ebss;\n");
    if (pl->image_limit && pl->load_region >= 0)
        fprintf(o, "\n    ASSERT(__h7_image_end - ORIGIN(%s) <= 0x%x,\n"
                   "           \"the image is larger than the %u KB the Daisy bootloader copies\")\n",
                rname(pl, pl->load_region), (unsigned)pl->image_limit,
                (unsigned)(pl->image_limit / 1024));
    fprintf(o, "\n    .ARM.attributes 0 : { *(.ARM.attributes) }\n}\n");
}

int h7_cmd_ld(int argc, char **argv)
{
    const char *placement = NULL, *board_spec = NULL, *out_path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h"))
            return usage(stdout);
        else if (!strcmp(a, "--board") && i + 1 < argc)
            board_spec = argv[++i];
        else if (!strcmp(a, "-o") && i + 1 < argc)
            out_path = argv[++i];
        else if (a[0] == '-' || placement) {
            fprintf(stderr, "h7boot ld: unexpected argument '%s'\n", a);
            return usage(stderr);
        } else
            placement = a;
    }
    if (!placement || !board_spec || !out_path) {
        fprintf(stderr, "h7boot ld: %s\n",
                !placement ? "no placement file given"
                           : !board_spec ? "--board is required" : "-o FILE is required");
        return usage(stderr);
    }
    char err[512];
    struct h7_board board;
    if (h7_board_load(board_spec, &board, err, sizeof err)) {
        fprintf(stderr, "h7boot ld: %s\n", err);
        return H7_EXIT_BAD_INPUT;
    }
    size_t len;
    char *text = read_file(placement, &len);
    if (!text) {
        fprintf(stderr, "h7boot ld: %s: %s\n", placement, strerror(errno));
        return H7_EXIT_BAD_INPUT;
    }
    struct h7_plan *plan = malloc(sizeof *plan);
    int rc = H7_EXIT_BAD_INPUT;
    if (!plan) {
        fprintf(stderr, "h7boot ld: out of memory\n");
    } else if (h7_placement_plan(text, len, placement, &board, plan, err, sizeof err)) {
        fprintf(stderr, "h7boot ld: %s\n", err);
    } else {
        FILE *o = strcmp(out_path, "-") ? fopen(out_path, "w") : stdout;
        if (!o) {
            fprintf(stderr, "h7boot ld: %s: %s\n", out_path, strerror(errno));
        } else {
            write_script(o, plan, placement);
            if ((o != stdout && fclose(o)) || (o == stdout && fflush(o)))
                fprintf(stderr, "h7boot ld: %s: %s\n", out_path, strerror(errno));
            else
                rc = H7_EXIT_OK;
        }
    }
    free(plan);
    free(text);
    return rc;
}
