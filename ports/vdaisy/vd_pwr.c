/*
 * vd_pwr.c — PWR (RM0433 §6), SYSCFG_PWRCR (the VOS0 overdrive, §6.6.2 and §12.3), the FLASH
 * interface's ACR (§4.9.1) and the backup SRAM (§2.4, §6.4.4).
 *
 * PWR rules:
 *  - PWR_CR3 (§6.8.4): the supply configuration (LDOEN/BYPASS) is written once after a
 *    power-on reset; the write clears SCUEN and later writes of those bits are ignored until
 *    the next power-on. ACTVOSRDY is set once the configuration is written. Whether ACTVOSRDY
 *    already reads 1 before the first CR3 write the manual does not say plainly: parameter
 *    actvosrdy_at_reset (default 0). The Daisy Seed's board runs the LDO (libDaisy selects
 *    PWR_LDO_SUPPLY): BYPASS set is a violation on this board.
 *  - PWR_D3CR.VOS (§6.8.6): changed only while ACTVOSRDY = 1; VOSRDY clears and is set again
 *    vos_ready_ns later (default 10 us). VOS = 00 is reserved.
 *  - SYSCFG_PWRCR.ODEN (§6.6.2): allowed only at VOS1 (D3CR.VOS = 11), gives VOS0; VOSRDY
 *    clears and comes back like a VOS change.
 *  - PWR_CR1.DBP (§6.8.1) opens the backup domain: backup SRAM writes with DBP = 0 are lost
 *    (violation). Backup SRAM is clocked by RCC_AHB4ENR.BKPRAMEN (bit 28), the machine's gate.
 *    It keeps its contents over a system reset; a power-on clears it unless bkp_keep=1 (a
 *    coin cell on VBAT with the backup regulator, PWR_CR2.BREN).
 * FLASH_ACR: LATENCY / WRHIGHFREQ; reset 0x37. Lowering LATENCY below what the current clock
 * needs is checked by vd_check_clock_rules (Table 17). Other FLASH registers are unmodelled.
 */
#include <string.h>

#include "vd_internal.h"

#define PWR_BASE 0x58024800u
#define SYSCFG_BASE 0x58000400u
#define FLASH_REGS_BASE 0x52002000u
#define RCC_APB4ENR 0x0F4u
#define RCC_AHB4ENR 0x0E0u
#define CR1 0x00u
#define CSR1 0x04u
#define CR2 0x08u
#define CR3 0x0Cu
#define CPUCR 0x10u
#define D3CR 0x18u
#define WKUPCR 0x20u
#define WKUPFR 0x24u
#define WKUPEPR 0x28u
#define CR1_DBP (1u << 8)
#define CSR1_ACTVOSRDY (1u << 13)
#define CR3_BYPASS (1u << 0)
#define CR3_LDOEN (1u << 1)
#define CR3_SCUEN (1u << 2)
#define D3CR_VOSRDY (1u << 13)
#define VOS_POS 14u

struct vd_pwr {
    struct vd_periph p, syscfg, flash, bkp;
    struct vd_machine *m;
    uint32_t cr1, cr2, cr3, cpucr, d3cr, wkupcr, wkupepr;
    bool actvosrdy, oden;
    uint64_t vos_ready_at;
    uint32_t syscfg_regs[0x400 / 4];
    uint8_t bkp_mem[VD_BKPSRAM_SIZE];
};

static struct vd_pwr *P(struct vd_machine *m)
{
    return m->pwr;
}

int vd_pwr_vos(const struct vd_pwr *p)
{
    switch ((p->d3cr >> VOS_POS) & 3u) {
    case 3: return p->oden ? 0 : 1;
    case 2: return 2;
    default: return 3;
    }
}

bool vd_pwr_dbp(const struct vd_pwr *p)
{
    return p->cr1 & CR1_DBP;
}

static void vos_changing(struct vd_pwr *p)
{
    p->vos_ready_at = vd_now_ns(p->m) + (uint64_t)vd_param(p->m, "vos_ready_ns", 10000);
}

static bool vosrdy(const struct vd_pwr *p)
{
    return vd_now_ns(p->m) >= p->vos_ready_at;
}

static enum vd_result pwr_read(void *ctx, uint32_t off, unsigned size, uint32_t *val)
{
    struct vd_pwr *p = ctx;
    if (size != 4)
        return VD_UNMODELLED;
    switch (off) {
    case CR1: *val = p->cr1; break;
    case CSR1: /* ACTVOS mirrors the VOS in use once ready */
        *val = (p->actvosrdy ? CSR1_ACTVOSRDY : 0u) | (p->d3cr & (3u << VOS_POS));
        break;
    case CR2: *val = p->cr2 | ((p->cr2 & 1u) << 16); break; /* BRRDY follows BREN */
    case CR3: *val = p->cr3; break;
    case CPUCR: *val = p->cpucr; break;
    case D3CR: *val = p->d3cr | (vosrdy(p) ? D3CR_VOSRDY : 0u); break;
    case WKUPCR: *val = 0; break;
    case WKUPFR: *val = 0; break;
    case WKUPEPR: *val = p->wkupepr; break;
    default: return VD_UNMODELLED;
    }
    return VD_OK;
}

static enum vd_result pwr_write(void *ctx, uint32_t off, unsigned size, uint32_t val)
{
    struct vd_pwr *p = ctx;
    struct vd_machine *m = p->m;
    if (size != 4)
        return VD_UNMODELLED;
    switch (off) {
    case CR1: p->cr1 = val; break;
    case CR2: p->cr2 = val & 0x11u; break;
    case CR3: {
        uint32_t supply = CR3_BYPASS | CR3_LDOEN;
        if (p->cr3 & CR3_SCUEN) {
            if ((val & CR3_BYPASS) && vd_param(m, "board_ldo", 1))
                vd_violation(m, "PWR: RM0433 §6.8.4: BYPASS set, but the Daisy Seed powers "
                                "VCORE from the LDO");
            if (!(val & supply))
                vd_violation(m, "PWR: RM0433 §6.8.4: neither LDO nor bypass: no core supply");
            p->cr3 = (val & ~CR3_SCUEN) & 0x0700003Fu;
            p->actvosrdy = true;
            vd_trace(m, "PWR: supply configuration 0x%08x locked", p->cr3);
        } else {
            if ((val & supply) != (p->cr3 & supply))
                vd_trace(m, "PWR: CR3 supply change ignored: locked since power-on (SCUEN=0)");
            p->cr3 = (p->cr3 & supply) | (val & ~supply & ~CR3_SCUEN & 0x0700003Fu);
        }
        /* USB33RDY follows USB33DEN (bit 24 -> 26). */
        p->cr3 = (p->cr3 & ~(1u << 26)) | ((p->cr3 >> 24 & 1u) << 26);
        break;
    }
    case CPUCR: p->cpucr = val; break;
    case D3CR: {
        uint32_t vos = (val >> VOS_POS) & 3u;
        if (!p->actvosrdy) {
            vd_violation(m, "PWR: RM0433 §6.8.6: VOS written before ACTVOSRDY (supply "
                            "configuration not done): ignored");
            break;
        }
        if (vos == 0) {
            vd_violation(m, "PWR: RM0433 §6.8.6: VOS = 00 is reserved");
            break;
        }
        if (vos != ((p->d3cr >> VOS_POS) & 3u)) {
            p->d3cr = vos << VOS_POS;
            vos_changing(p);
            if (vos != 3u && p->oden) {
                p->oden = false; /* VOS0 needs VOS1 underneath */
            }
            vd_check_clock_rules(m, "VOS change");
        }
        break;
    }
    case WKUPCR: break;
    case WKUPEPR: p->wkupepr = val; break;
    default: return VD_UNMODELLED;
    }
    return VD_OK;
}

static void pwr_reset(void *ctx, bool power_on)
{
    struct vd_pwr *p = ctx;
    p->cr1 = 0xF000C000u;
    p->cpucr = 0;
    p->d3cr = 1u << VOS_POS; /* VOS3 */
    p->oden = false;
    p->vos_ready_at = 0;
    if (power_on) {
        /* Supply configuration and its lock survive everything but a power-on (§6.8.4). */
        p->cr2 = 0;
        p->cr3 = CR3_SCUEN | CR3_LDOEN;
        p->actvosrdy = vd_param(p->m, "actvosrdy_at_reset", 0) != 0;
        if (!vd_param(p->m, "bkp_keep", 0))
            memset(p->bkp_mem, 0, sizeof p->bkp_mem);
    }
    memset(p->syscfg_regs, 0, sizeof p->syscfg_regs);
}

/* ---- SYSCFG ---------------------------------------------------------------------------------- */

#define SYSCFG_PWRCR 0x2Cu

static bool syscfg_known(uint32_t off)
{
    /* PMCR, EXTICR1-4, CFGR, CCCSR, CCVR, CCCR, PWRCR (RM0433 §12.3). */
    return off == 0x04u || (off >= 0x08u && off <= 0x14u) || off == 0x18u ||
           (off >= 0x20u && off <= SYSCFG_PWRCR);
}

static enum vd_result syscfg_read(void *ctx, uint32_t off, unsigned size, uint32_t *val)
{
    struct vd_pwr *p = ctx;
    if (size != 4 || !syscfg_known(off))
        return VD_UNMODELLED;
    *val = off == SYSCFG_PWRCR ? (p->oden ? 1u : 0u) : p->syscfg_regs[off / 4u];
    return VD_OK;
}

static enum vd_result syscfg_write(void *ctx, uint32_t off, unsigned size, uint32_t val)
{
    struct vd_pwr *p = ctx;
    struct vd_machine *m = p->m;
    if (size != 4 || !syscfg_known(off))
        return VD_UNMODELLED;
    if (off != SYSCFG_PWRCR) {
        p->syscfg_regs[off / 4u] = val;
        return VD_OK;
    }
    bool oden = val & 1u;
    if (oden && !p->oden) {
        if (((p->d3cr >> VOS_POS) & 3u) != 3u || !vosrdy(p)) {
            vd_violation(m, "SYSCFG: RM0433 §6.6.2: ODEN set while not at VOS1 with VOSRDY: "
                            "ignored");
            return VD_OK;
        }
        vd_trace(m, "PWR: VOS0 (overdrive on)");
    }
    if (oden != p->oden) {
        p->oden = oden;
        vos_changing(p);
        vd_check_clock_rules(m, "ODEN change");
    }
    return VD_OK;
}

/* ---- FLASH_ACR ------------------------------------------------------------------------------- */

unsigned vd_flash_latency(const struct vd_machine *m)
{
    return m->flash_acr & 0xFu;
}

static enum vd_result flash_read(void *ctx, uint32_t off, unsigned size, uint32_t *val)
{
    struct vd_pwr *p = ctx;
    if (off != 0 || size != 4)
        return VD_UNMODELLED;
    *val = p->m->flash_acr;
    return VD_OK;
}

static enum vd_result flash_write(void *ctx, uint32_t off, unsigned size, uint32_t val)
{
    struct vd_pwr *p = ctx;
    if (off != 0 || size != 4)
        return VD_UNMODELLED;
    p->m->flash_acr = val & 0x3Fu;
    vd_trace(p->m, "FLASH: LATENCY %u WRHIGHFREQ %u", val & 0xFu, (val >> 4) & 3u);
    vd_check_clock_rules(p->m, "FLASH_ACR write");
    return VD_OK;
}

static void flash_reset(void *ctx, bool power_on)
{
    (void)power_on;
    struct vd_pwr *p = ctx;
    p->m->flash_acr = 0x37u;
}

/* ---- backup SRAM ---------------------------------------------------------------------------- */

uint8_t *vd_bkpsram_mem(struct vd_machine *m)
{
    return P(m)->bkp_mem;
}

static enum vd_result bkp_read(void *ctx, uint32_t off, unsigned size, uint32_t *val)
{
    struct vd_pwr *p = ctx;
    uint32_t v = 0;
    memcpy(&v, p->bkp_mem + off, size);
    *val = v;
    return VD_OK;
}

static enum vd_result bkp_write(void *ctx, uint32_t off, unsigned size, uint32_t val)
{
    struct vd_pwr *p = ctx;
    if (!(p->cr1 & CR1_DBP)) {
        vd_violation(p->m, "BKPSRAM: RM0433 §6.4.4: write of 0x%08x at offset 0x%03x with "
                           "PWR_CR1.DBP = 0: lost", val, off);
        return VD_OK;
    }
    memcpy(p->bkp_mem + off, &val, size);
    return VD_OK;
}

struct vd_pwr *vd_pwr_new(struct vd_machine *m)
{
    struct vd_pwr *p = vd_alloc(m, sizeof *p);
    p->m = m;
    p->p = (struct vd_periph){.name = "PWR", .base = PWR_BASE, .size = 0x400, .ctx = p,
                              .read = pwr_read, .write = pwr_write, .reset = pwr_reset};
    m->pwr = p;
    vd_add_periph(m, &p->p);
    return p;
}

void vd_syscfg_new(struct vd_machine *m)
{
    struct vd_pwr *p = P(m);
    p->syscfg = (struct vd_periph){.name = "SYSCFG", .base = SYSCFG_BASE, .size = 0x400,
                                   .gate = {RCC_APB4ENR, 1}, .ctx = p, .read = syscfg_read,
                                   .write = syscfg_write};
    vd_add_periph(m, &p->syscfg);
}

void vd_flash_acr_new(struct vd_machine *m)
{
    struct vd_pwr *p = P(m);
    p->flash = (struct vd_periph){.name = "FLASH", .base = FLASH_REGS_BASE, .size = 0x1000,
                                  .ctx = p, .read = flash_read, .write = flash_write,
                                  .reset = flash_reset};
    vd_add_periph(m, &p->flash);
}

void vd_bkpsram_new(struct vd_machine *m)
{
    struct vd_pwr *p = P(m);
    p->bkp = (struct vd_periph){.name = "BKPSRAM", .base = VD_BKPSRAM_BASE,
                                .size = VD_BKPSRAM_SIZE, .gate = {RCC_AHB4ENR, 28}, .ctx = p,
                                .read = bkp_read, .write = bkp_write};
    vd_add_periph(m, &p->bkp);
}
