/*
 * h7_calc.h — the pure arithmetic behind the STM32H750 drivers: PLL1 settings, flash wait
 * states, the QSPI prescaler, QUADSPI command words, FMC SDRAM timings and MPU region words.
 *
 * No register is touched here: every function maps numbers from the manuals to register
 * values, so the host unit tests (tests/stm32h750/) can check them against values worked out
 * by hand. The drivers write what these functions return.
 *
 * Freestanding (stdint/stdbool only): built into the bootloader and into host tests.
 */
#ifndef H7_CALC_H
#define H7_CALC_H

#include <stdbool.h>
#include <stdint.h>

#include "h7/board.h"
#include "stm32h750_regs.h"

/* ---- PLL1 (RM0433 §8.5.5 PLL description, §8.7.11-13 PLLCKSELR/PLLCFGR/PLL1DIVR) ---- */

/* Limits of PLL1 in integer mode with the wide VCO (RM0433 §8.5.5, datasheet DS12556
 * table "PLL characteristics", wide VCO range at VOS0). */
#define H7_PLL_REF_MIN_HZ 2000000u
#define H7_PLL_REF_MAX_HZ 16000000u
#define H7_PLL_VCO_MIN_HZ 192000000u
#define H7_PLL_VCO_MAX_HZ 960000000u
#define H7_PLL_DIVM_MAX 63u
#define H7_PLL_DIVN_MIN 4u
#define H7_PLL_DIVN_MAX 512u
#define H7_PLL_DIVPQR_MAX 128u

struct h7_pll {
    uint32_t m, n, p, q, r; /* dividers as numbers (not register encodings) */
    uint32_t rge;           /* PLL1RGE: input range 0: 1-2, 1: 2-4, 2: 4-8, 3: 8-16 MHz */
    uint32_t ref_hz, vco_hz, p_hz, q_hz;
    uint32_t divr_reg;      /* RCC_PLL1DIVR value: (N-1) | (P-1)<<9 | (Q-1)<<16 | (R-1)<<24 */
};

/*
 * PLL1 for sys_ck = sysclk_hz on P and q_hz on Q, from a crystal of hse_hz, integer mode.
 * Rule (so the choice is reproducible by hand): the smallest M that divides hse_hz exactly with
 * a reference in [4, 8) MHz (input range 2), else in [2, 4) MHz (range 1); then the smallest
 * even P for which N = sysclk*P/ref is an integer with the VCO inside 192..960 MHz; then
 * Q = VCO/q_hz exactly and R = P. Returns false when no exact setting exists.
 * Daisy Seed: 16 MHz -> M=4 (4 MHz), N=240 (VCO 960 MHz), P=2 (480 MHz), Q=20 (48 MHz).
 */
bool h7_pll_compute(uint32_t hse_hz, uint32_t sysclk_hz, uint32_t q_hz, struct h7_pll *out);

/* ---- Embedded flash wait states (RM0433 §4.3.8, Table 17) ---- */

/* Voltage scale as used by the table: 0 = VOS0, 1 = VOS1 (others are not supported). */
struct h7_flash_ws {
    uint32_t latency;    /* FLASH_ACR.LATENCY */
    uint32_t wrhighfreq; /* FLASH_ACR.WRHIGHFREQ */
};
/* Wait states for the AXI clock (rcc_aclk = hclk) at scale vos; false when out of table. */
bool h7_flash_wait_states(uint32_t axi_hz, uint32_t vos, struct h7_flash_ws *out);

/* ---- QUADSPI (RM0433 §23.3.x, §23.5.1 CR.PRESCALER, §23.5.6 CCR) ---- */

/* Smallest divider (1..256) that brings kernel_hz to at most max_hz; returns the divider,
 * or 0 when max_hz is 0. CR.PRESCALER = divider - 1; the QSPI clock = kernel_hz / divider.
 * Inline: the bootloader computes it at run time (the limit is a parameter). */
#define H7_QSPI_DIVIDER_MAX 256u
static inline uint32_t h7_qspi_divider(uint32_t kernel_hz, uint32_t max_hz)
{
    if (max_hz == 0)
        return 0;
    uint32_t d = kernel_hz / max_hz + (kernel_hz % max_hz != 0);
    if (d < 1)
        d = 1;
    return d > H7_QSPI_DIVIDER_MAX ? H7_QSPI_DIVIDER_MAX : d;
}

/* One QUADSPI command phase by phase: how many lines each phase uses (H7 QSPI_LINES_*). */
struct h7_qspi_cmd {
    uint8_t instruction;
    uint8_t imode, admode, abmode, dmode; /* QSPI_LINES_NONE / _1 / _2 / _4 */
    uint8_t adsize;                        /* QSPI_ADSIZE_* (2 = 24-bit) */
    uint8_t absize;                        /* QSPI_ABSIZE_* (0 = 8-bit) */
    uint8_t dummy_cycles;                  /* 0..31 */
    bool sioo;                             /* send instruction only once (memory-mapped) */
};
/* The QSPI_CCR word for cmd in functional mode fmode (QSPI_FMODE_*). */
uint32_t h7_qspi_ccr(const struct h7_qspi_cmd *cmd, uint32_t fmode);
/* The same as a constant expression, for code that must not call out (h7_ramfunc.h). */
#define H7_QSPI_CCR(instr, imode, admode, adsize, abmode, absize, dcyc, dmode, fmode, sioo)      \
    (((uint32_t)(instr) << QSPI_CCR_INSTRUCTION_POS) |                                          \
     (((uint32_t)(imode)&3u) << QSPI_CCR_IMODE_POS) |                                           \
     (((uint32_t)(admode)&3u) << QSPI_CCR_ADMODE_POS) |                                         \
     (((uint32_t)(adsize)&3u) << QSPI_CCR_ADSIZE_POS) |                                         \
     (((uint32_t)(abmode)&3u) << QSPI_CCR_ABMODE_POS) |                                         \
     (((uint32_t)(absize)&3u) << QSPI_CCR_ABSIZE_POS) |                                         \
     (((uint32_t)(dcyc)&QSPI_DCYC_MAX) << QSPI_CCR_DCYC_POS) |                                  \
     (((uint32_t)(dmode)&3u) << QSPI_CCR_DMODE_POS) |                                           \
     (((uint32_t)(fmode)&3u) << QSPI_CCR_FMODE_POS) | ((sioo) ? QSPI_CCR_SIOO : 0u))

/* ---- FMC SDRAM (RM0433 §22.9.3 SDRAM controller, §22.9.7 SDCR/SDTR/SDRTR) ---- */

struct h7_sdram_part {
    /* organisation */
    uint32_t column_bits, row_bits, data_bits, banks, cas_latency;
    /* timings from the data sheet */
    uint32_t t_mrd_cycles; /* load mode register to active, in clocks */
    uint32_t t_wr_cycles;  /* write recovery, in clocks */
    uint32_t t_xsr_ns, t_ras_ns, t_rc_ns, t_rp_ns, t_rcd_ns;
    uint32_t refresh_ms, refresh_rows; /* every row refreshed within refresh_ms */
    uint32_t max_clock_hz;
};

struct h7_sdram_regs {
    uint32_t sdcr, sdtr, sdrtr_count;
    uint32_t mode_register; /* the SDRAM's own mode register (LOAD MODE command) */
    uint32_t sdclk_hz;
    /* cycles per timing (before the -1 of the register encoding) */
    uint32_t tmrd, txsr, tras, trc, twr, trp, trcd;
};

/* FMC settings for `part` on a kernel clock of fmc_hz divided by sdclk_div (2 or 3).
 * TWR is raised to RM0433's constraints TWR >= TRAS - TRCD and TWR >= TRC - TRCD - TRP.
 * Returns false when the part cannot be run at that clock (too fast, or a timing that does
 * not fit its 4-bit field, or an organisation the FMC cannot address). */
bool h7_sdram_compute(const struct h7_sdram_part *part, uint32_t fmc_hz, uint32_t sdclk_div,
                      struct h7_sdram_regs *out);

/* ---- MPU (Armv7-M ARM §B3.5.8-9 MPU_RBAR / MPU_RASR) ---- */

enum h7_mpu_kind {
    H7_MPU_NO_ACCESS,       /* strongly ordered, no access, execute-never (guard) */
    H7_MPU_NORMAL_WBWA,     /* normal, write-back write-allocate, not shareable */
    H7_MPU_NORMAL_WT_RO,    /* normal, write-through, read-only (memory-mapped flash) */
    H7_MPU_NORMAL_NOCACHE,  /* normal, non-cacheable, shareable (DMA buffers, retained RAM) */
};

struct h7_mpu_region {
    uint32_t rbar, rasr;
};

/* RBAR/RASR for region `number` covering [base, base+size) with `kind`, executable or not.
 * size must be a power of two >= 32 and base aligned to it; false otherwise. */
bool h7_mpu_encode(uint32_t number, uint32_t base, uint32_t size, enum h7_mpu_kind kind,
                   bool exec, struct h7_mpu_region *out);

/* The Daisy D2 DMA window: the first H7_D2_DMA_WINDOW_SIZE bytes of the region named
 * H7_D2_DMA_WINDOW_REGION, non-cacheable (libDaisy keeps its DMA buffers there). */
#define H7_D2_DMA_WINDOW_REGION "SRAM1"
#define H7_D2_DMA_WINDOW_SIZE (32u * 1024u)
/* The QUADSPI memory-mapped bank is 256 MB (RM0433 §2.3.2); the part of it past the flash
 * is guarded so a speculative access there never reaches the peripheral. */
#define H7_QSPI_BANK_SIZE (256u * 1024u * 1024u)

/* The MPU regions for a board: a no-access guard over the QSPI bank, one region per board
 * region (kind from its flags: flash -> WT read-only, cacheable RAM -> WBWA, other RAM and
 * retained RAM -> non-cacheable; exec flag -> executable), and the D2 DMA window last so it
 * overrides SRAM1. Writes at most max entries; returns the count, or -1 when a region cannot be
 * described (not a power of two, misaligned, too many). */
int h7_mpu_plan(const struct h7_board *b, struct h7_mpu_region *out, uint32_t max);

#endif /* H7_CALC_H */
