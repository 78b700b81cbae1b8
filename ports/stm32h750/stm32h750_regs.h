/*
 * stm32h750_regs.h — the STM32H750 and Cortex-M7 registers h7boot touches, as named constants.
 *
 * Each block cites the RM0433 (Rev 8) section whose register map it follows, or the Armv7-M
 * Architecture Reference Manual (ARM DDI 0403E) for core registers. Only what the drivers use
 * is listed. Every address and bit field used by a driver must come from here: no magic numbers
 * in driver code. Memory region addresses (QSPI window, SDRAM, backup SRAM) are NOT here: they
 * come from the board description (board_map.h).
 */
#ifndef STM32H750_REGS_H
#define STM32H750_REGS_H

#include <stdint.h>

#define H7_REG(addr) (*(volatile uint32_t *)(uintptr_t)(addr))
#define H7_BIT(n) (1u << (n))
/* A field value: v placed at bit position pos. */
#define H7_FIELD(v, pos) ((uint32_t)(v) << (pos))

/* ---- RCC: RM0433 §8.7 (RCC register description) ------------------------------------ */
#define RCC_BASE 0x58024400u
#define RCC_CR (RCC_BASE + 0x000u)
#define RCC_CR_HSION H7_BIT(0)
#define RCC_CR_HSEON H7_BIT(16)
#define RCC_CR_HSERDY H7_BIT(17)
#define RCC_CR_HSEBYP H7_BIT(18)
#define RCC_CR_PLL1ON H7_BIT(24)
#define RCC_CR_PLL1RDY H7_BIT(25)
#define RCC_CR_HSI48ON H7_BIT(12)
#define RCC_CR_HSI48RDY H7_BIT(13)
#define RCC_CFGR (RCC_BASE + 0x010u)
#define RCC_CFGR_SW_MASK 0x7u
#define RCC_CFGR_SW_PLL1 0x3u
#define RCC_CFGR_SWS_POS 3u
#define RCC_CFGR_SWS_MASK (0x7u << RCC_CFGR_SWS_POS)
#define RCC_D1CFGR (RCC_BASE + 0x018u)
#define RCC_D1CFGR_HPRE_POS 0u    /* AHB (rcc_hclk) prescaler: 0b1000 = /2 */
#define RCC_D1CFGR_D1PPRE_POS 4u  /* APB3: 0b100 = /2 */
#define RCC_D1CFGR_D1CPRE_POS 8u  /* core: 0b0xxx = /1 */
#define RCC_HPRE_DIV2 0x8u
#define RCC_PPRE_DIV2 0x4u
#define RCC_D2CFGR (RCC_BASE + 0x01Cu)
#define RCC_D2CFGR_D2PPRE1_POS 4u
#define RCC_D2CFGR_D2PPRE2_POS 8u
#define RCC_D3CFGR (RCC_BASE + 0x020u)
#define RCC_D3CFGR_D3PPRE_POS 4u
#define RCC_PLLCKSELR (RCC_BASE + 0x028u)
#define RCC_PLLCKSELR_PLLSRC_HSE 0x2u
#define RCC_PLLCKSELR_PLLSRC_MASK 0x3u
#define RCC_PLLCKSELR_DIVM1_POS 4u
#define RCC_PLLCKSELR_DIVM1_MASK (0x3Fu << RCC_PLLCKSELR_DIVM1_POS)
#define RCC_PLLCFGR (RCC_BASE + 0x02Cu)
#define RCC_PLLCFGR_PLL1FRACEN H7_BIT(0)
#define RCC_PLLCFGR_PLL1VCOSEL H7_BIT(1) /* 0 = wide VCO range */
#define RCC_PLLCFGR_PLL1RGE_POS 2u
#define RCC_PLLCFGR_PLL1RGE_MASK (0x3u << RCC_PLLCFGR_PLL1RGE_POS)
#define RCC_PLLCFGR_DIVP1EN H7_BIT(16)
#define RCC_PLLCFGR_DIVQ1EN H7_BIT(17)
#define RCC_PLLCFGR_DIVR1EN H7_BIT(18)
#define RCC_PLL1DIVR (RCC_BASE + 0x030u)
#define RCC_PLLDIVR_N_POS 0u  /* DIVN - 1 */
#define RCC_PLLDIVR_P_POS 9u  /* DIVP - 1 */
#define RCC_PLLDIVR_Q_POS 16u /* DIVQ - 1 */
#define RCC_PLLDIVR_R_POS 24u /* DIVR - 1 */
#define RCC_D1CCIPR (RCC_BASE + 0x04Cu)
#define RCC_D1CCIPR_FMCSEL_POS 0u  /* 0 = rcc_hclk3 */
#define RCC_D1CCIPR_QSPISEL_POS 4u /* 0 = rcc_hclk3 */
#define RCC_D1CCIPR_KERSEL_MASK 0x3u
#define RCC_D2CCIP2R (RCC_BASE + 0x054u)
#define RCC_D2CCIP2R_USBSEL_POS 20u
#define RCC_D2CCIP2R_USBSEL_MASK (0x3u << RCC_D2CCIP2R_USBSEL_POS)
#define RCC_USBSEL_PLL1Q 0x1u
#define RCC_AHB3RSTR (RCC_BASE + 0x07Cu)
#define RCC_AHB3_FMC H7_BIT(12)
#define RCC_AHB3_QSPI H7_BIT(14)
#define RCC_AHB1RSTR (RCC_BASE + 0x080u)
#define RCC_AHB3ENR (RCC_BASE + 0x0D4u)
#define RCC_AHB1ENR (RCC_BASE + 0x0D8u)
#define RCC_AHB1_USB2OTGFS H7_BIT(27) /* USB2 OTG = the OTG_FS core on PA11/PA12 */
#define RCC_AHB4ENR (RCC_BASE + 0x0E0u)
#define RCC_AHB4_GPIO(port_index) H7_BIT(port_index) /* GPIOA = 0 ... GPIOK = 10 */
#define RCC_AHB4_BKPRAM H7_BIT(28)
#define RCC_APB4ENR (RCC_BASE + 0x0F4u)
#define RCC_APB4_SYSCFG H7_BIT(1)

/* ---- PWR: RM0433 §6.8 (PWR registers) ------------------------------------------------ */
#define PWR_BASE 0x58024800u
#define PWR_CR1 (PWR_BASE + 0x00u)
#define PWR_CR1_DBP H7_BIT(8) /* disable backup-domain write protection */
#define PWR_CSR1 (PWR_BASE + 0x04u)
#define PWR_CSR1_ACTVOSRDY H7_BIT(13)
#define PWR_CR2 (PWR_BASE + 0x08u)
#define PWR_CR2_BREN H7_BIT(0) /* backup regulator: keeps backup SRAM in VBAT mode */
#define PWR_CR3 (PWR_BASE + 0x0Cu)
#define PWR_CR3_BYPASS H7_BIT(0)
#define PWR_CR3_LDOEN H7_BIT(1)
#define PWR_CR3_SCUEN H7_BIT(2) /* supply configuration update enable (write-once lock) */
#define PWR_CR3_USB33DEN H7_BIT(24)
#define PWR_CR3_USB33RDY H7_BIT(26)
#define PWR_D3CR (PWR_BASE + 0x18u)
#define PWR_D3CR_VOS_POS 14u
#define PWR_D3CR_VOS_MASK (0x3u << PWR_D3CR_VOS_POS)
#define PWR_D3CR_VOS_SCALE1 0x3u
#define PWR_D3CR_VOSRDY H7_BIT(13)

/* ---- SYSCFG: RM0433 §12.3 — PWRCR.ODEN selects VOS0 on top of VOS1 (§6.6.2) ----------- */
#define SYSCFG_BASE 0x58000400u
#define SYSCFG_PWRCR (SYSCFG_BASE + 0x2Cu)
#define SYSCFG_PWRCR_ODEN H7_BIT(0)

/* ---- Embedded flash: RM0433 §4.9.1 (FLASH_ACR) ----------------------------------------- */
#define FLASH_BASE_REGS 0x52002000u
#define FLASH_ACR (FLASH_BASE_REGS + 0x00u)
#define FLASH_ACR_LATENCY_MASK 0xFu
#define FLASH_ACR_WRHIGHFREQ_POS 4u
#define FLASH_ACR_WRHIGHFREQ_MASK (0x3u << FLASH_ACR_WRHIGHFREQ_POS)

/* ---- GPIO: RM0433 §11.4 ------------------------------------------------------------------ */
#define GPIO_BASE(port_index) (0x58020000u + 0x400u * (port_index))
#define GPIO_MODER 0x00u
#define GPIO_OTYPER 0x04u
#define GPIO_OSPEEDR 0x08u
#define GPIO_PUPDR 0x0Cu
#define GPIO_IDR 0x10u
#define GPIO_ODR 0x14u
#define GPIO_BSRR 0x18u
#define GPIO_AFRL 0x20u
#define GPIO_AFRH 0x24u
#define GPIO_MODE_INPUT 0x0u
#define GPIO_MODE_OUTPUT 0x1u
#define GPIO_MODE_AF 0x2u
#define GPIO_SPEED_VERY_HIGH 0x3u
#define GPIO_PULL_NONE 0x0u
#define GPIO_PULL_UP 0x1u
#define GPIO_PORT_A 0u
#define GPIO_PORT_C 2u
#define GPIO_PORT_D 3u
#define GPIO_PORT_E 4u
#define GPIO_PORT_F 5u
#define GPIO_PORT_G 6u
#define GPIO_PORT_H 7u
#define GPIO_PORT_I 8u

/* ---- QUADSPI: RM0433 §23.5 (QUADSPI registers) ------------------------------------------- */
#define QSPI_BASE 0x52005000u
#define QSPI_CR (QSPI_BASE + 0x00u)
#define QSPI_CR_EN H7_BIT(0)
#define QSPI_CR_ABORT H7_BIT(1)
#define QSPI_CR_SSHIFT H7_BIT(4)
#define QSPI_CR_FTHRES_POS 8u
#define QSPI_CR_APMS H7_BIT(22) /* automatic-poll mode stop on match */
#define QSPI_CR_PMM H7_BIT(23)  /* polling match mode: 0 = AND */
#define QSPI_CR_PRESCALER_POS 24u
#define QSPI_DCR (QSPI_BASE + 0x04u)
#define QSPI_DCR_CSHT_POS 8u
#define QSPI_DCR_FSIZE_POS 16u
#define QSPI_SR (QSPI_BASE + 0x08u)
#define QSPI_SR_TEF H7_BIT(0)
#define QSPI_SR_TCF H7_BIT(1)
#define QSPI_SR_FTF H7_BIT(2)
#define QSPI_SR_SMF H7_BIT(3)
#define QSPI_SR_BUSY H7_BIT(5)
#define QSPI_FCR (QSPI_BASE + 0x0Cu)
#define QSPI_FCR_ALL 0x1Bu /* CTOF | CSMF | CTCF | CTEF */
#define QSPI_DLR (QSPI_BASE + 0x10u)
#define QSPI_CCR (QSPI_BASE + 0x14u)
#define QSPI_AR (QSPI_BASE + 0x18u)
#define QSPI_ABR (QSPI_BASE + 0x1Cu)
#define QSPI_DR (QSPI_BASE + 0x20u)
#define QSPI_PSMKR (QSPI_BASE + 0x24u)
#define QSPI_PSMAR (QSPI_BASE + 0x28u)
#define QSPI_PIR (QSPI_BASE + 0x2Cu)
/* QSPI_CCR fields (RM0433 §23.5.6) */
#define QSPI_CCR_INSTRUCTION_POS 0u
#define QSPI_CCR_IMODE_POS 8u
#define QSPI_CCR_ADMODE_POS 10u
#define QSPI_CCR_ADSIZE_POS 12u
#define QSPI_CCR_ABMODE_POS 14u
#define QSPI_CCR_ABSIZE_POS 16u
#define QSPI_CCR_DCYC_POS 18u
#define QSPI_CCR_DMODE_POS 24u
#define QSPI_CCR_FMODE_POS 26u
#define QSPI_CCR_SIOO H7_BIT(28)
#define QSPI_LINES_NONE 0u
#define QSPI_LINES_1 1u
#define QSPI_LINES_2 2u
#define QSPI_LINES_4 3u
#define QSPI_ADSIZE_24BIT 2u
#define QSPI_ABSIZE_8BIT 0u
#define QSPI_FMODE_INDIRECT_WRITE 0u
#define QSPI_FMODE_INDIRECT_READ 1u
#define QSPI_FMODE_AUTO_POLL 2u
#define QSPI_FMODE_MEMORY_MAPPED 3u
#define QSPI_DCYC_MAX 31u

/* ---- HASH: RM0433 HASH chapter, "HASH registers" (the same HASH IP and map as RM0399 Rev 4
 * §38.7, which the field notes below were checked against); clock: RCC_AHB2ENR, RM0433 §8.7.
 * Offsets from the unit's base (ports/stm32h750/hash.c takes the base as a parameter). */
#define HASH_BASE 0x48021400u
#define RCC_AHB2ENR (RCC_BASE + 0x0DCu)
#define RCC_AHB2ENR_HASHEN H7_BIT(5)
#define HASH_CR_OFF 0x00u
#define HASH_CR_INIT H7_BIT(2)        /* start a new digest (reads 0) */
#define HASH_CR_DATATYPE_POS 4u       /* 0b10: 8-bit data, bytes swapped into big-endian words */
#define HASH_CR_DATATYPE_MASK (0x3u << HASH_CR_DATATYPE_POS)
#define HASH_DATATYPE_BYTES 0x2u
#define HASH_CR_MODE H7_BIT(6)        /* 0: hash, 1: HMAC */
#define HASH_CR_ALGO0 H7_BIT(7)       /* ALGO[1:0] = 0b11: SHA-256 */
#define HASH_CR_ALGO1 H7_BIT(18)
#define HASH_CR_NBW_POS 8u            /* words in the input FIFO (read only) */
#define HASH_CR_NBW_MASK (0xFu << HASH_CR_NBW_POS)
#define HASH_CR_DINNE H7_BIT(12)      /* input FIFO not empty (read only) */
#define HASH_DIN_OFF 0x04u
#define HASH_STR_OFF 0x08u
#define HASH_STR_NBLW_POS 0u          /* valid bits in the last word (0 = all 32) */
#define HASH_STR_DCAL H7_BIT(8)       /* pad and compute the final digest */
#define HASH_IMR_OFF 0x20u
#define HASH_SR_OFF 0x24u
#define HASH_SR_DINIS H7_BIT(0)       /* ready for a new block; 1 after reset */
#define HASH_SR_DCIS H7_BIT(1)        /* digest complete */
#define HASH_SR_BUSY H7_BIT(3)
#define HASH_HR_OFF 0x310u            /* HASH_HR0..HR7: the digest, H0 first */

/* ---- FMC SDRAM: RM0433 §22.9.7 (SDRAM controller registers) ------------------------------- */
#define FMC_BASE 0x52004000u
#define FMC_BCR1 (FMC_BASE + 0x000u)
#define FMC_BCR1_FMCEN H7_BIT(31) /* enables the whole FMC (RM0433 §22.7.6) */
#define FMC_SDCR1 (FMC_BASE + 0x140u)
#define FMC_SDTR1 (FMC_BASE + 0x148u)
#define FMC_SDCMR (FMC_BASE + 0x150u)
#define FMC_SDRTR (FMC_BASE + 0x154u)
#define FMC_SDSR (FMC_BASE + 0x158u)
#define FMC_SDSR_BUSY H7_BIT(5)
#define FMC_SDCR_NC_POS 0u
#define FMC_SDCR_NR_POS 2u
#define FMC_SDCR_MWID_POS 4u
#define FMC_SDCR_NB4 H7_BIT(6)
#define FMC_SDCR_CAS_POS 7u
#define FMC_SDCR_SDCLK_POS 10u
#define FMC_SDCR_RBURST H7_BIT(12)
#define FMC_SDCR_RPIPE_POS 13u
#define FMC_SDTR_TMRD_POS 0u
#define FMC_SDTR_TXSR_POS 4u
#define FMC_SDTR_TRAS_POS 8u
#define FMC_SDTR_TRC_POS 12u
#define FMC_SDTR_TWR_POS 16u
#define FMC_SDTR_TRP_POS 20u
#define FMC_SDTR_TRCD_POS 24u
#define FMC_SDTR_FIELD_MAX 16u /* each field holds cycles - 1 in 4 bits */
#define FMC_SDCMR_MODE_CLK_ENABLE 0x1u
#define FMC_SDCMR_MODE_PALL 0x2u
#define FMC_SDCMR_MODE_AUTO_REFRESH 0x3u
#define FMC_SDCMR_MODE_LOAD_MODE 0x4u
#define FMC_SDCMR_CTB1 H7_BIT(4)
#define FMC_SDCMR_NRFS_POS 5u
#define FMC_SDCMR_MRD_POS 9u
#define FMC_SDRTR_COUNT_POS 1u
#define FMC_SDRTR_COUNT_MAX 0x1FFFu
#define FMC_SDRTR_COUNT_MIN 41u /* RM0433: COUNT must be greater than 41 */
#define FMC_SDRTR_MARGIN 20u    /* RM0433 §22.9.5: subtract 20 cycles from the refresh period */

/* ---- USB OTG FS (USB2 OTG core): RM0433 §57.14 (OTG_FS registers) ------------------------ */
#define OTG_BASE 0x40080000u
#define OTG_GOTGCTL (OTG_BASE + 0x000u)
#define OTG_GOTGCTL_BVALOEN H7_BIT(6)
#define OTG_GOTGCTL_BVALOVAL H7_BIT(7)
#define OTG_GAHBCFG (OTG_BASE + 0x008u)
#define OTG_GAHBCFG_GINTMSK H7_BIT(0)
#define OTG_GUSBCFG (OTG_BASE + 0x00Cu)
#define OTG_GUSBCFG_PHYSEL H7_BIT(6)
#define OTG_GUSBCFG_TRDT_POS 10u
#define OTG_GUSBCFG_TRDT_MASK (0xFu << OTG_GUSBCFG_TRDT_POS)
#define OTG_GUSBCFG_FDMOD H7_BIT(30)
#define OTG_GRSTCTL (OTG_BASE + 0x010u)
#define OTG_GRSTCTL_CSRST H7_BIT(0)
#define OTG_GRSTCTL_RXFFLSH H7_BIT(4)
#define OTG_GRSTCTL_TXFFLSH H7_BIT(5)
#define OTG_GRSTCTL_TXFNUM_POS 6u
#define OTG_GRSTCTL_TXFNUM_ALL 0x10u
#define OTG_GRSTCTL_AHBIDL H7_BIT(31)
#define OTG_GINTSTS (OTG_BASE + 0x014u)
#define OTG_GINTMSK (OTG_BASE + 0x018u)
#define OTG_GINT_RXFLVL H7_BIT(4)
#define OTG_GINT_USBSUSP H7_BIT(11)
#define OTG_GINT_USBRST H7_BIT(12)
#define OTG_GINT_ENUMDNE H7_BIT(13)
#define OTG_GINT_IEPINT H7_BIT(18)
#define OTG_GINT_OEPINT H7_BIT(19)
#define OTG_GRXSTSP (OTG_BASE + 0x020u)
#define OTG_GRXSTS_EPNUM_MASK 0xFu
#define OTG_GRXSTS_BCNT_POS 4u
#define OTG_GRXSTS_BCNT_MASK (0x7FFu << OTG_GRXSTS_BCNT_POS)
#define OTG_GRXSTS_PKTSTS_POS 17u
#define OTG_GRXSTS_PKTSTS_MASK (0xFu << OTG_GRXSTS_PKTSTS_POS)
#define OTG_PKTSTS_OUT_DATA 2u
#define OTG_PKTSTS_OUT_DONE 3u
#define OTG_PKTSTS_SETUP_DONE 4u
#define OTG_PKTSTS_SETUP_DATA 6u
#define OTG_GRXFSIZ (OTG_BASE + 0x024u)
#define OTG_DIEPTXF0 (OTG_BASE + 0x028u) /* EP0 TX FIFO: start address | depth << 16 (words) */
#define OTG_GCCFG (OTG_BASE + 0x038u)
#define OTG_GCCFG_PWRDWN H7_BIT(16) /* 1 = transceiver active */
#define OTG_GCCFG_VBDEN H7_BIT(21)
#define OTG_DCFG (OTG_BASE + 0x800u)
#define OTG_DCFG_DSPD_FS 0x3u /* full speed, internal PHY */
#define OTG_DCFG_DAD_POS 4u
#define OTG_DCFG_DAD_MASK (0x7Fu << OTG_DCFG_DAD_POS)
#define OTG_DCTL (OTG_BASE + 0x804u)
#define OTG_DCTL_SDIS H7_BIT(1) /* soft disconnect: D+ pull-up off */
#define OTG_DCTL_CGINAK H7_BIT(8)
#define OTG_DIEPMSK (OTG_BASE + 0x810u)
#define OTG_DOEPMSK (OTG_BASE + 0x814u)
#define OTG_DAINT (OTG_BASE + 0x818u)
#define OTG_DAINTMSK (OTG_BASE + 0x81Cu)
#define OTG_DIEPCTL0 (OTG_BASE + 0x900u)
#define OTG_DIEPINT0 (OTG_BASE + 0x908u)
#define OTG_DIEPTSIZ0 (OTG_BASE + 0x910u)
#define OTG_DTXFSTS0 (OTG_BASE + 0x918u)
#define OTG_DOEPCTL0 (OTG_BASE + 0xB00u)
#define OTG_DOEPINT0 (OTG_BASE + 0xB08u)
#define OTG_DOEPTSIZ0 (OTG_BASE + 0xB10u)
#define OTG_EPCTL_MPSIZ64 0x0u /* EP0: 00 = 64 bytes */
#define OTG_EPCTL_USBAEP H7_BIT(15)
#define OTG_EPCTL_STALL H7_BIT(21)
#define OTG_EPCTL_CNAK H7_BIT(26)
#define OTG_EPCTL_SNAK H7_BIT(27)
#define OTG_EPCTL_EPDIS H7_BIT(30)
#define OTG_EPCTL_EPENA H7_BIT(31)
#define OTG_EPINT_XFRC H7_BIT(0)
#define OTG_EPINT_STUP H7_BIT(3)
#define OTG_EPINT_ALL 0xFFFFu
#define OTG_DIEPTSIZ0_PKTCNT_POS 19u
#define OTG_DOEPTSIZ0_PKTCNT H7_BIT(19)
#define OTG_DOEPTSIZ0_STUPCNT_POS 29u
#define OTG_DOEPTSIZ0_STUPCNT_3 (0x3u << OTG_DOEPTSIZ0_STUPCNT_POS)
#define OTG_PCGCCTL (OTG_BASE + 0xE00u)
#define OTG_FIFO(ep) (OTG_BASE + 0x1000u * ((ep) + 1u))

/* ---- Cortex-M7 system control: Armv7-M ARM §B3.2 (SCB), §B3.3 (SysTick), §B3.4 (NVIC),
 *      §B3.5 (MPU); cache maintenance: Armv7-M ARM §B2.2.7, Cortex-M7 TRM §4.8 ---------------- */
#define SCB_ICSR 0xE000ED04u
#define SCB_VTOR 0xE000ED08u
#define SCB_AIRCR 0xE000ED0Cu
#define SCB_AIRCR_VECTKEY 0x05FA0000u
#define SCB_AIRCR_SYSRESETREQ H7_BIT(2)
#define SCB_CCR 0xE000ED14u
#define SCB_CCR_DC H7_BIT(16)
#define SCB_CCR_IC H7_BIT(17)
#define SCB_SHCSR 0xE000ED24u
#define SCB_CPACR 0xE000ED88u
#define SCB_CPACR_CP10_CP11_FULL (0xFu << 20)
#define SCB_CCSIDR 0xE000ED80u
#define SCB_CSSELR 0xE000ED84u
#define SCB_CCSIDR_SETS(x) (((x) >> 13) & 0x7FFFu)
#define SCB_CCSIDR_WAYS(x) (((x) >> 3) & 0x3FFu)
#define SCB_ICIALLU 0xE000EF50u
#define SCB_DCIMVAC 0xE000EF5Cu
#define SCB_DCISW 0xE000EF60u
#define SCB_DCCMVAC 0xE000EF68u
#define SCB_DCCISW 0xE000EF74u
#define SCB_DCACHE_LINE 32u /* Cortex-M7 TRM: 32-byte cache lines */
#define SCB_DCSW_WAY_POS 30u /* 4-way D-cache: way in bits 31:30 */
#define SCB_DCSW_SET_POS 5u  /* set index above the 32-byte line offset */
#define SYSTICK_CSR 0xE000E010u
#define SYSTICK_RVR 0xE000E014u
#define SYSTICK_CVR 0xE000E018u
#define SYSTICK_CSR_ENABLE H7_BIT(0)
#define SYSTICK_CSR_CLKSOURCE_CPU H7_BIT(2)
#define SYSTICK_CSR_COUNTFLAG H7_BIT(16)
#define SYSTICK_RVR_MAX 0x00FFFFFFu
#define DWT_CTRL 0xE0001000u
#define DWT_CYCCNT 0xE0001004u
#define DWT_CTRL_CYCCNTENA H7_BIT(0)
#define DWT_LAR 0xE0001FB0u
#define DWT_LAR_KEY 0xC5ACCE55u
#define DEMCR 0xE000EDFCu
#define DEMCR_TRCENA H7_BIT(24)
#define MPU_CTRL 0xE000ED94u
#define MPU_CTRL_ENABLE H7_BIT(0)
#define MPU_CTRL_PRIVDEFENA H7_BIT(2)
#define MPU_RNR 0xE000ED98u
#define MPU_RBAR 0xE000ED9Cu
#define MPU_RASR 0xE000EDA0u
#define MPU_REGIONS 16u /* STM32H750: 16 MPU regions (RM0433 §2.1 / PM0253) */

#endif /* STM32H750_REGS_H */
