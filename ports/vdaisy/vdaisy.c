/*
 * vdaisy — run STM32H750 binaries on the virtual Daisy Seed.
 *
 *   vdaisy --boot h7boot-daisy-seed.bin [--nor nor.img] [--nor-load FILE@ADDR]... [--app]
 *          [--until ADDR|SYMBOL]... [--led N] [--timeout-ms MS] [--resets N]
 *          [--param NAME=VALUE]... [--allow BASE:SIZE]... [--poke ADDR=WORD]...
 *          [--symbols ELF] [--trace] [--expect KEY=VALUE]... [--expect-mem ADDR=FILE]...
 *          [--expect-word ADDR=WORD]...
 *
 * Prints a machine-readable summary (key=value lines, vd_print_report) and exits 0 when every
 * --expect holds (without --expect: when the run did not end in a fault, an unmodelled access,
 * a violation or a host error), 1 when one fails, 2 on a usage error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vd_daisy.h"

#define MAX_LIST 16
#define DEFAULT_TIMEOUT_MS 5000u
#define NS_PER_MS 1000000ull

struct opts {
    const char *boot, *nor, *symbols;
    const char *nor_load[MAX_LIST], *params[MAX_LIST * 2], *allow[MAX_LIST], *poke[MAX_LIST],
        *until[MAX_LIST], *expect[MAX_LIST], *expect_mem[MAX_LIST], *expect_word[MAX_LIST];
    unsigned n_nor_load, n_params, n_allow, n_poke, n_until, n_expect, n_expect_mem,
        n_expect_word;
    struct vd_run_limits lim;
    bool trace;
};

static int usage(void)
{
    fprintf(stderr,
            "usage: vdaisy --boot BOOT.bin [--nor FILE] [--nor-load FILE@ADDR] [--app]\n"
            "              [--until ADDR|SYMBOL] [--led N] [--timeout-ms MS] [--resets N]\n"
            "              [--param NAME=VALUE] [--allow BASE:SIZE] [--poke ADDR=WORD]\n"
            "              [--symbols ELF] [--trace] [--expect KEY=VALUE]\n"
            "              [--expect-mem ADDR=FILE] [--expect-word ADDR=WORD]\n");
    return 2;
}

static bool parse_u32(const char *s, uint32_t *v)
{
    char *end;
    errno = 0;
    unsigned long x = strtoul(s, &end, 0);
    if (errno || end == s || *end || x > 0xFFFFFFFFul)
        return false;
    *v = (uint32_t)x;
    return true;
}

static bool push(const char **list, unsigned *n, unsigned max, const char *v)
{
    if (*n == max)
        return false;
    list[(*n)++] = v;
    return true;
}

static int parse(int argc, char **argv, struct opts *o)
{
    o->lim.timeout_ns = DEFAULT_TIMEOUT_MS * NS_PER_MS;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        uint32_t x;
        bool ok = true, takes = true;
        if (!strcmp(a, "--app")) {
            o->lim.stop_at_app = true;
            takes = false;
        } else if (!strcmp(a, "--trace")) {
            o->trace = true;
            takes = false;
        } else if (!v) {
            return usage();
        } else if (!strcmp(a, "--boot")) {
            o->boot = v;
        } else if (!strcmp(a, "--nor")) {
            o->nor = v;
        } else if (!strcmp(a, "--symbols")) {
            o->symbols = v;
        } else if (!strcmp(a, "--nor-load")) {
            ok = push(o->nor_load, &o->n_nor_load, MAX_LIST, v);
        } else if (!strcmp(a, "--param")) {
            ok = push(o->params, &o->n_params, MAX_LIST * 2, v);
        } else if (!strcmp(a, "--allow")) {
            ok = push(o->allow, &o->n_allow, MAX_LIST, v);
        } else if (!strcmp(a, "--poke")) {
            ok = push(o->poke, &o->n_poke, MAX_LIST, v);
        } else if (!strcmp(a, "--until")) {
            ok = push(o->until, &o->n_until, 8, v);
        } else if (!strcmp(a, "--expect")) {
            ok = push(o->expect, &o->n_expect, MAX_LIST, v);
        } else if (!strcmp(a, "--expect-mem")) {
            ok = push(o->expect_mem, &o->n_expect_mem, MAX_LIST, v);
        } else if (!strcmp(a, "--expect-word")) {
            ok = push(o->expect_word, &o->n_expect_word, MAX_LIST, v);
        } else if (!strcmp(a, "--led") && (ok = parse_u32(v, &x))) {
            o->lim.led_toggles = x;
        } else if (!strcmp(a, "--resets") && (ok = parse_u32(v, &x))) {
            o->lim.stop_after_resets = x;
        } else if (!strcmp(a, "--timeout-ms") && (ok = parse_u32(v, &x))) {
            o->lim.timeout_ns = x * NS_PER_MS;
        } else {
            fprintf(stderr, "vdaisy: unknown or bad option %s\n", a);
            return usage();
        }
        if (!ok) {
            fprintf(stderr, "vdaisy: bad value for %s: %s\n", a, v);
            return 2;
        }
        if (takes)
            i++;
    }
    return o->boot ? 0 : usage();
}

/* "ADDR=VALUE" / "BASE:SIZE" / "FILE@ADDR" splitters. */
static bool split(const char *s, char sep, char *left, size_t left_size, const char **right)
{
    const char *p = strrchr(s, sep);
    if (!p || (size_t)(p - s) >= left_size)
        return false;
    memcpy(left, s, (size_t)(p - s));
    left[p - s] = 0;
    *right = p + 1;
    return true;
}

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "vdaisy: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    unsigned char *buf = NULL;
    size_t cap = 0, n = 0, r;
    do {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            unsigned char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        r = fread(buf + n, 1, cap - n, f);
        n += r;
    } while (r);
    fclose(f);
    *len = n;
    return buf;
}

/* A number, or a symbol of --symbols. */
static bool parse_addr(const struct opts *o, const char *s, uint32_t *v)
{
    return parse_u32(s, v) || (o->symbols && vd_elf_symbol(o->symbols, s, v) == 0);
}

static int setup(struct opts *o, struct vd_machine *m, struct vd_daisy *d)
{
    char left[512];
    const char *right;
    uint32_t a, b;
    for (unsigned i = 0; i < o->n_nor_load; i++) {
        size_t len;
        unsigned char *buf;
        uint8_t *nor = vd_daisy_nor(d);
        if (!split(o->nor_load[i], '@', left, sizeof left, &right) || !parse_u32(right, &a) ||
            a < VD_QSPI_WINDOW || !nor) {
            fprintf(stderr, "vdaisy: --nor-load %s: want FILE@ADDR in the QSPI window%s\n",
                    o->nor_load[i], nor ? "" : " (no NOR model in this build)");
            return -1;
        }
        if (!(buf = read_file(left, &len)))
            return -1;
        if (a - VD_QSPI_WINDOW + len > 8u * 1024u * 1024u) {
            fprintf(stderr, "vdaisy: --nor-load %s: past the 8 MB flash\n", o->nor_load[i]);
            free(buf);
            return -1;
        }
        memcpy(nor + (a - VD_QSPI_WINDOW), buf, len);
        free(buf);
    }
    for (unsigned i = 0; i < o->n_allow; i++) {
        if (!split(o->allow[i], ':', left, sizeof left, &right) || !parse_u32(left, &a) ||
            !parse_u32(right, &b)) {
            fprintf(stderr, "vdaisy: --allow %s: want BASE:SIZE\n", o->allow[i]);
            return -1;
        }
        vd_allow(m, a, b);
    }
    for (unsigned i = 0; i < o->n_until; i++) {
        if (!parse_addr(o, o->until[i], &a)) {
            fprintf(stderr, "vdaisy: --until %s: not an address or a symbol of --symbols\n",
                    o->until[i]);
            return -1;
        }
        o->lim.until[o->lim.n_until++] = a;
    }
    return 0;
}

static int pokes(const struct opts *o, struct vd_machine *m)
{
    char left[64];
    const char *right;
    uint32_t a, v;
    for (unsigned i = 0; i < o->n_poke; i++)
        if (!split(o->poke[i], '=', left, sizeof left, &right) || !parse_u32(left, &a) ||
            !parse_u32(right, &v) || vd_poke(m, a, &v, 4) != 0) {
            fprintf(stderr, "vdaisy: --poke %s: want ADDR=WORD in RAM\n", o->poke[i]);
            return -1;
        }
    return 0;
}

static bool report_value(const struct vd_machine *m, const char *key, char *out, size_t size)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return false;
    vd_print_report(m, f);
    fclose(f);
    bool found = false;
    size_t klen = strlen(key);
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
        if (!strncmp(line, key, klen) && line[klen] == '=') {
            snprintf(out, size, "%s", line + klen + 1);
            found = true;
            break;
        }
    free(text);
    return found;
}

static int check(const struct opts *o, struct vd_machine *m, struct vd_daisy *d)
{
    int bad = 0;
    char left[512], have[256];
    const char *right;
    uint32_t a, want, got;
    for (unsigned i = 0; i < o->n_expect; i++) {
        if (!split(o->expect[i], '=', left, sizeof left, &right) ||
            !report_value(m, left, have, sizeof have)) {
            fprintf(stderr, "vdaisy: --expect %s: no such summary key\n", o->expect[i]);
            bad = 1;
            continue;
        }
        uint32_t x, y;
        bool same = (parse_u32(have, &x) && parse_addr(o, right, &y)) ? x == y
                                                                       : !strcmp(have, right);
        if (!same) {
            fprintf(stderr, "vdaisy: FAIL %s: got %s\n", o->expect[i], have);
            bad = 1;
        }
    }
    for (unsigned i = 0; i < o->n_expect_word; i++) {
        got = 0;
        if (!split(o->expect_word[i], '=', left, sizeof left, &right) || !parse_addr(o, left, &a) ||
            !parse_u32(right, &want) || vd_daisy_peek(d, a, &got, 4) != 0 || got != want) {
            fprintf(stderr, "vdaisy: FAIL --expect-word %s (read 0x%08x)\n", o->expect_word[i],
                    got);
            bad = 1;
        }
    }
    for (unsigned i = 0; i < o->n_expect_mem; i++) {
        size_t len = 0;
        unsigned char *exp = NULL, *mem = NULL;
        if (!split(o->expect_mem[i], '=', left, sizeof left, &right) || !parse_addr(o, left, &a) ||
            !(exp = read_file(right, &len)) || !(mem = malloc(len ? len : 1)) ||
            vd_daisy_peek(d, a, mem, (uint32_t)len) != 0) {
            fprintf(stderr, "vdaisy: FAIL --expect-mem %s: cannot read\n", o->expect_mem[i]);
            bad = 1;
        } else {
            for (size_t k = 0; k < len; k++)
                if (mem[k] != exp[k]) {
                    fprintf(stderr, "vdaisy: FAIL --expect-mem %s: byte 0x%08zx is 0x%02x, "
                            "want 0x%02x\n", o->expect_mem[i], a + k, mem[k], exp[k]);
                    bad = 1;
                    break;
                }
        }
        free(exp);
        free(mem);
    }
    return bad;
}

int main(int argc, char **argv)
{
    struct opts o;
    memset(&o, 0, sizeof o);
    int rc = parse(argc, argv, &o);
    if (rc)
        return rc;
    struct vd_machine *m = vd_machine_new(o.trace ? stderr : NULL);
    if (!m)
        return 1;
    for (unsigned i = 0; i < o.n_params; i++)
        if (vd_set_param(m, o.params[i]) != 0) {
            fprintf(stderr, "vdaisy: --param %s: want NAME=NUMBER\n", o.params[i]);
            vd_machine_free(m);
            return 2;
        }
    struct vd_daisy *d = vd_daisy_new(m, o.nor);
    rc = 1;
    if (d && vd_load_flash(m, o.boot) == 0 && setup(&o, m, d) == 0) {
        vd_power_on(m);
        if (pokes(&o, m) == 0) {
            enum vd_stop s = vd_run(m, &o.lim);
            vd_print_report(m, stdout);
            if (o.n_expect || o.n_expect_mem || o.n_expect_word)
                rc = check(&o, m, d);
            else
                rc = s == VD_STOP_FAULT || s == VD_STOP_UNMODELLED || s == VD_STOP_VIOLATION ||
                     s == VD_STOP_HOST;
        }
    }
    vd_daisy_free(d);
    vd_machine_free(m);
    return rc;
}
