/*
 * The user LED's status patterns (pure: the time in, on/off out; host-tested).
 */
#include "h7_port.h"

#define SLOW_PERIOD_MS 1000u /* 1 Hz */
#define FAST_PERIOD_MS 125u  /* 8 Hz */
#define FLASH_MS 100u        /* one short flash of the error pattern */

bool h7_led_pattern(enum h7_led_state state, uint32_t ms)
{
    switch (state) {
    case H7_LED_BOOTING:
        return true;
    case H7_LED_DFU_IDLE:
        return ms % SLOW_PERIOD_MS < SLOW_PERIOD_MS / 2u;
    case H7_LED_DFU_BUSY:
        return ms % FAST_PERIOD_MS < FAST_PERIOD_MS / 2u;
    case H7_LED_ERROR: {
        /* on 0-99, off 100-199, on 200-299, off until 1000 */
        uint32_t t = ms % SLOW_PERIOD_MS;
        return t < FLASH_MS || (t >= 2u * FLASH_MS && t < 3u * FLASH_MS);
    }
    }
    return false;
}
