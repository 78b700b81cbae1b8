/*
 * dfu_class.c — the DFU 1.1 / DfuSe state machine: control requests in the USB interrupt,
 * flash work in h7_dfu_poll() (see "Concurrency" in h7_dfu.h).
 *
 * Request flow for a DfuSe download (what dfu-util 0.11 does, ../shared/facts/dfuse.md):
 *   DNLOAD(block 0, cmd)  -> dfuDNLOAD-SYNC, job queued
 *   GETSTATUS             -> dfuDNBUSY (always, even if poll already ran the job)
 *   GETSTATUS ...         -> dfuDNBUSY until the job ran, then dfuDNLOAD-IDLE or dfuERROR
 *   DNLOAD(block n, data) -> the same, data at addr_ptr + (n - 2) * wTransferSize
 *   DNLOAD(length 0)      -> dfuMANIFEST-SYNC; GETSTATUS answers dfuMANIFEST-SYNC while the
 *                            download is finished and the image verified and committed, then
 *                            dfuMANIFEST (and poll reports LEAVE) or dfuERROR/errVERIFY.
 */
#include "dfu_internal.h"

#include <string.h>

/* Standard requests (USB 2.0 table 9-4). */
enum { STD_GET_STATUS = 0, STD_CLEAR_FEATURE = 1, STD_SET_FEATURE = 3, STD_GET_DESCRIPTOR = 6,
       STD_GET_CONFIGURATION = 8, STD_SET_CONFIGURATION = 9, STD_GET_INTERFACE = 10,
       STD_SET_INTERFACE = 11 };
/* DFU class requests (DFU 1.1 table 3.2). */
enum { DFU_DETACH = 0, DFU_DNLOAD = 1, DFU_UPLOAD = 2, DFU_GETSTATUS = 3, DFU_CLRSTATUS = 4,
       DFU_GETSTATE = 5, DFU_ABORT = 6 };

#define REQ_IN 0x80
#define REQ_TYPE(s) ((s)->bmRequestType & 0x60)
#define REQ_RECIPIENT(s) ((s)->bmRequestType & 0x1f)

/* The compiler must not move flag writes across the data they publish (poll vs interrupt). */
#define BARRIER() __asm__ volatile("" ::: "memory")

int h7_dfu_init(struct h7_dfu *d, const struct h7_dfu_config *cfg)
{
    const struct h7_dfu_layout *l = cfg->layout;
    const struct h7_flash *f = cfg->flash;
    memset(d, 0, sizeof(*d));
    d->cfg = *cfg;
    if (!l || !cfg->board || !f || !cfg->mem || !cfg->buf || f->base != l->flash_base ||
        f->erase_size != l->erase_size || f->size < l->flash_size ||
        f->program_size - 1u >= 256u) {
        d->error = "h7_dfu_config: a field is missing or the flash is not the layout's";
        return -1;
    }
    if (!d->cfg.serial)
        d->cfg.serial = l->strings[DFU_STR_SERIAL - 1];
    d->stage_sector = -1;
    d->state = H7_DFU_IDLE;
    d->addr_ptr = l->slot_addr;
    return 0;
}

const struct h7_dfu_segment *dfu_segment_at(const struct h7_dfu *d, unsigned alt, uint32_t addr)
{
    const struct h7_dfu_layout *l = d->cfg.layout;
    for (unsigned i = 0; i < l->n_segments; i++) {
        const struct h7_dfu_segment *g = &l->segments[i];
        if (g->alt == alt && addr >= g->addr && addr - g->addr < g->size)
            return g;
    }
    return NULL;
}

/* ---- jobs (run by poll) ---- */

static uint8_t run_command(struct h7_dfu *d)
{
    const uint8_t *b = d->cfg.buf;
    const struct h7_dfu_segment *g;
    uint32_t addr;

    if (d->job_len == 5 && (b[0] == DFUSE_SET_ADDRESS || b[0] == DFUSE_ERASE)) {
        addr = dfu_le32(b + 1);
        g = dfu_segment_at(d, d->alt, addr);
        if (b[0] == DFUSE_SET_ADDRESS) {
            if (!g)
                return H7_DFU_ERR_TARGET;
            d->addr_ptr = addr;
            return H7_DFU_OK;
        }
        if (!g || !(g->perms & DFU_PERM_ERASE) || g->kind != DFU_SEG_FLASH)
            return H7_DFU_ERR_TARGET;
        uint32_t page = addr - (addr - g->addr) % g->page;
        d->finish_status = H7_DFU_OK;
        dfu_flash_request_erase(d, page - d->cfg.flash->base, g->page);
        return H7_DFU_OK;
    }
    if (d->job_len == 1 && b[0] == DFUSE_ERASE) { /* mass erase: the writable flash of this alt */
        bool any = false;
        for (unsigned i = 0; i < d->cfg.layout->n_segments; i++) {
            g = &d->cfg.layout->segments[i];
            if (g->alt != d->alt || g->kind != DFU_SEG_FLASH || !(g->perms & DFU_PERM_ERASE) ||
                !(g->perms & DFU_PERM_WRITE))
                continue;
            dfu_flash_request_erase(d, g->addr - d->cfg.flash->base, g->size);
            any = true;
        }
        return any ? dfu_finish_download(d) : H7_DFU_ERR_TARGET;
    }
    if (d->job_len == 1 && b[0] == DFUSE_READ_UNPROTECT)
        return H7_DFU_ERR_VENDOR; /* never erase the bootloader on request */
    return H7_DFU_ERR_UNKNOWN;
}

static uint8_t mem_write_verify(struct h7_dfu *d, uint32_t addr, const uint8_t *p, uint32_t len)
{
    const struct h7_dfu_mem_ops *m = d->cfg.mem;
    if (m->write(d->cfg.mem_ctx, addr, p, len))
        return H7_DFU_ERR_WRITE;
    for (uint32_t k = 0; k < len;) {
        uint8_t tmp[256];
        uint32_t n = len - k < sizeof(tmp) ? len - k : (uint32_t)sizeof(tmp);
        if (m->read(d->cfg.mem_ctx, addr + k, tmp, n) || memcmp(tmp, p + k, n))
            return H7_DFU_ERR_VERIFY;
        k += n;
    }
    return H7_DFU_OK;
}

static uint8_t run_data(struct h7_dfu *d)
{
    uint32_t addr = d->job_addr, len = d->job_len;
    const struct h7_dfu_segment *g = dfu_segment_at(d, d->alt, addr);
    if (!g || !(g->perms & DFU_PERM_WRITE))
        return H7_DFU_ERR_TARGET;
    if (len > g->size - (addr - g->addr))
        return H7_DFU_ERR_ADDRESS;
    d->stats.bytes_downloaded += len;
    d->finish_status = H7_DFU_OK; /* a new download: an earlier one's result is history */
    if (g->kind == DFU_SEG_MEM)
        return mem_write_verify(d, addr, d->cfg.buf, len);
    return dfu_flash_write(d, addr - d->cfg.flash->base, d->cfg.buf, len);
}

uint8_t dfu_finish_download(struct h7_dfu *d)
{
    uint8_t st = dfu_flash_flush(d);
    if (!st)
        st = dfu_flash_erase_requested(d);
    if (!st)
        st = dfu_commit_finish(d);
    /* whatever happened, the download is over: forget what was staged or requested */
    dfu_flash_reset(d);
    d->slot_touched = false;
    return st;
}

static uint8_t run_manifest(struct h7_dfu *d)
{
    uint8_t st = dfu_finish_download(d);
    if (!st)
        st = d->finish_status; /* the end of the download, if it was written after ABORT */
    d->finish_status = H7_DFU_OK;
    if (st)
        return st;
    const struct h7_dfu_segment *g = dfu_segment_at(d, d->alt, d->addr_ptr);
    const struct h7_region *r = h7_board_region_at(d->cfg.board, d->addr_ptr, 4);
    d->leave.addr = d->addr_ptr;
    d->leave.kind = (g && g->kind == DFU_SEG_MEM && (g->perms & DFU_PERM_WRITE) && r &&
                     (r->flags & H7_REGION_RAM))
                        ? H7_DFU_LEAVE_RUN_RAM
                        : H7_DFU_LEAVE_BOOT;
    return H7_DFU_OK;
}

enum h7_dfu_poll_result h7_dfu_poll(struct h7_dfu *d, uint32_t now_ms)
{
    if (d->leave_ready)
        return H7_DFU_POLL_LEAVE;
    if (d->job != DFU_JOB_NONE && !d->job_done) {
        uint8_t st = H7_DFU_ERR_UNKNOWN;
        if (d->job == DFU_JOB_COMMAND)
            st = run_command(d);
        else if (d->job == DFU_JOB_DATA)
            st = run_data(d);
        else if (d->job == DFU_JOB_MANIFEST)
            st = run_manifest(d);
        d->job_status = st;
        BARRIER();
        d->job_done = 1;
        return H7_DFU_POLL_BUSY;
    }
    if (d->finish_req && d->job == DFU_JOB_NONE) {
        d->finishing = 1;
        d->finish_req = 0;
        BARRIER();
        /* nobody waits for this result (GETSTATUS already said dfuIDLE): a leave reports it */
        d->finish_status = dfu_finish_download(d);
        BARRIER();
        d->finishing = 0;
        return H7_DFU_POLL_BUSY;
    }
    if (d->request_seq != d->seen_seq) {
        d->seen_seq = d->request_seq;
        d->seen_ms = now_ms;
    } else if (now_ms - d->seen_ms >= DFU_IDLE_FINISH_MS && d->job == DFU_JOB_NONE &&
               dfu_flash_pending(d)) {
        d->finish_req = 1; /* the host went away mid-download */
        return H7_DFU_POLL_BUSY;
    }
    return (d->job != DFU_JOB_NONE && !d->job_done) || d->finish_req ? H7_DFU_POLL_BUSY
                                                                     : H7_DFU_POLL_IDLE;
}

void h7_dfu_bus_reset(struct h7_dfu *d)
{
    if (d->job != DFU_JOB_NONE && !d->job_done)
        return; /* poll finishes the job; the next reset (or the idle timer) ends the rest */
    d->job = DFU_JOB_NONE;
    if (d->state != H7_DFU_ERROR)
        d->state = H7_DFU_IDLE;
    d->alt = 0;
    d->addr_ptr = d->cfg.layout->slot_addr;
    if (dfu_flash_pending(d))
        d->finish_req = 1;
}

/* ---- control requests ---- */

static int fail(struct h7_dfu *d, uint8_t status)
{
    d->status = status;
    d->state = H7_DFU_ERROR;
    return H7_DFU_STALL;
}

/* A job has been queued and its result not yet collected by GETSTATUS. */
static bool job_active(const struct h7_dfu *d)
{
    return d->job != DFU_JOB_NONE;
}

static void queue(struct h7_dfu *d, uint8_t job, uint8_t state)
{
    d->job_done = 0;
    d->state = state;
    BARRIER();
    d->job = job;
}

static int dnload(struct h7_dfu *d, const struct h7_usb_setup *s, const uint8_t *buf)
{
    if (job_active(d))
        return H7_DFU_STALL;
    if (d->finish_req || d->finishing)
        return H7_DFU_NAK;
    if (d->state != H7_DFU_IDLE && d->state != H7_DFU_DNLOAD_IDLE)
        return fail(d, H7_DFU_ERR_STALLEDPKT);
    if (s->wLength > d->cfg.layout->transfer_size)
        return fail(d, H7_DFU_ERR_STALLEDPKT);
    if (s->wLength == 0) { /* leave: finish, verify, commit, then dfuMANIFEST */
        queue(d, DFU_JOB_MANIFEST, H7_DFU_MANIFEST_SYNC);
        return 0;
    }
    if (s->wValue == 1)
        return fail(d, H7_DFU_ERR_STALLEDPKT);
    memcpy(d->cfg.buf, buf, s->wLength);
    d->job_len = s->wLength;
    if (s->wValue == 0) {
        queue(d, DFU_JOB_COMMAND, H7_DFU_DNLOAD_SYNC);
        return 0;
    }
    uint64_t addr = d->addr_ptr + (uint64_t)(s->wValue - 2) * d->cfg.layout->transfer_size;
    if (addr > 0xFFFFFFFFu)
        return fail(d, H7_DFU_ERR_ADDRESS);
    d->job_addr = (uint32_t)addr;
    queue(d, DFU_JOB_DATA, H7_DFU_DNLOAD_SYNC);
    return 0;
}

static int upload(struct h7_dfu *d, const struct h7_usb_setup *s, uint8_t *buf)
{
    static const uint8_t commands[] = {DFUSE_GET_COMMANDS, DFUSE_SET_ADDRESS, DFUSE_ERASE,
                                       DFUSE_READ_UNPROTECT};
    if (job_active(d))
        return H7_DFU_STALL;
    if (d->finish_req || d->finishing)
        return H7_DFU_NAK;
    if (d->state != H7_DFU_IDLE && d->state != H7_DFU_UPLOAD_IDLE)
        return fail(d, H7_DFU_ERR_STALLEDPKT);
    if (dfu_flash_pending(d)) {
        d->finish_req = 1; /* an upload ends the download before it: finish it first */
        return H7_DFU_NAK;
    }
    if (s->wLength > d->cfg.layout->transfer_size || s->wValue == 1)
        return fail(d, H7_DFU_ERR_STALLEDPKT);
    if (s->wValue == 0) {
        uint16_t n = s->wLength < sizeof(commands) ? s->wLength : (uint16_t)sizeof(commands);
        memcpy(buf, commands, n);
        d->state = H7_DFU_UPLOAD_IDLE;
        return n;
    }
    uint64_t a64 = d->addr_ptr + (uint64_t)(s->wValue - 2) * d->cfg.layout->transfer_size;
    if (a64 > 0xFFFFFFFFu)
        return fail(d, H7_DFU_ERR_ADDRESS);
    uint32_t addr = (uint32_t)a64;
    const struct h7_dfu_segment *g = dfu_segment_at(d, d->alt, addr);
    if (!g) {
        /* just past a segment's end: the upload ran off it; anywhere else: unknown target */
        g = addr ? dfu_segment_at(d, d->alt, addr - 1) : NULL;
        return fail(d, g ? H7_DFU_ERR_ADDRESS : H7_DFU_ERR_TARGET);
    }
    if (!(g->perms & DFU_PERM_READ))
        return fail(d, H7_DFU_ERR_TARGET);
    uint32_t left = g->size - (addr - g->addr);
    uint32_t n = s->wLength < left ? s->wLength : left;
    if (g->kind == DFU_SEG_FLASH)
        dfu_flash_read(d, addr - d->cfg.flash->base, buf, n);
    else if (d->cfg.mem->read(d->cfg.mem_ctx, addr, buf, n))
        return fail(d, H7_DFU_ERR_UNKNOWN);
    d->stats.bytes_uploaded += n;
    d->state = n < s->wLength ? H7_DFU_IDLE : H7_DFU_UPLOAD_IDLE;
    return (int)n;
}

static int getstatus(struct h7_dfu *d, uint8_t *buf)
{
    uint32_t poll_ms = 0;
    switch (d->state) {
    case H7_DFU_DNLOAD_SYNC:
        d->state = H7_DFU_DNBUSY; /* dfu-util insists on this first answer */
        break;
    case H7_DFU_DNBUSY:
        if (d->job_done) {
            d->status = d->job_status;
            d->state = d->job_status ? H7_DFU_ERROR : H7_DFU_DNLOAD_IDLE;
            d->job = DFU_JOB_NONE;
        }
        break;
    case H7_DFU_MANIFEST_SYNC:
        if (d->job_done) {
            d->status = d->job_status;
            d->state = d->job_status ? H7_DFU_ERROR : H7_DFU_MANIFEST;
            d->job = DFU_JOB_NONE;
            if (!d->job_status)
                d->leave_ready = 1; /* poll reports LEAVE once this answer is out */
        }
        break;
    default:
        break;
    }
    if (d->state == H7_DFU_DNBUSY) {
        bool mass = d->job == DFU_JOB_COMMAND && d->job_len == 1 && d->cfg.buf[0] == DFUSE_ERASE;
        poll_ms = d->job == DFU_JOB_DATA ? DFU_POLL_MS_DATA
                  : mass                 ? DFU_POLL_MS_MASS_ERASE
                                         : DFU_POLL_MS_COMMAND;
    } else if (d->state == H7_DFU_MANIFEST_SYNC) {
        poll_ms = DFU_POLL_MS_MANIFEST;
    }
    bool busy = d->state == H7_DFU_DNBUSY || d->state == H7_DFU_MANIFEST_SYNC;
    buf[0] = busy ? H7_DFU_OK : d->status;
    buf[1] = (uint8_t)poll_ms;
    buf[2] = (uint8_t)(poll_ms >> 8);
    buf[3] = (uint8_t)(poll_ms >> 16);
    buf[4] = d->state;
    buf[5] = 0;
    return 6;
}

static int class_request(struct h7_dfu *d, const struct h7_usb_setup *s, uint8_t *buf)
{
    bool in = s->bmRequestType & REQ_IN;
    switch (s->bRequest) {
    case DFU_DETACH:
        return in ? H7_DFU_STALL : 0; /* already in DFU mode */
    case DFU_DNLOAD:
        return in ? H7_DFU_STALL : dnload(d, s, buf);
    case DFU_UPLOAD:
        return in ? upload(d, s, buf) : H7_DFU_STALL;
    case DFU_GETSTATUS:
        return in && s->wLength >= 6 ? getstatus(d, buf) : H7_DFU_STALL;
    case DFU_CLRSTATUS:
        if (in || job_active(d))
            return H7_DFU_STALL;
        if (d->state == H7_DFU_ERROR) {
            d->state = H7_DFU_IDLE;
            d->status = H7_DFU_OK;
        }
        return 0;
    case DFU_GETSTATE:
        if (!in || s->wLength < 1)
            return H7_DFU_STALL;
        buf[0] = d->state;
        return 1;
    case DFU_ABORT:
        if (in || job_active(d) || d->state == H7_DFU_ERROR)
            return H7_DFU_STALL;
        /* dfu-util ends a download (without leave) with ABORT from dfuDNLOAD-IDLE: write out
         * what is staged, verify and commit, in the background (GETSTATUS says dfuIDLE) */
        if (d->state == H7_DFU_DNLOAD_IDLE && dfu_flash_pending(d))
            d->finish_req = 1;
        d->state = H7_DFU_IDLE;
        return 0;
    default:
        return H7_DFU_STALL;
    }
}

/* A descriptor from the layout, truncated to the host's wLength. */
static int descriptor(const struct h7_dfu *d, const struct h7_usb_setup *s, uint8_t *buf)
{
    static const uint8_t langs[4] = {4, DFU_DESC_STRING, 0x09, 0x04}; /* English (US) */
    const struct h7_dfu_layout *l = d->cfg.layout;
    const uint8_t *src = l->descriptors;
    uint8_t index = (uint8_t)s->wValue;
    unsigned n, total = src[18 + 2] | src[18 + 3] << 8;
    switch (s->wValue >> 8) {
    case DFU_DESC_DEVICE:
        n = 18;
        break;
    case DFU_DESC_CONFIGURATION:
        if (index != 0)
            return H7_DFU_STALL;
        src += 18;
        n = total;
        break;
    case DFU_DESC_FUNCTIONAL:
        src += 18 + total - 9;
        n = 9;
        break;
    case DFU_DESC_STRING:
        if (index == 0) {
            src = langs;
            n = 4;
            break;
        }
        if (index > l->n_strings)
            return H7_DFU_STALL;
        {
            const char *str = index == DFU_STR_SERIAL ? d->cfg.serial : l->strings[index - 1];
            size_t len = strlen(str);
            if (len > H7_DFU_STRING_MAX)
                len = H7_DFU_STRING_MAX;
            n = 2 + 2 * (unsigned)len;
            if (n > s->wLength)
                n = s->wLength;
            for (unsigned i = 0; i < n; i++) /* ASCII to UTF-16LE */
                buf[i] = i == 0 ? (uint8_t)(2 + 2 * len)
                         : i == 1 ? DFU_DESC_STRING
                         : i & 1  ? 0
                                  : (uint8_t)str[i / 2 - 1];
            return (int)n;
        }
    default:
        return H7_DFU_STALL;
    }
    if (n > s->wLength)
        n = s->wLength;
    memcpy(buf, src, n);
    return (int)n;
}

static int standard_request(struct h7_dfu *d, const struct h7_usb_setup *s, uint8_t *buf)
{
    bool in = s->bmRequestType & REQ_IN;
    switch (s->bRequest) {
    case STD_GET_STATUS:
        if (!in || s->wLength < 2)
            return H7_DFU_STALL;
        buf[0] = buf[1] = 0;
        return 2;
    case STD_CLEAR_FEATURE:
    case STD_SET_FEATURE:
        return in ? H7_DFU_STALL : 0;
    case STD_GET_DESCRIPTOR:
        return in ? descriptor(d, s, buf) : H7_DFU_STALL;
    case STD_GET_CONFIGURATION:
        if (!in || s->wLength < 1)
            return H7_DFU_STALL;
        buf[0] = d->configuration;
        return 1;
    case STD_SET_CONFIGURATION:
        if (in || s->wValue > 1)
            return H7_DFU_STALL;
        d->configuration = (uint8_t)s->wValue;
        return 0;
    case STD_GET_INTERFACE:
        if (!in || s->wLength < 1 || s->wIndex != 0)
            return H7_DFU_STALL;
        buf[0] = d->alt;
        return 1;
    case STD_SET_INTERFACE:
        if (in || s->wIndex != 0 || s->wValue >= d->cfg.layout->n_alts || job_active(d))
            return H7_DFU_STALL;
        if (d->finishing)
            return H7_DFU_NAK;
        if (s->wValue != d->alt && dfu_flash_pending(d)) {
            d->finish_req = 1; /* another alt: the download on this one is over */
            return H7_DFU_NAK;
        }
        d->alt = (uint8_t)s->wValue;
        if (d->state != H7_DFU_ERROR)
            d->state = H7_DFU_IDLE;
        return 0;
    default:
        return H7_DFU_STALL; /* SET_ADDRESS belongs to the controller driver */
    }
}

/* The host moved on without asking GETSTATUS for a finished job's result (dfu-util does so
 * after READ UNPROTECT): apply it now, as GETSTATUS would have. */
static void collect(struct h7_dfu *d)
{
    uint8_t st = d->job_status;
    if (d->state == H7_DFU_MANIFEST_SYNC)
        d->state = st ? H7_DFU_ERROR : H7_DFU_MANIFEST;
    else
        d->state = st ? H7_DFU_ERROR : H7_DFU_DNLOAD_IDLE;
    d->status = st;
    if (!st && d->job == DFU_JOB_MANIFEST)
        d->leave_ready = 1;
    d->job = DFU_JOB_NONE;
}

int h7_dfu_control(struct h7_dfu *d, const struct h7_usb_setup *s, uint8_t *buf)
{
    d->request_seq++;
    d->stats.requests++;
    bool getstatus = REQ_TYPE(s) == 0x20 && s->bRequest == DFU_GETSTATUS;
    if (d->job != DFU_JOB_NONE && d->job_done && !getstatus)
        collect(d);
    if (REQ_TYPE(s) == 0x00)
        return standard_request(d, s, buf);
    if (REQ_TYPE(s) == 0x20 && REQ_RECIPIENT(s) == 0x01 && s->wIndex == 0)
        return class_request(d, s, buf);
    return H7_DFU_STALL;
}

struct h7_dfu_leave h7_dfu_leave_request(const struct h7_dfu *d)
{
    if (!d->leave_ready)
        return (struct h7_dfu_leave){H7_DFU_LEAVE_NONE, 0};
    return d->leave;
}

size_t h7_dfu_descriptors(const struct h7_dfu *d, uint8_t *out, size_t max)
{
    const uint8_t *src = d->cfg.layout->descriptors;
    size_t need = 18 + (src[18 + 2] | src[18 + 3] << 8);
    if (max < need)
        return 0;
    memcpy(out, src, need);
    return need;
}

unsigned h7_dfu_alt_count(const struct h7_dfu *d)
{
    return d->cfg.layout->n_alts;
}

const char *h7_dfu_alt_name(const struct h7_dfu *d, unsigned alt)
{
    const struct h7_dfu_layout *l = d->cfg.layout;
    return alt < l->n_alts ? l->strings[DFU_STR_FIRST_ALT - 1 + alt] : NULL;
}

enum h7_dfu_state h7_dfu_state(const struct h7_dfu *d)
{
    return (enum h7_dfu_state)d->state;
}

enum h7_dfu_status h7_dfu_status(const struct h7_dfu *d)
{
    return (enum h7_dfu_status)d->status;
}

const struct h7_dfu_stats *h7_dfu_stats(const struct h7_dfu *d)
{
    return &d->stats;
}

const char *h7_dfu_state_name(unsigned state)
{
    static const char *const names[] = {
        "appIDLE",     "appDETACH",      "dfuIDLE",          "dfuDNLOAD-SYNC",
        "dfuDNBUSY",   "dfuDNLOAD-IDLE", "dfuMANIFEST-SYNC", "dfuMANIFEST",
        "dfuMANIFEST-WAIT-RESET", "dfuUPLOAD-IDLE", "dfuERROR"};
    return state < sizeof(names) / sizeof(names[0]) ? names[state] : "unknown state";
}

const char *h7_dfu_status_name(unsigned status)
{
    static const char *const names[] = {
        "OK",         "errTARGET", "errFILE",   "errWRITE",    "errERASE",       "errCHECK_ERASED",
        "errPROG",    "errVERIFY", "errADDRESS", "errNOTDONE", "errFIRMWARE",    "errVENDOR",
        "errUSBR",    "errPOR",    "errUNKNOWN", "errSTALLEDPKT"};
    return status < sizeof(names) / sizeof(names[0]) ? names[status] : "unknown status";
}
