/*
 * dfu_testtool — test files and checks for the DFU tests (tests/dfu/dfu_util_tests.sh).
 *
 *   dfu_testtool raw   BOARD OUT SIZE SEED      a raw Daisy-style image: vector table first
 *   dfu_testtool img   BOARD OUT SIZE SEED      an h7boot image (COPY + XIP payload, committed)
 *   dfu_testtool check BOARD FLASH [EXPECT...]  the boot validity check on a flash file
 *   dfu_testtool cuts  BOARD TRACE FLASH NEW [OLD]
 *                                               replay a recorded dfu-util session with a power
 *                                               cut at every flash operation, for every fault
 *                                               kind, and check the slot after each
 * Addresses come from the board description (the slot, the RAM regions), never typed here.
 * Exit: 0 pass, 1 check failed (message says what), 2 usage or I/O error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board_parse.h"
#include "dfu_host.h"
#include "h7_image.h"
#include "h7_image_write.h"

static struct h7_board board;
static const struct h7_range *slot;

static uint32_t rng_state;
static uint8_t rnd(void)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return (uint8_t)(rng_state >> 16);
}

static int write_file(const char *path, const uint8_t *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n || fclose(f)) {
        fprintf(stderr, "dfu_testtool: cannot write %s: %s\n", path, strerror(errno));
        return 2;
    }
    return 0;
}

static uint8_t *read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "dfu_testtool: cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *p = malloc(len > 0 ? (size_t)len : 1);
    if (!p || fread(p, 1, (size_t)len, f) != (size_t)len) {
        fprintf(stderr, "dfu_testtool: cannot read %s\n", path);
        fclose(f);
        free(p);
        return NULL;
    }
    fclose(f);
    *n = (size_t)len;
    return p;
}

/* The largest executable RAM region the bootloader may load into without initialising it. */
static const struct h7_region *load_ram(void)
{
    const struct h7_region *best = NULL;
    for (uint32_t i = 0; i < board.n_regions; i++) {
        const struct h7_region *r = &board.regions[i];
        if ((r->flags & H7_REGION_RAM) && (r->flags & H7_REGION_LOAD) &&
            (r->flags & H7_REGION_EXEC) && r->init == H7_INIT_NONE &&
            (!best || r->length > best->length) &&
            !h7_board_reserved_overlap(&board, r->origin, r->length))
            best = r;
    }
    return best;
}

static const struct h7_region *stack_ram(void)
{
    for (uint32_t i = 0; i < board.n_regions; i++) {
        const struct h7_region *r = &board.regions[i];
        if ((r->flags & H7_REGION_RAM) && !(r->flags & H7_REGION_EXEC) &&
            !h7_board_reserved_overlap(&board, r->origin, r->length))
            return r;
    }
    return load_ram();
}

/* Raw image: initial SP at the top of a RAM region, reset vector inside the image (XIP). */
static int make_raw(const char *out, uint32_t size, uint32_t seed)
{
    uint8_t *p = malloc(size);
    const struct h7_region *sr = stack_ram();
    rng_state = seed;
    for (uint32_t i = 0; i < size; i++)
        p[i] = rnd();
    h7_put_le32(p, sr->origin + sr->length);
    h7_put_le32(p + 4, slot->origin + 0x199);
    int rc = write_file(out, p, size);
    free(p);
    return rc;
}

/* h7boot image: a COPY segment into RAM (vector table and entry) and the rest as XIP. */
static int make_img(const char *out, uint32_t size, uint32_t seed)
{
    const struct h7_region *ram = load_ram();
    struct h7_image_build b = {0};
    uint32_t copy = size / 2 < ram->length / 2 ? size / 2 : ram->length / 2;
    copy &= ~3u;
    uint32_t xip = (size - copy) & ~3u;
    uint8_t *data = malloc(copy + xip + 8);
    rng_state = seed;
    for (uint32_t i = 0; i < copy + xip; i++)
        data[i] = rnd();
    b.load_address = slot->origin;
    b.vector_table = ram->origin;
    b.entry = ram->origin + 0x101;
    b.version_major = 1;
    b.segment_count = 1;
    b.seg[0] = (struct h7_image_build_segment){ram->origin, copy, H7_SEG_COPY, data};
    if (xip >= 16) {
        /* XIP payload at its link address near the middle of what the image will cover */
        uint32_t at = (slot->origin + 4096 + copy + 255) & ~255u;
        b.seg[1] = (struct h7_image_build_segment){at, xip, H7_SEG_XIP, data + copy};
        b.segment_count = 2;
    }
    size_t len;
    struct h7_image_fault fault;
    int rc = h7_image_build(&b, NULL, 0, &len, &fault);
    uint8_t *img = rc ? NULL : malloc(len);
    if (rc || h7_image_build(&b, img, len, &len, &fault)) {
        fprintf(stderr, "dfu_testtool: image build: %s\n", h7_image_strerror(fault.err));
        return 2;
    }
    rc = write_file(out, img, len);
    free(img);
    free(data);
    return rc;
}

/*
 * The bootloader's validity check on the slot, as the image library defines it: an h7boot
 * image must have a good header, fit the board, carry the committed commit word and hash
 * right; a raw image must have a plausible vector table. Returns "h7", "raw" or NULL.
 */
static const char *slot_bootable(const uint8_t *flash, uint32_t flash_base)
{
    const uint8_t *s = flash + (slot->origin - flash_base);
    if (h7_image_has_magic(s, 4)) {
        struct h7_image_info info;
        uint32_t meta;
        if (h7_image_meta_size(s, H7_IMAGE_HEADER_SIZE, &meta, NULL) ||
            h7_image_parse(s, meta, &info, NULL) ||
            h7_image_check_board(&info, &board, slot, NULL) ||
            !h7_image_is_committed(h7_le32(s + h7_image_commit_offset(&info))) ||
            h7_image_verify_mapped(&info, s, slot->length, NULL))
            return NULL;
        return "h7";
    }
    const uint32_t words[2] = {h7_le32(s), h7_le32(s + 4)};
    return h7_image_raw_reset_region(&board, words) ? "raw" : NULL;
}

/* Which expected file the slot holds in full (index), or -1. */
static int slot_matches(const uint8_t *flash, uint32_t base, uint8_t **exp, size_t *explen, int n)
{
    for (int i = 0; i < n; i++)
        if (memcmp(flash + (slot->origin - base), exp[i], explen[i]) == 0)
            return i;
    return -1;
}

static int check(const char *flash_path, char **expect, int n_expect)
{
    size_t n, explen[8];
    uint8_t *exp[8];
    const struct h7_region *q = h7_board_region_at(&board, slot->origin, 1);
    uint8_t *flash = read_file(flash_path, &n);
    if (!flash || n < q->length)
        return 2;
    for (int i = 0; i < n_expect && i < 8; i++)
        if (!(exp[i] = read_file(expect[i], &explen[i])))
            return 2;
    const char *kind = slot_bootable(flash, q->origin);
    int m = slot_matches(flash, q->origin, exp, explen, n_expect);
    int rc = 0;
    if (!kind) {
        printf("not bootable\n");
    } else {
        printf("bootable %s%s%s\n", kind, m >= 0 ? " = " : "", m >= 0 ? expect[m] : "");
        if (n_expect && m < 0) {
            fprintf(stderr, "dfu_testtool: %s: the slot at 0x%08x passes the boot check but "
                            "holds none of the expected images\n", flash_path, slot->origin);
            rc = 1;
        }
    }
    for (int i = 0; i < n_expect && i < 8; i++)
        free(exp[i]);
    free(flash);
    return rc;
}

static int cuts(const char *trace_path, const char *flash_in, char **expect, int n_expect)
{
    static const char *const fault_names[] = {"clean", "torn-program", "torn-erase"};
    size_t explen[2];
    uint8_t *exp[2];
    char err[300];
    for (int i = 0; i < n_expect; i++)
        if (!(exp[i] = read_file(expect[i], &explen[i])))
            return 2;
    FILE *t = fopen(trace_path, "rb");
    if (!t) {
        fprintf(stderr, "dfu_testtool: cannot open %s\n", trace_path);
        return 2;
    }
    /* the session without a cut: how many flash operations, and it must end committed */
    struct dfu_host_options o = {.board = board.name, .flash_in = flash_in};
    static struct dfu_host h;
    if (dfu_host_init(&h, &o, err, sizeof(err))) {
        fprintf(stderr, "dfu_testtool: %s\n", err);
        return 2;
    }
    dfu_host_replay(&h, t);
    uint64_t ops = nor_sim_stats(&h.sim)->programs + nor_sim_stats(&h.sim)->erases;
    const char *k = slot_bootable(nor_sim_data(&h.sim), h.sim.cfg.base);
    int m = slot_matches(nor_sim_data(&h.sim), h.sim.cfg.base, exp, explen, n_expect);
    dfu_host_free(&h);
    if (!k || m != 0) {
        fprintf(stderr, "dfu_testtool: the uncut replay of %s does not end with %s bootable\n",
                trace_path, expect[0]);
        return 1;
    }
    int failures = 0;
    for (int f = 0; f < 3; f++) {
        unsigned counts[3] = {0, 0, 0}; /* not bootable, new, old */
        for (uint64_t n = 1; n <= ops; n++) {
            rewind(t);
            o.cut_at = n;
            o.cut_fault = (enum nor_sim_fault)f;
            o.seed = n;
            if (dfu_host_init(&h, &o, err, sizeof(err))) {
                fprintf(stderr, "dfu_testtool: %s\n", err);
                return 2;
            }
            dfu_host_replay(&h, t);
            const uint8_t *fl = nor_sim_data(&h.sim);
            k = slot_bootable(fl, h.sim.cfg.base);
            m = slot_matches(fl, h.sim.cfg.base, exp, explen, n_expect);
            if (!h.dead) {
                fprintf(stderr, "dfu_testtool: cut %llu (%s) never fired\n",
                        (unsigned long long)n, fault_names[f]);
                failures++;
            } else if (k && m < 0) {
                fprintf(stderr,
                        "dfu_testtool: power cut at flash operation %llu (%s): the slot passes "
                        "the boot check but holds neither image (a half image)\n",
                        (unsigned long long)n, fault_names[f]);
                failures++;
            }
            counts[k ? 1 + m : 0]++;
            dfu_host_free(&h);
        }
        printf("%s cuts at %llu flash operations: not bootable %u, new image %u, old image %u\n",
               fault_names[f], (unsigned long long)ops, counts[0], counts[1], counts[2]);
    }
    fclose(t);
    for (int i = 0; i < n_expect; i++)
        free(exp[i]);
    return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
    char err[300];
    if (argc < 4) {
        fprintf(stderr, "usage: dfu_testtool raw|img BOARD OUT SIZE SEED\n"
                        "       dfu_testtool check BOARD FLASH [EXPECT...]\n"
                        "       dfu_testtool cuts BOARD TRACE FLASH NEW [OLD]\n");
        return 2;
    }
    if (h7_board_load(argv[2], &board, err, sizeof(err))) {
        fprintf(stderr, "dfu_testtool: %s\n", err);
        return 2;
    }
    slot = h7_board_range(&board, H7_RANGE_SLOT, NULL);
    if (!slot) {
        fprintf(stderr, "dfu_testtool: board %s has no slot\n", board.name);
        return 2;
    }
    if ((!strcmp(argv[1], "raw") || !strcmp(argv[1], "img")) && argc == 6) {
        uint32_t size = (uint32_t)strtoul(argv[4], NULL, 0);
        uint32_t seed = (uint32_t)strtoul(argv[5], NULL, 0);
        return argv[1][0] == 'r' ? make_raw(argv[3], size, seed) : make_img(argv[3], size, seed);
    }
    if (!strcmp(argv[1], "check"))
        return check(argv[3], argv + 4, argc - 4);
    if (!strcmp(argv[1], "cuts") && (argc == 6 || argc == 7))
        return cuts(argv[3], argv[4], argv + 5, argc - 5);
    fprintf(stderr, "dfu_testtool: bad arguments for '%s'\n", argv[1]);
    return 2;
}
