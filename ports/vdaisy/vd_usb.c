/*
 * vd_usb.c — the USB OTG FS core of the virtual Daisy, and a host that enumerates it.
 *
 * The core is ports/host/otg_model (the model the USB driver's host tests already use, RM0433
 * §57.15.6 device-mode programming interface): the machine routes the CPU's accesses to the
 * core's block (0x4008_0000, 256 KB with the FIFOs, RCC_AHB1ENR.USB2OTGFSEN bit 27 gate) into
 * the model's register functions. The model keeps any register it has no rule for as plain
 * memory: unlike the other models, an unknown OTG register does not stop the run.
 *
 * vd_usb_enumerate plays what a host and the kernel do when a DFU device is plugged in and
 * `dfu-util -l` runs: wait for the device's pull-up (DCTL.SDIS cleared), bus reset, SET_ADDRESS, device and configuration descriptors, the
 * interface strings of every alternate setting, SET_CONFIGURATION, DFU_GETSTATUS. Between
 * packets the CPU runs (the real bootloader binary polls the core), 20 us of simulated time per
 * step.
 */
#include <errno.h>
#include <string.h>

#include "otg_model.h"
#include "vd_internal.h"
#include "vd_usb.h"

#define OTG_FS_BASE 0x40080000u
#define OTG_FS_SIZE 0x40000u
#define RCC_AHB1ENR 0x0D8u
#define USB2OTGFSEN 27u
#define STEP_NS 20000u
#define DESC_DEVICE 1u
#define DESC_CONFIG 2u
#define DESC_STRING 3u
#define DESC_INTERFACE 4u
#define DFU_GETSTATUS 3u
#define LANGID_EN_US 0x0409u
#define ADDRESS 7u
#define DCTL 0x804u
#define DCTL_SDIS 0x2u
#define ATTACH_NS 100000000ull /* a device that has not connected by then is not there */
#define DEBOUNCE_NS 1000000ull
#define GIVE_UP_NS 500000000ull /* let the bootloader bring USB up before the host speaks */

uint32_t h7_mock_rd(uint32_t addr);
void h7_mock_wr(uint32_t addr, uint32_t v);

struct vd_usb {
    struct vd_periph p;
    struct vd_machine *m;
    bool connected;
};

static struct vd_usb *the_usb; /* one core per process, like the model behind it */

static enum vd_result usb_read(void *ctx, uint32_t off, unsigned size, uint32_t *val)
{
    if (size != 4)
        return VD_UNMODELLED;
    *val = h7_mock_rd(((struct vd_usb *)ctx)->p.base + off);
    return VD_OK;
}

static enum vd_result usb_write(void *ctx, uint32_t off, unsigned size, uint32_t val)
{
    if (size != 4)
        return VD_UNMODELLED;
    struct vd_usb *u = ctx;
    /* OTG_DCTL.SDIS (bit 1) cleared: the D+ pull-up is on, a host sees the device (RM0433
     * §57.14.40). */
    if (off == DCTL && !(val & DCTL_SDIS) && !u->connected) {
        u->connected = true;
        vd_trace(u->m, "OTG_FS: device connected (DCTL.SDIS clear)");
    }
    h7_mock_wr(u->p.base + off, val);
    return VD_OK;
}

static void usb_reset(void *ctx, bool power_on)
{
    (void)power_on;
    ((struct vd_usb *)ctx)->connected = false;
    otg_model_reset();
}

static struct vd_machine *error_machine;

static void model_error(const char *why)
{
    if (error_machine)
        vd_violation(error_machine, "OTG_FS: %s", why);
}

void vd_usb_new(struct vd_machine *m)
{
    struct vd_usb *u = vd_alloc(m, sizeof *u);
    u->m = m;
    u->p = (struct vd_periph){.name = "OTG_FS", .base = OTG_FS_BASE, .size = OTG_FS_SIZE,
                              .gate = {RCC_AHB1ENR, USB2OTGFSEN}, .ctx = u, .read = usb_read,
                              .write = usb_write, .reset = usb_reset};
    error_machine = m;
    the_usb = u;
    otg_model_set_error_hook(model_error);
    vd_add_periph(m, &u->p);
}

/* ---- the host ------------------------------------------------------------------------------ */

struct run_ctx {
    struct vd_machine *m;
    struct vd_run_limits lim;
    uint64_t give_up_ns; /* a host gives up on a device that NAKs for this long */
};

static int run_device(void *ctx, bool nak)
{
    struct run_ctx *r = ctx;
    if (nak && vd_now_ns(r->m) > r->give_up_ns)
        return -ETIMEDOUT;
    r->lim.timeout_ns = vd_now_ns(r->m) + STEP_NS;
    enum vd_stop s = vd_run(r->m, &r->lim);
    return s == VD_STOP_TIMEOUT ? 0 : -ENODEV;
}

static int control(struct run_ctx *r, uint8_t type, uint8_t req, uint16_t value, uint16_t index,
                   uint16_t len, uint8_t *data)
{
    const uint8_t setup[8] = {type, req, (uint8_t)value, (uint8_t)(value >> 8), (uint8_t)index,
                              (uint8_t)(index >> 8), (uint8_t)len, (uint8_t)(len >> 8)};
    return otg_model_control(setup, data, run_device, r);
}

static void string_ascii(struct run_ctx *r, uint8_t idx, char *out, size_t size)
{
    uint8_t buf[255];
    out[0] = 0;
    int n = control(r, 0x80, 6, (uint16_t)(DESC_STRING << 8 | idx), LANGID_EN_US, sizeof buf, buf);
    size_t o = 0;
    for (int i = 2; i + 1 < n && i < buf[0] && o + 1 < size; i += 2)
        out[o++] = buf[i + 1] ? '?' : (char)buf[i];
    out[o] = 0;
}

static struct run_ctx host;

int vd_usb_enumerate(struct vd_machine *m, FILE *out)
{
    struct run_ctx r = {.m = m};
    /* Wait for the device to connect (its pull-up), then a debounce, as a hub does. */
    uint64_t until = vd_now_ns(m) + ATTACH_NS;
    while (!the_usb->connected && vd_now_ns(m) < until)
        if (run_device(&r, false))
            return -1;
    if (!the_usb->connected)
        return -1;
    r.lim.timeout_ns = vd_now_ns(m) + DEBOUNCE_NS;
    if (vd_run(m, &r.lim) != VD_STOP_TIMEOUT)
        return -1;
    r.give_up_ns = vd_now_ns(m) + GIVE_UP_NS;
    otg_model_bus_reset();
    if (run_device(&r, false) || control(&r, 0x00, 5, ADDRESS, 0, 0, NULL) < 0)
        return -1;
    uint8_t dev[18], cfg[255], st[6];
    int n = control(&r, 0x80, 6, DESC_DEVICE << 8, 0, sizeof dev, dev);
    if (n != (int)sizeof dev)
        return -1;
    fprintf(out, "usb_device=%04x:%04x\n", dev[8] | dev[9] << 8, dev[10] | dev[11] << 8);
    n = control(&r, 0x80, 6, DESC_CONFIG << 8, 0, sizeof cfg, cfg);
    if (n < 9)
        return -1;
    for (int i = 0; i + 1 < n && cfg[i] >= 2; i += cfg[i]) {
        if (cfg[i + 1] != DESC_INTERFACE || i + 8 >= n)
            continue;
        char name[128];
        string_ascii(&r, cfg[i + 8], name, sizeof name);
        fprintf(out, "usb_alt%u=%s\n", cfg[i + 3], name);
    }
    if (control(&r, 0x00, 9, 1, 0, 0, NULL) < 0)
        return -1;
    n = control(&r, 0xA1, DFU_GETSTATUS, 0, 0, sizeof st, st);
    if (n != (int)sizeof st)
        return -1;
    fprintf(out, "dfu_status=%u\ndfu_state=%u\n", st[0], st[4]);
    host = r;
    const struct otg_model_stats *s = otg_model_stats();
    fprintf(out, "usb_setups=%u\nusb_naks=%u\nusb_errors=%u\n", s->setups, s->naks, s->errors);
    return 0;
}

/* ---- DfuSe download (what `dfu-util -a 0 -s ADDR:leave -D FILE` sends, UM0391) --------------- */

#define DFU_DNLOAD 1u
#define DFU_CLRSTATUS 4u
#define SET_INTERFACE 11u
#define DFUSE_SET_ADDRESS 0x21u
#define DFUSE_ERASE 0x41u
#define STATE_DNBUSY 4u
#define STATE_DNLOAD_IDLE 5u
#define STATE_MANIFEST 7u
#define STATE_ERROR 10u
#define XFER 2048u      /* the device's wTransferSize (H7_DFU_BOARD_XFER) */
#define PAGE 0x10000u   /* the flash alt's 64 KB pages ("128*64Kg") */

/* GETSTATUS until the device leaves dfuDNBUSY, running it for each bwPollTimeout. */
static int wait_idle(struct run_ctx *r, FILE *out, uint8_t *state)
{
    for (unsigned tries = 0; tries < 10000u; tries++) {
        uint8_t st[6];
        if (control(r, 0xA1, DFU_GETSTATUS, 0, 0, sizeof st, st) != (int)sizeof st)
            return -1;
        *state = st[4];
        if (st[4] == STATE_ERROR) {
            fprintf(out, "dfu_error=%u\n", st[0]);
            return -1;
        }
        if (st[4] != STATE_DNBUSY)
            return 0;
        uint32_t poll_ms = st[1] | st[2] << 8 | (uint32_t)st[3] << 16;
        r->lim.timeout_ns = vd_now_ns(r->m) + (uint64_t)(poll_ms ? poll_ms : 1u) * 1000000u;
        if (vd_run(r->m, &r->lim) != VD_STOP_TIMEOUT)
            return -1;
    }
    return -1;
}

static int dfuse_command(struct run_ctx *r, FILE *out, uint8_t cmd, uint32_t addr)
{
    uint8_t c[5] = {cmd, (uint8_t)addr, (uint8_t)(addr >> 8), (uint8_t)(addr >> 16),
                    (uint8_t)(addr >> 24)};
    uint8_t state;
    if (control(r, 0x21, DFU_DNLOAD, 0, 0, sizeof c, c) != (int)sizeof c)
        return -1;
    return wait_idle(r, out, &state);
}

int vd_usb_dfuse_download(struct vd_machine *m, const uint8_t *data, uint32_t len, uint32_t addr,
                          FILE *out)
{
    struct run_ctx *r = &host;
    if (r->m != m || !len)
        return -1;
    uint8_t state;
    if (control(r, 0x01, SET_INTERFACE, 0, 0, 0, NULL) < 0)
        return -1;
    for (uint32_t page = addr & ~(PAGE - 1u); page < addr + len; page += PAGE)
        if (dfuse_command(r, out, DFUSE_ERASE, page))
            return -1;
    if (dfuse_command(r, out, DFUSE_SET_ADDRESS, addr))
        return -1;
    uint8_t chunk[XFER];
    for (uint32_t off = 0, block = 2; off < len; off += XFER, block++) {
        uint32_t n = len - off < XFER ? len - off : XFER;
        memcpy(chunk, data + off, n);
        if (control(r, 0x21, DFU_DNLOAD, (uint16_t)block, 0, (uint16_t)n, chunk) != (int)n ||
            wait_idle(r, out, &state))
            return -1;
    }
    /* Leave (dfu-util's ":leave"): the address, then a zero-length DNLOAD; GETSTATUS until the
     * device manifests. It then leaves the bus and resets: the runs stop at the new app's first
     * instruction if it gets there while the host is still polling. */
    if (dfuse_command(r, out, DFUSE_SET_ADDRESS, addr) ||
        control(r, 0x21, DFU_DNLOAD, 2, 0, 0, NULL) < 0)
        return -1;
    fprintf(out, "dfu_downloaded=%u\n", len);
    r->lim.stop_at_app = true;
    state = 0;
    (void)wait_idle(r, out, &state);
    fprintf(out, "dfu_leave_state=%u\n", state);
    return 0;
}
