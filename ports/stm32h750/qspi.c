/*
 * QUADSPI driver for the Daisy Seed's IS25LP064A, exposed as the h7boot NOR flash interface.
 * Follows RM0433 §23.3 (QUADSPI functional description): §23.3.6 indirect mode, §23.3.8
 * memory-mapped mode, §23.3.12 configuration; registers §23.5.
 *
 * The peripheral lives in one of two states: memory-mapped (the flash readable and executable at
 * the QSPI region's origin) or indirect (commands). Every operation of h7_qspi_flash leaves it
 * memory-mapped again and invalidates the D-cache over what changed, so cached reads through
 * the map never return stale bytes.
 *
 * Everything marked H7_RAMFUNC runs from RAM in the app runtime build (h7_ramfunc.h).
 */
#include "board_map.h"
#include "h7_cache.h"
#include "h7_calc.h"
#include "h7_port.h"
#include "is25lp064a.h"

#define QSPI_DR8 (*(volatile uint8_t *)(uintptr_t)QSPI_DR)
#define QSPI_CSHT_2_CYCLES 1u /* nCS high at least 2 clocks between commands */
#define CYCLES_PER_US_MIN 1u

/* Daisy Seed QUADSPI pins (libDaisy src/per/qspi.cpp, STM32H750 datasheet AF table). */
#define QSPI_PINS_F_AF9 ((1u << 10))              /* PF10 CLK */
#define QSPI_PINS_F_AF10 ((1u << 8) | (1u << 9))  /* PF8 IO0, PF9 IO1 */
#define QSPI_PINS_F_IO23 ((1u << 6) | (1u << 7))  /* PF6 IO3, PF7 IO2: AF9 */
#define QSPI_PIN_G_NCS (1u << 6)                  /* PG6 nCS: AF10 */
#define QSPI_AF9 9u
#define QSPI_AF10 10u
#define QSPI_PIN_IO2 7u
#define QSPI_PIN_IO3 6u

/* Command words (H7_QSPI_CCR: instruction, imode, admode, adsize, abmode, absize, dummy,
 * dmode, fmode, sioo). All single-line except the memory-mapped quad read. */
#define CCR_SIMPLE(cmd)                                                                         \
    H7_QSPI_CCR(cmd, QSPI_LINES_1, 0, 0, 0, 0, 0, 0, QSPI_FMODE_INDIRECT_WRITE, 0)
#define CCR_READ_STATUS                                                                         \
    H7_QSPI_CCR(IS25_CMD_READ_STATUS, QSPI_LINES_1, 0, 0, 0, 0, 0, QSPI_LINES_1,                \
                QSPI_FMODE_INDIRECT_READ, 0)
#define CCR_WRITE_1BYTE(cmd)                                                                    \
    H7_QSPI_CCR(cmd, QSPI_LINES_1, 0, 0, 0, 0, 0, QSPI_LINES_1, QSPI_FMODE_INDIRECT_WRITE, 0)
#define CCR_ADDRESS_ONLY(cmd)                                                                   \
    H7_QSPI_CCR(cmd, QSPI_LINES_1, QSPI_LINES_1, QSPI_ADSIZE_24BIT, 0, 0, 0, 0,                \
                QSPI_FMODE_INDIRECT_WRITE, 0)
#define CCR_PAGE_PROGRAM                                                                        \
    H7_QSPI_CCR(IS25_CMD_PAGE_PROGRAM, QSPI_LINES_1, QSPI_LINES_1, QSPI_ADSIZE_24BIT, 0, 0, 0,  \
                QSPI_LINES_1, QSPI_FMODE_INDIRECT_WRITE, 0)
#define CCR_MEMORY_MAPPED                                                                       \
    H7_QSPI_CCR(IS25_CMD_QUAD_IO_READ, QSPI_LINES_1, QSPI_LINES_4, QSPI_ADSIZE_24BIT,           \
                QSPI_LINES_4, QSPI_ABSIZE_8BIT, IS25_QUAD_READ_DUMMY, QSPI_LINES_4,            \
                QSPI_FMODE_MEMORY_MAPPED, 0)
/* "Mode bit reset": no instruction, a 32-bit all-ones address on 4 lines = 8 clocks with every
 * IO high. A flash left in continuous-read (0xAx) mode by an earlier program (libDaisy uses
 * mode byte 0xA0) reads it as address + mode byte 0xFF and leaves that mode; one in normal SPI
 * mode reads instruction FFh (mode bit reset, a no-op). RM0433 §23.5.3 TEF: in indirect mode
 * an address beyond 2^(FSIZE+1) is refused and nothing is sent, so DCR.FSIZE says 4 GB
 * (FSIZE_ALL) for this one command (issue 12 item 1). */
#define QSPI_FSIZE_ALL 31u
#define QSPI_ADSIZE_32BIT 3u
#define CCR_MODE_BIT_RESET                                                                      \
    H7_QSPI_CCR(0, QSPI_LINES_NONE, QSPI_LINES_4, QSPI_ADSIZE_32BIT, 0, 0, 0, 0,               \
                QSPI_FMODE_INDIRECT_WRITE, 0)
#define ALL_ONES 0xFFFFFFFFu

H7_INLINE uint32_t us_since(uint32_t start)
{
    uint32_t per_us = h7_cpu_hz / 1000000u;
    return (h7_cycles_inline() - start) / (per_us ? per_us : CYCLES_PER_US_MIN);
}

/* Wait until all bits of `mask` are set in register `reg` (want_set) or clear. */
static H7_RAMFUNC int qspi_wait(uint32_t reg, uint32_t mask, bool want_set, uint32_t timeout_us)
{
    uint32_t t0 = h7_cycles_inline();
    while (((H7_REG(reg) & mask) == mask) != want_set)
        if (us_since(t0) > timeout_us)
            return H7_FLASH_EIO;
    return H7_FLASH_OK;
}

/* Wait for the end of an indirect command: TCF, or TEF (RM0433 §23.5.3: an address beyond
 * DCR.FSIZE; the command was not sent and TCF may never come). */
static H7_RAMFUNC int qspi_wait_done(uint32_t timeout_us)
{
    uint32_t t0 = h7_cycles_inline();
    for (;;) {
        uint32_t sr = H7_REG(QSPI_SR);
        if (sr & QSPI_SR_TEF)
            return H7_FLASH_EIO;
        if (sr & QSPI_SR_TCF)
            return H7_FLASH_OK;
        if (us_since(t0) > timeout_us)
            return H7_FLASH_EIO;
    }
}

/* Leave memory-mapped (or any unfinished) mode: RM0433 §23.3.7 / §23.5.1. CR.ABORT "is
 * automatically reset once the abort is complete": wait for that bit in CR (not for SR bit 1,
 * which is TCF, and which an abort sets), then for !BUSY. The TCF the abort may leave is
 * cleared by the next command. */
static H7_RAMFUNC int qspi_abort(void)
{
    H7_REG(QSPI_CR) |= QSPI_CR_ABORT;
    if (qspi_wait(QSPI_CR, QSPI_CR_ABORT, false, IS25_COMMAND_TIMEOUT_US) != H7_FLASH_OK)
        return H7_FLASH_EIO;
    return qspi_wait(QSPI_SR, QSPI_SR_BUSY, false, IS25_COMMAND_TIMEOUT_US);
}

/*
 * One indirect command (RM0433 §23.3.6): DLR, CCR, then AR starts it when the command has an
 * address (else CCR does). `tx`/`rx` move len data bytes through DR. Waits for TCF; TEF
 * (address out of range) fails at once.
 */
static H7_RAMFUNC int qspi_command(uint32_t ccr, bool has_addr, uint32_t addr, const uint8_t *tx,
                                   uint8_t *rx, uint32_t len)
{
    if (qspi_wait(QSPI_SR, QSPI_SR_BUSY, false, IS25_COMMAND_TIMEOUT_US) != H7_FLASH_OK)
        return H7_FLASH_EIO;
    H7_REG(QSPI_FCR) = QSPI_FCR_ALL;
    if (len)
        H7_REG(QSPI_DLR) = len - 1u;
    H7_REG(QSPI_CCR) = ccr;
    if (has_addr)
        H7_REG(QSPI_AR) = addr;
    for (uint32_t i = 0; i < len; i++) {
        /* FTF: room in the FIFO (write) or data waiting (read). */
        if (qspi_wait(QSPI_SR, QSPI_SR_FTF, true, IS25_COMMAND_TIMEOUT_US) != H7_FLASH_OK)
            return H7_FLASH_EIO;
        if (tx)
            QSPI_DR8 = tx[i];
        else
            rx[i] = QSPI_DR8;
    }
    int rc = qspi_wait_done(IS25_COMMAND_TIMEOUT_US);
    H7_REG(QSPI_FCR) = QSPI_FCR_ALL;
    return rc;
}

static H7_RAMFUNC int read_status(uint8_t *sr)
{
    return qspi_command(CCR_READ_STATUS, false, 0, 0, sr, 1);
}

/* Poll the status register until WIP clears. */
static H7_RAMFUNC int wait_ready(uint32_t timeout_us)
{
    uint32_t t0 = h7_cycles_inline();
    uint8_t sr = IS25_SR_WIP;
    do {
        if (read_status(&sr) != H7_FLASH_OK)
            return H7_FLASH_EIO;
        if (!(sr & IS25_SR_WIP))
            return H7_FLASH_OK;
    } while (us_since(t0) <= timeout_us);
    return H7_FLASH_EIO;
}

static H7_RAMFUNC int write_enable(void)
{
    uint8_t sr = 0;
    if (qspi_command(CCR_SIMPLE(IS25_CMD_WRITE_ENABLE), false, 0, 0, 0, 0) != H7_FLASH_OK ||
        read_status(&sr) != H7_FLASH_OK || !(sr & IS25_SR_WEL))
        return H7_FLASH_EIO;
    return H7_FLASH_OK;
}

/* No write protection (SRWD, BP bits clear) and quad mode on. */
static bool status_is_default(uint8_t sr)
{
    return (sr & (IS25_SR_SRWD | IS25_SR_BP_MASK | IS25_SR_QE)) == IS25_SR_QE;
}

/* The memory-mapped read: 0xEB with address, mode byte and data on 4 lines, the dummy clocks the
 * read parameters set (is25lp064a.h). Its clock must stay within what those dummy cycles allow.
 * The QUADSPI keeps reading ahead while accesses are sequential (RM0433 §23.3.8), so a copy or
 * a hash streaming through the slot pays the command, address and dummy clocks once per run,
 * not per cache line. */
_Static_assert(H7_QSPI_DEFAULT_MAX_HZ <= IS25_QUAD_READ_MAX_HZ,
               "QSPI clock above what the IS25LP064A's 0xEB dummy setting allows");
H7_RAMFUNC int h7_qspi_memory_mapped(void)
{
    if (qspi_abort() != H7_FLASH_OK)
        return H7_FLASH_EIO;
    H7_REG(QSPI_FCR) = QSPI_FCR_ALL;
    H7_REG(QSPI_ABR) = IS25_QUAD_READ_MODE;
    H7_REG(QSPI_CCR) = CCR_MEMORY_MAPPED;
    return H7_FLASH_OK;
}

H7_RAMFUNC int h7_qspi_indirect(void)
{
    return qspi_abort();
}

H7_RAMFUNC int h7_qspi_program(void *ctx, uint32_t off, const void *buf, uint32_t len)
{
    (void)ctx;
    if (len == 0 || len > IS25_PAGE)
        return H7_FLASH_EINVAL;
    int rc = h7_qspi_indirect();
    if (rc == H7_FLASH_OK)
        rc = write_enable();
    if (rc == H7_FLASH_OK)
        rc = qspi_command(CCR_PAGE_PROGRAM, true, off, (const uint8_t *)buf, 0, len);
    if (rc == H7_FLASH_OK)
        rc = wait_ready(IS25_PROGRAM_TIMEOUT_US);
    int back = h7_qspi_memory_mapped();
    /* The page wraps: invalidate the whole page the command touched. */
    h7_dcache_invalidate_inline(H7_REGION_QSPI_ORIGIN + (off & ~(IS25_PAGE - 1u)), IS25_PAGE);
    return rc != H7_FLASH_OK ? rc : back;
}

H7_RAMFUNC int h7_qspi_erase(void *ctx, uint32_t off, uint32_t size)
{
    (void)ctx;
    uint32_t cmd;
    if (size == H7_REGION_QSPI_ERASE_SIZE)
        cmd = CCR_ADDRESS_ONLY(IS25_CMD_SECTOR_ERASE_4K);
    else if (size == IS25_BLOCK_64K)
        cmd = CCR_ADDRESS_ONLY(IS25_CMD_BLOCK_ERASE_64K);
    else
        return H7_FLASH_EINVAL;
    if (off % size)
        return H7_FLASH_EINVAL;
    int rc = h7_qspi_indirect();
    if (rc == H7_FLASH_OK)
        rc = write_enable();
    if (rc == H7_FLASH_OK)
        rc = qspi_command(cmd, true, off, 0, 0, 0);
    if (rc == H7_FLASH_OK)
        rc = wait_ready(IS25_ERASE_TIMEOUT_US);
    int back = h7_qspi_memory_mapped();
    h7_dcache_invalidate_inline(H7_REGION_QSPI_ORIGIN + off, size);
    return rc != H7_FLASH_OK ? rc : back;
}

/* Reads go through the memory map (cached; kept coherent by the invalidations above). */
H7_RAMFUNC int h7_qspi_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
    (void)ctx;
    const volatile uint8_t *src = (const volatile uint8_t *)(uintptr_t)(H7_REGION_QSPI_ORIGIN + off);
    uint8_t *dst = (uint8_t *)buf;
    for (uint32_t i = 0; i < len; i++)
        dst[i] = src[i];
    return H7_FLASH_OK;
}

/* Non-const on purpose: a const object would land in .rodata (QSPI for an XIP app). */
static struct h7_flash_ops qspi_ops = {
    .read = h7_qspi_read,
    .program = h7_qspi_program,
    .erase = h7_qspi_erase,
};

const struct h7_flash h7_qspi_flash = {
    .ops = &qspi_ops,
    .ctx = 0,
    .base = H7_REGION_QSPI_ORIGIN,
    .size = H7_REGION_QSPI_LENGTH,
    .erase_size = H7_REGION_QSPI_ERASE_SIZE,
    .erase_size_large = IS25_BLOCK_64K,
    .program_size = H7_REGION_QSPI_PROGRAM_SIZE,
};

/*
 * Bring-up (only ever run from flash or RAM before anything executes from QSPI):
 *  1. clock and reset the peripheral, all six pins in their QUADSPI function;
 *  2. mode-bit reset, in case an earlier program left the flash in continuous-read mode;
 *  3. IO2/IO3 driven high as GPIO (WP# and HOLD# inactive while QE may still be 0), then
 *     software reset; if SRWD or a BP bit is set or QE is clear, a status-register write of
 *     IS25_SR_DEFAULT: this clears the protection of a chip stuck write-protected (the Daisy
 *     "bricked board" case, libDaisy PR #670);
 *  4. IO2/IO3 back to QUADSPI, read parameters, memory-mapped quad read.
 */
int h7_qspi_init(uint32_t max_hz)
{
    uint32_t div = h7_qspi_divider(H7_HCLK_HZ, max_hz);
    if (div == 0)
        return H7_FLASH_EINVAL;
    H7_REG(RCC_AHB3ENR) |= RCC_AHB3_QSPI;
    H7_REG(RCC_AHB3RSTR) |= RCC_AHB3_QSPI;
    H7_REG(RCC_AHB3RSTR) &= ~RCC_AHB3_QSPI;
    h7_gpio_config(GPIO_PORT_F, QSPI_PINS_F_AF9 | QSPI_PINS_F_IO23, GPIO_MODE_AF, QSPI_AF9,
                   GPIO_PULL_NONE);
    h7_gpio_config(GPIO_PORT_F, QSPI_PINS_F_AF10, GPIO_MODE_AF, QSPI_AF10, GPIO_PULL_NONE);
    h7_gpio_config(GPIO_PORT_G, QSPI_PIN_G_NCS, GPIO_MODE_AF, QSPI_AF10, GPIO_PULL_UP);

    const uint32_t csht = H7_FIELD(QSPI_CSHT_2_CYCLES, QSPI_DCR_CSHT_POS);
    H7_REG(QSPI_CR) = H7_FIELD(div - 1u, QSPI_CR_PRESCALER_POS);
    H7_REG(QSPI_DCR) = H7_FIELD(QSPI_FSIZE_ALL, QSPI_DCR_FSIZE_POS) | csht;
    H7_REG(QSPI_CR) |= QSPI_CR_EN;

    int rc = qspi_command(CCR_MODE_BIT_RESET, true, ALL_ONES, 0, 0, 0);
    H7_REG(QSPI_DCR) = H7_FIELD(IS25_SIZE_LOG2 - 1u, QSPI_DCR_FSIZE_POS) | csht;

    h7_gpio_write(GPIO_PORT_F, QSPI_PIN_IO2, true);
    h7_gpio_write(GPIO_PORT_F, QSPI_PIN_IO3, true);
    h7_gpio_config(GPIO_PORT_F, QSPI_PINS_F_IO23, GPIO_MODE_OUTPUT, 0, GPIO_PULL_NONE);
    if (rc == H7_FLASH_OK)
        rc = qspi_command(CCR_SIMPLE(IS25_CMD_RESET_ENABLE), false, 0, 0, 0, 0);
    if (rc == H7_FLASH_OK)
        rc = qspi_command(CCR_SIMPLE(IS25_CMD_RESET), false, 0, 0, 0, 0);
    h7_delay_us(IS25_RESET_US);
    /* An MCU reset in the middle of an app's erase leaves the flash busy; if it does not take
     * the reset command then, WIP lasts up to the erase's worst case, not a status write's. */
    if (rc == H7_FLASH_OK)
        rc = wait_ready(IS25_ERASE_TIMEOUT_US);
    /* The status register is non-volatile and wears like the array: write it only when a
     * protection bit is set or QE is clear, not on every boot. */
    uint8_t sr = 0;
    if (rc == H7_FLASH_OK)
        rc = read_status(&sr);
    if (rc == H7_FLASH_OK && !status_is_default(sr)) {
        sr = IS25_SR_DEFAULT;
        rc = write_enable();
        if (rc == H7_FLASH_OK)
            rc = qspi_command(CCR_WRITE_1BYTE(IS25_CMD_WRITE_STATUS), false, 0, &sr, 0, 1);
        if (rc == H7_FLASH_OK)
            rc = wait_ready(IS25_STATUS_TIMEOUT_US);
        if (rc == H7_FLASH_OK)
            rc = read_status(&sr);
        if (rc == H7_FLASH_OK && !status_is_default(sr))
            rc = H7_FLASH_EIO; /* protection did not clear */
    }

    h7_gpio_config(GPIO_PORT_F, QSPI_PINS_F_IO23, GPIO_MODE_AF, QSPI_AF9, GPIO_PULL_NONE);
    uint8_t params = IS25_READ_PARAMS;
    if (rc == H7_FLASH_OK)
        rc = qspi_command(CCR_WRITE_1BYTE(IS25_CMD_SET_READ_PARAMS), false, 0, &params, 0, 1);
    if (rc == H7_FLASH_OK)
        rc = h7_qspi_memory_mapped();
    return rc;
}
