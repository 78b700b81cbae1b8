/* Unit tests for the NOR flash simulator (ports/host/nor_sim): one test per rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nor_sim.h"

/* A small device: 256 KB, 4 KB sectors, 64 KB blocks, 256 B pages. */
static struct nor_sim_config small_config(void)
{
    struct nor_sim_config c = NOR_SIM_IS25LP064A;
    c.size = 256u << 10;
    return c;
}

static int setup(void **state)
{
    static struct nor_sim sim;
    struct nor_sim_config c = small_config();
    char err[128];
    if (nor_sim_init(&sim, &c, err, sizeof err) != 0)
        return -1;
    *state = &sim;
    return 0;
}

static int teardown(void **state)
{
    nor_sim_free(*state);
    return 0;
}

static void expect_all(const uint8_t *p, uint8_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != v)
            fail_msg("byte %zu is 0x%02x, expected 0x%02x", i, p[i], v);
}

static void test_starts_erased_with_geometry(void **state)
{
    struct nor_sim *sim = *state;
    uint8_t buf[64];
    assert_int_equal(sim->flash.size, 256u << 10);
    assert_int_equal(sim->flash.erase_size, 4096);
    assert_int_equal(sim->flash.erase_size_large, 65536);
    assert_int_equal(sim->flash.program_size, 256);
    assert_int_equal(h7_flash_read(&sim->flash, 1000, buf, sizeof buf), 0);
    expect_all(buf, 0xFF, sizeof buf);
    expect_all(nor_sim_data(sim), 0xFF, sim->flash.size);
}

static void test_bad_geometry_is_refused_with_field_name(void **state)
{
    (void)state;
    struct nor_sim sim;
    char err[160];
    struct nor_sim_config c = small_config();
    c.size = 5000;
    assert_int_equal(nor_sim_init(&sim, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "size 5000"));
    c = small_config();
    c.program_size = 3000;
    assert_int_equal(nor_sim_init(&sim, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "program_size"));
    c = small_config();
    c.erase_size_large = 6000;
    assert_int_equal(nor_sim_init(&sim, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "erase_size_large"));
}

static void test_program_ands_bits(void **state)
{
    struct nor_sim *sim = *state;
    uint8_t a[4] = {0xF0, 0x0F, 0xAA, 0xFF}, b[4] = {0x3C, 0xFF, 0x55, 0x00}, r[4];
    assert_int_equal(sim->flash.ops->program(sim->flash.ctx, 16, a, 4), 0);
    assert_int_equal(sim->flash.ops->program(sim->flash.ctx, 16, b, 4), 0);
    assert_int_equal(h7_flash_read(&sim->flash, 16, r, 4), 0);
    assert_int_equal(r[0], 0x30);
    assert_int_equal(r[1], 0x0F);
    assert_int_equal(r[2], 0x00);
    assert_int_equal(r[3], 0x00);
}

static void test_raw_program_wraps_inside_page(void **state)
{
    struct nor_sim *sim = *state;
    uint8_t data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    uint8_t *m = nor_sim_data(sim);
    /* 4 bytes fit before the end of page 1 (offset 512); the other 4 wrap to offset 256. */
    assert_int_equal(sim->flash.ops->program(sim->flash.ctx, 508, data, 8), 0);
    assert_memory_equal(m + 508, data, 4);
    assert_memory_equal(m + 256, data + 4, 4);
    expect_all(m + 512, 0xFF, 4);
    /* More than one page in one raw command is refused. */
    uint8_t big[257];
    memset(big, 0, sizeof big);
    assert_int_equal(sim->flash.ops->program(sim->flash.ctx, 0, big, 257), H7_FLASH_EINVAL);
    assert_int_equal(sim->flash.ops->program(sim->flash.ctx, sim->flash.size, big, 1),
                     H7_FLASH_EINVAL);
}

static void test_split_program_crosses_pages(void **state)
{
    struct nor_sim *sim = *state;
    uint8_t data[600];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 7 + 1);
    assert_int_equal(h7_flash_program(&sim->flash, 200, data, sizeof data), 0);
    assert_memory_equal(nor_sim_data(sim) + 200, data, sizeof data);
    /* 56 + 256 + 256 + 32 bytes: four commands. */
    assert_int_equal(nor_sim_stats(sim)->programs, 4);
    assert_int_equal(nor_sim_stats(sim)->bytes_programmed, 600);
}

static void test_erase_units_and_refusals(void **state)
{
    struct nor_sim *sim = *state;
    uint8_t *m = nor_sim_data(sim);
    memset(m, 0, sim->flash.size);
    assert_int_equal(sim->flash.ops->erase(sim->flash.ctx, 4096, 4096), 0);
    expect_all(m + 4096, 0xFF, 4096);
    expect_all(m, 0, 4096);
    expect_all(m + 8192, 0, 4096);
    assert_int_equal(sim->flash.ops->erase(sim->flash.ctx, 65536, 65536), 0);
    expect_all(m + 65536, 0xFF, 65536);
    expect_all(m + 131072, 0, 4096);
    /* Misaligned, wrong size, out of range. */
    assert_int_equal(sim->flash.ops->erase(sim->flash.ctx, 100, 4096), H7_FLASH_EINVAL);
    assert_int_equal(sim->flash.ops->erase(sim->flash.ctx, 4096, 65536), H7_FLASH_EINVAL);
    assert_int_equal(sim->flash.ops->erase(sim->flash.ctx, 0, 8192), H7_FLASH_EINVAL);
    assert_int_equal(sim->flash.ops->erase(sim->flash.ctx, sim->flash.size, 4096), H7_FLASH_EINVAL);
    expect_all(m, 0, 4096);
    /* h7_flash_erase uses the large unit where it fits: 4K + 64K + 4K = 3 commands. */
    nor_sim_reset_stats(sim);
    assert_int_equal(h7_flash_erase(&sim->flash, 61440, 4096 + 65536 + 4096), 0);
    assert_int_equal(nor_sim_stats(sim)->erases, 3);
    assert_int_equal(nor_sim_stats(sim)->bytes_erased, 73728);
}

static void test_counters_and_unit_wear(void **state)
{
    struct nor_sim *sim = *state;
    uint8_t buf[100];
    assert_int_equal(h7_flash_read(&sim->flash, 0, buf, 100), 0);
    assert_int_equal(h7_flash_read(&sim->flash, 0, buf, 10), 0);
    assert_int_equal(h7_flash_program(&sim->flash, 0, buf, 10), 0);
    assert_int_equal(h7_flash_erase(&sim->flash, 0, 4096), 0);
    assert_int_equal(h7_flash_erase(&sim->flash, 0, 4096), 0);
    assert_int_equal(h7_flash_erase(&sim->flash, 65536, 65536), 0);
    const struct nor_sim_stats *s = nor_sim_stats(sim);
    assert_int_equal(s->reads, 2);
    assert_int_equal(s->bytes_read, 110);
    assert_int_equal(s->programs, 1);
    assert_int_equal(s->bytes_programmed, 10);
    assert_int_equal(s->erases, 3);
    assert_int_equal(s->bytes_erased, 4096 * 2 + 65536);
    assert_int_equal(nor_sim_unit_erases(sim, 0), 2);
    assert_int_equal(nor_sim_unit_erases(sim, 1), 0);
    for (uint32_t u = 16; u < 32; u++)
        assert_int_equal(nor_sim_unit_erases(sim, u), 1);
    assert_int_equal(nor_sim_unit_erases(sim, 32), 0);
    assert_int_equal(nor_sim_unit_erases(sim, 1000), 0);
    nor_sim_reset_stats(sim);
    assert_int_equal(nor_sim_stats(sim)->erases, 0);
    assert_int_equal(nor_sim_stats(sim)->time_ns, 0);
    assert_int_equal(nor_sim_unit_erases(sim, 0), 2);
}

static void test_timing_model(void **state)
{
    struct nor_sim *sim = *state;
    /* Typical: 0.2 ms per program command, 45 ms per sector, 150 ms per 64 KB block, plus bus
     * time at 100 MHz (10 ns per clock). */
    assert_int_equal(nor_sim_program_ns(sim, 256), 200000 + (8 + 6 + 512) * 10);
    assert_int_equal(nor_sim_erase_ns(sim, 4096), 45000000 + 14 * 10);
    assert_int_equal(nor_sim_erase_ns(sim, 65536), 150000000 + 14 * 10);
    assert_int_equal(nor_sim_read_ns(sim, 32), (8 + 6 + 6 + 64) * 10);
    uint8_t b[32] = {0};
    nor_sim_reset_stats(sim);
    assert_int_equal(h7_flash_read(&sim->flash, 0, b, 32), 0);
    assert_int_equal(sim->flash.ops->program(sim->flash.ctx, 0, b, 32), 0);
    assert_int_equal(sim->flash.ops->erase(sim->flash.ctx, 0, 4096), 0);
    const struct nor_sim_stats *s = nor_sim_stats(sim);
    assert_int_equal(s->time_ns, nor_sim_read_ns(sim, 32) + nor_sim_program_ns(sim, 32) +
                                     nor_sim_erase_ns(sim, 4096));
    assert_int_equal(s->max_op_time_ns, nor_sim_erase_ns(sim, 4096));

    /* Worst case and another clock. */
    struct nor_sim w;
    struct nor_sim_config c = small_config();
    c.timing = NOR_SIM_WORST_CASE;
    c.qspi_hz = 50000000;
    assert_int_equal(nor_sim_init(&w, &c, NULL, 0), 0);
    assert_int_equal(nor_sim_program_ns(&w, 0), 800000 + 14 * 20);
    assert_int_equal(nor_sim_erase_ns(&w, 4096), 400000000 + 14 * 20);
    assert_int_equal(nor_sim_erase_ns(&w, 65536), 1000000000 + 14 * 20);
    assert_int_equal(nor_sim_read_ns(&w, 32), (8 + 6 + 6 + 64) * 20);
    nor_sim_free(&w);
}

static void test_clean_cut_then_power_on(void **state)
{
    struct nor_sim *sim = *state;
    uint8_t z[4] = {0}, r[4];
    uint8_t *m = nor_sim_data(sim);
    nor_sim_cut_at(sim, 3, NOR_SIM_CUT_CLEAN);
    assert_int_equal(h7_flash_read(&sim->flash, 0, r, 4), 0); /* reads do not count */
    assert_int_equal(sim->flash.ops->program(sim->flash.ctx, 0, z, 4), 0);
    assert_int_equal(sim->flash.ops->program(sim->flash.ctx, 4, z, 4), 0);
    assert_false(nor_sim_power_is_off(sim));
    assert_int_equal(sim->flash.ops->program(sim->flash.ctx, 8, z, 4), H7_FLASH_EPOWER);
    assert_true(nor_sim_power_is_off(sim));
    expect_all(m, 0, 8);
    expect_all(m + 8, 0xFF, 4);
    /* Everything fails while power is off, reads included; nothing changes. */
    assert_int_equal(h7_flash_read(&sim->flash, 0, r, 4), H7_FLASH_EPOWER);
    assert_int_equal(sim->flash.ops->erase(sim->flash.ctx, 0, 4096), H7_FLASH_EPOWER);
    assert_int_equal(sim->flash.ops->program(sim->flash.ctx, 12, z, 4), H7_FLASH_EPOWER);
    expect_all(m, 0, 8);
    expect_all(m + 8, 0xFF, 8);
    nor_sim_power_on(sim);
    assert_int_equal(sim->flash.ops->erase(sim->flash.ctx, 0, 4096), 0);
    expect_all(m, 0xFF, 16);
    /* An erase can be the cut operation too; a clean cut leaves the unit untouched. */
    memset(m, 0x12, 4096);
    nor_sim_cut_at(sim, 1, NOR_SIM_CUT_CLEAN);
    assert_int_equal(sim->flash.ops->erase(sim->flash.ctx, 0, 4096), H7_FLASH_EPOWER);
    expect_all(m, 0x12, 4096);
    nor_sim_power_on(sim);
    /* A cut that did not fire is disarmed by power-on; n = 0 disarms too. */
    nor_sim_cut_at(sim, 5, NOR_SIM_CUT_CLEAN);
    nor_sim_power_on(sim);
    for (int i = 0; i < 10; i++)
        assert_int_equal(sim->flash.ops->program(sim->flash.ctx, 100, z, 1), 0);
    nor_sim_cut_at(sim, 1, NOR_SIM_CUT_CLEAN);
    nor_sim_cut_at(sim, 0, NOR_SIM_CUT_CLEAN);
    assert_int_equal(sim->flash.ops->program(sim->flash.ctx, 100, z, 1), 0);
}

/* Torn program: every bit ends between old and old AND new; over many cuts both styles show up:
 * a strict prefix of whole bytes, and a mix that is no prefix. */
static void test_torn_program(void **state)
{
    struct nor_sim *sim = *state;
    uint8_t *m = nor_sim_data(sim);
    uint8_t data[256];
    int partial = 0, prefix_only = 0, not_prefix = 0;
    for (int round = 0; round < 200; round++) {
        for (size_t i = 0; i < sizeof data; i++)
            data[i] = (uint8_t)(i * 37 + round);
        memset(m, 0xFF, 256);
        nor_sim_cut_at(sim, 1, NOR_SIM_CUT_TORN_PROGRAM);
        assert_int_equal(sim->flash.ops->program(sim->flash.ctx, 0, data, 256), H7_FLASH_EPOWER);
        nor_sim_power_on(sim);
        int diff = 0;
        for (int i = 0; i < 256; i++) {
            if ((m[i] & data[i]) != data[i])
                fail_msg("byte %d: 0x%02x cleared a bit 0x%02x keeps", i, m[i], data[i]);
            diff |= m[i] != data[i];
        }
        /* A prefix: the first k bytes landed, the rest are still erased. */
        int k = 0, is_prefix = 1;
        while (k < 256 && m[k] == data[k])
            k++;
        for (int i = k; i < 256; i++)
            is_prefix &= m[i] == 0xFF;
        partial += diff;
        prefix_only += diff && is_prefix;
        not_prefix += !is_prefix;
    }
    assert_true(partial > 100);
    assert_true(prefix_only > 20);
    assert_true(not_prefix > 20);
    /* With the torn-program model an erase cut stays clean. */
    memset(m, 0, 4096);
    nor_sim_cut_at(sim, 1, NOR_SIM_CUT_TORN_PROGRAM);
    assert_int_equal(sim->flash.ops->erase(sim->flash.ctx, 0, 4096), H7_FLASH_EPOWER);
    nor_sim_power_on(sim);
    expect_all(m, 0, 4096);
}

/* Torn erase: bits only go 0 -> 1; over many cuts both a partly erased prefix and random
 * leftovers show up. */
static void test_torn_erase(void **state)
{
    struct nor_sim *sim = *state;
    uint8_t *m = nor_sim_data(sim);
    int prefix = 0, random = 0;
    for (int round = 0; round < 100; round++) {
        memset(m, 0x00, 4096);
        nor_sim_cut_at(sim, 1, NOR_SIM_CUT_TORN_ERASE);
        assert_int_equal(sim->flash.ops->erase(sim->flash.ctx, 0, 4096), H7_FLASH_EPOWER);
        nor_sim_power_on(sim);
        size_t ff = 0;
        while (ff < 4096 && m[ff] == 0xFF)
            ff++;
        int rest_zero = 1;
        for (size_t i = ff; i < 4096; i++)
            rest_zero &= m[i] == 0;
        if (rest_zero)
            prefix++;
        else
            random++;
    }
    assert_true(prefix > 20);
    assert_true(random > 20);
    /* With the torn-erase model a program cut stays clean. */
    uint8_t z[16] = {0};
    memset(m, 0xFF, 4096);
    nor_sim_cut_at(sim, 1, NOR_SIM_CUT_TORN_ERASE);
    assert_int_equal(sim->flash.ops->program(sim->flash.ctx, 0, z, 16), H7_FLASH_EPOWER);
    nor_sim_power_on(sim);
    expect_all(m, 0xFF, 16);
}

static void test_same_seed_same_tears(void **state)
{
    (void)state;
    struct nor_sim a, b;
    struct nor_sim_config c = small_config();
    c.seed = 42;
    assert_int_equal(nor_sim_init(&a, &c, NULL, 0), 0);
    assert_int_equal(nor_sim_init(&b, &c, NULL, 0), 0);
    uint8_t z[256] = {0};
    for (int i = 0; i < 5; i++) {
        nor_sim_cut_at(&a, 1, NOR_SIM_CUT_TORN_ANY);
        nor_sim_cut_at(&b, 1, NOR_SIM_CUT_TORN_ANY);
        a.flash.ops->program(a.flash.ctx, (uint32_t)i * 256, z, 256);
        b.flash.ops->program(b.flash.ctx, (uint32_t)i * 256, z, 256);
        nor_sim_power_on(&a);
        nor_sim_power_on(&b);
    }
    assert_memory_equal(nor_sim_data(&a), nor_sim_data(&b), 5 * 256);
    nor_sim_free(&a);
    nor_sim_free(&b);
}

static void test_load_save(void **state)
{
    struct nor_sim *sim = *state;
    char path[] = "/tmp/nor_sim_test_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    char err[256];
    uint8_t *m = nor_sim_data(sim);
    for (uint32_t i = 0; i < sim->flash.size; i++)
        m[i] = (uint8_t)(i ^ (i >> 8));
    assert_int_equal(nor_sim_save(sim, path, err, sizeof err), 0);
    memset(m, 0, sim->flash.size);
    assert_int_equal(nor_sim_load(sim, path, err, sizeof err), 0);
    for (uint32_t i = 0; i < sim->flash.size; i++)
        if (m[i] != (uint8_t)(i ^ (i >> 8)))
            fail_msg("byte %u differs after load", i);

    /* A short file: the rest reads erased. */
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("abc", f);
    fclose(f);
    assert_int_equal(nor_sim_load(sim, path, err, sizeof err), 0);
    assert_memory_equal(m, "abc", 3);
    expect_all(m + 3, 0xFF, sim->flash.size - 3);

    /* A file larger than the device is refused, naming the file. */
    f = fopen(path, "wb");
    assert_non_null(f);
    for (uint32_t i = 0; i <= sim->flash.size; i++)
        fputc(0, f);
    fclose(f);
    assert_int_equal(nor_sim_load(sim, path, err, sizeof err), -1);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "larger"));
    unlink(path);
    assert_int_equal(nor_sim_load(sim, path, err, sizeof err), -1);
    assert_non_null(strstr(err, path));
    assert_int_equal(nor_sim_save(sim, "/nonexistent-dir/x.bin", err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent-dir/x.bin"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_starts_erased_with_geometry, setup, teardown),
        cmocka_unit_test(test_bad_geometry_is_refused_with_field_name),
        cmocka_unit_test_setup_teardown(test_program_ands_bits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_raw_program_wraps_inside_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_split_program_crosses_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_erase_units_and_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_counters_and_unit_wear, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timing_model, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clean_cut_then_power_on, setup, teardown),
        cmocka_unit_test_setup_teardown(test_torn_program, setup, teardown),
        cmocka_unit_test_setup_teardown(test_torn_erase, setup, teardown),
        cmocka_unit_test(test_same_seed_same_tears),
        cmocka_unit_test_setup_teardown(test_load_save, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
