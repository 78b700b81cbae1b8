/*
 * Unit tests of the FMC + AS4C16M32MSA model (ports/vdaisy/vd_fmc_sdram.c): the SDRAM window
 * stays closed until RM0433 §22.9.3's sequence has been issued as the data sheet wants it.
 * The register values below are worked out here from RM0433 §22.9.5 and the data sheet.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "fake_machine.h"
#include "vd_fmc_sdram.h"

enum { BCR1 = 0x000, SDCR1 = 0x140, SDTR1 = 0x148, SDCMR = 0x150, SDRTR = 0x154, SDSR = 0x158 };
#define FMCEN 0x80000000u
#define CTB1 0x10u
#define CLOCK_EN 1u
#define PALL 2u
#define AUTOREFRESH 3u
#define LMR 4u
/* 9 column bits, 13 rows, 32 bits, 4 banks, CAS 3, SDCLK = fmc_ker / 2, read burst, RPIPE 0. */
#define GOOD_SDCR (1u | 2u << 2 | 2u << 4 | 1u << 6 | 3u << 7 | 2u << 10 | 1u << 12)
/* At 100 MHz (10 ns): TMRD 2, TXSR 7, TRAS 5, TRC 6, TWR 3, TRP 2, TRCD 2 (cycles - 1). */
#define GOOD_SDTR (1u | 6u << 4 | 4u << 8 | 5u << 12 | 2u << 16 | 1u << 20 | 1u << 24)
/* Mode register: burst length 4 (010), sequential, CAS 3, single write burst. */
#define GOOD_MRD (2u | 3u << 4 | 1u << 9)
#define GOOD_COUNT 760u /* (7.8125 µs x 100 MHz) - 20 */
#define FMC_KER_HZ 200000000u

static struct vd_machine *machine(const char *param)
{
    struct vd_machine *m = calloc(1, sizeof *m);
    fm_init(m);
    m->clock_hz = FMC_KER_HZ;
    if (param)
        fm_param(m, param);
    struct vd_periph *p = vd_fmc_sdram_create(m);
    vd_add_periph(m, p);
    return m;
}

static void done(struct vd_machine *m)
{
    vd_fmc_sdram_free(m->periph);
    free(m);
}

static void cmd(struct vd_machine *m, unsigned mode, unsigned nrfs, unsigned mrd)
{
    fm_wr(m, SDCMR, mode | CTB1 | nrfs << 5 | mrd << 9);
}

static void setup(struct vd_machine *m, uint32_t sdcr, uint32_t sdtr)
{
    fm_wr(m, SDCR1, sdcr);
    fm_wr(m, SDTR1, sdtr);
    fm_wr(m, BCR1, fm_rd(m, BCR1) | FMCEN);
}

static void sequence(struct vd_machine *m, uint64_t wait_ns, unsigned refreshes, unsigned mrd)
{
    cmd(m, CLOCK_EN, 0, 0);
    fm_advance(m, wait_ns);
    cmd(m, PALL, 0, 0);
    cmd(m, AUTOREFRESH, refreshes - 1u, 0);
    cmd(m, LMR, 0, mrd);
    fm_wr(m, SDRTR, GOOD_COUNT << 1);
}

static void window_closed_before_init(void **state)
{
    (void)state;
    struct vd_machine *m = machine(NULL);
    assert_null(fm_window(m, VD_SDRAM_BASE));
    setup(m, GOOD_SDCR, GOOD_SDTR);
    assert_null(fm_window(m, VD_SDRAM_BASE));
    cmd(m, CLOCK_EN, 0, 0);
    fm_advance(m, 100000);
    cmd(m, PALL, 0, 0);
    cmd(m, AUTOREFRESH, 7, 0);
    assert_null(fm_window(m, VD_SDRAM_BASE)); /* not before the mode register */
    cmd(m, LMR, 0, GOOD_MRD);
    fm_wr(m, SDRTR, GOOD_COUNT << 1);
    const struct fm_window *w = fm_window(m, VD_SDRAM_BASE);
    assert_non_null(w);
    assert_int_equal(w->size, VD_SDRAM_SIZE);
    assert_true(w->perms & VD_PERM_WRITE);
    assert_int_equal(m->violations, 0);
    assert_true(vd_fmc_sdram_ready(m->periph));
    /* FMCEN cleared closes it; a system reset too (the controller forgets its set-up). */
    fm_wr(m, BCR1, fm_rd(m, BCR1) & ~FMCEN);
    assert_null(fm_window(m, VD_SDRAM_BASE));
    fm_wr(m, BCR1, fm_rd(m, BCR1) | FMCEN);
    assert_non_null(fm_window(m, VD_SDRAM_BASE));
    m->periph->reset(m->periph->ctx, false);
    assert_null(fm_window(m, VD_SDRAM_BASE));
    done(m);
}

static void precharge_too_early(void **state)
{
    (void)state;
    struct vd_machine *m = machine(NULL);
    setup(m, GOOD_SDCR, GOOD_SDTR);
    sequence(m, 50000, 8, GOOD_MRD); /* 50 µs < 100 µs */
    assert_int_equal(m->violations, 1);
    assert_null(fm_window(m, VD_SDRAM_BASE));
    done(m);
    m = machine("sdram.power_up_us=40");
    setup(m, GOOD_SDCR, GOOD_SDTR);
    sequence(m, 50000, 8, GOOD_MRD);
    assert_int_equal(m->violations, 0);
    assert_non_null(fm_window(m, VD_SDRAM_BASE));
    done(m);
}

static void too_few_refreshes_and_cas_mismatch(void **state)
{
    (void)state;
    struct vd_machine *m = machine(NULL);
    setup(m, GOOD_SDCR, GOOD_SDTR);
    sequence(m, 100000, 1, GOOD_MRD);
    assert_int_equal(m->violations, 1);
    assert_null(fm_window(m, VD_SDRAM_BASE));
    done(m);
    m = machine(NULL);
    setup(m, GOOD_SDCR, GOOD_SDTR);
    sequence(m, 100000, 8, (GOOD_MRD & ~0x70u) | 2u << 4); /* CAS 2 in the device, 3 in FMC */
    assert_int_equal(m->violations, 1);
    assert_null(fm_window(m, VD_SDRAM_BASE));
    done(m);
}

static void command_without_fmcen(void **state)
{
    (void)state;
    struct vd_machine *m = machine(NULL);
    fm_wr(m, SDCR1, GOOD_SDCR);
    fm_wr(m, SDTR1, GOOD_SDTR);
    cmd(m, CLOCK_EN, 0, 0);
    assert_int_equal(m->violations, 1);
    done(m);
}

static void wrong_geometry_timing_refresh(void **state)
{
    (void)state;
    struct vd_machine *m = machine(NULL);
    setup(m, GOOD_SDCR & ~3u, GOOD_SDTR); /* 8 column bits */
    sequence(m, 100000, 8, GOOD_MRD);
    assert_true(m->violations >= 1);
    assert_null(fm_window(m, VD_SDRAM_BASE));
    done(m);
    m = machine(NULL);
    setup(m, GOOD_SDCR, GOOD_SDTR & ~(0xFu << 20)); /* TRP 1 clock = 10 ns < 18 ns */
    sequence(m, 100000, 8, GOOD_MRD);
    assert_true(m->violations >= 1);
    done(m);
    m = machine(NULL);
    setup(m, GOOD_SDCR, GOOD_SDTR);
    sequence(m, 100000, 8, GOOD_MRD);
    assert_int_equal(m->violations, 0);
    fm_wr(m, SDRTR, 1600u << 1); /* 16 µs per row: too slow */
    assert_int_equal(m->violations, 1);
    fm_wr(m, SDRTR, 30u << 1); /* below RM0433's minimum 41 */
    assert_int_equal(m->violations, 2);
    done(m);
}

static void no_refresh_rate_after_64ms(void **state)
{
    (void)state;
    struct vd_machine *m = machine(NULL);
    setup(m, GOOD_SDCR, GOOD_SDTR);
    cmd(m, CLOCK_EN, 0, 0);
    fm_advance(m, 100000);
    cmd(m, PALL, 0, 0);
    cmd(m, AUTOREFRESH, 7, 0);
    cmd(m, LMR, 0, GOOD_MRD);
    fm_advance(m, 65000000);
    m->periph->tick(m->periph->ctx, m->now_ns);
    assert_int_equal(m->violations, 1);
    done(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(window_closed_before_init),
        cmocka_unit_test(precharge_too_early),
        cmocka_unit_test(too_few_refreshes_and_cas_mismatch),
        cmocka_unit_test(command_without_fmcen),
        cmocka_unit_test(wrong_geometry_timing_refresh),
        cmocka_unit_test(no_refresh_rate_after_64ms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
