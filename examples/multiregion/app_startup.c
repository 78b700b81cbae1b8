/*
 * The example app's vector table and reset handler. Unlike a stand-alone program it copies and
 * zeroes nothing: the bootloader has placed every section (app.ld). Its only set-up is the FPU.
 */
#include <stdint.h>

#include "semihost.h"
#include "uart.h"

extern uint32_t _estack;
_Noreturn void app_main(void);

_Noreturn void Reset_Handler(void)
{
    /* CP10/CP11 full access (Armv7-M ARM §B3.2.20): the code is built hard-float. */
    *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20;
    __asm__ volatile("dsb\n isb");
    app_main();
}

static _Noreturn void app_fault(void)
{
    uart_init();
    uart_puts("\r\napp: FAULT\r\n");
    semihost_exit(0x7Fu);
}

void HardFault_Handler(void)
{
    app_fault();
}

typedef void (*vector_t)(void);

__attribute__((section(".isr_vector"), used)) const vector_t __isr_vector[16 + 32] = {
    (vector_t)&_estack,
    Reset_Handler,
    app_fault,
    HardFault_Handler,
    app_fault,
    app_fault,
    app_fault,
    0,
    0,
    0,
    0,
    app_fault,
    app_fault,
    0,
    app_fault,
    app_fault,
    [16 ... 47] = app_fault,
};
