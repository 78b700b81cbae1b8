/*
 * image_cli.h — helpers shared by `h7boot pack` and `h7boot inspect`: numbers, files, boards
 * and slots.
 */
#ifndef H7BOOT_IMAGE_CLI_H
#define H7BOOT_IMAGE_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "board_parse.h"

/* Format a message into err (errlen bytes, NUL-terminated; err may be NULL) and return -1: the
 * error convention of the pack/inspect helpers. */
int cli_fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Parse "0x..." or decimal into 32 bits; 0 on success. */
int cli_u32(const char *s, uint32_t *out);

/* Read a whole file (malloc'd; caller frees). NULL with "PATH: reason" in err on failure. */
uint8_t *cli_read_file(const char *path, size_t *len, char *err, size_t errlen);

/* Write a whole file through a temporary name and rename(), so a failed run never leaves a
 * half-written output behind. 0 on success, -1 with "PATH: reason" in err. */
int cli_write_file(const char *path, const void *data, size_t len, char *err, size_t errlen);

/*
 * The slot to pack for / inspect against. addr == NULL: the board's `slot APP`. Otherwise a
 * slot starting at *addr: inside the board's APP slot it ends where that slot ends; elsewhere
 * it must start in an `xip` flash region and ends at the region's end. The result never
 * overlaps a reserved range. Returns 0, or -1 with a message in err.
 */
int cli_slot(const struct h7_board *board, const uint32_t *addr, struct h7_range *slot, char *err,
             size_t errlen);

/* The built-in board whose APP slot starts at addr (first found), loaded into *board. */
int cli_board_with_slot_at(uint32_t addr, struct h7_board *board);

/*
 * Where the header of the image in buf (the slot's bytes from its start, len of them) is, by
 * the bootloader's own rule (h7_image_locate over the first min(len, slot_len) bytes). Returns
 * H7_IMAGE_FOUND_HEADER with *header_offset, H7_IMAGE_FOUND_RAW or H7_IMAGE_FOUND_NOTHING.
 */
int cli_locate(const struct h7_board *board, uint32_t slot_len, const uint8_t *buf, size_t len,
               uint32_t *header_offset);

/* The name of the region holding [addr, addr+len), or "no region". */
const char *cli_region_name(const struct h7_board *board, uint32_t addr, uint32_t len);

/* True when s ends with ext (and has a name before it): file kinds come from the name. */
int cli_has_ext(const char *s, const char *ext);

#endif /* H7BOOT_IMAGE_CLI_H */
