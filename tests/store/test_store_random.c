/* Random long runs: random sets/deletes/gc_steps on the NOR simulator with a power cut at a random
 * operation, under each fault model, values ending in 0xFF included (fx_value with odd gen). After
 * each cut: remount twice, every key must hold its committed value (the interrupted one: old or
 * new). Prints how many cuts ran and how many keys were lost (must be 0). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_fixture.h"

static struct fx fx;
static struct fx_model model, alt;

static void random_run(enum nor_sim_fault fault, uint64_t seed, int cuts)
{
    fx_init(&fx, 64u << 10, 4096, seed);
    assert_int_equal(fx_mount(&fx), 0);
    memset(&model, 0, sizeof model);
    srand((unsigned)seed);
    uint32_t gen = 0;
    for (int c = 0; c < cuts; c++) {
        nor_sim_cut_at(&fx.sim, 1 + (uint64_t)(rand() % 40), fault);
        int key = -1;
        for (;;) {
            uint8_t v[FX_VAL_MAX];
            int i = rand() % 32, what = rand() % 10, rc;
            uint32_t len = what < 7 ? 32 : (uint32_t)(rand() % 300);
            alt = model;
            if (what == 9) {
                rc = h7_store_gc_step(&fx.st);
                i = -1;
            } else if (what == 8) {
                rc = h7_store_delete(&fx.st, fx_key(i));
                fx_model_set(&alt, i, NULL, 0);
                if (rc == H7_STORE_ENOENT)
                    rc = 0;
            } else {
                fx_value(v, len, i, gen++);
                rc = h7_store_set(&fx.st, fx_key(i), v, len);
                fx_model_set(&alt, i, v, len);
            }
            if (rc == H7_FLASH_EPOWER) {
                key = i;
                break;
            }
            assert_int_equal(rc, 0);
            model = alt;
        }
        nor_sim_power_on(&fx.sim);
        for (int pass = 0; pass < 2; pass++) {
            assert_int_equal(fx_mount(&fx), 0);
            const char *why = fx_check(&fx, &model, key >= 0 ? &alt : NULL, key);
            if (why)
                fail_msg("fault %d seed %llu cut %d: %s", fault, (unsigned long long)seed, c, why);
        }
        if (key >= 0) {
            uint8_t b[FX_VAL_MAX];
            uint32_t len;
            if (h7_store_get(&fx.st, fx_key(key), b, sizeof b, &len) == 0)
                fx_model_set(&model, key, b, len);
            else
                fx_model_set(&model, key, NULL, 0);
        }
    }
    printf("fault model %d: %d random cuts, 0 keys lost\n", fault, cuts);
    fx_free(&fx);
}

static void test_clean_cuts(void **state)
{
    (void)state;
    random_run(NOR_SIM_CUT_CLEAN, 101, 1200);
}

static void test_torn_program_cuts(void **state)
{
    (void)state;
    random_run(NOR_SIM_CUT_TORN_PROGRAM, 202, 1200);
}

static void test_torn_erase_cuts(void **state)
{
    (void)state;
    random_run(NOR_SIM_CUT_TORN_ERASE, 303, 1200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_cuts),
        cmocka_unit_test(test_torn_program_cuts),
        cmocka_unit_test(test_torn_erase_cuts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
