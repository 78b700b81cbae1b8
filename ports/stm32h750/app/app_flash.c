/*
 * Writing the QSPI flash from an app that executes from it (contract in h7_app.h).
 * Every function here is RAM-resident (H7_RAMFUNC); the QSPI driver they call is qspi.c built
 * with H7_FLASH_CODE_IN_RAM (see CMakeLists.txt).
 */
#include "board_map.h"
#include "h7_app.h"
#include "h7_cache.h"
#include "h7_port.h"

#define BASEPRI_DEFAULT 0x10u

/* In .data (RAM): read inside the critical section. */
static uint8_t mask_priority = BASEPRI_DEFAULT;

void h7_app_flash_set_mask_priority(uint8_t basepri)
{
    mask_priority = basepri;
}

H7_INLINE bool in_qspi(uint32_t addr, uint32_t len)
{
    return addr < H7_REGION_QSPI_ORIGIN + H7_REGION_QSPI_LENGTH &&
           addr + len > H7_REGION_QSPI_ORIGIN;
}

/* Mask what must not run while QSPI is unreadable; returns what to restore. Bit 31 marks a
 * PRIMASK key. Armv7-M ARM §B5.2.3 (MSR BASEPRI_MAX), §B1.4.3 (PRIMASK). */
#define KEY_PRIMASK 0x80000000u
H7_INLINE uint32_t enter(void)
{
    uint32_t key;
    uint32_t vtor = H7_REG(SCB_VTOR);
    if (mask_priority == 0 || in_qspi(vtor, 4)) {
        __asm__ volatile("mrs %0, primask\n cpsid i" : "=r"(key)::"memory");
        return key | KEY_PRIMASK;
    }
    __asm__ volatile("mrs %0, basepri" : "=r"(key));
    __asm__ volatile("msr basepri_max, %0\n isb 0xF" ::"r"((uint32_t)mask_priority) : "memory");
    return key;
}

H7_INLINE void leave(uint32_t key)
{
    if (key & KEY_PRIMASK) {
        if (!(key & 1u))
            __asm__ volatile("cpsie i" ::: "memory");
        return;
    }
    __asm__ volatile("msr basepri, %0\n isb 0xF" ::"r"(key) : "memory");
}

static H7_RAMFUNC int app_program(void *ctx, uint32_t off, const void *buf, uint32_t len)
{
    if (in_qspi((uint32_t)(uintptr_t)buf, len))
        return H7_FLASH_EINVAL;
    uint32_t key = enter();
    int rc = h7_qspi_program(ctx, off, buf, len);
    h7_icache_invalidate_inline();
    leave(key);
    return rc;
}

static H7_RAMFUNC int app_erase(void *ctx, uint32_t off, uint32_t size)
{
    uint32_t key = enter();
    int rc = h7_qspi_erase(ctx, off, size);
    h7_icache_invalidate_inline();
    leave(key);
    return rc;
}

static H7_RAMFUNC int app_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
    return h7_qspi_read(ctx, off, buf, len);
}

/* Both in .data: the store reads them through h7_flash_* while QSPI is memory-mapped, but the
 * ops table is also dereferenced from RAM code paths, so keep it out of QSPI. */
static struct h7_flash_ops app_ops = {
    .read = app_read,
    .program = app_program,
    .erase = app_erase,
};

const struct h7_flash h7_app_flash = {
    .ops = &app_ops,
    .ctx = 0,
    .base = H7_REGION_QSPI_ORIGIN,
    .size = H7_REGION_QSPI_LENGTH,
    .erase_size = H7_REGION_QSPI_ERASE_SIZE,
    .erase_size_large = 0x10000u, /* IS25LP064A 64 KB block erase */
    .program_size = H7_REGION_QSPI_PROGRAM_SIZE,
};
