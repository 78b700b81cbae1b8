/*
 * Pure arithmetic for the STM32H750 drivers (see h7_calc.h). Sections cited per function.
 */
#include "h7_calc.h"

#include "stm32h750_regs.h"

#define HZ_PER_MHZ 1000000u

/* RM0433 §8.7.12 PLL1RGE encodings, by reference frequency. */
#define PLL_RGE_2_4MHZ 1u
#define PLL_RGE_4_8MHZ 2u

static bool pll_try_m(uint32_t hse_hz, uint32_t m, uint32_t lo, uint32_t hi, uint32_t sysclk_hz,
                      uint32_t q_hz, struct h7_pll *out)
{
    if (hse_hz % m)
        return false;
    uint32_t ref = hse_hz / m;
    if (ref < lo || ref >= hi)
        return false;
    /* 32-bit arithmetic only (no libgcc division helpers in the bootloader). */
    for (uint32_t p = 2; p <= H7_PLL_DIVPQR_MAX; p += 2) {
        if (sysclk_hz == 0 || p > H7_PLL_VCO_MAX_HZ / sysclk_hz)
            break;
        uint32_t vco = sysclk_hz * p;
        if (vco < H7_PLL_VCO_MIN_HZ || vco % ref)
            continue;
        uint32_t n = vco / ref;
        if (n < H7_PLL_DIVN_MIN || n > H7_PLL_DIVN_MAX)
            continue;
        if (q_hz == 0 || vco % q_hz || vco / q_hz < 1 || vco / q_hz > H7_PLL_DIVPQR_MAX)
            continue;
        uint32_t q = vco / q_hz;
        out->m = m;
        out->n = n;
        out->p = p;
        out->q = q;
        out->r = p;
        out->rge = lo >= 4 * HZ_PER_MHZ ? PLL_RGE_4_8MHZ : PLL_RGE_2_4MHZ;
        out->ref_hz = ref;
        out->vco_hz = vco;
        out->p_hz = sysclk_hz;
        out->q_hz = q_hz;
        out->divr_reg = H7_FIELD(n - 1, RCC_PLLDIVR_N_POS) | H7_FIELD(p - 1, RCC_PLLDIVR_P_POS) |
                        H7_FIELD(q - 1, RCC_PLLDIVR_Q_POS) | H7_FIELD(p - 1, RCC_PLLDIVR_R_POS);
        return true;
    }
    return false;
}

bool h7_pll_compute(uint32_t hse_hz, uint32_t sysclk_hz, uint32_t q_hz, struct h7_pll *out)
{
    static const uint32_t ranges[][2] = {
        {4 * HZ_PER_MHZ, 8 * HZ_PER_MHZ}, /* preferred: input range 2 */
        {H7_PLL_REF_MIN_HZ, 4 * HZ_PER_MHZ},
    };
    for (unsigned r = 0; r < sizeof ranges / sizeof ranges[0]; r++)
        for (uint32_t m = 1; m <= H7_PLL_DIVM_MAX; m++)
            if (pll_try_m(hse_hz, m, ranges[r][0], ranges[r][1], sysclk_hz, q_hz, out))
                return true;
    return false;
}

/* RM0433 Table 17 (FLASH recommended number of wait states and programming delay): upper AXI
 * clock bound of each row, for VOS0 and VOS1. */
struct ws_row {
    uint32_t max_mhz, latency, wrhighfreq;
};
static const struct ws_row ws_vos0[] = {
    {70, 0, 0}, {140, 1, 1}, {185, 2, 1}, {210, 2, 2}, {225, 3, 2}, {240, 4, 2},
};
static const struct ws_row ws_vos1[] = {
    {70, 0, 0}, {140, 1, 1}, {185, 2, 1}, {210, 2, 2}, {225, 3, 2},
};

bool h7_flash_wait_states(uint32_t axi_hz, uint32_t vos, struct h7_flash_ws *out)
{
    const struct ws_row *t = vos == 0 ? ws_vos0 : ws_vos1;
    unsigned n = vos == 0 ? sizeof ws_vos0 / sizeof *ws_vos0 : sizeof ws_vos1 / sizeof *ws_vos1;
    if (vos > 1)
        return false;
    for (unsigned i = 0; i < n; i++) {
        if (axi_hz <= t[i].max_mhz * HZ_PER_MHZ) {
            out->latency = t[i].latency;
            out->wrhighfreq = t[i].wrhighfreq;
            return true;
        }
    }
    return false;
}

uint32_t h7_qspi_ccr(const struct h7_qspi_cmd *c, uint32_t fmode)
{
    return H7_QSPI_CCR(c->instruction, c->imode, c->admode, c->adsize, c->abmode, c->absize,
                       c->dummy_cycles, c->dmode, fmode, c->sioo);
}

/* Clocks covering ns at khz kHz, rounded up. 32-bit: ns * khz stays below 2^32 for the
 * timings checked here (ns < 4000 at up to 1 GHz). */
#define US_PER_MS_X_KHZ 1000000u /* ns * kHz / 1e6 = clocks */
#define SDRAM_NS_MAX 4000u
static uint32_t ns_to_cycles(uint32_t ns, uint32_t khz)
{
    return (ns * khz + US_PER_MS_X_KHZ - 1u) / US_PER_MS_X_KHZ;
}

static uint32_t max_u32(uint32_t a, uint32_t b)
{
    return a > b ? a : b;
}

/* RM0433 §22.9.7 SDCR encodings. */
#define SDRAM_NC_MIN_BITS 8u  /* NC = bits - 8 (8..11) */
#define SDRAM_NC_MAX_BITS 11u
#define SDRAM_NR_MIN_BITS 11u /* NR = bits - 11 (11..13) */
#define SDRAM_NR_MAX_BITS 13u
#define SDRAM_CAS_MAX 3u
/* JEDEC SDR SDRAM mode register fields: burst length 1 (000), sequential, CAS latency in bits
 * 6:4, single-location write burst (bit 9). */
#define SDRAM_MODE_CAS_POS 4u
#define SDRAM_MODE_WRITE_BURST_SINGLE (1u << 9)

bool h7_sdram_compute(const struct h7_sdram_part *p, uint32_t fmc_hz, uint32_t sdclk_div,
                      struct h7_sdram_regs *o)
{
    if (sdclk_div < 2 || sdclk_div > 3)
        return false;
    uint32_t hz = fmc_hz / sdclk_div, khz = hz / 1000u;
    if (hz == 0 || hz > p->max_clock_hz || p->t_xsr_ns > SDRAM_NS_MAX ||
        p->t_ras_ns > SDRAM_NS_MAX || p->t_rc_ns > SDRAM_NS_MAX || p->t_rp_ns > SDRAM_NS_MAX ||
        p->t_rcd_ns > SDRAM_NS_MAX)
        return false;
    if (p->column_bits < SDRAM_NC_MIN_BITS || p->column_bits > SDRAM_NC_MAX_BITS ||
        p->row_bits < SDRAM_NR_MIN_BITS || p->row_bits > SDRAM_NR_MAX_BITS ||
        (p->banks != 2 && p->banks != 4) || p->cas_latency < 1 ||
        p->cas_latency > SDRAM_CAS_MAX)
        return false;
    uint32_t mwid;
    switch (p->data_bits) {
    case 8: mwid = 0; break;
    case 16: mwid = 1; break;
    case 32: mwid = 2; break;
    default: return false;
    }
    o->sdclk_hz = hz;
    o->tmrd = max_u32(p->t_mrd_cycles, 1);
    o->txsr = max_u32(ns_to_cycles(p->t_xsr_ns, khz), 1);
    o->tras = max_u32(ns_to_cycles(p->t_ras_ns, khz), 1);
    o->trc = max_u32(ns_to_cycles(p->t_rc_ns, khz), 1);
    o->trp = max_u32(ns_to_cycles(p->t_rp_ns, khz), 1);
    o->trcd = max_u32(ns_to_cycles(p->t_rcd_ns, khz), 1);
    o->twr = max_u32(p->t_wr_cycles, 1);
    /* RM0433 §22.9.7 (SDTR TWR note): TWR >= TRAS - TRCD and TWR >= TRC - TRCD - TRP. */
    if (o->tras > o->trcd)
        o->twr = max_u32(o->twr, o->tras - o->trcd);
    if (o->trc > o->trcd + o->trp)
        o->twr = max_u32(o->twr, o->trc - o->trcd - o->trp);
    const uint32_t all[] = {o->tmrd, o->txsr, o->tras, o->trc, o->twr, o->trp, o->trcd};
    for (unsigned i = 0; i < sizeof all / sizeof all[0]; i++)
        if (all[i] > FMC_SDTR_FIELD_MAX)
            return false;
    o->sdtr = H7_FIELD(o->tmrd - 1, FMC_SDTR_TMRD_POS) | H7_FIELD(o->txsr - 1, FMC_SDTR_TXSR_POS) |
              H7_FIELD(o->tras - 1, FMC_SDTR_TRAS_POS) | H7_FIELD(o->trc - 1, FMC_SDTR_TRC_POS) |
              H7_FIELD(o->twr - 1, FMC_SDTR_TWR_POS) | H7_FIELD(o->trp - 1, FMC_SDTR_TRP_POS) |
              H7_FIELD(o->trcd - 1, FMC_SDTR_TRCD_POS);
    o->sdcr = H7_FIELD(p->column_bits - SDRAM_NC_MIN_BITS, FMC_SDCR_NC_POS) |
              H7_FIELD(p->row_bits - SDRAM_NR_MIN_BITS, FMC_SDCR_NR_POS) |
              H7_FIELD(mwid, FMC_SDCR_MWID_POS) | (p->banks == 4 ? FMC_SDCR_NB4 : 0u) |
              H7_FIELD(p->cas_latency, FMC_SDCR_CAS_POS) | H7_FIELD(sdclk_div, FMC_SDCR_SDCLK_POS) |
              FMC_SDCR_RBURST;
    /* RM0433 §22.9.5: COUNT = refresh period per row in SDCLK cycles - 20. */
    if (p->refresh_rows == 0)
        return false;
    /* clocks per row = refresh_ms * kHz / rows (ms * kHz = clocks) */
    if (p->refresh_ms > UINT32_MAX / (khz ? khz : 1u))
        return false;
    uint32_t per_row = p->refresh_ms * khz / p->refresh_rows;
    if (per_row < FMC_SDRTR_MARGIN + FMC_SDRTR_COUNT_MIN + 1 ||
        per_row - FMC_SDRTR_MARGIN > FMC_SDRTR_COUNT_MAX)
        return false;
    o->sdrtr_count = per_row - FMC_SDRTR_MARGIN;
    o->mode_register = H7_FIELD(p->cas_latency, SDRAM_MODE_CAS_POS) | SDRAM_MODE_WRITE_BURST_SINGLE;
    return true;
}

/* Armv7-M ARM §B3.5.9 MPU_RASR fields; TEX/C/B meanings from §B3.5.10 Table B3-13/B3-14. */
#define RASR_ENABLE 1u
#define RASR_SIZE_POS 1u
#define RASR_B (1u << 16)
#define RASR_C (1u << 17)
#define RASR_S (1u << 18)
#define RASR_TEX_POS 19u
#define RASR_AP_POS 24u
#define RASR_XN (1u << 28)
#define RASR_AP_NONE 0u
#define RASR_AP_RW 3u
#define RASR_AP_RO 6u
#define RBAR_VALID (1u << 4)
#define RBAR_REGION_MASK 0xFu
#define MPU_SIZE_MIN 32u

bool h7_mpu_encode(uint32_t number, uint32_t base, uint32_t size, enum h7_mpu_kind kind,
                   bool exec, struct h7_mpu_region *out)
{
    if (number > RBAR_REGION_MASK || size < MPU_SIZE_MIN || (size & (size - 1)) ||
        (base & (size - 1)))
        return false;
    uint32_t log2 = 0;
    while (log2 < 31u && (1u << log2) < size)
        log2++;
    uint32_t attr;
    switch (kind) {
    case H7_MPU_NO_ACCESS: /* TEX 000 C0 B0: strongly ordered */
        attr = H7_FIELD(RASR_AP_NONE, RASR_AP_POS);
        exec = false;
        break;
    case H7_MPU_NORMAL_WBWA: /* TEX 001 C1 B1 */
        attr = H7_FIELD(1, RASR_TEX_POS) | RASR_C | RASR_B | H7_FIELD(RASR_AP_RW, RASR_AP_POS);
        break;
    case H7_MPU_NORMAL_WT_RO: /* TEX 000 C1 B0 */
        attr = RASR_C | H7_FIELD(RASR_AP_RO, RASR_AP_POS);
        break;
    case H7_MPU_NORMAL_NOCACHE: /* TEX 001 C0 B0, shareable */
        attr = H7_FIELD(1, RASR_TEX_POS) | RASR_S | H7_FIELD(RASR_AP_RW, RASR_AP_POS);
        break;
    default:
        return false;
    }
    out->rbar = base | RBAR_VALID | number;
    out->rasr = attr | (exec ? 0u : RASR_XN) | H7_FIELD(log2 - 1, RASR_SIZE_POS) | RASR_ENABLE;
    return true;
}

static int plan_add(struct h7_mpu_region *out, uint32_t max, uint32_t *n, uint32_t base,
                    uint32_t size, enum h7_mpu_kind kind, bool exec)
{
    if (*n >= max || !h7_mpu_encode(*n, base, size, kind, exec, &out[*n]))
        return -1;
    (*n)++;
    return 0;
}

static bool name_is(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

int h7_mpu_plan(const struct h7_board *b, struct h7_mpu_region *out, uint32_t max)
{
    uint32_t n = 0;
    const struct h7_region *dma = 0;
    for (uint32_t i = 0; i < b->n_regions; i++) {
        const struct h7_region *r = &b->regions[i];
        if ((r->flags & H7_REGION_XIP) &&
            plan_add(out, max, &n, r->origin & ~(H7_QSPI_BANK_SIZE - 1), H7_QSPI_BANK_SIZE,
                     H7_MPU_NO_ACCESS, false))
            return -1;
    }
    for (uint32_t i = 0; i < b->n_regions; i++) {
        const struct h7_region *r = &b->regions[i];
        bool exec = (r->flags & H7_REGION_EXEC) != 0;
        enum h7_mpu_kind kind;
        if (r->flags & H7_REGION_FLASH)
            kind = H7_MPU_NORMAL_WT_RO;
        else if ((r->flags & H7_REGION_CACHEABLE) && !(r->flags & H7_REGION_RETAINED))
            kind = H7_MPU_NORMAL_WBWA;
        else
            kind = H7_MPU_NORMAL_NOCACHE;
        if (plan_add(out, max, &n, r->origin, r->length, kind, exec))
            return -1;
        if (name_is(r->name, H7_D2_DMA_WINDOW_REGION))
            dma = r;
    }
    if (dma && plan_add(out, max, &n, dma->origin, H7_D2_DMA_WINDOW_SIZE, H7_MPU_NORMAL_NOCACHE,
                        false))
        return -1;
    return (int)n;
}
