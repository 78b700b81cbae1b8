/*
 * The hand-off to the application on an Armv7-M core (Cortex-M7).
 *
 * The app must start as if from reset, with nothing of the bootloader left running:
 *  - PRIMASK set while the state changes, so nothing fires half-way;
 *  - every NVIC interrupt disabled and its pending bit cleared (ICER/ICPR, Armv7-M ARM
 *    §B3.4.4–B3.4.7), SysTick stopped and its pending bit cleared (§B3.3.3, ICSR.PENDSTCLR);
 *  - VTOR = the app's vector table (§B3.2.5), MSP = its word 0, then a branch to word 1.
 * PRIMASK is cleared again just before the branch: on a real reset it is 0, and apps (libDaisy,
 * CMSIS startup) expect interrupts enabled once they enable them in the NVIC.
 * Called by the port's jump after its own clean-up (caches, peripherals).
 */
#include <stdint.h>

#include "h7_boot_port.h"

#define NVIC_ICER ((volatile uint32_t *)0xE000E180u)
#define NVIC_ICPR ((volatile uint32_t *)0xE000E280u)
#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SCB_ICSR (*(volatile uint32_t *)0xE000ED04u)
#define SCB_VTOR (*(volatile uint32_t *)0xE000ED08u)
#define ICSR_PENDSTCLR (1u << 25)
#define NVIC_WORDS 8 /* 240 interrupts max on Armv7-M; the H750 has 150 */

_Noreturn void h7_boot_handoff(uint32_t vtor)
{
    __asm__ volatile("cpsid i" ::: "memory");
    SYST_CSR = 0;
    SCB_ICSR = ICSR_PENDSTCLR;
    for (int i = 0; i < NVIC_WORDS; i++) {
        NVIC_ICER[i] = 0xFFFFFFFFu;
        NVIC_ICPR[i] = 0xFFFFFFFFu;
    }
    SCB_VTOR = vtor;
    __asm__ volatile("dsb\n isb" ::: "memory");
    const volatile uint32_t *vt = (const volatile uint32_t *)(uintptr_t)vtor;
    uint32_t sp = vt[0], pc = vt[1];
    /* After MSP changes no C code may run (locals may live on the old stack): set MSP, enable
     * interrupts and branch in one asm block. */
    __asm__ volatile("msr msp, %0\n"
                     "cpsie i\n"
                     "bx %1\n"
                     :
                     : "r"(sp), "r"(pc)
                     : "memory");
    __builtin_unreachable();
}
