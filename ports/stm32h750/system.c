/*
 * Core system services: DWT timebase (ARM DDI 0403E §C1.8), MPU (§B3.5) programmed from the
 * board description, L1 caches (§B2.2.7, Cortex-M7 TRM §4.8), backup SRAM (RM0433 §2.4 and
 * §6.4.4: backup-domain write protection via PWR_CR1.DBP, clock RCC_AHB4ENR.BKPRAMEN), system
 * reset (§B3.2.6 AIRCR.SYSRESETREQ).
 */
#include "board_map.h"
#include "h7_cache.h"
#include "h7_stm32h750_consts.h" /* the MPU table, from the board description */
#include "h7_port.h"

#define CYCLES_PER_US_MIN 1u

void h7_timebase_init(void)
{
    H7_REG(DEMCR) |= DEMCR_TRCENA;
    H7_REG(DWT_LAR) = DWT_LAR_KEY; /* Cortex-M7: the DWT is locked after reset */
    H7_REG(DWT_CYCCNT) = 0;
    H7_REG(DWT_CTRL) |= DWT_CTRL_CYCCNTENA;
}

uint32_t h7_cycles(void)
{
    return h7_cycles_inline();
}

uint32_t h7_us_since(uint32_t start)
{
    uint32_t per_us = h7_cpu_hz / 1000000u;
    return (h7_cycles_inline() - start) / (per_us ? per_us : CYCLES_PER_US_MIN);
}

uint32_t h7_millis(void)
{
    static uint32_t ms, last, rest;
    uint32_t now = h7_cycles_inline(), per_ms = h7_cpu_hz / 1000u;
    rest += now - last;
    last = now;
    ms += rest / per_ms;
    rest %= per_ms;
    return ms;
}

void h7_delay_us(uint32_t us)
{
    uint32_t t0 = h7_cycles_inline();
    while (h7_us_since(t0) < us) {
    }
}

void h7_mpu_init(void)
{
    /* {RBAR, RASR} pairs computed by h7_mpu_plan() from the board description at build time. */
    static const uint32_t r[][2] = H7_MPU_REGION_TABLE;
    h7_mpu_disable();
    for (uint32_t i = 0; i < MPU_REGIONS; i++) {
        H7_REG(MPU_RNR) = i;
        H7_REG(MPU_RASR) = 0; /* unused regions off */
    }
    for (unsigned i = 0; i < H7_MPU_REGION_COUNT; i++) {
        H7_REG(MPU_RBAR) = r[i][0]; /* VALID bit: RBAR also selects the region */
        H7_REG(MPU_RASR) = r[i][1];
    }
    H7_REG(MPU_CTRL) = MPU_CTRL_ENABLE | MPU_CTRL_PRIVDEFENA;
    h7_dsb_isb();
}

void h7_mpu_disable(void)
{
    __asm__ volatile("dmb 0xF" ::: "memory");
    H7_REG(MPU_CTRL) = 0;
    h7_dsb_isb();
}

void h7_icache_enable(void)
{
    h7_icache_invalidate_inline();
    H7_REG(SCB_CCR) |= SCB_CCR_IC;
    h7_dsb_isb();
}

/* Apply `op_reg` (DCISW or DCCISW) to every set and way of the L1 D-cache. */
static void dcache_all(uint32_t op_reg)
{
    H7_REG(SCB_CSSELR) = 0; /* level 1 data cache */
    h7_dsb_isb();
    uint32_t ccsidr = H7_REG(SCB_CCSIDR);
    for (uint32_t set = 0; set <= SCB_CCSIDR_SETS(ccsidr); set++)
        for (uint32_t way = 0; way <= SCB_CCSIDR_WAYS(ccsidr); way++)
            H7_REG(op_reg) = (way << SCB_DCSW_WAY_POS) | (set << SCB_DCSW_SET_POS);
    h7_dsb_isb();
}

void h7_dcache_enable(void)
{
    if (H7_REG(SCB_CCR) & SCB_CCR_DC)
        return;
    dcache_all(SCB_DCISW); /* contents are random after reset: invalidate, never clean */
    H7_REG(SCB_CCR) |= SCB_CCR_DC;
    h7_dsb_isb();
}

void h7_caches_clean_disable(void)
{
    if (H7_REG(SCB_CCR) & SCB_CCR_DC) {
        H7_REG(SCB_CCR) &= ~SCB_CCR_DC;
        h7_dsb_isb();
        dcache_all(SCB_DCCISW); /* loaded code and data reach RAM before the jump */
    }
    H7_REG(SCB_CCR) &= ~SCB_CCR_IC;
    h7_icache_invalidate_inline();
}

void h7_dcache_invalidate(uint32_t addr, uint32_t len)
{
    h7_dcache_invalidate_inline(addr, len);
}

void h7_dcache_clean(uint32_t addr, uint32_t len)
{
    h7_dcache_clean_inline(addr, len);
}

/* RM0433 §8.5.6: the switch to the HSI takes effect when RCC_CFGR.SWS says so; §8.5.5: a PLL
 * may be stopped only when it no longer clocks sys_ck. The HSI is never stopped by h7boot, so
 * it is ready. Left as they are, on purpose: VOS and flash wait states (higher than 64 MHz
 * needs, and the app sets its own), the supply configuration (PWR_CR3 is write-once; libDaisy
 * asks for the same LDO set-up, which HAL accepts), the backup-domain access (libDaisy's
 * ResetToBootloader writes boot_info without enabling it: "the bootloader already did"), the
 * QUADSPI in memory-mapped mode (an XIP app runs from it; its kernel clock, rcc_hclk3, stays
 * within the prescaler chosen for 240 MHz when the app raises the clock again). */
#define CLOCK_SWITCH_LOOPS 1000000u
void h7_clock_reset_for_app(void)
{
    H7_REG(RCC_CFGR) &= ~RCC_CFGR_SW_MASK; /* SW = 0: HSI */
    for (uint32_t n = CLOCK_SWITCH_LOOPS; n && (H7_REG(RCC_CFGR) & RCC_CFGR_SWS_MASK); n--) {
    }
    if (H7_REG(RCC_CFGR) & RCC_CFGR_SWS_MASK)
        return; /* did not switch: leave PLL1 running rather than stop the clock under us */
    H7_REG(RCC_D1CFGR) = 0; /* core, AHB, APB3 /1 */
    H7_REG(RCC_D2CFGR) = 0; /* APB1, APB2 /1 */
    H7_REG(RCC_D3CFGR) = 0; /* APB4 /1 */
    H7_REG(RCC_CR) &= ~(RCC_CR_PLL1ON | RCC_CR_HSEON);
    for (uint32_t n = CLOCK_SWITCH_LOOPS; n && (H7_REG(RCC_CR) & (RCC_CR_PLL1RDY | RCC_CR_HSERDY));
         n--) {
    }
    h7_cpu_hz = H7_HSI_HZ;
}

volatile uint32_t *h7_backup_sram_enable(void)
{
    H7_REG(PWR_CR1) |= PWR_CR1_DBP;
    H7_REG(RCC_AHB4ENR) |= RCC_AHB4_BKPRAM;
    (void)H7_REG(RCC_AHB4ENR);
    return (volatile uint32_t *)(uintptr_t)H7_REGION_BKPSRAM_ORIGIN;
}

_Noreturn void h7_system_reset(void)
{
    __asm__ volatile("dsb 0xF" ::: "memory");
    H7_REG(SCB_AIRCR) = SCB_AIRCR_VECTKEY | SCB_AIRCR_SYSRESETREQ;
    __asm__ volatile("dsb 0xF" ::: "memory");
    for (;;) {
    }
}
