/*
 * h7_boot_app.h — the application's side of the bootloader contract (header only).
 *
 *   h7_boot_confirm(info)         "I started fine": clears the boot attempt counter, so the
 *                                 bootloader keeps booting this image. Call it once the app
 *                                 is known good (after its own self-test), every boot.
 *   h7_boot_request(info, how)    leave a request word for the next reset (then reset the
 *                                 chip, e.g. SCB AIRCR.SYSRESETREQ): H7_BOOT_REQ_STAY keeps
 *                                 the bootloader (DFU), H7_BOOT_REQ_SKIP_WINDOW boots again
 *                                 without the optional window.
 *
 * `info` is the retained block at the board's BOOT_REQUEST word (firmware:
 * H7_WORD_BOOT_REQUEST_ADDR from board_map.h). libDaisy apps need none of this for requests:
 * System::ResetToBootloader(DAISY_INFINITE_TIMEOUT) writes the same word.
 */
#ifndef H7_BOOT_APP_H
#define H7_BOOT_APP_H

#include "h7_boot_port.h"

static inline void h7_boot_confirm(volatile struct h7_boot_info *info)
{
    info->data = H7_BOOT_COUNT_TAG; /* tag, zero attempts */
}

static inline uint32_t h7_boot_unconfirmed_attempts(const volatile struct h7_boot_info *info)
{
    uint32_t d = info->data;
    return (d & H7_BOOT_COUNT_TAG_MASK) == H7_BOOT_COUNT_TAG ? d & H7_BOOT_COUNT_MASK : 0;
}

static inline void h7_boot_request(volatile struct h7_boot_info *info, uint32_t how)
{
    info->status = how;
}

#endif /* H7_BOOT_APP_H */
