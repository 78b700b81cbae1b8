/*
 * A NOR flash (include/h7/flash.h) over RAM: how the QSPI stand-in of the QEMU board is written,
 * since QEMU models no QSPI controller. It keeps the NOR rules the store relies on: erase sets a
 * unit to 0xFF, program only clears bits (old AND new), one program command wraps inside its
 * page. Host-testable: the RAM is any buffer (tests/qemu-boot/test_ram_flash.c).
 */
#ifndef H7_QEMU_RAM_FLASH_H
#define H7_QEMU_RAM_FLASH_H

#include <stdint.h>

#include "h7/flash.h"

struct ram_flash {
    struct h7_flash flash; /* what the store and other users take */
    uint8_t *mem;          /* the RAM holding the flash's bytes */
};

/* A flash of `size` bytes kept in `mem`, appearing at bus address `base` (informative), with
 * the board region's erase and program sizes. Returns &rf->flash. */
const struct h7_flash *ram_flash_init(struct ram_flash *rf, uint8_t *mem, uint32_t base,
                                      uint32_t size, uint32_t erase_size, uint32_t program_size);

#endif
