/*
 * h7/flash.h — the one NOR flash interface of h7boot.
 *
 * Every part that writes flash (the store, the DFU backend, the bootloader's image reader)
 * talks to a `struct h7_flash`; every port provides one: the QUADSPI driver on the STM32H750,
 * a RAM area on QEMU, and the NOR flash simulator on the host (ports/host/nor_sim/nor_sim.h), which
 * adds power cuts and the timing model.
 *
 * NOR rules the interface exposes rather than hides (facts: ../shared/facts/qspi-nor-flash.md):
 *  - erase sets every byte of an erase unit to 0xFF;
 *  - program can only clear bits: the result is old AND new;
 *  - one program command covers at most one program page and WRAPS inside the page if it runs
 *    past the page end. `ops->program` is that raw command; use h7_flash_program(), which
 *    splits at page boundaries, unless you want the raw behaviour.
 *
 * Addresses are byte offsets from the start of the device (0 .. size-1), not bus addresses;
 * `base` says where the device appears in the memory map (0x90000000 for the Daisy's QSPI).
 *
 * Freestanding: usable in the bootloader.
 */
#ifndef H7_FLASH_H
#define H7_FLASH_H

#include <stdint.h>

/* Results of flash operations: 0 on success, else one of these (negative). */
enum h7_flash_err {
    H7_FLASH_OK = 0,
    H7_FLASH_EIO = -1,    /* the device reported an error or timed out */
    H7_FLASH_EINVAL = -2, /* misaligned or out-of-range request */
    H7_FLASH_EPOWER = -3, /* simulator only: power was cut; nothing more reaches the flash */
};

struct h7_flash_ops {
    /* Read len bytes at offset off into buf. */
    int (*read)(void *ctx, uint32_t off, void *buf, uint32_t len);
    /* One raw page-program command: len <= program_size; bytes past the page end wrap to the
     * page start (NOR behaviour). */
    int (*program)(void *ctx, uint32_t off, const void *buf, uint32_t len);
    /* Erase one unit of `size` bytes at off; size is erase_size or erase_size_large and off
     * is aligned to it. */
    int (*erase)(void *ctx, uint32_t off, uint32_t size);
};

struct h7_flash {
    const struct h7_flash_ops *ops;
    void *ctx;
    uint32_t base;             /* bus address of offset 0 (informative) */
    uint32_t size;             /* bytes */
    uint32_t erase_size;       /* smallest erase unit (e.g. 4096) */
    uint32_t erase_size_large; /* a faster larger erase unit (e.g. 65536), or 0 */
    uint32_t program_size;     /* program page (e.g. 256) */
};

static inline int h7_flash_read(const struct h7_flash *f, uint32_t off, void *buf, uint32_t len)
{
    if (off > f->size || len > f->size - off)
        return H7_FLASH_EINVAL;
    return len ? f->ops->read(f->ctx, off, buf, len) : H7_FLASH_OK;
}

/* Program any length, split into page-program commands at page boundaries. */
static inline int h7_flash_program(const struct h7_flash *f, uint32_t off, const void *buf,
                                   uint32_t len)
{
    const uint8_t *p = (const uint8_t *)buf;
    if (off > f->size || len > f->size - off)
        return H7_FLASH_EINVAL;
    while (len) {
        uint32_t room = f->program_size - (off % f->program_size);
        uint32_t n = len < room ? len : room;
        int rc = f->ops->program(f->ctx, off, p, n);
        if (rc)
            return rc;
        off += n;
        p += n;
        len -= n;
    }
    return H7_FLASH_OK;
}

/* Erase [off, off+len), both aligned to erase_size, using large units where they fit. */
static inline int h7_flash_erase(const struct h7_flash *f, uint32_t off, uint32_t len)
{
    if (off % f->erase_size || len % f->erase_size || off > f->size || len > f->size - off)
        return H7_FLASH_EINVAL;
    while (len) {
        uint32_t big = f->erase_size_large;
        uint32_t unit = (big && off % big == 0 && len >= big) ? big : f->erase_size;
        int rc = f->ops->erase(f->ctx, off, unit);
        if (rc)
            return rc;
        off += unit;
        len -= unit;
    }
    return H7_FLASH_OK;
}

#endif /* H7_FLASH_H */
