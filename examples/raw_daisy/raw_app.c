/*
 * A raw Daisy-style app (no h7boot header): what libDaisy's BOOT_SRAM / BOOT_QSPI builds look
 * like to a bootloader — a vector table first and a startup that copies its own .data and
 * zeroes its own .bss. It prints where it runs and exits 0 through semihosting.
 */
#include <stdint.h>

#include "h7/board.h"
#include "semihost.h"
#include "uart.h"

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;
extern const struct h7_board h7_this_board;

static uint32_t initialised = 0xDA15B00Du;
static uint32_t zeroed[64];

static int main_checks(void)
{
    uint32_t vtor = *(volatile uint32_t *)0xE000ED08u;
    const struct h7_region *r = h7_board_region_at(&h7_this_board, vtor, 4);
    uart_init();
    uart_puts("raw app: running, vector table at ");
    uart_put_hex32(vtor);
    uart_puts(" (");
    uart_puts(r ? r->name : "?");
    uart_puts("), code at ");
    uart_put_hex32((uint32_t)(uintptr_t)main_checks);
    uart_puts("\r\n");
    int bad = initialised != 0xDA15B00Du;
    for (int i = 0; i < 64; i++)
        bad |= zeroed[i] != 0;
    uart_puts(bad ? "raw app: data/bss WRONG\r\n" : "raw app: data and bss ok\r\n");
    return bad;
}

_Noreturn void Reset_Handler(void)
{
    *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20;
    __asm__ volatile("dsb\n isb");
    for (uint32_t *s = &_sidata, *d = &_sdata; d < &_edata;)
        *d++ = *s++;
    for (uint32_t *d = &_sbss; d < &_ebss;)
        *d++ = 0;
    semihost_exit((uint32_t)main_checks());
}

static void fault(void)
{
    uart_init();
    uart_puts("\r\nraw app: FAULT\r\n");
    semihost_exit(0x7Fu);
}

typedef void (*vector_t)(void);
__attribute__((section(".isr_vector"), used)) const vector_t __isr_vector[16] = {
    (vector_t)&_estack,
    Reset_Handler,
    fault,
    fault,
    fault,
    fault,
    fault,
    0,
    0,
    0,
    0,
    fault,
    fault,
    0,
    fault,
    fault,
};
