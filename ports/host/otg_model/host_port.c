/* host_port.c — what usb_dcd.c needs from the STM32H750 port besides the core's registers, for
 * a host build: pins are not configured and time does not pass (the model's reset and flush
 * bits clear at once, so the driver's wait loops end at their first read). */
#include "h7_port.h"

uint32_t h7_cpu_hz = 480000000u;

void h7_gpio_config(uint32_t port, uint32_t pins, uint32_t mode, uint32_t af, uint32_t pull)
{
    (void)port, (void)pins, (void)mode, (void)af, (void)pull;
}

uint32_t h7_cycles(void)
{
    return 0;
}

uint32_t h7_us_since(uint32_t start)
{
    (void)start;
    return 0;
}

void h7_delay_us(uint32_t us)
{
    (void)us;
}
