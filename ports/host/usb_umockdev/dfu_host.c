/* dfu_host.c — the DFU class over simulated flash and RAM, for the harness and the tests. */
#include "dfu_host.h"

#include <stdlib.h>
#include <string.h>

#include "board_parse.h"

/* What the read-only view of the bootloader's own flash shows on the host: a pattern that a
 * test can recognise (the real thing is the bootloader binary). */
static void fill_protected(uint8_t *p, uint32_t n, uint32_t addr)
{
    for (uint32_t i = 0; i < n; i++)
        p[i] = (uint8_t)((addr + i) * 7u + 0x5A);
}

static struct dfu_host_mem *mem_find(struct dfu_host *h, uint32_t addr, uint32_t len)
{
    for (unsigned i = 0; i < h->n_mems; i++) {
        struct dfu_host_mem *m = &h->mems[i];
        if (addr >= m->addr && len <= m->size && addr - m->addr <= m->size - len)
            return m;
    }
    return NULL;
}

static int mem_read(void *ctx, uint32_t addr, void *buf, uint32_t len)
{
    struct dfu_host_mem *m = mem_find(ctx, addr, len);
    if (!m)
        return -1;
    memcpy(buf, m->data + (addr - m->addr), len);
    return 0;
}

static int mem_write(void *ctx, uint32_t addr, const void *buf, uint32_t len)
{
    struct dfu_host_mem *m = mem_find(ctx, addr, len);
    if (!m)
        return -1;
    memcpy(m->data + (addr - m->addr), buf, len);
    return 0;
}

static int setup_class(struct dfu_host *h, char *err, size_t errlen)
{
    if (h7_dfu_init(&h->dfu, &h->cfg)) {
        snprintf(err, errlen, "board %s: DFU class: %s", h->board.name, h->dfu.error);
        return -1;
    }
    return 0;
}

int dfu_host_init(struct dfu_host *h, const struct dfu_host_options *o, char *err, size_t errlen)
{
    memset(h, 0, sizeof(*h));
    const char *board = o->board ? o->board : "daisy-seed";
    if (h7_board_load(board, &h->board, err, errlen))
        return -1;
    const struct h7_range *slot = h7_board_range(&h->board, H7_RANGE_SLOT, NULL);
    const struct h7_region *q = slot ? h7_board_region_at(&h->board, slot->origin, 1) : NULL;
    if (!q || !(q->flags & H7_REGION_FLASH)) {
        snprintf(err, errlen, "board %s: no slot in a flash region", h->board.name);
        return -1;
    }
    /* the slot's flash region is the simulated QSPI chip (geometry from the board file) */
    struct nor_sim_config nc = NOR_SIM_IS25LP064A;
    nc.size = q->length;
    nc.erase_size = q->erase_size;
    nc.program_size = q->program_size;
    nc.erase_size_large = q->length % 65536 == 0 && q->erase_size < 65536 ? 65536 : 0;
    nc.base = q->origin;
    nc.seed = o->seed;
    if (nor_sim_init(&h->sim, &nc, err, errlen))
        return -1;
    if (o->flash_in && nor_sim_load(&h->sim, o->flash_in, err, errlen))
        return -1;
    /* memories: every loadable RAM region, and every reserved range in another flash region */
    for (uint32_t i = 0; i < h->board.n_regions; i++) {
        const struct h7_region *r = &h->board.regions[i];
        if ((r->flags & H7_REGION_RAM) && (r->flags & H7_REGION_LOAD)) {
            struct dfu_host_mem *m = &h->mems[h->n_mems++];
            m->addr = r->origin;
            m->size = r->length;
            m->data = calloc(1, r->length);
            if (!m->data) {
                snprintf(err, errlen, "out of memory for region %s", r->name);
                return -1;
            }
        }
    }
    for (uint32_t i = 0; i < h->board.n_ranges && h->n_mems < H7_BOARD_MAX_REGIONS; i++) {
        const struct h7_range *r = &h->board.ranges[i];
        if (r->kind != H7_RANGE_RESERVED || r->region < 0 ||
            !(h->board.regions[r->region].flags & H7_REGION_FLASH) ||
            &h->board.regions[r->region] == q)
            continue;
        struct dfu_host_mem *m = &h->mems[h->n_mems++];
        m->addr = r->origin;
        m->size = r->length;
        m->data = malloc(r->length);
        if (!m->data) {
            snprintf(err, errlen, "out of memory for range %s", r->name);
            return -1;
        }
        fill_protected(m->data, r->length, r->origin);
    }
    h->mem_ops = (struct h7_dfu_mem_ops){mem_read, mem_write};
    const struct h7_dfu_layout_params lp = {.vid = o->vid, .pid = o->pid};
    const char *why = NULL;
    if (h7_dfu_layout_build(&h->layout, &h->board, &lp, &why)) {
        snprintf(err, errlen, "board %s: DFU layout: %s", h->board.name, why);
        return -1;
    }
    h->cfg = (struct h7_dfu_config){
        .layout = &h->layout.layout, .board = &h->board, .flash = &h->sim.flash,
        .mem = &h->mem_ops, .mem_ctx = h, .buf = h->job_buf, .serial = "H7BOOT-HOST"};
    if (setup_class(h, err, errlen))
        return -1;
    if (o->cut_at)
        nor_sim_cut_at(&h->sim, o->cut_at, o->cut_fault);
    h->trace = o->trace;
    h->verbose = o->verbose;
    return 0;
}

void dfu_host_free(struct dfu_host *h)
{
    for (unsigned i = 0; i < h->n_mems; i++)
        free(h->mems[i].data);
    nor_sim_free(&h->sim);
}

enum h7_dfu_poll_result dfu_host_step(struct dfu_host *h)
{
    h->now_ms++;
    enum h7_dfu_poll_result r = h7_dfu_poll(&h->dfu, h->now_ms);
    if (nor_sim_power_is_off(&h->sim)) {
        h->dead = true;
        if (h->verbose)
            fprintf(stderr, "[dev] power cut: the device is off\n");
        return H7_DFU_POLL_IDLE;
    }
    if (r == H7_DFU_POLL_LEAVE) {
        h->leave = h7_dfu_leave_request(&h->dfu);
        h->left = true;
        h->leaves++;
        if (h->verbose)
            fprintf(stderr, "[dev] leave: %s at 0x%08x\n",
                    h->leave.kind == H7_DFU_LEAVE_RUN_RAM ? "run RAM image" : "boot",
                    h->leave.addr);
    }
    return r;
}

void dfu_host_run(struct dfu_host *h)
{
    for (int i = 0; i < 1000000 && !h->dead && !h->left; i++)
        if (dfu_host_step(h) == H7_DFU_POLL_IDLE)
            return;
}

void dfu_host_trace(struct dfu_host *h, const struct h7_usb_setup *s, const uint8_t *buf)
{
    if (!h->trace)
        return;
    uint8_t hdr[8] = {s->bmRequestType, s->bRequest, (uint8_t)s->wValue,
                      (uint8_t)(s->wValue >> 8), (uint8_t)s->wIndex, (uint8_t)(s->wIndex >> 8),
                      (uint8_t)s->wLength, (uint8_t)(s->wLength >> 8)};
    fwrite(hdr, 1, 8, h->trace);
    if (!(s->bmRequestType & 0x80))
        fwrite(buf, 1, s->wLength, h->trace);
}

void dfu_host_log(const struct dfu_host *h, const struct h7_usb_setup *s, int r,
                  const uint8_t *buf)
{
    if (!h->verbose)
        return;
    fprintf(stderr, "[usb] %02x %02x %04x %04x %04x -> ", s->bmRequestType, s->bRequest,
            s->wValue, s->wIndex, s->wLength);
    if (r < 0)
        fprintf(stderr, "STALL");
    else
        fprintf(stderr, "%d", r);
    if (s->bRequest == 3 && s->bmRequestType == 0xA1 && r == 6)
        fprintf(stderr, "  %s %s poll=%u", h7_dfu_state_name(buf[4]),
                h7_dfu_status_name(buf[0]), buf[1] | buf[2] << 8 | buf[3] << 16);
    fprintf(stderr, "\n");
}

int dfu_host_request(struct dfu_host *h, uint8_t type, uint8_t request, uint16_t value,
                     uint16_t len, const void *data, uint8_t *buf)
{
    struct h7_usb_setup s = {type, request, value, 0, len};
    if (data)
        memcpy(buf, data, len);
    return dfu_host_control(h, &s, buf);
}

int dfu_host_dnload(struct dfu_host *h, uint16_t block, const void *data, uint16_t len,
                    uint8_t *buf)
{
    if (dfu_host_request(h, 0x21, 1, block, len, data, buf) == DFU_HOST_DEAD)
        return -1;
    for (int i = 0; i < 100; i++) {
        if (dfu_host_request(h, 0xA1, 3, 0, 6, NULL, buf) != 6)
            return -1;
        if (buf[4] != H7_DFU_DNBUSY && buf[4] != H7_DFU_MANIFEST_SYNC)
            return buf[0];
    }
    return -1;
}

int dfu_host_dfuse_command(struct dfu_host *h, uint8_t cmd, uint32_t addr, uint8_t *buf)
{
    const uint8_t c[5] = {cmd, (uint8_t)addr, (uint8_t)(addr >> 8), (uint8_t)(addr >> 16),
                          (uint8_t)(addr >> 24)};
    return dfu_host_dnload(h, 0, c, 5, buf);
}

int dfu_host_dfuse_erase(struct dfu_host *h, uint32_t addr, uint32_t len, uint32_t page,
                         uint8_t *buf)
{
    for (uint32_t p = addr & ~(page - 1); p < addr + len; p += page)
        if (dfu_host_dfuse_command(h, 0x41, p, buf))
            return -1;
    return 0;
}

int dfu_host_dfuse_write(struct dfu_host *h, uint32_t addr, const uint8_t *data, uint32_t len,
                         uint8_t *buf)
{
    const uint32_t xfer = h->dfu.cfg.layout->transfer_size;
    for (uint32_t o = 0; o < len; o += xfer) {
        uint16_t n = (uint16_t)(len - o < xfer ? len - o : xfer);
        if (dfu_host_dfuse_command(h, 0x21, addr + o, buf) ||
            dfu_host_dnload(h, 2, data + o, n, buf))
            return -1;
    }
    return 0;
}

int dfu_host_dfuse_leave(struct dfu_host *h, uint32_t addr, uint8_t *buf)
{
    dfu_host_request(h, 0x21, 6, 0, 0, NULL, buf); /* ABORT */
    dfu_host_request(h, 0xA1, 3, 0, 6, NULL, buf);
    if (dfu_host_dfuse_command(h, 0x21, addr, buf) || dfu_host_dnload(h, 2, NULL, 0, buf))
        return -1;
    return buf[4] == H7_DFU_MANIFEST && h->left ? 0 : -1;
}

int dfu_host_control(struct dfu_host *h, const struct h7_usb_setup *s, uint8_t *buf)
{
    if (h->dead || h->left)
        return DFU_HOST_DEAD;
    dfu_host_trace(h, s, buf);
    int r;
    for (;;) {
        r = h7_dfu_control(&h->dfu, s, buf);
        if (r != H7_DFU_NAK)
            break;
        dfu_host_run(h); /* the host retries a NAKed request; the device works meanwhile */
        if (h->dead)
            return DFU_HOST_DEAD;
    }
    dfu_host_log(h, s, r, buf);
    dfu_host_run(h);
    return r;
}

void dfu_host_bus_reset(struct dfu_host *h)
{
    if (h->dead || h->left)
        return;
    h7_dfu_bus_reset(&h->dfu);
    dfu_host_run(h);
}

void dfu_host_reboot(struct dfu_host *h)
{
    char err[200];
    if (h->dead)
        return;
    h->left = false;
    if (setup_class(h, err, sizeof(err)))
        fprintf(stderr, "%s\n", err); /* cannot happen: it worked with the same config */
}

long dfu_host_replay(struct dfu_host *h, FILE *trace)
{
    uint8_t hdr[8];
    static uint8_t buf[65536];
    long n = 0;
    while (fread(hdr, 1, 8, trace) == 8) {
        struct h7_usb_setup s = {hdr[0], hdr[1], (uint16_t)(hdr[2] | hdr[3] << 8),
                                 (uint16_t)(hdr[4] | hdr[5] << 8),
                                 (uint16_t)(hdr[6] | hdr[7] << 8)};
        if (!(s.bmRequestType & 0x80) && fread(buf, 1, s.wLength, trace) != s.wLength)
            return -1;
        if (dfu_host_control(h, &s, buf) == DFU_HOST_DEAD)
            break;
        n++;
    }
    if (!h->dead && !h->left)
        dfu_host_bus_reset(h); /* dfu-util exits: the host is gone */
    return n;
}

void dfu_host_print_summary(const struct dfu_host *h, FILE *out)
{
    const struct h7_dfu_stats *d = h7_dfu_stats(&h->dfu);
    const struct nor_sim_stats *f = nor_sim_stats(&h->sim);
    fprintf(out,
            "[dfu] state=%s status=%s requests=%u erased_sectors=%u skipped_sectors=%u "
            "programmed_pages=%u commits=%u refusals=%u leaves=%u leave=%s@0x%08x | "
            "flash: erases=%llu programs=%llu reads=%llu sim_ms=%.1f%s\n",
            h7_dfu_state_name(h7_dfu_state(&h->dfu)), h7_dfu_status_name(h7_dfu_status(&h->dfu)),
            d->requests, d->sectors_erased, d->sectors_skipped, d->pages_programmed, d->commits,
            d->commit_refusals, h->leaves,
            h->leave.kind == H7_DFU_LEAVE_RUN_RAM ? "run-ram"
            : h->leave.kind == H7_DFU_LEAVE_BOOT  ? "boot"
                                                  : "none",
            h->leave.addr, (unsigned long long)f->erases, (unsigned long long)f->programs,
            (unsigned long long)f->reads, f->time_ns / 1e6, h->dead ? " POWER-CUT" : "");
}
