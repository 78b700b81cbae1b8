#include "ram_flash.h"

#include <string.h>

static uint8_t *at(void *ctx, uint32_t off)
{
    const struct h7_flash *f = ctx;
    return (uint8_t *)(uintptr_t)(f->base + off);
}

static int rf_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
    memcpy(buf, at(ctx, off), len);
    return H7_FLASH_OK;
}

static int rf_program(void *ctx, uint32_t off, const void *buf, uint32_t len)
{
    const struct h7_flash *f = ctx;
    if (len > f->program_size)
        return H7_FLASH_EINVAL;
    uint32_t page = off - off % f->program_size;
    const uint8_t *src = buf;
    for (uint32_t i = 0; i < len; i++) {
        /* Past the page end the address wraps to the page start (NOR page program). */
        uint32_t o = page + (off - page + i) % f->program_size;
        *at(ctx, o) &= src[i];
    }
    return H7_FLASH_OK;
}

static int rf_erase(void *ctx, uint32_t off, uint32_t size)
{
    const struct h7_flash *f = ctx;
    if (size != f->erase_size || off % size || off > f->size || size > f->size - off)
        return H7_FLASH_EINVAL;
    memset(at(ctx, off), 0xFF, size);
    return H7_FLASH_OK;
}

static const struct h7_flash_ops ram_flash_ops = {rf_read, rf_program, rf_erase};

void ram_flash_init(struct h7_flash *f, uint32_t base, uint32_t size, uint32_t erase_size,
                    uint32_t program_size)
{
    *f = (struct h7_flash){.ops = &ram_flash_ops,
                           .ctx = f,
                           .base = base,
                           .size = size,
                           .erase_size = erase_size,
                           .program_size = program_size};
}
