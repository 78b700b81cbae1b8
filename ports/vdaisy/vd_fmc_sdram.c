/*
 * vd_fmc_sdram.c — FMC SDRAM controller + AS4C16M32MSA (see vd_fmc_sdram.h).
 *
 * Sources:
 *   RM0433 rev. 7 §22.7.6 FMC_BCR1: FMCEN (bit 31) enables the whole FMC, BMAP[25:24] remaps
 *     the banks (not modelled: any value but 00 is reported);
 *   RM0433 §22.9.3 "SDRAM initialization": program SDCR/SDTR; clock configuration enable
 *     (MODE = 001); wait the power-up delay ("typically 100 µs"); precharge all (MODE = 010);
 *     auto-refresh (MODE = 011, NRFS + 1 commands); load mode register (MODE = 100, MRD);
 *     program the refresh rate (SDRTR.COUNT);
 *   RM0433 §22.9.5 registers: SDCR (NC, NR, MWID, NB, CAS, WP, SDCLK, RBURST, RPIPE; SDCLK,
 *     RBURST, RPIPE only in SDCR1), SDTR (TMRD..TRCD, cycles - 1; TRC, TRP only in SDTR1), SDCMR
 *     (MODE, CTB2 bit 3, CTB1 bit 4, NRFS, MRD), SDRTR (CRE, COUNT[13:1], REIE; "COUNT =
 *     refresh period / rows - 20", "COUNT must be at least 41"), SDSR (RE, MODES1, MODES2);
 *   AS4C16M32MSA data sheet: 16M x 32 in 4 banks, 8K rows (A0-A12), 512 columns (A0-A8);
 *     8192 refresh cycles / 64 ms; mode register: burst length A2-A0 (1, 2, 4, 8, full page),
 *     burst type A3, CAS latency A6-A4 (2 or 3), A8-A7 = 00, write burst mode A9; power-up:
 *     precharge all, at least two auto-refresh cycles, load mode register; AC table (-6 grade,
 *     166 MHz): tRC 60 ns, tRAS 42 ns, tRP 18 ns, tRCD 18 ns, tMRD 2 clocks, tWR 2 clocks,
 *     tXSR 70 ns. The AC figures are as recalled from the data sheet: the check can be turned
 *     off (sdram.check_timing=0) where a figure is in doubt.
 */
#include "vd_fmc_sdram.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

enum {
    R_BCR1 = 0x000, R_BTR4 = 0x01C, R_SDCR1 = 0x140, R_SDCR2 = 0x144, R_SDTR1 = 0x148,
    R_SDTR2 = 0x14C, R_SDCMR = 0x150, R_SDRTR = 0x154, R_SDSR = 0x158,
};

#define BCR1_RESET 0x000030DBu
#define BCRX_RESET 0x000030D2u
#define BTR_RESET 0x0FFFFFFFu
#define SDCR_RESET 0x000002D0u
#define SDTR_RESET 0x0FFFFFFFu
#define BCR_FMCEN 0x80000000u
#define BCR_BMAP(b) (((b) >> 24) & 3u)

#define SDCR_NC(c) ((c) & 3u)
#define SDCR_NR(c) (((c) >> 2) & 3u)
#define SDCR_MWID(c) (((c) >> 4) & 3u)
#define SDCR_NB(c) (((c) >> 6) & 1u)
#define SDCR_CAS(c) (((c) >> 7) & 3u)
#define SDCR_SDCLK(c) (((c) >> 10) & 3u)

#define CMD_MODE(c) ((c) & 7u)
#define CMD_CTB2 0x08u
#define CMD_CTB1 0x10u
#define CMD_NRFS(c) (((c) >> 5) & 0xFu)
#define CMD_MRD(c) (((c) >> 9) & 0x3FFFu)
enum { M_NORMAL, M_CLOCK, M_PALL, M_AUTOREFRESH, M_LMR, M_SELFREFRESH, M_POWERDOWN };

#define RTR_CRE 0x1u
#define RTR_COUNT(r) (((r) >> 1) & 0x1FFFu)
#define RTR_COUNT_MIN 41u

/* The device (AS4C16M32MSA). */
#define DEV_NC 1u   /* 9 column bits */
#define DEV_NR 2u   /* 13 row bits */
#define DEV_MWID 2u /* 32 bits */
#define DEV_NB 1u   /* 4 banks */
#define DEV_ROWS 8192u
#define DEV_REFRESH_NS 64000000ull
#define T_RC_NS 60u
#define T_RAS_NS 42u
#define T_RP_NS 18u
#define T_RCD_NS 18u
#define T_XSR_NS 70u
#define T_MRD_CLK 2u
#define T_WR_CLK 2u
#define NS_PER_S 1000000000ull
#define NS_PER_US 1000ull

enum seq { SEQ_OFF, SEQ_CLOCK, SEQ_PALL, SEQ_REFRESHED, SEQ_READY };

struct fmc {
    struct vd_periph p;
    struct vd_machine *m;
    long power_up_us, min_autorefresh, max_clk_hz, fill, check_timing;
    uint32_t bcr[4], btr[4], sdcr[2], sdtr[2], sdrtr, sdsr;
    enum seq seq;
    bool bad;              /* a rule was broken during this sequence: keep the window closed */
    uint64_t clock_on_ns;  /* when the clock configuration enable was issued */
    unsigned refreshes;
    uint64_t ready_ns;
    bool refresh_warned;
    bool window_open;
    uint8_t *array;
};

static struct fmc *F(void *ctx) { return ctx; }

static uint64_t sdclk_hz(const struct fmc *f)
{
    uint64_t ker = vd_clock_hz(f->m, "fmc_ker");
    if (!ker)
        ker = vd_clock_hz(f->m, "hclk3");
    unsigned div = SDCR_SDCLK(f->sdcr[0]);
    return div >= 2 ? ker / div : 0;
}

/* Power-on contents: sdram.fill in every byte (zero pages given back to the system for 0). */
static void fill(struct fmc *f)
{
    if (f->fill & 0xFF)
        memset(f->array, (int)(f->fill & 0xFF), VD_SDRAM_SIZE);
    else
        madvise(f->array, VD_SDRAM_SIZE, MADV_DONTNEED);
}

static void fail(struct fmc *f)
{
    f->bad = true;
}

static void check_sdcr(struct fmc *f)
{
    uint32_t c = f->sdcr[0];
    if (SDCR_NC(c) != DEV_NC || SDCR_NR(c) != DEV_NR || SDCR_MWID(c) != DEV_MWID ||
        SDCR_NB(c) != DEV_NB) {
        vd_violation(f->m, "FMC: RM0433 §22.9.5 SDCR1 0x%08X does not describe the "
                           "AS4C16M32MSA (9 column bits NC=01, 13 row bits NR=10, 32-bit MWID=10, "
                           "4 banks NB=1)",
                     c);
        fail(f);
    }
    if (SDCR_CAS(c) < 2) {
        vd_violation(f->m, "FMC: SDCR1.CAS = %u: the AS4C16M32MSA supports CAS latency 2 or 3",
                     SDCR_CAS(c));
        fail(f);
    }
    uint64_t hz = sdclk_hz(f);
    if (hz && f->max_clk_hz > 0 && hz > (uint64_t)f->max_clk_hz) {
        vd_violation(f->m, "FMC: SDRAM clock %llu Hz above the device's %ld Hz (data sheet, -6 "
                           "grade)",
                     (unsigned long long)hz, f->max_clk_hz);
        fail(f);
    }
}

/* Field (cycles - 1) at bit `pos` of SDTR must last at least min_ns / min_clk. */
static void check_field(struct fmc *f, uint32_t tr, unsigned pos, const char *name,
                        uint64_t min_ns, unsigned min_clk, uint64_t hz)
{
    unsigned clk = ((tr >> pos) & 0xFu) + 1u;
    uint64_t ns = hz ? clk * NS_PER_S / hz : 0;
    if (clk < min_clk || (hz && ns < min_ns)) {
        vd_violation(f->m, "FMC: SDTR %s = %u clocks (%llu ns) below the AS4C16M32MSA's "
                           "minimum (%llu ns, %u clocks; data sheet AC table)",
                     name, clk, (unsigned long long)ns, (unsigned long long)min_ns, min_clk);
        fail(f);
    }
}

static void check_sdtr(struct fmc *f)
{
    if (!f->check_timing)
        return;
    uint64_t hz = sdclk_hz(f);
    uint32_t t1 = f->sdtr[0];
    check_field(f, t1, 0, "TMRD", 0, T_MRD_CLK, hz);
    check_field(f, t1, 4, "TXSR", T_XSR_NS, 1, hz);
    check_field(f, t1, 8, "TRAS", T_RAS_NS, 1, hz);
    check_field(f, t1, 12, "TRC", T_RC_NS, 1, hz);
    check_field(f, t1, 16, "TWR", 0, T_WR_CLK, hz);
    check_field(f, t1, 20, "TRP", T_RP_NS, 1, hz);
    check_field(f, t1, 24, "TRCD", T_RCD_NS, 1, hz);
    /* RM0433 §22.9.5 SDTR.TWR: TWR >= TRAS - TRCD and TWR >= TRC - TRCD - TRP, in clock
     * cycles (each field holds cycles - 1). */
    int twr = (int)((t1 >> 16) & 0xFu) + 1, tras = (int)((t1 >> 8) & 0xFu) + 1;
    int trc = (int)((t1 >> 12) & 0xFu) + 1, trp = (int)((t1 >> 20) & 0xFu) + 1;
    int trcd = (int)((t1 >> 24) & 0xFu) + 1;
    if (twr < tras - trcd || twr < trc - trcd - trp) {
        vd_violation(f->m, "FMC: RM0433 §22.9.5: SDTR1.TWR must be >= TRAS - TRCD and >= TRC - "
                           "TRCD - TRP (SDTR1 0x%08X)",
                     t1);
        fail(f);
    }
}

static void close_window(struct fmc *f)
{
    if (f->window_open)
        vd_window_close(f->m, VD_SDRAM_BASE, VD_SDRAM_SIZE);
    f->window_open = false;
}

static void maybe_open(struct fmc *f)
{
    if (f->window_open || f->seq != SEQ_READY || f->bad || !(f->bcr[0] & BCR_FMCEN))
        return;
    if (!f->array) {
        /* Anonymous pages: 64 MB of zeros that cost nothing until touched. */
        void *a = mmap(NULL, VD_SDRAM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                       -1, 0);
        if (a == MAP_FAILED)
            return;
        f->array = a;
        fill(f);
    }
    vd_window_open(f->m, VD_SDRAM_BASE, VD_SDRAM_SIZE, f->array,
                   VD_PERM_READ | VD_PERM_WRITE | VD_PERM_EXEC);
    f->window_open = true;
}

static void command(struct fmc *f, uint32_t cmd)
{
    unsigned mode = CMD_MODE(cmd);
    uint64_t t = vd_now_ns(f->m);
    if (!(f->bcr[0] & BCR_FMCEN)) {
        vd_violation(f->m, "FMC: RM0433 §22.7.6: SDCMR command %u issued while BCR1.FMCEN = 0 "
                           "(the FMC is disabled: nothing reaches the SDRAM)",
                     mode);
        return;
    }
    if (!(cmd & CMD_CTB1)) {
        vd_trace(f->m, "FMC: SDCMR 0x%08X not for bank 1 (no device on bank 2)", cmd);
        return;
    }
    switch (mode) {
    case M_NORMAL:
        return;
    case M_CLOCK:
        check_sdcr(f);
        check_sdtr(f);
        if (!SDCR_SDCLK(f->sdcr[0])) {
            vd_violation(f->m, "FMC: RM0433 §22.9.3: clock configuration enable with "
                               "SDCR1.SDCLK = 0 (no SDRAM clock)");
            fail(f);
        }
        f->seq = SEQ_CLOCK;
        f->clock_on_ns = t;
        return;
    case M_PALL:
        if (f->seq < SEQ_CLOCK) {
            vd_violation(f->m, "FMC: RM0433 §22.9.3: precharge-all before the clock "
                               "configuration enable");
            fail(f);
        } else if (t - f->clock_on_ns < (uint64_t)f->power_up_us * NS_PER_US) {
            vd_violation(f->m, "FMC: RM0433 §22.9.3 step 3 / data sheet power-up: precharge-all "
                               "%llu ns after the clock enable, %ld µs required",
                         (unsigned long long)(t - f->clock_on_ns), f->power_up_us);
            fail(f);
        }
        f->seq = SEQ_PALL;
        f->refreshes = 0;
        return;
    case M_AUTOREFRESH:
        if (f->seq < SEQ_PALL) {
            vd_violation(f->m, "FMC: RM0433 §22.9.3: auto-refresh before precharge-all");
            fail(f);
        }
        f->refreshes += CMD_NRFS(cmd) + 1u;
        if (f->seq == SEQ_PALL)
            f->seq = SEQ_REFRESHED;
        return;
    case M_LMR: {
        uint32_t mrd = CMD_MRD(cmd);
        unsigned bl = mrd & 7u, cas = (mrd >> 4) & 7u, op = (mrd >> 7) & 3u;
        if (f->seq < SEQ_REFRESHED || f->refreshes < (unsigned)f->min_autorefresh) {
            vd_violation(f->m, "FMC: AS4C16M32MSA power-up: load mode register after %u "
                               "auto-refresh cycles, %ld required (after precharge-all)",
                         f->refreshes, f->min_autorefresh);
            fail(f);
        }
        if (cas != SDCR_CAS(f->sdcr[0]) || (cas != 2 && cas != 3)) {
            vd_violation(f->m, "FMC: mode register CAS latency %u, SDCR1.CAS %u (they must "
                               "agree; the device takes 2 or 3)",
                         cas, SDCR_CAS(f->sdcr[0]));
            fail(f);
        }
        if ((bl > 3 && bl != 7) || op != 0) {
            vd_violation(f->m, "FMC: mode register 0x%04X: reserved burst length or operating "
                               "mode (data sheet mode register table)",
                         mrd);
            fail(f);
        }
        f->seq = SEQ_READY;
        f->ready_ns = t;
        f->refresh_warned = false;
        maybe_open(f);
        return;
    }
    default:
        vd_violation(f->m, "FMC: SDCMR mode %u (self-refresh / power-down) is not modelled",
                     mode);
        return;
    }
}

static void write_sdrtr(struct fmc *f, uint32_t v)
{
    f->sdrtr = v & ~RTR_CRE;
    if (v & RTR_CRE)
        f->sdsr &= ~1u;
    unsigned count = RTR_COUNT(v);
    uint64_t hz = sdclk_hz(f);
    if (count < RTR_COUNT_MIN) {
        vd_violation(f->m, "FMC: RM0433 §22.9.5 SDRTR.COUNT = %u, must be at least %u", count,
                     RTR_COUNT_MIN);
        return;
    }
    /* A refresh every (COUNT + 1) SDRAM clocks; the device needs 8192 rows per 64 ms. */
    if (hz && (uint64_t)(count + 1u) * NS_PER_S * DEV_ROWS > DEV_REFRESH_NS * hz) {
        vd_violation(f->m, "FMC: SDRTR.COUNT = %u at %llu Hz refreshes a row every %llu ns; the "
                           "AS4C16M32MSA needs 8192 rows in 64 ms (7812 ns)",
                     count, (unsigned long long)hz,
                     (unsigned long long)((count + 1u) * NS_PER_S / hz));
    }
}

static uint32_t *reg_ptr(struct fmc *f, uint32_t reg)
{
    if (reg <= R_BTR4)
        return (reg & 4u) ? &f->btr[reg >> 3] : &f->bcr[reg >> 3];
    switch (reg) {
    case R_SDCR1: return &f->sdcr[0];
    case R_SDCR2: return &f->sdcr[1];
    case R_SDTR1: return &f->sdtr[0];
    case R_SDTR2: return &f->sdtr[1];
    case R_SDRTR: return &f->sdrtr;
    case R_SDSR: return &f->sdsr;
    default: return NULL;
    }
}

static enum vd_result fmc_read(void *ctx, uint32_t off, unsigned size, uint32_t *val)
{
    struct fmc *f = F(ctx);
    uint32_t reg = off & ~3u, v;
    if (reg == R_SDCMR) {
        v = 0;
    } else {
        uint32_t *r = reg_ptr(f, reg);
        if (!r)
            return VD_UNMODELLED;
        v = *r;
    }
    unsigned sh = (off & 3u) * 8u;
    *val = size == 4 ? v : (v >> sh) & ((1u << (8u * size)) - 1u);
    return VD_OK;
}

static enum vd_result fmc_write(void *ctx, uint32_t off, unsigned size, uint32_t val)
{
    struct fmc *f = F(ctx);
    uint32_t reg = off & ~3u;
    uint32_t *r = reg == R_SDCMR ? NULL : reg_ptr(f, reg);
    if (!r && reg != R_SDCMR)
        return VD_UNMODELLED;
    if (size != 4) {
        uint32_t cur = r ? *r : 0, sh = (off & 3u) * 8u;
        uint32_t mask = (size == 2 ? 0xFFFFu : 0xFFu) << sh;
        val = (cur & ~mask) | ((val << sh) & mask);
    }
    switch (reg) {
    case R_SDCMR:
        command(f, val);
        break;
    case R_SDRTR:
        write_sdrtr(f, val);
        break;
    case R_SDSR:
        break; /* read only */
    case R_BCR1:
        *r = val;
        if (BCR_BMAP(val))
            vd_violation(f->m, "FMC: BCR1.BMAP = %u (bank remap) is not modelled", BCR_BMAP(val));
        if (!(val & BCR_FMCEN))
            close_window(f);
        else
            maybe_open(f);
        break;
    default:
        *r = val;
        break;
    }
    return VD_OK;
}

static void fmc_tick(void *ctx, uint64_t now_ns)
{
    struct fmc *f = F(ctx);
    /* No refresh programmed 64 ms after the mode register: the device has lost its contents. */
    if (f->window_open && RTR_COUNT(f->sdrtr) == 0 && !f->refresh_warned &&
        now_ns - f->ready_ns > DEV_REFRESH_NS) {
        f->refresh_warned = true;
        vd_violation(f->m, "FMC: RM0433 §22.9.3 step 7: no refresh rate (SDRTR.COUNT = 0) 64 ms "
                           "after the SDRAM was initialised: the AS4C16M32MSA loses data");
    }
}

static void fmc_reset(void *ctx, bool power_on)
{
    struct fmc *f = F(ctx);
    close_window(f);
    f->bcr[0] = BCR1_RESET;
    f->bcr[1] = f->bcr[2] = f->bcr[3] = BCRX_RESET;
    for (int i = 0; i < 4; i++)
        f->btr[i] = BTR_RESET;
    f->sdcr[0] = f->sdcr[1] = SDCR_RESET;
    f->sdtr[0] = f->sdtr[1] = SDTR_RESET;
    f->sdrtr = f->sdsr = 0;
    f->seq = SEQ_OFF;
    f->bad = false;
    f->refreshes = 0;
    if (power_on && f->array)
        fill(f);
}

struct vd_periph *vd_fmc_sdram_create(struct vd_machine *m)
{
    struct fmc *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->m = m;
    f->power_up_us = vd_param(m, "sdram.power_up_us", 100);
    f->min_autorefresh = vd_param(m, "sdram.min_autorefresh", 2);
    f->max_clk_hz = vd_param(m, "sdram.max_clk_hz", 166000000);
    f->fill = vd_param(m, "sdram.fill", 0);
    f->check_timing = vd_param(m, "sdram.check_timing", 1);
    f->p = (struct vd_periph){
        .name = "FMC",
        .base = VD_FMC_BASE,
        .size = VD_FMC_SIZE,
        .gate = {.rcc_offset = VD_FMC_GATE_OFFSET, .bit = VD_FMC_GATE_BIT},
        .ctx = f,
        .read = fmc_read,
        .write = fmc_write,
        .tick = fmc_tick,
        .reset = fmc_reset,
    };
    fmc_reset(f, true);
    return &f->p;
}

void vd_fmc_sdram_free(struct vd_periph *p)
{
    if (!p)
        return;
    struct fmc *f = F(p->ctx);
    if (f->array)
        munmap(f->array, VD_SDRAM_SIZE);
    free(f);
}

bool vd_fmc_sdram_ready(const struct vd_periph *p) { return F(p->ctx)->window_open; }
uint8_t *vd_fmc_sdram_array(struct vd_periph *p) { return F(p->ctx)->array; }
