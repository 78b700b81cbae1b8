/* Unit tests for the store's API and rules (store/h7_store.h) on the NOR simulator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h7_crc32.h"
#include "store_fixture.h"
#include "h7_settings.h"

static struct fx fx;
static struct fx_model model;

static int setup_64k(void **state)
{
    (void)state;
    fx_init(&fx, 64u << 10, 4096, 1);
    memset(&model, 0, sizeof model);
    return fx_mount(&fx);
}

static int teardown(void **state)
{
    (void)state;
    fx_free(&fx);
    return 0;
}

static void set_model(int i, uint32_t len, uint32_t gen)
{
    uint8_t v[FX_VAL_MAX];
    fx_value(v, len, i, gen);
    assert_int_equal(h7_store_set(&fx.st, fx_key(i), v, len), 0);
    fx_model_set(&model, i, v, len);
}

static void check(void)
{
    const char *why = fx_check(&fx, &model, NULL, 0);
    if (why)
        fail_msg("%s", why);
}

static void test_crc32_known_answer(void **state)
{
    (void)state;
    assert_int_equal(h7_crc32(0, "123456789", 9), 0xCBF43926u);
    uint32_t part = h7_crc32(0, "1234", 4);
    assert_int_equal(h7_crc32(part, "56789", 5), 0xCBF43926u);
}

static void test_empty_flash_mounts_empty(void **state)
{
    (void)state;
    uint8_t b[4];
    uint32_t len;
    struct h7_store_stat st;
    assert_int_equal(h7_store_get(&fx.st, 1, b, 4, &len), H7_STORE_ENOENT);
    assert_int_equal(h7_store_delete(&fx.st, 1), H7_STORE_ENOENT);
    h7_store_stat(&fx.st, &st);
    assert_int_equal(st.keys, 0);
    assert_int_equal(st.units, 16);
    assert_int_equal(st.units_used, 0);
    /* Mount wrote nothing. */
    assert_int_equal(nor_sim_stats(&fx.sim)->programs + nor_sim_stats(&fx.sim)->erases, 0);
}

static void test_set_get_overwrite_delete_remount(void **state)
{
    (void)state;
    set_model(0, 32, 0);
    set_model(1, 0, 0);
    set_model(2, 1024, 1);
    set_model(0, 17, 3); /* overwrite with another length, ending in 0xFF */
    check();
    assert_int_equal(h7_store_delete(&fx.st, fx_key(1)), 0);
    fx_model_set(&model, 1, NULL, 0);
    check();
    assert_int_equal(fx_mount(&fx), 0);
    check();
    assert_int_equal(fx_mount(&fx), 0);
    check();
}

static void test_get_cuts_short_and_read_offset(void **state)
{
    (void)state;
    uint8_t v[100], b[100];
    uint32_t len;
    fx_value(v, 100, 5, 0);
    assert_int_equal(h7_store_set(&fx.st, 42, v, 100), 0);
    memset(b, 0, sizeof b);
    assert_int_equal(h7_store_get(&fx.st, 42, b, 10, &len), 0);
    assert_int_equal(len, 100);
    assert_memory_equal(b, v, 10);
    assert_int_equal(b[10], 0);
    assert_int_equal(h7_store_read(&fx.st, 42, 90, b, 100, &len), 0);
    assert_memory_equal(b, v + 90, 10);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    static uint8_t big[H7_STORE_VALUE_MAX + 1];
    assert_int_equal(h7_store_set(&fx.st, 1, big, sizeof big), H7_STORE_EINVAL);
    assert_int_equal(h7_store_set(&fx.st, 1, NULL, 3), H7_STORE_EINVAL);
    struct h7_store s;
    struct h7_store_config c = fx.cfg;
    c.unit_size = 8192; /* neither erase size */
    assert_int_equal(h7_store_mount(&s, &c), H7_STORE_EINVAL);
    c = fx.cfg;
    c.offset = 100;
    assert_int_equal(h7_store_mount(&s, &c), H7_STORE_EINVAL);
    c = fx.cfg;
    c.size = 3 * 4096; /* fewer than 4 units */
    assert_int_equal(h7_store_mount(&s, &c), H7_STORE_EINVAL);
    c = fx.cfg;
    c.size = 128u << 10; /* past the device */
    assert_int_equal(h7_store_mount(&s, &c), H7_STORE_EINVAL);
    c = fx.cfg;
    c.index = NULL;
    assert_int_equal(h7_store_mount(&s, &c), H7_STORE_EINVAL);
}

struct seen {
    uint32_t n, key[8], len[8];
};

static int visit(void *ctx, uint32_t key, uint32_t len)
{
    struct seen *seen = ctx;
    seen->key[seen->n] = key;
    seen->len[seen->n++] = len;
    return 0;
}

static void test_iterate_in_key_order(void **state)
{
    (void)state;
    uint8_t v[8] = {0};
    uint32_t keys[] = {500, 7, 0xFFFFFFFFu, 0, 99};
    for (int i = 0; i < 5; i++)
        assert_int_equal(h7_store_set(&fx.st, keys[i], v, (uint32_t)i), 0);
    struct seen seen = {0};
    assert_int_equal(h7_store_iterate(&fx.st, visit, &seen), 0);
    assert_int_equal(seen.n, 5);
    uint32_t want[] = {0, 7, 99, 500, 0xFFFFFFFFu}, wlen[] = {3, 1, 4, 0, 2};
    for (int i = 0; i < 5; i++) {
        assert_int_equal(seen.key[i], want[i]);
        assert_int_equal(seen.len[i], wlen[i]);
    }
}

static void test_equal_value_writes_nothing(void **state)
{
    (void)state;
    uint8_t v[32];
    fx_value(v, 32, 1, 0);
    assert_int_equal(h7_store_set(&fx.st, 9, v, 32), 0);
    uint64_t programs = nor_sim_stats(&fx.sim)->programs;
    assert_int_equal(h7_store_set(&fx.st, 9, v, 32), 0);
    assert_int_equal(nor_sim_stats(&fx.sim)->programs, programs);
    v[31] ^= 1;
    assert_int_equal(h7_store_set(&fx.st, 9, v, 32), 0);
    assert_true(nor_sim_stats(&fx.sim)->programs > programs);
}

static void test_index_full_and_capacity(void **state)
{
    (void)state;
    static uint8_t v[1024];
    struct h7_store_stat st;
    int i = 0, rc;
    /* 64 KB of 4 KB units: capacity is (16 - 3) units of (4096 - 15 - 1034) bytes. */
    h7_store_stat(&fx.st, &st);
    assert_int_equal(st.capacity_bytes, 13 * (4096 - 15 - 1034));
    while ((rc = h7_store_set(&fx.st, fx_key(i), v, 1024)) == 0)
        i++;
    assert_int_equal(rc, H7_STORE_ENOSPC);
    h7_store_stat(&fx.st, &st);
    assert_int_equal(i, st.capacity_bytes / 1034);
    /* Small values still fit until the index is full. */
    for (int k = 0; k < i; k++)
        assert_int_equal(h7_store_delete(&fx.st, fx_key(k)), 0);
    for (i = 0; i < FX_MAX_KEYS; i++)
        assert_int_equal(h7_store_set(&fx.st, fx_key(i), v, 4), 0);
    assert_int_equal(h7_store_set(&fx.st, 12345, v, 4), H7_STORE_ENOMEM);
    /* Overwriting an existing key is fine with a full index; so is a remount. */
    assert_int_equal(h7_store_set(&fx.st, fx_key(3), v, 5), 0);
    assert_int_equal(fx_mount(&fx), 0);
    h7_store_stat(&fx.st, &st);
    assert_int_equal(st.keys, FX_MAX_KEYS);
    fx.cfg.index_capacity = FX_MAX_KEYS - 1;
    assert_int_equal(fx_mount(&fx), H7_STORE_ENOMEM);
}

static void test_other_unit_size_is_refused(void **state)
{
    (void)state;
    uint8_t v[4] = {1, 2, 3, 4};
    assert_int_equal(h7_store_set(&fx.st, 1, v, 4), 0);
    /* The same flash seen as a store of 64 KB units (a 1 MB device would be needed for four of
     * them, so use a bigger simulator). */
    struct fx big;
    fx_init(&big, 1u << 20, 65536, 2);
    memcpy(nor_sim_data(&big.sim), nor_sim_data(&fx.sim), 64u << 10);
    assert_int_equal(fx_mount(&big), H7_STORE_EFORMAT);
    assert_int_equal(h7_store_format(&big.st, &big.cfg), 0);
    assert_int_equal(h7_store_get(&big.st, 1, v, 4, &(uint32_t){0}), H7_STORE_ENOENT);
    fx_free(&big);
}

/* With gc_step run whenever gc_needed, set never erases; gc_step erases at most once. */
static void test_gc_step_keeps_erases_out_of_set(void **state)
{
    (void)state;
    srand(3);
    for (uint32_t n = 0; n < 5000; n++) {
        int i = rand() % 32;
        uint64_t erases = nor_sim_stats(&fx.sim)->erases;
        set_model(i, 32, n);
        assert_int_equal(nor_sim_stats(&fx.sim)->erases, erases);
        while (h7_store_gc_needed(&fx.st)) {
            erases = nor_sim_stats(&fx.sim)->erases;
            assert_int_equal(h7_store_gc_step(&fx.st), 0);
            assert_true(nor_sim_stats(&fx.sim)->erases <= erases + 1);
        }
    }
    check();
    assert_true(nor_sim_stats(&fx.sim)->erases > 20);
    assert_int_equal(fx_mount(&fx), 0);
    check();
}

/* Without gc_step, set collects by itself; wear stays even (max/mean <= 1.5). */
static void test_wear_is_even(void **state)
{
    (void)state;
    srand(4);
    for (uint32_t n = 0; n < 20000; n++)
        set_model(rand() % 32, (uint32_t)(rand() % 64), n);
    check();
    uint32_t max = 0, sum = 0;
    for (uint32_t u = 0; u < 16; u++) {
        uint32_t e = nor_sim_unit_erases(&fx.sim, u);
        sum += e;
        max = e > max ? e : max;
    }
    assert_true(sum > 100);
    assert_true(max * 16 <= sum * 3 / 2);
    struct h7_store_stat st;
    h7_store_stat(&fx.st, &st);
    /* Each unit is erased once per round of the ring. */
    assert_true(st.ring_cycles <= sum / 16 + 1 && st.ring_cycles + 1 >= sum / 16);
}

/* Erases of one set without gc_step (h7_store.h): the most any set did, over `n` random
 * overwrites of `keys` keys of `len` bytes (after writing each once), plus `fixed` keys written
 * once and never again; prints the mean. Fails if a set returns an error. */
static uint64_t max_erases_per_set(int keys, uint32_t len, int fixed, int n, unsigned seed)
{
    static struct h7_store_entry big_index[1024];
    static uint8_t v[1024];
    fx.cfg.index = big_index;
    fx.cfg.index_capacity = 1024;
    assert_int_equal(fx_mount(&fx), 0);
    srand(seed);
    for (int k = 0; k < fixed + keys; k++) {
        memset(v, k, len);
        assert_int_equal(h7_store_set(&fx.st, 1000u + (uint32_t)k, v, k < fixed ? 32 : len), 0);
    }
    uint64_t most = 0, first = nor_sim_stats(&fx.sim)->erases;
    for (int i = 0; i < n; i++) {
        uint64_t before = nor_sim_stats(&fx.sim)->erases;
        memset(v, rand(), len);
        assert_int_equal(h7_store_set(&fx.st, 1000u + (uint32_t)(fixed + rand() % keys), v, len), 0);
        uint64_t e = nor_sim_stats(&fx.sim)->erases - before;
        most = e > most ? e : most;
    }
    printf("%d keys x %u B (+%d written once), %d sets: %.2f erases per set on average, at most "
           "%llu\n",
           keys, len, fixed, n, (double)(nor_sim_stats(&fx.sim)->erases - first) / n,
           (unsigned long long)most);
    return most;
}

/* The reference workload (32 keys x 32 bytes) never needs more than one erase in a set. */
static void test_one_erase_per_set_for_small_data(void **state)
{
    (void)state;
    uint64_t most = max_erases_per_set(32, 32, 0, 5000, 6);
    assert_int_equal(most, 1);
}

/* Near capacity a set may have to collect several units in a row, at most one round of the log:
 * never more erases than units (16). Two workloads that do need several: 1 KB values filling
 * the capacity, and 900 never-rewritten 32-byte keys (95% of the capacity) with one hot key. */
static void test_erases_per_set_near_capacity_stay_below_units(void **state)
{
    (void)state;
    struct h7_store_stat st;
    h7_store_stat(&fx.st, &st);
    int big = (int)(st.capacity_bytes / 1034);
    uint64_t most = max_erases_per_set(big, 1024, 0, 3000, 7);
    assert_true(most > 1 && most <= st.units);
    memset(nor_sim_data(&fx.sim), 0xFF, 64u << 10);
    most = max_erases_per_set(1, 32, 900, 20000, 8);
    assert_true(most > 1 && most <= st.units);
}

static void test_works_with_64k_blocks(void **state)
{
    (void)state;
    fx_free(&fx);
    fx_init(&fx, 1u << 20, 65536, 5);
    assert_int_equal(fx_mount(&fx), 0);
    srand(5);
    for (uint32_t n = 0; n < 12000; n++)
        set_model(rand() % 40, 200, n);
    check();
    assert_true(nor_sim_stats(&fx.sim)->erases >= 10);
    assert_int_equal(nor_sim_stats(&fx.sim)->bytes_erased, nor_sim_stats(&fx.sim)->erases * 65536);
    assert_int_equal(fx_mount(&fx), 0);
    check();
}

static void test_stat_accounts_bytes(void **state)
{
    (void)state;
    struct h7_store_stat st;
    set_model(0, 32, 0);
    set_model(1, 32, 0);
    set_model(0, 32, 1);
    h7_store_stat(&fx.st, &st);
    assert_int_equal(st.keys, 2);
    assert_int_equal(st.live_bytes, 2 * 42);
    assert_int_equal(st.reclaimable_bytes, 42);
    assert_int_equal(st.units_used, 1);
    /* 13 spare units beyond the reserve of 2, plus the head's room. */
    assert_int_equal(st.free_bytes, (4096 - 15 - 3 * 42) + 13 * (4096 - 15));
    assert_int_equal(fx_mount(&fx), 0);
    struct h7_store_stat again;
    h7_store_stat(&fx.st, &again);
    assert_int_equal(again.live_bytes, st.live_bytes);
    assert_int_equal(again.reclaimable_bytes, st.reclaimable_bytes);
}

struct patch_v1 {
    uint32_t gain;
    uint8_t mode;
};
struct patch_v2 {
    uint32_t gain;
    uint8_t mode;
    uint32_t tempo;
};

static int upgrade_v1(void *ctx, uint16_t old_version, uint32_t old_size, void *data)
{
    struct patch_v2 *p = data;
    *(int *)ctx += 1;
    if (old_version != 1 || old_size != sizeof(struct patch_v1))
        return -1;
    p->gain *= 2; /* v2 counts gain in half steps */
    return 0;
}

static void test_settings_load_save_upgrade(void **state)
{
    (void)state;
    static const struct patch_v1 d1 = {10, 1};
    struct patch_v1 cur1;
    struct h7_settings s1 = {.store = &fx.st,
                             .key = 77,
                             .version = 1,
                             .size = sizeof cur1,
                             .data = &cur1,
                             .defaults = &d1};
    assert_int_equal(h7_settings_load(&s1), 1); /* nothing stored: defaults */
    assert_int_equal(cur1.gain, 10);
    cur1.gain = 33;
    assert_int_equal(h7_settings_save(&s1), 0);
    uint64_t programs = nor_sim_stats(&fx.sim)->programs;
    assert_int_equal(h7_settings_save(&s1), 0); /* unchanged: writes nothing */
    assert_int_equal(nor_sim_stats(&fx.sim)->programs, programs);
    assert_int_equal(fx_mount(&fx), 0);
    cur1.gain = 0;
    assert_int_equal(h7_settings_load(&s1), 0);
    assert_int_equal(cur1.gain, 33);
    assert_int_equal(h7_settings_save(&s1), 0);
    assert_int_equal(nor_sim_stats(&fx.sim)->programs, programs);

    /* Version 2 grew the struct: old fields kept, upgraded by the hook, new field defaulted. */
    static const struct patch_v2 d2 = {20, 2, 120};
    struct patch_v2 cur2;
    int calls = 0;
    struct h7_settings s2 = {.store = &fx.st,
                             .key = 77,
                             .version = 2,
                             .size = sizeof cur2,
                             .data = &cur2,
                             .defaults = &d2,
                             .upgrade = upgrade_v1,
                             .ctx = &calls};
    assert_int_equal(h7_settings_load(&s2), 0);
    assert_int_equal(calls, 1);
    assert_int_equal(cur2.gain, 66);
    assert_int_equal(cur2.mode, 1);
    assert_int_equal(cur2.tempo, 120);
    assert_int_equal(h7_settings_save(&s2), 0); /* upgraded data is written once */
    assert_true(nor_sim_stats(&fx.sim)->programs > programs);
    assert_int_equal(h7_settings_load(&s2), 0);
    assert_int_equal(calls, 1);
    assert_int_equal(cur2.gain, 66);
    /* A hook that refuses gives defaults. */
    s2.version = 3;
    assert_int_equal(h7_settings_load(&s2), 1);
    assert_int_equal(cur2.gain, 20);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_64k, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc32_known_answer),
        T(test_empty_flash_mounts_empty),
        T(test_set_get_overwrite_delete_remount),
        T(test_get_cuts_short_and_read_offset),
        T(test_bad_arguments),
        T(test_iterate_in_key_order),
        T(test_equal_value_writes_nothing),
        T(test_index_full_and_capacity),
        T(test_other_unit_size_is_refused),
        T(test_gc_step_keeps_erases_out_of_set),
        T(test_wear_is_even),
        T(test_works_with_64k_blocks),
        T(test_one_erase_per_set_for_small_data),
        T(test_erases_per_set_near_capacity_stay_below_units),
        T(test_stat_accounts_bytes),
        T(test_settings_load_save_upgrade),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
