/*
 * cli_io.h — the CLI's guards on what it reads and writes (issue 16): every input has a size
 * limit (`inspect /dev/zero` stops with an error instead of eating memory), names from input
 * files are printed with control characters escaped (no terminal escape codes from an image's
 * name), and a failed write to standard output or a file is an error with a non-zero exit.
 */
#ifndef H7_CLI_IO_H
#define H7_CLI_IO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Images, .dfu and .bin files: far above any slot (the Daisy's QSPI is 8 MB). */
#define H7_CLI_IMAGE_MAX (64u << 20)
/* ELF files read by report/check: a Cortex-M program with full debug info stays far below. */
#define H7_CLI_ELF_MAX (512u << 20)
/* Text inputs: placement files, ld map files. */
#define H7_CLI_TEXT_MAX (1u << 20)
#define H7_CLI_MAP_MAX (256u << 20)

/* Read at most `max` bytes of path (malloc'd, caller frees; one spare NUL byte after the end).
 * NULL with "PATH: reason" in err when it cannot be opened or read, or is larger than max. */
uint8_t *cli_read_limited(const char *path, size_t max, size_t *len, char *err, size_t errlen);

/* For readers that take a descriptor or a FILE (libelf, line readers): 0 when fd is a regular
 * file of at most max bytes, else -1 with "PATH: reason" in err (a device such as /dev/zero,
 * a pipe, a file too large). */
int cli_check_input(int fd, const char *path, size_t max, char *err, size_t errlen);

/* s[0..len) (len (size_t)-1: up to the NUL) as printable text in buf: control characters
 * (0x00-0x1f, 0x7f) and backslashes as \xNN, truncated to fit n bytes. Returns buf. */
const char *cli_escape(const void *s, size_t len, char *buf, size_t n);

/* Flush standard output and report a failed write (full disk, closed pipe, /dev/full):
 * returns `rc` when all output went out, else prints "h7boot CMD: standard output: reason" and
 * returns 1 (H7_EXIT_BAD_INPUT) when rc was 0. main() calls it after every command. */
int cli_finish_stdout(const char *cmd, int rc);

#endif
