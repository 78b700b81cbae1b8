/*
 * USB OTG FS device controller, endpoint 0 (see usb_dcd.h for the contract and RM0433 sections).
 */
#include "usb_dcd.h"

#include "h7_port.h"
#include "stm32h750_regs.h"

/* Register access. Host unit tests (tests/stm32h750/test_usb_dcd.c) build this file with
 * H7_USB_DCD_MOCK and model the OTG core behind these two functions. */
#ifdef H7_USB_DCD_MOCK
uint32_t h7_mock_rd(uint32_t addr);
void h7_mock_wr(uint32_t addr, uint32_t v);
#define RD(a) h7_mock_rd(a)
#define WR(a, v) h7_mock_wr((a), (v))
#else
#define RD(a) H7_REG(a)
#define WR(a, v) (H7_REG(a) = (v))
#endif
#define SET(a, bits) WR((a), RD(a) | (bits))
#define CLR(a, bits) WR((a), RD(a) & ~(uint32_t)(bits))

#define USB_PINS_A ((1u << 11) | (1u << 12)) /* PA11 DM, PA12 DP */
#define USB_AF 10u
#define RESET_TIMEOUT_US 10000u
#define FORCE_MODE_DELAY_US 25000u  /* RM0433 §57.14.4 FDMOD: at least 25 ms */
#define USB33_TIMEOUT_US 10000u
#define TRDT_AHB_ABOVE_32MHZ 6u     /* RM0433 Table 478 (TRDT for AHB >= 32 MHz, FS) */
#define RX_FIFO_WORDS 128u          /* 512 bytes: a setup + a 64-byte packet with margin */
#define TX0_FIFO_WORDS 64u          /* 256 bytes for EP0 IN */
#define SETUP_BYTES 8u
#define DAINT_IEP0 (1u << 0)
#define DAINT_OEP0 (1u << 16)
#define REQ_DIR_IN 0x80u
#define REQ_TYPE_MASK 0x60u
#define REQ_RECIPIENT_MASK 0x1Fu
#define STD_SET_ADDRESS 5u
#define ADDRESS_MASK 0x7Fu

enum ep0_stage {
    EP0_IDLE,       /* waiting for a SETUP */
    EP0_DATA_OUT,   /* receiving the OUT data stage */
    EP0_DATA_IN,    /* sending the IN data stage */
    EP0_STATUS_IN,  /* sending the zero-length status packet */
    EP0_STATUS_OUT, /* waiting for the host's zero-length status packet */
    EP0_WAIT_CLASS, /* the class answered H7_USB_NAK: asked again at every poll */
};

static struct {
    const struct h7_usb_class *cls;
    struct h7_usb_setup setup;
    uint8_t setup_raw[SETUP_BYTES];
    uint8_t stage;
    uint16_t len;     /* bytes of the data stage */
    uint16_t done;    /* bytes moved so far */
    bool zlp;         /* an IN stage that must end with a zero-length packet */
} ep0;

static int wait_clear(uint32_t reg, uint32_t mask, uint32_t timeout_us)
{
    uint32_t t0 = h7_cycles();
    while (RD(reg) & mask)
        if (h7_us_since(t0) > timeout_us)
            return -1;
    return 0;
}

static int wait_set(uint32_t reg, uint32_t mask, uint32_t timeout_us)
{
    uint32_t t0 = h7_cycles();
    while (!(RD(reg) & mask))
        if (h7_us_since(t0) > timeout_us)
            return -1;
    return 0;
}

/* Arm EP0 OUT for one packet (data or status) and up to three back-to-back SETUPs. */
static void arm_out(void)
{
    WR(OTG_DOEPTSIZ0, OTG_DOEPTSIZ0_STUPCNT_3 | OTG_DOEPTSIZ0_PKTCNT | H7_USB_EP0_SIZE);
    SET(OTG_DOEPCTL0, OTG_EPCTL_EPENA | OTG_EPCTL_CNAK);
}

static void stall(void)
{
    SET(OTG_DIEPCTL0, OTG_EPCTL_STALL);
    SET(OTG_DOEPCTL0, OTG_EPCTL_STALL);
    ep0.stage = EP0_IDLE;
    arm_out(); /* the core clears the stall at the next SETUP */
}

/* Send the next IN packet of the data stage (or a zero-length one). */
static void send_in(const uint8_t *data, uint32_t n)
{
    WR(OTG_DIEPTSIZ0, H7_FIELD(1, OTG_DIEPTSIZ0_PKTCNT_POS) | n);
    SET(OTG_DIEPCTL0, OTG_EPCTL_EPENA | OTG_EPCTL_CNAK);
    for (uint32_t i = 0; i < n; i += 4) {
        uint32_t w = 0;
        for (uint32_t b = 0; b < 4 && i + b < n; b++)
            w |= (uint32_t)data[i + b] << (8 * b);
        WR(OTG_FIFO(0), w);
    }
}

static void status_in(void)
{
    ep0.stage = EP0_STATUS_IN;
    send_in(0, 0);
}

static void in_next(void)
{
    uint32_t left = ep0.len - ep0.done;
    uint32_t n = left < H7_USB_EP0_SIZE ? left : H7_USB_EP0_SIZE;
    if (n == 0)
        ep0.zlp = false;
    send_in(ep0.cls->buf + ep0.done, n);
    ep0.done += n;
}

/*
 * Hand the whole request (setup, plus the data of an OUT stage) to the class and start the next
 * stage from its answer. On H7_USB_NAK nothing is armed, so the core answers the host's IN
 * tokens (data or status stage) with NAK, and h7_usb_poll() asks the class again.
 */
static void ask_class(void)
{
    const struct h7_usb_setup *s = &ep0.setup;
    int n = ep0.cls->control(ep0.cls->ctx, s, ep0.cls->buf);
    if (n == H7_USB_NAK) {
        ep0.stage = EP0_WAIT_CLASS;
        return;
    }
    if (n < 0) {
        stall();
        return;
    }
    if (!(s->bmRequestType & REQ_DIR_IN)) {
        status_in();
        return;
    }
    ep0.len = (uint16_t)((uint32_t)n < s->wLength ? (uint32_t)n : s->wLength);
    /* A reply shorter than asked that fills its last packet needs a ZLP to end it. */
    ep0.zlp = ep0.len < s->wLength && ep0.len % H7_USB_EP0_SIZE == 0;
    ep0.stage = EP0_DATA_IN;
    in_next();
}

static void handle_setup(void)
{
    const uint8_t *r = ep0.setup_raw;
    struct h7_usb_setup *s = &ep0.setup;
    s->bmRequestType = r[0];
    s->bRequest = r[1];
    s->wValue = (uint16_t)(r[2] | r[3] << 8);
    s->wIndex = (uint16_t)(r[4] | r[5] << 8);
    s->wLength = (uint16_t)(r[6] | r[7] << 8);
    ep0.done = 0;
    ep0.zlp = false;

    if ((s->bmRequestType & (REQ_DIR_IN | REQ_TYPE_MASK | REQ_RECIPIENT_MASK)) == 0 &&
        s->bRequest == STD_SET_ADDRESS) {
        WR(OTG_DCFG, (RD(OTG_DCFG) & ~OTG_DCFG_DAD_MASK) |
                           H7_FIELD(s->wValue & ADDRESS_MASK, OTG_DCFG_DAD_POS));
        status_in();
        return;
    }
    if (s->wLength > ep0.cls->buf_size) {
        stall();
        return;
    }
    if ((s->bmRequestType & REQ_DIR_IN) || s->wLength == 0) {
        ask_class();
        return;
    }
    ep0.len = s->wLength;
    ep0.stage = EP0_DATA_OUT;
    arm_out();
}

static void read_fifo(uint8_t *dst, uint32_t n, uint32_t room)
{
    for (uint32_t i = 0; i < n; i += 4) {
        uint32_t w = RD(OTG_FIFO(0));
        for (uint32_t b = 0; b < 4 && i + b < n; b++)
            if (i + b < room)
                dst[i + b] = (uint8_t)(w >> (8 * b));
    }
}

static void rx_level(void)
{
    uint32_t st = RD(OTG_GRXSTSP);
    uint32_t bcnt = (st & OTG_GRXSTS_BCNT_MASK) >> OTG_GRXSTS_BCNT_POS;
    uint32_t kind = (st & OTG_GRXSTS_PKTSTS_MASK) >> OTG_GRXSTS_PKTSTS_POS;
    if ((st & OTG_GRXSTS_EPNUM_MASK) != 0) {
        read_fifo(0, bcnt, 0); /* no other endpoint is enabled: drop */
        return;
    }
    if (kind == OTG_PKTSTS_SETUP_DATA) {
        read_fifo(ep0.setup_raw, bcnt, SETUP_BYTES);
    } else if (kind == OTG_PKTSTS_OUT_DATA) {
        uint32_t room = ep0.stage == EP0_DATA_OUT ? (uint32_t)ep0.len - ep0.done : 0;
        read_fifo(ep0.cls->buf + ep0.done, bcnt, room);
        if (ep0.stage == EP0_DATA_OUT)
            ep0.done = (uint16_t)(ep0.done + (bcnt < room ? bcnt : room));
    }
}

static void out_complete(void)
{
    if (ep0.stage == EP0_DATA_OUT) {
        if (ep0.done < ep0.len) {
            arm_out();
            return;
        }
        ask_class();
        return;
    }
    if (ep0.stage == EP0_STATUS_OUT)
        ep0.stage = EP0_IDLE;
    arm_out();
}

static void in_complete(void)
{
    if (ep0.stage == EP0_DATA_IN) {
        if (ep0.done < ep0.len || ep0.zlp) {
            in_next();
            return;
        }
        ep0.stage = EP0_STATUS_OUT;
        arm_out();
        return;
    }
    if (ep0.stage == EP0_STATUS_IN) {
        ep0.stage = EP0_IDLE;
        arm_out(); /* ready for the next SETUP (RM0433 §57.15.6: re-arm EP0 OUT) */
    }
}

static void bus_reset(void)
{
    CLR(OTG_DCFG, OTG_DCFG_DAD_MASK);
    WR(OTG_GRXFSIZ, RX_FIFO_WORDS);
    WR(OTG_DIEPTXF0, RX_FIFO_WORDS | (TX0_FIFO_WORDS << 16));
    WR(OTG_GRSTCTL, OTG_GRSTCTL_TXFFLSH | H7_FIELD(OTG_GRSTCTL_TXFNUM_ALL, OTG_GRSTCTL_TXFNUM_POS));
    (void)wait_clear(OTG_GRSTCTL, OTG_GRSTCTL_TXFFLSH, RESET_TIMEOUT_US);
    WR(OTG_GRSTCTL, OTG_GRSTCTL_RXFFLSH);
    (void)wait_clear(OTG_GRSTCTL, OTG_GRSTCTL_RXFFLSH, RESET_TIMEOUT_US);
    WR(OTG_DIEPINT0, OTG_EPINT_ALL);
    WR(OTG_DOEPINT0, OTG_EPINT_ALL);
    WR(OTG_DAINTMSK, DAINT_IEP0 | DAINT_OEP0);
    WR(OTG_DIEPMSK, OTG_EPINT_XFRC);
    WR(OTG_DOEPMSK, OTG_EPINT_XFRC | OTG_EPINT_STUP);
    ep0.stage = EP0_IDLE;
    arm_out();
    if (ep0.cls->bus_reset)
        ep0.cls->bus_reset(ep0.cls->ctx);
}

/* The core's events; true if there was one. */
static bool core_events(void)
{
    uint32_t gint = RD(OTG_GINTSTS) & RD(OTG_GINTMSK);
    if (!gint)
        return false;
    if (gint & OTG_GINT_USBRST) {
        WR(OTG_GINTSTS, OTG_GINT_USBRST);
        bus_reset();
    }
    if (gint & OTG_GINT_ENUMDNE) {
        WR(OTG_GINTSTS, OTG_GINT_ENUMDNE);
        WR(OTG_DIEPCTL0, (RD(OTG_DIEPCTL0) & ~3u) | OTG_EPCTL_MPSIZ64);
        SET(OTG_DCTL, OTG_DCTL_CGINAK);
    }
    if (gint & OTG_GINT_USBSUSP)
        WR(OTG_GINTSTS, OTG_GINT_USBSUSP);
    while (RD(OTG_GINTSTS) & OTG_GINT_RXFLVL)
        rx_level();
    if (gint & OTG_GINT_OEPINT) {
        uint32_t ep = RD(OTG_DOEPINT0);
        WR(OTG_DOEPINT0, ep);
        if (ep & OTG_EPINT_STUP)
            handle_setup();
        else if (ep & OTG_EPINT_XFRC)
            out_complete();
    }
    if (gint & OTG_GINT_IEPINT) {
        uint32_t ep = RD(OTG_DIEPINT0);
        WR(OTG_DIEPINT0, ep);
        if (ep & OTG_EPINT_XFRC)
            in_complete();
    }
    return true;
}

bool h7_usb_poll(void)
{
    /* Events first (a new SETUP or a bus reset replaces a request the class has not answered);
     * when the core is quiet, ask the class again. */
    if (core_events())
        return true;
    if (ep0.stage != EP0_WAIT_CLASS)
        return false;
    ask_class();
    return ep0.stage != EP0_WAIT_CLASS;
}

bool h7_usb_idle(void)
{
    return ep0.stage == EP0_IDLE;
}

int h7_usb_init(const struct h7_usb_class *cls)
{
    ep0.cls = cls;
    ep0.stage = EP0_IDLE;
    h7_gpio_config(GPIO_PORT_A, USB_PINS_A, GPIO_MODE_AF, USB_AF, GPIO_PULL_NONE);
    SET(PWR_CR3, PWR_CR3_USB33DEN); /* USB voltage level detector (RM0433 §6.8.4) */
    if (wait_set(PWR_CR3, PWR_CR3_USB33RDY, USB33_TIMEOUT_US))
        return -1;
    SET(RCC_AHB1ENR, RCC_AHB1_USB2OTGFS);
    (void)RD(RCC_AHB1ENR);

    SET(OTG_GUSBCFG, OTG_GUSBCFG_PHYSEL);
    if (wait_set(OTG_GRSTCTL, OTG_GRSTCTL_AHBIDL, RESET_TIMEOUT_US))
        return -1;
    SET(OTG_GRSTCTL, OTG_GRSTCTL_CSRST);
    if (wait_clear(OTG_GRSTCTL, OTG_GRSTCTL_CSRST, RESET_TIMEOUT_US))
        return -1;

    /* Transceiver on; VBUS is not sensed on the Seed: force the B-session valid. */
    WR(OTG_GCCFG, (RD(OTG_GCCFG) & ~OTG_GCCFG_VBDEN) | OTG_GCCFG_PWRDWN);
    SET(OTG_GOTGCTL, OTG_GOTGCTL_BVALOEN | OTG_GOTGCTL_BVALOVAL);
    WR(OTG_GUSBCFG, (RD(OTG_GUSBCFG) & ~OTG_GUSBCFG_TRDT_MASK) | OTG_GUSBCFG_FDMOD |
                          H7_FIELD(TRDT_AHB_ABOVE_32MHZ, OTG_GUSBCFG_TRDT_POS));
    h7_delay_us(FORCE_MODE_DELAY_US);

    WR(OTG_PCGCCTL, 0);
    WR(OTG_DCFG, OTG_DCFG_DSPD_FS);
    bus_reset();
    WR(OTG_GINTSTS, 0xFFFFFFFFu); /* write-1-to-clear every pending flag */
    WR(OTG_GINTMSK, OTG_GINT_USBRST | OTG_GINT_ENUMDNE | OTG_GINT_RXFLVL |
                          OTG_GINT_IEPINT | OTG_GINT_OEPINT | OTG_GINT_USBSUSP);
    CLR(OTG_DCTL, OTG_DCTL_SDIS); /* connect */
    return 0;
}

void h7_usb_detach(void)
{
    SET(OTG_DCTL, OTG_DCTL_SDIS);
    WR(OTG_GINTMSK, 0);
    CLR(OTG_GCCFG, OTG_GCCFG_PWRDWN);
}
