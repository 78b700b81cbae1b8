/*
 * Arm semihosting (QEMU -semihosting): how test programs end QEMU with an exit status and reach
 * host files. Operation numbers from the Arm "Semihosting for AArch32 and AArch64" spec.
 */
#ifndef H7_SEMIHOST_H
#define H7_SEMIHOST_H

#include <stdint.h>

/* End the simulation; QEMU exits with `status` (SYS_EXIT_EXTENDED). */
_Noreturn void semihost_exit(uint32_t status);

/*
 * The command line QEMU passes to the program (SYS_GET_CMDLINE): "-append TEXT" after the
 * kernel's file name. Copies at most len-1 bytes and a NUL; returns 0 or -1.
 */
int semihost_cmdline(char *buf, uint32_t len);

/* True when `word` appears as a whole word in the command line. The QEMU tests use this in
 * place of inputs the board model lacks (the BOOT button, test switches). */
int semihost_has_arg(const char *word);

/* Write len bytes at buf to the host file `path` (created or truncated): how the demo keeps the
 * QSPI stand-in's contents across QEMU runs, as flash keeps them across a power cycle.
 * Returns 0 or -1. */
int semihost_save(const char *path, const void *buf, uint32_t len);

/* The value of `name=VALUE` on the command line, copied into buf (NUL-terminated); 0 or -1. */
int semihost_arg_value(const char *name, char *buf, uint32_t len);

/* Raw call: operation in r0, argument in r1; returns r0. */
uint32_t semihost_call(uint32_t op, const void *arg);

#endif
