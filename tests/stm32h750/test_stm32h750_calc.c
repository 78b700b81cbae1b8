/*
 * Unit tests for the STM32H750 port's pure arithmetic (ports/stm32h750/h7_calc.c), against
 * values worked out by hand from RM0433, the IS25LP064A command set and the AS4C16M32MSA-6
 * data sheet figures (the hand calculation is written next to each expectation).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "board_parse.h"
#include "h7_calc.h"
#include "h7_port.h"
#include "stm32h750_regs.h"
#include "sdram_part.h"

static void pll_daisy_480mhz(void **state)
{
    (void)state;
    struct h7_pll p;
    /* 16 MHz HSE: M=1 (16 MHz) and M=2 (8 MHz) are outside [4, 8) MHz, M=3 does not divide 16,
     * M=4 gives 4 MHz (range 2). P=2: VCO = 480*2 = 960 MHz (wide-VCO maximum), N = 960/4 =
     * 240. Q = 960/48 = 20. */
    assert_true(h7_pll_compute(16000000, 480000000, 48000000, &p));
    assert_int_equal(p.m, 4);
    assert_int_equal(p.n, 240);
    assert_int_equal(p.p, 2);
    assert_int_equal(p.q, 20);
    assert_int_equal(p.r, 2);
    assert_int_equal(p.rge, 2);
    assert_int_equal(p.ref_hz, 4000000);
    assert_int_equal(p.vco_hz, 960000000);
    /* PLL1DIVR = (240-1) | (2-1)<<9 | (20-1)<<16 | (2-1)<<24 = 0xEF + 0x200 + 0x130000
     * + 0x1000000 = 0x011302EF */
    assert_int_equal(p.divr_reg, 0x011302EFu);
}

static void pll_400mhz_and_other_crystals(void **state)
{
    (void)state;
    struct h7_pll p;
    /* 400 MHz (VOS1, libDaisy's default): M=4, P=2 -> VCO 800 MHz, N=200, Q=800/48 is not an
     * integer -> P=4 gives VCO 1600 > 960: no exact 48 MHz. With Q at 200 MHz: Q=4. */
    assert_false(h7_pll_compute(16000000, 400000000, 48000000, &p));
    assert_true(h7_pll_compute(16000000, 400000000, 200000000, &p));
    assert_int_equal(p.m, 4);
    assert_int_equal(p.n, 200);
    assert_int_equal(p.p, 2);
    assert_int_equal(p.q, 4);
    /* 25 MHz crystal (Nucleo-style): M=5 -> 5 MHz, P=2 -> VCO 960, N=192, Q=20. */
    assert_true(h7_pll_compute(25000000, 480000000, 48000000, &p));
    assert_int_equal(p.m, 5);
    assert_int_equal(p.n, 192);
    assert_int_equal(p.q, 20);
    /* 480 MHz needs a VCO of at least 960 MHz: 7 MHz crystal -> ref 7 MHz (M=1), VCO 960 is not
     * a multiple of 7 MHz, P=4 exceeds the VCO -> M=2 (3.5 MHz, range 1): 960/3.5 no ->
     * no solution. */
    assert_false(h7_pll_compute(7000000, 480000000, 48000000, &p));
}

static void flash_wait_states(void **state)
{
    (void)state;
    struct h7_flash_ws ws;
    /* RM0433 Table 17, VOS0: 225 < 240 MHz <= 240 -> 4 WS, WRHIGHFREQ 2. */
    assert_true(h7_flash_wait_states(240000000, 0, &ws));
    assert_int_equal(ws.latency, 4);
    assert_int_equal(ws.wrhighfreq, 2);
    /* VOS1 200 MHz (400 MHz core): 185 < 200 <= 210 -> 2 WS, WRHIGHFREQ 2. */
    assert_true(h7_flash_wait_states(200000000, 1, &ws));
    assert_int_equal(ws.latency, 2);
    assert_int_equal(ws.wrhighfreq, 2);
    /* Reset clock (HSI 64 MHz): 0 WS. */
    assert_true(h7_flash_wait_states(64000000, 0, &ws));
    assert_int_equal(ws.latency, 0);
    assert_int_equal(ws.wrhighfreq, 0);
    /* Out of the table: 240 MHz at VOS1, or VOS2. */
    assert_false(h7_flash_wait_states(240000000, 1, &ws));
    assert_false(h7_flash_wait_states(100000000, 2, &ws));
}

static void qspi_divider(void **state)
{
    (void)state;
    /* hclk3 240 MHz: at most 80 MHz -> /3 (80 MHz); 133 MHz -> /2 (120 MHz); 240 -> /1;
     * 50 MHz -> 240/50 = 4.8 -> /5 (48 MHz). */
    assert_int_equal(h7_qspi_divider(240000000, 80000000), 3);
    assert_int_equal(h7_qspi_divider(240000000, 133000000), 2);
    assert_int_equal(h7_qspi_divider(240000000, 240000000), 1);
    assert_int_equal(h7_qspi_divider(240000000, 50000000), 5);
    assert_int_equal(h7_qspi_divider(240000000, 1), 256); /* clamped to PRESCALER = 255 */
    assert_int_equal(h7_qspi_divider(240000000, 0), 0);
}

static void qspi_command_words(void **state)
{
    (void)state;
    /* Read status 0x05: instruction 1 line (1<<8), data 1 line (1<<24), indirect read
     * (1<<26): 0x05 + 0x100 + 0x01000000 + 0x04000000 = 0x05000105. */
    struct h7_qspi_cmd rdsr = {.instruction = 0x05, .imode = QSPI_LINES_1, .dmode = QSPI_LINES_1};
    assert_int_equal(h7_qspi_ccr(&rdsr, QSPI_FMODE_INDIRECT_READ), 0x05000105u);
    /* Page program 0x02, 24-bit address on 1 line: 0x02 + 0x100 + (1<<10 = 0x400)
     * + (2<<12 = 0x2000) + 0x01000000, indirect write (0): 0x01002502. */
    struct h7_qspi_cmd pp = {.instruction = 0x02, .imode = QSPI_LINES_1, .admode = QSPI_LINES_1,
                             .adsize = QSPI_ADSIZE_24BIT, .dmode = QSPI_LINES_1};
    assert_int_equal(h7_qspi_ccr(&pp, QSPI_FMODE_INDIRECT_WRITE), 0x01002502u);
    /* 4 KB sector erase 0x20, address only: 0x20 + 0x100 + 0x400 + 0x2000 = 0x2520. */
    struct h7_qspi_cmd se = {.instruction = 0x20, .imode = QSPI_LINES_1, .admode = QSPI_LINES_1,
                             .adsize = QSPI_ADSIZE_24BIT};
    assert_int_equal(h7_qspi_ccr(&se, QSPI_FMODE_INDIRECT_WRITE), 0x00002520u);
    /* Quad I/O read 0xEB memory-mapped: instr 1 line 0x100, address 4 lines 3<<10 = 0xC00,
     * 24-bit 0x2000, mode byte 4 lines 3<<14 = 0xC000 (8-bit: 0), 6 dummy 6<<18 = 0x180000,
     * data 4 lines 3<<24 = 0x3000000, memory-mapped 3<<26 = 0xC000000 -> 0x0F18EDEB. */
    struct h7_qspi_cmd qr = {.instruction = 0xEB, .imode = QSPI_LINES_1, .admode = QSPI_LINES_4,
                             .adsize = QSPI_ADSIZE_24BIT, .abmode = QSPI_LINES_4,
                             .absize = QSPI_ABSIZE_8BIT, .dummy_cycles = 6,
                             .dmode = QSPI_LINES_4};
    assert_int_equal(h7_qspi_ccr(&qr, QSPI_FMODE_MEMORY_MAPPED), 0x0F18EDEBu);
    qr.sioo = true; /* + 1<<28 */
    assert_int_equal(h7_qspi_ccr(&qr, QSPI_FMODE_MEMORY_MAPPED), 0x1F18EDEBu);
    /* Auto-polling read status: 0x05000105 with FMODE 2 instead of 1 -> 0x09000105. */
    assert_int_equal(h7_qspi_ccr(&rdsr, QSPI_FMODE_AUTO_POLL), 0x09000105u);
}

static void sdram_daisy_at_120mhz(void **state)
{
    (void)state;
    struct h7_sdram_regs r;
    /* FMC kernel = hclk3 240 MHz, SDCLK = /2 = 120 MHz (8.33 ns per clock). */
    assert_true(h7_sdram_compute(&h7_daisy_sdram_part, 240000000, 2, &r));
    assert_int_equal(r.sdclk_hz, 120000000);
    /* tMRD 2 clk; tXSR 80 ns = 9.6 -> 10; tRAS 48 ns = 5.76 -> 6; tRC 60 ns = 7.2 -> 8;
     * tRP 18 ns = 2.16 -> 3; tRCD 18 ns -> 3; tWR 2 clk raised to max(TRAS-TRCD = 3,
     * TRC-TRCD-TRP = 2) = 3. */
    assert_int_equal(r.tmrd, 2);
    assert_int_equal(r.txsr, 10);
    assert_int_equal(r.tras, 6);
    assert_int_equal(r.trc, 8);
    assert_int_equal(r.trp, 3);
    assert_int_equal(r.trcd, 3);
    assert_int_equal(r.twr, 3);
    /* SDTR = 1 | 9<<4 | 5<<8 | 7<<12 | 2<<16 | 2<<20 | 2<<24 = 0x02227591 */
    assert_int_equal(r.sdtr, 0x02227591u);
    /* SDCR: NC 9 bits -> 1, NR 13 -> 2 (<<2 = 8), MWID 32 -> 2 (<<4 = 0x20), 4 banks 0x40,
     * CAS 3 (<<7 = 0x180), SDCLK 2 (<<10 = 0x800), RBURST 0x1000 -> 0x19E9. */
    assert_int_equal(r.sdcr, 0x19E9u);
    /* Refresh: 64 ms / 8192 rows = 7812.5 ns = 937.5 clocks -> 937 - 20 = 917. */
    assert_int_equal(r.sdrtr_count, 917);
    /* Mode register: burst length 1, sequential, CAS 3 (0x30), single write burst (0x200). */
    assert_int_equal(r.mode_register, 0x230u);
}

static void sdram_rejects(void **state)
{
    (void)state;
    struct h7_sdram_regs r;
    /* 240/1 is not an allowed SDCLK ratio; 480/2 = 240 MHz exceeds the part's 166 MHz. */
    assert_false(h7_sdram_compute(&h7_daisy_sdram_part, 240000000, 1, &r));
    assert_false(h7_sdram_compute(&h7_daisy_sdram_part, 480000000, 2, &r));
    /* At 80 MHz (240/3): tXSR 80 ns = 6.4 -> 7, refresh 625 - 20 = 605. */
    assert_true(h7_sdram_compute(&h7_daisy_sdram_part, 240000000, 3, &r));
    assert_int_equal(r.txsr, 7);
    assert_int_equal(r.sdrtr_count, 605);
    struct h7_sdram_part bad = h7_daisy_sdram_part;
    bad.t_xsr_ns = 200; /* 200 ns at 120 MHz = 24 clocks: does not fit the 4-bit field */
    assert_false(h7_sdram_compute(&bad, 240000000, 2, &r));
    bad = h7_daisy_sdram_part;
    bad.row_bits = 14;
    assert_false(h7_sdram_compute(&bad, 240000000, 2, &r));
}

static void mpu_words(void **state)
{
    (void)state;
    struct h7_mpu_region m;
    /* QSPI 8 MB at 0x90000000 as region 2, WT read-only, executable: RBAR = base | VALID 0x10
     * | 2; RASR = AP 110 (0x06000000) | C (0x20000) | SIZE log2(8M)-1 = 22 (<<1 = 0x2C) | 1. */
    assert_true(h7_mpu_encode(2, 0x90000000u, 8u << 20, H7_MPU_NORMAL_WT_RO, true, &m));
    assert_int_equal(m.rbar, 0x90000012u);
    assert_int_equal(m.rasr, 0x0602002Du);
    /* SDRAM 64 MB WBWA executable: TEX 1 (0x80000) C B (0x30000) AP 011 (0x03000000)
     * SIZE 25 (<<1 = 0x32) | 1 -> 0x030B0033. */
    assert_true(h7_mpu_encode(3, 0xC0000000u, 64u << 20, H7_MPU_NORMAL_WBWA, true, &m));
    assert_int_equal(m.rasr, 0x030B0033u);
    /* 32 KB DMA window, non-cacheable shareable, XN: XN 0x10000000 | AP 0x03000000 | TEX 1
     * 0x80000 | S 0x40000 | SIZE 14 (<<1 = 0x1C) | 1 -> 0x130C001D. */
    assert_true(h7_mpu_encode(4, 0x30000000u, 32u << 10, H7_MPU_NORMAL_NOCACHE, false, &m));
    assert_int_equal(m.rasr, 0x130C001Du);
    /* 256 MB guard: XN | AP 000 | SIZE 27 (<<1 = 0x36) | 1 -> 0x10000037. */
    assert_true(h7_mpu_encode(0, 0x90000000u, 256u << 20, H7_MPU_NO_ACCESS, true, &m));
    assert_int_equal(m.rasr, 0x10000037u);
    /* Not a power of two, misaligned, too small, region number out of range. */
    assert_false(h7_mpu_encode(1, 0x30000000u, 96u << 10, H7_MPU_NORMAL_WBWA, false, &m));
    assert_false(h7_mpu_encode(1, 0x30001000u, 64u << 10, H7_MPU_NORMAL_WBWA, false, &m));
    assert_false(h7_mpu_encode(1, 0x30000000u, 16, H7_MPU_NORMAL_WBWA, false, &m));
    assert_false(h7_mpu_encode(16, 0x30000000u, 32, H7_MPU_NORMAL_WBWA, false, &m));
}

static void mpu_plan_daisy(void **state)
{
    (void)state;
    static struct h7_board b;
    char err[256];
    assert_int_equal(h7_board_load("daisy-seed", &b, err, sizeof err), 0);
    struct h7_mpu_region m[MPU_REGIONS];
    int n = h7_mpu_plan(&b, m, MPU_REGIONS);
    /* guard + 11 board regions + DMA window */
    assert_int_equal(n, 1 + (int)b.n_regions + 1);
    assert_int_equal(m[0].rbar, 0x90000010u);  /* guard over the QSPI bank, region 0 */
    assert_int_equal(m[0].rasr, 0x10000037u);
    const struct h7_region *q = h7_board_region(&b, "QSPI");
    assert_non_null(q);
    int found_qspi = 0;
    for (int i = 1; i < n; i++) {
        assert_int_equal(m[i].rbar & 0xFu, (uint32_t)i); /* regions numbered in order */
        if ((m[i].rbar & ~0x1Fu) == q->origin) {
            found_qspi = i;
            assert_int_equal(m[i].rasr, 0x0602002Du);
        }
    }
    assert_true(found_qspi > 0); /* after the guard, so it overrides it */
    /* The DMA window is last (overrides SRAM1) and is SRAM1's first 32 KB, non-cacheable. */
    const struct h7_region *s1 = h7_board_region(&b, "SRAM1");
    assert_int_equal(m[n - 1].rbar & ~0x1Fu, s1->origin);
    assert_int_equal(m[n - 1].rasr, 0x130C001Du);
    /* Backup SRAM (retained) is never cached: its writes must reach it before a reset. */
    const struct h7_region *bk = h7_board_region(&b, "BKPSRAM");
    for (int i = 1; i < n; i++)
        if ((m[i].rbar & ~0x1Fu) == bk->origin)
            assert_int_equal(m[i].rasr & 0x30000u, 0); /* C = B = 0 */
    /* Too few slots: refused, not truncated. */
    assert_int_equal(h7_mpu_plan(&b, m, 4), -1);
}

static void led_patterns(void **state)
{
    (void)state;
    /* Booting: always on. */
    assert_true(h7_led_pattern(H7_LED_BOOTING, 0));
    assert_true(h7_led_pattern(H7_LED_BOOTING, 12345));
    /* DFU idle, 1 Hz: on 0-499, off 500-999. */
    assert_true(h7_led_pattern(H7_LED_DFU_IDLE, 0));
    assert_true(h7_led_pattern(H7_LED_DFU_IDLE, 499));
    assert_false(h7_led_pattern(H7_LED_DFU_IDLE, 500));
    assert_true(h7_led_pattern(H7_LED_DFU_IDLE, 1000));
    /* DFU busy, 8 Hz: period 125 ms, on 0-61. */
    assert_true(h7_led_pattern(H7_LED_DFU_BUSY, 61));
    assert_false(h7_led_pattern(H7_LED_DFU_BUSY, 62));
    assert_true(h7_led_pattern(H7_LED_DFU_BUSY, 125));
    /* Error: two 100 ms flashes per second. */
    assert_true(h7_led_pattern(H7_LED_ERROR, 50));
    assert_false(h7_led_pattern(H7_LED_ERROR, 150));
    assert_true(h7_led_pattern(H7_LED_ERROR, 250));
    assert_false(h7_led_pattern(H7_LED_ERROR, 300));
    assert_false(h7_led_pattern(H7_LED_ERROR, 999));
    /* The four patterns differ within one second (tell-apart check). */
    unsigned on[4] = {0};
    for (uint32_t ms = 0; ms < 1000; ms++)
        for (int st = 0; st < 4; st++)
            on[st] += h7_led_pattern((enum h7_led_state)st, ms);
    assert_int_equal(on[H7_LED_BOOTING], 1000);
    assert_int_equal(on[H7_LED_DFU_IDLE], 500);
    assert_int_equal(on[H7_LED_DFU_BUSY], 8 * 62 + 0);
    assert_int_equal(on[H7_LED_ERROR], 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pll_daisy_480mhz),     cmocka_unit_test(pll_400mhz_and_other_crystals),
        cmocka_unit_test(flash_wait_states),    cmocka_unit_test(qspi_divider),
        cmocka_unit_test(qspi_command_words),   cmocka_unit_test(sdram_daisy_at_120mhz),
        cmocka_unit_test(sdram_rejects),        cmocka_unit_test(mpu_words),
        cmocka_unit_test(mpu_plan_daisy),       cmocka_unit_test(led_patterns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
