/*
 * Unit tests of the usage arithmetic (mem_usage.c): ld's way of counting a region — from the
 * origin to the end of the last section, load images included — and ld's size format.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "board_parse.h"
#include "mem_usage.h"

static struct h7_board board;

static int setup(void **state)
{
    (void)state;
    char err[256];
    return h7_board_load("daisy-seed", &board, err, sizeof err);
}

static uint32_t origin(const char *name)
{
    const struct h7_region *r = h7_board_region(&board, name);
    assert_non_null(r);
    return r->origin;
}

static const struct h7_mem_region_use *use(const struct h7_mem_usage *u, const char *name)
{
    const struct h7_region *r = h7_board_region(&board, name);
    assert_non_null(r);
    return &u->regions[r - board.regions];
}

static void test_counts_gaps_and_load_images(void **state)
{
    (void)state;
    uint32_t axi = origin("AXI_SRAM"), dtcm = origin("DTCM");
    struct h7_elf_section s[] = {
        {.name = ".text", .addr = axi, .lma = axi, .size = 0x102, .exec = true, .index = 1},
        /* .data runs in DTCM, its image follows .text in AXI SRAM after 2 bytes of padding */
        {.name = ".data", .addr = dtcm + 8, .lma = axi + 0x104, .size = 0x20, .write = true,
         .index = 2},
        /* a NOBITS section never has a load image */
        {.name = ".bss", .addr = dtcm + 0x28, .lma = dtcm + 0x28, .size = 0x10, .nobits = true,
         .write = true, .index = 3},
        /* somewhere no region covers */
        {.name = ".odd", .addr = 0x50000000u, .lma = 0x50000000u, .size = 4, .index = 4},
    };
    struct h7_elf elf = {.n_sections = 4, .sections = s};
    struct h7_mem_usage u;
    assert_int_equal(h7_mem_usage_compute(&board, &elf, &u), 0);
    assert_int_equal(use(&u, "AXI_SRAM")->used, 0x124);
    assert_int_equal(use(&u, "AXI_SRAM")->n_placed, 2);
    assert_true(use(&u, "AXI_SRAM")->placed[1].load_image);
    /* starts 8 bytes in: ld counts from the origin */
    assert_int_equal(use(&u, "DTCM")->used, 0x38);
    assert_int_equal(use(&u, "ITCM")->used, 0);
    assert_int_equal(u.n_outside, 1);
    assert_string_equal(u.outside[0]->name, ".odd");
    h7_mem_usage_free(&u);
}

/* An overflowed region keeps what follows its overflowing section (ld: "overflowed by" counts
 * the load image of .data placed after a .rodata that ran past the end). */
static void test_overflow_keeps_following_sections(void **state)
{
    (void)state;
    const struct h7_region *flash = h7_board_region(&board, "FLASH");
    uint32_t f = flash->origin, len = flash->length, dtcm = origin("DTCM");
    struct h7_elf_section s[] = {
        {.name = ".rodata", .addr = f, .lma = f, .size = len + 100, .index = 1},
        {.name = ".data", .addr = dtcm, .lma = f + len + 100, .size = 4, .write = true,
         .index = 2},
    };
    struct h7_elf elf = {.n_sections = 2, .sections = s};
    struct h7_mem_usage u;
    assert_int_equal(h7_mem_usage_compute(&board, &elf, &u), 0);
    assert_int_equal(use(&u, "FLASH")->used, len + 104);
    assert_int_equal(use(&u, "DTCM")->used, 4);
    assert_int_equal(u.n_outside, 0);
    h7_mem_usage_free(&u);
}

/* ld's region pointer follows script order (known from the map file), not the highest address:
 * a table at a fixed address followed by an empty section lower down counts to the empty one's
 * end. Without the order, the highest end counts. */
static void test_last_section_in_script_order_counts(void **state)
{
    (void)state;
    uint32_t q = origin("QSPI");
    struct h7_elf_section s[] = {
        {.name = ".empty", .addr = q + 0x42000, .lma = q + 0x42000, .size = 0, .index = 3},
        {.name = ".table", .addr = q + 0x140000, .lma = q + 0x140000, .size = 0x100, .index = 2},
    };
    struct h7_elf elf = {.n_sections = 2, .sections = s};
    struct h7_mem_usage u;
    assert_int_equal(h7_mem_usage_compute(&board, &elf, &u), 0);
    assert_int_equal(use(&u, "QSPI")->used, 0x140100);
    h7_mem_usage_free(&u);
    s[0].script_order = 2;
    s[1].script_order = 1;
    assert_int_equal(h7_mem_usage_compute(&board, &elf, &u), 0);
    assert_int_equal(use(&u, "QSPI")->used, 0x42000);
    h7_mem_usage_free(&u);
}

static void test_ld_size_format(void **state)
{
    (void)state;
    char buf[64];
    struct {
        uint64_t v;
        const char *text;
    } cases[] = {
        {0, "         0 GB"},        {436, "        436 B"},     {64 * 1024, "        64 KB"},
        {8u << 20, "         8 MB"}, {160000, "     160000 B"}, {1u << 30, "         1 GB"},
        {1536, "       1536 B"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        FILE *f = fmemopen(buf, sizeof buf, "w");
        h7_mem_print_ld_size(f, cases[i].v);
        fclose(f);
        assert_string_equal(buf, cases[i].text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_gaps_and_load_images),
        cmocka_unit_test(test_overflow_keeps_following_sections),
        cmocka_unit_test(test_last_section_in_script_order_counts),
        cmocka_unit_test(test_ld_size_format),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
