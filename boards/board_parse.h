/*
 * board_parse.h — read a board description (docs/boards.md) into a struct h7_board.
 *
 * One parser for every tool. It allocates nothing: the result lives in the caller's struct.
 */
#ifndef H7_BOARD_PARSE_H
#define H7_BOARD_PARSE_H

#include "h7/board.h"

/*
 * Parse the text [text, text+len) of a board file. `filename` is used in error messages only.
 * Returns 0 on success. On failure returns -1, and `err` (if not NULL) holds a message of the
 * form "FILE:LINE: what is wrong" (truncated to errlen bytes, always NUL-terminated).
 *
 * Checks: known keywords and attributes, well-formed numbers (0x.., decimal, K/M suffix),
 * no region wrapping past 4 GB, no two overlapping regions, every reserve/slot/word inside one
 * region, flash attributes only on flash regions, a board name and at least one region.
 */
int h7_board_parse(const char *text, size_t len, const char *filename, struct h7_board *out,
                   char *err, size_t errlen);

/*
 * Load a board by name or path (host only). `spec` is either a path to a .board file (contains
 * a '/' or ends in ".board") or a built-in board name (looked up in the boards compiled into the
 * tool, then in $H7BOOT_BOARDS/NAME.board). Same error convention as h7_board_parse.
 */
int h7_board_load(const char *spec, struct h7_board *out, char *err, size_t errlen);

/* The boards compiled into the host tools (generated from the boards/ files by `boardgen embed`),
 * ended by an entry whose name is NULL. */
struct h7_builtin_board {
    const char *name;
    const char *text;
};
extern const struct h7_builtin_board h7_builtin_boards[];

#endif
