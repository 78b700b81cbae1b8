/*
 * Unit tests of the QUADSPI + IS25LP064A models (ports/vdaisy/vd_quadspi.c, vd_is25lp064a.c):
 * each rule the models take from RM0433 §23 and the IS25LP064A data sheet, through the registers,
 * on the fake machine. The little "driver" below is written from RM0433 §23.3.5 for these tests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fake_machine.h"
#include "vd_is25lp064a.h"
#include "vd_quadspi.h"

enum { CR = 0x00, DCR = 0x04, SR = 0x08, FCR = 0x0C, DLR = 0x10, CCR = 0x14, AR = 0x18,
       ABR = 0x1C, DR = 0x20, PSMKR = 0x24, PSMAR = 0x28, PIR = 0x2C };
#define SR_TEF 0x01u
#define SR_TCF 0x02u
#define SR_FTF 0x04u
#define SR_SMF 0x08u
#define SR_BUSY 0x20u
#define CR_EN 0x01u
#define CR_ABORT 0x02u
#define CR_APMS 0x400000u
#define NONE 0u
#define L1 1u
#define L4 3u
#define A24 2u
#define A32 3u
#define FM_W 0u
#define FM_R 1u
#define FM_POLL 2u
#define FM_MM 3u
#define SIOO (1u << 28)
#define FSIZE_8MB 22u
#define FSIZE_4GB 31u
#define LOOP_MAX 100000

static uint32_t ccr(unsigned ins, unsigned im, unsigned am, unsigned as, unsigned abm,
                    unsigned dcyc, unsigned dm, unsigned fm)
{
    return ins | im << 8 | am << 10 | as << 12 | abm << 14 | dcyc << 18 | dm << 24 | fm << 26;
}

struct rig {
    struct vd_machine m;
    struct vd_is25lp064a *nor;
    struct vd_periph *q;
};

static struct rig *rig_new_file(const char *const *params, const char *path)
{
    struct rig *r = calloc(1, sizeof *r);
    fm_init(&r->m);
    for (; params && *params; params++)
        fm_param(&r->m, *params);
    r->nor = vd_is25lp064a_create(path);
    r->q = vd_quadspi_create(&r->m, r->nor);
    vd_add_periph(&r->m, r->q);
    r->q->reset(r->q->ctx, true);
    return r;
}

static struct rig *rig_new(const char *const *params)
{
    return rig_new_file(params, NULL);
}

static void rig_free(struct rig *r)
{
    vd_quadspi_free(r->q);
    vd_is25lp064a_free(r->nor);
    free(r);
}

static void enable(struct rig *r, unsigned fsize)
{
    fm_wr(&r->m, CR, 1u << 24); /* prescaler 2 */
    fm_wr(&r->m, DCR, fsize << 16);
    fm_wr(&r->m, CR, (1u << 24) | CR_EN);
}

static int wait_sr(struct rig *r, uint32_t mask, bool set)
{
    for (int i = 0; i < LOOP_MAX; i++)
        if (((fm_rd(&r->m, SR) & mask) == mask) == set)
            return 0;
    return -1;
}

/* One indirect command (RM0433 §23.3.5). fm = FM_W or FM_R; data via tx/rx. */
static int cmd(struct rig *r, uint32_t c, bool has_addr, uint32_t addr, const uint8_t *tx,
               uint8_t *rx, uint32_t len)
{
    if (wait_sr(r, SR_BUSY, false))
        return -1;
    fm_wr(&r->m, FCR, 0x1B);
    if (len)
        fm_wr(&r->m, DLR, len - 1);
    fm_wr(&r->m, CCR, c);
    if (has_addr)
        fm_wr(&r->m, AR, addr);
    for (uint32_t i = 0; i < len; i++) {
        if (wait_sr(r, SR_FTF, true))
            return -1;
        if (tx)
            fm_wr_n(&r->m, DR, 1, tx[i]);
        else
            rx[i] = (uint8_t)fm_rd_n(&r->m, DR, 1);
    }
    if (wait_sr(r, SR_TCF, true))
        return -1;
    fm_wr(&r->m, FCR, 0x1B);
    return 0;
}

static int simple(struct rig *r, uint8_t op)
{
    return cmd(r, ccr(op, L1, NONE, 0, NONE, 0, NONE, FM_W), false, 0, NULL, NULL, 0);
}

static int rdsr(struct rig *r, uint8_t *sr)
{
    return cmd(r, ccr(0x05, L1, NONE, 0, NONE, 0, L1, FM_R), false, 0, NULL, sr, 1);
}

static int wrsr(struct rig *r, uint8_t v)
{
    return simple(r, 0x06) ||
           cmd(r, ccr(0x01, L1, NONE, 0, NONE, 0, L1, FM_W), false, 0, &v, NULL, 1);
}

static int wait_ready(struct rig *r)
{
    uint8_t sr = 1;
    for (int i = 0; i < LOOP_MAX; i++) {
        if (rdsr(r, &sr))
            return -1;
        if (!(sr & 1))
            return 0;
        fm_advance(&r->m, 100000); /* 100 µs between polls */
    }
    return -1;
}

static int program(struct rig *r, uint32_t a, const uint8_t *d, uint32_t n)
{
    return simple(r, 0x06) ||
           cmd(r, ccr(0x02, L1, L1, A24, NONE, 0, L1, FM_W), true, a, d, NULL, n) ||
           wait_ready(r);
}

static int erase4k(struct rig *r, uint32_t a)
{
    return simple(r, 0x06) ||
           cmd(r, ccr(0x20, L1, L1, A24, NONE, 0, NONE, FM_W), true, a, NULL, NULL, 0) ||
           wait_ready(r);
}

static int read_slow(struct rig *r, uint32_t a, uint8_t *d, uint32_t n)
{
    return cmd(r, ccr(0x03, L1, L1, A24, NONE, 0, L1, FM_R), true, a, NULL, d, n);
}

/* The EBh quad read in memory-mapped mode with mode byte `mode` and `dcyc` dummy cycles. */
static void mapped(struct rig *r, uint8_t mode, unsigned dcyc, uint32_t extra)
{
    fm_wr(&r->m, ABR, mode);
    fm_wr(&r->m, CCR, ccr(0xEB, L1, L4, A24, L4, dcyc, L4, FM_MM) | extra);
}

static void abort_now(struct rig *r)
{
    fm_wr(&r->m, CR, fm_rd(&r->m, CR) | CR_ABORT);
}

/* --- QUADSPI rules ----------------------------------------------------------------------- */

/* RM0433 SR.TEF: an address beyond 2^(FSIZE+1) in indirect mode: TEF, command not sent. */
static void tef_for_out_of_range_address(void **state)
{
    (void)state;
    for (int tcf = 0; tcf <= 1; tcf++) {
        const char *p[] = {tcf ? "qspi.tef_sets_tcf=1" : "qspi.tef_sets_tcf=0", NULL};
        struct rig *r = rig_new(p);
        enable(r, FSIZE_8MB);
        fm_wr(&r->m, CCR, ccr(0, NONE, L4, A32, NONE, 0, NONE, FM_W));
        fm_wr(&r->m, AR, 0xFFFFFFFFu);
        uint32_t sr = fm_rd(&r->m, SR);
        assert_true(sr & SR_TEF);
        assert_int_equal(!!(sr & SR_TCF), tcf);
        assert_false(sr & SR_BUSY);
        assert_int_equal(vd_quadspi_commands(r->q), 0);
        assert_int_equal(vd_quadspi_tef_count(r->q), 1);
        /* The last byte inside the flash is accepted. */
        fm_wr(&r->m, FCR, 0x1B);
        fm_wr(&r->m, AR, 0x7FFFFFu);
        assert_false(fm_rd(&r->m, SR) & SR_TEF);
        assert_int_equal(vd_quadspi_commands(r->q), 1);
        rig_free(r);
    }
}

/* With FSIZE = 31 (4 GB) the 32-bit all-ones "mode bit reset" address is in range and leaves
 * a flash in continuous-read mode (the fix for issue 12 item 1 relies on it). */
static void mode_bit_reset_leaves_continuous_read(void **state)
{
    (void)state;
    const char *p[] = {"nor.continuous=1", "nor.sr=0x40", NULL};
    struct rig *r = rig_new(p);
    assert_true(vd_is25lp064a_continuous(r->nor));
    enable(r, FSIZE_4GB);
    assert_int_equal(cmd(r, ccr(0, NONE, L4, A32, NONE, 0, NONE, FM_W), true, 0xFFFFFFFFu,
                         NULL, NULL, 0), 0);
    assert_false(vd_is25lp064a_continuous(r->nor));
    uint8_t sr = 0;
    assert_int_equal(rdsr(r, &sr), 0);
    assert_int_equal(sr, 0x40);
    rig_free(r);
}

/* A flash in continuous-read mode takes an instruction as address bits: RDSR reads garbage. */
static void continuous_read_mode_swallows_instruction(void **state)
{
    (void)state;
    const char *p[] = {"nor.continuous=1", "nor.sr=0x40", NULL};
    struct rig *r = rig_new(p);
    enable(r, FSIZE_8MB);
    uint8_t sr = 0;
    assert_int_equal(rdsr(r, &sr), 0);
    assert_int_not_equal(sr, 0x40);
    rig_free(r);
}

/* RM0433 SR.TCF "or in any mode when the transfer has been aborted"; ABORT self-clears. An
 * idle abort sets TCF only with qspi.idle_abort_tcf=1 (RM0433 is silent). */
static void abort_sets_tcf(void **state)
{
    (void)state;
    for (int idle_tcf = 0; idle_tcf <= 1; idle_tcf++) {
        const char *p[] = {idle_tcf ? "qspi.idle_abort_tcf=1" : "qspi.idle_abort_tcf=0",
                           "nor.sr=0x40", NULL};
        struct rig *r = rig_new(p);
        enable(r, FSIZE_8MB);
        abort_now(r);
        uint32_t sr = fm_rd(&r->m, SR);
        assert_int_equal(!!(sr & SR_TCF), idle_tcf);
        assert_false(fm_rd(&r->m, CR) & CR_ABORT);
        fm_wr(&r->m, FCR, 0x1B);

        mapped(r, 0x00, 4, 0);
        const struct fm_window *w = fm_window(&r->m, VD_QUADSPI_WINDOW);
        assert_non_null(w);
        assert_true(fm_rd(&r->m, SR) & SR_BUSY);
        abort_now(r);
        sr = fm_rd(&r->m, SR);
        assert_true(sr & SR_TCF);
        assert_false(sr & SR_BUSY);
        assert_false(fm_rd(&r->m, CR) & CR_ABORT);
        assert_int_equal(r->m.violations, 0);
        rig_free(r);
    }
}

/* RM0433 §23.5: CCR/AR/DLR/... "can be modified only when BUSY = 0": ignored and reported. */
static void busy_registers_ignore_writes(void **state)
{
    (void)state;
    const char *p[] = {"nor.sr=0x40", NULL};
    struct rig *r = rig_new(p);
    enable(r, FSIZE_8MB);
    mapped(r, 0x00, 4, 0);
    uint32_t before = fm_rd(&r->m, CCR);
    fm_wr(&r->m, CCR, ccr(0x05, L1, NONE, 0, NONE, 0, L1, FM_R));
    assert_int_equal(fm_rd(&r->m, CCR), before);
    assert_int_equal(r->m.violations, 1);
    fm_wr(&r->m, DCR, 0);
    assert_int_equal(fm_rd(&r->m, DCR), FSIZE_8MB << 16);
    assert_non_null(fm_window(&r->m, VD_QUADSPI_WINDOW));
    /* After an abort the same write goes through and leaves memory-mapped mode. */
    abort_now(r);
    fm_wr(&r->m, CCR, ccr(0x05, L1, NONE, 0, NONE, 0, L1, FM_R));
    assert_null(fm_window(&r->m, VD_QUADSPI_WINDOW));
    rig_free(r);
}

/* §23.3.7: the window opens only in memory-mapped mode, only with a read the flash answers. */
static void mapped_window_needs_right_read_command(void **state)
{
    (void)state;
    const char *p[] = {"nor.sr=0x40", NULL};
    struct rig *r = rig_new(p);
    enable(r, FSIZE_8MB);
    assert_null(fm_window(&r->m, VD_QUADSPI_WINDOW));
    /* Power-on read parameters: EBh takes 6 clocks = 2 mode + 4 dummy. */
    mapped(r, 0x00, 4, 0);
    const struct fm_window *w = fm_window(&r->m, VD_QUADSPI_WINDOW);
    assert_non_null(w);
    assert_ptr_equal(w->backing, vd_is25lp064a_array(r->nor));
    assert_int_equal(w->perms, VD_PERM_READ | VD_PERM_EXEC);
    assert_int_equal(r->m.violations, 0);
    abort_now(r);
    /* 6 dummy clocks after the mode byte is wrong for the power-on parameters... */
    fm_wr(&r->m, CCR, 0);
    mapped(r, 0x00, 6, 0);
    assert_int_equal(r->m.violations, 1);
    abort_now(r);
    fm_wr(&r->m, CCR, 0);
    /* ...and right after SRPV C0h F0h (8 clocks). */
    uint8_t params = 0xF0;
    assert_int_equal(cmd(r, ccr(0xC0, L1, NONE, 0, NONE, 0, L1, FM_W), false, 0, &params, NULL,
                         1), 0);
    mapped(r, 0x00, 6, 0);
    assert_int_equal(r->m.violations, 1);
    assert_non_null(fm_window(&r->m, VD_QUADSPI_WINDOW));
    rig_free(r);
}

/* Mode byte AXh puts the flash in continuous read: only right with SIOO (instruction once). */
static void continuous_mode_needs_sioo(void **state)
{
    (void)state;
    const char *p[] = {"nor.sr=0x40", NULL};
    struct rig *r = rig_new(p);
    enable(r, FSIZE_8MB);
    mapped(r, 0xA0, 4, SIOO);
    assert_int_equal(r->m.violations, 0);
    assert_true(vd_is25lp064a_continuous(r->nor));
    abort_now(r);
    fm_wr(&r->m, CCR, 0);
    mapped(r, 0xA0, 4, 0);
    assert_int_equal(r->m.violations, 1);
    rig_free(r);
}

/* QE clear: quad commands are not understood; the window would read garbage. */
static void quad_read_needs_qe(void **state)
{
    (void)state;
    struct rig *r = rig_new(NULL);
    enable(r, FSIZE_8MB);
    mapped(r, 0x00, 4, 0);
    assert_int_equal(r->m.violations, 1);
    const struct fm_window *w = fm_window(&r->m, VD_QUADSPI_WINDOW);
    assert_non_null(w);
    assert_ptr_not_equal(w->backing, vd_is25lp064a_array(r->nor));
    rig_free(r);
}

/* --- IS25LP064A rules ---------------------------------------------------------------------- */

static void program_erase_rules(void **state)
{
    (void)state;
    struct rig *r = rig_new(NULL);
    enable(r, FSIZE_8MB);
    uint8_t *arr = vd_is25lp064a_array(r->nor);
    uint8_t buf[8] = {0x0F, 0xF0, 0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC};
    /* Without WEL: ignored. */
    assert_int_equal(cmd(r, ccr(0x02, L1, L1, A24, NONE, 0, L1, FM_W), true, 0x1000, buf, NULL,
                         2), 0);
    assert_int_equal(arr[0x1000], 0xFF);
    assert_int_equal(vd_is25lp064a_refused(r->nor), 1);
    /* 1 -> 0 only: a byte programmed twice holds the AND. */
    assert_int_equal(program(r, 0x1000, buf, 2), 0);
    uint8_t again[2] = {0xF0, 0x0F};
    assert_int_equal(program(r, 0x1000, again, 2), 0);
    assert_int_equal(arr[0x1000], 0x00);
    assert_int_equal(arr[0x1001], 0x00);
    /* Wrap inside the page: 8 bytes at offset 0xFC land at FC..FF and 00..03. */
    assert_int_equal(program(r, 0x20FC, buf, 8), 0);
    assert_int_equal(arr[0x20FC], 0x0F);
    assert_int_equal(arr[0x20FF], 0x34);
    assert_int_equal(arr[0x2000], 0x56);
    assert_int_equal(arr[0x2003], 0xBC);
    assert_int_equal(arr[0x2100], 0xFF);
    /* WIP for tPP, then WEL clear. */
    assert_int_equal(simple(r, 0x06), 0);
    assert_int_equal(cmd(r, ccr(0x02, L1, L1, A24, NONE, 0, L1, FM_W), true, 0x3000, buf, NULL,
                         1), 0);
    uint8_t sr = 0;
    assert_int_equal(rdsr(r, &sr), 0);
    assert_int_equal(sr & 3, 3);
    fm_advance(&r->m, 200000);
    assert_int_equal(rdsr(r, &sr), 0);
    assert_int_equal(sr & 3, 0);
    /* Reading back through 03h; erase returns 0xFF. */
    uint8_t back[4];
    assert_int_equal(read_slow(r, 0x1FFE, back, 4), 0);
    assert_int_equal(back[0], 0xFF);
    assert_int_equal(back[2], 0x56);
    assert_int_equal(erase4k(r, 0x2345), 0);
    assert_int_equal(arr[0x20FC], 0xFF);
    assert_int_equal(arr[0x2000], 0xFF);
    assert_int_equal(arr[0x1000], 0x00); /* other sector kept */
    assert_int_equal(vd_is25lp064a_erases(r->nor), 1);
    rig_free(r);
}

/* SR 0x9C: SRWD + BP0-2 (top half protected), QE clear. WRSR refused while WP# is low,
 * accepted with WP# high; program/erase of a protected block refused. */
static void write_protected_flash(void **state)
{
    (void)state;
    for (int wp = 0; wp <= 1; wp++) {
        const char *p[] = {"nor.sr=0x9C", wp ? "nor.wp_level=1" : "nor.wp_level=0", NULL};
        struct rig *r = rig_new(p);
        enable(r, FSIZE_8MB);
        uint8_t sr = 0, one = 0x00;
        assert_int_equal(rdsr(r, &sr), 0);
        assert_int_equal(sr, 0x9C);
        uint8_t *arr = vd_is25lp064a_array(r->nor);
        assert_int_equal(program(r, 0x7F0000, &one, 1), 0);
        assert_int_equal(arr[0x7F0000], 0xFF);
        assert_int_equal(erase4k(r, 0x400000), 0);
        assert_int_equal(program(r, 0x100, &one, 1), 0); /* bottom half: not protected */
        assert_int_equal(arr[0x100], 0x00);
        assert_int_equal(wrsr(r, 0x40), 0);
        assert_int_equal(wait_ready(r), 0);
        assert_int_equal(rdsr(r, &sr), 0);
        assert_int_equal(sr & ~VD_IS25_SR_WEL, wp ? 0x40 : 0x9C);
        rig_free(r);
    }
}

/* 66h + 99h: volatile state back to power-on (read parameters, QPI); 99h alone does nothing. */
static void software_reset(void **state)
{
    (void)state;
    struct rig *r = rig_new(NULL);
    enable(r, FSIZE_8MB);
    uint8_t params = 0xF0;
    assert_int_equal(cmd(r, ccr(0xC0, L1, NONE, 0, NONE, 0, L1, FM_W), false, 0, &params, NULL,
                         1), 0);
    assert_int_equal(simple(r, 0x99), 0);
    assert_int_equal(vd_is25lp064a_read_params(r->nor), 0xF0);
    assert_int_equal(simple(r, 0x66), 0);
    assert_int_equal(simple(r, 0x99), 0);
    assert_int_equal(vd_is25lp064a_read_params(r->nor), 0x00);
    rig_free(r);
}

/* A flash that never answers: lines float high, RDSR reads 0xFF (WIP for ever). */
static void dead_flash_reads_float(void **state)
{
    (void)state;
    const char *p[] = {"nor.dead=1", NULL};
    struct rig *r = rig_new(p);
    enable(r, FSIZE_8MB);
    uint8_t sr = 0;
    assert_int_equal(rdsr(r, &sr), 0);
    assert_int_equal(sr, 0xFF);
    rig_free(r);
}

/* §23.3.6 automatic polling of WIP: SMF once the erase is over, APMS stops the polling. */
static void auto_polling_waits_for_wip(void **state)
{
    (void)state;
    struct rig *r = rig_new(NULL);
    enable(r, FSIZE_8MB);
    assert_int_equal(simple(r, 0x06), 0);
    assert_int_equal(cmd(r, ccr(0x20, L1, L1, A24, NONE, 0, NONE, FM_W), true, 0, NULL, NULL, 0),
                     0);
    fm_wr(&r->m, CR, fm_rd(&r->m, CR) | CR_APMS);
    fm_wr(&r->m, PSMKR, 0x01);
    fm_wr(&r->m, PSMAR, 0x00);
    fm_wr(&r->m, PIR, 16);
    fm_wr(&r->m, DLR, 0);
    fm_wr(&r->m, CCR, ccr(0x05, L1, NONE, 0, NONE, 0, L1, FM_POLL));
    assert_true(fm_rd(&r->m, SR) & SR_BUSY);
    assert_false(fm_rd(&r->m, SR) & SR_SMF);
    fm_advance(&r->m, 46000000); /* tSE typical 45 ms */
    uint32_t sr = fm_rd(&r->m, SR);
    assert_true(sr & SR_SMF);
    assert_false(sr & SR_BUSY);
    rig_free(r);
}

/* §23.3.5 FIFO: a 100-byte indirect read shows FLEVEL <= 32 and TCF only when the rest fits. */
static void indirect_read_fifo(void **state)
{
    (void)state;
    struct rig *r = rig_new(NULL);
    enable(r, FSIZE_8MB);
    uint8_t *arr = vd_is25lp064a_array(r->nor);
    for (int i = 0; i < 100; i++)
        arr[0x500 + i] = (uint8_t)i;
    fm_wr(&r->m, DLR, 99);
    fm_wr(&r->m, CCR, ccr(0x03, L1, L1, A24, NONE, 0, L1, FM_R));
    fm_wr(&r->m, AR, 0x500);
    fm_advance(&r->m, 100000);
    uint32_t sr = fm_rd(&r->m, SR);
    assert_int_equal((sr >> 8) & 0x3F, 32);
    assert_false(sr & SR_TCF);
    uint32_t w = fm_rd(&r->m, DR); /* a word read takes 4 bytes */
    assert_int_equal(w, 0x03020100u);
    for (int i = 4; i < 68; i++)
        assert_int_equal(fm_rd_n(&r->m, DR, 1), i);
    sr = fm_rd(&r->m, SR);
    assert_true(sr & SR_TCF);
    assert_true(sr & SR_BUSY);
    for (int i = 68; i < 100; i++)
        assert_int_equal(fm_rd_n(&r->m, DR, 1), i);
    assert_false(fm_rd(&r->m, SR) & SR_BUSY);
    rig_free(r);
}

/* The NOR contents and status register survive free + create on the same backing file; a power
 * cut at the 2nd program leaves it half done. */
static void backing_file_and_power_cut(void **state)
{
    (void)state;
    char path[] = "/tmp/vd_nor_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);
    const char *p[] = {"nor.cut_at=2", "nor.sr=0x40", NULL};
    struct rig *rp = rig_new_file(p, path);
    assert_non_null(rp->nor);
    enable(rp, FSIZE_8MB);
    uint8_t page[VD_IS25_PAGE];
    memset(page, 0x00, sizeof page);
    assert_int_equal(program(rp, 0x0, page, 16), 0);
    assert_int_equal(simple(rp, 0x06), 0);
    assert_int_equal(cmd(rp, ccr(0x02, L1, L1, A24, NONE, 0, L1, FM_W), true, 0x100, page, NULL,
                         VD_IS25_PAGE), 0);
    assert_true(vd_is25lp064a_power_cut(rp->nor));
    rig_free(rp);

    struct vd_is25lp064a *nor = vd_is25lp064a_create(path);
    assert_non_null(nor);
    uint8_t *arr = vd_is25lp064a_array(nor);
    assert_int_equal(arr[0x0], 0x00);
    assert_int_equal(arr[0x10], 0xFF);
    assert_int_equal(arr[0x100], 0x00);         /* first half of the cut page programmed */
    assert_int_equal(arr[0x100 + 200], 0xFF);   /* second half not */
    assert_int_equal(vd_is25lp064a_status(nor, 0), 0x40);
    vd_is25lp064a_free(nor);
    unlink(path);
    char srp[sizeof path + 3];
    snprintf(srp, sizeof srp, "%s.sr", path);
    unlink(srp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tef_for_out_of_range_address),
        cmocka_unit_test(mode_bit_reset_leaves_continuous_read),
        cmocka_unit_test(continuous_read_mode_swallows_instruction),
        cmocka_unit_test(abort_sets_tcf),
        cmocka_unit_test(busy_registers_ignore_writes),
        cmocka_unit_test(mapped_window_needs_right_read_command),
        cmocka_unit_test(continuous_mode_needs_sioo),
        cmocka_unit_test(quad_read_needs_qe),
        cmocka_unit_test(program_erase_rules),
        cmocka_unit_test(write_protected_flash),
        cmocka_unit_test(software_reset),
        cmocka_unit_test(dead_flash_reads_float),
        cmocka_unit_test(auto_polling_waits_for_wip),
        cmocka_unit_test(indirect_read_fifo),
        cmocka_unit_test(backing_file_and_power_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
