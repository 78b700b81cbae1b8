/*
 * h7_daisy_flash.h — the flash h7::PersistentStorage keeps libDaisy apps' settings in.
 *
 * On the Daisy Seed (daisy_flash.c, libraries h7_daisy / h7_daisy_xip): the QSPI flash through
 * the app runtime (ports/stm32h750/app/h7_app.h), safe to write in BOOT_NONE, BOOT_SRAM and
 * BOOT_QSPI apps. Host tests define their own (a NOR simulator).
 */
#ifndef H7_DAISY_FLASH_H
#define H7_DAISY_FLASH_H

#include "h7/flash.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The flash, ready for reads, programs and erases; NULL when it cannot be made ready. */
const struct h7_flash *h7_daisy_flash(void);

/* Flash bytes [*start, *end) that settings must never be written to: the running app's own
 * image in the app slot (BOOT_SRAM, BOOT_QSPI); *start == *end when there is none. */
void h7_daisy_flash_reserved(uint32_t *start, uint32_t *end);

#ifdef __cplusplus
}
#endif

#endif /* H7_DAISY_FLASH_H */
