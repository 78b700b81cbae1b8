/*
 * Reset and fault handling for programs that start from the reset vector on the QEMU board
 * (the bootloader and stand-alone tests). The vector table is placed first by boot.ld.
 * Armv7-M ARM §B1.5 (exception model) for the table layout, §B3.2.20 for CPACR.
 */
#include <stdint.h>

#include "semihost.h"
#include "uart.h"

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;
int main(void);

/* Exit status a test sees when the CPU took an unexpected exception. */
#define FAULT_EXIT_STATUS 0x7Fu

_Noreturn void Reset_Handler(void)
{
    /* SysTick free-running from the first instructions after reset (processor clock, 24 bits,
     * no interrupt): the bootloader's boot-cost benchmark counts from here (Armv7-M ARM §B3.3). */
    *(volatile uint32_t *)0xE000E014u = 0x00FFFFFFu; /* SYST_RVR */
    *(volatile uint32_t *)0xE000E018u = 0;           /* SYST_CVR */
    *(volatile uint32_t *)0xE000E010u = 0x5u;        /* SYST_CSR: CLKSOURCE | ENABLE */
    /* Enable CP10/CP11 (the FPU): the code is built hard-float. */
    *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20;
    __asm__ volatile("dsb\n isb");
    for (uint32_t *s = &_sidata, *d = &_sdata; d < &_edata;)
        *d++ = *s++;
    for (uint32_t *d = &_sbss; d < &_ebss;)
        *d++ = 0;
    uart_init();
    semihost_exit((uint32_t)main());
}

static _Noreturn void fault(const char *what)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    uart_init();
    uart_puts("\r\nFAULT: ");
    uart_puts(what);
    uart_puts(" (exception ");
    uart_put_dec(ipsr & 0x1FFu);
    uart_puts(")\r\n");
    semihost_exit(FAULT_EXIT_STATUS);
}

void HardFault_Handler(void)
{
    fault("hard fault");
}
void Default_Handler(void)
{
    fault("unexpected exception");
}

typedef void (*vector_t)(void);

__attribute__((section(".vectors"), used)) const vector_t vector_table[16 + 32] = {
    (vector_t)&_estack,
    Reset_Handler,
    Default_Handler,
    HardFault_Handler,
    Default_Handler,
    Default_Handler,
    Default_Handler,
    0,
    0,
    0,
    0,
    Default_Handler,
    Default_Handler,
    0,
    Default_Handler,
    Default_Handler,
    [16 ... 47] = Default_Handler,
};
