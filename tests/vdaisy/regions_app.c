/*
 * The region scenario's app: a distinct pattern in an initialised section of every RAM the
 * Daisy Seed has, a zeroed section next to each, and a reset handler that runs in place from
 * QSPI. The scenario stops at the reset handler's first instruction and compares each region
 * with the section bytes of this ELF (the bootloader must have placed them; the app copies
 * nothing).
 */
#include <stdint.h>

#define R4(x) (x), (x) + 1u, (x) + 2u, (x) + 3u
#define R16(x) R4(x), R4((x) + 4u), R4((x) + 8u), R4((x) + 12u)
#define R64(x) R16(x), R16((x) + 16u), R16((x) + 32u), R16((x) + 48u)

#define IN(s) __attribute__((section(s), used))
IN(".dtcm_data") uint32_t dtcm_data[64] = {R64(0xD7C00000u)};
IN(".axi_data") uint32_t axi_data[64] = {R64(0xA1100000u)};
IN(".d2_data") uint32_t d2_data[64] = {R64(0xD2000000u)};
IN(".sdram_data") uint32_t sdram_data[64] = {R64(0x5D000000u)};
IN(".bss.itcm") uint32_t itcm_bss[32];
IN(".bss.dtcm") uint32_t dtcm_bss[32];
IN(".bss.axi") uint32_t axi_bss[32];
IN(".bss.d2") uint32_t d2_bss[32];
IN(".bss.sdram") uint32_t sdram_bss[32];

/* Code placed in ITCM by the bootloader. */
IN(".itcm_text") uint32_t itcm_sum(const uint32_t *p, uint32_t n)
{
    uint32_t s = 0;
    while (n--)
        s += *p++;
    return s;
}

extern uint32_t _estack;
volatile uint32_t app_sum;

void Reset_Handler(void)
{
    app_sum = itcm_sum(dtcm_data, 64) + itcm_sum(axi_data, 64) + itcm_sum(sdram_data, 64);
    for (;;) {
    }
}

typedef void (*vector_t)(void);
IN(".vectors") const vector_t app_vector_table[16] = {(vector_t)&_estack, Reset_Handler};
