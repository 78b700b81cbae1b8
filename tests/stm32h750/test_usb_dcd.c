/*
 * Host unit tests of the USB OTG FS device controller driver (ports/stm32h750/usb_dcd.c),
 * built with H7_USB_DCD_MOCK: the driver's register reads and writes go to the model of the
 * OTG core's device-mode programming interface in ports/host/otg_model (RM0433 §57.15.6). The
 * tests play the host: SETUP, IN and OUT packets, bus reset, and check what the driver puts on
 * the wire and hands the class; the last ones play whole control transfers through the model's
 * host-controller layer (otg_model_control, which dfu_umockdev --through-dcd uses).
 *
 * This checks the driver's control-transfer logic against that model; it does not prove the
 * real core behaves like the model (nothing here ran on a board).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "otg_model.h"
#include "stm32h750_regs.h"
#include "usb_dcd.h"

/* ---- the host side, one packet at a time (the core is ports/host/otg_model) ---- */
#define reg otg_model_reg

static void model_error(const char *why)
{
    fail_msg("OTG core model: %s", why);
}

static void poll_all(void)
{
    for (int i = 0; i < 16 && h7_usb_poll(); i++) {
    }
}

static void host_setup(uint8_t rt, uint8_t req, uint16_t val, uint16_t idx, uint16_t len)
{
    const uint8_t s[8] = {rt, req, (uint8_t)val, (uint8_t)(val >> 8),
                          (uint8_t)idx, (uint8_t)(idx >> 8), (uint8_t)len, (uint8_t)(len >> 8)};
    otg_model_setup(s);
    poll_all();
}

/* Take the IN packet the driver queued; returns its length (-1: nothing queued, or STALL). */
static int host_in(uint8_t *out)
{
    int n = otg_model_in(out);
    if (n < 0)
        return -1;
    poll_all();
    return n;
}

static void host_out(const uint8_t *data, uint32_t n)
{
    assert_int_equal(otg_model_out(data, n), 0); /* the driver armed EP0 OUT */
    poll_all();
}

#define stalled otg_model_stalled

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
    otg_model_reset();
    otg_model_set_error_hook(model_error);
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
    otg_model_bus_reset();
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

/* ---- whole control transfers through the model's host-controller layer ---- */
static int runs;

/* The device runs: the driver until quiet (the class has no background work here). */
static int run_device(void *ctx, bool nak)
{
    (void)ctx, (void)nak;
    runs++;
    poll_all();
    return 0;
}

static void transfer_in_out_and_stall(void **state)
{
    (void)state;
    uint8_t in[200], out[150];
    for (unsigned i = 0; i < sizeof out; i++)
        out[i] = (uint8_t)(i ^ 0x5C);
    /* IN, 130 bytes in 64 + 64 + 2 */
    reply_len = 130;
    const uint8_t get[8] = {0xA1, 2, 2, 0, 0, 0, 130, 0};
    assert_int_equal(otg_model_control(get, in, run_device, 0), 130);
    assert_memory_equal(in, reply, 130);
    assert_true(h7_usb_idle());
    /* IN, 64 of 200 asked: ended by the ZLP */
    reply_len = 64;
    const uint8_t get_long[8] = {0x80, 6, 0, 2, 0, 0, 200, 0};
    assert_int_equal(otg_model_control(get_long, in, run_device, 0), 64);
    /* OUT, 150 bytes in 64 + 64 + 22 */
    reply_len = 0;
    const uint8_t put[8] = {0x21, 1, 2, 0, 0, 0, 150, 0};
    assert_int_equal(otg_model_control(put, out, run_device, 0), 150);
    assert_int_equal(last.wLength, 150);
    assert_memory_equal(last_data, out, 150);
    /* refused: -EPIPE, as Linux reports a STALL */
    reply_len = -1;
    assert_int_equal(otg_model_control(put, out, run_device, 0), -EPIPE);
    assert_int_equal(otg_model_control(get, in, run_device, 0), -EPIPE);
    const struct otg_model_stats *st = otg_model_stats();
    assert_int_equal(st->stalls, 2);
    assert_int_equal(st->naks, 0); /* the class never said "not now" */
    assert_int_equal(st->errors, 0);
}

/* The class NAKs: the host controller retries while the device runs, and counts the NAKs. */
static void transfer_retries_naks(void **state)
{
    (void)state;
    uint8_t in[8], out[8] = {9, 8, 7, 6, 5, 4, 3, 2};
    reply_len = 6;
    naks = 3;
    const uint8_t up[8] = {0xA1, 2, 2, 0, 0, 0, 6, 0};
    assert_int_equal(otg_model_control(up, in, run_device, 0), 6);
    assert_memory_equal(in, reply, 6);
    assert_int_equal(calls, 4);
    /* the device's first run asked the class twice (at the SETUP, then once quiet); the host's
     * next two IN tokens found nothing armed, the third took the reply */
    assert_int_equal(otg_model_stats()->naks, 2);
    reply_len = 0;
    naks = 2;
    const uint8_t dn[8] = {0x21, 1, 3, 0, 0, 0, 8, 0};
    assert_int_equal(otg_model_control(dn, out, run_device, 0), 8);
    assert_memory_equal(last_data, out, 8);
    assert_int_equal(otg_model_stats()->naks, 3); /* the status stage waited once */
    /* a class that never answers: the host gives up */
    naks = 1 << 30;
    runs = 0;
    assert_int_equal(otg_model_control(up, in, run_device, 0), -ETIMEDOUT);
    assert_true(runs > (int)OTG_MODEL_NAK_LIMIT);
    assert_int_equal(otg_model_stats()->errors, 0);
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
        cmocka_unit_test_setup(transfer_in_out_and_stall, setup),
        cmocka_unit_test_setup(transfer_retries_naks, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
