/*
 * h7_cache.h — Cortex-M7 L1 cache maintenance by address and the DWT timebase, as always-inline
 * functions so that RAM-resident flash code (h7_ramfunc.h) can use them without calling into
 * QSPI. Armv7-M ARM §B2.2.7 (cache maintenance operations), Cortex-M7 TRM §4.8 (32-byte lines);
 * ARM DDI 0403E §C1.8 (DWT CYCCNT).
 */
#ifndef H7_CACHE_H
#define H7_CACHE_H

#include <stdint.h>

#include "h7_ramfunc.h"
#include "stm32h750_regs.h"

H7_INLINE void h7_dsb_isb(void)
{
    __asm__ volatile("dsb 0xF\n isb 0xF" ::: "memory");
}

/* Discard the D-cache lines over [addr, addr+len): the next read fetches from memory. */
H7_INLINE void h7_dcache_invalidate_inline(uint32_t addr, uint32_t len)
{
    if (!(H7_REG(SCB_CCR) & SCB_CCR_DC) || len == 0)
        return;
    uint32_t end = addr + len;
    __asm__ volatile("dsb 0xF" ::: "memory");
    for (uint32_t a = addr & ~(SCB_DCACHE_LINE - 1u); a < end; a += SCB_DCACHE_LINE)
        H7_REG(SCB_DCIMVAC) = a;
    h7_dsb_isb();
}

/* Write dirty D-cache lines over [addr, addr+len) back to memory. */
H7_INLINE void h7_dcache_clean_inline(uint32_t addr, uint32_t len)
{
    if (!(H7_REG(SCB_CCR) & SCB_CCR_DC) || len == 0)
        return;
    uint32_t end = addr + len;
    __asm__ volatile("dsb 0xF" ::: "memory");
    for (uint32_t a = addr & ~(SCB_DCACHE_LINE - 1u); a < end; a += SCB_DCACHE_LINE)
        H7_REG(SCB_DCCMVAC) = a;
    h7_dsb_isb();
}

/* Discard the whole I-cache (code in a written range may have been cached). */
H7_INLINE void h7_icache_invalidate_inline(void)
{
    __asm__ volatile("dsb 0xF" ::: "memory");
    H7_REG(SCB_ICIALLU) = 0;
    h7_dsb_isb();
}

H7_INLINE uint32_t h7_cycles_inline(void)
{
    return H7_REG(DWT_CYCCNT);
}

#endif /* H7_CACHE_H */
