/*
 * Clock tree: 16 MHz HSE -> PLL1 -> sys_ck 480 MHz at VOS0; AXI/AHB 240 MHz, APBs 120 MHz;
 * PLL1 Q 48 MHz for USB; QUADSPI on rcc_hclk3 (240 MHz); FMC on PLL2 R (200 MHz), so the SDRAM
 * clock (FMC kernel / 2) is 100 MHz, the STM32H750's limit for synchronous memories and what
 * libDaisy runs (rcc_hclk3 / 2 gave 120 MHz: issue 12 item 5, docs/daisy-seed.md).
 * RM0433 §6.6.2 (voltage scaling, VOS0 through SYSCFG_PWRCR.ODEN), §6.8.4 (PWR_CR3 supply
 * configuration), §8.5.2 (HSE), §8.5.5 (PLLs), §8.5.6 (system clock switch), §4.3.8 (flash
 * wait states before raising the clock). 480 MHz needs silicon revision V (the Seed's).
 */
#include "h7_stm32h750_consts.h" /* PLL1 and flash values from h7_calc.c */
#include "h7_port.h"
#include "stm32h750_regs.h"

/* PLL2 (RM0433 §8.7.11-§8.7.15; not in stm32h750_regs.h, which only PLL1 used): 16 MHz / M 4 =
 * 4 MHz (input range 4-8 MHz), x N 100 = VCO 400 MHz (wide range), / R 2 = 200 MHz. */
#define PLL2_M 4u
#define PLL2_N 100u
#define PLL2_R 2u
#define PLL2_RGE_4_8MHZ 2u
#define RCC_PLLCKSELR_DIVM2_POS 12u
#define RCC_PLLCKSELR_DIVM2_MASK (0x3Fu << RCC_PLLCKSELR_DIVM2_POS)
#define RCC_PLLCFGR_PLL2RGE_POS 6u
#define RCC_PLLCFGR_PLL2_MASK (0xFu << 4) /* FRACEN, VCOSEL, RGE of PLL2 */
#define RCC_PLLCFGR_DIVR2EN H7_BIT(21)
#define RCC_PLL2DIVR (RCC_BASE + 0x038u)
#define RCC_CR_PLL2ON H7_BIT(26)
#define RCC_CR_PLL2RDY H7_BIT(27)
#define RCC_FMCSEL_PLL2R 0x2u
_Static_assert(H7_HSE_HZ / PLL2_M * PLL2_N / PLL2_R == H7_FMC_KER_HZ,
               "PLL2 R must give the FMC kernel clock the SDRAM timings were computed for");

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
    /* PLL2 for the FMC, configured like PLL1 while it is off (source shared, HSE). */
    H7_REG(RCC_PLLCKSELR) = (H7_REG(RCC_PLLCKSELR) & ~RCC_PLLCKSELR_DIVM2_MASK) |
                            H7_FIELD(PLL2_M, RCC_PLLCKSELR_DIVM2_POS);
    H7_REG(RCC_PLL2DIVR) = H7_FIELD(PLL2_N - 1u, RCC_PLLDIVR_N_POS) |
                           H7_FIELD(PLL2_R - 1u, RCC_PLLDIVR_R_POS);
    H7_REG(RCC_PLLCFGR) = (H7_REG(RCC_PLLCFGR) & ~RCC_PLLCFGR_PLL2_MASK) |
                          H7_FIELD(PLL2_RGE_4_8MHZ, RCC_PLLCFGR_PLL2RGE_POS) | RCC_PLLCFGR_DIVR2EN;
    H7_REG(RCC_CR) |= RCC_CR_PLL1ON | RCC_CR_PLL2ON;
    if (wait_set(RCC_CR, RCC_CR_PLL1RDY | RCC_CR_PLL2RDY, PLL_TIMEOUT_LOOPS))
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

    /* Kernel clocks: QUADSPI on rcc_hclk3 (reset value, written for clarity), FMC on PLL2 R,
     * USB on PLL1 Q. */
    H7_REG(RCC_D1CCIPR) = (H7_REG(RCC_D1CCIPR) &
                           ~(H7_FIELD(RCC_D1CCIPR_KERSEL_MASK, RCC_D1CCIPR_FMCSEL_POS) |
                             H7_FIELD(RCC_D1CCIPR_KERSEL_MASK, RCC_D1CCIPR_QSPISEL_POS))) |
                          H7_FIELD(RCC_FMCSEL_PLL2R, RCC_D1CCIPR_FMCSEL_POS);
    H7_REG(RCC_D2CCIP2R) = (H7_REG(RCC_D2CCIP2R) & ~RCC_D2CCIP2R_USBSEL_MASK) |
                           H7_FIELD(RCC_USBSEL_PLL1Q, RCC_D2CCIP2R_USBSEL_POS);
    return 0;
}
