/*
 * Start-up of the example XIP app: the bootloader has already set VTOR, MSP, the 480 MHz clock
 * and memory-mapped QSPI. Copies .ramfunc to ITCM and .data to DTCM, zeroes .bss, runs main.
 * Armv7-M ARM §B1.5.3 (vector table), §B3.2.20 (CPACR).
 */
#include <stdint.h>

#include "h7_port.h"
#include "stm32h750_regs.h"

extern uint32_t _siramfunc, _sramfunc, _eramfunc, _sidata, _sdata, _edata, _sbss, _ebss, _estack;
int main(void);

static void copy(uint32_t *src, uint32_t *dst, uint32_t *end)
{
    while (dst < end)
        *dst++ = *src++;
}

_Noreturn void Reset_Handler(void)
{
    H7_REG(SCB_CPACR) |= SCB_CPACR_CP10_CP11_FULL;
    __asm__ volatile("dsb 0xF\n isb 0xF" ::: "memory");
    copy(&_siramfunc, &_sramfunc, &_eramfunc);
    copy(&_sidata, &_sdata, &_edata);
    for (uint32_t *d = &_sbss; d < &_ebss;)
        *d++ = 0;
    __asm__ volatile("dsb 0xF\n isb 0xF" ::: "memory"); /* new code in ITCM */
    main();
    h7_system_reset();
}

void Default_Handler(void)
{
    h7_system_reset();
}

typedef void (*vector_t)(void);

__attribute__((section(".vectors"), used)) const vector_t app_vector_table[16] = {
    (vector_t)&_estack, Reset_Handler,   Default_Handler, Default_Handler,
    Default_Handler,    Default_Handler, Default_Handler, 0,
    0,                  0,               0,               Default_Handler,
    Default_Handler,    0,               Default_Handler, Default_Handler,
};
