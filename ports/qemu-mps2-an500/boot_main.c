/*
 * The h7boot bootloader on QEMU's MPS2 AN500 board (Cortex-M7): the QEMU port of
 * boot/h7_boot_port.h. What stands in for what (docs/bootloader.md, "QEMU port"):
 *
 *   QSPI slot     the board's QSPI region (PSRAM), memory-mapped; tests put an image there with
 *                 `run-qemu.sh --load FILE@ADDR` (QEMU's loader device).
 *   boot_info     the board's BOOT_REQUEST word in the BKPSRAM stand-in: QEMU keeps RAM that no
 *                 image is loaded into across a SYSRESETREQ reset (tests/qemu-boot proves it).
 *   button        the word "button" on the semihosting command line (`-append button`): the
 *                 board model's FPGAIO buttons cannot be pressed from a test.
 *   SDRAM init    simulated: with `-append scrub` the stand-in is filled with 0xA5 when it is
 *                 "initialised" (SDRAM holds anything after its init), as are all load regions
 *                 at reset, so a segment written before the init, or a .bss not zeroed, shows.
 *   status        CMSDK UART0.
 *   recovery      prints the reason and ends QEMU with the reason number as exit status
 *                 (semihosting SYS_EXIT_EXTENDED); the STM32 port enters DFU instead.
 *   benchmark     `-append bench` (with QEMU -icount shift=0): SysTick timestamps at each phase,
 *                 printed before the hand-off instead of the step-by-step output.
 *   HASH unit     none on this board: the STM32H750 driver (ports/stm32h750/hash.c) runs on a
 *                 zeroed RAM block, as the registers of ST's HASH-less STM32H750 lots read;
 *                 it finds the unit absent and the image hash runs in software.
 */
#include <stdint.h>
#include <string.h>

#include "board_map.h"
#include "h7_boot.h"
#include "h7_hash.h"
#include "h7_image.h"
#include "semihost.h"
#include "uart.h"

#ifndef H7_BOOT_MAX_UNCONFIRMED
#define H7_BOOT_MAX_UNCONFIRMED 3
#endif
#ifndef H7_BOOT_WINDOW_MS
#define H7_BOOT_WINDOW_MS 0
#endif

extern const struct h7_board h7_this_board;

/* SysTick, Armv7-M ARM §B3.3: processor clock, 24-bit down counter. */
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)

struct qemu_port {
    bool quiet, bench, scrub;
    uint32_t format;                /* of the image found: 0 raw */
    uint32_t sha_ticks, copy_ticks; /* micro-benchmarks, run before anything is loaded */
    uint32_t feed_ticks;            /* the HASH driver's CPU side (bench_hash_feed) */
    uint32_t stamp[H7_PHASE_REVERIFIED + 1];
};
static struct qemu_port q;

static void put_pad(const char *s, int width)
{
    int n = 0;
    for (; s[n]; n++)
        uart_putc(s[n]);
    for (; n < width; n++)
        uart_putc(' ');
}

static const char *kind_name(uint32_t kind)
{
    return kind == H7_SEG_COPY ? "copy" : kind == H7_SEG_ZERO ? "zero" : "xip ";
}

static const char *phase_name(uint32_t ph)
{
    static const char *const names[] = {"reset", "decided: boot",
                                        "checked in flash: header, segments, commit", "loaded",
                                        "verified: SHA-256 over RAM and XIP matches"};
    return ph < sizeof names / sizeof names[0] ? names[ph] : "?";
}

static void event(void *ctx, const struct h7_boot_event *ev)
{
    (void)ctx;
    if (q.quiet && ev->kind != H7_EV_REFUSED && ev->kind != H7_EV_DETAIL)
        return;
    switch (ev->kind) {
    case H7_EV_PHASE:
        if (ev->a == H7_PHASE_RESET)
            break;
        uart_puts("h7boot: ");
        uart_puts(q.format == 0 && ev->a >= H7_PHASE_VERIFIED && ev->a != H7_PHASE_LOADED
                      ? (ev->a == H7_PHASE_VERIFIED ? "raw image: SP and reset vector checked"
                                                    : "raw image: nothing to re-verify")
                      : phase_name(ev->a));
        uart_puts("\r\n");
        break;
    case H7_EV_IMAGE:
        q.format = ev->a;
        uart_puts("h7boot: slot holds ");
        uart_puts(ev->name);
        uart_puts(ev->a ? " image (format " : " Daisy image (no header, no hash");
        if (ev->a)
            uart_put_dec(ev->a);
        uart_puts("), ");
        uart_put_dec(ev->b);
        uart_puts(" bytes, vector table ");
        uart_put_hex32(ev->c);
        uart_puts("\r\n");
        break;
    case H7_EV_RAM_INIT:
        uart_puts("h7boot: initialised ");
        uart_puts(ev->name);
        uart_puts(" (simulated SDRAM init) at ");
        uart_put_hex32(ev->a);
        uart_puts("\r\n");
        break;
    case H7_EV_SEGMENT:
        uart_puts("h7boot:   ");
        uart_puts(kind_name(ev->c));
        uart_puts(" ");
        uart_put_hex32(ev->a);
        uart_puts(" ");
        uart_put_hex32(ev->b);
        uart_puts(" bytes  -> ");
        uart_puts(ev->name);
        uart_puts("\r\n");
        break;
    case H7_EV_REFUSED:
        uart_puts("h7boot: staying in the bootloader: ");
        uart_puts(ev->name);
        uart_puts(" (reason ");
        uart_put_dec(ev->a);
        if (ev->c != 0xFFFFFFFFu) {
            uart_puts(", segment ");
            uart_put_dec(ev->c);
        }
        if (ev->a >= H7_BOOT_ERR_COMMIT && ev->a != H7_BOOT_ERR_HASH_FLASH &&
            ev->a != H7_BOOT_ERR_HASH_RAM) {
            uart_puts(", address ");
            uart_put_hex32(ev->b);
        }
        uart_puts(")\r\n");
        break;
    case H7_EV_DETAIL:
        uart_puts("h7boot:   check: ");
        uart_puts(ev->name);
        if (ev->b) {
            uart_puts(" (image byte ");
            uart_put_dec(ev->b);
            uart_putc(')');
        }
        uart_puts("\r\n");
        break;
    case H7_EV_HANDOFF:
        uart_puts("h7boot: jump: VTOR ");
        uart_put_hex32(ev->a);
        uart_puts(", MSP ");
        uart_put_hex32(ev->b);
        uart_puts(", reset handler ");
        uart_put_hex32(ev->c);
        uart_puts("\r\n");
        break;
    }
}

static bool button_held(void *ctx)
{
    (void)ctx;
    return semihost_has_arg("button");
}

/* Fill [origin, origin+len) with 0xA5, skipping reserved ranges (the bootloader's own RAM). */
static void scrub(uint32_t origin, uint32_t len)
{
    for (uint32_t a = origin; a < origin + len; a += 4096) {
        if (h7_board_reserved_overlap(&h7_this_board, a, 4096))
            continue;
        memset((void *)(uintptr_t)a, 0xA5, 4096);
    }
}

static int ram_init(void *ctx, const struct h7_region *r)
{
    (void)ctx;
    /* QEMU has no FMC: the PSRAM stand-in is usable at once. With `scrub`, its contents after
     * the "init" are garbage, as real SDRAM's are. */
    if (q.scrub)
        scrub(r->origin, r->length);
    return 0;
}

static void mark(void *ctx, enum h7_boot_phase ph)
{
    (void)ctx;
    q.stamp[ph] = SYST_CVR;
}

/* Ticks for `fn` (SysTick counts down; each measurement is far below one 2^24 wrap). */
static uint32_t ticks(void (*fn)(void))
{
    uint32_t t0 = SYST_CVR;
    fn();
    return (t0 - SYST_CVR) & 0x00FFFFFFu;
}

#define BENCH_BYTES (64u * 1024u)
#define CALIBRATION_LOOPS 100000u

/* 2 instructions per iteration (subs, bne): 200000 instructions. */
static void calibration_loop(void)
{
    uint32_t n = CALIBRATION_LOOPS;
    __asm__ volatile("1: subs %0, %0, #1\n bne 1b" : "+r"(n));
}

static void bench_sha(void)
{
    uint8_t digest[H7_SHA256_SIZE];
    h7_sha256((const void *)H7_SLOT_APP_ORIGIN, BENCH_BYTES, digest);
}

static void bench_copy(void)
{
    /* Slot -> SSRAM23 start, as a copy segment is loaded (the app is not there yet). */
    memcpy((void *)H7_REGION_SSRAM23_ORIGIN, (const void *)H7_SLOT_APP_ORIGIN, BENCH_BYTES);
}

/* The HASH driver's own work per KB (word loads, HASH_DIN stores, DINIS polls) on a stand-in
 * unit whose status reads "ready, digest done" at once (RAM preset): what the CPU spends
 * feeding the STM32H750's unit, without the unit's 66-cycle blocks (which run in parallel). */
static void bench_hash_feed(void)
{
    static uint32_t regs[0x400 / 4], clock;
    static struct h7_hash_unit u;
    const struct h7_sha256_engine *e =
        h7_hash_unit_init(&u, (uintptr_t)regs, (uintptr_t)&clock, 1u << 5);
    regs[0x24 / 4] = 3u; /* HASH_SR: DINIS | DCIS */
    uint8_t digest[H7_SHA256_SIZE];
    if (e->start(e->ctx) == 0) {
        e->feed(e->ctx, (const void *)H7_SLOT_APP_ORIGIN, BENCH_BYTES);
        (void)e->finish(e->ctx, digest);
    }
}

static void put_fixed(uint32_t milli)
{
    uart_put_dec(milli / 1000u);
    uart_putc('.');
    uart_putc((char)('0' + milli / 100u % 10u));
    uart_putc((char)('0' + milli / 10u % 10u));
}

static void print_bench(void)
{
    static const char *const names[] = {"", "decide", "check (flash)", "copy + zero",
                                        "SHA-256 (RAM+XIP)"};
    /* With -icount shift=0 QEMU advances virtual time 1 ns per instruction, so SysTick ticks
     * count instructions; the calibration loop gives the ratio (1000 x instructions/tick). */
    uint32_t cal = ticks(calibration_loop);
    uint32_t per_tick_milli = cal ? (2u * CALIBRATION_LOOPS * 1000u) / cal : 0;
    /* From reset (SysTick at 0) to the core, less the micro-benchmarks run in between. */
    uint32_t total =
        ((0u - q.stamp[H7_PHASE_RESET]) & 0x00FFFFFFu) - q.sha_ticks - q.copy_ticks - q.feed_ticks;
    uart_puts("h7boot bench: calibration: 200000 instructions = ");
    uart_put_dec(cal);
    uart_puts(" SysTick ticks -> ");
    put_fixed(per_tick_milli);
    uart_puts(" instructions per tick\r\n");
    uart_puts("h7boot bench: ");
    put_pad("start-up", 18);
    uart_put_dec((uint32_t)((uint64_t)total * per_tick_milli / 1000u));
    uart_puts(" instructions (reset to the core: .data/.bss, UART, command line)\r\n");
    for (int ph = H7_PHASE_DECIDED; ph <= H7_PHASE_REVERIFIED; ph++) {
        uint32_t t = (q.stamp[ph - 1] - q.stamp[ph]) & 0x00FFFFFFu;
        total += t;
        uart_puts("h7boot bench: ");
        put_pad(names[ph], 18);
        uart_put_dec((uint32_t)((uint64_t)t * per_tick_milli / 1000u));
        uart_puts(" instructions\r\n");
    }
    uart_puts("h7boot bench: ");
    put_pad("total", 18);
    uart_put_dec((uint32_t)((uint64_t)total * per_tick_milli / 1000u));
    uart_puts(" instructions, reset to hand-off\r\n");
    uint32_t sha = q.sha_ticks, cpy = q.copy_ticks;
    uart_puts("h7boot bench: SHA-256 per KB   ");
    uart_put_dec((uint32_t)((uint64_t)sha * per_tick_milli / 1000u / (BENCH_BYTES / 1024u)));
    uart_puts(" instructions (64 KB from the slot)\r\n");
    uart_puts("h7boot bench: copy per KB      ");
    uart_put_dec((uint32_t)((uint64_t)cpy * per_tick_milli / 1000u / (BENCH_BYTES / 1024u)));
    uart_puts(" instructions (64 KB slot -> SSRAM23, memcpy)\r\n");
    uart_puts("h7boot bench: HASH feed per KB ");
    uart_put_dec(
        (uint32_t)((uint64_t)q.feed_ticks * per_tick_milli / 1000u / (BENCH_BYTES / 1024u)));
    uart_puts(" instructions (STM32H750 HASH driver, CPU side, 64 KB)\r\n");
}

static _Noreturn void jump(void *ctx, uint32_t vtor)
{
    (void)ctx;
    if (q.bench)
        print_bench();
    /* No caches or peripherals to clean on this board model beyond the UART, which the app
     * initialises itself; the hand-off stops SysTick. */
    h7_boot_handoff(vtor);
}

static _Noreturn void recovery(void *ctx, enum h7_boot_reason why)
{
    (void)ctx;
    semihost_exit((uint32_t)why);
}

/* The absent HASH unit: registers that read zero (RAM, never written by a working unit) and a
 * stand-in for its RCC enable register. */
static uint32_t absent_hash_regs[0x400 / 4];
static uint32_t absent_hash_clock;
static struct h7_hash_unit hash_unit;

int main(void)
{
    /* SysTick runs since Reset_Handler (startup.c), from 0. */
    if (semihost_has_arg("bench")) {
        /* Before the core runs: the copy's destination is where the app will be loaded. */
        q.sha_ticks = ticks(bench_sha);
        q.copy_ticks = ticks(bench_copy);
        q.feed_ticks = ticks(bench_hash_feed);
    }
    q.bench = semihost_has_arg("bench");
    q.quiet = q.bench;
    q.scrub = semihost_has_arg("scrub");
    if (!q.quiet)
        uart_puts("\r\nh7boot: bootloader on " H7_BOARD_NAME "\r\n");
    if (q.scrub) {
        /* RAM as after a power-up: garbage everywhere the app may land (not the SDRAM stand-in,
         * which the simulated init scrubs). */
        scrub(H7_REGION_SSRAM1_ORIGIN, H7_REGION_SSRAM1_LENGTH);
        scrub(H7_REGION_SSRAM23_ORIGIN, H7_REGION_SSRAM23_LENGTH);
    }

    static const struct h7_boot_config config = {
        .max_unconfirmed = H7_BOOT_MAX_UNCONFIRMED,
        .window_ms = H7_BOOT_WINDOW_MS,
        .raw_region = "SSRAM23",
        .raw_copy_size = 480 * 1024,
    };
    static struct h7_boot_port port = {
        .board = &h7_this_board,
        .slot_map = (const uint8_t *)H7_SLOT_APP_ORIGIN,
        .button_held = button_held,
        .info = (volatile struct h7_boot_info *)H7_WORD_BOOT_REQUEST_ADDR,
        .ram_init = ram_init,
        .event = event,
        .mark = mark,
        .jump = jump,
        .recovery = recovery,
    };
    port.ctx = &q;
    port.slot = h7_board_range(&h7_this_board, H7_RANGE_SLOT, "APP");
    port.sha256 = h7_hash_unit_init(&hash_unit, (uintptr_t)absent_hash_regs,
                                    (uintptr_t)&absent_hash_clock, 1u << 5);
    if (!q.quiet)
        uart_puts(h7_hash_present(&hash_unit)
                      ? "h7boot: SHA-256 on the HASH unit\r\n"
                      : "h7boot: HASH unit absent (registers read 0): SHA-256 in software\r\n");
    h7_boot_run(&port, &config);
}
