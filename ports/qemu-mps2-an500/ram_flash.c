#include "ram_flash.h"

#include <string.h>

static int rf_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
    const struct ram_flash *rf = ctx;
    memcpy(buf, rf->mem + off, len);
    return H7_FLASH_OK;
}

static int rf_program(void *ctx, uint32_t off, const void *buf, uint32_t len)
{
    const struct ram_flash *rf = ctx;
    uint32_t page_size = rf->flash.program_size;
    if (len > page_size || off > rf->flash.size || len > rf->flash.size - off)
        return H7_FLASH_EINVAL;
    uint32_t page = off - off % page_size;
    const uint8_t *src = buf;
    for (uint32_t i = 0; i < len; i++)
        /* NOR: bits only go 1 -> 0; past the page end the address wraps to the page start. */
        rf->mem[page + (off - page + i) % page_size] &= src[i];
    return H7_FLASH_OK;
}

static int rf_erase(void *ctx, uint32_t off, uint32_t size)
{
    const struct ram_flash *rf = ctx;
    if (size != rf->flash.erase_size || off % size || off > rf->flash.size ||
        size > rf->flash.size - off)
        return H7_FLASH_EINVAL;
    memset(rf->mem + off, 0xFF, size);
    return H7_FLASH_OK;
}

static const struct h7_flash_ops ram_flash_ops = {rf_read, rf_program, rf_erase};

const struct h7_flash *ram_flash_init(struct ram_flash *rf, uint8_t *mem, uint32_t base,
                                      uint32_t size, uint32_t erase_size, uint32_t program_size)
{
    rf->mem = mem;
    rf->flash = (struct h7_flash){.ops = &ram_flash_ops,
                                  .ctx = rf,
                                  .base = base,
                                  .size = size,
                                  .erase_size = erase_size,
                                  .program_size = program_size};
    return &rf->flash;
}
