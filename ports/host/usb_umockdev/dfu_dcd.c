/* dfu_dcd.c — the DFU class behind usb_dcd.c over the OTG core model (see dfu_dcd.h). */
#include "dfu_dcd.h"

#include <errno.h>
#include <string.h>

#include "otg_model.h"
#include "stm32h750_regs.h"
#include "usb_dcd.h"

_Static_assert(H7_USB_NAK == H7_DFU_NAK, "the driver retries what the class NAKs");

static uint8_t ep0_buf[H7_DFU_XFER_MAX]; /* Linux caps a control transfer at 4096 bytes */

static int class_control(void *ctx, const struct h7_usb_setup *s, uint8_t *buf)
{
    struct dfu_host *h = ctx;
    return h7_dfu_control(&h->dfu, s, buf);
}

static void class_bus_reset(void *ctx)
{
    struct dfu_host *h = ctx;
    h7_dfu_bus_reset(&h->dfu);
}

static struct h7_usb_class cls = {
    .control = class_control, .bus_reset = class_bus_reset,
    .buf = ep0_buf, .buf_size = sizeof ep0_buf,
};

static void usb_quiet(void)
{
    for (int i = 0; i < 1000 && h7_usb_poll(); i++) {
    }
}

/* One pass of the bootloader's main loop (boot_main.c): the driver until quiet, then the
 * class's poll on the next simulated millisecond. After a leave the device only lets the last
 * status stage go out (boot_main.c's dfu_leave). */
static void main_loop_pass(struct dfu_host *h)
{
    usb_quiet();
    if (!h->dead && !h->left)
        dfu_host_step(h);
}

/*
 * The device between packets. Time model: the class's background work (h7_dfu_poll) gets time
 * only while the host waits — on a NAKed packet here, and for the bwPollTimeout a GETSTATUS
 * reply asks for (dfu_dcd_control) — not between a packet and the next one. That is the worst
 * case for the class: a request can arrive before the work the last one queued has run, so
 * the class's "not now" (H7_DFU_NAK) is exercised. After a packet the driver handles the core's
 * events (its interrupt-like part) and nothing else.
 */
static int run_device(void *ctx, bool nak)
{
    struct dfu_host *h = ctx;
    if (h->dead)
        return -ENODEV;
    if (nak)
        main_loop_pass(h);
    else
        usb_quiet();
    return h->dead ? -ENODEV : 0;
}

/* The host waits `ms` (dfu-util sleeps bwPollTimeout after a GETSTATUS): a main loop pass per
 * simulated millisecond, at most DFU_DCD_WAIT_MAX_MS. */
#define DFU_DCD_WAIT_MAX_MS 10000u
static void host_waits(struct dfu_host *h, uint32_t ms)
{
    for (uint32_t i = 0; i < ms && i < DFU_DCD_WAIT_MAX_MS && !h->dead && !h->left; i++)
        main_loop_pass(h);
}

static int set_address(struct dfu_host *h)
{
    const uint8_t s[8] = {0x00, 5, DFU_DCD_ADDRESS, 0, 0, 0, 0, 0};
    int r = otg_model_control(s, NULL, run_device, h);
    uint32_t dad = (*otg_model_reg(OTG_DCFG) & OTG_DCFG_DAD_MASK) >> OTG_DCFG_DAD_POS;
    if (r == 0 && dad != DFU_DCD_ADDRESS) {
        fprintf(stderr, "dfu_dcd: SET_ADDRESS %d left DCFG.DAD at %u\n", DFU_DCD_ADDRESS, dad);
        return -EPROTO;
    }
    return r;
}

int dfu_dcd_attach(struct dfu_host *h)
{
    cls.ctx = h;
    if (h7_usb_init(&cls)) {
        fprintf(stderr, "dfu_dcd: h7_usb_init failed\n");
        return -EIO;
    }
    if (*otg_model_reg(OTG_DCTL) & OTG_DCTL_SDIS) {
        fprintf(stderr, "dfu_dcd: the driver did not connect (DCTL.SDIS set)\n");
        return -EIO;
    }
    otg_model_bus_reset();
    usb_quiet();
    int r = set_address(h);
    if (r < 0)
        fprintf(stderr, "dfu_dcd: SET_ADDRESS failed (%s)\n", strerror(-r));
    return r;
}

int dfu_dcd_control(struct dfu_host *h, const uint8_t setup[8], uint8_t *data)
{
    if (h->dead || h->left)
        return -ENODEV;
    const struct h7_usb_setup s = {setup[0], setup[1], (uint16_t)(setup[2] | setup[3] << 8),
                                   (uint16_t)(setup[4] | setup[5] << 8),
                                   (uint16_t)(setup[6] | setup[7] << 8)};
    dfu_host_trace(h, &s, data);
    int r = otg_model_control(setup, data, run_device, h);
    dfu_host_log(h, &s, r == -EPIPE ? H7_DFU_STALL : r, data);
    if (s.bmRequestType == 0xA1 && s.bRequest == 3 && r == 6) /* GETSTATUS: bwPollTimeout */
        host_waits(h, (uint32_t)(data[1] | data[2] << 8 | data[3] << 16));
    return r;
}

void dfu_dcd_bus_reset(struct dfu_host *h)
{
    if (h->dead || h->left)
        return;
    otg_model_bus_reset();
    usb_quiet();
    dfu_host_run(h);
    if (!h->dead && !h->left)
        (void)set_address(h);
}

void dfu_dcd_print_summary(FILE *out)
{
    const struct otg_model_stats *st = otg_model_stats();
    fprintf(out,
            "[otg] setups=%u in_packets=%u out_packets=%u naks=%u stalls=%u resets=%u "
            "errors=%u\n",
            st->setups, st->in_packets, st->out_packets, st->naks, st->stalls, st->resets,
            st->errors);
}
