/*
 * image_cli.c — shared helpers of `h7boot pack` and `h7boot inspect` (image_cli.h).
 */
#include "image_cli.h"
#include "cli_io.h"

#include "h7_image.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int cli_u32(const char *s, uint32_t *out)
{
    char *end;
    if (!s || !*s || *s == '-')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end || v > 0xFFFFFFFFull)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

uint8_t *cli_read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    return cli_read_limited(path, H7_CLI_IMAGE_MAX, len, err, errlen);
}

int cli_write_file(const char *path, const void *data, size_t len, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* a device or pipe (/dev/stdout, a symlink to one): written in place, never replaced
         * by a renamed file; a failed write is still an error */
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(data, 1, len, f) != len || fflush(f)) {
            snprintf(err, errlen, "%s: write failed: %s", path, strerror(errno));
            if (f)
                fclose(f);
            return -1;
        }
        if (fclose(f)) {
            snprintf(err, errlen, "%s: write failed: %s", path, strerror(errno));
            return -1;
        }
        return 0;
    }
    size_t tlen = strlen(path) + 16;
    char *tmp = malloc(tlen);
    snprintf(tmp, tlen, "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
        free(tmp);
        return -1;
    }
    int bad = fwrite(data, 1, len, f) != len;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path)) {
        snprintf(err, errlen, "%s: write failed: %s", path, strerror(errno));
        remove(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}

int cli_slot(const struct h7_board *board, const uint32_t *addr, struct h7_range *slot, char *err,
             size_t errlen)
{
    const struct h7_range *app = h7_board_range(board, H7_RANGE_SLOT, "APP");
    if (!addr) {
        if (!app) {
            snprintf(err, errlen, "board %s has no 'slot APP': pass --slot ADDR", board->name);
            return -1;
        }
        *slot = *app;
        return 0;
    }
    memset(slot, 0, sizeof *slot);
    snprintf(slot->name, sizeof slot->name, "%s", "APP");
    slot->kind = H7_RANGE_SLOT;
    slot->origin = *addr;
    if (app && *addr >= app->origin && *addr < app->origin + (uint64_t)app->length) {
        slot->length = app->origin + app->length - *addr;
    } else {
        const struct h7_region *r = h7_board_region_at(board, *addr, 1);
        if (!r || !(r->flags & H7_REGION_XIP)) {
            snprintf(err, errlen,
                     "--slot 0x%08x: not in a memory-mapped (xip) flash region of board %s", *addr,
                     board->name);
            return -1;
        }
        slot->length = (uint32_t)((uint64_t)r->origin + r->length - *addr);
    }
    const struct h7_range *res = h7_board_reserved_overlap(board, slot->origin, 1);
    if (res) {
        snprintf(err, errlen, "--slot 0x%08x: inside the reserved range %s (0x%08x..0x%08x)", *addr,
                 res->name, res->origin, res->origin + res->length - 1);
        return -1;
    }
    if (slot->origin % 4) {
        snprintf(err, errlen, "--slot 0x%08x: not 4-byte aligned", *addr);
        return -1;
    }
    return 0;
}

int cli_board_with_slot_at(uint32_t addr, struct h7_board *board)
{
    for (const struct h7_builtin_board *bb = h7_builtin_boards; bb->name; bb++) {
        if (h7_board_load(bb->name, board, NULL, 0))
            continue;
        const struct h7_range *app = h7_board_range(board, H7_RANGE_SLOT, "APP");
        if (app && app->origin == addr)
            return 0;
    }
    return -1;
}

const char *cli_region_name(const struct h7_board *board, uint32_t addr, uint32_t len)
{
    const struct h7_region *r = h7_board_region_at(board, addr, len);
    return r ? r->name : "no region";
}

int cli_has_ext(const char *s, const char *ext)
{
    size_t n = strlen(s), e = strlen(ext);
    return n > e && !strcmp(s + n - e, ext);
}

struct mem_view {
    const uint8_t *buf;
    size_t len;
};

static int read_view(void *ctx, uint32_t off, void *out, uint32_t n)
{
    const struct mem_view *v = ctx;
    if (off > v->len || n > v->len - off)
        return -1;
    memcpy(out, v->buf + off, n);
    return 0;
}

int cli_locate(const struct h7_board *board, uint32_t slot_len, const uint8_t *buf, size_t len,
               uint32_t *header_offset)
{
    struct mem_view v = {buf, len};
    *header_offset = 0;
    uint32_t n = len < slot_len ? (uint32_t)len : slot_len;
    if (n < H7_IMAGE_HEADER_SIZE)
        return h7_image_has_magic(buf, len) ? H7_IMAGE_FOUND_HEADER : H7_IMAGE_FOUND_NOTHING;
    int rc = h7_image_locate(board, n, read_view, &v, header_offset);
    return rc < 0 ? H7_IMAGE_FOUND_NOTHING : rc;
}
