/* Unit tests for the board description parser and look-ups (boards/). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board_parse.h"

static struct h7_board board;
static char err[512];

static int parse(const char *text)
{
    return h7_board_parse(text, strlen(text), "t.board", &board, err, sizeof err);
}

/* Parse must fail with a message that starts with "t.board:LINE:" and contains `needle`. */
static void expect_error(const char *text, unsigned line, const char *needle)
{
    char prefix[32];
    assert_int_equal(parse(text), -1);
    snprintf(prefix, sizeof prefix, "t.board:%u: ", line);
    if (strncmp(err, prefix, strlen(prefix)) != 0 || !strstr(err, needle))
        fail_msg("expected '%s...%s', got '%s'", prefix, needle, err);
}

#define HEAD "board t\ncpu cortex-m7\n"

static void test_minimal_board(void **state)
{
    (void)state;
    assert_int_equal(parse(HEAD "region RAM 0x20000000 128K ram load speed=tcm dma=mdma\n"
                                "region F 0x90000000 8M flash xip erase=4K program=256 # c\n"
                                "reserve R 0x90000000 256K\n"
                                "slot APP 0x90040000 0x7C0000\n"
                                "word REQ 0x20000000\n"
                                "periph UART 0x40004000 4K\n"),
                     0);
    assert_string_equal(board.name, "t");
    assert_string_equal(board.cpu, "cortex-m7");
    assert_int_equal(board.n_regions, 2);
    assert_int_equal(board.regions[0].origin, 0x20000000);
    assert_int_equal(board.regions[0].length, 128 * 1024);
    assert_int_equal(board.regions[0].flags, H7_REGION_RAM | H7_REGION_LOAD);
    assert_int_equal(board.regions[0].speed, H7_SPEED_TCM);
    assert_int_equal(board.regions[0].dma, H7_DMA_MDMA);
    assert_int_equal(board.regions[1].length, 8 * 1024 * 1024);
    assert_int_equal(board.regions[1].erase_size, 4096);
    assert_int_equal(board.regions[1].program_size, 256);
    assert_int_equal(board.n_ranges, 4);
    assert_int_equal(board.ranges[1].kind, H7_RANGE_SLOT);
    assert_int_equal(board.ranges[1].region, 1);
    assert_int_equal(board.ranges[2].length, 4);
    assert_int_equal(board.ranges[3].region, -1);
}

static void test_queries(void **state)
{
    (void)state;
    assert_int_equal(parse(HEAD "region A 0x0 64K ram\nregion B 0x10000 64K ram\n"
                                "reserve R 0x1F000 4K\n"),
                     0);
    assert_ptr_equal(h7_board_region_at(&board, 0xFFFC, 4), &board.regions[0]);
    /* A range straddling two adjacent regions lies in neither. */
    assert_null(h7_board_region_at(&board, 0xFFFC, 8));
    assert_null(h7_board_region_at(&board, 0xFFFFFFF0u, 0x20));
    assert_ptr_equal(h7_board_region(&board, "B"), &board.regions[1]);
    assert_null(h7_board_region(&board, "C"));
    assert_non_null(h7_board_reserved_overlap(&board, 0x1EFFF, 2));
    assert_null(h7_board_reserved_overlap(&board, 0x1EFFF, 1));
    assert_null(h7_board_reserved_overlap(&board, 0x20000, 0));
    assert_ptr_equal(h7_board_range(&board, H7_RANGE_RESERVED, NULL), &board.ranges[0]);
    assert_null(h7_board_range(&board, H7_RANGE_SLOT, NULL));
}

static void test_rejects_overlapping_regions(void **state)
{
    (void)state;
    expect_error(HEAD "region A 0x20000000 128K ram\n\nregion B 0x2001FFFC 16 ram\n", 5,
                 "overlaps region A");
}

static void test_rejects_unknown_attribute(void **state)
{
    (void)state;
    expect_error(HEAD "region A 0x0 64K ram fast\n", 3, "unknown attribute 'fast'");
    expect_error(HEAD "region A 0x0 64K ram colour=red\n", 3, "unknown attribute 'colour'");
    expect_error(HEAD "region A 0x0 64K ram speed=warp\n", 3, "unknown speed 'warp'");
    expect_error(HEAD "region A 0x0 64K ram dma=mdma,dma9\n", 3, "unknown DMA master 'dma9'");
}

static void test_rejects_bad_numbers(void **state)
{
    (void)state;
    expect_error(HEAD "region A 0x2000_0000 64K ram\n", 3, "bad number '0x2000_0000'");
    expect_error(HEAD "region A zero 64K ram\n", 3, "bad number 'zero'");
    expect_error(HEAD "region A 0x0 64KB ram\n", 3, "bad number '64KB'");
    expect_error(HEAD "region A 0x100000000 4 ram\n", 3, "does not fit in 32 bits");
    expect_error(HEAD "region A 0x0 8192M ram\n", 3, "does not fit in 32 bits");
    expect_error(HEAD "region A 0xFFFFF000 8K ram\n", 3, "past the end");
}

static void test_rejects_structure_errors(void **state)
{
    (void)state;
    expect_error(HEAD "regoin A 0x0 4K ram\n", 3, "unknown keyword 'regoin'");
    expect_error(HEAD "region A 0x0 4K\n", 3, "exactly one of 'ram' or 'flash'");
    expect_error(HEAD "region A 0x0 4K ram\nregion A 0x1000 4K ram\n", 4, "defined twice");
    expect_error(HEAD "region A 0x0 4K flash\n", 3, "needs erase=SIZE");
    expect_error(HEAD "region A 0x0 4K ram erase=4K\n", 3, "for flash regions");
    expect_error(HEAD "region A 0x0 4K ram\nreserve R 0x800 4K\n", 4, "not inside one region");
    expect_error(HEAD "region A 0x0 4K ram\nslot S 0x0 4K\n", 4, "must be in a flash region");
    expect_error(HEAD "region A 0x0 4K ram\nword W 0x2\n", 4, "not 4-byte aligned");
    expect_error(HEAD "region A 0x0 4K ram\nperiph P 0xF00 4K\n", 4, "overlaps region A");
    expect_error(HEAD "region Bad/Name 0x0 4K ram\n", 3, "may only hold");
    expect_error("cpu m7\nregion A 0x0 4K ram\n", 3, "no 'board NAME' line");
    expect_error("board x\n", 2, "no 'region' lines");
    expect_error(HEAD "region A 0x0 4K ram\x01\n", 3, "unexpected byte 0x01");
}

/* The error buffer is never overrun, even when it is tiny. */
/* Inconsistent files (issue 16): each error names the line of the second, conflicting entry. */
#define FLASH "region F 0x90000000 1M flash erase=4K program=256\n"
static void test_rejects_inconsistent_files(void **state)
{
    (void)state;
    expect_error(HEAD "region A 0x0 4K ram\nboard u\n", 4, "second 'board' line (already 't')");
    expect_error(HEAD "cpu cortex-m4\n", 3, "second 'cpu' line (already 'cortex-m7')");
    /* slots overlapping each other, by one byte at either edge */
    expect_error(HEAD FLASH "slot A 0x90000000 64K\nslot B 0x9000F000 8K\n", 5,
                 "slot B (0x9000f000..0x90010fff) overlaps slot A (0x90000000..0x9000ffff)");
    expect_error(HEAD FLASH "slot A 0x90010000 64K\n\nslot B 0x9000F000 0x1001\n", 6,
                 "overlaps slot A");
    /* a slot on a reserved range (the bootloader's own flash), a word in one */
    expect_error(HEAD FLASH "reserve BOOT 0x90000000 64K\nslot A 0x9000F000 64K\n", 5,
                 "slot A (0x9000f000..0x9001efff) overlaps reserve BOOT");
    expect_error(HEAD "region A 0x0 4K ram\nreserve R 0x0 1K\nword W 0x3FC\n", 5,
                 "word W (0x000003fc..0x000003ff) overlaps reserve R");
    /* touching ranges are fine */
    assert_int_equal(parse(HEAD FLASH "slot A 0x90000000 64K\nslot B 0x90010000 64K\n"), 0);
}

static void test_small_error_buffer(void **state)
{
    (void)state;
    char small[8];
    memset(small, 'x', sizeof small);
    const char *t = HEAD "region A 0x0 4K ram bogus\n";
    assert_int_equal(h7_board_parse(t, strlen(t), "t.board", &board, small, sizeof small), -1);
    assert_int_equal(small[sizeof small - 1], '\0');
}

/* The shipped boards parse, are compiled into the tools, and keep the facts others rely on. */
static void test_shipped_boards(void **state)
{
    (void)state;
    for (const struct h7_builtin_board *b = h7_builtin_boards; b->name; b++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s.board", H7_BOARDS_DIR, b->name);
        assert_int_equal(h7_board_load(path, &board, err, sizeof err), 0);
        struct h7_board by_name;
        assert_int_equal(h7_board_load(b->name, &by_name, err, sizeof err), 0);
        assert_memory_equal(&board, &by_name, sizeof board);
        /* Every board has an app slot and a bootloader reservation. */
        assert_non_null(h7_board_range(&board, H7_RANGE_SLOT, "APP"));
        assert_non_null(h7_board_range(&board, H7_RANGE_RESERVED, "BOOTLOADER"));
        assert_non_null(h7_board_range(&board, H7_RANGE_WORD, "BOOT_REQUEST"));
    }
    assert_int_equal(h7_board_load("daisy-seed", &board, err, sizeof err), 0);
    const struct h7_range *slot = h7_board_range(&board, H7_RANGE_SLOT, "APP");
    assert_int_equal(slot->origin, 0x90040000u); /* libDaisy's program address */
    const struct h7_region *dtcm = h7_board_region(&board, "DTCM");
    assert_non_null(dtcm);
    assert_false(dtcm->dma & (H7_DMA_DMA1 | H7_DMA_DMA2 | H7_DMA_SDMMC1));
    assert_int_equal(h7_board_region(&board, "SDRAM")->init, H7_INIT_SDRAM);
}

static void test_unknown_board_name(void **state)
{
    (void)state;
    assert_int_equal(h7_board_load("no-such-board", &board, err, sizeof err), -1);
    assert_non_null(strstr(err, "unknown board 'no-such-board'"));
    assert_non_null(strstr(err, "daisy-seed"));
    assert_int_equal(h7_board_load("/nonexistent/x.board", &board, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot open"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minimal_board),
        cmocka_unit_test(test_queries),
        cmocka_unit_test(test_rejects_overlapping_regions),
        cmocka_unit_test(test_rejects_unknown_attribute),
        cmocka_unit_test(test_rejects_inconsistent_files),
        cmocka_unit_test(test_rejects_bad_numbers),
        cmocka_unit_test(test_rejects_structure_errors),
        cmocka_unit_test(test_small_error_buffer),
        cmocka_unit_test(test_shipped_boards),
        cmocka_unit_test(test_unknown_board_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
