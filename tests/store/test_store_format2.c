/* Format-2 partitions written by the store as it was before the bounded log (tests/store/format2,
 * commit 9c1ca66: GC erased what it collected, the log filled the ring, mount read every unit)
 * must mount with the current store with every key, in every shape the old code leaves: the log
 * wrapped round the ring or not, unit 0 erased or in the log, the tail anywhere. The current
 * store then keeps writing on it (its head runs into the old erased units, its GC leaves retired
 * units behind: mixed shapes, checked at every remount), and the old code still reads what the
 * current store wrote (a downgrade keeps the data too). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format2/v2_store.h"
#include "store_fixture.h"

static struct fx fx;
static struct fx_model model;

/* Random writes by either code: most to 8 hot keys, some to 40 that change seldom, a few deletes. */
static void writes(int n, int old_code, uint32_t *gen, int gc)
{
    uint8_t v[FX_VAL_MAX];
    for (int k = 0; k < n; k++) {
        int i = rand() % 5 ? rand() % 8 : rand() % 48, rc;
        uint32_t len = rand() % 8 ? 32 : (uint32_t)(rand() % 200);
        if (rand() % 20 == 0) {
            rc = old_code ? v2_store_delete(&fx.st, fx_key(i)) : h7_store_delete(&fx.st, fx_key(i));
            if (rc == H7_STORE_ENOENT)
                rc = 0;
            fx_model_set(&model, i, NULL, 0);
        } else {
            fx_value(v, len, i, (*gen)++);
            rc = old_code ? v2_store_set(&fx.st, fx_key(i), v, len)
                          : h7_store_set(&fx.st, fx_key(i), v, len);
            fx_model_set(&model, i, v, len);
        }
        if (rc)
            fail_msg("%s code: write %d failed with %d", old_code ? "format-2" : "current", k, rc);
        while (gc && (old_code ? v2_store_gc_needed(&fx.st) : h7_store_gc_needed(&fx.st)))
            assert_int_equal(old_code ? v2_store_gc_step(&fx.st) : h7_store_gc_step(&fx.st), 0);
    }
}

/* Every key as the model says, read through the old code's mount and get. */
static void check_with_old_code(const char *what)
{
    static uint8_t b[FX_VAL_MAX];
    assert_int_equal(v2_store_mount(&fx.st, &fx.cfg), 0);
    for (int i = 0; i < FX_MAX_KEYS; i++) {
        uint32_t len = 0;
        int rc = v2_store_get(&fx.st, fx_key(i), b, sizeof b, &len);
        int ok = model.present[i] ? rc == 0 && len == model.len[i] && !memcmp(b, model.val[i], len)
                                  : rc == H7_STORE_ENOENT;
        if (!ok)
            fail_msg("%s: the format-2 code reads key index %d wrong (rc %d)", what, i, rc);
    }
}

static void check_with_new_code(const char *what)
{
    int rc = fx_mount(&fx);
    if (rc)
        fail_msg("%s: mount returned %d", what, rc);
    const char *why = fx_check(&fx, &model, NULL, -1);
    if (why)
        fail_msg("%s: %s", what, why);
}

static int unit_header_erased(uint32_t unit)
{
    const uint8_t *p = nor_sim_data(&fx.sim) + unit * 4096;
    for (int i = 0; i < 15; i++)
        if (p[i] != 0xFF)
            return 0;
    return 1;
}

/* The old code writes old_updates times; with ends_past_unit_1, on until units 0 and 1 are
 * free (erased) and the log lies in the middle of the ring: the shape the current mount cannot
 * binary-search (I9) and reads with the full scan. */
static void upgrade_run(uint32_t size, int old_updates, int new_updates, int gc, unsigned seed,
                        int ends_past_unit_1)
{
    char what[96];
    uint32_t gen = 0;
    fx_init(&fx, size, 4096, seed);
    memset(&model, 0, sizeof model);
    srand(seed);
    assert_int_equal(v2_store_mount(&fx.st, &fx.cfg), 0);
    writes(old_updates, 1, &gen, gc);
    for (int k = 0; ends_past_unit_1 && !(unit_header_erased(0) && unit_header_erased(1)); k++) {
        if (k > 20000)
            fail_msg("the format-2 log never left units 0 and 1");
        writes(1, 1, &gen, gc);
    }
    snprintf(what, sizeof what, "%u KB, %d format-2 writes%s", size >> 10, old_updates,
             gc ? " with gc_step" : "");
    check_with_new_code(what);
    for (int done = 0; done < new_updates; done += 250) {
        writes(250, 0, &gen, gc);
        snprintf(what, sizeof what, "%u KB, %d format-2 writes, then %d by the current code",
                 size >> 10, old_updates, done + 250);
        check_with_new_code(what);
    }
    check_with_old_code(what);
    writes(300, 1, &gen, gc); /* and back: the old code writes on, the current code reads */
    check_with_new_code(what);
    fx_free(&fx);
}

static void test_format2_partitions_of_every_shape_mount(void **state)
{
    (void)state;
    /* 64 KB (16 units): the old log fills 13 units and wraps after ~1300 writes; these counts put
     * its head and tail at many places of the ring, unit 0 erased in some of them. */
    for (int n = 300; n <= 4500; n += 350)
        upgrade_run(64u << 10, n, 2000, n % 2, 1000u + (unsigned)n, 0);
    /* Units 0 and 1 free, the log in the middle: with and without gc_step, twice. */
    for (int n = 1300; n <= 4000; n += 900)
        upgrade_run(64u << 10, n, 2000, n % 2, 2000u + (unsigned)n, 1);
}

static void test_format2_long_log_on_1mb_mounts(void **state)
{
    (void)state;
    /* 1 MB: the old log never wrapped and spans about 100 units; the current store keeps it
     * (its GC shortens it as it writes on). */
    upgrade_run(1u << 20, 10000, 1000, 0, 7, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format2_partitions_of_every_shape_mount),
        cmocka_unit_test(test_format2_long_log_on_1mb_mounts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
