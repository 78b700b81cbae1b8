/*
 * h7_daisy_flash() on the Daisy Seed for libDaisy apps (contract in h7_daisy_flash.h).
 *
 * Who set up the QUADSPI (libDaisy: DaisySeed::Init and the other boards' Init call
 * QSPIHandle::Init, memory-mapped, unless the program runs from QSPI):
 *   BOOT_NONE, BOOT_SRAM   libDaisy's QSPIHandle::Init, memory-mapped (Quad I/O read, mode
 *                          byte 0xA0);
 *   BOOT_QSPI              the bootloader that started the app (libDaisy leaves it alone).
 * Either way the map is live when the app reaches PersistentStorage::Init, and the app
 * runtime's program/erase restore exactly that map afterwards (app_flash.c). Only when nobody
 * mapped the flash (an app that skipped QSPIHandle::Init, not running from QSPI) do we bring
 * the QUADSPI up ourselves.
 */
#include "board_map.h"
#include "h7_app.h"
#include "h7_daisy_flash.h"
#include "h7_port.h"
#include "stm32h750_regs.h"

/* The runtime's timeouts count CPU cycles. libDaisy runs the core at 400 MHz (Defaults) or
 * 480 MHz (Boost); assuming the faster one makes every timeout at least as long as specified. */
#define DAISY_CPU_HZ_MAX 480000000u
#define CCR_FMODE_MASK (3u << QSPI_CCR_FMODE_POS)
#define CCR_FMODE_MAPPED (3u << QSPI_CCR_FMODE_POS)

static bool qspi_mapped(void)
{
    return (H7_REG(RCC_AHB3ENR) & RCC_AHB3_QSPI) && (H7_REG(QSPI_CR) & QSPI_CR_EN) &&
           (H7_REG(QSPI_CCR) & CCR_FMODE_MASK) == CCR_FMODE_MAPPED;
}

static bool running_from_qspi(void)
{
    uint32_t here = (uint32_t)(uintptr_t)&qspi_mapped;
    return here >= H7_REGION_QSPI_ORIGIN && here - H7_REGION_QSPI_ORIGIN < H7_REGION_QSPI_LENGTH;
}

const struct h7_flash *h7_daisy_flash(void)
{
    static bool ready;
    if (ready)
        return &h7_app_flash;
    h7_cpu_hz = DAISY_CPU_HZ_MAX;
    /* The cycle counter may already run for the app (libDaisy's or its own): never reset it. */
    if (!(H7_REG(DWT_CTRL) & DWT_CTRL_CYCCNTENA))
        h7_timebase_init();
    if (!qspi_mapped()) {
        if (running_from_qspi() || h7_qspi_init(H7_QSPI_DEFAULT_MAX_HZ) != H7_FLASH_OK)
            return 0;
    }
    ready = true;
    return &h7_app_flash;
}

/* libDaisy's startup file and linker scripts (all three APP_TYPEs): the vector table, first in
 * the image, and .data's load address and extent, last in it. */
extern void *g_pfnVectors[];
extern uint8_t _sidata[], _sdata[], _edata[];

void h7_daisy_flash_reserved(uint32_t *start, uint32_t *end)
{
    uint32_t vectors = (uint32_t)(uintptr_t)g_pfnVectors;
    uint32_t image_end = (uint32_t)(uintptr_t)_sidata + (uint32_t)(_edata - _sdata);
    *start = *end = 0;
    /* BOOT_NONE runs from internal flash: nothing of it is in QSPI. BOOT_SRAM and BOOT_QSPI
     * images are stored in the app slot, where the bootloader loads or executes them. */
    if (vectors >= H7_REGION_FLASH_ORIGIN && vectors - H7_REGION_FLASH_ORIGIN < H7_REGION_FLASH_LENGTH)
        return;
    *start = H7_SLOT_APP_ORIGIN - H7_REGION_QSPI_ORIGIN;
    *end = *start + (image_end - vectors);
}
