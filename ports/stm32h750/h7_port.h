/*
 * h7_port.h — the STM32H750 (Daisy Seed) port: system bring-up and the small drivers the
 * bootloader and the app runtime share. One function per job; each driver file cites the RM0433
 * section it follows. Register constants: stm32h750_regs.h; arithmetic: h7_calc.h.
 *
 *   clock.c     HSE 16 MHz -> PLL1 -> 480 MHz at VOS0, flash wait states, bus prescalers
 *   system.c    DWT timebase, MPU from the board description, caches, backup SRAM, reset
 *   gpio.c      pin set-up, the user LED (PC7) and its status patterns, the BOOT button (PG3)
 *   sdram.c     FMC + AS4C16M32MSA initialisation
 *   qspi.c      QUADSPI + IS25LP064A as a `struct h7_flash` (include/h7/flash.h)
 *   usb_dcd.c   USB OTG FS device controller, endpoint 0 only (usb_dcd.h)
 */
#ifndef H7_PORT_H
#define H7_PORT_H

#include <stdbool.h>
#include <stdint.h>

#include "h7/board.h"
#include "h7/flash.h"

/* ---- clocks (clock.c) ---- */
#define H7_HSE_HZ 16000000u   /* Daisy Seed crystal */
#define H7_HSI_HZ 64000000u   /* reset clock */
#define H7_SYSCLK_HZ 480000000u
#define H7_HCLK_HZ (H7_SYSCLK_HZ / 2u) /* AXI/AHB: rcc_hclk3 feeds QUADSPI and FMC */
#define H7_USB_HZ 48000000u   /* PLL1 Q -> USB OTG FS kernel clock */

/* The CPU clock now (H7_HSI_HZ until h7_clock_init succeeded). */
extern uint32_t h7_cpu_hz;
/* Raise the core voltage to VOS0 and run the CPU at 480 MHz from the HSE through PLL1.
 * Returns 0, or -1 when the HSE or the PLL did not start (the CPU then stays on the HSI). */
int h7_clock_init(void);

/* ---- system (system.c) ---- */
void h7_timebase_init(void);             /* DWT cycle counter */
uint32_t h7_cycles(void);                /* free-running CPU cycle count */
uint32_t h7_us_since(uint32_t start);    /* microseconds since a h7_cycles() value (< 8 s) */
void h7_delay_us(uint32_t us);
/* Milliseconds since h7_timebase_init(); call at least every 8 s (the cycle counter wraps). */
uint32_t h7_millis(void);
/* Program the MPU with the regions h7_mpu_plan() (h7_calc.h) derived from the board
 * description at build time, and enable it with the default map as background. */
void h7_mpu_init(void);
void h7_mpu_disable(void);
void h7_icache_enable(void);
void h7_dcache_enable(void);
void h7_caches_clean_disable(void);      /* clean+invalidate D, disable D and I (hand-off) */
void h7_dcache_invalidate(uint32_t addr, uint32_t len); /* by address, 32-byte lines */
void h7_dcache_clean(uint32_t addr, uint32_t len);
/* Put the clock tree back to its reset shape before the hand-off (system.c): sys_ck on the
 * HSI, every bus prescaler /1, PLL1 and the HSE off. libDaisy apps run HAL_RCC_OscConfig(),
 * which fails while PLL1 is the system clock (docs/daisy-seed.md, "What the app gets"). */
void h7_clock_reset_for_app(void);
/* Enable the backup SRAM (clock, backup-domain write access) and return its base. */
volatile uint32_t *h7_backup_sram_enable(void);
_Noreturn void h7_system_reset(void);

/* ---- GPIO, LED, button (gpio.c) ---- */
void h7_gpio_config(uint32_t port, uint32_t pins_mask, uint32_t mode, uint32_t af,
                    uint32_t pull);
void h7_gpio_write(uint32_t port, uint32_t pin, bool high);
bool h7_gpio_read(uint32_t port, uint32_t pin);
void h7_led_init(void);
void h7_led_set(bool on);
/* What the LED shows (led_pattern.c: pure, host-tested). */
enum h7_led_state {
    H7_LED_BOOTING,  /* steady on: verifying and loading */
    H7_LED_DFU_IDLE, /* slow blink 1 Hz: in DFU, waiting for the host */
    H7_LED_DFU_BUSY, /* fast blink 8 Hz: erasing / writing */
    H7_LED_ERROR,    /* two short flashes per second: no bootable image or a failure */
};
bool h7_led_pattern(enum h7_led_state state, uint32_t ms);
void h7_button_init(void);
bool h7_button_held(void);

/* ---- SDRAM (sdram.c) ---- */
/* FMC pins, controller and the device's power-up sequence. 0, or -1 on a timeout / bad
 * timing. The SDRAM then reads and writes at its board region's origin. */
int h7_sdram_init(void);

/* ---- QSPI flash (qspi.c) ---- */
/* Default QSPI clock limit: the fastest the IS25LP064A's quad I/O read allows with the dummy
 * cycles h7boot sets (is25lp064a.h: 133 MHz), which from hclk3 240 MHz is /2 = 120 MHz — the
 * clock libDaisy itself runs. Users reported boot failures at clocks above that (libDaisy #674);
 * a board that needs less builds with -DH7_QSPI_DEFAULT_MAX_HZ=80000000 (/3). */
#ifndef H7_QSPI_DEFAULT_MAX_HZ
#define H7_QSPI_DEFAULT_MAX_HZ 133000000u
#endif
/* Bring up QUADSPI and the IS25LP064A: software reset, clear status-register write
 * protection (SRWD/BP bits, libDaisy PR #670), set QE and the read parameters, then enter
 * memory-mapped quad read (0xEB). max_hz limits the flash clock. 0 or H7_FLASH_EIO. */
int h7_qspi_init(uint32_t max_hz);
/* The QSPI flash as the NOR interface. Each operation switches to indirect mode and back to
 * memory-mapped mode, then invalidates the D-cache over what it changed. */
extern const struct h7_flash h7_qspi_flash;
/* The operations behind h7_qspi_flash, callable directly (offsets from the QSPI origin). In
 * the app runtime build they are RAM-resident (h7_ramfunc.h). */
int h7_qspi_read(void *ctx, uint32_t off, void *buf, uint32_t len);
int h7_qspi_program(void *ctx, uint32_t off, const void *buf, uint32_t len);
int h7_qspi_erase(void *ctx, uint32_t off, uint32_t size);
/* Switch between memory-mapped reading and indirect commands (used by the app runtime). */
int h7_qspi_memory_mapped(void);
int h7_qspi_indirect(void);

#endif /* H7_PORT_H */
