/*
 * vd_fmc_sdram.h — model of the STM32H750 FMC SDRAM controller (RM0433 §22.9, registers
 * §22.9.5) with the Daisy Seed's AS4C16M32MSA (64 MB, 16M x 32, 4 banks, 13 row / 9 column
 * bits) on SDRAM bank 1 (0xC0000000). Written from RM0433 and the Alliance data sheet, not from
 * h7boot's driver; each rule cites its source in vd_fmc_sdram.c.
 *
 * Modelled: FMC_BCR1 (FMCEN, BMAP; the other bits kept), SDCR1/2, SDTR1/2, SDCMR, SDRTR, SDSR.
 * The SDRAM window opens (read/write/execute: the MPU decides what the CPU may do there) only
 * once FMCEN = 1 and the device has been through its power-up sequence on bank 1: clock
 * configuration enable, the power-up delay, precharge all, auto-refresh xN, load mode register
 * (CAS latency equal to SDCR1.CAS, a valid burst length). SDCR/SDTR against the device (column /
 * row / width / banks, timings at the SDRAM clock), the refresh count against 8192 rows / 64 ms
 * and the order of the sequence are checked; each violation is reported with vd_violation and
 * keeps the window closed. Other FMC banks (NOR/PSRAM/NAND) are unmodelled. Contents: 64 MB,
 * filled with sdram.fill at power-on, kept across a system reset (but the window closes with the
 * controller's reset until the sequence is run again).
 *
 * vd_param names:
 *   sdram.power_up_us=N     delay required between clock enable and precharge-all (default
 *                           100, RM0433 §22.9.3 step 3 "typically 100 µs")
 *   sdram.min_autorefresh=N auto-refresh cycles required before the mode register (default 2)
 *   sdram.max_clk_hz=N      fastest SDRAM clock the device accepts (default 166000000, -6 grade)
 *   sdram.fill=N            byte the array holds at power-on (default 0x00)
 *   sdram.check_timing=0|1  check SDTR against the data sheet minima (default 1)
 *
 * Clock: asked from the machine as "fmc_ker" (RCC_D1CCIPR.FMCSEL), then "hclk3"; the SDRAM
 * clock is that divided by SDCR1.SDCLK (2 or 3). Timing checks are skipped while both are 0.
 */
#ifndef VD_FMC_SDRAM_H
#define VD_FMC_SDRAM_H

#include <stdbool.h>
#include <stdint.h>

#include "vd_model.h"

#define VD_FMC_BASE 0x52004000u
#define VD_FMC_SIZE 0x1000u
#define VD_SDRAM_BASE 0xC0000000u
#define VD_SDRAM_SIZE (64u * 1024u * 1024u)
/* RCC_AHB3ENR (offset 0xD4) bit 12 FMCEN (RM0433 §8.7.38). */
#define VD_FMC_GATE_OFFSET 0xD4u
#define VD_FMC_GATE_BIT 12u

/* Create the controller + device; the caller registers the periph with vd_add_periph. */
struct vd_periph *vd_fmc_sdram_create(struct vd_machine *m);
void vd_fmc_sdram_free(struct vd_periph *p);

/* Observation: the window is open (sequence done); the device array (64 MB). */
bool vd_fmc_sdram_ready(const struct vd_periph *p);
uint8_t *vd_fmc_sdram_array(struct vd_periph *p);

#endif
