/*
 * cli_io.c — input limits, escaped names and checked output for the h7boot CLI (cli_io.h).
 */
#include "cli_io.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"

int cli_check_input(int fd, const char *path, size_t max, char *err, size_t errlen)
{
    struct stat st;
    if (fstat(fd, &st)) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", path);
        return -1;
    }
    if ((uint64_t)st.st_size > max) {
        snprintf(err, errlen, "%s: %llu bytes, more than the %zu this command reads", path,
                 (unsigned long long)st.st_size, max);
        return -1;
    }
    return 0;
}

uint8_t *cli_read_limited(const char *path, size_t max, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    /* Read in growing steps, never past max + 1 bytes (the byte that says "too large"):
     * devices and pipes have no size to check beforehand. */
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = NULL;
    for (;;) {
        uint8_t *nb = realloc(buf, cap + 1);
        if (!nb) {
            snprintf(err, errlen, "%s: out of memory", path);
            goto fail;
        }
        buf = nb;
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap || cap > max)
            break;
        cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
    }
    if (ferror(f)) {
        snprintf(err, errlen, "%s: read error: %s", path, strerror(errno));
        goto fail;
    }
    if (n > max) {
        snprintf(err, errlen, "%s: larger than %zu bytes, the most this command reads", path, max);
        goto fail;
    }
    fclose(f);
    buf[n] = 0;
    *len = n;
    return buf;
fail:
    fclose(f);
    free(buf);
    return NULL;
}

const char *cli_escape(const void *s, size_t len, char *buf, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = s;
    size_t o = 0;
    if (!n)
        return buf;
    for (size_t i = 0; i < len && (len != (size_t)-1 || p[i]); i++) {
        unsigned char c = p[i];
        bool plain = c >= 0x20 && c != 0x7f && c != '\\';
        if (o + (plain ? 1 : 4) >= n)
            break;
        if (plain) {
            buf[o++] = (char)c;
        } else {
            buf[o++] = '\\';
            buf[o++] = 'x';
            buf[o++] = hex[c >> 4];
            buf[o++] = hex[c & 15];
        }
    }
    buf[o] = 0;
    return buf;
}

int cli_finish_stdout(const char *cmd, int rc)
{
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout))
        return rc;
    fprintf(stderr, "h7boot%s%s: standard output: %s\n", cmd ? " " : "", cmd ? cmd : "",
            errno ? strerror(errno) : "write error");
    return rc ? rc : H7_EXIT_BAD_INPUT;
}
