/*
 * h7_ramfunc.h — where the flash-writing code lives.
 *
 * The bootloader runs from internal flash, so its QSPI driver is ordinary code. An app that
 * executes in place from QSPI cannot fetch a single instruction from QSPI while the QUADSPI is
 * in indirect mode (erase/program), so the app runtime builds the same driver with
 * H7_FLASH_CODE_IN_RAM defined: every function marked H7_RAMFUNC then goes to `.ramfunc`, which
 * the app's linker script places in RAM (ITCM) and its startup copies there. tools/ and
 * tests/stm32h750/check_ramfunc.sh verify in the linked ELF that the whole call graph of the
 * write routine lies outside QSPI.
 *
 * Rules for H7_RAMFUNC code: no calls to non-H7_RAMFUNC functions (helpers are static inline
 * with always_inline), no `const` tables (they would land in .rodata, in QSPI), no 64-bit
 * division (libgcc), and the file is built with -fno-tree-loop-distribute-patterns so that
 * no loop becomes a memcpy/memset call.
 */
#ifndef H7_RAMFUNC_H
#define H7_RAMFUNC_H

#ifdef H7_FLASH_CODE_IN_RAM
#define H7_RAMFUNC __attribute__((section(".ramfunc"), noinline, used))
#else
#define H7_RAMFUNC
#endif

#define H7_INLINE static inline __attribute__((always_inline))

#endif /* H7_RAMFUNC_H */
