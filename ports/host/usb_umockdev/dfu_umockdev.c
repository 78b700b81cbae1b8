/*
 * dfu_umockdev — run a USB host program (the real, unmodified dfu-util) against the h7boot DFU
 * class, with no USB hardware: umockdev fakes the sysfs entry and the /dev/bus/usb node of one
 * USB device, and every usbfs ioctl the program's libusb makes on that node is answered here
 * (umockdev forwards them from its LD_PRELOAD library over a socket to our handler).
 *
 *   dfu_umockdev [--board NAME] [--flash IN] [--save OUT] [--cut N] [--fault KIND] [--seed S]
 *                [--record TRACE] [--ram-dump ADDR:LEN:FILE] [--vid V] [--pid P]
 *                [--through-dcd] [-v] -- COMMAND [ARGS...]
 *
 * usbfs emulation: control URBs on endpoint 0 go to the class (dfu_host_control) and complete
 * at once; REAPURB hands them back; SETINTERFACE/SETCONFIGURATION become the standard requests
 * the kernel would send; RESET is a bus reset. Everything DFU does not use answers an error.
 * --through-dcd puts the STM32H750 USB device driver in the loop (dfu_dcd.h): every control
 * URB, the kernel's requests, the bus resets and a SET_ADDRESS at each connect are played as
 * packets through a model of the OTG FS core; a STALL fails the URB with -EPIPE.
 * Exit status: the command's. A one-line summary of the device's counters goes to stderr
 * (and one of the core model's with --through-dcd).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <sys/ioctl.h>
#include <linux/usbdevice_fs.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <umockdev.h>

#include "dfu_dcd.h"
#include "dfu_host.h"

#define BUSNUM 1
#define DEVNUM 7
#define DEVNODE "/dev/bus/usb/001/007"

static struct dfu_host host;
static bool through_dcd; /* --through-dcd: requests go through usb_dcd.c and the core model */

/* One control request: the reply length (IN) or wLength (OUT), or a negative errno value as
 * the kernel would complete the URB (-EPIPE: STALL, -ENODEV: the device is gone). */
static int device_control(const struct h7_usb_setup *s, const uint8_t setup[8], uint8_t *data)
{
    if (through_dcd)
        return dfu_dcd_control(&host, setup, data);
    int r = dfu_host_control(&host, s, data);
    if (r == DFU_HOST_DEAD)
        return -ENODEV;
    if (r < 0)
        return -EPIPE; /* STALL: libusb reports LIBUSB_ERROR_PIPE */
    return (s->bmRequestType & 0x80) ? r : s->wLength;
}

static void bus_reset(void)
{
    if (through_dcd)
        dfu_dcd_bus_reset(&host);
    else
        dfu_host_bus_reset(&host);
}

/* Per open file of the device node: control URBs completed but not reaped yet. */
struct client {
    GQueue done;
    bool stale; /* opened before the device left DFU mode: it is gone for this file */
};

static void client_free(gpointer p)
{
    struct client *c = p;
    g_queue_clear_full(&c->done, g_object_unref);
    g_free(c);
}

static void on_connect(UMockdevIoctlBase *base, UMockdevIoctlClient *client, gpointer ud)
{
    (void)base;
    (void)ud;
    struct client *c = g_new0(struct client, 1);
    g_queue_init(&c->done);
    if (host.left) {
        dfu_host_reboot(&host); /* the bootloader came back up in DFU mode */
        if (through_dcd && dfu_dcd_attach(&host) < 0)
            host.dead = true;
    }
    g_object_set_data_full(G_OBJECT(client), "h7-client", c, client_free);
}

/* A control transfer: setup packet in the first 8 bytes of the URB buffer, data after it. */
static void control_urb(struct usbdevfs_urb *urb, uint8_t *buf)
{
    struct h7_usb_setup s = {buf[0], buf[1], (uint16_t)(buf[2] | buf[3] << 8),
                             (uint16_t)(buf[4] | buf[5] << 8), (uint16_t)(buf[6] | buf[7] << 8)};
    if (s.wLength > urb->buffer_length - 8) {
        urb->status = -EOVERFLOW;
        urb->actual_length = 0;
        return;
    }
    int r = device_control(&s, buf, buf + 8);
    urb->status = r < 0 ? r : 0;
    urb->actual_length = r < 0 ? 0 : r;
}

/* A standard request the kernel sends on the program's behalf (SET_INTERFACE, ...). */
static int kernel_request(uint8_t type, uint8_t req, uint16_t value, uint16_t index)
{
    uint8_t none[1];
    const uint8_t setup[8] = {type, req, (uint8_t)value, (uint8_t)(value >> 8),
                              (uint8_t)index, (uint8_t)(index >> 8), 0, 0};
    struct h7_usb_setup s = {type, req, value, index, 0};
    int r = device_control(&s, setup, none);
    return r < 0 ? r : 0;
}

static void complete(UMockdevIoctlClient *client, int rc)
{
    if (rc < 0)
        umockdev_ioctl_client_complete(client, -1, -rc);
    else
        umockdev_ioctl_client_complete(client, rc, 0);
}

static gboolean on_ioctl(UMockdevIoctlBase *base, UMockdevIoctlClient *client, gpointer ud)
{
    (void)base;
    (void)ud;
    gulong req = umockdev_ioctl_client_get_request(client);
    UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
    struct client *c = g_object_get_data(G_OBJECT(client), "h7-client");
    UMockdevIoctlData *d = NULL;
    GError *err = NULL;
    int rc = 0;

    if (!c) {
        complete(client, -EIO);
        return TRUE;
    }
    if ((host.left || host.dead) && !c->stale)
        c->stale = true;
    if (c->stale && !((req == USBDEVFS_REAPURB || req == USBDEVFS_REAPURBNDELAY) &&
                      !g_queue_is_empty(&c->done))) {
        complete(client, -ENODEV);
        return TRUE;
    }

#define RESOLVE(size)                                                                              \
    do {                                                                                           \
        d = umockdev_ioctl_data_resolve(arg, 0, (size), &err);                                     \
        if (!d)                                                                                    \
            goto fault;                                                                            \
    } while (0)

    switch (req) {
    case USBDEVFS_GET_CAPABILITIES:
        RESOLVE(sizeof(uint32_t));
        *(uint32_t *)d->data = USBDEVFS_CAP_ZERO_PACKET | USBDEVFS_CAP_BULK_CONTINUATION |
                               USBDEVFS_CAP_NO_PACKET_SIZE_LIM |
                               USBDEVFS_CAP_REAP_AFTER_DISCONNECT;
        break;
    case USBDEVFS_CLAIMINTERFACE:
    case USBDEVFS_RELEASEINTERFACE:
        RESOLVE(sizeof(unsigned int));
        rc = *(unsigned int *)d->data == 0 ? 0 : -ENOENT;
        break;
    case USBDEVFS_DISCONNECT_CLAIM:
        RESOLVE(sizeof(struct usbdevfs_disconnect_claim));
        rc = ((struct usbdevfs_disconnect_claim *)d->data)->interface == 0 ? 0 : -ENOENT;
        break;
    case USBDEVFS_SETINTERFACE: {
        RESOLVE(sizeof(struct usbdevfs_setinterface));
        struct usbdevfs_setinterface *si = (void *)d->data;
        rc = kernel_request(0x01, 0x0b, (uint16_t)si->altsetting, (uint16_t)si->interface);
        if (rc == -EPIPE)
            rc = -EINVAL;
        break;
    }
    case USBDEVFS_SETCONFIGURATION:
        RESOLVE(sizeof(unsigned int));
        rc = kernel_request(0x00, 0x09, (uint16_t)*(unsigned int *)d->data, 0);
        break;
    case USBDEVFS_RESET:
        bus_reset();
        break;
    case USBDEVFS_CLEAR_HALT:
    case USBDEVFS_RESETEP:
        break;
    case USBDEVFS_GETDRIVER:
    case USBDEVFS_IOCTL:
        rc = -ENODATA; /* no kernel driver is bound */
        break;
    case USBDEVFS_CONNECTINFO:
        RESOLVE(sizeof(struct usbdevfs_connectinfo));
        ((struct usbdevfs_connectinfo *)d->data)->devnum = DEVNUM;
        ((struct usbdevfs_connectinfo *)d->data)->slow = 0;
        break;
    case USBDEVFS_GET_SPEED:
        rc = 2; /* USB_SPEED_FULL: the STM32H750's OTG FS */
        break;
    case USBDEVFS_SUBMITURB: {
        RESOLVE(sizeof(struct usbdevfs_urb));
        struct usbdevfs_urb *urb = (void *)d->data;
        if (urb->type != USBDEVFS_URB_TYPE_CONTROL || urb->endpoint != 0 ||
            urb->buffer_length < 8) {
            rc = -EINVAL; /* DFU uses endpoint 0 only */
            break;
        }
        UMockdevIoctlData *b = umockdev_ioctl_data_resolve(
            d, offsetof(struct usbdevfs_urb, buffer), (gsize)urb->buffer_length, &err);
        if (!b)
            goto fault;
        control_urb(urb, b->data);
        g_object_unref(b);
        g_queue_push_tail(&c->done, g_object_ref(d));
        break;
    }
    case USBDEVFS_REAPURB:
    case USBDEVFS_REAPURBNDELAY: {
        UMockdevIoctlData *urbd = g_queue_pop_head(&c->done);
        if (!urbd) {
            rc = -EAGAIN;
            break;
        }
        d = umockdev_ioctl_data_resolve(arg, 0, sizeof(void *), &err);
        if (!d) {
            g_object_unref(urbd);
            goto fault;
        }
        umockdev_ioctl_data_set_ptr(d, 0, urbd); /* *arg = the client's URB pointer */
        g_object_unref(urbd);
        break;
    }
    case USBDEVFS_DISCARDURB:
        rc = -EINVAL; /* URBs complete when submitted: nothing to discard */
        break;
    default:
        if (host.verbose)
            fprintf(stderr, "[usb] ioctl 0x%lx not emulated\n", req);
        rc = -ENOTTY;
        break;
    }
    if (d)
        g_object_unref(d);
    complete(client, rc);
    return TRUE;
fault:
    fprintf(stderr, "dfu_umockdev: cannot reach the client's memory: %s\n",
            err ? err->message : "?");
    g_clear_error(&err);
    complete(client, -EFAULT);
    return TRUE;
}

static char *hex(const uint8_t *b, size_t n)
{
    char *s = g_malloc(2 * n + 1);
    for (size_t i = 0; i < n; i++)
        sprintf(s + 2 * i, "%02X", b[i]);
    return s;
}

static int add_device(UMockdevTestbed *tb, GError **err)
{
    uint8_t desc[18 + 9 + 9 * H7_DFU_MAX_ALTS + 9];
    size_t n = h7_dfu_descriptors(&host.dfu, desc, sizeof(desc));
    const struct h7_dfu_layout *l = host.dfu.cfg.layout;
    unsigned vid = desc[8] | desc[9] << 8, pid = desc[10] | desc[11] << 8;
    unsigned bcd = desc[12] | desc[13] << 8;
    char *dh = hex(desc, n);
    char *s = g_strdup_printf("P: /devices/pci0000:00/0000:00:14.0/usb1/1-1\n"
                              "N: bus/usb/001/007\n"
                              "E: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\nE: DEVNAME=" DEVNODE "\n"
                              "E: DRIVER=usb\nE: PRODUCT=%x/%x/%x\nE: TYPE=0/0/0\n"
                              "E: BUSNUM=001\nE: DEVNUM=007\nE: MAJOR=189\nE: MINOR=6\n"
                              "A: busnum=%d\nA: devnum=%d\nA: dev=189:6\n"
                              "A: idVendor=%04x\nA: idProduct=%04x\nA: bcdDevice=%04x\n"
                              "A: bConfigurationValue=1\nA: bNumConfigurations=1\n"
                              "A: bNumInterfaces= 1\nA: bMaxPacketSize0=64\nA: speed=12\n"
                              "A: devpath=1\nA: manufacturer=%s\nA: product=%s\nA: serial=%s\n"
                              "H: descriptors=%s\n",
                              vid, pid, bcd, BUSNUM, DEVNUM, vid, pid, bcd, l->strings[0],
                              l->strings[1], host.dfu.cfg.serial, dh);
    gboolean ok = umockdev_testbed_add_from_string(tb, s, err);
    g_free(s);
    g_free(dh);
    return ok ? 0 : -1;
}

static int parse_fault(const char *s, enum nor_sim_fault *f)
{
    static const char *const names[] = {"clean", "torn-program", "torn-erase", "torn-any"};
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0) {
            *f = (enum nor_sim_fault)i;
            return 0;
        }
    return -1;
}

static void usage(FILE *o)
{
    fprintf(o, "usage: dfu_umockdev [--board NAME] [--flash IN] [--save OUT] [--cut N]\n"
               "         [--fault clean|torn-program|torn-erase|torn-any] [--seed S]\n"
               "         [--record TRACE] [--ram-dump ADDR:LEN:FILE] [--vid V] [--pid P]\n"
               "         [--through-dcd] [-v] -- COMMAND [ARGS...]\n");
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"board", 1, 0, 'b'}, {"flash", 1, 0, 'f'},  {"save", 1, 0, 's'},
        {"cut", 1, 0, 'c'},   {"fault", 1, 0, 'F'},  {"seed", 1, 0, 'S'},
        {"record", 1, 0, 'r'}, {"ram-dump", 1, 0, 'R'}, {"vid", 1, 0, 'V'},
        {"pid", 1, 0, 'P'},   {"verbose", 0, 0, 'v'}, {"help", 0, 0, 'h'},
        {"through-dcd", 0, 0, 'D'},
        {0, 0, 0, 0}};
    struct dfu_host_options o = {0};
    const char *save = NULL, *record = NULL, *ram_dump = NULL;
    int opt;
    while ((opt = getopt_long(argc, argv, "+v", opts, NULL)) != -1) {
        switch (opt) {
        case 'b': o.board = optarg; break;
        case 'f': o.flash_in = optarg; break;
        case 's': save = optarg; break;
        case 'c': o.cut_at = strtoull(optarg, NULL, 0); break;
        case 'F':
            if (parse_fault(optarg, &o.cut_fault)) {
                fprintf(stderr, "dfu_umockdev: --fault: unknown kind '%s'\n", optarg);
                return 2;
            }
            break;
        case 'S': o.seed = strtoull(optarg, NULL, 0); break;
        case 'r': record = optarg; break;
        case 'R': ram_dump = optarg; break;
        case 'V': o.vid = (uint16_t)strtoul(optarg, NULL, 16); break;
        case 'P': o.pid = (uint16_t)strtoul(optarg, NULL, 16); break;
        case 'v': o.verbose++; break;
        case 'D': through_dcd = true; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return 2;
    }
    if (record && !(o.trace = fopen(record, "wb"))) {
        fprintf(stderr, "dfu_umockdev: --record %s: %s\n", record, strerror(errno));
        return 2;
    }
    char err[512];
    if (dfu_host_init(&host, &o, err, sizeof(err))) {
        fprintf(stderr, "dfu_umockdev: %s\n", err);
        return 2;
    }
    if (through_dcd && dfu_dcd_attach(&host) < 0)
        return 2;

    GError *gerr = NULL;
    UMockdevTestbed *tb = umockdev_testbed_new();
    UMockdevIoctlBase *handler = umockdev_ioctl_base_new();
    g_signal_connect(handler, "client-connected", G_CALLBACK(on_connect), NULL);
    g_signal_connect(handler, "handle-ioctl", G_CALLBACK(on_ioctl), NULL);
    if (add_device(tb, &gerr) || !umockdev_testbed_attach_ioctl(tb, DEVNODE, handler, &gerr)) {
        fprintf(stderr, "dfu_umockdev: umockdev: %s\n", gerr ? gerr->message : "?");
        return 2;
    }
    char **env = g_get_environ();
    const char *pre = g_environ_getenv(env, "LD_PRELOAD");
    char *preload = pre && *pre ? g_strdup_printf("libumockdev-preload.so.0:%s", pre)
                                : g_strdup("libumockdev-preload.so.0");
    env = g_environ_setenv(env, "LD_PRELOAD", preload, TRUE);
    int wstatus = 0;
    if (!g_spawn_sync(NULL, argv + optind, env,
                      G_SPAWN_SEARCH_PATH | G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL, NULL, NULL,
                      &wstatus, &gerr)) {
        fprintf(stderr, "dfu_umockdev: cannot run %s: %s\n", argv[optind], gerr->message);
        return 2;
    }
    int rc = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);

    /* the program is gone: the host stops talking, as if the cable were pulled */
    bus_reset();
    dfu_host_print_summary(&host, stderr);
    if (through_dcd)
        dfu_dcd_print_summary(stderr);
    if (save && nor_sim_save(&host.sim, save, err, sizeof(err))) {
        fprintf(stderr, "dfu_umockdev: %s\n", err);
        rc = rc ? rc : 2;
    }
    if (ram_dump) {
        uint32_t addr, len;
        char path[400];
        if (sscanf(ram_dump, "%" SCNi32 ":%" SCNi32 ":%399s", &addr, &len, path) != 3) {
            fprintf(stderr, "dfu_umockdev: --ram-dump wants ADDR:LEN:FILE, got '%s'\n", ram_dump);
            rc = rc ? rc : 2;
        } else {
            uint8_t *b = malloc(len);
            FILE *f = fopen(path, "wb");
            if (!b || !f || host.mem_ops.read(&host, addr, b, len) || fwrite(b, 1, len, f) != len) {
                fprintf(stderr, "dfu_umockdev: --ram-dump: cannot dump 0x%08x+%u to %s\n", addr,
                        len, path);
                rc = rc ? rc : 2;
            }
            if (f)
                fclose(f);
            free(b);
        }
    }
    if (o.trace)
        fclose(o.trace);
    g_object_unref(handler);
    g_object_unref(tb);
    g_strfreev(env);
    g_free(preload);
    dfu_host_free(&host);
    return rc;
}
