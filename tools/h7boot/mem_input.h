/*
 * mem_input.h — what `report` and `check` both start from: a board, an ELF file and the usage
 * of the one on the other.
 */
#ifndef H7_MEM_INPUT_H
#define H7_MEM_INPUT_H

#include "elf_sections.h"
#include "h7/board.h"
#include "mem_usage.h"

struct h7_mem_input {
    const char *elf_path;
    struct h7_board board;
    struct h7_elf elf;
    struct h7_mem_usage usage;
    /* After h7_mem_input_use_link_memory: the board with the link's MEMORY regions, which
     * `usage` is then computed against, and the file they were read from. */
    struct h7_board link_board;
    const char *memory_from;
};

/* Load board `board_spec` and ELF `elf_path` and compute the usage. Prints a message naming the
 * file to stderr (prefixed with `cmd`) and returns -1 on failure. */
int h7_mem_input_load(struct h7_mem_input *in, const char *cmd, const char *elf_path,
                      const char *board_spec);
void h7_mem_input_free(struct h7_mem_input *in);

/* Count usage per MEMORY region of the link instead of per board region: regions read from
 * linker script `script` when given, else from map file `map` (NULL: none). A map without
 * MEMORY regions keeps the board's. Returns 0, or -1 after a message (prefixed with `cmd`). */
int h7_mem_input_use_link_memory(struct h7_mem_input *in, const char *cmd, const char *script,
                                 const char *map);

/* Write `s` as a JSON string (with quotes). */
void h7_json_string(FILE *out, const char *s);

#endif
