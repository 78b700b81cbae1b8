/*
 * RCC_PLLCKSELR is checked per field (RM0433 §8.7.11): PLLSRC may change only while all three
 * PLLs are off, DIVMx only while PLLx is off. A bare program turns PLL1 on (from HSI, the reset
 * source and prescaler: 64 MHz / 32 = 2 MHz, VCO 258 MHz) and then writes PLLCKSELR three
 * times: DIVM3 of the stopped PLL3 (legal: must take), DIVM1 of the running PLL1 and PLLSRC
 * (each refused: a violation, the field keeps its value, the rest of the write takes).
 * The verdict goes to vd_result (0x600D or the number of the step that failed).
 */
#include <stdint.h>

#define REG(a) (*(volatile uint32_t *)(a))
#define RCC_CR 0x58024400u
#define RCC_PLLCKSELR 0x58024428u
#define PLL1ON (1u << 24)
#define PLL1RDY (1u << 25)
#define DIVM1(v) ((uint32_t)(v) << 4)
#define DIVM3(v) ((uint32_t)(v) << 20)
#define DIVM1_MASK DIVM1(0x3Fu)
#define DIVM3_MASK DIVM3(0x3Fu)
#define PASS 0x600Du

extern uint32_t _estack;
volatile uint32_t vd_result;

__attribute__((noinline, used)) void test_done(void)
{
    for (;;) {
    }
}

static uint32_t run(void)
{
    REG(RCC_CR) |= PLL1ON;
    for (uint32_t n = 0; !(REG(RCC_CR) & PLL1RDY); n++)
        if (n > 1000000u)
            return 1;
    uint32_t before = REG(RCC_PLLCKSELR);
    /* 1: DIVM3 of the stopped PLL3, PLLSRC and DIVM1 unchanged (HAL_RCCEx_PeriphCLKConfig). */
    uint32_t want = (before & ~DIVM3_MASK) | DIVM3(6);
    REG(RCC_PLLCKSELR) = want;
    if (REG(RCC_PLLCKSELR) != want)
        return 2;
    /* 2: DIVM1 of the running PLL1 (and DIVM3 back to 32): DIVM1 kept, DIVM3 taken. */
    REG(RCC_PLLCKSELR) = (want & ~(DIVM1_MASK | DIVM3_MASK)) | DIVM1(16) | DIVM3(32);
    if (REG(RCC_PLLCKSELR) != ((want & ~DIVM3_MASK) | DIVM3(32)))
        return 3;
    /* 3: PLLSRC HSI -> HSE while PLL1 runs: kept. */
    uint32_t now = REG(RCC_PLLCKSELR);
    REG(RCC_PLLCKSELR) = (now & ~3u) | 2u;
    if (REG(RCC_PLLCKSELR) != now)
        return 4;
    return PASS;
}

void Reset_Handler(void)
{
    vd_result = run();
    test_done();
}

typedef void (*vector_t)(void);
__attribute__((section(".vectors"), used)) const vector_t vectors[16] = {
    (vector_t)&_estack, Reset_Handler,
};
