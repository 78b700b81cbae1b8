/*
 * A NOR flash (include/h7/flash.h) over a RAM area of the QEMU board: how the QSPI stand-in is
 * written on QEMU, which models no QSPI controller. It keeps the NOR rules the store relies on:
 * erase sets a unit to 0xFF, program only clears bits (old AND new), one program command wraps
 * inside its page.
 */
#ifndef H7_QEMU_RAM_FLASH_H
#define H7_QEMU_RAM_FLASH_H

#include <stdint.h>

#include "h7/flash.h"

/* A flash of `size` bytes at bus address `base`, with the board region's erase and program
 * sizes. The struct must stay valid while the flash is used. */
void ram_flash_init(struct h7_flash *f, uint32_t base, uint32_t size, uint32_t erase_size,
                    uint32_t program_size);

#endif
