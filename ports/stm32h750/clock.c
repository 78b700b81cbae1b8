/*
 * Clock tree: 16 MHz HSE -> PLL1 -> sys_ck 480 MHz at VOS0; AXI/AHB 240 MHz, APBs 120 MHz;
 * PLL1 Q 48 MHz for USB; QUADSPI and FMC on rcc_hclk3 (240 MHz).
 * RM0433 §6.6.2 (voltage scaling, VOS0 through SYSCFG_PWRCR.ODEN), §6.8.4 (PWR_CR3 supply
 * configuration), §8.5.2 (HSE), §8.5.5 (PLLs), §8.5.6 (system clock switch), §4.3.8 (flash
 * wait states before raising the clock). 480 MHz needs silicon revision V (the Seed's).
 */
#include "h7_stm32h750_consts.h" /* PLL1 and flash values from h7_calc.c */
#include "h7_port.h"
#include "stm32h750_regs.h"

#define HSE_TIMEOUT_LOOPS 1000000u
#define PLL_TIMEOUT_LOOPS 1000000u
#define VOS_TIMEOUT_LOOPS 1000000u

uint32_t h7_cpu_hz = H7_HSI_HZ;

static int wait_set(uint32_t reg, uint32_t mask, uint32_t loops)
{
    while ((H7_REG(reg) & mask) != mask)
        if (--loops == 0)
            return -1;
    return 0;
}

int h7_clock_init(void)
{
    /* Supply: LDO on, bypass off; this also locks the supply configuration (SCUEN). */
    H7_REG(PWR_CR3) = (H7_REG(PWR_CR3) & ~(PWR_CR3_BYPASS | PWR_CR3_SCUEN)) | PWR_CR3_LDOEN;
    if (wait_set(PWR_CSR1, PWR_CSR1_ACTVOSRDY, VOS_TIMEOUT_LOOPS))
        return -1;
    /* VOS1, then the overdrive that makes it VOS0. */
    H7_REG(PWR_D3CR) = (H7_REG(PWR_D3CR) & ~PWR_D3CR_VOS_MASK) |
                       H7_FIELD(PWR_D3CR_VOS_SCALE1, PWR_D3CR_VOS_POS);
    (void)H7_REG(PWR_D3CR);
    if (wait_set(PWR_D3CR, PWR_D3CR_VOSRDY, VOS_TIMEOUT_LOOPS))
        return -1;
    H7_REG(RCC_APB4ENR) |= RCC_APB4_SYSCFG;
    (void)H7_REG(RCC_APB4ENR);
    H7_REG(SYSCFG_PWRCR) |= SYSCFG_PWRCR_ODEN;
    if (wait_set(PWR_D3CR, PWR_D3CR_VOSRDY, VOS_TIMEOUT_LOOPS))
        return -1;

    H7_REG(RCC_CR) |= RCC_CR_HSEON;
    if (wait_set(RCC_CR, RCC_CR_HSERDY, HSE_TIMEOUT_LOOPS))
        return -1;

    H7_REG(RCC_PLLCKSELR) =
        (H7_REG(RCC_PLLCKSELR) & ~(RCC_PLLCKSELR_PLLSRC_MASK | RCC_PLLCKSELR_DIVM1_MASK)) |
        RCC_PLLCKSELR_PLLSRC_HSE | H7_FIELD(H7_PLL1_M, RCC_PLLCKSELR_DIVM1_POS);
    H7_REG(RCC_PLL1DIVR) = H7_PLL1_DIVR_REG;
    H7_REG(RCC_PLLCFGR) =
        (H7_REG(RCC_PLLCFGR) & ~(RCC_PLLCFGR_PLL1FRACEN | RCC_PLLCFGR_PLL1VCOSEL |
                                 RCC_PLLCFGR_PLL1RGE_MASK)) |
        H7_FIELD(H7_PLL1_RGE, RCC_PLLCFGR_PLL1RGE_POS) | RCC_PLLCFGR_DIVP1EN | RCC_PLLCFGR_DIVQ1EN |
        RCC_PLLCFGR_DIVR1EN;
    H7_REG(RCC_CR) |= RCC_CR_PLL1ON;
    if (wait_set(RCC_CR, RCC_CR_PLL1RDY, PLL_TIMEOUT_LOOPS))
        return -1;

    /* Wait states first (the flash must cope before the clock rises). */
    H7_REG(FLASH_ACR) = H7_FLASH_LATENCY | H7_FIELD(H7_FLASH_WRHIGHFREQ, FLASH_ACR_WRHIGHFREQ_POS);
    if ((H7_REG(FLASH_ACR) & FLASH_ACR_LATENCY_MASK) != H7_FLASH_LATENCY)
        return -1;
    /* Core /1, AHB /2, every APB /2. */
    H7_REG(RCC_D1CFGR) = H7_FIELD(RCC_HPRE_DIV2, RCC_D1CFGR_HPRE_POS) |
                         H7_FIELD(RCC_PPRE_DIV2, RCC_D1CFGR_D1PPRE_POS);
    H7_REG(RCC_D2CFGR) = H7_FIELD(RCC_PPRE_DIV2, RCC_D2CFGR_D2PPRE1_POS) |
                         H7_FIELD(RCC_PPRE_DIV2, RCC_D2CFGR_D2PPRE2_POS);
    H7_REG(RCC_D3CFGR) = H7_FIELD(RCC_PPRE_DIV2, RCC_D3CFGR_D3PPRE_POS);

    H7_REG(RCC_CFGR) = (H7_REG(RCC_CFGR) & ~RCC_CFGR_SW_MASK) | RCC_CFGR_SW_PLL1;
    uint32_t loops = PLL_TIMEOUT_LOOPS;
    while ((H7_REG(RCC_CFGR) & RCC_CFGR_SWS_MASK) != (RCC_CFGR_SW_PLL1 << RCC_CFGR_SWS_POS))
        if (--loops == 0)
            return -1;
    h7_cpu_hz = H7_PLL1_P_HZ;

    /* Kernel clocks: QUADSPI and FMC on rcc_hclk3 (reset value, written for clarity), USB on
     * PLL1 Q. */
    H7_REG(RCC_D1CCIPR) &= ~(H7_FIELD(RCC_D1CCIPR_KERSEL_MASK, RCC_D1CCIPR_FMCSEL_POS) |
                             H7_FIELD(RCC_D1CCIPR_KERSEL_MASK, RCC_D1CCIPR_QSPISEL_POS));
    H7_REG(RCC_D2CCIP2R) = (H7_REG(RCC_D2CCIP2R) & ~RCC_D2CCIP2R_USBSEL_MASK) |
                           H7_FIELD(RCC_USBSEL_PLL1Q, RCC_D2CCIP2R_USBSEL_POS);
    return 0;
}
