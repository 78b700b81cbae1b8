/* Random power cuts, 10,200 of them (3 fault models x 3,400), each followed by a check that fails
 * the test on any lost or garbage key. Random sets (values ending in 0xFF included: fx_value with
 * odd gen; most go to 8 hot keys, the rest to 40 that change seldom), deletes and gc_steps run on the NOR simulator until the cut; then power comes back and
 *   - mount: half the time a first mount runs with power failing again at a random read (mount
 *     only reads, so the flash must come out of it unchanged and the next mount must work);
 *   - check: every key holds its committed value (the interrupted one: old or new), also after a
 *     second remount every fourth time;
 *   - recovery: half the time the next cut is armed at the 1st to 3rd program/erase after the
 *     remount, where the store finishes what the cut left (a dirty free unit to erase, a
 *     collection to redo), and half of those times a gc_step runs first so the cut lands inside
 *     the recovering gc_step.
 * The test counts where the cuts landed (set/delete, gc_step, recovery, mount) and fails when a
 * kind never happened, so the coverage it claims is checked too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_fixture.h"

#define CUTS_PER_MODEL 3400

static struct fx fx;
static struct fx_model model, alt;

/* A flash whose reads fail with H7_FLASH_EPOWER from the n-th on: power failing during mount.
 * Programs and erases go through unchanged (mount must not issue any: the test checks). */
static struct nor_sim *flaky_sim;
static uint32_t flaky_reads_left;

static int flaky_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
    (void)ctx;
    if (!flaky_reads_left)
        return H7_FLASH_EPOWER;
    flaky_reads_left--;
    return flaky_sim->flash.ops->read(flaky_sim->flash.ctx, off, buf, len);
}

static int flaky_program(void *ctx, uint32_t off, const void *buf, uint32_t len)
{
    (void)ctx;
    return flaky_sim->flash.ops->program(flaky_sim->flash.ctx, off, buf, len);
}

static int flaky_erase(void *ctx, uint32_t off, uint32_t size)
{
    (void)ctx;
    return flaky_sim->flash.ops->erase(flaky_sim->flash.ctx, off, size);
}

static const struct h7_flash_ops flaky_ops = {flaky_read, flaky_program, flaky_erase};

struct counts {
    unsigned in_update, in_gc_step, in_recovery, mount_cut_short, mount_completed;
};

/* A mount whose power fails at a random read: it fails or completes, and writes nothing. */
static void cut_mount(struct counts *n)
{
    struct h7_flash flaky = fx.sim.flash;
    struct h7_store st;
    struct h7_store_config cfg = fx.cfg;
    flaky.ops = &flaky_ops;
    cfg.flash = &flaky;
    flaky_sim = &fx.sim;
    flaky_reads_left = (uint32_t)(rand() % 300);
    uint64_t writes = nor_sim_stats(&fx.sim)->programs + nor_sim_stats(&fx.sim)->erases;
    int rc = h7_store_mount(&st, &cfg);
    if (rc != 0 && rc != H7_FLASH_EPOWER)
        fail_msg("mount with power failing at read %u returned %d", flaky_reads_left, rc);
    assert_int_equal(nor_sim_stats(&fx.sim)->programs + nor_sim_stats(&fx.sim)->erases, writes);
    if (rc)
        n->mount_cut_short++;
    else
        n->mount_completed++;
}

/* One random operation; *key: the key it writes (-1 for gc_step). Updates alt, not model. */
static int random_op(uint32_t *gen, int *key)
{
    uint8_t v[FX_VAL_MAX];
    /* Most writes go to 8 hot keys; the other 40 change seldom, so the oldest units still hold
     * live records when they are collected and cuts land among the copies. */
    int i = rand() % 5 ? rand() % 8 : rand() % 48, what = rand() % 10, rc;
    uint32_t len = what < 7 ? 32 : (uint32_t)(rand() % 300);
    alt = model;
    *key = i;
    if (what == 9) {
        *key = -1;
        return h7_store_gc_step(&fx.st);
    }
    if (what == 8) {
        rc = h7_store_delete(&fx.st, fx_key(i));
        fx_model_set(&alt, i, NULL, 0);
        return rc == H7_STORE_ENOENT ? 0 : rc;
    }
    fx_value(v, len, i, (*gen)++);
    fx_model_set(&alt, i, v, len);
    return h7_store_set(&fx.st, fx_key(i), v, len);
}

static void check_after_cut(enum nor_sim_fault fault, int c, int key, int remounts)
{
    for (int pass = 0; pass < remounts; pass++) {
        int rc = fx_mount(&fx);
        if (rc)
            fail_msg("fault %d cut %d: mount returned %d", fault, c, rc);
        const char *why = fx_check(&fx, &model, key >= 0 ? &alt : NULL, key);
        if (why)
            fail_msg("fault %d cut %d (remount %d): %s", fault, c, pass + 1, why);
    }
    if (key >= 0)
        fx_settle(&fx, &model, key);
}

static void random_run(enum nor_sim_fault fault, uint64_t seed)
{
    struct counts n = {0};
    fx_init(&fx, 64u << 10, 4096, seed);
    assert_int_equal(fx_mount(&fx), 0);
    memset(&model, 0, sizeof model);
    srand((unsigned)seed);
    uint32_t gen = 0;
    int recovering = 0; /* the cut is armed at one of the first writes after a remount */
    for (int c = 0; c < CUTS_PER_MODEL; c++) {
        recovering = rand() % 2;
        nor_sim_cut_at(&fx.sim, recovering ? 1 + (uint64_t)(rand() % 3)
                                           : 1 + (uint64_t)(rand() % 40), fault);
        int key = -1, rc = 0;
        if (recovering && rand() % 2) /* recovery through the app's gc_step */
            rc = h7_store_gc_step(&fx.st);
        while (rc == 0) {
            if ((rc = random_op(&gen, &key)) == 0)
                model = alt;
        }
        if (rc != H7_FLASH_EPOWER)
            fail_msg("fault %d cut %d: an operation failed with %d before the cut", fault, c, rc);
        if (recovering)
            n.in_recovery++;
        else if (key < 0)
            n.in_gc_step++;
        else
            n.in_update++;
        nor_sim_power_on(&fx.sim);
        if (rand() % 2)
            cut_mount(&n);
        check_after_cut(fault, c, key, c % 4 ? 1 : 2);
    }
    printf("fault model %d: %d cuts (%u in set/delete, %u in gc_step, %u in recovery), "
           "%u mounts cut short by power failing at a read (+%u that completed): every key "
           "checked after each, none lost or garbage\n",
           fault, CUTS_PER_MODEL, n.in_update, n.in_gc_step, n.in_recovery, n.mount_cut_short,
           n.mount_completed);
    if (!n.in_update || !n.in_gc_step || !n.in_recovery || !n.mount_cut_short)
        fail_msg("fault %d: some kind of cut never happened", fault);
    fx_free(&fx);
}

static void test_clean_cuts(void **state)
{
    (void)state;
    random_run(NOR_SIM_CUT_CLEAN, 101);
}

static void test_torn_program_cuts(void **state)
{
    (void)state;
    random_run(NOR_SIM_CUT_TORN_PROGRAM, 202);
}

static void test_torn_erase_cuts(void **state)
{
    (void)state;
    random_run(NOR_SIM_CUT_TORN_ERASE, 303);
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
