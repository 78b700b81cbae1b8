/*
 * sdram_part.h — the Daisy Seed's SDRAM: Alliance Memory AS4C16M32MSA-6BIN (64 MB, 32-bit bus,
 * 4 banks, 9 column and 13 row address bits, CAS latency 3, 166 MHz), as named in libDaisy's
 * src/dev/sdram.cpp. Timings from the -6 speed grade data sheet figures.
 */
#ifndef H7_SDRAM_PART_H
#define H7_SDRAM_PART_H

#include "h7_calc.h"

static const struct h7_sdram_part h7_daisy_sdram_part = {
    .column_bits = 9,
    .row_bits = 13,
    .data_bits = 32,
    .banks = 4,
    .cas_latency = 3,
    .t_mrd_cycles = 2, /* tMRD: 2 clocks */
    .t_wr_cycles = 2,  /* tWR: 2 clocks */
    .t_xsr_ns = 80,    /* exit self-refresh to active */
    .t_ras_ns = 48,    /* active to precharge */
    .t_rc_ns = 60,     /* active to active, same bank */
    .t_rp_ns = 18,     /* precharge to active */
    .t_rcd_ns = 18,    /* active to read/write */
    .refresh_ms = 64,
    .refresh_rows = 8192,
    .max_clock_hz = 166000000,
};

/* Power-up wait after the clock starts before the first command (data sheet: 200 us). */
#define H7_SDRAM_POWERUP_US 200u
/* Auto-refresh commands in the initialisation sequence (JEDEC: at least 2; 8 is common). */
#define H7_SDRAM_INIT_REFRESHES 8u

#endif /* H7_SDRAM_PART_H */
