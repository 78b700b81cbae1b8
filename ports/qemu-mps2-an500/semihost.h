/*
 * Arm semihosting (QEMU -semihosting): how test programs end QEMU with an exit status and reach
 * host files. Operation numbers from the Arm "Semihosting for AArch32 and AArch64" spec.
 */
#ifndef H7_SEMIHOST_H
#define H7_SEMIHOST_H

#include <stdint.h>

/* End the simulation; QEMU exits with `status` (SYS_EXIT_EXTENDED). */
_Noreturn void semihost_exit(uint32_t status);

/* Raw call: operation in r0, argument in r1; returns r0. */
uint32_t semihost_call(uint32_t op, const void *arg);

#endif
