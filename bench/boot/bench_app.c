/*
 * The boot-cost benchmark's apps (bench/boot/CMakeLists.txt): the multi-region example's vector
 * table, start-up and linker script with a payload of a chosen size instead of its checks, so
 * the benchmark times the bootloader on images of 64 KB (copied to RAM) and of several MB (XIP,
 * hashed in place in the slot). The app proves it ran and that its payload is there.
 */
#include <stdint.h>

#include "semihost.h"
#include "uart.h"

#ifndef BENCH_COPY_BYTES
#define BENCH_COPY_BYTES 0
#endif
#ifndef BENCH_XIP_BYTES
#define BENCH_XIP_BYTES 0
#endif

#if BENCH_COPY_BYTES
/* Initialised data: copied into RAM with the code (.rodata, app.ld). */
__attribute__((used)) static const uint8_t copied[BENCH_COPY_BYTES] = {1, 2, 3, 4};
#endif
#if BENCH_XIP_BYTES
/* Read in place in the slot: hashed where it is, never copied (.qspi_rodata, app.ld). */
__attribute__((used, section(".qspi_rodata"))) static const uint8_t xip[BENCH_XIP_BYTES] = {5, 6, 7};
#endif

_Noreturn void app_main(void)
{
    uart_init();
    int ok = 1;
#if BENCH_COPY_BYTES
    ok &= ((const volatile uint8_t *)copied)[3] == 4;
#endif
#if BENCH_XIP_BYTES
    ok &= ((const volatile uint8_t *)xip)[2] == 7;
#endif
    uart_puts(ok ? "app: all checks passed\r\n" : "app: FAIL: payload\r\n");
    semihost_exit(ok ? 0 : 1);
}
