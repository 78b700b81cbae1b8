/*
 * vd_rcc.c — RCC model (RM0433 §8) and the clock rules a real chip punishes.
 *
 *  - Oscillators and PLLs: a ready flag follows its enable after a start-up time (HSE: DS12556
 *    tSU(HSE) 2 ms typical, parameter hse_startup_ns; PLL lock, parameter pll_lock_ns, default
 *    50 us after DS12556's PLL characteristics). RM0433 §8.7.2 (RCC_CR).
 *  - An oscillator or PLL in use as sys_ck refuses to stop (RM0433 §8.5.2, §8.5.5: "PLL1ON
 *    cannot be cleared while PLL1 is the system clock"; the write leaves the bit set).
 *  - PLL configuration (source, DIVMx, PLLxDIVR, PLLCFGR fields of that PLL, FRACN) written
 *    while the PLL is on is ignored and reported (RM0433 §8.7.11-§8.7.15: "can be written only
 *    when the PLL is disabled"). The PLL input must be 1-16 MHz in the range PLLxRGE says and
 *    the VCO within its range (§8.5.5, §8.7.12).
 *  - sys_ck switch (RCC_CFGR.SW → SWS) happens once the source is ready (§8.5.6).
 *  - After every change of sys_ck or a prescaler, vd_check_clock_rules: VOS limits (DS12556
 *    §6.3.1 Table 23) and flash wait states (RM0433 §4.3.8 Table 17).
 *  - RCC_xxxRSTR: releasing a reset bit resets the models clocked by the matching ENR bit.
 *  - RCC_RSR reset flags (§8.4.4): power-on and software reset sources.
 *  - vd_clock_hz names: hse hsi csi hsi48 sys_ck cpu hclk (= hclk1..hclk4, axi) pclk1..pclk4
 *    pll1p pll1q pll1r pll2p pll2q pll2r pll3p pll3q pll3r per_ck qspi_ker fmc_ker usb_ker.
 */
#include <stdio.h>
#include <string.h>

#include "vd_internal.h"

#define RCC_BASE 0x58024400u
#define N_REGS (0x200u / 4u)
#define CR 0x000u
#define CFGR 0x010u
#define D1CFGR 0x018u
#define D2CFGR 0x01Cu
#define D3CFGR 0x020u
#define PLLCKSELR 0x028u
#define PLLCFGR 0x02Cu
#define PLL1DIVR 0x030u
#define PLL1FRACR 0x034u
#define D1CCIPR 0x04Cu
#define D2CCIP2R 0x054u
#define RSTR_FIRST 0x07Cu
#define RSTR_LAST 0x09Cu
#define RSTR_TO_ENR 0x58u
#define RSR 0x0D0u
#define C1_ALIAS_FIRST 0x130u /* RCC_C1_RSR ... RCC_C1_APB4LPENR mirror 0x0D0 ... */
#define C1_ALIAS_DELTA 0x60u
#define HSI_HZ 64000000ull
#define CSI_HZ 4000000ull
#define HSI48_HZ 48000000ull
#define MHZ 1000000ull

#define CR_HSION (1u << 0)
#define CR_HSIRDY (1u << 2)
#define CR_CSION (1u << 7)
#define CR_CSIRDY (1u << 8)
#define CR_HSI48ON (1u << 12)
#define CR_HSI48RDY (1u << 13)
#define CR_HSEON (1u << 16)
#define CR_HSERDY (1u << 17)
#define CR_PLLON(i) (1u << (24u + 2u * (i)))
#define CR_PLLRDY(i) (1u << (25u + 2u * (i)))

/* Registers that exist (RM0433 §8.7, Table 59 register map); others are unmodelled. */
static const uint16_t known[] = {
    0x000, 0x004, 0x008, 0x00C, 0x010, 0x018, 0x01C, 0x020, 0x028, 0x02C, 0x030, 0x034,
    0x038, 0x03C, 0x040, 0x044, 0x04C, 0x050, 0x054, 0x058, 0x060, 0x064, 0x068, 0x070,
    0x074, 0x07C, 0x080, 0x084, 0x088, 0x08C, 0x090, 0x094, 0x098, 0x09C, 0x0A0, 0x0A8,
    0x0D0, 0x0D4, 0x0D8, 0x0DC, 0x0E0, 0x0E4, 0x0E8, 0x0EC, 0x0F0, 0x0F4, 0x0FC, 0x100,
    0x104, 0x108, 0x10C, 0x110, 0x114, 0x118, 0x11C,
};

struct vd_rcc {
    struct vd_periph p;
    struct vd_machine *m;
    uint32_t r[N_REGS];
    uint64_t on_at[8]; /* when an oscillator / PLL was switched on: HSE, PLL1..3 */
    char last_rule[160];
};

enum { T_HSE = 0, T_PLL1 = 1 };

static bool known_reg(uint32_t off)
{
    for (unsigned i = 0; i < sizeof known / sizeof known[0]; i++)
        if (known[i] == off)
            return true;
    return false;
}

uint32_t vd_rcc_reg(const struct vd_rcc *r, uint32_t off)
{
    return off < N_REGS * 4u ? r->r[off / 4u] : 0u;
}

static uint32_t field(uint32_t v, unsigned pos, unsigned bits)
{
    return (v >> pos) & ((1u << bits) - 1u);
}

/* ---- ready flags ---------------------------------------------------------------------------- */

static void settle(struct vd_rcc *r)
{
    struct vd_machine *m = r->m;
    uint64_t now = vd_now_ns(m);
    uint32_t *cr = &r->r[CR / 4u];
    uint64_t hse_ns = (uint64_t)vd_param(m, "hse_startup_ns", 2000000);
    uint64_t lock_ns = (uint64_t)vd_param(m, "pll_lock_ns", 50000);
    if ((*cr & CR_HSEON) && !(*cr & CR_HSERDY) && now >= r->on_at[T_HSE] + hse_ns)
        *cr |= CR_HSERDY;
    *cr = (*cr & CR_HSION) ? *cr | CR_HSIRDY : *cr & ~CR_HSIRDY;
    *cr = (*cr & CR_CSION) ? *cr | CR_CSIRDY : *cr & ~CR_CSIRDY;
    *cr = (*cr & CR_HSI48ON) ? *cr | CR_HSI48RDY : *cr & ~CR_HSI48RDY;
    for (unsigned i = 0; i < 3; i++) {
        if (!(*cr & CR_PLLON(i))) {
            *cr &= ~CR_PLLRDY(i);
            continue;
        }
        /* The PLL locks only on a running input (RM0433 §8.5.5). */
        uint32_t src = field(r->r[PLLCKSELR / 4u], 0, 2);
        bool in_ok = (src == 0 && (*cr & CR_HSIRDY)) || (src == 1 && (*cr & CR_CSIRDY)) ||
                     (src == 2 && (*cr & CR_HSERDY));
        if (in_ok && !(*cr & CR_PLLRDY(i)) && now >= r->on_at[T_PLL1 + i] + lock_ns)
            *cr |= CR_PLLRDY(i);
    }
    /* sys_ck switch once the source is ready (§8.5.6). */
    uint32_t *cfgr = &r->r[CFGR / 4u], sw = field(*cfgr, 0, 3), sws = field(*cfgr, 3, 3);
    if (sw != sws) {
        static const uint32_t rdy[4] = {CR_HSIRDY, CR_CSIRDY, CR_HSERDY, CR_PLLRDY(0)};
        if (sw < 4 && (*cr & rdy[sw])) {
            *cfgr = (*cfgr & ~(7u << 3)) | (sw << 3);
            vd_clock_changed(m);
            vd_trace(m, "RCC: sys_ck now %s, cpu %llu Hz", (const char *[]){"HSI", "CSI", "HSE",
                     "PLL1"}[sw], (unsigned long long)vd_rcc_clock_hz(r, "cpu"));
            vd_check_clock_rules(m, "sys_ck switch");
        }
    }
}

/* ---- clock tree ------------------------------------------------------------------------------ */

static uint64_t hse_hz(const struct vd_rcc *r)
{
    return (r->r[CR / 4u] & CR_HSERDY) ? (uint64_t)vd_param(r->m, "hse_hz", 16000000) : 0;
}

static uint64_t hsi_hz(const struct vd_rcc *r)
{
    return (r->r[CR / 4u] & CR_HSIRDY) ? HSI_HZ >> field(r->r[CR / 4u], 3, 2) : 0;
}

static uint64_t pll_ref(const struct vd_rcc *r, unsigned i)
{
    uint32_t ck = r->r[PLLCKSELR / 4u], divm = field(ck, 4u + 8u * i, 6);
    uint64_t in = 0;
    switch (field(ck, 0, 2)) {
    case 0: in = hsi_hz(r); break;
    case 1: in = (r->r[CR / 4u] & CR_CSIRDY) ? CSI_HZ : 0; break;
    case 2: in = hse_hz(r); break;
    default: break;
    }
    return divm ? in / divm : 0; /* DIVM = 0: prescaler disabled */
}

static uint64_t pll_vco(const struct vd_rcc *r, unsigned i)
{
    uint32_t divr = r->r[(PLL1DIVR + 8u * i) / 4u], fracr = r->r[(PLL1FRACR + 8u * i) / 4u];
    uint64_t ref = pll_ref(r, i);
    uint64_t n = field(divr, 0, 9) + 1u;
    uint64_t frac = field(r->r[PLLCFGR / 4u], 4u * i, 1) ? field(fracr, 3, 13) : 0;
    return ref * n + ref * frac / 8192u;
}

static uint64_t pll_out(const struct vd_rcc *r, unsigned i, unsigned which /* 0 p 1 q 2 r */)
{
    if (!(r->r[CR / 4u] & CR_PLLRDY(i)))
        return 0;
    if (!field(r->r[PLLCFGR / 4u], 16u + 3u * i + which, 1))
        return 0;
    uint32_t divr = r->r[(PLL1DIVR + 8u * i) / 4u];
    static const unsigned pos[3] = {9, 16, 24};
    return pll_vco(r, i) / (field(divr, pos[which], 7) + 1u);
}

static unsigned cpre_div(uint32_t code) /* D1CPRE / HPRE coding, RM0433 §8.7.8 */
{
    static const unsigned d[8] = {2, 4, 8, 16, 64, 128, 256, 512};
    return code < 8 ? 1u : d[code - 8];
}

static unsigned ppre_div(uint32_t code) /* DxPPRE coding */
{
    return code < 4 ? 1u : 1u << (code - 3u);
}

static uint64_t sys_ck(const struct vd_rcc *r)
{
    switch (field(r->r[CFGR / 4u], 3, 3)) {
    case 0: return hsi_hz(r);
    case 1: return CSI_HZ;
    case 2: return hse_hz(r);
    case 3: return pll_out(r, 0, 0);
    default: return 0;
    }
}

static uint64_t kernel_sel(const struct vd_rcc *r, uint32_t sel);

uint64_t vd_rcc_clock_hz(const struct vd_rcc *r, const char *name)
{
    uint64_t cpu = sys_ck(r) / cpre_div(field(r->r[D1CFGR / 4u], 8, 4));
    uint64_t hclk = cpu / cpre_div(field(r->r[D1CFGR / 4u], 0, 4));
    if (!strcmp(name, "sys_ck")) return sys_ck(r);
    if (!strcmp(name, "cpu")) return cpu;
    if (!strncmp(name, "hclk", 4) || !strcmp(name, "axi")) return hclk;
    if (!strcmp(name, "pclk3")) return hclk / ppre_div(field(r->r[D1CFGR / 4u], 4, 3));
    if (!strcmp(name, "pclk1")) return hclk / ppre_div(field(r->r[D2CFGR / 4u], 4, 3));
    if (!strcmp(name, "pclk2")) return hclk / ppre_div(field(r->r[D2CFGR / 4u], 8, 3));
    if (!strcmp(name, "pclk4")) return hclk / ppre_div(field(r->r[D3CFGR / 4u], 4, 3));
    if (!strcmp(name, "hse")) return hse_hz(r);
    if (!strcmp(name, "hsi")) return hsi_hz(r);
    if (!strcmp(name, "csi")) return (r->r[CR / 4u] & CR_CSIRDY) ? CSI_HZ : 0;
    if (!strcmp(name, "hsi48")) return (r->r[CR / 4u] & CR_HSI48RDY) ? HSI48_HZ : 0;
    if (strlen(name) == 5 && !strncmp(name, "pll", 3) && name[3] >= '1' && name[3] <= '3') {
        const char *w = strchr("pqr", name[4]);
        return w ? pll_out(r, (unsigned)(name[3] - '1'), (unsigned)(w - "pqr")) : 0;
    }
    if (!strcmp(name, "per_ck")) {
        switch (field(r->r[D1CCIPR / 4u], 28, 2)) {
        case 0: return hsi_hz(r);
        case 1: return (r->r[CR / 4u] & CR_CSIRDY) ? CSI_HZ : 0;
        case 2: return hse_hz(r);
        default: return 0;
        }
    }
    /* RM0433 §8.7.18 RCC_D1CCIPR: QSPISEL/FMCSEL 0 hclk3, 1 pll1_q, 2 pll2_r, 3 per_ck. */
    if (!strcmp(name, "qspi_ker")) return kernel_sel(r, field(r->r[D1CCIPR / 4u], 4, 2));
    if (!strcmp(name, "fmc_ker")) return kernel_sel(r, field(r->r[D1CCIPR / 4u], 0, 2));
    if (!strcmp(name, "usb_ker")) { /* §8.7.20 RCC_D2CCIP2R.USBSEL */
        switch (field(r->r[D2CCIP2R / 4u], 20, 2)) {
        case 1: return pll_out(r, 0, 1);
        case 2: return pll_out(r, 2, 1);
        case 3: return (r->r[CR / 4u] & CR_HSI48RDY) ? HSI48_HZ : 0;
        default: return 0;
        }
    }
    return 0;
}

static uint64_t kernel_sel(const struct vd_rcc *r, uint32_t sel)
{
    switch (sel) {
    case 0: return vd_rcc_clock_hz(r, "hclk3");
    case 1: return pll_out(r, 0, 1);
    case 2: return pll_out(r, 1, 2);
    default: return vd_rcc_clock_hz(r, "per_ck");
    }
}

/* ---- rules ---------------------------------------------------------------------------------- */

static void rule(struct vd_rcc *r, const char *fmt, unsigned a, unsigned long long b)
{
    char msg[160];
    snprintf(msg, sizeof msg, fmt, a, b);
    vd_violation(r->m, "%s", msg);
}

static void check_pll_inputs(struct vd_rcc *r, unsigned i)
{
    uint64_t ref = pll_ref(r, i), vco = pll_vco(r, i);
    uint32_t cfg = r->r[PLLCFGR / 4u], rge = field(cfg, 2u + 4u * i, 2);
    bool medium = field(cfg, 1u + 4u * i, 1);
    static const uint64_t lo[4] = {1 * MHZ, 2 * MHZ, 4 * MHZ, 8 * MHZ};
    if (ref < lo[rge] || ref > 2 * lo[rge])
        rule(r, "RCC: RM0433 §8.7.12: PLL%u input %llu Hz outside the range PLLxRGE selects",
             i + 1u, (unsigned long long)ref);
    if (medium ? (vco < 150 * MHZ || vco > 420 * MHZ) : (vco < 192 * MHZ || vco > 960 * MHZ))
        rule(r, "RCC: RM0433 §8.5.5: PLL%u VCO %llu Hz outside its range", i + 1u,
             (unsigned long long)vco);
}

/* Which PLL (0..2) a register offset configures, -1 for none (PLLCKSELR is checked per field). */
static int pll_of(uint32_t off)
{
    if (off >= PLL1DIVR && off <= 0x044u)
        return (int)((off - PLL1DIVR) / 8u);
    return -1;
}

static enum vd_result rcc_write(void *ctx, uint32_t off, unsigned size, uint32_t val)
{
    struct vd_rcc *r = ctx;
    struct vd_machine *m = r->m;
    if (off >= C1_ALIAS_FIRST && off < C1_ALIAS_FIRST + 0x70u)
        off -= C1_ALIAS_DELTA;
    if (size != 4 || !known_reg(off))
        return VD_UNMODELLED;
    settle(r);
    uint32_t *reg = &r->r[off / 4u], old = *reg, cr = r->r[CR / 4u];
    uint32_t sws = field(r->r[CFGR / 4u], 3, 3);
    int pll = pll_of(off);
    if (off == PLLCKSELR || off == PLLCFGR || pll >= 0)
        vd_trace(m, "RCC: PLL register 0x%03x <- 0x%08x", (unsigned)off, (unsigned)val);
    if (pll >= 0) {
        bool on = pll == 3 ? (cr & (CR_PLLON(0) | CR_PLLON(1) | CR_PLLON(2)))
                           : (cr & CR_PLLON((unsigned)pll));
        if (on && val != old) {
            rule(r, "RCC: RM0433 §8.7.11-15: PLL configuration register 0x%03x written while the "
                    "PLL is on (0x%llx): ignored", off, (unsigned long long)val);
            return VD_OK;
        }
    }
    switch (off) {
    case PLLCKSELR: {
        /* RM0433 §8.7.11 (RCC_PLLCKSELR), per field: PLLSRC "can be written only when all PLLs
         * are disabled"; DIVMx: "the hardware does not allow any modification of this prescaler
         * when PLLx is enabled". So an unchanged field, or the DIVM of a stopped PLL, is a legal
         * write while another PLL runs (HAL_RCCEx_PeriphCLKConfig sets DIVM3 with PLL1 on). A
         * refused field keeps its value; the rest of the write takes effect. */
        uint32_t v = val & 0x03F3F3F3u;
        if ((cr & (CR_PLLON(0) | CR_PLLON(1) | CR_PLLON(2))) && field(v ^ old, 0, 2)) {
            rule(r, "RCC: RM0433 §8.7.11: PLLSRC changed while a PLL is on (PLLCKSELR 0x%03x "
                    "<- 0x%llx): field kept", off, (unsigned long long)val);
            v = (v & ~3u) | (old & 3u);
        }
        for (unsigned i = 0; i < 3; i++) {
            uint32_t mask = 0x3Fu << (4u + 8u * i);
            if ((cr & CR_PLLON(i)) && ((v ^ old) & mask)) {
                rule(r, "RCC: RM0433 §8.7.11: DIVM%u changed while its PLL is on: field kept "
                        "(PLLCKSELR <- 0x%llx)", i + 1u, (unsigned long long)val);
                v = (v & ~mask) | (old & mask);
            }
        }
        *reg = v;
        break;
    }
    case CR: {
        uint32_t v = (val & 0x150D129Bu) | (old & 0x2A02E124u); /* ready flags read-only */
        /* Sources in use refuse to stop (§8.5.2, §8.5.5). */
        uint32_t src = field(r->r[PLLCKSELR / 4u], 0, 2);
        if (sws == 3 && !(v & CR_PLLON(0))) {
            vd_trace(m, "RCC: PLL1ON clear refused: PLL1 is sys_ck");
            v |= CR_PLLON(0);
        }
        bool hse_used = sws == 2 || (sws == 3 && src == 2);
        if (hse_used && !(v & CR_HSEON)) {
            vd_trace(m, "RCC: HSEON clear refused: HSE feeds sys_ck");
            v |= CR_HSEON;
        }
        if ((sws == 0 || (sws == 3 && src == 0)) && !(v & CR_HSION))
            v |= CR_HSION;
        if (!(v & CR_HSEON))
            v &= ~CR_HSERDY;
        if ((v & CR_HSEON) && !(old & CR_HSEON))
            r->on_at[T_HSE] = vd_now_ns(m);
        for (unsigned i = 0; i < 3; i++)
            if ((v & CR_PLLON(i)) && !(old & CR_PLLON(i))) {
                r->on_at[T_PLL1 + i] = vd_now_ns(m);
                *reg = v;
                check_pll_inputs(r, i);
            }
        *reg = v;
        break;
    }
    case CFGR:
        *reg = (val & ~(7u << 3)) | (old & (7u << 3)); /* SWS read-only */
        break;
    case RSR:
        if (val & (1u << 16)) /* RMVF */
            *reg = 0;
        break;
    default:
        *reg = val;
    }
    if (off >= RSTR_FIRST && off <= RSTR_LAST) {
        uint32_t released = old & ~*reg;
        for (unsigned i = 0; i < m->n_periph && released; i++) {
            struct vd_periph *p = m->periph[i];
            if (p->gate.rcc_offset == off + RSTR_TO_ENR && ((released >> p->gate.bit) & 1u) &&
                p->reset) {
                vd_trace(m, "RCC: %s reset through RSTR 0x%03x", p->name, off);
                p->reset(p->ctx, false);
            }
        }
    }
    settle(r);
    if (off == D1CFGR || off == D2CFGR || off == D3CFGR || off == CR) {
        vd_clock_changed(m);
        vd_check_clock_rules(m, "prescaler or oscillator change");
    }
    return VD_OK;
}

static enum vd_result rcc_read(void *ctx, uint32_t off, unsigned size, uint32_t *val)
{
    struct vd_rcc *r = ctx;
    if (off >= C1_ALIAS_FIRST && off < C1_ALIAS_FIRST + 0x70u)
        off -= C1_ALIAS_DELTA;
    if (size != 4 || !known_reg(off))
        return VD_UNMODELLED;
    settle(r);
    *val = r->r[off / 4u];
    return VD_OK;
}

static void rcc_tick(void *ctx, uint64_t now_ns)
{
    (void)now_ns;
    struct vd_rcc *r = ctx;
    uint32_t cfgr = r->r[CFGR / 4u];
    if (field(cfgr, 0, 3) != field(cfgr, 3, 3))
        settle(r); /* a pending switch completes without a register access */
}

static void rcc_reset(void *ctx, bool power_on)
{
    struct vd_rcc *r = ctx;
    uint32_t rsr = power_on ? 0x00FA0000u /* POR, BOR, PIN, D1, D2, CPU */
                            : (r->r[RSR / 4u] | 0x01420000u); /* SFT, PIN, CPU */
    memset(r->r, 0, sizeof r->r);
    /* Reset values, RM0433 §8.7 (register descriptions). */
    r->r[CR / 4u] = CR_HSION | CR_HSIRDY | (1u << 5) /* HSIDIVF */ | (1u << 14) | (1u << 15);
    r->r[PLLCKSELR / 4u] = 0x02020200u;
    r->r[PLLCFGR / 4u] = 0x01FF0000u;
    r->r[PLL1DIVR / 4u] = r->r[0x038u / 4u] = r->r[0x040u / 4u] = 0x01010280u;
    r->r[RSR / 4u] = rsr;
    memset(r->on_at, 0, sizeof r->on_at);
    vd_clock_changed(r->m);
}

struct vd_rcc *vd_rcc_new(struct vd_machine *m)
{
    struct vd_rcc *r = vd_alloc(m, sizeof *r);
    r->m = m;
    r->p = (struct vd_periph){.name = "RCC", .base = RCC_BASE, .size = 0x400, .ctx = r,
                              .read = rcc_read, .write = rcc_write, .tick = rcc_tick,
                              .reset = rcc_reset};
    m->rcc = r;
    vd_add_periph(m, &r->p);
    rcc_reset(r, true);
    return r;
}

/* ---- rules that join RCC, PWR and FLASH ------------------------------------------------------ */

/* RM0433 §4.3.8 Table 17: highest AXI clock (rcc_aclk = hclk) for each LATENCY, per VOS
 * (rows VOS0..VOS3), in MHz. */
static const unsigned table17[4][5] = {
    {70, 140, 210, 225, 240}, /* VOS0 */
    {70, 140, 210, 225, 225}, /* VOS1 */
    {55, 110, 165, 220, 225}, /* VOS2 */
    {45, 90, 135, 180, 225},  /* VOS3 */
};
/* DS12556 §6.3.1 Table 23 (general operating conditions): max CPU / AXI clock per VOS. */
static const unsigned max_cpu_mhz[4] = {480, 400, 300, 200};
static const unsigned max_hclk_mhz[4] = {240, 200, 150, 100};

void vd_check_clock_rules(struct vd_machine *m, const char *after)
{
    struct vd_rcc *r = m->rcc;
    if (!r || !m->pwr)
        return;
    int vos = vd_pwr_vos(m->pwr);
    uint64_t cpu = vd_rcc_clock_hz(r, "cpu"), hclk = vd_rcc_clock_hz(r, "hclk");
    unsigned lat = vd_flash_latency(m), need = 0;
    while (need < 5 && hclk > (uint64_t)table17[vos][need] * MHZ)
        need++;
    char msg[160] = "";
    if (cpu > (uint64_t)max_cpu_mhz[vos] * MHZ || hclk > (uint64_t)max_hclk_mhz[vos] * MHZ)
        snprintf(msg, sizeof msg, "RCC/PWR: DS12556 Table 23: cpu %llu Hz / AXI %llu Hz above the "
                 "VOS%d limit (%u/%u MHz), after %s", (unsigned long long)cpu,
                 (unsigned long long)hclk, vos, max_cpu_mhz[vos], max_hclk_mhz[vos], after);
    else if (lat < need)
        snprintf(msg, sizeof msg, "FLASH: RM0433 §4.3.8 Table 17: LATENCY %u too low for AXI "
                 "%llu Hz at VOS%d (needs %u), after %s", lat, (unsigned long long)hclk, vos,
                 need, after);
    if (msg[0] && strcmp(msg, r->last_rule) != 0) {
        snprintf(r->last_rule, sizeof r->last_rule, "%s", msg);
        vd_violation(m, "%s", msg);
    }
}
