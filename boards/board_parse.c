/*
 * board_parse.c — the one parser for board description files (format: docs/boards.md).
 *
 * Line oriented: `#` starts a comment, words are separated by blanks. Every error names the
 * file and line. The parser fills a caller-provided struct and allocates nothing.
 */
#include "board_parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define LINE_WORDS_MAX 32

struct parser {
    const char *file;
    unsigned line;
    char *err;
    size_t errlen;
};

static int fail(struct parser *p, const char *fmt, ...)
{
    if (p->err && p->errlen) {
        int n = snprintf(p->err, p->errlen, "%s:%u: ", p->file, p->line);
        if (n >= 0 && (size_t)n < p->errlen) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return -1;
}

/* A word of the current line: pointer and length into the source text (not NUL-terminated). */
struct word {
    const char *s;
    size_t n;
};

static bool word_is(struct word w, const char *lit)
{
    size_t n = strlen(lit);
    return w.n == n && memcmp(w.s, lit, n) == 0;
}

/* Number: 0x hex or decimal, optional K or M (×1024, ×1024²). Result must fit in 32 bits. */
static int parse_number(struct parser *p, struct word w, const char *what, uint32_t *out)
{
    uint64_t v = 0;
    size_t i = 0;
    unsigned base = 10;
    if (w.n > 2 && w.s[0] == '0' && (w.s[1] == 'x' || w.s[1] == 'X')) {
        base = 16;
        i = 2;
    }
    size_t digits = 0;
    for (; i < w.n; i++, digits++) {
        char c = w.s[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (base == 16 && c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            break;
        v = v * base + d;
        if (v > 0xFFFFFFFFull)
            return fail(p, "%s '%.*s' does not fit in 32 bits", what, (int)w.n, w.s);
    }
    if (digits == 0)
        return fail(p, "bad number '%.*s' for %s", (int)w.n, w.s, what);
    if (i < w.n) {
        uint64_t mult = 0;
        if (i + 1 == w.n && w.s[i] == 'K')
            mult = 1024;
        else if (i + 1 == w.n && w.s[i] == 'M')
            mult = 1024 * 1024;
        if (!mult)
            return fail(p, "bad number '%.*s' for %s (use 0x hex or decimal, optional K or M)",
                        (int)w.n, w.s, what);
        v *= mult;
        if (v > 0xFFFFFFFFull)
            return fail(p, "%s '%.*s' does not fit in 32 bits", what, (int)w.n, w.s);
    }
    *out = (uint32_t)v;
    return 0;
}

static int copy_name(struct parser *p, struct word w, char dst[H7_BOARD_NAME_MAX])
{
    if (w.n == 0 || w.n >= H7_BOARD_NAME_MAX)
        return fail(p, "name '%.*s' must be 1 to %d characters", (int)w.n, w.s,
                    H7_BOARD_NAME_MAX - 1);
    for (size_t i = 0; i < w.n; i++) {
        char c = w.s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '-' || c == '.';
        if (!ok)
            return fail(p, "name '%.*s' may only hold letters, digits, '_', '-' and '.'",
                        (int)w.n, w.s);
    }
    memcpy(dst, w.s, w.n);
    dst[w.n] = '\0';
    return 0;
}

static const struct {
    const char *name;
    uint32_t bit;
} dma_names[] = {
    {"mdma", H7_DMA_MDMA},     {"dma1", H7_DMA_DMA1},     {"dma2", H7_DMA_DMA2},
    {"bdma", H7_DMA_BDMA},     {"sdmmc1", H7_DMA_SDMMC1}, {"sdmmc2", H7_DMA_SDMMC2},
    {"otg", H7_DMA_OTG},
};

static int parse_dma_list(struct parser *p, struct word v, uint32_t *out)
{
    size_t start = 0;
    *out = 0;
    while (start <= v.n) {
        size_t end = start;
        while (end < v.n && v.s[end] != ',')
            end++;
        struct word item = {v.s + start, end - start};
        size_t k;
        for (k = 0; k < sizeof dma_names / sizeof dma_names[0]; k++)
            if (word_is(item, dma_names[k].name))
                break;
        if (k == sizeof dma_names / sizeof dma_names[0])
            return fail(p, "unknown DMA master '%.*s' (known: mdma dma1 dma2 bdma sdmmc1 "
                           "sdmmc2 otg)",
                        (int)item.n, item.s);
        *out |= dma_names[k].bit;
        start = end + 1;
    }
    return 0;
}

static int parse_region_attr(struct parser *p, struct word a, struct h7_region *r)
{
    static const struct {
        const char *name;
        uint32_t flag;
    } flags[] = {
        {"ram", H7_REGION_RAM},   {"flash", H7_REGION_FLASH},
        {"exec", H7_REGION_EXEC}, {"cacheable", H7_REGION_CACHEABLE},
        {"load", H7_REGION_LOAD}, {"retained", H7_REGION_RETAINED},
        {"xip", H7_REGION_XIP},
    };
    for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++) {
        if (word_is(a, flags[k].name)) {
            r->flags |= flags[k].flag;
            return 0;
        }
    }
    const char *eq = memchr(a.s, '=', a.n);
    if (!eq)
        return fail(p, "unknown attribute '%.*s'", (int)a.n, a.s);
    struct word key = {a.s, (size_t)(eq - a.s)};
    struct word val = {eq + 1, a.n - key.n - 1};
    if (word_is(key, "speed")) {
        if (word_is(val, "tcm"))
            r->speed = H7_SPEED_TCM;
        else if (word_is(val, "fast"))
            r->speed = H7_SPEED_FAST;
        else if (word_is(val, "slow"))
            r->speed = H7_SPEED_SLOW;
        else
            return fail(p, "unknown speed '%.*s' (tcm, fast or slow)", (int)val.n, val.s);
        return 0;
    }
    if (word_is(key, "init")) {
        if (!word_is(val, "sdram"))
            return fail(p, "unknown init '%.*s' (sdram)", (int)val.n, val.s);
        r->init = H7_INIT_SDRAM;
        return 0;
    }
    if (word_is(key, "dma"))
        return parse_dma_list(p, val, &r->dma);
    if (word_is(key, "erase"))
        return parse_number(p, val, "erase size", &r->erase_size);
    if (word_is(key, "program"))
        return parse_number(p, val, "program size", &r->program_size);
    return fail(p, "unknown attribute '%.*s'", (int)key.n, key.s);
}

static bool is_pow2(uint32_t v) { return v && !(v & (v - 1)); }

static int check_region(struct parser *p, const struct h7_board *b, const struct h7_region *r)
{
    bool ram = r->flags & H7_REGION_RAM, flash = r->flags & H7_REGION_FLASH;
    if (ram == flash)
        return fail(p, "region %s must be exactly one of 'ram' or 'flash'", r->name);
    if (r->length == 0)
        return fail(p, "region %s has length 0", r->name);
    if ((uint64_t)r->origin + r->length > 0x100000000ull)
        return fail(p, "region %s runs past the end of the 4 GB address space", r->name);
    if (flash) {
        if (!is_pow2(r->erase_size) || !is_pow2(r->program_size))
            return fail(p, "flash region %s needs erase=SIZE and program=SIZE, powers of two",
                        r->name);
        if (r->origin % r->erase_size || r->length % r->erase_size)
            return fail(p, "flash region %s is not aligned to its erase size", r->name);
        if (r->flags & (H7_REGION_LOAD | H7_REGION_RETAINED) || r->init)
            return fail(p, "flash region %s cannot have 'load', 'retained' or 'init'", r->name);
    } else if (r->erase_size || r->program_size || (r->flags & H7_REGION_XIP)) {
        return fail(p, "'erase', 'program' and 'xip' are for flash regions, not %s", r->name);
    }
    for (uint32_t i = 0; i < b->n_regions; i++) {
        const struct h7_region *o = &b->regions[i];
        if (strcmp(o->name, r->name) == 0)
            return fail(p, "region %s is defined twice", r->name);
        if (h7_ranges_overlap(o->origin, o->length, r->origin, r->length))
            return fail(p, "region %s overlaps region %s", r->name, o->name);
    }
    return 0;
}

static const char *range_keyword(uint8_t kind)
{
    return kind == H7_RANGE_RESERVED ? "reserve"
           : kind == H7_RANGE_SLOT   ? "slot"
           : kind == H7_RANGE_WORD   ? "word"
                                     : "periph";
}

static int parse_line(struct parser *p, struct word *w, size_t nw, struct h7_board *b)
{
    if (word_is(w[0], "board") || word_is(w[0], "cpu")) {
        if (nw != 2)
            return fail(p, "'%.*s' takes one word", (int)w[0].n, w[0].s);
        char *dst = word_is(w[0], "board") ? b->name : b->cpu;
        if (dst[0]) /* two descriptions in one file, or a copy-paste left over */
            return fail(p, "second '%.*s' line (already '%s')", (int)w[0].n, w[0].s, dst);
        return copy_name(p, w[1], dst);
    }
    if (word_is(w[0], "region")) {
        if (nw < 4)
            return fail(p, "'region' needs NAME ORIGIN LENGTH [attributes]");
        if (b->n_regions == H7_BOARD_MAX_REGIONS)
            return fail(p, "more than %d regions", H7_BOARD_MAX_REGIONS);
        struct h7_region r;
        memset(&r, 0, sizeof r);
        if (copy_name(p, w[1], r.name) || parse_number(p, w[2], "origin", &r.origin) ||
            parse_number(p, w[3], "length", &r.length))
            return -1;
        for (size_t i = 4; i < nw; i++)
            if (parse_region_attr(p, w[i], &r))
                return -1;
        if (check_region(p, b, &r))
            return -1;
        b->regions[b->n_regions++] = r;
        return 0;
    }
    static const struct {
        const char *kw;
        uint8_t kind;
    } ranges[] = {{"reserve", H7_RANGE_RESERVED},
                  {"slot", H7_RANGE_SLOT},
                  {"word", H7_RANGE_WORD},
                  {"periph", H7_RANGE_PERIPH}};
    for (size_t k = 0; k < sizeof ranges / sizeof ranges[0]; k++) {
        if (!word_is(w[0], ranges[k].kw))
            continue;
        bool is_word = ranges[k].kind == H7_RANGE_WORD;
        if (nw != (is_word ? 3u : 4u))
            return fail(p, "'%s' needs NAME ADDRESS%s", ranges[k].kw, is_word ? "" : " LENGTH");
        if (b->n_ranges == H7_BOARD_MAX_RANGES)
            return fail(p, "more than %d reserve/slot/word/periph lines", H7_BOARD_MAX_RANGES);
        struct h7_range r;
        memset(&r, 0, sizeof r);
        r.kind = ranges[k].kind;
        r.length = 4;
        if (copy_name(p, w[1], r.name) || parse_number(p, w[2], "address", &r.origin) ||
            (!is_word && parse_number(p, w[3], "length", &r.length)))
            return -1;
        if (r.length == 0)
            return fail(p, "%s %s has length 0", ranges[k].kw, r.name);
        if (is_word && (r.origin & 3))
            return fail(p, "word %s is not 4-byte aligned", r.name);
        for (uint32_t i = 0; i < b->n_ranges; i++) {
            const struct h7_range *o = &b->ranges[i];
            if (o->kind == r.kind && strcmp(o->name, r.name) == 0)
                return fail(p, "%s %s is defined twice", ranges[k].kw, r.name);
            /* Slots, reserved ranges and words each own their bytes: a slot on the bootloader
             * or on another slot would let one image overwrite the other. */
            if (o->kind != H7_RANGE_PERIPH && r.kind != H7_RANGE_PERIPH &&
                h7_ranges_overlap(o->origin, o->length, r.origin, r.length))
                return fail(p, "%s %s (0x%08x..0x%08x) overlaps %s %s (0x%08x..0x%08x)",
                            ranges[k].kw, r.name, (unsigned)r.origin,
                            (unsigned)(r.origin + r.length - 1), range_keyword(o->kind), o->name,
                            (unsigned)o->origin, (unsigned)(o->origin + o->length - 1));
        }
        r.region = -1;
        if (r.kind != H7_RANGE_PERIPH) {
            const struct h7_region *reg = h7_board_region_at(b, r.origin, r.length);
            if (!reg)
                return fail(p, "%s %s (0x%08x, %u bytes) is not inside one region",
                            ranges[k].kw, r.name, (unsigned)r.origin, (unsigned)r.length);
            r.region = (int8_t)(reg - b->regions);
        } else {
            for (uint32_t i = 0; i < b->n_regions; i++)
                if (h7_ranges_overlap(b->regions[i].origin, b->regions[i].length, r.origin,
                                      r.length))
                    return fail(p, "periph %s overlaps region %s", r.name, b->regions[i].name);
        }
        if (r.kind == H7_RANGE_SLOT) {
            const struct h7_region *reg = &b->regions[r.region];
            if (!(reg->flags & H7_REGION_FLASH))
                return fail(p, "slot %s must be in a flash region", r.name);
            if (r.origin % reg->erase_size)
                return fail(p, "slot %s is not aligned to %s's erase size", r.name, reg->name);
        }
        b->ranges[b->n_ranges++] = r;
        return 0;
    }
    return fail(p, "unknown keyword '%.*s' (board, cpu, region, reserve, slot, word, periph)",
                (int)w[0].n, w[0].s);
}

int h7_board_parse(const char *text, size_t len, const char *filename, struct h7_board *out,
                   char *err, size_t errlen)
{
    struct parser p = {filename ? filename : "<board>", 0, err, errlen};
    memset(out, 0, sizeof *out);
    if (err && errlen)
        err[0] = '\0';
    size_t pos = 0;
    while (pos < len) {
        size_t end = pos;
        while (end < len && text[end] != '\n')
            end++;
        p.line++;
        for (size_t i = pos; i < end && text[i] != '#'; i++) {
            unsigned char c = (unsigned char)text[i];
            if ((c < 0x20 && c != '\t' && c != '\r') || c > 0x7e)
                return fail(&p, "unexpected byte 0x%02x", (unsigned)c);
        }
        struct word w[LINE_WORDS_MAX];
        size_t nw = 0;
        for (size_t i = pos; i < end;) {
            char c = text[i];
            if (c == '#')
                break;
            if (c == ' ' || c == '\t' || c == '\r') {
                i++;
                continue;
            }
            size_t s = i;
            while (i < end && text[i] != ' ' && text[i] != '\t' && text[i] != '\r' &&
                   text[i] != '#')
                i++;
            if (nw == LINE_WORDS_MAX)
                return fail(&p, "more than %d words on one line", LINE_WORDS_MAX);
            w[nw++] = (struct word){text + s, i - s};
        }
        if (nw && parse_line(&p, w, nw, out))
            return -1;
        pos = end + 1;
    }
    p.line++;
    if (!out->name[0])
        return fail(&p, "no 'board NAME' line");
    if (!out->n_regions)
        return fail(&p, "no 'region' lines");
    return 0;
}
