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
#include "h7_image.h"

#include <string.h>

/* The compiler must not move flag writes across the data they publish (poll vs interrupt). */
#define BARRIER() __asm__ volatile("" ::: "memory")

int h7_dfu_init(struct h7_dfu *d, const struct h7_dfu_config *cfg)
{
    const struct h7_dfu_layout *l = cfg->layout;
    const struct h7_flash *f = cfg->flash;
    memset(d, 0, sizeof(*d));
    d->cfg = *cfg;
    if (!l || !cfg->board || !f || !cfg->mem || !cfg->mem->read || !cfg->mem->write || !cfg->buf ||
        f->base != l->flash_base || f->erase_size != l->erase_size || f->size < l->flash_size ||
        f->program_size - 4u > 252u) {
        d->error = "bad h7_dfu_config";
        return -1;
    }
    if (!d->cfg.serial)
        d->cfg.serial = l->strings[DFU_STR_SERIAL - 1];
    d->stage_sector = -1;
    d->erase_size = l->erase_size;
    d->slot_off = l->slot_addr - l->flash_base;
    d->state = H7_DFU_IDLE;
    d->addr_ptr = l->slot_addr;
    return 0;
}

/* The segment of the current alt that holds addr, or NULL. */
static const struct h7_dfu_segment *segment_at(const struct h7_dfu *d, uint32_t addr)
{
    const struct h7_dfu_layout *l = d->cfg.layout;
    for (unsigned i = 0; i < l->n_segments; i++) {
        const struct h7_dfu_segment *g = &l->segments[i];
        if (g->alt == d->alt && addr >= g->addr && addr - g->addr < g->size)
            return g;
    }
    return NULL;
}

/* ---- jobs (run by poll) ---- */

static uint8_t run_command(struct h7_dfu *d)
{
    const uint8_t *b = d->cfg.buf;
    const struct h7_dfu_layout *l = d->cfg.layout;
    uint32_t addr = dfu_le32(b + 1); /* (stale bytes for a 1-byte command: unused then) */
    const struct h7_dfu_segment *g = segment_at(d, addr);
    uint8_t st = H7_DFU_ERR_TARGET;

    switch (d->job_len << 8 | b[0]) {
    case 5 << 8 | DFUSE_SET_ADDRESS:
        if (!g)
            return H7_DFU_ERR_TARGET;
        d->addr_ptr = addr;
        return H7_DFU_OK;
    case 5 << 8 | DFUSE_ERASE: /* mark the DfuSe page: erased when its content is known */
        if (!g || !(g->perms & DFU_PERM_ERASE) || g->kind != DFU_SEG_FLASH)
            return H7_DFU_ERR_TARGET;
        d->finish_status = H7_DFU_OK;
        /* the DfuSe page around addr (segments start on a page boundary) */
        dfu_flash_request_erase(d, (addr >> g->page_shift << g->page_shift) - l->flash_base,
                                1u << g->page_shift);
        return H7_DFU_OK;
    case 1 << 8 | DFUSE_ERASE: /* mass erase: the writable flash of this alt */
        for (const struct h7_dfu_segment *end = (g = l->segments) + l->n_segments; g < end; g++) {
            if (g->alt == d->alt && g->kind == DFU_SEG_FLASH &&
                (g->perms & (DFU_PERM_ERASE | DFU_PERM_WRITE)) ==
                    (DFU_PERM_ERASE | DFU_PERM_WRITE)) {
                dfu_flash_request_erase(d, g->addr - l->flash_base, g->size);
                st = H7_DFU_OK;
            }
        }
        return st ? st : dfu_finish_download(d);
    case 1 << 8 | DFUSE_READ_UNPROTECT:
        return H7_DFU_ERR_VENDOR; /* never erase the bootloader on request */
    default:
        return H7_DFU_ERR_UNKNOWN;
    }
}

static uint8_t mem_write_verify(struct h7_dfu *d, uint32_t addr, const uint8_t *p, uint32_t len)
{
    const struct h7_dfu_mem_ops *m = d->cfg.mem;
    if (m->write(d->cfg.mem_ctx, addr, p, len))
        return H7_DFU_ERR_WRITE;
    if (len && (d->ram_end == 0 || addr < d->ram_lo))
        d->ram_lo = addr;
    if (len && addr + len > d->ram_end)
        d->ram_end = addr + len;
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
    const struct h7_dfu_segment *g = segment_at(d, addr);
    if (!g || !(g->perms & DFU_PERM_WRITE))
        return H7_DFU_ERR_TARGET;
    if (len > g->size - (addr - g->addr))
        return H7_DFU_ERR_ADDRESS;
    d->stats.bytes_downloaded += len;
    d->finish_status = H7_DFU_OK; /* a new download: an earlier one's result is history */
    if (g->kind == DFU_SEG_MEM)
        return mem_write_verify(d, addr, d->cfg.buf, len);
    return dfu_flash_write(d, addr - d->cfg.layout->flash_base, d->cfg.buf, len);
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
    /* the writable memory segments are the board's loadable RAM (dfu_layout.c) */
    const struct h7_dfu_segment *g = segment_at(d, d->addr_ptr);
    d->leave.addr = d->addr_ptr;
    d->leave.kind = g && g->kind == DFU_SEG_MEM && (g->perms & DFU_PERM_WRITE)
                        ? H7_DFU_LEAVE_RUN_RAM
                        : H7_DFU_LEAVE_BOOT;
    if (d->leave.kind == H7_DFU_LEAVE_RUN_RAM) {
        /* The same check as the bootloader's before its jump (image_entry.c): SP and reset
         * vector of the vector table at the address pointer, against the RAM downloaded. */
        uint8_t w[8];
        const struct h7_image_segment code = {.dest = d->ram_lo,
                                              .size = d->ram_end - d->ram_lo,
                                              .kind = H7_SEG_COPY};
        if (d->cfg.mem->read(d->cfg.mem_ctx, d->addr_ptr, w, sizeof w) ||
            h7_image_check_entry(d->cfg.board, &code, d->ram_end ? 1 : 0, h7_le32(w),
                                 h7_le32(w + 4), 0)) {
            d->leave.kind = H7_DFU_LEAVE_NONE;
            return H7_DFU_ERR_FIRMWARE;
        }
    }
    return H7_DFU_OK;
}

/* A job has been queued and not yet run by poll. */
static bool job_pending(const struct h7_dfu *d)
{
    return d->job != DFU_JOB_NONE && !d->job_done;
}

enum h7_dfu_poll_result h7_dfu_poll(struct h7_dfu *d, uint32_t now_ms)
{
    if (d->leave_ready)
        return H7_DFU_POLL_LEAVE;
    uint8_t job = d->job;
    if (job != DFU_JOB_NONE && !d->job_done) {
        uint8_t st = job == DFU_JOB_COMMAND ? run_command(d)
                     : job == DFU_JOB_DATA  ? run_data(d)
                                            : run_manifest(d);
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
    uint32_t seq = *(volatile uint32_t *)&d->stats.requests; /* bumped by every request */
    if (seq != d->seen_seq) {
        d->seen_seq = seq;
        d->seen_ms = now_ms;
    } else if (now_ms - d->seen_ms >= DFU_IDLE_FINISH_MS && d->job == DFU_JOB_NONE &&
               dfu_flash_pending(d)) {
        d->finish_req = 1; /* the host went away mid-download */
        return H7_DFU_POLL_BUSY;
    }
    return job_pending(d) || d->finish_req ? H7_DFU_POLL_BUSY : H7_DFU_POLL_IDLE;
}

void h7_dfu_bus_reset(struct h7_dfu *d)
{
    if (job_pending(d))
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

static void queue(struct h7_dfu *d, uint8_t job, uint8_t state, uint8_t poll_ms)
{
    d->job_done = 0;
    d->state = state;
    d->poll_ms = poll_ms;
    BARRIER();
    d->job = job;
}

/* The bus address of data block `block` (>= 2) of a DNLOAD or UPLOAD; false past 4 GB. */
static bool block_addr(const struct h7_dfu *d, uint16_t block, uint32_t *addr)
{
    uint64_t a = d->addr_ptr + (uint64_t)(block - 2) * d->cfg.layout->transfer_size;
    *addr = (uint32_t)a;
    return a <= 0xFFFFFFFFu;
}

static int dnload(struct h7_dfu *d, const struct h7_usb_setup *s, const uint8_t *buf)
{
    uint8_t job = DFU_JOB_MANIFEST, state = H7_DFU_MANIFEST_SYNC, poll = DFU_POLL_MS_MANIFEST;
    if ((d->state != H7_DFU_IDLE && d->state != H7_DFU_DNLOAD_IDLE) ||
        s->wLength > d->cfg.layout->transfer_size)
        return fail(d, H7_DFU_ERR_STALLEDPKT);
    if (s->wLength) { /* (none: leave, i.e. finish, verify, commit, then dfuMANIFEST) */
        if (s->wValue == 1)
            return fail(d, H7_DFU_ERR_STALLEDPKT);
        state = H7_DFU_DNLOAD_SYNC;
        job = DFU_JOB_COMMAND;
        poll = s->wLength == 1 && buf[0] == DFUSE_ERASE ? DFU_POLL_MS_MASS_ERASE
                                                         : DFU_POLL_MS_COMMAND;
        if (s->wValue != 0) {
            if (!block_addr(d, s->wValue, &d->job_addr))
                return fail(d, H7_DFU_ERR_ADDRESS);
            job = DFU_JOB_DATA;
            poll = DFU_POLL_MS_DATA;
        }
        memcpy(d->cfg.buf, buf, s->wLength);
        d->job_len = s->wLength;
    }
    queue(d, job, state, poll);
    return 0;
}

static int upload(struct h7_dfu *d, const struct h7_usb_setup *s, uint8_t *buf)
{
    static const uint8_t commands[] = {DFUSE_GET_COMMANDS, DFUSE_SET_ADDRESS, DFUSE_ERASE,
                                       DFUSE_READ_UNPROTECT};
    const struct h7_dfu_segment *g;
    uint32_t addr, n = sizeof(commands);
    if (d->state != H7_DFU_IDLE && d->state != H7_DFU_UPLOAD_IDLE)
        return fail(d, H7_DFU_ERR_STALLEDPKT);
    if (dfu_flash_pending(d)) {
        d->finish_req = 1; /* an upload ends the download before it: finish it first */
        return H7_DFU_NAK;
    }
    if (s->wLength > d->cfg.layout->transfer_size || s->wValue == 1)
        return fail(d, H7_DFU_ERR_STALLEDPKT);
    if (s->wValue == 0) {
        if (n > s->wLength)
            n = s->wLength;
        memcpy(buf, commands, n);
        d->state = H7_DFU_UPLOAD_IDLE;
        return (int)n;
    }
    if (!block_addr(d, s->wValue, &addr))
        return fail(d, H7_DFU_ERR_ADDRESS);
    g = segment_at(d, addr);
    if (!g || !(g->perms & DFU_PERM_READ)) /* just past a segment's end: the upload ran off it */
        return fail(d, !g && segment_at(d, addr - 1) ? H7_DFU_ERR_ADDRESS : H7_DFU_ERR_TARGET);
    n = g->size - (addr - g->addr);
    if (n > s->wLength)
        n = s->wLength;
    if (g->kind == DFU_SEG_FLASH)
        dfu_flash_read(d, addr - d->cfg.layout->flash_base, buf, n);
    else if (d->cfg.mem->read(d->cfg.mem_ctx, addr, buf, n))
        return fail(d, H7_DFU_ERR_UNKNOWN);
    d->stats.bytes_uploaded += n;
    d->state = n < s->wLength ? H7_DFU_IDLE : H7_DFU_UPLOAD_IDLE;
    return (int)n;
}

/* Apply a finished job's result: GETSTATUS does, and any other request first does it for a
 * result the host never asked for (dfu-util moves on without GETSTATUS after READ
 * UNPROTECT). */
static void collect(struct h7_dfu *d)
{
    uint8_t st = d->job_status;
    d->status = st;
    d->state = st                                 ? H7_DFU_ERROR
               : d->state == H7_DFU_MANIFEST_SYNC ? H7_DFU_MANIFEST
                                                  : H7_DFU_DNLOAD_IDLE;
    if (!st && d->job == DFU_JOB_MANIFEST)
        d->leave_ready = 1; /* poll reports LEAVE once this answer is out */
    d->job = DFU_JOB_NONE;
}

static int getstatus(struct h7_dfu *d, uint8_t *buf)
{
    if (d->state == H7_DFU_DNLOAD_SYNC)
        d->state = H7_DFU_DNBUSY; /* dfu-util insists on this first answer */
    else if (d->job != DFU_JOB_NONE && d->job_done)
        collect(d);
    bool busy = d->state == H7_DFU_DNBUSY || d->state == H7_DFU_MANIFEST_SYNC;
    buf[0] = busy ? H7_DFU_OK : d->status;
    buf[1] = busy ? d->poll_ms : 0; /* bwPollTimeout, 3 bytes */
    buf[2] = buf[3] = buf[5] = 0;
    buf[4] = d->state;
    return 6;
}

/* A descriptor from the layout, truncated to the host's wLength. */
static int descriptor(const struct h7_dfu *d, const struct h7_usb_setup *s, uint8_t *buf)
{
    static const uint8_t langs[4] = {4, DFU_DESC_STRING, 0x09, 0x04}; /* English (US) */
    const struct h7_dfu_layout *l = d->cfg.layout;
    const uint8_t *src = l->descriptors;
    uint8_t index = (uint8_t)s->wValue;
    unsigned n, total = src[18 + 2] | src[18 + 3] << 8;
    uint8_t str[2 + 2 * H7_DFU_STRING_MAX];
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
        src = langs;
        n = 4;
        if (index == 0)
            break;
        if (index > l->n_strings)
            return H7_DFU_STALL;
        src = str;
        n = 2;
        for (const char *c = index == DFU_STR_SERIAL ? d->cfg.serial : l->strings[index - 1];
             *c && n < sizeof(str); c++) { /* ASCII to UTF-16LE */
            str[n++] = (uint8_t)*c;
            str[n++] = 0;
        }
        str[0] = (uint8_t)n;
        str[1] = DFU_DESC_STRING;
        break;
    default:
        return H7_DFU_STALL;
    }
    if (n > s->wLength)
        n = s->wLength;
    memcpy(buf, src, n);
    return (int)n;
}

/* Standard requests (USB 2.0 table 9-4) at their bRequest, DFU class requests (to interface 0)
 * at 12 + bRequest: whether the request exists, its direction, what it needs. */
enum { RQ_KNOWN = 0x80, RQ_IN = 0x40, /* else OUT */
       RQ_NO_JOB = 0x20,              /* STALL while a job is queued and not collected */
       RQ_NAK_FINISH = 0x10,          /* NAK while the end of a download is being written */
       RQ_MIN_LEN = 0x07 };           /* the least wLength of the fixed-size reply */
enum { STD_GET_STATUS = 0, STD_CLEAR_FEATURE = 1, STD_SET_FEATURE = 3, STD_GET_DESCRIPTOR = 6,
       STD_GET_CONFIGURATION = 8, STD_SET_CONFIGURATION = 9, STD_GET_INTERFACE = 10,
       STD_SET_INTERFACE = 11, DFU_DETACH = 12, DFU_DNLOAD = 13, DFU_UPLOAD = 14,
       DFU_GETSTATUS = 15, DFU_CLRSTATUS = 16, DFU_GETSTATE = 17, DFU_ABORT = 18 };
static const uint8_t requests[] = {
    [STD_GET_STATUS] = RQ_KNOWN | RQ_IN | 2,
    [STD_CLEAR_FEATURE] = RQ_KNOWN,
    [STD_SET_FEATURE] = RQ_KNOWN,
    [STD_GET_DESCRIPTOR] = RQ_KNOWN | RQ_IN,
    [STD_GET_CONFIGURATION] = RQ_KNOWN | RQ_IN | 1,
    [STD_SET_CONFIGURATION] = RQ_KNOWN,
    [STD_GET_INTERFACE] = RQ_KNOWN | RQ_IN | 1,
    [STD_SET_INTERFACE] = RQ_KNOWN | RQ_NO_JOB,
    [DFU_DETACH] = RQ_KNOWN,
    [DFU_DNLOAD] = RQ_KNOWN | RQ_NO_JOB | RQ_NAK_FINISH,
    [DFU_UPLOAD] = RQ_KNOWN | RQ_IN | RQ_NO_JOB | RQ_NAK_FINISH,
    [DFU_GETSTATUS] = RQ_KNOWN | RQ_IN | 6,
    [DFU_CLRSTATUS] = RQ_KNOWN | RQ_NO_JOB,
    [DFU_GETSTATE] = RQ_KNOWN | RQ_IN | 1,
    [DFU_ABORT] = RQ_KNOWN | RQ_NO_JOB,
};

#define REQ_IN 0x80
#define REQ_TYPE(s) ((s)->bmRequestType & 0x60)
#define REQ_RECIPIENT(s) ((s)->bmRequestType & 0x1f)

int h7_dfu_control(struct h7_dfu *d, const struct h7_usb_setup *s, uint8_t *buf)
{
    unsigned r = s->bRequest, type = REQ_TYPE(s);
    d->stats.requests++;
    if (d->job != DFU_JOB_NONE && d->job_done && !(type == 0x20 && r + 12 == DFU_GETSTATUS))
        collect(d);
    if (type == 0x20 && REQ_RECIPIENT(s) == 0x01 && s->wIndex == 0)
        r += 12;
    else if (type != 0x00 || r >= 12)
        return H7_DFU_STALL; /* also SET_ADDRESS: the controller driver's own business */
    unsigned t = r < sizeof(requests) ? requests[r] : 0;
    if (!(t & RQ_KNOWN) || !(s->bmRequestType & REQ_IN) != !(t & RQ_IN) ||
        s->wLength < (t & RQ_MIN_LEN) || ((t & RQ_NO_JOB) && d->job != DFU_JOB_NONE))
        return H7_DFU_STALL;
    if ((t & RQ_NAK_FINISH) && (d->finish_req || d->finishing))
        return H7_DFU_NAK;
    uint8_t reply;
    switch (r) {
    case STD_GET_STATUS:
        buf[0] = buf[1] = 0;
        return 2;
    case STD_GET_DESCRIPTOR:
        return descriptor(d, s, buf);
    case STD_GET_CONFIGURATION:
        reply = d->configuration;
        break;
    case STD_SET_CONFIGURATION:
        if (s->wValue > 1)
            return H7_DFU_STALL;
        d->configuration = (uint8_t)s->wValue;
        return 0;
    case STD_GET_INTERFACE:
        if (s->wIndex != 0)
            return H7_DFU_STALL;
        reply = d->alt;
        break;
    case STD_SET_INTERFACE:
        if (s->wIndex != 0 || s->wValue >= d->cfg.layout->n_alts)
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
    case DFU_DNLOAD:
        return dnload(d, s, buf);
    case DFU_UPLOAD:
        return upload(d, s, buf);
    case DFU_GETSTATUS:
        return getstatus(d, buf);
    case DFU_CLRSTATUS:
        if (d->state == H7_DFU_ERROR) {
            d->state = H7_DFU_IDLE;
            d->status = H7_DFU_OK;
        }
        return 0;
    case DFU_GETSTATE:
        reply = d->state;
        break;
    case DFU_ABORT:
        if (d->state == H7_DFU_ERROR)
            return H7_DFU_STALL;
        /* dfu-util ends a download (without leave) with ABORT from dfuDNLOAD-IDLE: write out
         * what is staged, verify and commit, in the background (GETSTATUS says dfuIDLE) */
        if (d->state == H7_DFU_DNLOAD_IDLE && dfu_flash_pending(d))
            d->finish_req = 1;
        d->state = H7_DFU_IDLE;
        return 0;
    default: /* CLEAR_FEATURE, SET_FEATURE, DETACH (already in DFU mode) */
        return 0;
    }
    buf[0] = reply;
    return 1;
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
    return (enum h7_dfu_state) * (const volatile uint8_t *)&d->state; /* control may run */
}

enum h7_dfu_status h7_dfu_status(const struct h7_dfu *d)
{
    return (enum h7_dfu_status) * (const volatile uint8_t *)&d->status;
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
