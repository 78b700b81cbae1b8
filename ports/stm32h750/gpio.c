/*
 * GPIO set-up, the Daisy Seed's user LED (PC7) and BOOT button (PG3). RM0433 §11.4 (GPIO
 * registers): MODER/OTYPER/OSPEEDR/PUPDR two bits or one bit per pin, AFRL/AFRH four bits.
 */
#include "h7_port.h"
#include "h7_ramfunc.h"
#include "stm32h750_regs.h"

#define PINS_PER_PORT 16u
#define AF_PINS_PER_REG 8u
#define LED_PORT GPIO_PORT_C
#define LED_PIN 7u
#define BUTTON_PORT GPIO_PORT_G
#define BUTTON_PIN 3u
/* The Seed's BOOT button also drives BOOT0: pressed = high. Not verified on a board here. */
#define BUTTON_PRESSED_LEVEL true

/* A GPIO port ignores every write while its clock is off (RM0433 §8.5.11), so the clock comes
 * before any register of the port is touched. */
static void gpio_clock_on(uint32_t port)
{
    H7_REG(RCC_AHB4ENR) |= RCC_AHB4_GPIO(port);
    (void)H7_REG(RCC_AHB4ENR); /* RM0433 §8.5.10: read back before the first access */
}

void h7_gpio_config(uint32_t port, uint32_t pins, uint32_t mode, uint32_t af, uint32_t pull)
{
    uint32_t base = GPIO_BASE(port);
    gpio_clock_on(port);
    for (uint32_t pin = 0; pin < PINS_PER_PORT; pin++) {
        if (!(pins & (1u << pin)))
            continue;
        uint32_t two = pin * 2u, afreg = pin < AF_PINS_PER_REG ? GPIO_AFRL : GPIO_AFRH;
        uint32_t afpos = (pin % AF_PINS_PER_REG) * 4u;
        H7_REG(base + afreg) = (H7_REG(base + afreg) & ~(0xFu << afpos)) | (af << afpos);
        H7_REG(base + GPIO_OSPEEDR) |= GPIO_SPEED_VERY_HIGH << two;
        H7_REG(base + GPIO_OTYPER) &= ~(1u << pin); /* push-pull */
        H7_REG(base + GPIO_PUPDR) = (H7_REG(base + GPIO_PUPDR) & ~(3u << two)) | (pull << two);
        H7_REG(base + GPIO_MODER) = (H7_REG(base + GPIO_MODER) & ~(3u << two)) | (mode << two);
    }
}

void h7_gpio_write(uint32_t port, uint32_t pin, bool high)
{
    /* BSRR: bits 0-15 set, 16-31 reset. */
    H7_REG(GPIO_BASE(port) + GPIO_BSRR) = high ? (1u << pin) : (1u << (pin + PINS_PER_PORT));
}

bool h7_gpio_read(uint32_t port, uint32_t pin)
{
    return (H7_REG(GPIO_BASE(port) + GPIO_IDR) >> pin) & 1u;
}

void h7_led_init(void)
{
    /* Level before mode, so the pin comes up low without a glitch; clock before both (the
     * virtual Daisy caught the BSRR write being lost before the clock was on). */
    gpio_clock_on(LED_PORT);
    h7_gpio_write(LED_PORT, LED_PIN, false);
    h7_gpio_config(LED_PORT, 1u << LED_PIN, GPIO_MODE_OUTPUT, 0, GPIO_PULL_NONE);
}

void h7_led_set(bool on)
{
    h7_gpio_write(LED_PORT, LED_PIN, on);
}

void h7_button_init(void)
{
    h7_gpio_config(BUTTON_PORT, 1u << BUTTON_PIN, GPIO_MODE_INPUT, 0, GPIO_PULL_NONE);
}

bool h7_button_held(void)
{
    return h7_gpio_read(BUTTON_PORT, BUTTON_PIN) == BUTTON_PRESSED_LEVEL;
}
