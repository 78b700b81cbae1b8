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

/*
 * Whoever set up the memory map keeps it. libDaisy's QSPIHandle (BOOT_NONE and BOOT_SRAM apps
 * call its Init) maps the flash with Quad I/O Fast Read, mode byte 0xA0 and "instruction only
 * on the first command": the IS25LP064A then stays in continuous read mode and takes the next
 * transaction's first clocks as an address, not an instruction. A bootloader may map it
 * differently again. So a flash operation remembers the memory-mapped CCR and ABR it finds,
 * takes the flash out of continuous read before any command, and puts the same mapping back.
 */
#define CCR_FMODE_MASK (3u << QSPI_CCR_FMODE_POS)
#define CCR_FMODE_MAPPED (QSPI_FMODE_MEMORY_MAPPED << QSPI_CCR_FMODE_POS) /* RM0433 §23.5.6 */
#define CCR_ABMODE_MASK (3u << QSPI_CCR_ABMODE_POS)
#define CCR_DCYC_MASK (QSPI_DCYC_MAX << QSPI_CCR_DCYC_POS)
#define MODE_BITS_MASK 0xF0u
#define MODE_BITS_CONTINUOUS 0xA0u /* IS25LP064A mode bits M7-M4 = 1010b: continuous read */
#define MODE_BITS_LEAVE 0x00u      /* any other value ends continuous read after this read */
/*
 * Leaving continuous read: one more Quad I/O read as the flash now expects it — no
 * instruction, a 24-bit address on four lines (0: in range, so the QUADSPI sends it; an address
 * beyond DCR.FSIZE would raise TEF and send nothing, RM0433 §23.3.13), mode bits 0x00, the
 * mapping's own dummy cycles, one data byte on four lines, in indirect-read mode (§23.3.6: the
 * write of AR starts it). After it the flash takes instructions again (IS25LP064A datasheet,
 * Fast Read Quad I/O: mode bits other than Axh).
 */
#define CCR_LEAVE_CONTINUOUS                                                                    \
    ((QSPI_LINES_4 << QSPI_CCR_ADMODE_POS) | (QSPI_ADSIZE_24BIT << QSPI_CCR_ADSIZE_POS) |      \
     (QSPI_LINES_4 << QSPI_CCR_ABMODE_POS) | (QSPI_ABSIZE_8BIT << QSPI_CCR_ABSIZE_POS) |       \
     (QSPI_LINES_4 << QSPI_CCR_DMODE_POS) | (QSPI_FMODE_INDIRECT_READ << QSPI_CCR_FMODE_POS))
#define TCF_POLLS_MAX 1000000u /* a 1-byte read takes well under a microsecond */

struct mapping {
    uint32_t ccr, abr;
    bool mapped;
};

H7_INLINE bool continuous_read(uint32_t ccr, uint32_t abr)
{
    return (ccr & CCR_ABMODE_MASK) != 0 && (abr & MODE_BITS_MASK) == MODE_BITS_CONTINUOUS;
}

/* Abort the memory map (RM0433 §23.3.8), then the read above with `ccr`'s dummy cycles. */
static H7_RAMFUNC int leave_continuous_read(uint32_t ccr)
{
    int rc = h7_qspi_indirect();
    if (rc != H7_FLASH_OK)
        return rc;
    H7_REG(QSPI_FCR) = QSPI_FCR_ALL;
    H7_REG(QSPI_DLR) = 0; /* one byte */
    H7_REG(QSPI_ABR) = MODE_BITS_LEAVE;
    H7_REG(QSPI_CCR) = CCR_LEAVE_CONTINUOUS | (ccr & CCR_DCYC_MASK);
    H7_REG(QSPI_AR) = 0;
    for (uint32_t i = 0; i < TCF_POLLS_MAX; i++)
        if (H7_REG(QSPI_SR) & QSPI_SR_TCF) {
            (void)*(volatile uint8_t *)(uintptr_t)QSPI_DR; /* drain the byte */
            H7_REG(QSPI_FCR) = QSPI_FCR_ALL;
            return (H7_REG(QSPI_SR) & QSPI_SR_TEF) ? H7_FLASH_EIO : H7_FLASH_OK;
        }
    return H7_FLASH_EIO;
}

static H7_RAMFUNC int mapping_save(struct mapping *m)
{
    m->ccr = H7_REG(QSPI_CCR);
    m->abr = H7_REG(QSPI_ABR);
    m->mapped = (m->ccr & CCR_FMODE_MASK) == CCR_FMODE_MAPPED;
    if (m->mapped && continuous_read(m->ccr, m->abr))
        return leave_continuous_read(m->ccr);
    return H7_FLASH_OK;
}

/* The driver left its own mapping (mode byte 0x00: not continuous); put the saved one back. */
static H7_RAMFUNC int mapping_restore(const struct mapping *m, int rc)
{
    if (!m->mapped || (H7_REG(QSPI_CCR) == m->ccr && H7_REG(QSPI_ABR) == m->abr))
        return rc;
    uint32_t ccr = H7_REG(QSPI_CCR);
    int back = continuous_read(ccr, H7_REG(QSPI_ABR)) ? leave_continuous_read(ccr)
                                                      : h7_qspi_indirect();
    H7_REG(QSPI_FCR) = QSPI_FCR_ALL;
    H7_REG(QSPI_ABR) = m->abr;
    H7_REG(QSPI_CCR) = m->ccr; /* FMODE = memory-mapped: the map is live again */
    return rc != H7_FLASH_OK ? rc : back;
}

/* A source in QSPI (a const object of an XIP app: the store's own one-byte literal when it
 * retires a unit, an app's const defaults) cannot be read once the QUADSPI leaves memory-mapped
 * mode: it is copied here first, while the map is live. One program command is at most one
 * page. In .bss: RAM in every layout. */
static uint8_t bounce[H7_REGION_QSPI_PROGRAM_SIZE];

static H7_RAMFUNC int app_program(void *ctx, uint32_t off, const void *buf, uint32_t len)
{
    if (in_qspi((uint32_t)(uintptr_t)buf, len)) {
        if (len > sizeof bounce)
            return H7_FLASH_EINVAL;
        const volatile uint8_t *src = (const volatile uint8_t *)buf;
        for (uint32_t i = 0; i < len; i++) /* volatile: stays a loop, never a memcpy call */
            bounce[i] = src[i];
        buf = bounce;
    }
    struct mapping m;
    uint32_t key = enter();
    int rc = mapping_save(&m);
    if (rc == H7_FLASH_OK)
        rc = h7_qspi_program(ctx, off, buf, len);
    rc = mapping_restore(&m, rc);
    /* Lines the CPU may have fetched under the driver's interim mapping go too. */
    h7_dcache_invalidate_inline(H7_REGION_QSPI_ORIGIN + (off & ~(H7_REGION_QSPI_PROGRAM_SIZE - 1u)),
                                H7_REGION_QSPI_PROGRAM_SIZE);
    h7_icache_invalidate_inline();
    leave(key);
    return rc;
}

static H7_RAMFUNC int app_erase(void *ctx, uint32_t off, uint32_t size)
{
    struct mapping m;
    uint32_t key = enter();
    int rc = mapping_save(&m);
    if (rc == H7_FLASH_OK)
        rc = h7_qspi_erase(ctx, off, size);
    rc = mapping_restore(&m, rc);
    h7_dcache_invalidate_inline(H7_REGION_QSPI_ORIGIN + off, size);
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
