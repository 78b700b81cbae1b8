/*
 * A deliberately broken app for the ELF check's negative test: a RAM-resident routine that
 * calls a function left in QSPI and reads a constant table from QSPI. check_elf.sh ramfunc
 * must fail on it (the test is registered WILL_FAIL).
 */
#include <stdint.h>

#include "h7_ramfunc.h"

extern uint32_t _estack;
static const uint32_t table_in_qspi[4] = {1, 2, 3, 4};

__attribute__((noinline)) uint32_t helper_in_qspi(uint32_t x)
{
    return x * 3u + 1u;
}

__attribute__((section(".ramfunc"), noinline, used)) uint32_t bad_write_routine(uint32_t i)
{
    return helper_in_qspi(i) + table_in_qspi[i & 3u];
}

_Noreturn void Reset_Handler(void)
{
    volatile uint32_t r = bad_write_routine(1);
    (void)r;
    for (;;) {
    }
}

typedef void (*vector_t)(void);
__attribute__((section(".vectors"), used)) const vector_t bad_vectors[2] = {(vector_t)&_estack,
                                                                           Reset_Handler};
