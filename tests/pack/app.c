/*
 * Test app for `h7boot pack`: one object in each memory a Daisy Seed app uses. Never run; the
 * linker scripts next to it place these sections in different layouts.
 */
#include <stdint.h>

extern const uint32_t big_table[72909];   /* 291,636 bytes, table.S */
extern const uint32_t factory_data[1024]; /* 4 KB, factory.S */
extern uint32_t _estack;
void Reset_Handler(void);

/* ITCM: a hot function (address 0 stays unused: the scripts start it at 0x400). */
__attribute__((section(".itcm_text"), noinline)) uint32_t itcm_mix(uint32_t x)
{
    return x * 2654435761u ^ (x >> 7);
}

uint32_t dtcm_counter = 0x12345678; /* .data */
uint32_t dtcm_scratch[64];          /* .bss */
__attribute__((section(".sdram_bss"))) uint8_t sdram_buffer[16384];

__attribute__((section(".isr_vector"), used)) const uintptr_t g_pfnVectors[16] = {
    (uintptr_t)&_estack,
    (uintptr_t)Reset_Handler,
};

void Reset_Handler(void)
{
    uint32_t acc = dtcm_counter;
    for (unsigned i = 0; i < 72909; i += 997)
        acc = itcm_mix(acc + big_table[i]);
    dtcm_scratch[acc & 63] = acc + factory_data[acc & 1023];
    sdram_buffer[acc & 16383] = (uint8_t)acc;
    for (;;)
        ;
}
