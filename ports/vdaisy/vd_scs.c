/*
 * vd_scs.c — the Cortex-M7 core peripherals the machine needs, and exception entry/return,
 * which libunicorn 2.0.1 does not do in M-class mode.
 *
 *  - SCB (ARMv7-M ARM §B3.2): CPUID, ICSR, VTOR, AIRCR (SYSRESETREQ → modelled reset), CCR
 *    (I/D cache enables, checked: caches invalidated before they are enabled, Cortex-M7 TRM
 *    §4.8.1), SHPR1-3, SHCSR, fault status, CPACR, cache identification (CLIDR/CTR/CCSIDR/
 *    CSSELR) and cache maintenance (§B2.2.7: accepted and counted, caches themselves are not
 *    modelled), FPCCR.
 *  - SysTick (§B3.3) driven by simulated cycles, with its exception.
 *  - NVIC (§B3.4): ISER/ICER/ISPR/ICPR/IABR/IPR/STIR for the lines a model raises (vd_irq).
 *  - MPU (§B3.5): regions decoded at enable and checked (RBAR aligned to the size, SIZE >= 4,
 *    subregions only for regions of 256 bytes and more); instruction fetches checked against
 *    XN/AP of the enabled map.
 *  - DWT (§C1.8) CYCCNT with the Cortex-M7 software lock (LAR/LSR) and DEMCR.TRCENA.
 *
 * Exception entry follows §B1.5.6 (PushStack, ExceptionTaken): 8-word frame, or the 26-word
 * extended frame when CONTROL.FPCA is set (the lazy state preservation of FPCCR.LSPEN is not
 * modelled: the FP registers are always stacked, which gives the same memory contents), 8-byte
 * alignment with xPSR bit 9, LR = EXC_RETURN, IPSR = exception number. Exception return
 * follows §B1.5.8. Only the main stack is supported: an exception taken while Thread mode runs
 * on the PSP stops the run as unmodelled.
 */
#include <string.h>

#include "vd_internal.h"

#define SCS_BASE 0xE000E000u
#define DWT_BASE 0xE0001000u
#define N_EXC (16u + 160u)
#define PRIO_MASK 0xF0u /* STM32H7: 4 priority bits (RM0433 §19.1) */
#define MAX_NEST 16u
#define MPU_REGIONS 16u
#define DC_SETS 128u /* 16 KB, 4 ways, 32-byte lines (Cortex-M7 TRM §4.8.2, CCSIDR) */
#define DC_WAYS 4u
#define CCSIDR_D 0xF00FE019u
#define CCSIDR_I 0xF01FE009u
#define AIRCR_KEY 0x05FAu
#define LAR_KEY 0xC5ACCE55u
#define EXC_HARDFAULT 3u
#define EXC_MEMMANAGE 4u
#define EXC_BUSFAULT 5u
#define EXC_USAGEFAULT 6u
#define EXC_SVCALL 11u
#define EXC_PENDSV 14u
#define EXC_SYSTICK 15u

struct vd_scs {
    struct vd_periph scs, dwt;
    struct vd_machine *m;
    /* SCB */
    uint32_t vtor, aircr_prigroup, scr, ccr, shpr[3], shcsr, cfsr, hfsr, cpacr, csselr, fpccr,
        fpcar, fpdscr, actlr, itcmcr, dtcmcr, ahbpcr, cacr, ahbscr;
    /* SysTick */
    uint32_t st_csr, st_rvr, st_cvr;
    uint64_t st_rest;
    /* NVIC */
    bool enabled[N_EXC], pending[N_EXC], line[N_EXC];
    uint8_t prio[N_EXC];
    unsigned npend;
    unsigned active[MAX_NEST];
    unsigned nactive;
    /* MPU */
    uint32_t mpu_ctrl, rnr, rbar[MPU_REGIONS], rasr[MPU_REGIONS];
    /* DWT */
    uint32_t demcr, dwt_ctrl, cyccnt_base;
    uint64_t cyccnt_at;
    bool dwt_locked;
    /* cache checks */
    uint8_t dc_inval[DC_SETS]; /* bit per way: invalidated since reset */
    bool ic_inval;
    unsigned cache_ops, mpu_regions_at_enable, exceptions;
};

static struct vd_scs *S(const struct vd_machine *m)
{
    return m->scs;
}

/* ---- exceptions ---------------------------------------------------------------------------- */

static int exc_priority(const struct vd_scs *s, unsigned exc)
{
    switch (exc) {
    case 1: return -3;
    case 2: return -2;
    case EXC_HARDFAULT: return -1;
    default: return s->prio[exc] & PRIO_MASK;
    }
}

static bool exc_enabled(const struct vd_scs *s, unsigned exc)
{
    if (exc >= 16u)
        return s->enabled[exc];
    switch (exc) {
    case EXC_MEMMANAGE: return s->shcsr & (1u << 16);
    case EXC_BUSFAULT: return s->shcsr & (1u << 17);
    case EXC_USAGEFAULT: return s->shcsr & (1u << 18);
    default: return true;
    }
}

static int exec_priority(struct vd_machine *m)
{
    const struct vd_scs *s = S(m);
    int p = 256;
    for (unsigned i = 0; i < s->nactive; i++) {
        int q = exc_priority(s, s->active[i]);
        if (q < p)
            p = q;
    }
    uint32_t primask = 0, basepri = 0, faultmask = 0;
    uc_reg_read(m->uc, UC_ARM_REG_PRIMASK, &primask);
    uc_reg_read(m->uc, UC_ARM_REG_BASEPRI, &basepri);
    uc_reg_read(m->uc, UC_ARM_REG_FAULTMASK, &faultmask);
    if ((basepri & PRIO_MASK) && (int)(basepri & PRIO_MASK) < p)
        p = (int)(basepri & PRIO_MASK);
    if ((primask & 1u) && p > 0)
        p = 0;
    if ((faultmask & 1u) && p > -1)
        p = -1;
    return p;
}

/* The pending, enabled exception of highest priority (lowest number on a tie), or 0. */
static unsigned best_pending(const struct vd_scs *s)
{
    unsigned best = 0;
    int bp = 1000;
    for (unsigned e = 2; e < N_EXC; e++)
        if (s->pending[e] && exc_enabled(s, e) && exc_priority(s, e) < bp) {
            best = e;
            bp = exc_priority(s, e);
        }
    return best;
}

bool vd_scs_exception_ready(struct vd_machine *m)
{
    struct vd_scs *s = S(m);
    if (!s->npend)
        return false;
    unsigned e = best_pending(s);
    return e && exc_priority(s, e) < exec_priority(m);
}

void vd_scs_pend(struct vd_machine *m, unsigned exc, bool level)
{
    struct vd_scs *s = S(m);
    if (exc >= N_EXC)
        return;
    s->line[exc] = level;
    if (level && !s->pending[exc]) {
        s->pending[exc] = true;
        s->npend++;
    }
}

static void unpend(struct vd_scs *s, unsigned exc)
{
    if (s->pending[exc]) {
        s->pending[exc] = false;
        s->npend--;
    }
}

static const int frame_regs[8] = {UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2,
                                  UC_ARM_REG_R3, UC_ARM_REG_R12, UC_ARM_REG_LR,
                                  UC_ARM_REG_PC, UC_ARM_REG_XPSR};
#define FRAME_BASIC 0x20u
#define FRAME_EXT 0x68u
#define N_FP_STACKED 16u

int vd_scs_take_exception(struct vd_machine *m, unsigned exc, uint32_t return_pc)
{
    struct vd_scs *s = S(m);
    uint32_t ipsr = 0, control = 0, sp = 0, fr[26] = {0};
    uc_reg_read(m->uc, UC_ARM_REG_IPSR, &ipsr);
    uc_reg_read(m->uc, UC_ARM_REG_CONTROL, &control);
    uc_reg_read(m->uc, UC_ARM_REG_MSP, &sp);
    bool thread = (ipsr & 0x1FFu) == 0;
    if (thread && (control & 2u)) {
        vd_stop_with(m, VD_STOP_UNMODELLED, "exception %u taken on the process stack (PSP): "
                     "not modelled", exc);
        return -1;
    }
    if (s->nactive == MAX_NEST) {
        vd_stop_with(m, VD_STOP_FAULT, "exception %u: nesting deeper than %u", exc, MAX_NEST);
        return -1;
    }
    bool fpca = control & 4u;
    uint32_t size = fpca ? FRAME_EXT : FRAME_BASIC;
    for (unsigned i = 0; i < 8; i++)
        uc_reg_read(m->uc, frame_regs[i], &fr[i]);
    fr[6] = return_pc & ~1u;
    /* §B1.5.7: the frame is 8-byte aligned (CCR.STKALIGN is RAO on the Cortex-M7). */
    uint32_t frame = sp - size;
    bool realign = frame & 4u;
    frame &= ~7u;
    fr[7] = (fr[7] & ~(1u << 9)) | (realign ? 1u << 9 : 0u);
    if (fpca) {
        for (unsigned i = 0; i < N_FP_STACKED; i++)
            uc_reg_read(m->uc, UC_ARM_REG_S0 + (int)i, &fr[8 + i]);
        uc_reg_read(m->uc, UC_ARM_REG_FPSCR, &fr[24]);
    }
    uint32_t vector = 0;
    if (uc_mem_write(m->uc, frame, fr, size) != UC_ERR_OK ||
        uc_mem_read(m->uc, s->vtor + 4u * exc, &vector, 4) != UC_ERR_OK) {
        vd_stop_with(m, VD_STOP_FAULT, "exception %u: stacking at 0x%08x or vector read at "
                     "0x%08x failed", exc, frame, s->vtor + 4u * exc);
        return -1;
    }
    if (!(vector & 1u)) {
        vd_stop_with(m, VD_STOP_FAULT, "exception %u: vector 0x%08x at 0x%08x is not Thumb "
                     "(INVSTATE)", exc, vector, s->vtor + 4u * exc);
        return -1;
    }
    uint32_t exc_return = 0xFFFFFFE1u | (fpca ? 0u : 0x10u) | (thread ? 0x8u : 0u);
    /* libunicorn takes bit 0 of a PC write as the Thumb state: keep it set. */
    uint32_t new_control = control & ~4u, pc = vector | 1u;
    uc_reg_write(m->uc, UC_ARM_REG_SP, &frame);
    uc_reg_write(m->uc, UC_ARM_REG_LR, &exc_return);
    uc_reg_write(m->uc, UC_ARM_REG_IPSR, &exc);
    uc_reg_write(m->uc, UC_ARM_REG_CONTROL, &new_control);
    uc_reg_write(m->uc, UC_ARM_REG_PC, &pc);
    unpend(s, exc);
    s->active[s->nactive++] = exc;
    s->exceptions++;
    vd_trace(m, "exception %u entry: return 0x%08x, frame 0x%08x%s, handler 0x%08x", exc,
             return_pc, frame, fpca ? " (FP)" : "", pc & ~1u);
    return 0;
}

int vd_scs_take_pending(struct vd_machine *m)
{
    uint32_t pc;
    uc_reg_read(m->uc, UC_ARM_REG_PC, &pc);
    unsigned e = best_pending(S(m));
    return e ? vd_scs_take_exception(m, e, pc) : 0;
}

int vd_scs_exception_return(struct vd_machine *m, uint32_t exc_return)
{
    struct vd_scs *s = S(m);
    exc_return |= 1u; /* unicorn hands over the value with bit 0 cleared */
    if ((exc_return & 0xFFFFFFE0u) != 0xFFFFFFE0u || (exc_return & 0xFu) == 0x5u ||
        !(exc_return & 1u) || s->nactive == 0) {
        vd_stop_with(m, VD_STOP_FAULT, "bad exception return 0x%08x (%u active)", exc_return,
                     s->nactive);
        return -1;
    }
    if (exc_return & 4u) {
        vd_stop_with(m, VD_STOP_UNMODELLED, "exception return to the process stack: not "
                     "modelled");
        return -1;
    }
    bool fp = !(exc_return & 0x10u);
    uint32_t sp, fr[26], size = fp ? FRAME_EXT : FRAME_BASIC;
    uc_reg_read(m->uc, UC_ARM_REG_SP, &sp);
    if (uc_mem_read(m->uc, sp, fr, size) != UC_ERR_OK) {
        vd_stop_with(m, VD_STOP_FAULT, "unstacking at 0x%08x failed", sp);
        return -1;
    }
    unsigned exc = s->active[--s->nactive];
    for (unsigned i = 0; i < 6; i++)
        uc_reg_write(m->uc, frame_regs[i], &fr[i]);
    if (fp) {
        for (unsigned i = 0; i < N_FP_STACKED; i++)
            uc_reg_write(m->uc, UC_ARM_REG_S0 + (int)i, &fr[8 + i]);
        uc_reg_write(m->uc, UC_ARM_REG_FPSCR, &fr[24]);
    }
    uint32_t new_sp = sp + size + ((fr[7] >> 9) & 1u) * 4u, ipsr = fr[7] & 0x1FFu,
             xpsr = fr[7] & ~(1u << 9), control, pc = fr[6] | 1u;
    uc_reg_write(m->uc, UC_ARM_REG_XPSR, &xpsr);
    uc_reg_write(m->uc, UC_ARM_REG_IPSR, &ipsr);
    uc_reg_read(m->uc, UC_ARM_REG_CONTROL, &control);
    control = fp ? control | 4u : control & ~4u;
    uc_reg_write(m->uc, UC_ARM_REG_CONTROL, &control);
    uc_reg_write(m->uc, UC_ARM_REG_SP, &new_sp);
    uc_reg_write(m->uc, UC_ARM_REG_PC, &pc);
    if (s->line[exc] && exc >= 16u) /* a level still high pends again (§B3.4.1) */
        vd_scs_pend(m, exc, true);
    vd_trace(m, "exception %u return to 0x%08x", exc, pc & ~1u);
    return 0;
}

/* ---- SysTick and DWT time ----------------------------------------------------------------- */

void vd_scs_advance(struct vd_machine *m, uint64_t cycles)
{
    struct vd_scs *s = S(m);
    if (!(s->st_csr & 1u))
        return;
    /* CLKSOURCE = 0: the external reference, sys_d1cpre_ck / 8 on the STM32H7 (RM0433 §8.5.6,
     * Figure 49). */
    uint64_t ticks = cycles;
    if (!(s->st_csr & 4u)) {
        s->st_rest += cycles;
        ticks = s->st_rest / 8u;
        s->st_rest %= 8u;
    }
    while (ticks) {
        if (s->st_cvr == 0) {
            s->st_cvr = s->st_rvr;
            ticks--;
            if (s->st_rvr == 0)
                return; /* §B3.3.1: RVR 0 stops the counter at the next wrap */
            continue;
        }
        if (ticks < s->st_cvr) {
            s->st_cvr -= (uint32_t)ticks;
            return;
        }
        ticks -= s->st_cvr;
        s->st_cvr = 0;
        s->st_csr |= 1u << 16; /* COUNTFLAG */
        if (s->st_csr & 2u)
            vd_scs_pend(m, EXC_SYSTICK, true);
        if (ticks > (uint64_t)s->st_rvr + 1u) /* whole periods more: same state modulo */
            ticks = 1u + (ticks - 1u) % ((uint64_t)s->st_rvr + 1u);
    }
}

static uint32_t cyccnt(const struct vd_machine *m)
{
    const struct vd_scs *s = S(m);
    if (!(s->demcr & (1u << 24)) || !(s->dwt_ctrl & 1u))
        return s->cyccnt_base;
    return s->cyccnt_base + (uint32_t)(m->cycles - s->cyccnt_at);
}

/* ---- MPU ----------------------------------------------------------------------------------- */

static bool region_hit(const struct vd_scs *s, unsigned i, uint32_t addr)
{
    uint32_t rasr = s->rasr[i];
    if (!(rasr & 1u))
        return false;
    unsigned bits = ((rasr >> 1) & 0x1Fu) + 1u;
    uint64_t size = 1ull << bits;
    uint32_t base = s->rbar[i] & ~0x1Fu & (uint32_t)~(size - 1u);
    if ((uint64_t)(addr - base) >= size)
        return false;
    if (bits >= 8u) { /* subregions: eighths of the region */
        unsigned sub = (unsigned)(((uint64_t)(addr - base) * 8u) / size);
        if ((rasr >> (8u + sub)) & 1u)
            return false;
    }
    return true;
}

bool vd_scs_exec_allowed(struct vd_machine *m, uint32_t addr)
{
    struct vd_scs *s = S(m);
    if (!(s->mpu_ctrl & 1u))
        return true;
    for (int i = MPU_REGIONS - 1; i >= 0; i--)
        if (region_hit(s, (unsigned)i, addr)) {
            uint32_t rasr = s->rasr[i], ap = (rasr >> 24) & 7u;
            if ((rasr >> 28) & 1u || ap == 0u || ap == 4u) {
                vd_stop_with(m, VD_STOP_FAULT, "MemManage: instruction fetch at 0x%08x in MPU "
                             "region %d (XN=%u AP=%u), ARMv7-M §B3.5", addr, i,
                             (rasr >> 28) & 1u, ap);
                return false;
            }
            return true;
        }
    if (!(s->mpu_ctrl & 4u)) {
        vd_stop_with(m, VD_STOP_FAULT, "MemManage: fetch at 0x%08x outside every MPU region "
                     "and PRIVDEFENA clear", addr);
        return false;
    }
    return true; /* the default map; libunicorn applies its XN rules itself */
}

static void mpu_check(struct vd_machine *m)
{
    struct vd_scs *s = S(m);
    unsigned n = 0;
    for (unsigned i = 0; i < MPU_REGIONS; i++) {
        uint32_t rasr = s->rasr[i];
        if (!(rasr & 1u))
            continue;
        n++;
        unsigned sizef = (rasr >> 1) & 0x1Fu, bits = sizef + 1u;
        uint32_t base = s->rbar[i] & ~0x1Fu;
        vd_trace(m, "MPU region %u: 0x%08x size 2^%u XN=%u AP=%u TEX=%u C=%u B=%u S=%u "
                 "SRD=0x%02x", i, base, bits, (rasr >> 28) & 1u, (rasr >> 24) & 7u,
                 (rasr >> 19) & 7u, (rasr >> 17) & 1u, (rasr >> 16) & 1u, (rasr >> 18) & 1u,
                 (rasr >> 8) & 0xFFu);
        if (sizef < 4u)
            vd_violation(m, "MPU: ARMv7-M §B3.5.9: region %u SIZE %u is reserved (min 4 = 32 "
                         "bytes)", i, sizef);
        else if (bits < 32u && (base & ((1u << bits) - 1u)))
            vd_violation(m, "MPU: ARMv7-M §B3.5.8: region %u base 0x%08x not aligned to its "
                         "size 2^%u", i, base, bits);
        if (bits < 8u && ((rasr >> 8) & 0xFFu))
            vd_violation(m, "MPU: ARMv7-M §B3.5.9: region %u uses subregions below 256 bytes",
                         i);
    }
    s->mpu_regions_at_enable = n;
}

/* ---- register access ------------------------------------------------------------------------ */

static uint32_t lanes(uint32_t old, uint32_t off, unsigned size, uint32_t val)
{
    unsigned sh = (off & 3u) * 8u;
    uint32_t mask = size >= 4 ? 0xFFFFFFFFu : ((1u << (size * 8u)) - 1u) << sh;
    return (old & ~mask) | ((val << sh) & mask);
}

static uint32_t nvic_bits(const bool *v, unsigned word)
{
    uint32_t r = 0;
    for (unsigned b = 0; b < 32u; b++)
        if (16u + word * 32u + b < N_EXC && v[16u + word * 32u + b])
            r |= 1u << b;
    return r;
}

static enum vd_result scs_read(void *ctx, uint32_t off, unsigned size, uint32_t *val)
{
    struct vd_scs *s = ctx;
    struct vd_machine *m = s->m;
    uint32_t a = off & ~3u, v;
    if (a >= 0x100u && a < 0x400u) { /* NVIC bit arrays, 8 words each used */
        unsigned word = (a & 0x7Fu) / 4u;
        switch (a & ~0x7Fu) {
        case 0x100: case 0x180: v = nvic_bits(s->enabled, word); break;
        case 0x200: case 0x280: v = nvic_bits(s->pending, word); break;
        default: {
            v = 0;
            for (unsigned i = 0; i < s->nactive; i++)
                if (s->active[i] >= 16u + word * 32u && s->active[i] < 48u + word * 32u)
                    v |= 1u << (s->active[i] - 16u - word * 32u);
        }
        }
    } else if (a >= 0x400u && a < 0x4F0u) {
        unsigned e = 16u + (a - 0x400u);
        v = 0;
        for (unsigned i = 0; i < 4; i++)
            if (e + i < N_EXC)
                v |= (uint32_t)s->prio[e + i] << (8u * i);
    } else if (a >= 0xD18u && a <= 0xD20u) {
        v = s->shpr[(a - 0xD18u) / 4u];
    } else {
        switch (a) {
        case 0x008: v = s->actlr; break;
        case 0x010: v = s->st_csr; s->st_csr &= ~(1u << 16); break;
        case 0x014: v = s->st_rvr; break;
        case 0x018: v = s->st_cvr; break;
        case 0xD00: v = 0x411FC272u; break; /* Cortex-M7 r1p2 */
        case 0xD04: {
            v = s->nactive ? s->active[s->nactive - 1] : 0u;
            if (s->pending[EXC_PENDSV]) v |= 1u << 28;
            if (s->pending[EXC_SYSTICK]) v |= 1u << 26;
            break;
        }
        case 0xD08: v = s->vtor; break;
        case 0xD0C: v = 0xFA050000u | (s->aircr_prigroup << 8); break;
        case 0xD10: v = s->scr; break;
        case 0xD14: v = s->ccr; break;
        case 0xD24: v = s->shcsr; break;
        case 0xD28: v = s->cfsr; break;
        case 0xD2C: v = s->hfsr; break;
        case 0xD78: v = 0x09000003u; break; /* CLIDR: L1 I + D */
        case 0xD7C: v = 0x8303C003u; break; /* CTR: 32-byte lines */
        case 0xD80: v = (s->csselr & 1u) ? CCSIDR_I : CCSIDR_D; break;
        case 0xD84: v = s->csselr; break;
        case 0xD88: v = s->cpacr; break;
        case 0xD90: v = MPU_REGIONS << 8; break; /* MPU_TYPE */
        case 0xD94: v = s->mpu_ctrl; break;
        case 0xD98: v = s->rnr; break;
        case 0xD9C: v = (s->rbar[s->rnr] & ~0x1Fu) | s->rnr; break;
        case 0xDA0: v = s->rasr[s->rnr]; break;
        case 0xDFC: v = s->demcr; break;
        case 0xF34: v = s->fpccr; break;
        case 0xF38: v = s->fpcar; break;
        case 0xF3C: v = s->fpdscr; break;
        case 0xF90: v = s->itcmcr; break;
        case 0xF94: v = s->dtcmcr; break;
        case 0xF98: v = s->ahbpcr; break;
        case 0xF9C: v = s->cacr; break;
        case 0xFA0: v = s->ahbscr; break;
        default: return VD_UNMODELLED;
        }
    }
    *val = (v >> ((off & 3u) * 8u)) & (size >= 4 ? 0xFFFFFFFFu : (1u << (size * 8u)) - 1u);
    (void)m;
    return VD_OK;
}

static void cache_op(struct vd_scs *s, uint32_t a, uint32_t val)
{
    s->cache_ops++;
    if (a == 0xF50u) /* ICIALLU */
        s->ic_inval = true;
    else if (a == 0xF60u || a == 0xF74u) { /* DCISW, DCCISW: way 31:30, set 13:5 */
        unsigned set = (val >> 5) & 0x1FFu, way = val >> 30;
        if (set < DC_SETS)
            s->dc_inval[set] |= (uint8_t)(1u << way);
    }
}

static void ccr_write(struct vd_scs *s, uint32_t v)
{
    struct vd_machine *m = s->m;
    /* Cortex-M7 TRM §4.8.1/§4.8.3: the caches must be invalidated before they are enabled
     * (their contents are unknown after reset). */
    if ((v & (1u << 17)) && !(s->ccr & (1u << 17)) && !s->ic_inval)
        vd_violation(m, "SCB: Cortex-M7 TRM §4.8.1: I-cache enabled without ICIALLU since reset");
    if ((v & (1u << 16)) && !(s->ccr & (1u << 16))) {
        for (unsigned set = 0; set < DC_SETS; set++)
            if (s->dc_inval[set] != (1u << DC_WAYS) - 1u) {
                vd_violation(m, "SCB: Cortex-M7 TRM §4.8.1: D-cache enabled before every set/way "
                             "was invalidated (set %u)", set);
                break;
            }
        vd_trace(m, "D-cache on");
    }
    if (!(v & (1u << 16)) && (s->ccr & (1u << 16)))
        memset(s->dc_inval, 0, sizeof s->dc_inval); /* a later enable needs a new invalidate */
    s->ccr = (v & 0x000703FBu) | 0x200u; /* STKALIGN RAO */
}

static enum vd_result scs_write(void *ctx, uint32_t off, unsigned size, uint32_t val)
{
    struct vd_scs *s = ctx;
    struct vd_machine *m = s->m;
    uint32_t a = off & ~3u;
    if (a >= 0x100u && a < 0x300u) {
        unsigned word = (a & 0x7Fu) / 4u;
        uint32_t bits = size >= 4 ? val : val << ((off & 3u) * 8u);
        for (unsigned b = 0; b < 32u; b++) {
            unsigned e = 16u + word * 32u + b;
            if (!((bits >> b) & 1u) || e >= N_EXC)
                continue;
            switch (a & ~0x7Fu) {
            case 0x100: s->enabled[e] = true; break;
            case 0x180: s->enabled[e] = false; break;
            case 0x200: vd_scs_pend(m, e, s->line[e]); if (!s->pending[e]) { s->pending[e] = true; s->npend++; } break;
            default: unpend(s, e);
            }
        }
        return VD_OK;
    }
    if (a >= 0x400u && a < 0x4F0u) {
        for (unsigned i = 0; i < 4; i++) {
            unsigned e = 16u + (a - 0x400u) + i;
            if (e < N_EXC && (size >= 4 || (off & 3u) == i || (size == 2 && (off & 3u) + 1 == i)))
                s->prio[e] = (uint8_t)(lanes(0, off, size, val) >> (8u * i)) & PRIO_MASK;
        }
        return VD_OK;
    }
    if (a >= 0xD18u && a <= 0xD20u) {
        unsigned r = (a - 0xD18u) / 4u;
        s->shpr[r] = lanes(s->shpr[r], off, size, val) & 0xF0F0F0F0u;
        for (unsigned i = 0; i < 4; i++)
            s->prio[4u + r * 4u + i] = (uint8_t)(s->shpr[r] >> (8u * i));
        return VD_OK;
    }
    if (size != 4)
        return VD_UNMODELLED;
    switch (a) {
    case 0x008: s->actlr = val; break;
    case 0x010: s->st_csr = (s->st_csr & (1u << 16)) | (val & 7u); break;
    case 0x014: s->st_rvr = val & 0xFFFFFFu; break;
    case 0x018: s->st_cvr = 0; s->st_csr &= ~(1u << 16); break;
    case 0xD04:
        if (val & (1u << 28)) vd_scs_pend(m, EXC_PENDSV, true);
        if (val & (1u << 27)) unpend(s, EXC_PENDSV);
        if (val & (1u << 26)) vd_scs_pend(m, EXC_SYSTICK, true);
        if (val & (1u << 25)) unpend(s, EXC_SYSTICK);
        s->line[EXC_PENDSV] = s->line[EXC_SYSTICK] = false;
        break;
    case 0xD08: s->vtor = val & 0xFFFFFF80u; vd_trace(m, "VTOR = 0x%08x", s->vtor); break;
    case 0xD0C:
        if ((val >> 16) != AIRCR_KEY) {
            vd_violation(m, "SCB: ARMv7-M §B3.2.6: AIRCR written without VECTKEY 0x05FA "
                         "(0x%08x): ignored", val);
            break;
        }
        s->aircr_prigroup = (val >> 8) & 7u;
        if (val & 4u) {
            vd_trace(m, "AIRCR.SYSRESETREQ");
            m->reset_req = true;
            uc_emu_stop(m->uc);
        }
        break;
    case 0xD10: s->scr = val & 0x16u; break;
    case 0xD14: ccr_write(s, val); break;
    case 0xD24: s->shcsr = val; break;
    case 0xD28: s->cfsr &= ~val; break; /* write 1 to clear */
    case 0xD2C: s->hfsr &= ~val; break;
    case 0xD84: s->csselr = val & 1u; break;
    case 0xD88: s->cpacr = val; break;
    case 0xD94:
        if ((val & 1u) && !(s->mpu_ctrl & 1u)) {
            s->mpu_ctrl = val & 7u;
            mpu_check(m);
            vd_trace(m, "MPU on: %u regions", s->mpu_regions_at_enable);
        } else {
            s->mpu_ctrl = val & 7u;
        }
        break;
    case 0xD98: s->rnr = val & (MPU_REGIONS - 1u); break;
    case 0xD9C:
    case 0xDA4: case 0xDAC: case 0xDB4:
        if (val & 0x10u) /* VALID: the region number comes with the address */
            s->rnr = val & 0xFu;
        s->rbar[s->rnr] = val & ~0x1Fu;
        break;
    case 0xDA0:
    case 0xDA8: case 0xDB0: case 0xDB8:
        s->rasr[s->rnr] = val;
        break;
    case 0xDFC: s->demcr = val; break;
    case 0xF00: vd_scs_pend(m, 16u + (val & 0x1FFu), true); s->line[16u + (val & 0x1FFu)] = false; break;
    case 0xF34: s->fpccr = val; break;
    case 0xF38: s->fpcar = val; break;
    case 0xF3C: s->fpdscr = val; break;
    case 0xF50: case 0xF58: case 0xF5C: case 0xF60: case 0xF64: case 0xF68: case 0xF6C:
    case 0xF70: case 0xF74: case 0xF78:
        cache_op(s, a, val);
        break;
    case 0xF90: s->itcmcr = val; break;
    case 0xF94: s->dtcmcr = val; break;
    case 0xF98: s->ahbpcr = val; break;
    case 0xF9C: s->cacr = val; break;
    case 0xFA0: s->ahbscr = val; break;
    default: return VD_UNMODELLED;
    }
    return VD_OK;
}

static enum vd_result dwt_read(void *ctx, uint32_t off, unsigned size, uint32_t *val)
{
    struct vd_scs *s = ctx;
    if (size != 4)
        return VD_UNMODELLED;
    switch (off) {
    case 0x000: *val = s->dwt_ctrl; return VD_OK;
    case 0x004: *val = cyccnt(s->m); return VD_OK;
    case 0xFB4: *val = 1u | (s->dwt_locked ? 2u : 0u); return VD_OK; /* LSR: SLI, SLK */
    default: return VD_UNMODELLED;
    }
}

static enum vd_result dwt_write(void *ctx, uint32_t off, unsigned size, uint32_t val)
{
    struct vd_scs *s = ctx;
    struct vd_machine *m = s->m;
    if (size != 4)
        return VD_UNMODELLED;
    if (off == 0xFB0u) {
        s->dwt_locked = val != LAR_KEY;
        return VD_OK;
    }
    if (off != 0x000u && off != 0x004u)
        return VD_UNMODELLED;
    /* Cortex-M7 TRM §3.4 / CoreSight: the DWT's software lock ignores writes until LAR gets
     * the key; ARMv7-M §C1.6.5: DEMCR.TRCENA must be set for the DWT to work. */
    if (s->dwt_locked || !(s->demcr & (1u << 24))) {
        vd_violation(m, "DWT: write of 0x%03x ignored: %s", off,
                     s->dwt_locked ? "software lock (LAR) not opened, Cortex-M7 TRM"
                                   : "DEMCR.TRCENA clear, ARMv7-M §C1.6.5");
        return VD_OK;
    }
    uint32_t now = cyccnt(m);
    if (off == 0x004u)
        now = val;
    if (off == 0x000u)
        s->dwt_ctrl = (s->dwt_ctrl & 0xF0000000u) | (val & 0x0FFFFFFFu);
    s->cyccnt_base = now;
    s->cyccnt_at = m->cycles;
    return VD_OK;
}

void vd_scs_reset(struct vd_machine *m)
{
    struct vd_scs *s = S(m);
    struct vd_periph scs = s->scs, dwt = s->dwt;
    memset(s, 0, sizeof *s);
    s->scs = scs;
    s->dwt = dwt;
    s->m = m;
    /* The Cortex-M7 of the STM32H7 takes its vector table from the boot address (BOOT_ADD0,
     * 0x0800 0000 by default, RM0433 §2.6), which VTOR reads back. */
    s->vtor = VD_FLASH_BASE;
    s->ccr = 0x00040200u; /* BP and STKALIGN */
    s->fpccr = 0xC0000000u;
    s->dwt_ctrl = 0x40000000u; /* NUMCOMP = 4 */
    s->dwt_locked = true;
}

uint32_t vd_scs_vtor(const struct vd_machine *m)
{
    return S(m)->vtor;
}

void vd_scs_fill_report(const struct vd_machine *m, struct vd_report *r)
{
    const struct vd_scs *s = S(m);
    r->exceptions = s->exceptions;
    r->cache_ops = s->cache_ops;
    r->mpu_regions = s->mpu_regions_at_enable;
}

struct vd_scs *vd_scs_new(struct vd_machine *m)
{
    struct vd_scs *s = vd_alloc(m, sizeof *s);
    s->m = m;
    s->scs = (struct vd_periph){.name = "SCS", .base = SCS_BASE, .size = 0x1000, .ctx = s,
                                .read = scs_read, .write = scs_write};
    s->dwt = (struct vd_periph){.name = "DWT", .base = DWT_BASE, .size = 0x1000, .ctx = s,
                                .read = dwt_read, .write = dwt_write};
    m->scs = s;
    vd_add_periph(m, &s->scs);
    vd_add_periph(m, &s->dwt);
    vd_scs_reset(m);
    return s;
}
