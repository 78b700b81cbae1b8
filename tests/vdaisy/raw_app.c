/* The raw BOOT_SRAM scenario's app: a vector table and a reset handler, nothing else. */
#include <stdint.h>

extern uint32_t _estack;
volatile uint32_t raw_runs;

void Reset_Handler(void)
{
    raw_runs++;
    for (;;) {
    }
}

typedef void (*vector_t)(void);
__attribute__((section(".vectors"), used)) const vector_t raw_vector_table[16] = {
    (vector_t)&_estack, Reset_Handler};
