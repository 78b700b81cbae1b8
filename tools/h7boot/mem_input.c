/*
 * mem_input.c — load the board and the ELF file for report and check.
 */
#include "mem_input.h"

#include <stdio.h>
#include <string.h>

#include "board_parse.h"
#include "mem_demangle.h"
#include "mem_ldmemory.h"
#include "mem_mapfile.h"

int h7_mem_input_load(struct h7_mem_input *in, const char *cmd, const char *elf_path,
                      const char *board_spec)
{
    char err[512];
    memset(in, 0, sizeof *in);
    in->elf_path = elf_path;
    if (h7_board_load(board_spec, &in->board, err, sizeof err)) {
        fprintf(stderr, "h7boot %s: %s\n", cmd, err);
        return -1;
    }
    if (h7_elf_load(elf_path, &in->elf, err, sizeof err)) {
        fprintf(stderr, "h7boot %s: %s\n", cmd, err);
        return -1;
    }
    /* ELF files the tools cannot describe are errors, not "no findings": a file cut short
     * (libelf reads the headers it has), or one built for another machine. */
    if (!in->elf.n_sections) {
        fprintf(stderr, "h7boot %s: %s: no allocated sections (truncated or not a linked "
                        "program?)\n", cmd, elf_path);
        h7_elf_free(&in->elf);
        return -1;
    }
    h7_demangle_symbols(&in->elf);
    if (h7_mem_usage_compute(&in->board, &in->elf, &in->usage)) {
        fprintf(stderr, "h7boot %s: out of memory\n", cmd);
        h7_elf_free(&in->elf);
        return -1;
    }
    return 0;
}

int h7_mem_input_use_link_memory(struct h7_mem_input *in, const char *cmd, const char *script,
                                 const char *map)
{
    char err[512];
    struct h7_ld_memory m;
    const char *from = script ? script : map;
    if (!from)
        return 0;
    int rc = script ? h7_ld_memory_from_script(script, &m, err, sizeof err)
                    : h7_ld_memory_from_map(map, &m, err, sizeof err);
    /* ld's script order, for its region pointers (mem_usage.h) */
    if (rc >= 0 && map && h7_mapfile_section_order(map, &in->elf, err, sizeof err) < 0)
        rc = -1;
    if (rc < 0) {
        fprintf(stderr, "h7boot %s: %s\n", cmd, err);
        return -1;
    }
    if (rc == 0) {
        if (script) {
            fprintf(stderr, "h7boot %s: %s: no MEMORY regions in this script\n", cmd, script);
            return -1;
        }
        return 0; /* linked without MEMORY: the board's regions are the best description */
    }
    h7_ld_memory_board(&in->board, &m, &in->link_board);
    struct h7_mem_usage u;
    if (h7_mem_usage_compute(&in->link_board, &in->elf, &u)) {
        fprintf(stderr, "h7boot %s: out of memory\n", cmd);
        return -1;
    }
    h7_mem_usage_free(&in->usage);
    in->usage = u;
    in->memory_from = from;
    return 0;
}

void h7_mem_input_free(struct h7_mem_input *in)
{
    h7_mem_usage_free(&in->usage);
    h7_elf_free(&in->elf);
}

void h7_json_string(FILE *o, const char *s)
{
    fputc('"', o);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(o, "\\%c", c);
        else if (c < 0x20)
            fprintf(o, "\\u%04x", c);
        else
            fputc(c, o);
    }
    fputc('"', o);
}
