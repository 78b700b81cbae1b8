/*
 * Host unit tests of the USB OTG FS device controller driver (ports/stm32h750/usb_dcd.c),
 * built with H7_USB_DCD_MOCK: the driver's register reads and writes go to a small model of the
 * OTG core's device-mode programming interface (RM0433 §57.15.6): a receive FIFO with status
 * entries popped through GRXSTSP, write-1-to-clear interrupt registers, self-clearing reset
 * bits, and an EP0 transmit FIFO collected into packets. The tests play the host: SETUP, IN
 * and OUT packets, bus reset, and check what the driver puts on the wire and hands the class.
 *
 * This checks the driver's control-transfer logic against that model; it does not prove the
 * real core behaves like the model (nothing here ran on a board).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "h7_port.h"
#include "stm32h750_regs.h"
#include "usb_dcd.h"

/* ---- driver dependencies that are not under test ---- */
uint32_t h7_cpu_hz = 480000000u;
void h7_gpio_config(uint32_t port, uint32_t pins, uint32_t mode, uint32_t af, uint32_t pull)
{
    (void)port, (void)pins, (void)mode, (void)af, (void)pull;
}
uint32_t h7_cycles(void) { return 0; }
uint32_t h7_us_since(uint32_t start) { (void)start; return 0; }
void h7_delay_us(uint32_t us) { (void)us; }

/* ---- the core model ---- */
#define MAX_REGS 64
#define QMAX 256
static struct { uint32_t addr, val; } regs[MAX_REGS];
static unsigned n_regs;
static uint32_t stsq[QMAX], fifoq[QMAX], txq[QMAX];
static unsigned sts_head, sts_tail, fifo_head, fifo_tail, n_tx;

static uint32_t *reg(uint32_t addr)
{
    for (unsigned i = 0; i < n_regs; i++)
        if (regs[i].addr == addr)
            return &regs[i].val;
    assert_true(n_regs < MAX_REGS);
    regs[n_regs].addr = addr;
    regs[n_regs].val = 0;
    return &regs[n_regs++].val;
}

uint32_t h7_mock_rd(uint32_t addr)
{
    if (addr == OTG_GRXSTSP) {
        assert_true(sts_head < sts_tail); /* the driver pops only when RXFLVL says so */
        return stsq[sts_head++];
    }
    if (addr == OTG_FIFO(0)) {
        assert_true(fifo_head < fifo_tail);
        return fifoq[fifo_head++];
    }
    if (addr == OTG_GINTSTS)
        return *reg(addr) | (sts_head < sts_tail ? OTG_GINT_RXFLVL : 0u);
    if (addr == OTG_GRSTCTL)
        return *reg(addr) | OTG_GRSTCTL_AHBIDL;
    if (addr == PWR_CR3)
        return *reg(addr) | PWR_CR3_USB33RDY;
    return *reg(addr);
}

void h7_mock_wr(uint32_t addr, uint32_t v)
{
    if (addr == OTG_FIFO(0)) {
        assert_true(n_tx < QMAX);
        txq[n_tx++] = v;
    } else if (addr == OTG_GINTSTS || addr == OTG_DIEPINT0 || addr == OTG_DOEPINT0) {
        *reg(addr) &= ~v; /* write 1 to clear */
        /* GINTSTS.OEPINT/IEPINT are read-only ORs of the endpoint flags (RM0433 §57.14.6) */
        if (addr == OTG_DOEPINT0 && *reg(addr) == 0)
            *reg(OTG_GINTSTS) &= ~OTG_GINT_OEPINT;
        if (addr == OTG_DIEPINT0 && *reg(addr) == 0)
            *reg(OTG_GINTSTS) &= ~OTG_GINT_IEPINT;
    } else if (addr == OTG_GRSTCTL) {
        *reg(addr) = v & ~(OTG_GRSTCTL_CSRST | OTG_GRSTCTL_RXFFLSH | OTG_GRSTCTL_TXFFLSH);
    } else {
        *reg(addr) = v;
    }
}

static void raise(uint32_t epint_reg, uint32_t epbit, uint32_t gint)
{
    *reg(epint_reg) |= epbit;
    *reg(OTG_GINTSTS) |= gint;
}

static void poll_all(void)
{
    for (int i = 0; i < 16 && h7_usb_poll(); i++) {
    }
}

static void push_rx(uint32_t pktsts, const uint8_t *data, uint32_t n)
{
    stsq[sts_tail++] = (pktsts << OTG_GRXSTS_PKTSTS_POS) | (n << OTG_GRXSTS_BCNT_POS);
    for (uint32_t i = 0; i < n; i += 4) {
        uint32_t w = 0;
        for (uint32_t b = 0; b < 4 && i + b < n; b++)
            w |= (uint32_t)data[i + b] << (8 * b);
        fifoq[fifo_tail++] = w;
    }
}

/* ---- the host side ---- */
static void host_setup(uint8_t rt, uint8_t req, uint16_t val, uint16_t idx, uint16_t len)
{
    const uint8_t s[8] = {rt, req, (uint8_t)val, (uint8_t)(val >> 8),
                          (uint8_t)idx, (uint8_t)(idx >> 8), (uint8_t)len, (uint8_t)(len >> 8)};
    push_rx(OTG_PKTSTS_SETUP_DATA, s, 8);
    push_rx(OTG_PKTSTS_SETUP_DONE, 0, 0);
    /* a new SETUP clears a STALL (the core does this on EP0) */
    *reg(OTG_DIEPCTL0) &= ~OTG_EPCTL_STALL;
    *reg(OTG_DOEPCTL0) &= ~OTG_EPCTL_STALL;
    raise(OTG_DOEPINT0, OTG_EPINT_STUP, OTG_GINT_OEPINT);
    poll_all();
}

/* Take the IN packet the driver queued; returns its length (-1: nothing queued). */
static int host_in(uint8_t *out)
{
    if (!(*reg(OTG_DIEPCTL0) & OTG_EPCTL_EPENA))
        return -1;
    uint32_t n = *reg(OTG_DIEPTSIZ0) & 0x7Fu;
    assert_int_equal((*reg(OTG_DIEPTSIZ0) >> OTG_DIEPTSIZ0_PKTCNT_POS) & 3u, 1);
    assert_int_equal(n_tx, (n + 3) / 4);
    for (uint32_t i = 0; i < n; i++)
        out[i] = (uint8_t)(txq[i / 4] >> (8 * (i % 4)));
    n_tx = 0;
    *reg(OTG_DIEPCTL0) &= ~OTG_EPCTL_EPENA;
    raise(OTG_DIEPINT0, OTG_EPINT_XFRC, OTG_GINT_IEPINT);
    poll_all();
    return (int)n;
}

static void host_out(const uint8_t *data, uint32_t n)
{
    assert_true(*reg(OTG_DOEPCTL0) & OTG_EPCTL_EPENA); /* the driver armed EP0 OUT */
    assert_true(n <= H7_USB_EP0_SIZE);
    push_rx(OTG_PKTSTS_OUT_DATA, data, n);
    push_rx(OTG_PKTSTS_OUT_DONE, 0, 0);
    *reg(OTG_DOEPCTL0) &= ~OTG_EPCTL_EPENA;
    raise(OTG_DOEPINT0, OTG_EPINT_XFRC, OTG_GINT_OEPINT);
    poll_all();
}

static bool stalled(void)
{
    return (*reg(OTG_DIEPCTL0) & OTG_EPCTL_STALL) && (*reg(OTG_DOEPCTL0) & OTG_EPCTL_STALL);
}

/* ---- the class side ---- */
static uint8_t ep0_buf[2048];
static struct h7_usb_setup last;
static uint8_t last_data[2048];
static int calls, resets, reply_len, naks;
static uint8_t reply[2048];

static int class_control(void *ctx, const struct h7_usb_setup *s, uint8_t *buf)
{
    (void)ctx;
    calls++;
    last = *s;
    if (naks > 0) {
        naks--;
        return H7_USB_NAK;
    }
    if (!(s->bmRequestType & 0x80)) {
        memcpy(last_data, buf, s->wLength);
        return reply_len; /* 0 accept, <0 stall */
    }
    if (reply_len > 0)
        memcpy(buf, reply, (size_t)reply_len);
    return reply_len;
}

static void class_reset(void *ctx)
{
    (void)ctx;
    resets++;
}

static const struct h7_usb_class cls = {
    .ctx = 0, .control = class_control, .bus_reset = class_reset,
    .buf = ep0_buf, .buf_size = sizeof ep0_buf,
};

static int setup(void **state)
{
    (void)state;
    memset(regs, 0, sizeof regs);
    n_regs = sts_head = sts_tail = fifo_head = fifo_tail = n_tx = 0;
    calls = resets = reply_len = naks = 0;
    for (unsigned i = 0; i < sizeof reply; i++)
        reply[i] = (uint8_t)(i * 7 + 1);
    assert_int_equal(h7_usb_init(&cls), 0);
    assert_int_equal(resets, 1);
    /* connected, device mode, full speed, FIFOs sized, EP0 OUT armed for SETUPs */
    assert_false(*reg(OTG_DCTL) & OTG_DCTL_SDIS);
    assert_true(*reg(OTG_GUSBCFG) & OTG_GUSBCFG_FDMOD);
    assert_int_equal(*reg(OTG_DCFG) & 3u, OTG_DCFG_DSPD_FS);
    assert_true(*reg(OTG_GOTGCTL) & OTG_GOTGCTL_BVALOEN);
    assert_int_equal(*reg(OTG_DOEPTSIZ0) >> OTG_DOEPTSIZ0_STUPCNT_POS, 3);
    return 0;
}

static void get_descriptor_short_reply(void **state)
{
    (void)state;
    uint8_t pkt[64];
    reply_len = 18; /* device descriptor, host asked for 64 */
    host_setup(0x80, 6, 0x0100, 0, 64);
    assert_int_equal(calls, 1);
    assert_int_equal(last.wValue, 0x0100);
    assert_int_equal(last.wLength, 64);
    assert_int_equal(host_in(pkt), 18);
    assert_memory_equal(pkt, reply, 18);
    assert_int_equal(host_in(pkt), -1); /* 18 < 64 ends the stage: no ZLP */
    assert_false(h7_usb_idle());
    host_out(0, 0); /* status stage */
    assert_true(h7_usb_idle());
}

static void in_multi_packet_and_zlp(void **state)
{
    (void)state;
    uint8_t pkt[64];
    /* 130 bytes asked, 130 given: 64 + 64 + 2, no ZLP */
    reply_len = 130;
    host_setup(0xA1, 2, 2, 0, 130);
    assert_int_equal(host_in(pkt), 64);
    assert_memory_equal(pkt, reply, 64);
    assert_int_equal(host_in(pkt), 64);
    assert_memory_equal(pkt, reply + 64, 64);
    assert_int_equal(host_in(pkt), 2);
    assert_memory_equal(pkt, reply + 128, 2);
    assert_int_equal(host_in(pkt), -1);
    host_out(0, 0);
    assert_true(h7_usb_idle());
    /* 64 given of 255 asked: a short transfer ending on a packet boundary needs a ZLP */
    reply_len = 64;
    host_setup(0x80, 6, 0x0200, 0, 255);
    assert_int_equal(host_in(pkt), 64);
    assert_int_equal(host_in(pkt), 0);
    assert_int_equal(host_in(pkt), -1);
    host_out(0, 0);
    /* 0 given: one ZLP */
    reply_len = 0;
    host_setup(0xA1, 2, 3, 0, 2048);
    assert_int_equal(host_in(pkt), 0);
    assert_int_equal(host_in(pkt), -1);
    /* the class's reply is clipped to wLength */
    reply_len = 100;
    host_setup(0x80, 6, 0x0300, 0, 10);
    assert_int_equal(host_in(pkt), 10);
    assert_int_equal(host_in(pkt), -1);
}

static void set_address_is_the_drivers(void **state)
{
    (void)state;
    uint8_t pkt[64];
    host_setup(0x00, 5, 42, 0, 0);
    assert_int_equal(calls, 0); /* never passed to the class */
    assert_int_equal((*reg(OTG_DCFG) & OTG_DCFG_DAD_MASK) >> OTG_DCFG_DAD_POS, 42);
    assert_int_equal(host_in(pkt), 0); /* status stage: ZLP IN */
    assert_true(h7_usb_idle());
    assert_true(*reg(OTG_DOEPCTL0) & OTG_EPCTL_EPENA); /* ready for the next SETUP */
    /* a bus reset forgets the address and tells the class */
    *reg(OTG_GINTSTS) |= OTG_GINT_USBRST;
    poll_all();
    assert_int_equal(*reg(OTG_DCFG) & OTG_DCFG_DAD_MASK, 0);
    assert_int_equal(resets, 2);
}

static void out_data_stage(void **state)
{
    (void)state;
    uint8_t data[100], pkt[64];
    for (unsigned i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(0xA0 ^ i);
    reply_len = 0;
    host_setup(0x21, 1, 2, 0, sizeof data); /* DFU DNLOAD block 2, 100 bytes */
    assert_int_equal(calls, 0); /* the class sees the request only with its data */
    host_out(data, 64);
    assert_int_equal(calls, 0);
    host_out(data + 64, 36);
    assert_int_equal(calls, 1);
    assert_int_equal(last.wLength, 100);
    assert_memory_equal(last_data, data, 100);
    assert_int_equal(host_in(pkt), 0); /* status stage */
    assert_true(h7_usb_idle());
    /* no-data OUT request (DFU CLRSTATUS) */
    host_setup(0x21, 4, 0, 0, 0);
    assert_int_equal(calls, 2);
    assert_int_equal(host_in(pkt), 0);
}

static void stalls(void **state)
{
    (void)state;
    uint8_t pkt[64], data[8] = {0};
    reply_len = -1;
    host_setup(0xA1, 3, 0, 0, 6); /* class refuses an IN request */
    assert_true(stalled());
    assert_int_equal(host_in(pkt), -1);
    host_setup(0x21, 1, 0, 0, 8); /* refuses an OUT request after its data */
    host_out(data, 8);
    assert_true(stalled());
    host_setup(0x21, 6, 0, 0, 0); /* refuses a no-data request */
    assert_true(stalled());
    calls = 0;
    reply_len = 0;
    host_setup(0x21, 1, 2, 0, 4096); /* longer than the buffer: STALL, class not asked */
    assert_true(stalled());
    assert_int_equal(calls, 0);
    /* the next good request works again */
    reply_len = 6;
    host_setup(0xA1, 3, 0, 0, 6);
    assert_false(stalled());
    assert_int_equal(host_in(pkt), 6);
}

/* The class says "not now" (H7_DFU_NAK while a download is being finished): nothing goes to
 * the host, the request is asked again at each poll, and the answer then goes out as usual. */
static void nak_then_answer(void **state)
{
    (void)state;
    uint8_t pkt[64], data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    /* IN request (UPLOAD) */
    reply_len = 6;
    naks = 2;
    host_setup(0xA1, 2, 2, 0, 6);
    assert_int_equal(calls, 2); /* asked at the SETUP, and again once the core was quiet */
    assert_false(stalled());
    assert_int_equal(host_in(pkt), -1); /* the data stage is NAKed: nothing queued */
    assert_true(h7_usb_poll()); /* the class answers this time */
    assert_int_equal(calls, 3);
    assert_int_equal(host_in(pkt), 6);
    assert_memory_equal(pkt, reply, 6);
    host_out(0, 0);
    assert_true(h7_usb_idle());
    /* OUT request with data (DNLOAD): the status stage waits for the class */
    calls = 0;
    reply_len = 0;
    naks = 1;
    host_setup(0x21, 1, 3, 0, sizeof data);
    host_out(data, sizeof data);
    assert_int_equal(calls, 2);
    assert_memory_equal(last_data, data, sizeof data); /* the data was kept for the retry */
    assert_int_equal(host_in(pkt), 0);
    assert_true(h7_usb_idle());
    /* no-data OUT request (SET_INTERFACE) NAKed, then refused: STALL */
    calls = 0;
    reply_len = -1;
    naks = 1;
    host_setup(0x01, 11, 1, 0, 0);
    assert_int_equal(calls, 2);
    assert_true(stalled());
    /* a NAKed request the host gave up on is replaced by the next SETUP */
    calls = 0;
    reply_len = 4;
    naks = 1000;
    host_setup(0xA1, 2, 4, 0, 4);
    assert_int_equal(host_in(pkt), -1);
    naks = 0;
    host_setup(0xA1, 3, 0, 0, 4);
    assert_int_equal(last.bRequest, 3); /* the abandoned UPLOAD was not asked again */
    assert_int_equal(calls, 3);
    assert_int_equal(host_in(pkt), 4);
    assert_int_equal(host_in(pkt), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(get_descriptor_short_reply, setup),
        cmocka_unit_test_setup(in_multi_packet_and_zlp, setup),
        cmocka_unit_test_setup(set_address_is_the_drivers, setup),
        cmocka_unit_test_setup(out_data_stage, setup),
        cmocka_unit_test_setup(stalls, setup),
        cmocka_unit_test_setup(nak_then_answer, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
