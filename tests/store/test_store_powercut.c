/*
 * Exhaustive power cuts (the littlefs way): for each scenario, cut power at the 1st, 2nd, 3rd ...
 * program or erase of the scenario, for every one until the scenario runs to its end, under each
 * fault model (clean cut, torn program, torn erase). After each cut: power on, remount twice and
 * verify every key (the interrupted write may show its old or its new value, nothing else), then
 * keep using the store (rewrite every key, garbage-collect, remount, verify) to prove the cut left
 * it fully usable. "Cut during recovery" cuts a second time while the store works after the first.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_fixture.h"

enum op_kind { OP_SET, OP_DELETE, OP_GC };

struct op {
    enum op_kind kind;
    int key;
    uint32_t len, gen;
};

#define MAX_OPS 2000
struct scenario {
    const char *name;
    struct op prep[MAX_OPS]; /* run before the cuts start */
    int n_prep;
    struct op act[MAX_OPS]; /* the operations being cut */
    int n_act;
    int must_erase; /* the scenario is about garbage collection: its uncut run must erase */
};

static struct fx fx;
static uint8_t snapshot[64u << 10];
static struct fx_model base_model, model, alt;
static uint64_t total_runs;

static const enum nor_sim_fault faults[] = {NOR_SIM_CUT_CLEAN, NOR_SIM_CUT_TORN_PROGRAM,
                                            NOR_SIM_CUT_TORN_ERASE};

/* Run one op; on success apply it to m. Returns the store's result. */
static int run_op(struct fx *f, const struct op *o, struct fx_model *m)
{
    uint8_t v[FX_VAL_MAX];
    int rc;
    switch (o->kind) {
    case OP_SET:
        fx_value(v, o->len, o->key, o->gen);
        rc = h7_store_set(&f->st, fx_key(o->key), v, o->len);
        if (rc == 0)
            fx_model_set(m, o->key, v, o->len);
        return rc;
    case OP_DELETE:
        rc = h7_store_delete(&f->st, fx_key(o->key));
        if (rc == 0)
            fx_model_set(m, o->key, NULL, 0);
        return rc;
    default:
        return h7_store_gc_step(&f->st);
    }
}

/* Run ops from the start; stop at the first failure. Returns the index of the failed op (its
 * effect allowed in `alt`), or n when all passed. */
static int run_ops(const struct op *ops, int n)
{
    for (int i = 0; i < n; i++) {
        alt = model;
        int rc = run_op(&fx, &ops[i], &alt);
        if (rc == H7_FLASH_EPOWER) {
            if (ops[i].kind != OP_GC) {
                struct op o = ops[i];
                uint8_t v[FX_VAL_MAX];
                fx_value(v, o.len, o.key, o.gen);
                fx_model_set(&alt, o.key, o.kind == OP_SET ? v : NULL, o.len);
            }
            return i;
        }
        if (rc)
            fail_msg("op %d failed with %d before any cut", i, rc);
        model = alt;
    }
    return n;
}

static void verify(const char *what, const struct scenario *sc, int cut, int failed_key)
{
    for (int pass = 0; pass < 2; pass++) {
        int rc = fx_mount(&fx);
        if (rc)
            fail_msg("%s: %s: mount after cut %d returned %d", sc->name, what, cut, rc);
        const char *why = fx_check(&fx, &model, failed_key >= 0 ? &alt : NULL, failed_key);
        if (why)
            fail_msg("%s: %s: after cut at op %d (remount %d): %s", sc->name, what, cut, pass + 1,
                     why);
    }
    /* Settle the interrupted key into the model: whichever value the store shows is now the
     * truth (old or new were both allowed). */
    if (failed_key >= 0)
        fx_settle(&fx, &model, failed_key);
}

/* After a cut the store must keep working: rewrite some keys, collect, remount, check all. */
static void keep_using(const struct scenario *sc, int cut)
{
    for (int i = 0, done = 0; i < FX_MAX_KEYS && done < 6; i++) {
        if (!model.present[i])
            continue;
        done++;
        struct op o = {OP_SET, i, model.len[i], 1000 + (uint32_t)i};
        int rc = run_op(&fx, &o, &model);
        if (rc)
            fail_msg("%s: after cut %d, rewriting key %d failed: %d", sc->name, cut, i, rc);
    }
    for (int k = 0; k < 64 && h7_store_gc_needed(&fx.st); k++)
        assert_int_equal(h7_store_gc_step(&fx.st), 0);
    assert_int_equal(fx_mount(&fx), 0);
    const char *why = fx_check(&fx, &model, NULL, -1);
    if (why)
        fail_msg("%s: after cut %d and further use: %s", sc->name, cut, why);
}

static void prepare(const struct scenario *sc)
{
    memset(nor_sim_data(&fx.sim), 0xFF, fx.cfg.size);
    memset(&model, 0, sizeof model);
    assert_int_equal(fx_mount(&fx), 0);
    if (run_ops(sc->prep, sc->n_prep) != sc->n_prep)
        fail_msg("%s: preparation failed", sc->name);
    base_model = model;
    memcpy(snapshot, nor_sim_data(&fx.sim), fx.cfg.size);
}

static void restore(void)
{
    memcpy(nor_sim_data(&fx.sim), snapshot, fx.cfg.size);
    model = base_model;
    nor_sim_power_on(&fx.sim);
    assert_int_equal(fx_mount(&fx), 0);
}

/* Cut at every op of sc->act under every fault model. With `second`, each first cut is followed
 * by recovery work that is itself cut at every op (cut during recovery). */
static void cut_everywhere(const struct scenario *sc, int second)
{
    prepare(sc);
    for (unsigned f = 0; f < sizeof faults / sizeof faults[0]; f++) {
        for (uint64_t n = 1;; n++) {
            restore();
            uint64_t erases = nor_sim_stats(&fx.sim)->erases;
            nor_sim_cut_at(&fx.sim, n, faults[f]);
            int failed = run_ops(sc->act, sc->n_act);
            int was_cut = nor_sim_power_is_off(&fx.sim);
            nor_sim_power_on(&fx.sim);
            total_runs++;
            if (!was_cut) {
                assert_int_equal(failed, sc->n_act);
                assert_int_equal(fx_mount(&fx), 0);
                const char *why = fx_check(&fx, &model, NULL, -1);
                if (why)
                    fail_msg("%s: uncut run: %s", sc->name, why);
                if (n < 2)
                    fail_msg("%s: the scenario does no flash operation", sc->name);
                if (sc->must_erase && nor_sim_stats(&fx.sim)->erases == erases)
                    fail_msg("%s: the scenario never collects", sc->name);
                break;
            }
            int key =
                failed < sc->n_act && sc->act[failed].kind != OP_GC ? sc->act[failed].key : -1;
            verify("first cut", sc, (int)n, key);
            if (!second) {
                keep_using(sc, (int)n);
                continue;
            }
            /* Recovery: the rest of the scenario again from a fresh mount, cut at every op. */
            uint8_t after_first[64u << 10];
            struct fx_model m1 = model;
            memcpy(after_first, nor_sim_data(&fx.sim), fx.cfg.size);
            for (uint64_t n2 = 1;; n2++) {
                memcpy(nor_sim_data(&fx.sim), after_first, fx.cfg.size);
                model = m1;
                assert_int_equal(fx_mount(&fx), 0);
                nor_sim_cut_at(&fx.sim, n2, faults[f]);
                int failed2 = run_ops(sc->act, sc->n_act);
                int cut2 = nor_sim_power_is_off(&fx.sim);
                nor_sim_power_on(&fx.sim);
                total_runs++;
                if (!cut2)
                    break;
                int key2 = failed2 < sc->n_act && sc->act[failed2].kind != OP_GC
                               ? sc->act[failed2].key
                               : -1;
                verify("second cut", sc, (int)n2, key2);
            }
            keep_using(sc, (int)n);
        }
    }
}

static void add(struct op *ops, int *n, enum op_kind kind, int key, uint32_t len, uint32_t gen)
{
    if (*n >= MAX_OPS)
        fail_msg("scenario too long");
    ops[(*n)++] = (struct op){kind, key, len, gen};
}

static struct scenario sc;

static void test_first_write(void **state)
{
    (void)state;
    memset(&sc, 0, sizeof sc);
    sc.name = "first write";
    add(sc.act, &sc.n_act, OP_SET, 0, 32, 1);
    cut_everywhere(&sc, 0);
}

static void test_overwrite_and_delete(void **state)
{
    (void)state;
    memset(&sc, 0, sizeof sc);
    sc.name = "overwrite, delete";
    for (int i = 0; i < 10; i++)
        add(sc.prep, &sc.n_prep, OP_SET, i, 20 + (uint32_t)i * 30, 1);
    add(sc.act, &sc.n_act, OP_SET, 3, 32, 2);   /* overwrite, same size */
    add(sc.act, &sc.n_act, OP_SET, 4, 300, 3);  /* overwrite, crosses program pages */
    add(sc.act, &sc.n_act, OP_DELETE, 5, 0, 0); /* delete */
    add(sc.act, &sc.n_act, OP_SET, 5, 1024, 5); /* re-create, largest value */
    add(sc.act, &sc.n_act, OP_SET, 11, 0, 0);   /* empty value */
    cut_everywhere(&sc, 0);
}

/* Static keys fill the oldest unit; one key is rewritten until the log wraps, so garbage
 * collection must copy a unit full of live records, both inside set and through gc_step. */
static void build_gc_scenario(const char *name, int with_gc_step, int lead)
{
    memset(&sc, 0, sizeof sc);
    sc.name = name;
    for (int i = 0; i < 30; i++)
        add(sc.prep, &sc.n_prep, OP_SET, i, 100, 1);
    /* Where that happens depends on the GC policy (the log limit, I10): a dry run finds the
     * first update of key 40 that both erases (the head came round to a retired unit) and copies
     * the 30 static records (programs more than 30 times); the cut updates start `lead` updates
     * before it. */
    prepare(&sc);
    int hot = 0;
    for (uint32_t gen = 2;; gen++, hot++) {
        struct op o = {OP_SET, 40, 30, gen};
        struct nor_sim_stats before = *nor_sim_stats(&fx.sim);
        assert_int_equal(run_op(&fx, &o, &model), 0);
        if (nor_sim_stats(&fx.sim)->erases > before.erases &&
            nor_sim_stats(&fx.sim)->programs > before.programs + 30)
            break;
        if (hot > MAX_OPS - 100)
            fail_msg("%s: no update collects a unit of static records", name);
    }
    uint32_t gen = 2;
    for (int k = 0; k < hot - lead; k++)
        add(sc.prep, &sc.n_prep, OP_SET, 40, 30, gen++);
    for (int k = 0; k < 30; k++) {
        add(sc.act, &sc.n_act, OP_SET, 40, 30, gen++);
        if (with_gc_step)
            add(sc.act, &sc.n_act, OP_GC, 0, 0, 0);
    }
    add(sc.act, &sc.n_act, OP_DELETE, 7, 0, 0);
    add(sc.act, &sc.n_act, OP_SET, 8, 100, gen++);
    sc.must_erase = 1;
}

static void test_gc_of_full_unit(void **state)
{
    (void)state;
    /* The preparation is too long for the op array: it is generated in pieces. */
    build_gc_scenario("gc of a full unit (inside set)", 0, 15);
    cut_everywhere(&sc, 0);
    build_gc_scenario("gc of a full unit (gc_step)", 1, 15);
    cut_everywhere(&sc, 0);
}

/* Nearly at capacity with 1 KB values: every collection copies a lot. */
static void test_full_partition(void **state)
{
    (void)state;
    memset(&sc, 0, sizeof sc);
    sc.name = "full partition";
    struct h7_store_stat st;
    h7_store_stat(&fx.st, &st);
    int n = (int)(st.capacity_bytes / 1034) - 1;
    for (int i = 0; i < n; i++)
        add(sc.prep, &sc.n_prep, OP_SET, i, 1024, 1);
    for (int k = 0; k < 12; k++)
        add(sc.act, &sc.n_act, OP_SET, k % n, 1024, 2 + (uint32_t)k);
    add(sc.act, &sc.n_act, OP_SET, n, 900, 1); /* fills what is left */
    sc.must_erase = 1;
    cut_everywhere(&sc, 0);
}

static void test_cut_during_recovery(void **state)
{
    (void)state;
    build_gc_scenario("cut during recovery", 1, 0);
    sc.n_act = 2; /* keep the nested loops small: the set that erases and collects, a gc_step */
    cut_everywhere(&sc, 1);
}

static int setup(void **state)
{
    (void)state;
    fx_init(&fx, 64u << 10, 4096, 11);
    return fx_mount(&fx);
}

static int teardown(void **state)
{
    (void)state;
    printf("power-cut runs so far: %llu\n", (unsigned long long)total_runs);
    fx_free(&fx);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_first_write, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overwrite_and_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gc_of_full_unit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_partition, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cut_during_recovery, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
