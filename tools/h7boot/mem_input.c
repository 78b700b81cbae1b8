/*
 * mem_input.c — load the board and the ELF file for report and check.
 */
#include "mem_input.h"

#include <stdio.h>
#include <string.h>

#include "board_parse.h"

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
    if (h7_mem_usage_compute(&in->board, &in->elf, &in->usage)) {
        fprintf(stderr, "h7boot %s: out of memory\n", cmd);
        h7_elf_free(&in->elf);
        return -1;
    }
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
