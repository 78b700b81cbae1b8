/*
 * h7boot report — memory use of an ELF file per region of a board (docs/memory.md).
 *
 *   h7boot report APP.elf --board B [--json] [--svg FILE] [--top N] [--summary] [--all]
 *                         [--map FILE] [--script FILE]
 *
 * Text output starts with ld's --print-memory-usage table: the regions of the MEMORY block the
 * ELF was really linked with (from the map file beside it, or --script), the same bytes ld
 * printed; without either, the board's regions. Then per used region its sections, largest
 * symbols (C++ names demangled) and free space. --json replaces the text with the stable JSON form documented in
 * docs/memory.md; --svg also writes the picture.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "mem_input.h"
#include "mem_kind.h"
#include "mem_mapfile.h"
#include "svg_map.h"

static int usage(FILE *o)
{
    fprintf(o, "usage: h7boot report APP.elf --board BOARD [--json] [--svg FILE] [--top N]\n"
               "                     [--summary] [--all] [--map FILE]\n"
               "  --board BOARD  board name (daisy-seed, ...) or path to a .board file\n"
               "  --json         machine-readable output (format: docs/memory.md)\n"
               "  --svg FILE     also draw the memory map as an SVG picture\n"
               "  --top N        largest symbols listed per region (default 5)\n"
               "  --summary      only ld's --print-memory-usage table\n"
               "  --all          list (and draw) empty regions too\n"
               "  --map FILE     ld map file of the link: its MEMORY regions and each symbol's\n"
               "                 object file (default: APP.map next to APP.elf, when it exists)\n"
               "  --script FILE  the linker script the ELF was linked with: its MEMORY regions\n");
    return o == stdout ? H7_EXIT_OK : H7_EXIT_USAGE;
}

static size_t n_warnings(const struct h7_mem_usage *u)
{
    size_t n = u->n_outside;
    for (size_t i = 0; i < u->n_regions; i++)
        n += u->regions[i].used > u->regions[i].region->length;
    return n;
}

/* Warnings as text lines, for both outputs. */
static void warning_text(const struct h7_mem_usage *u, size_t k, char *buf, size_t n)
{
    for (size_t i = 0; i < u->n_regions; i++) {
        const struct h7_mem_region_use *ru = &u->regions[i];
        if (ru->used <= ru->region->length)
            continue;
        if (k-- == 0) {
            snprintf(buf, n, "region %s overflowed by %u bytes", ru->region->name,
                     (unsigned)(ru->used - ru->region->length));
            return;
        }
    }
    const struct h7_elf_section *s = u->outside[k];
    snprintf(buf, n, "section %s (0x%08x, %u bytes) lies in no region of the board", s->name,
             (unsigned)s->addr, (unsigned)s->size);
}

static void print_text(const struct h7_mem_input *in, size_t top, bool all)
{
    const struct h7_mem_usage *u = &in->usage;
    h7_mem_print_ld_table(stdout, u);
    for (size_t i = 0; i < u->n_regions; i++) {
        const struct h7_mem_region_use *ru = &u->regions[i];
        const struct h7_region *r = ru->region;
        if (!all && !ru->used)
            continue;
        long long free_bytes = (long long)r->length - ru->used;
        printf("\n%s  0x%08x..0x%08x  used %u of %u bytes, free %lld\n", r->name,
               (unsigned)r->origin, (unsigned)(r->origin + r->length - 1), (unsigned)ru->used,
               (unsigned)r->length, free_bytes);
        for (size_t k = 0; k < ru->n_placed; k++) {
            const struct h7_elf_section *s = ru->placed[k].section;
            if (!s->size)
                continue;
            if (ru->placed[k].load_image)
                printf("  %-24s 0x%08x %10u  %-6s load image (runs at 0x%08x)\n", s->name,
                       (unsigned)s->lma, (unsigned)s->size, h7_mem_kind_name(h7_mem_kind_of(s)),
                       (unsigned)s->addr);
            else
                printf("  %-24s 0x%08x %10u  %s\n", s->name, (unsigned)s->addr,
                       (unsigned)s->size, h7_mem_kind_name(h7_mem_kind_of(s)));
        }
        for (size_t k = 0; k < ru->n_symbols && k < top; k++) {
            const struct h7_elf_symbol *y = ru->symbols[k];
            printf("    %-28s 0x%08x %10u  %s%s%s\n", y->name, (unsigned)y->addr,
                   (unsigned)y->size, y->func ? "function" : "object", y->file[0] ? "  " : "",
                   y->file);
        }
    }
    char w[256];
    for (size_t k = 0; k < n_warnings(u); k++) {
        warning_text(u, k, w, sizeof w);
        printf("\nwarning: %s", w);
    }
    printf("\n");
}

static void print_json(const struct h7_mem_input *in, size_t top, bool all)
{
    const struct h7_mem_usage *u = &in->usage;
    printf("{\"format\":1,\"board\":");
    h7_json_string(stdout, in->board.name);
    printf(",\"elf\":");
    h7_json_string(stdout, in->elf_path);
    printf(",\"memory\":");
    h7_json_string(stdout, in->memory_from ? in->memory_from : "board");
    printf(",\"regions\":[");
    bool first = true;
    for (size_t i = 0; i < u->n_regions; i++) {
        const struct h7_mem_region_use *ru = &u->regions[i];
        const struct h7_region *r = ru->region;
        if (!all && !ru->used)
            continue;
        printf("%s\n {\"name\":", first ? "" : ",");
        first = false;
        h7_json_string(stdout, r->name);
        printf(",\"origin\":%u,\"length\":%u,\"used\":%u,\"free\":%lld,\"sections\":[",
               (unsigned)r->origin, (unsigned)r->length, (unsigned)ru->used,
               (long long)r->length - ru->used);
        bool f2 = true;
        for (size_t k = 0; k < ru->n_placed; k++) {
            const struct h7_elf_section *s = ru->placed[k].section;
            if (!s->size)
                continue;
            printf("%s\n  {\"name\":", f2 ? "" : ",");
            f2 = false;
            h7_json_string(stdout, s->name);
            printf(",\"addr\":%u,\"lma\":%u,\"size\":%u,\"kind\":\"%s\",\"load_image\":%s}",
                   (unsigned)s->addr, (unsigned)s->lma, (unsigned)s->size,
                   h7_mem_kind_name(h7_mem_kind_of(s)),
                   ru->placed[k].load_image ? "true" : "false");
        }
        printf("],\"symbols\":[");
        for (size_t k = 0; k < ru->n_symbols && k < top; k++) {
            const struct h7_elf_symbol *y = ru->symbols[k];
            printf("%s\n  {\"name\":", k ? "," : "");
            h7_json_string(stdout, y->name);
            printf(",\"addr\":%u,\"size\":%u,\"type\":\"%s\",\"file\":", (unsigned)y->addr,
                   (unsigned)y->size, y->func ? "function" : "object");
            h7_json_string(stdout, y->file);
            printf("}");
        }
        printf("]}");
    }
    printf("],\n\"warnings\":[");
    char w[256];
    for (size_t k = 0; k < n_warnings(u); k++) {
        warning_text(u, k, w, sizeof w);
        printf("%s", k ? "," : "");
        h7_json_string(stdout, w);
    }
    printf("]}\n");
}

/* The map file: the one given, or APP.map beside APP.elf when it exists (libDaisy's Makefile
 * and h7_firmware_executable both write one there), else NULL. */
static const char *map_file(const char *elf, const char *map, char *guess, size_t cap)
{
    if (map)
        return map;
    size_t n = strlen(elf);
    if (n > 4 && !strcmp(elf + n - 4, ".elf"))
        n -= 4;
    if (n + 5 > cap)
        return NULL;
    memcpy(guess, elf, n);
    memcpy(guess + n, ".map", 5);
    FILE *f = fopen(guess, "r");
    if (!f)
        return NULL;
    fclose(f);
    return guess;
}

/* Object files of the symbols from the map file. */
static int annotate(struct h7_mem_input *in, const char *map)
{
    char err[512];
    if (!map)
        return 0;
    if (h7_mapfile_annotate(map, &in->elf, err, sizeof err) < 0) {
        fprintf(stderr, "h7boot report: %s\n", err);
        return -1;
    }
    return 0;
}

int h7_cmd_report(int argc, char **argv)
{
    const char *elf = NULL, *board = NULL, *svg = NULL, *map = NULL, *script = NULL;
    bool json = false, summary = false, all = false;
    size_t top = 5;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h"))
            return usage(stdout);
        else if (!strcmp(a, "--board") && i + 1 < argc)
            board = argv[++i];
        else if (!strcmp(a, "--map") && i + 1 < argc)
            map = argv[++i];
        else if (!strcmp(a, "--script") && i + 1 < argc)
            script = argv[++i];
        else if (!strcmp(a, "--svg") && i + 1 < argc)
            svg = argv[++i];
        else if (!strcmp(a, "--top") && i + 1 < argc) {
            char *end;
            errno = 0;
            unsigned long v = strtoul(argv[++i], &end, 10);
            if (errno || *end || end == argv[i] || v > 100000) {
                fprintf(stderr, "h7boot report: --top wants a number, got '%s'\n", argv[i]);
                return H7_EXIT_USAGE;
            }
            top = v;
        } else if (!strcmp(a, "--json"))
            json = true;
        else if (!strcmp(a, "--summary"))
            summary = true;
        else if (!strcmp(a, "--all"))
            all = true;
        else if (a[0] == '-' || elf) {
            fprintf(stderr, "h7boot report: unexpected argument '%s'\n", a);
            return usage(stderr);
        } else
            elf = a;
    }
    if (!elf || !board) {
        fprintf(stderr, "h7boot report: %s\n", !elf ? "no ELF file given" : "--board is required");
        return usage(stderr);
    }
    struct h7_mem_input in;
    if (h7_mem_input_load(&in, "report", elf, board))
        return H7_EXIT_BAD_INPUT;
    int rc = H7_EXIT_OK;
    char guess[4096];
    map = map_file(elf, map, guess, sizeof guess);
    if (h7_mem_input_use_link_memory(&in, "report", script, map) || annotate(&in, map))
        rc = H7_EXIT_BAD_INPUT;
    else if (summary)
        h7_mem_print_ld_table(stdout, &in.usage);
    else if (json)
        print_json(&in, top, all);
    else
        print_text(&in, top, all);
    if (svg) {
        FILE *f = fopen(svg, "w");
        if (!f) {
            fprintf(stderr, "h7boot report: %s: %s\n", svg, strerror(errno));
            rc = H7_EXIT_BAD_INPUT;
        } else {
            char title[160];
            snprintf(title, sizeof title, "%s on %s", elf, in.board.name);
            h7_svg_map_write(f, title, &in.usage, all);
            if (fclose(f)) {
                fprintf(stderr, "h7boot report: %s: %s\n", svg, strerror(errno));
                rc = H7_EXIT_BAD_INPUT;
            }
        }
    }
    h7_mem_input_free(&in);
    return rc;
}
