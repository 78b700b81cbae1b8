/*
 * The example app's vector table and reset handler. Unlike a stand-alone program it copies and
 * zeroes nothing: the bootloader has placed every section (app.ld). Its only set-up is the FPU.
 */
#include <stdint.h>

#include "semihost.h"
#include "uart.h"

extern uint32_t _estack;
_Noreturn void app_main(uint32_t systick_at_entry);

#define SYST_CVR_ADDR 0xE000E018u

/* The first instructions after the hand-off: read the SysTick counter the bootloader left
 * stopped (the boot-cost benchmark's end mark), then C. Naked: no prologue runs before it. */
__attribute__((naked, noreturn)) void Reset_Handler(void)
{
    __asm__ volatile("ldr r0, =%0\n"
                     "ldr r0, [r0]\n"
                     "b app_entry\n"
                     :
                     : "i"(SYST_CVR_ADDR));
}

_Noreturn void app_entry(uint32_t systick_at_entry)
{
    /* CP10/CP11 full access (Armv7-M ARM §B3.2.20): the code is built hard-float. */
    *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20;
    __asm__ volatile("dsb\n isb");
    app_main(systick_at_entry);
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
