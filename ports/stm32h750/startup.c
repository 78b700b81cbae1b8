/*
 * Reset and fault entry of the Daisy Seed bootloader. The vector table goes first in internal
 * flash (boot.ld), where the Cortex-M7 fetches it at reset (BOOT_ADD0 = 0x0800 default option
 * byte, RM0433 §2.6). Only the 16 system vectors exist: every driver here is polled, so no
 * peripheral interrupt is ever enabled. Armv7-M ARM §B1.5.3 (vector table), §B3.2.20 (CPACR).
 */
#include <stdint.h>

#include "h7_port.h"
#include "stm32h750_regs.h"

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;
int main(void);

_Noreturn void Reset_Handler(void)
{
    H7_REG(SCB_CPACR) |= SCB_CPACR_CP10_CP11_FULL; /* FPU: the code is built hard-float */
    __asm__ volatile("dsb 0xF\n isb 0xF" ::: "memory");
    for (uint32_t *s = &_sidata, *d = &_sdata; d < &_edata;)
        *d++ = *s++;
    for (uint32_t *d = &_sbss; d < &_ebss;)
        *d++ = 0;
    main();
    h7_system_reset();
}

/* A fault in the bootloader: blink the error pattern a few seconds, then reset (never brick:
 * the next reset runs the same decision again, and the BOOT button still reaches DFU). */
#define FAULT_BLINK_MS 3000u
#define US_PER_MS 1000u
void Default_Handler(void)
{
    for (uint32_t ms = 0; ms < FAULT_BLINK_MS; ms++) {
        h7_led_set(h7_led_pattern(H7_LED_ERROR, ms));
        h7_delay_us(US_PER_MS);
    }
    h7_system_reset();
}

typedef void (*vector_t)(void);

__attribute__((section(".vectors"), used)) const vector_t h7_vector_table[16] = {
    (vector_t)&_estack, Reset_Handler,   Default_Handler, Default_Handler,
    Default_Handler,    Default_Handler, Default_Handler, 0,
    0,                  0,               0,               Default_Handler,
    Default_Handler,    0,               Default_Handler, Default_Handler,
};
