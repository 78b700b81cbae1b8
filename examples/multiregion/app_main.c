/*
 * The multi-region example app (README.md). It proves on a real Cortex-M7 what the bootloader
 * did: every .data arrived, every .bss is zero (the QEMU bootloader fills RAM with 0xA5 first
 * when run with `-append scrub`), the hot function runs from SSRAM1, the table is read in place
 * from the slot, and where each symbol lives. Then, per the semihosting command line:
 *   (nothing)   confirm itself (boot counter) and exit 0 — or 1 if any check failed
 *   request     leave the "stay in the bootloader" request word and reset the chip
 *   noconfirm   do not confirm, reset the chip (the bootloader gives up after N boots)
 *   store       count this boot in the settings store (h7_store) in the QSPI stand-in's user
 *               area, through a RAM-backed h7_flash; store-file=F also saves the partition to
 *               host file F (the demo reloads it next run: flash survives a power cycle);
 *               store-reboot resets the chip after the first counted boot
 */
#include <stdint.h>

#include "board_map.h"
#include "h7/board.h"
#include "h7_boot_app.h"
#include "h7_store.h"
#include "ram_flash.h"
#include "semihost.h"
#include "uart.h"

extern const struct h7_board h7_this_board;

#define SCB_AIRCR (*(volatile uint32_t *)0xE000ED0Cu)
#define AIRCR_SYSRESETREQ 0x05FA0004u /* VECTKEY | SYSRESETREQ, Armv7-M ARM §B3.2.6 */

/* ---- one object of each kind in each region ---- */

/* SSRAM23 (the "AXI SRAM"): ordinary .data and .bss. */
static uint32_t main_data[4] = {0x0DA7A001u, 0x0DA7A002u, 0x0DA7A003u, 0x0DA7A004u};
static uint32_t main_bss[256];

/* SSRAM1 (the "ITCM"): a hot function, its data and bss. */
__attribute__((section(".fast_data"))) static uint32_t fast_data[4] = {0xFA570001u, 0xFA570002u,
                                                                       0xFA570003u, 0xFA570004u};
__attribute__((section(".bss.fast"))) static uint32_t fast_bss[256];

#ifdef H7_EXAMPLE_BIG
/* The benchmark variant: 415 KB of initialised data; with the 64 KB the XIP table sits at,
 * the image is about 480 KB. */
#define BIG_WORDS (415u * 1024u / 4u)
#define R4(x) x, x + 1, x + 2, x + 3
#define R16(x) R4(x), R4(x + 4), R4(x + 8), R4(x + 12)
#define R64(x) R16(x), R16(x + 16), R16(x + 32), R16(x + 48)
#define R256(x) R64(x), R64(x + 64), R64(x + 128), R64(x + 192)
__attribute__((section(".fast_data"))) static uint32_t big_table[BIG_WORDS] = {R256(1u)};
#endif

__attribute__((section(".fast_text"), noinline)) static uint32_t fast_mix(uint32_t a, uint32_t b)
{
    return (a * 2654435761u) ^ (b + 0x9E3779B9u);
}

/* SDRAM: initialised data (libDaisy has no working DSY_SDRAM_DATA) and a 1 MB buffer. */
__attribute__((section(".sdram_data"))) static uint32_t sdram_data[4] = {0x5D4A0001u, 0x5D4A0002u,
                                                                         0x5D4A0003u, 0x5D4A0004u};
#define SDRAM_BUF_WORDS (1024u * 1024u / 4u)
__attribute__((section(".bss.sdram"))) static uint32_t sdram_buffer[SDRAM_BUF_WORDS];

/* QSPI slot, read in place: a table of squares. */
#define SQ4(x) (x) * (x), (x + 1) * (x + 1), (x + 2) * (x + 2), (x + 3) * (x + 3)
#define SQ16(x) SQ4(x), SQ4(x + 4), SQ4(x + 8), SQ4(x + 12)
__attribute__((section(".qspi_rodata")))
const uint32_t xip_squares[64] = {SQ16(0u), SQ16(16u), SQ16(32u), SQ16(48u)};

/* ---- checks ---- */

static int failures;

static void check(int ok, const char *what)
{
    uart_puts(ok ? "app:   ok    " : "app:   FAIL  ");
    uart_puts(what);
    uart_puts("\r\n");
    failures += !ok;
}

static int words_are(const volatile uint32_t *p, uint32_t n, uint32_t first, uint32_t step)
{
    for (uint32_t i = 0; i < n; i++)
        if (p[i] != first + i * step)
            return 0;
    return 1;
}

static void where(const char *name, const void *addr)
{
    uint32_t a = (uint32_t)(uintptr_t)addr;
    const struct h7_region *r = h7_board_region_at(&h7_this_board, a, 1);
    uart_puts("app:   ");
    uart_puts(name);
    for (int n = (int)__builtin_strlen(name); n < 14; n++)
        uart_putc(' ');
    uart_puts(" at ");
    uart_put_hex32(a);
    uart_puts("  ");
    uart_puts(r ? r->name : "?");
    uart_puts("\r\n");
}

/* ---- the settings store in the QSPI stand-in ---- */

#define STORE_SIZE (64u * 1024u) /* the first 64 KB of the user area */
#define KEY_BOOTS 1u

static uint32_t store_count_boot(void)
{
    static struct ram_flash qspi;
    static struct h7_store st;
    static struct h7_store_entry index[8];
    const struct h7_flash *flash = ram_flash_init(
        &qspi, (uint8_t *)H7_REGION_QSPI_ORIGIN, H7_REGION_QSPI_ORIGIN, H7_REGION_QSPI_LENGTH,
        H7_REGION_QSPI_ERASE_SIZE, H7_REGION_QSPI_PROGRAM_SIZE);
    const struct h7_store_config cfg = {
        .flash = flash,
        .offset = H7_RESERVE_USER_AREA_ORIGIN - H7_REGION_QSPI_ORIGIN,
        .size = STORE_SIZE,
        .unit_size = H7_REGION_QSPI_ERASE_SIZE,
        .index = index,
        .index_capacity = sizeof index / sizeof index[0],
    };
    uint32_t boots = 0, len = 0;
    int rc = h7_store_mount(&st, &cfg);
    if (!rc) {
        rc = h7_store_get(&st, KEY_BOOTS, &boots, sizeof boots, &len);
        if (rc == H7_STORE_ENOENT || len != sizeof boots)
            rc = 0, boots = 0;
    }
    boots++;
    if (!rc)
        rc = h7_store_set(&st, KEY_BOOTS, &boots, sizeof boots);
    check(rc == 0, "settings store mounted and boot count saved in QSPI");
    uart_puts("app: store: boots recorded in the QSPI store: ");
    uart_put_dec(boots);
    uart_puts(boots == 1 ? " (nothing was stored before)\r\n"
                         : " (the count saved by the previous boot survived)\r\n");
    static char path[64];
    if (semihost_arg_value("store-file", path, sizeof path) == 0) {
        int ok = semihost_save(path, (const void *)H7_RESERVE_USER_AREA_ORIGIN, STORE_SIZE) == 0;
        check(ok, "store partition saved to the host file (the flash across a power cycle)");
    }
    return boots;
}

static _Noreturn void reset_chip(void)
{
    __asm__ volatile("dsb" ::: "memory");
    SCB_AIRCR = AIRCR_SYSRESETREQ;
    __asm__ volatile("dsb" ::: "memory");
    for (;;)
        ;
}

_Noreturn void app_main(void)
{
    volatile struct h7_boot_info *boot = (volatile struct h7_boot_info *)H7_WORD_BOOT_REQUEST_ADDR;
    uart_init();
    uart_puts("app: hello from the multi-region example, started by h7boot\r\n");
    uart_puts("app: where my symbols live:\r\n");
    where("app_main()", (void *)app_main);
    where("fast_mix()", (void *)fast_mix);
    where("main_data", main_data);
    where("main_bss", main_bss);
    where("fast_data", fast_data);
    where("sdram_data", sdram_data);
    where("sdram_buffer", sdram_buffer);
    where("xip_squares", xip_squares);
    where("stack", &boot);

    uart_puts("app: checking what the bootloader placed:\r\n");
    check(words_are(main_data, 4, 0x0DA7A001u, 1), ".data copied in SSRAM23");
    check(words_are(main_bss, 256, 0, 0), ".bss zeroed in SSRAM23");
    check(words_are(fast_data, 4, 0xFA570001u, 1), ".fast_data copied in SSRAM1");
    check(words_are(fast_bss, 256, 0, 0), ".fast_bss zeroed in SSRAM1");
    check(words_are(sdram_data, 4, 0x5D4A0001u, 1), ".sdram_data copied in SDRAM");
    check(words_are(sdram_buffer, SDRAM_BUF_WORDS, 0, 0), ".sdram_bss (1 MB) zeroed in SDRAM");
#ifdef H7_EXAMPLE_BIG
    check(words_are(big_table, 256, 1, 1) && big_table[BIG_WORDS - 1] == 0,
          "415 KB table copied in SSRAM1");
#endif
    int squares_ok = 1;
    for (uint32_t i = 0; i < 64; i++)
        squares_ok &= xip_squares[i] == i * i;
    check(squares_ok, "table read in place from the QSPI slot");
    check(fast_mix(1, 2) == ((1u * 2654435761u) ^ (2u + 0x9E3779B9u)),
          "fast_mix() runs from SSRAM1");

    /* Use the buffers, so they are really the app's. */
    for (uint32_t i = 0; i < 256; i++)
        main_bss[i] = fast_bss[i] = sdram_buffer[i] = fast_mix(i, main_data[i % 4]);

    if (semihost_has_arg("store") && store_count_boot() == 1 && semihost_has_arg("store-reboot")) {
        h7_boot_confirm(boot);
        uart_puts("app: resetting: the next boot goes through the bootloader again\r\n");
        reset_chip();
    }

    uint32_t attempts = h7_boot_unconfirmed_attempts(boot);
    uart_puts("app: boot attempts not yet confirmed: ");
    uart_put_dec(attempts);
    uart_puts("\r\n");
    if (semihost_has_arg("request")) {
        uart_puts("app: asking for the bootloader (request word 0xB0074EFA) and resetting\r\n");
        h7_boot_request(boot, H7_BOOT_REQ_STAY);
        reset_chip();
    }
    if (semihost_has_arg("noconfirm")) {
        uart_puts("app: not confirming; resetting\r\n");
        reset_chip();
    }
    h7_boot_confirm(boot);
    uart_puts("app: confirmed\r\n");
    uart_puts(failures ? "app: SOME CHECKS FAILED\r\n" : "app: all checks passed\r\n");
    semihost_exit(failures ? 1u : 0u);
}
