/*
 * h7_app.h — the app runtime for the Daisy Seed (library h7_stm32h750_app): what an application
 * started by h7boot uses to write the QSPI flash it may be executing from, to ask for the
 * bootloader, and to confirm itself.
 *
 * Writing QSPI while executing from it (RM0433 §23.3: the QUADSPI is either memory-mapped or in
 * indirect mode, never both). h7_app_flash's program and erase:
 *   - run entirely from RAM: they and everything they call (the QSPI driver, cache maintenance,
 *     the timebase; no libc or libgcc helpers) are in `.ramfunc`, which the app's linker script
 *     must place in RAM (ITCM recommended) and its startup must copy there. CTest checks this
 *     on the linked example (tests/stm32h750/check_ramfunc.sh);
 *   - mask interrupts at or below a priority threshold with BASEPRI for the duration, so a
 *     higher-priority interrupt whose handler, data and vector table are in RAM (an audio
 *     callback in ITCM, say) keeps running. When the vector table itself is in QSPI (VTOR
 *     inside the QSPI region) every interrupt is masked (PRIMASK) instead: a vector fetch from
 *     QSPI in indirect mode would fault;
 *   - switch the QUADSPI to indirect mode, do the command, wait for the flash (a 4 KB erase
 *     takes ~45 ms typ., 400 ms max: call it only from a place that can wait that long), switch
 *     back to memory-mapped mode and invalidate the D-cache over the changed range and the
 *     whole I-cache;
 *   - copy a source buffer that lies in QSPI (a const object of an XIP app) to RAM first: it
 *     cannot be read while the peripheral is in indirect mode (one command is at most a page);
 *   - leave the memory map as they found it: whoever set it up (libDaisy's QSPIHandle in
 *     BOOT_NONE/BOOT_SRAM apps, a bootloader for BOOT_QSPI apps) keeps its CCR and ABR, and a
 *     flash in continuous read mode (mode byte 0xAx, libDaisy's 0xA0) gets a mode bit reset
 *     before the first command.
 * Reads go through the memory map (no mode switch).
 *
 * Freestanding; needs the generated board_map.h (QSPI region, BOOT_REQUEST word).
 */
#ifndef H7_APP_H
#define H7_APP_H

#include <stdint.h>

#include "h7/flash.h"

/* Tell the runtime the CPU clock (the bootloader leaves 480 MHz) and start the cycle counter
 * its timeouts use. Call once at start-up. */
void h7_app_init(uint32_t cpu_hz);

/* The QSPI flash, safe to program and erase while executing from it (see above). */
extern const struct h7_flash h7_app_flash;

/* Interrupt priorities numerically >= this value (as written to NVIC_IPR, upper bits) are held
 * off during a flash operation; lower values (more urgent) keep running and must be RAM-only.
 * Default 0x10: only priority-0 interrupts run. 0 masks every interrupt (PRIMASK). */
void h7_app_flash_set_mask_priority(uint8_t basepri);

/* Reset into the bootloader and stay there (DFU): writes libDaisy's request value
 * 0xB0074EFA (BootInfo INF_TIMEOUT) to the boot_info status word in backup SRAM. */
_Noreturn void h7_reset_to_bootloader(void);

/* "This image started fine": clears the boot attempt counter the bootloader keeps. */
void h7_app_confirm(void);

#endif /* H7_APP_H */
