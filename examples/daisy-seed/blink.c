/*
 * Daisy Seed example: blink the user LED, with the blink period as a setting saved in QSPI
 * while the app itself executes from QSPI (the app runtime's XIP-safe flash, h7_app.h).
 *
 *   BOOT button short press  next period (500, 250, 125 ms), saved at once
 *   BOOT button held 2 s     reset into the bootloader (DFU)
 *
 * The setting lives in the last 4 KB sector of the user area (the first 256 KB of QSPI, which
 * h7boot never writes). It is one record {magic, period, ~period}; a torn write reads as
 * "no setting" and the default applies. When the store (store/) lands, this is where it goes.
 */
#include <stdbool.h>
#include <stdint.h>

#include "board_map.h"
#include "h7_app.h"
#include "h7_port.h"

#define CPU_HZ 480000000u /* what h7boot leaves the clock at */
#define SETTING_OFF (H7_RESERVE_USER_AREA_ORIGIN + H7_RESERVE_USER_AREA_LENGTH - \
                     H7_REGION_QSPI_ERASE_SIZE - H7_REGION_QSPI_ORIGIN)
#define SETTING_MAGIC 0x48375345u /* "H7SE" */
#define HOLD_FOR_DFU_MS 2000u
#define DEBOUNCE_MS 30u
#define N_PERIODS 3u

struct setting {
    uint32_t magic, period_ms, check;
};

static uint32_t period_at(uint32_t i)
{
    return 500u >> i; /* 500, 250, 125 ms */
}

static uint32_t load_period_index(void)
{
    struct setting s;
    if (h7_flash_read(&h7_app_flash, SETTING_OFF, &s, sizeof s) == H7_FLASH_OK &&
        s.magic == SETTING_MAGIC && s.check == ~s.period_ms && s.period_ms < N_PERIODS)
        return s.period_ms;
    return 0;
}

static int save_period_index(uint32_t i)
{
    struct setting s = {SETTING_MAGIC, i, ~i}; /* on the stack: RAM, readable in indirect mode */
    int rc = h7_flash_erase(&h7_app_flash, SETTING_OFF, H7_REGION_QSPI_ERASE_SIZE);
    return rc ? rc : h7_flash_program(&h7_app_flash, SETTING_OFF, &s, sizeof s);
}

int main(void)
{
    h7_app_init(CPU_HZ);
    h7_app_confirm();
    h7_led_init();
    h7_button_init();
    uint32_t idx = load_period_index();
    uint32_t pressed_at = 0;
    bool was_down = false;
    for (;;) {
        uint32_t now = h7_millis();
        h7_led_set((now / period_at(idx)) % 2u == 0);
        bool down = h7_button_held();
        if (down && !was_down)
            pressed_at = now;
        if (down && now - pressed_at >= HOLD_FOR_DFU_MS)
            h7_reset_to_bootloader();
        if (!down && was_down && now - pressed_at >= DEBOUNCE_MS) {
            idx = (idx + 1u) % N_PERIODS;
            if (save_period_index(idx) != H7_FLASH_OK)
                h7_led_set(true); /* visible: stays lit for this period */
        }
        was_down = down;
    }
}
