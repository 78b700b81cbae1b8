/*
 * board_load.c — find a board by name or path and parse it (host tools only).
 */
#include "board_parse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BOARD_FILE_MAX (64 * 1024)

static int load_file(const char *path, struct h7_board *out, char *err, size_t errlen)
{
    static char buf[BOARD_FILE_MAX];
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open board file: %s", path, strerror(errno));
        return -1;
    }
    size_t n = fread(buf, 1, sizeof buf, f);
    bool too_big = n == sizeof buf && fgetc(f) != EOF;
    bool bad = ferror(f);
    fclose(f);
    if (bad || too_big) {
        snprintf(err, errlen, "%s: %s", path, bad ? "read error" : "board file larger than 64 KB");
        return -1;
    }
    return h7_board_parse(buf, n, path, out, err, errlen);
}

int h7_board_load(const char *spec, struct h7_board *out, char *err, size_t errlen)
{
    size_t n = strlen(spec);
    if (strchr(spec, '/') || (n > 6 && strcmp(spec + n - 6, ".board") == 0))
        return load_file(spec, out, err, errlen);
    for (const struct h7_builtin_board *b = h7_builtin_boards; b->name; b++)
        if (strcmp(b->name, spec) == 0)
            return h7_board_parse(b->text, strlen(b->text), b->name, out, err, errlen);
    const char *dir = getenv("H7BOOT_BOARDS");
    if (dir) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.board", dir, spec);
        FILE *f = fopen(path, "rb");
        if (f) {
            fclose(f);
            return load_file(path, out, err, errlen);
        }
    }
    int k = snprintf(err, errlen, "unknown board '%s' (built in:", spec);
    for (const struct h7_builtin_board *b = h7_builtin_boards; b->name && k > 0; b++)
        if ((size_t)k < errlen)
            k += snprintf(err + k, errlen - (size_t)k, " %s", b->name);
    if (k > 0 && (size_t)k < errlen)
        snprintf(err + k, errlen - (size_t)k, "; or give a path to a .board file)");
    return -1;
}
