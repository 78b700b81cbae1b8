/*
 * mem_ldmemory.c — MEMORY regions from a GNU ld map file or linker script (mem_ldmemory.h).
 *
 * A map file's "Memory Configuration" part, as ld 2.40 writes it:
 *     Name             Origin             Length             Attributes
 *     SRAM             0x24000000         0x00078000         xrw
 *     *default*        0x00000000         0xffffffff
 * followed by a blank line and "Linker script and memory map". *default* is ld's catch-all
 * (sections outside every region), never printed in its usage table.
 */
#include "cli_io.h"
#include "mem_ldmemory.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(char *err, size_t errlen, const char *path, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(err, errlen, "%s: %s", path, msg);
    return -1;
}

/* Region flags from ld attributes: w = RAM, x = executable, no w = flash. Letters after '!'
 * are the attributes a section must NOT have to land there: they say nothing about the memory. */
static uint32_t flags_of(const char *attrs)
{
    uint32_t f = 0;
    for (const char *a = attrs; *a && *a != '!'; a++) {
        if (*a == 'w' || *a == 'W')
            f |= H7_REGION_RAM;
        if (*a == 'x' || *a == 'X')
            f |= H7_REGION_EXEC;
    }
    return f & H7_REGION_RAM ? f : f | H7_REGION_FLASH;
}

static int add_region(struct h7_ld_memory *m, const char *name, uint64_t origin, uint64_t length,
                      const char *attrs, const char *path, char *err, size_t errlen)
{
    if (m->n == H7_BOARD_MAX_REGIONS)
        return fail(err, errlen, path, "more than %d MEMORY regions", H7_BOARD_MAX_REGIONS);
    if (strlen(name) >= sizeof m->regions[0].name)
        return fail(err, errlen, path, "MEMORY region name '%s' is too long", name);
    if (origin > UINT32_MAX || length > UINT32_MAX || origin + length > (1ull << 32))
        return fail(err, errlen, path, "MEMORY region %s does not fit 32-bit addresses", name);
    struct h7_region *r = &m->regions[m->n++];
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", name);
    r->origin = (uint32_t)origin;
    r->length = (uint32_t)length;
    r->flags = flags_of(attrs);
    return 0;
}

static bool hex64(const char *s, uint64_t *v)
{
    char *end;
    if (strncmp(s, "0x", 2))
        return false;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 16);
    if (errno || *end || end == s + 2)
        return false;
    *v = x;
    return true;
}

int h7_ld_memory_from_map(const char *path, struct h7_ld_memory *m, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    FILE *f = fopen(path, "r");
    if (!f)
        return fail(err, errlen, path, "%s", strerror(errno));
    if (cli_check_input(fileno(f), path, H7_CLI_MAP_MAX, err, errlen)) {
        fclose(f);
        return -1;
    }
    char line[1024];
    enum { BEFORE, HEADER, REGIONS, DONE } state = BEFORE;
    bool is_map = false;
    int rc = 0;
    while (rc == 0 && state != DONE && fgets(line, sizeof line, f)) {
        if (!strncmp(line, "Linker script and memory map", 28)) {
            is_map = true;
            break;
        }
        if (state == BEFORE) {
            if (!strncmp(line, "Memory Configuration", 20))
                state = HEADER, is_map = true;
            continue;
        }
        char *tok[5];
        int nt = 0;
        for (char *save = NULL, *t = strtok_r(line, " \t\r\n", &save); t && nt < 5;
             t = strtok_r(NULL, " \t\r\n", &save))
            tok[nt++] = t;
        if (state == HEADER) {
            if (nt >= 3 && !strcmp(tok[0], "Name") && !strcmp(tok[1], "Origin"))
                state = REGIONS;
            continue;
        }
        if (nt == 0)
            state = DONE;
        else if (!strcmp(tok[0], "*default*"))
            continue;
        else {
            uint64_t origin, length;
            if (nt < 3 || nt > 4 || !hex64(tok[1], &origin) || !hex64(tok[2], &length))
                rc = fail(err, errlen, path, "unreadable Memory Configuration line for '%s'",
                          tok[0]);
            else
                rc = add_region(m, tok[0], origin, length, nt == 4 ? tok[3] : "", path, err,
                                errlen);
        }
    }
    fclose(f);
    if (rc)
        return -1;
    if (!is_map)
        return fail(err, errlen, path, "not a GNU ld map file (no 'Memory Configuration')");
    return m->n > 0;
}

/* ---- linker scripts -------------------------------------------------------------------- */

struct lex {
    const char *s;
    const char *path;
    const struct h7_ld_memory *m;
    char *err;
    size_t errlen;
    bool failed;
};

static void skip_space(struct lex *x)
{
    for (;;) {
        while (isspace((unsigned char)*x->s))
            x->s++;
        if (x->s[0] == '/' && x->s[1] == '*') {
            const char *end = strstr(x->s + 2, "*/");
            x->s = end ? end + 2 : x->s + strlen(x->s);
        } else {
            return;
        }
    }
}

/* A name: letters, digits and ld's name characters (._$). */
static size_t word(struct lex *x, char *out, size_t cap)
{
    skip_space(x);
    size_t n = 0;
    while (isalnum((unsigned char)x->s[n]) || (x->s[n] && strchr("._$", x->s[n])))
        n++;
    if (!n || n >= cap)
        return 0;
    memcpy(out, x->s, n);
    out[n] = '\0';
    x->s += n;
    return n;
}

static bool eat(struct lex *x, char c)
{
    skip_space(x);
    if (*x->s != c)
        return false;
    x->s++;
    return true;
}

static uint64_t syntax(struct lex *x, const char *what)
{
    if (!x->failed)
        fail(x->err, x->errlen, x->path, "MEMORY: %s near '%.20s'", what, x->s);
    x->failed = true;
    return 0;
}

static uint64_t expr(struct lex *x);

static uint64_t factor(struct lex *x)
{
    skip_space(x);
    if (eat(x, '(')) {
        uint64_t v = expr(x);
        return eat(x, ')') ? v : syntax(x, "')' expected");
    }
    if (eat(x, '-'))
        return -factor(x);
    if (isdigit((unsigned char)*x->s)) {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(x->s, &end, 0);
        if (errno)
            return syntax(x, "number too large");
        if (*end == 'K' || *end == 'k')
            v <<= 10, end++;
        else if (*end == 'M' || *end == 'm')
            v <<= 20, end++;
        x->s = end;
        return v;
    }
    char name[64];
    if (word(x, name, sizeof name) && (!strcmp(name, "ORIGIN") || !strcmp(name, "LENGTH"))) {
        char region[64];
        if (!eat(x, '(') || !word(x, region, sizeof region) || !eat(x, ')'))
            return syntax(x, "ORIGIN(REGION) or LENGTH(REGION) expected");
        for (size_t i = 0; i < x->m->n; i++)
            if (!strcmp(x->m->regions[i].name, region))
                return name[0] == 'O' ? x->m->regions[i].origin : x->m->regions[i].length;
        return syntax(x, "a region used before it is defined");
    }
    return syntax(x, "a number expected");
}

static uint64_t term(struct lex *x)
{
    uint64_t v = factor(x);
    for (;;) {
        if (eat(x, '*'))
            v *= factor(x);
        else if (eat(x, '/')) {
            uint64_t d = factor(x);
            v = d ? v / d : syntax(x, "division by zero");
        } else
            return v;
    }
}

static uint64_t expr(struct lex *x)
{
    uint64_t v = term(x);
    for (;;) {
        if (eat(x, '+'))
            v += term(x);
        else if (eat(x, '-'))
            v -= term(x);
        else
            return v;
    }
}

/* "ORIGIN = e" (also org, o) or "LENGTH = e" (also len, l). */
static bool assignment(struct lex *x, bool origin, uint64_t *v)
{
    char key[16];
    if (!word(x, key, sizeof key))
        return false;
    bool ok = origin ? !strcmp(key, "ORIGIN") || !strcmp(key, "org") || !strcmp(key, "o")
                     : !strcmp(key, "LENGTH") || !strcmp(key, "len") || !strcmp(key, "l");
    if (!ok || !eat(x, '='))
        return false;
    *v = expr(x);
    return !x->failed;
}

int h7_ld_memory_parse_script(const char *text, const char *path, struct h7_ld_memory *m,
                              char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    struct lex x = {text, path, m, err, errlen, false};
    /* find the MEMORY command: a word MEMORY followed by '{' */
    for (;;) {
        skip_space(&x);
        if (!*x.s)
            return 0;
        char w[64];
        if (word(&x, w, sizeof w)) {
            if (!strcmp(w, "MEMORY") && eat(&x, '{'))
                break;
        } else {
            x.s++;
        }
    }
    while (!eat(&x, '}')) {
        char name[64], attrs[16] = "";
        if (!word(&x, name, sizeof name))
            return *x.s ? (syntax(&x, "region name expected"), -1)
                        : fail(err, errlen, path, "MEMORY: '}' missing");
        if (eat(&x, '(')) {
            size_t n = 0;
            while (*x.s && *x.s != ')' && n + 1 < sizeof attrs)
                attrs[n++] = *x.s++;
            attrs[n] = '\0';
            if (!eat(&x, ')'))
                return syntax(&x, "')' expected after the attributes"), -1;
        }
        uint64_t origin, length;
        bool ok = eat(&x, ':') && assignment(&x, true, &origin);
        if (ok)
            eat(&x, ','); /* the comma between ORIGIN and LENGTH is optional */
        if (!ok || !assignment(&x, false, &length)) {
            syntax(&x, "'NAME (ATTR) : ORIGIN = expr, LENGTH = expr' expected");
            return -1;
        }
        if (add_region(m, name, origin, length, attrs, path, err, errlen))
            return -1;
        eat(&x, ',');
    }
    return m->n > 0;
}

int h7_ld_memory_from_script(const char *path, struct h7_ld_memory *m, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(err, errlen, path, "%s", strerror(errno));
    if (cli_check_input(fileno(f), path, H7_CLI_TEXT_MAX, err, errlen)) {
        fclose(f);
        return -1;
    }
    size_t cap = 1 << 16, n = 0;
    char *text = malloc(cap + 1);
    while (text && !ferror(f) && !feof(f)) {
        n += fread(text + n, 1, cap - n, f);
        if (n == cap) {
            char *t = cap < (16u << 20) ? realloc(text, (cap *= 2) + 1) : NULL;
            if (!t)
                free(text);
            text = t;
        }
    }
    bool bad = !text || ferror(f);
    fclose(f);
    if (bad) {
        free(text);
        return fail(err, errlen, path, text ? "read error" : "too large or out of memory");
    }
    text[n] = '\0';
    int rc = h7_ld_memory_parse_script(text, path, m, err, errlen);
    free(text);
    return rc;
}

void h7_ld_memory_board(const struct h7_board *board, const struct h7_ld_memory *m,
                        struct h7_board *out)
{
    memcpy(out->name, board->name, sizeof out->name);
    memcpy(out->cpu, board->cpu, sizeof out->cpu);
    out->n_regions = (uint32_t)m->n;
    memcpy(out->regions, m->regions, m->n * sizeof m->regions[0]);
    out->n_ranges = 0;
    for (uint32_t i = 0; i < board->n_ranges; i++) {
        struct h7_range g = board->ranges[i];
        const struct h7_region *r = h7_board_region_at(out, g.origin, g.length);
        if (g.region >= 0 && !r)
            continue;
        g.region = r ? (int8_t)(r - out->regions) : -1;
        out->ranges[out->n_ranges++] = g;
    }
}
