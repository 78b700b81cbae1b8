/*
 * test_placement_consistency — the placement parser (tools/h7boot/mem_placement.c) refuses
 * files that contradict themselves or the board, each with the line (issue 16): a second
 * preset/stack/heap line, a stack or heap larger than its region (the 4 GB stack in a 128 KB
 * DTCM), stack and heap that do not fit in one region together.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "board_parse.h"
#include "mem_placement.h"

static struct h7_board board;
static struct h7_plan *plan;
static char err[512];

static void expect(const char *text, const char *message)
{
    if (h7_placement_plan(text, strlen(text), "t.place", &board, plan, err, sizeof err) != -1)
        fail_msg("accepted: %s", text);
    if (!strstr(err, message))
        fail_msg("expected '%s', got '%s'", message, err);
}

static void test_placement_rejects_inconsistent_files(void **state)
{
    (void)state;
    expect("preset ram-load\nstack DTCM 0xFFFFFFFF\n",
           "t.place:2: stack of 4294967295 bytes does not fit in DTCM (131072 bytes)");
    expect("preset ram-load\nstack DTCM 4095M\n", "t.place:2: stack of 4293918720 bytes");
    expect("preset ram-load\nheap SRAM3 33K\n", "t.place:2: heap of 33792 bytes does not fit in "
                                                "SRAM3");
    expect("preset ram-load\nstack DTCM 64K\n\nheap DTCM 65K\n",
           "t.place:4: heap of 66560 bytes (with the other of stack and heap) does not fit");
    expect("preset ram-load\nstack DTCM 8K\nstack DTCM 16K\n",
           "t.place:3: second 'stack' line (the first is line 2)");
    expect("preset ram-load\n# two presets\npreset qspi-xip\n",
           "t.place:3: second 'preset' line (the first is line 1)");
    expect("preset ram-load\nheap SDRAM 1M\nheap SDRAM 2M\n",
           "t.place:3: second 'heap' line (the first is line 2)");
    /* what fits is fine: a whole region, stack and heap sharing one exactly */
    const char *ok = "preset ram-load\nstack DTCM 64K\nheap DTCM 64K\n";
    assert_int_equal(h7_placement_plan(ok, strlen(ok), "t.place", &board, plan, err, sizeof err),
                     0);
}

int main(void)
{
    plan = malloc(sizeof *plan);
    if (!plan || h7_board_load("daisy-seed", &board, err, sizeof err))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_placement_rejects_inconsistent_files),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    free(plan);
    return rc;
}
