/*
 * CPU cost of the store on a Cortex-M7 (QEMU MPS2 AN500, `make bench`): the instructions the
 * store's own code executes, which the flash-time figures of bench/store leave out — chiefly
 * the CRC-32 of every record, checked when it is read at mount.
 *
 * Same reference workload as bench/store: a partition of 4 KB units, 32 keys x 32-byte values,
 * 10 000 uniformly random updates (xorshift32, seed 1), then a fresh mount that reads every key
 * back. The "flash" is the board's QSPI stand-in (plain RAM in QEMU, through ram_flash), so what
 * is counted is CPU work only. Run with QEMU -icount shift=0: virtual time then advances 1 ns
 * per executed instruction and SysTick (running since reset, ports/qemu-mps2-an500/startup.c)
 * counts instructions; a loop of known length gives the ratio. Built once per CRC variant
 * (STORE_CPU_VARIANT names it; bench/store_cpu/CMakeLists.txt).
 */
#include <stdint.h>
#include <string.h>

#include "board_map.h"
#include "h7_store.h"
#include "ram_flash.h"
#include "uart.h"

#define SYST_CVR (*(volatile uint32_t *)0xE000E018u) /* Armv7-M ARM §B3.3, 24-bit down */
#define SYST_MASK 0x00FFFFFFu
#define CALIBRATION_LOOPS 100000u /* 2 instructions each: subs, bne */
#define UNIT 4096u
#define KEYS 32u
#define VALUE 32u
#define UPDATES 10000u

static struct h7_store_entry index_mem[KEYS];
static struct ram_flash rf;
static uint32_t milli_per_tick; /* 1000 x instructions per SysTick tick */

static uint32_t instructions_since(uint32_t t0)
{
    uint32_t ticks = (t0 - SYST_CVR) & SYST_MASK; /* every measured step is far below a wrap */
    return (uint32_t)(((uint64_t)ticks * milli_per_tick) / 1000u);
}

static void calibrate(void)
{
    uint32_t n = CALIBRATION_LOOPS, t0 = SYST_CVR;
    __asm__ volatile("1: subs %0, %0, #1\n bne 1b" : "+r"(n));
    uint32_t ticks = (t0 - SYST_CVR) & SYST_MASK;
    milli_per_tick = ticks ? (2u * CALIBRATION_LOOPS * 1000u) / ticks : 0;
}

static uint32_t rng = 1;
static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static void put(const char *label, uint32_t v, const char *unit)
{
    uart_puts(label);
    uart_put_dec(v);
    uart_puts(unit);
}

/* One partition size: the workload, then mount + read all. 0, or 1 on any store error. */
static int run(uint32_t size)
{
    const struct h7_flash *fl = ram_flash_init(&rf, (uint8_t *)(uintptr_t)H7_REGION_QSPI_ORIGIN,
                                               H7_REGION_QSPI_ORIGIN, size, UNIT,
                                               H7_REGION_QSPI_PROGRAM_SIZE);
    for (uint32_t off = 0; off < size; off += UNIT)
        if (fl->ops->erase(fl->ctx, off, UNIT))
            return 1;
    const struct h7_store_config cfg = {.flash = fl, .offset = 0, .size = size, .unit_size = UNIT,
                                        .index = index_mem, .index_capacity = KEYS};
    static struct h7_store st;
    if (h7_store_mount(&st, &cfg))
        return 1;
    rng = 1;
    uint64_t total = 0;
    uint32_t worst = 0;
    for (uint32_t i = 0; i < UPDATES; i++) {
        uint8_t v[VALUE];
        for (uint32_t b = 0; b < VALUE; b += 4) {
            uint32_t r = next();
            memcpy(v + b, &r, 4);
        }
        uint32_t key = next() % KEYS;
        uint32_t t0 = SYST_CVR;
        if (h7_store_set(&st, key, v, VALUE))
            return 1;
        uint32_t n = instructions_since(t0);
        total += n;
        worst = n > worst ? n : worst;
    }
    static struct h7_store again;
    uint32_t t0 = SYST_CVR;
    int rc = h7_store_mount(&again, &cfg);
    for (uint32_t k = 0; rc == 0 && k < KEYS; k++) {
        uint8_t v[VALUE];
        uint32_t len = 0;
        rc = h7_store_get(&again, k, v, sizeof v, &len);
        if (rc == 0 && len != VALUE)
            rc = 1;
    }
    uint32_t mount = instructions_since(t0);
    if (rc)
        return 1;
    uart_puts("store cpu (" STORE_CPU_VARIANT "): ");
    put("", size / 1024u, " KB partition:");
    put(" set mean ", (uint32_t)(total / UPDATES), " instructions,");
    put(" set max ", worst, " (collection included),");
    put(" mount + read all ", mount, " instructions\r\n");
    return 0;
}

int main(void)
{
    calibrate();
    put("store cpu: calibration ", milli_per_tick, " milli-instructions per SysTick tick\r\n");
    if (run(64u * 1024u) || run(1024u * 1024u)) {
        uart_puts("store cpu: a store call failed\r\n");
        return 1;
    }
    return 0;
}
