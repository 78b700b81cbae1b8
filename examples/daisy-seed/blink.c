/*
 * Daisy Seed example: blink the user LED, with the blink period as a setting kept by the store
 * (store/h7_settings.h) in QSPI — written while the app itself executes from QSPI, through the
 * app runtime's XIP-safe flash (ports/stm32h750/app/h7_app.h).
 *
 *   BOOT button short press  next period (500, 250, 125 ms), saved at once
 *   BOOT button held 2 s     reset into the bootloader (DFU)
 *
 * The store's partition is the last 64 KB of the user area (the first 256 KB of QSPI, which
 * h7boot never writes). Garbage collection (an erase, ~45 ms) runs only in the main loop.
 */
#include <stdbool.h>
#include <stdint.h>

#include "board_map.h"
#include "h7_app.h"
#include "h7_port.h"
#include "h7_settings.h"

#define CPU_HZ 480000000u /* what h7boot leaves the clock at */
#define STORE_SIZE (64u * 1024u)
#define STORE_OFF (H7_RESERVE_USER_AREA_ORIGIN + H7_RESERVE_USER_AREA_LENGTH - STORE_SIZE - \
                   H7_REGION_QSPI_ORIGIN)
#define STORE_KEYS 16u
#define SETTINGS_KEY 0xB11Cu
#define SETTINGS_VERSION 1u
#define HOLD_FOR_DFU_MS 2000u
#define DEBOUNCE_MS 30u
#define N_PERIODS 3u

struct blink_settings {
    uint32_t period_index; /* 0..N_PERIODS-1 */
};

static const struct blink_settings defaults = {0};
static struct blink_settings cur;
static struct h7_store_entry index_mem[STORE_KEYS];
static struct h7_store store;
static struct h7_settings settings = {
    .store = &store,
    .key = SETTINGS_KEY,
    .version = SETTINGS_VERSION,
    .size = sizeof cur,
    .data = &cur,
    .defaults = &defaults,
};

static uint32_t period_ms(void)
{
    return 500u >> (cur.period_index % N_PERIODS); /* 500, 250, 125 ms */
}

int main(void)
{
    h7_app_init(CPU_HZ);
    h7_app_confirm();
    h7_led_init();
    h7_button_init();
    const struct h7_store_config cfg = {
        .flash = &h7_app_flash,
        .offset = STORE_OFF,
        .size = STORE_SIZE,
        .unit_size = H7_REGION_QSPI_ERASE_SIZE,
        .index = index_mem,
        .index_capacity = STORE_KEYS,
    };
    int rc = h7_store_mount(&store, &cfg);
    /* A store of another format or unit size (e.g. written by an older h7boot) is this app's own
     * partition: start it afresh, once, and fall back to the defaults. */
    if (rc == H7_STORE_EFORMAT)
        rc = h7_store_format(&store, &cfg);
    bool have_store = rc == H7_STORE_OK;
    if (!have_store || h7_settings_load(&settings) < 0)
        cur = defaults;

    uint32_t pressed_at = 0;
    bool was_down = false;
    for (;;) {
        uint32_t now = h7_millis();
        h7_led_set((now / period_ms()) % 2u == 0);
        bool down = h7_button_held();
        if (down && !was_down)
            pressed_at = now;
        if (down && now - pressed_at >= HOLD_FOR_DFU_MS)
            h7_reset_to_bootloader();
        if (!down && was_down && now - pressed_at >= DEBOUNCE_MS) {
            cur.period_index = (cur.period_index + 1u) % N_PERIODS;
            if (have_store)
                (void)h7_settings_save(&settings); /* programs only: no erase here */
        }
        was_down = down;
        if (have_store && h7_store_gc_needed(&store) > 0)
            (void)h7_store_gc_step(&store); /* the one place that may erase (~45 ms) */
    }
}
