/*
 * vd_gpio.c — GPIOA..GPIOK (RM0433 §11.4) and the two pins the Daisy Seed's user sees: the
 * LED on PC7 and the BOOT button on PG3.
 *
 *  - Registers: MODER, OTYPER, OSPEEDR, PUPDR, IDR (read-only), ODR, BSRR (write-only, reads 0;
 *    set wins over reset for the same pin, §11.4.7), LCKR (lock sequence not modelled:
 *    unmodelled), AFRL, AFRH. Reset values per §11.4 (ports A and B differ: debug pins).
 *  - Each port is clocked by RCC_AHB4ENR bit = port index (the machine's gate).
 *  - Pin level: an output pin drives ODR; an input pin reads the board. The LED level is the
 *    PC7 level while PC7 is a push-pull output (otherwise the LED is dark). The BOOT button on
 *    PG3 reads 1 when pressed (parameter button=1 held from reset, button_press_ms and
 *    button_release_ms for one press while running, or vd_set_button).
 */
#include <string.h>

#include "vd_internal.h"

#define GPIO_BASE 0x58020000u
#define N_PORTS 11u
#define PORT_SIZE 0x400u
#define RCC_AHB4ENR 0x0E0u
#define LED_PORT 2u
#define LED_PIN 7u
#define BUTTON_PORT 6u
#define BUTTON_PIN 3u

struct vd_gpio_port {
    struct vd_periph p;
    struct vd_gpio *g;
    unsigned index;
    uint32_t moder, otyper, ospeedr, pupdr, odr, afr[2];
};

struct vd_gpio {
    struct vd_machine *m;
    struct vd_gpio_port port[N_PORTS];
    bool button;
    uint64_t press_ns, release_ns; /* a press from press_ns until release_ns (0: none) */
};

static bool button_level(const struct vd_gpio *g)
{
    uint64_t now = vd_now_ns(g->m);
    return g->button || (g->release_ns && now >= g->press_ns && now < g->release_ns);
}

static bool pin_is_output(const struct vd_gpio_port *pt, unsigned pin)
{
    return ((pt->moder >> (2u * pin)) & 3u) == 1u;
}

static void update_led(struct vd_gpio *g)
{
    const struct vd_gpio_port *c = &g->port[LED_PORT];
    bool lit = pin_is_output(c, LED_PIN) && !((c->otyper >> LED_PIN) & 1u) &&
               ((c->odr >> LED_PIN) & 1u);
    vd_led_changed(g->m, lit);
}

static uint32_t idr(const struct vd_gpio_port *pt)
{
    uint32_t v = 0;
    for (unsigned pin = 0; pin < 16u; pin++) {
        bool level;
        if (pin_is_output(pt, pin))
            level = (pt->odr >> pin) & 1u;
        else if (pt->index == BUTTON_PORT && pin == BUTTON_PIN)
            level = button_level(pt->g);
        else
            level = ((pt->pupdr >> (2u * pin)) & 3u) == 1u; /* pull-up, else floating low */
        v |= (uint32_t)level << pin;
    }
    return v;
}

static enum vd_result gpio_read(void *ctx, uint32_t off, unsigned size, uint32_t *val)
{
    struct vd_gpio_port *pt = ctx;
    if (size != 4)
        return VD_UNMODELLED;
    switch (off) {
    case 0x00: *val = pt->moder; break;
    case 0x04: *val = pt->otyper; break;
    case 0x08: *val = pt->ospeedr; break;
    case 0x0C: *val = pt->pupdr; break;
    case 0x10: *val = idr(pt); break;
    case 0x14: *val = pt->odr; break;
    case 0x18: *val = 0; break;
    case 0x20: *val = pt->afr[0]; break;
    case 0x24: *val = pt->afr[1]; break;
    default: return VD_UNMODELLED;
    }
    return VD_OK;
}

static enum vd_result gpio_write(void *ctx, uint32_t off, unsigned size, uint32_t val)
{
    struct vd_gpio_port *pt = ctx;
    if (size != 4 && !(off == 0x18 && size == 2))
        return VD_UNMODELLED;
    switch (off) {
    case 0x00: pt->moder = val; break;
    case 0x04: pt->otyper = val & 0xFFFFu; break;
    case 0x08: pt->ospeedr = val; break;
    case 0x0C: pt->pupdr = val; break;
    case 0x14: pt->odr = val & 0xFFFFu; break;
    case 0x18: /* BSRR: reset bits first, then set bits, so set wins (§11.4.7) */
        pt->odr &= ~(val >> 16);
        pt->odr |= val & 0xFFFFu;
        break;
    case 0x20: pt->afr[0] = val; break;
    case 0x24: pt->afr[1] = val; break;
    default: return VD_UNMODELLED;
    }
    if (pt->index == LED_PORT)
        update_led(pt->g);
    return VD_OK;
}

static void gpio_reset(void *ctx, bool power_on)
{
    (void)power_on;
    struct vd_gpio_port *pt = ctx;
    /* §11.4.1-§11.4.4 reset values: port A/B keep their debug pins. */
    pt->moder = pt->index == 0 ? 0xABFFFFFFu : pt->index == 1 ? 0xFFFFFEBFu : 0xFFFFFFFFu;
    pt->otyper = 0;
    pt->ospeedr = pt->index == 0 ? 0x0C000000u : pt->index == 1 ? 0x000000C0u : 0;
    pt->pupdr = pt->index == 0 ? 0x64000000u : pt->index == 1 ? 0x00000100u : 0;
    pt->odr = 0;
    pt->afr[0] = pt->afr[1] = 0;
    if (pt->index == LED_PORT)
        update_led(pt->g);
    if (pt->index == BUTTON_PORT) {
        struct vd_gpio *g = pt->g;
        g->button = vd_param(g->m, "button", 0) != 0;
        /* button_press_ms / button_release_ms: one press at those simulated times (since
         * power-on), e.g. a user pressing BOOT while the app runs. */
        long press = vd_param(g->m, "button_press_ms", -1), release = vd_param(g->m, "button_release_ms", -1);
        g->press_ns = press >= 0 ? (uint64_t)press * 1000000u : 0;
        g->release_ns = press >= 0 && release > press ? (uint64_t)release * 1000000u : 0;
    }
}

struct vd_gpio *vd_gpio_new(struct vd_machine *m)
{
    static const char *const names[N_PORTS] = {"GPIOA", "GPIOB", "GPIOC", "GPIOD",
                                               "GPIOE", "GPIOF", "GPIOG", "GPIOH",
                                               "GPIOI", "GPIOJ", "GPIOK"};
    struct vd_gpio *g = vd_alloc(m, sizeof *g);
    g->m = m;
    for (unsigned i = 0; i < N_PORTS; i++) {
        struct vd_gpio_port *pt = &g->port[i];
        pt->g = g;
        pt->index = i;
        pt->p = (struct vd_periph){.name = names[i], .base = GPIO_BASE + PORT_SIZE * i,
                                   .size = PORT_SIZE, .gate = {RCC_AHB4ENR, (uint8_t)i},
                                   .ctx = pt, .read = gpio_read, .write = gpio_write,
                                   .reset = gpio_reset};
        vd_add_periph(m, &pt->p);
    }
    return g;
}

void vd_set_button(struct vd_machine *m, bool pressed)
{
    m->gpio->button = pressed;
}
