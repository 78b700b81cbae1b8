/*
 * dfu_flash.c — writing the flash alt: one erase unit staged in RAM, unchanged data skipped.
 *
 * Invariants (what makes "skip unchanged" and "change nothing on a bad request" hold):
 *  - The LOGICAL content of the flash is what a host that erased and wrote through DfuSe
 *    expects to read back. For an erase unit ("sector") it is: stage_buf if it is the staged
 *    sector; else 0xFF if an ERASE command asked for it and it has not been written since
 *    (erase_req bit set); else the flash itself. UPLOAD reads the logical content.
 *  - The flash changes only in materialise(), one sector at a time, and only where the logical
 *    content differs from it: a sector that matches is neither erased nor programmed; one that
 *    needs only 1->0 bits is programmed page by page where it differs; otherwise it is erased
 *    and its non-blank pages programmed. Every write is read back. The one exception to "one
 *    sector at a time": in a new image, the erase may take the whole large erase unit the
 *    sector starts, when every other sector of it is erase-requested (logically 0xFF, so the
 *    erase changes no logical content there; erase_unit()).
 *  - Before the first change to a slot sector in a download, the old image is invalidated and
 *    the new image's commit word is withheld from then on (dfu_commit.c).
 *  - A data block is checked in full (erased or erase-requested target) before any byte of it
 *    is staged, so a refused block changes nothing.
 */
#include "dfu_internal.h"

#include <string.h>

#define CHUNK 256 /* stack buffer for comparisons; program pages are at most this big */

static uint32_t es(const struct h7_dfu *d)
{
    return d->erase_size;
}

int dfu_read(const struct h7_dfu *d, uint32_t off, void *buf, uint32_t len)
{
    return h7_flash_read(d->cfg.flash, off, buf, len);
}

static bool req_get(const struct h7_dfu *d, uint32_t s)
{
    return d->erase_req[s / 8] & (1u << (s % 8));
}

/* Set (on) or clear the "erase requested" bit of sector s, keeping the count. */
static void req_put(struct h7_dfu *d, uint32_t s, bool on)
{
    if (req_get(d, s) != on) {
        d->erase_req[s / 8] ^= (uint8_t)(1u << (s % 8));
        d->erase_req_count += on ? 1 : -1;
    }
}

bool dfu_all_ff(const uint8_t *p, uint32_t n)
{
    while (n--)
        if (*p++ != 0xFF)
            return false;
    return true;
}

enum cmp { CMP_SAME, CMP_PROGRAM, CMP_ERASE, CMP_IOERR };

/* How the flash sector at off compares with `want`. */
static enum cmp compare(struct h7_dfu *d, uint32_t off, const uint8_t *want)
{
    uint8_t tmp[CHUNK];
    enum cmp r = CMP_SAME;
    for (uint32_t i = 0; i < es(d); i++) {
        if (i % CHUNK == 0 && dfu_read(d, off + i, tmp, CHUNK))
            return CMP_IOERR;
        uint8_t have = tmp[i % CHUNK], w = want[i];
        if ((have & w) != w)
            return CMP_ERASE; /* a 0 bit must become 1 */
        if (have != w)
            r = CMP_PROGRAM;
    }
    return r;
}

/*
 * How much to erase for sector s, which needs an erase: the whole large erase unit ("block")
 * that s starts, or s alone. The block only when
 *  - the host asked for every sector of it to be erased (erase_req, none written since): the
 *    rest of a block may hold data outside the download (user area, the tail of the slot);
 *  - s brings new data (a mass erase goes sector by sector, skipping blank ones);
 *  - the download looks like a new image, not a small change: every sector of the block just
 *    before was erased in this download (the erase streak).
 * A block erased here is blank, so its other sectors are then programmed from their staged
 * content, never erased again (materialise() compares with the flash).
 */
static uint32_t erase_unit(const struct h7_dfu *d, uint32_t s, const uint8_t *content)
{
    uint32_t n = d->cfg.flash->erase_size_large / es(d); /* sectors in a block */
    if (n < 2 || s % n || s + n > 8 * sizeof(d->erase_req) || d->run_next != s ||
        s - d->run_start < n || dfu_all_ff(content, es(d)))
        return es(d);
    for (uint32_t k = 0; k < n; k++)
        if (!req_get(d, s + k))
            return es(d);
    return n * es(d);
}

/* Make flash sector `s` hold `content` (which may be adjusted to withhold the commit word). */
static uint8_t materialise(struct h7_dfu *d, uint32_t s, uint8_t *content)
{
    const struct h7_flash *f = d->cfg.flash;
    uint32_t off = s * es(d), ps = f->program_size, size;
    uint8_t tmp[CHUNK];
    enum cmp c;
    bool first = true;

    for (;;) {
        dfu_commit_withhold(d, off, content, es(d));
        c = compare(d, off, content);
        if (c == CMP_IOERR)
            return H7_DFU_ERR_WRITE;
        if (c == CMP_SAME && first) {
            d->stats.sectors_skipped++;
            goto done;
        }
        size = c == CMP_ERASE ? erase_unit(d, s, content) : es(d);
        /* before the first change to the slot: invalidate the old image, then again */
        if (d->slot_touched || !dfu_in_slot(d, off, size))
            break;
        uint8_t st = dfu_commit_before_slot_change(d);
        if (st)
            return st;
        first = false;
    }
    if (c == CMP_ERASE) {
        if (f->ops->erase(f->ctx, off, size))
            return H7_DFU_ERR_ERASE;
        if (d->run_next != s)
            d->run_start = (uint16_t)s;
        d->run_next = (uint16_t)(s + size / es(d));
        d->stats.sectors_erased += size / es(d);
    }
    for (uint32_t p = 0; p < es(d); p += ps) {
        /* erased: program the pages that are not blank; else the pages that differ */
        if (c != CMP_ERASE && dfu_read(d, off + p, tmp, ps))
            return H7_DFU_ERR_WRITE;
        if (c == CMP_ERASE ? dfu_all_ff(content + p, ps) : !memcmp(tmp, content + p, ps))
            continue;
        if (f->ops->program(f->ctx, off + p, content + p, ps))
            return H7_DFU_ERR_WRITE;
        d->stats.pages_programmed++;
    }
    if (compare(d, off, content) != CMP_SAME) /* read back */
        return H7_DFU_ERR_VERIFY;
done:
    req_put(d, s, false);
    return H7_DFU_OK;
}

uint8_t dfu_flash_flush(struct h7_dfu *d)
{
    if (d->stage_sector < 0)
        return H7_DFU_OK;
    /* stays staged while it is written: the commit logic reads the new header through it */
    uint8_t st = materialise(d, (uint32_t)d->stage_sector, d->stage_buf);
    d->stage_sector = -1;
    return st;
}

/* Bring sector s into stage_buf (writing out the one staged before). */
static uint8_t stage(struct h7_dfu *d, uint32_t s)
{
    if (d->stage_sector == (int32_t)s)
        return H7_DFU_OK;
    uint8_t st = dfu_flash_flush(d);
    if (st)
        return st;
    if (req_get(d, s))
        memset(d->stage_buf, 0xFF, es(d));
    else if (dfu_read(d, s * es(d), d->stage_buf, es(d)))
        return H7_DFU_ERR_WRITE;
    d->stage_sector = (int32_t)s;
    return H7_DFU_OK;
}

void dfu_flash_read(struct h7_dfu *d, uint32_t off, uint8_t *buf, uint32_t len)
{
    while (len) {
        uint32_t s = off / es(d), in = off % es(d);
        uint32_t n = es(d) - in < len ? es(d) - in : len;
        if (d->stage_sector == (int32_t)s)
            memcpy(buf, d->stage_buf + in, n);
        else if (req_get(d, s))
            memset(buf, 0xFF, n);
        else if (dfu_read(d, off, buf, n))
            memset(buf, 0, n); /* a failed read never passes for erased flash */
        off += n;
        buf += n;
        len -= n;
    }
}

uint8_t dfu_flash_write(struct h7_dfu *d, uint32_t off, const uint8_t *data, uint32_t len)
{
    /* check everything first: the target must be erase-requested or already blank (in
     * pieces that stay inside one sector: both sizes are powers of two) */
    uint8_t tmp[CHUNK];
    uint32_t unit = es(d) < CHUNK ? es(d) : CHUNK;
    for (uint32_t o = off, m; o - off < len; o += m) {
        m = unit - o % unit;
        if (m > len - (o - off))
            m = len - (o - off);
        if (!req_get(d, o / es(d))) {
            dfu_flash_read(d, o, tmp, m);
            if (!dfu_all_ff(tmp, m))
                return H7_DFU_ERR_CHECK_ERASED;
        }
    }
    while (len) {
        uint32_t s = off / es(d), in = off % es(d);
        uint32_t n = es(d) - in < len ? es(d) - in : len;
        uint8_t st = stage(d, s);
        if (st)
            return st;
        memcpy(d->stage_buf + in, data, n);
        off += n;
        data += n;
        len -= n;
    }
    return H7_DFU_OK;
}

void dfu_flash_request_erase(struct h7_dfu *d, uint32_t off, uint32_t len)
{
    for (uint32_t s = off / es(d); s < (off + len) / es(d); s++) {
        req_put(d, s, true);
        if (d->stage_sector == (int32_t)s)
            memset(d->stage_buf, 0xFF, es(d));
    }
}

uint8_t dfu_flash_erase_requested(struct h7_dfu *d)
{
    uint32_t n = d->cfg.layout->flash_size / es(d); /* <= H7_DFU_MAX_SECTORS (layout) */
    for (uint32_t s = 0; s < n && d->erase_req_count; s++) {
        if (!req_get(d, s))
            continue;
        uint8_t st = dfu_flash_rewrite_sector(d, s * es(d), 0); /* stages 0xFF */
        if (st)
            return st;
    }
    return H7_DFU_OK;
}

bool dfu_flash_pending(const struct h7_dfu *d)
{
    return d->stage_sector >= 0 || d->erase_req_count || d->slot_touched;
}

uint8_t dfu_flash_rewrite_sector(struct h7_dfu *d, uint32_t off, uint32_t len)
{
    uint8_t st = stage(d, off / es(d));
    if (st)
        return st;
    memset(d->stage_buf + off % es(d), 0xFF, len);
    return dfu_flash_flush(d);
}

void dfu_flash_reset(struct h7_dfu *d)
{
    d->stage_sector = -1;
    memset(d->erase_req, 0, sizeof(d->erase_req));
    d->erase_req_count = 0;
    d->run_start = d->run_next = 0;
}
