/*
 * Unit tests of the placement file parser and planner (mem_placement.c): rules become output
 * sections in the right regions, with the right load regions and init kinds; bad files give
 * FILE:LINE messages.
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

static int setup(void **state)
{
    (void)state;
    plan = malloc(sizeof *plan);
    return !plan || h7_board_load("daisy-seed", &board, err, sizeof err);
}

static int teardown(void **state)
{
    (void)state;
    free(plan);
    return 0;
}

static int run(const char *text)
{
    return h7_placement_plan(text, strlen(text), "t.place", &board, plan, err, sizeof err);
}

static const struct h7_out_section *out(const char *name)
{
    for (size_t i = 0; i < plan->n_out; i++)
        if (!strcmp(plan->out[i].name, name))
            return &plan->out[i];
    fail_msg("no output section %s", name);
    return NULL;
}

static const char *region(int i) { return board.regions[i].name; }

static void test_spill_and_pins(void **state)
{
    (void)state;
    assert_int_equal(run("preset internal-flash\n"
                         "place object reverb.o bss -> DTCM   # pinned\n"
                         "place section .bss .bss.* COMMON -> DTCM, AXI_SRAM\n"
                         "place symbol fir -> ITCM\n"),
                     0);
    assert_true(plan->spill);
    const struct h7_out_section *pin = out(".obj.reverb.o");
    assert_string_equal(region(pin->region), "DTCM");
    assert_int_equal(pin->init, H7_INIT_ZERO);
    assert_string_equal(pin->patterns[0], "*reverb.o(.bss .bss.* COMMON)");
    assert_string_equal(region(out(".bss.AXI_SRAM")->region), "AXI_SRAM");
    /* the file's rule comes before the preset's default .bss: it wins the match */
    assert_true(out(".bss") < out(".bss.AXI_SRAM"));
    assert_true(pin < out(".bss"));
    /* the preset's own .bss rule says the same as the file's: dropped, not repeated */
    assert_string_equal(out(".bss")->patterns[0], "*(.bss .bss.* COMMON)");
    for (size_t i = 0; i < plan->n_out; i++)
        assert_string_not_equal(plan->out[i].name, ".bss.2");
    /* code for ITCM is copied from flash; the guard keeps address 0 free */
    const struct h7_out_section *fir = out(".sym.fir.data");
    assert_string_equal(region(fir->region), "ITCM");
    assert_string_equal(region(fir->load_region), "FLASH");
    assert_ptr_equal(&plan->out[0], out(".h7_null_guard"));
    assert_string_equal(region(out(".data")->load_region), "FLASH");
}

static void test_xip_and_ram_load(void **state)
{
    (void)state;
    assert_int_equal(run("preset qspi-xip\n"), 0);
    const struct h7_range *slot = h7_board_range(&board, H7_RANGE_SLOT, NULL);
    assert_int_equal(out(".isr_vector")->start, slot->origin);
    /* QSPI storage comes before the vectors: at the user area, not in the slot */
    assert_true(out(".h7_qspi.noinit") < out(".isr_vector"));
    assert_string_equal(region(out(".text")->region), "QSPI");

    assert_int_equal(run("preset ram-load\nstack DTCM 16K\nheap SDRAM 1M\n"), 0);
    assert_int_equal(plan->load_region, -1);
    for (size_t i = 0; i < plan->n_out; i++)
        assert_int_equal(plan->out[i].load_region, plan->out[i].region);
    assert_int_equal(plan->stack_size, 16384);
    assert_string_equal(region(plan->heap_region), "SDRAM");
}

static void test_errors_name_the_line(void **state)
{
    (void)state;
    assert_int_equal(run("place section .bss -> DTCM\n"), -1);
    assert_non_null(strstr(err, "no 'preset'"));
    assert_int_equal(run("preset ram-load\n\nplace section .bss -> NOWHERE\n"), -1);
    assert_non_null(strstr(err, "t.place:3: board daisy-seed has no region 'NOWHERE'"));
    assert_int_equal(run("preset warp\n"), -1);
    assert_non_null(strstr(err, "t.place:1:"));
    assert_int_equal(run("preset ram-load\nplace thing x -> DTCM\n"), -1);
    assert_non_null(strstr(err, "t.place:2: 'thing'"));
    assert_int_equal(run("preset ram-load\nstack DTCM lots\n"), -1);
    assert_non_null(strstr(err, "not a size"));
    assert_int_equal(run("preset ram-load\nplace object a.o code -> DTCM\n"), -1);
    assert_non_null(strstr(err, "'code' is not a kind"));
    assert_int_equal(run("preset ram-load\nplace section .bss -> DTCM DTCM\n"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spill_and_pins),
        cmocka_unit_test(test_xip_and_ram_load),
        cmocka_unit_test(test_errors_name_the_line),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
