/*
 * The app's side of the bootloader contract on the Daisy Seed: clock hand-over, reset into the
 * bootloader with libDaisy's request value, and the boot confirmation (boot/h7_boot_app.h).
 */
#include "board_map.h"
#include "h7_app.h"
#include "h7_boot_app.h"
#include "h7_cache.h"
#include "h7_port.h"

static volatile struct h7_boot_info *boot_info(void)
{
    (void)h7_backup_sram_enable();
    return (volatile struct h7_boot_info *)(uintptr_t)H7_WORD_BOOT_REQUEST_ADDR;
}

void h7_app_init(uint32_t cpu_hz)
{
    h7_cpu_hz = cpu_hz;
    h7_timebase_init();
}

_Noreturn void h7_reset_to_bootloader(void)
{
    volatile struct h7_boot_info *info = boot_info();
    h7_boot_request(info, H7_BOOT_REQ_STAY);
    /* If the app's MPU makes backup SRAM cacheable, push the word out before the reset. */
    h7_dcache_clean_inline(H7_WORD_BOOT_REQUEST_ADDR, sizeof *info);
    h7_system_reset();
}

void h7_app_confirm(void)
{
    volatile struct h7_boot_info *info = boot_info();
    h7_boot_confirm(info);
    h7_dcache_clean_inline(H7_WORD_BOOT_REQUEST_ADDR, sizeof *info);
}
