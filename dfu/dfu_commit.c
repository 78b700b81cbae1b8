/*
 * dfu_commit.c — the app slot's safe commit. One slot (docs/dfu.md says why not two).
 *
 * On-flash invariant kept here: at every instant, a slot whose image the bootloader would
 * accept holds a COMPLETE image that was verified after it was written.
 *  1. Before the first change to the slot in a download, the old image is invalidated: an
 *     h7boot image's commit word is programmed to H7_IMAGE_INVALIDATED (0), a raw Daisy image's
 *     first word (its initial stack pointer) is programmed to 0. Both need no erase (NOR clears
 *     bits), and both are done before any other slot byte changes.
 *  2. From then on the new image's commit word is withheld: the bytes written to flash there
 *     are 0xFF (erased = "not committed"). For an h7boot image it is the word after the
 *     SHA-256 (h7_image_commit_word_offset); for a raw image it is the initial stack pointer,
 *     which the bootloader's raw-image check (h7_image_raw_reset_region) refuses as 0xFFFFFFFF.
 *  3. At the end of the download (leave, or the end of a download without leave) the image is
 *     verified from flash — h7boot: header, board check and SHA-256; raw: a plausible vector
 *     table — and only then is the commit word programmed, then read back.
 * A re-download that changes nothing in the slot never reaches step 1: the committed image
 * stays committed, nothing is written.
 * A located image (docs/image-format.md, "Located header": XIP bytes start the slot, the header
 * stands higher up) does not start with the magic, so it takes the raw path: its first word is
 * withheld and is its commit. At the end it must verify as an image (header found by
 * h7_image_locate with the withheld word in place, board check, SHA-256), not just look like a
 * vector table; a cut download leaves its first word erased, which fails its hash.
 */
#include "dfu_internal.h"

#include <string.h>

#include "h7_image.h"

static uint32_t slot_off(const struct h7_dfu *d)
{
    return d->slot_off;
}

bool dfu_in_slot(const struct h7_dfu *d, uint32_t off, uint32_t len)
{
    uint32_t so = slot_off(d); /* the ranges overlap (both non-empty, no wrap-around) */
    return off - so < d->cfg.layout->slot_size || so - off < len;
}

/* Where the commit word of the image whose first 64 bytes are `hdr` is (flash offset), for an
 * h7boot image; false for anything else. */
static bool h7_commit_at(const struct h7_dfu *d, const uint8_t *hdr, uint32_t *off)
{
    uint32_t c, total;
    if (h7_image_commit_word_offset(hdr, H7_IMAGE_HEADER_SIZE, &c, &total, NULL) ||
        c > d->cfg.layout->slot_size - H7_IMAGE_COMMIT_SIZE)
        return false;
    *off = slot_off(d) + c;
    return true;
}

/* The slot as it will be once committed: flash, but word 0 = `first` when not NULL. */
struct slot_view {
    struct h7_dfu *d;
    const uint8_t *first;
};

static int read_view(void *ctx, uint32_t off, void *buf, uint32_t len)
{
    const struct slot_view *v = ctx;
    if (dfu_read(v->d, slot_off(v->d) + off, buf, len))
        return -1;
    for (uint32_t i = off; v->first && i < 4 && i < off + len; i++)
        ((uint8_t *)buf)[i - off] = v->first[i];
    return 0;
}

/* Where the located header of the image in the view is, or false (h7_image_locate). */
static bool located_at(struct slot_view *v, uint32_t *at)
{
    return h7_image_locate(v->d->cfg.board, v->d->cfg.layout->slot_size, read_view, v, at) ==
               H7_IMAGE_FOUND_HEADER &&
           *at;
}

/* Program and read back a word at a 4-aligned offset: one page-program command (a program
 * page is 4..256 bytes, a power of two, so the word never crosses one). */
static uint8_t program_word(struct h7_dfu *d, uint32_t off, const uint8_t word[4])
{
    const struct h7_flash *f = d->cfg.flash;
    uint8_t back[4];
    if (f->ops->program(f->ctx, off, word, 4))
        return H7_DFU_ERR_WRITE;
    if (dfu_read(d, off, back, 4) || memcmp(back, word, 4))
        return H7_DFU_ERR_VERIFY;
    return H7_DFU_OK;
}

uint8_t dfu_commit_before_slot_change(struct h7_dfu *d)
{
    static const uint8_t zero[4] = {0, 0, 0, 0};
    uint8_t hdr[H7_IMAGE_HEADER_SIZE];
    uint32_t so = slot_off(d), off = so;
    bool valid;

    /* The new image: its header as far as it has arrived (the logical content). */
    dfu_flash_read(d, so, hdr, sizeof(hdr));
    d->commit_off = so;
    d->commit_is_h7 = h7_commit_at(d, hdr, &d->commit_off);
    if (d->commit_is_h7)
        h7_put_le32(d->commit_value, H7_IMAGE_COMMITTED);
    else
        memcpy(d->commit_value, hdr, 4);

    /* The old image, as it is on the flash: invalidate it if it is (or may be) valid. */
    if (dfu_read(d, so, hdr, sizeof(hdr)))
        return H7_DFU_ERR_WRITE;
    if (h7_commit_at(d, hdr, &off)) {
        uint8_t word[4];
        if (dfu_read(d, off, word, 4))
            return H7_DFU_ERR_WRITE;
        valid = dfu_le32(word) != H7_IMAGE_INVALIDATED && dfu_le32(word) != H7_IMAGE_UNCOMMITTED;
    } else {
        const uint32_t words[2] = {dfu_le32(hdr), dfu_le32(hdr + 4)};
        struct slot_view v = {d, NULL};
        uint32_t at;
        valid = h7_image_raw_reset_region(d->cfg.board, words) != NULL || located_at(&v, &at);
    }
    if (valid) {
        uint8_t st = program_word(d, off, zero);
        if (st)
            return st;
    }
    d->slot_touched = true;
    return H7_DFU_OK;
}

void dfu_commit_withhold(struct h7_dfu *d, uint32_t sector_off, uint8_t *content, uint32_t len)
{
    if (!d->slot_touched || d->commit_off - sector_off >= len)
        return;
    uint8_t *w = content + (d->commit_off - sector_off);
    /* a raw image's first word is data: remember it, unless this is a re-staging of a sector
     * where it is already withheld (0xFFFFFFFF) or was invalidated (0) */
    if (!d->commit_is_h7 && dfu_le32(w) != 0xFFFFFFFFu && dfu_le32(w) != 0)
        memcpy(d->commit_value, w, 4);
    memset(w, 0xFF, 4);
}

/* Verify the located image in the view: header at `at`, board, SHA-256 (meta in stage_buf). */
static bool located_image_ok(struct h7_dfu *d, struct slot_view *v, uint32_t at)
{
    const struct h7_range *slot = h7_board_range(d->cfg.board, H7_RANGE_SLOT, NULL);
    struct h7_image_info info;
    uint8_t *meta = d->stage_buf; /* free: the download was flushed before this runs */
    uint32_t meta_size;
    return !read_view(v, at, meta, H7_IMAGE_HEADER_SIZE) &&
           !h7_image_meta_size(meta, H7_IMAGE_HEADER_SIZE, &meta_size, NULL) &&
           meta_size <= sizeof(d->stage_buf) && !read_view(v, at, meta, meta_size) &&
           !h7_image_parse(meta, meta_size, &info, NULL) && !h7_image_check_located(&info, at) &&
           !h7_image_check_board(&info, d->cfg.board, slot, NULL) &&
           h7_image_verify_read(&info, read_view, v, NULL, NULL) == H7_IMAGE_OK;
}

/* Verify the image in the slot as it will be once committed. */
static bool slot_image_ok(struct h7_dfu *d)
{
    uint32_t so = slot_off(d);
    struct slot_view v = {d, d->commit_value};
    uint32_t at;
    if (!d->commit_is_h7 && located_at(&v, &at))
        return located_image_ok(d, &v, at);
    if (d->commit_is_h7) {
        const struct h7_range *slot = h7_board_range(d->cfg.board, H7_RANGE_SLOT, NULL);
        struct h7_image_info info;
        uint8_t *meta = d->stage_buf; /* free: the download was flushed before this runs */
        uint32_t meta_size;
        return !dfu_read(d, so, meta, sizeof(d->stage_buf)) &&
               !h7_image_meta_size(meta, H7_IMAGE_HEADER_SIZE, &meta_size, NULL) &&
               meta_size <= sizeof(d->stage_buf) &&
               !h7_image_parse(meta, meta_size, &info, NULL) &&
               !h7_image_check_board(&info, d->cfg.board, slot, NULL) &&
               so + h7_image_commit_offset(&info) == d->commit_off &&
               h7_image_verify_flash(&info, d->cfg.flash, so, NULL) == H7_IMAGE_OK;
    }
    uint8_t second[4];
    if (dfu_read(d, so + 4, second, 4))
        return false;
    const uint32_t words[2] = {dfu_le32(d->commit_value), dfu_le32(second)};
    return h7_image_raw_reset_region(d->cfg.board, words) != NULL;
}

uint8_t dfu_commit_finish(struct h7_dfu *d)
{
    uint8_t hdr[H7_IMAGE_HEADER_SIZE];
    uint8_t st = H7_DFU_ERR_VERIFY;

    if (!d->slot_touched)
        return H7_DFU_OK;
    /* An h7boot header that arrived after the first slot change (out-of-order writes): the
     * word we withheld is the wrong one; refuse rather than guess. */
    if (d->commit_is_h7 || dfu_le32(d->commit_value) != H7_IMAGE_MAGIC) {
        /* nothing in the slot at all (e.g. after a mass erase): nothing to commit */
        if (!dfu_read(d, slot_off(d), hdr, sizeof(hdr)) && dfu_all_ff(hdr, sizeof(hdr)) &&
            (d->commit_is_h7 || dfu_le32(d->commit_value) == 0xFFFFFFFFu)) {
            st = H7_DFU_OK;
            goto out;
        }
        /* the commit word must still be erased so it can be programmed */
        if (dfu_read(d, d->commit_off, hdr, 4))
            st = H7_DFU_ERR_WRITE;
        else if (dfu_le32(hdr) != 0xFFFFFFFFu)
            st = dfu_flash_rewrite_sector(d, d->commit_off, 4);
        else
            st = H7_DFU_OK;
        if (st)
            goto out;
        if (slot_image_ok(d)) {
            st = program_word(d, d->commit_off, d->commit_value);
            if (!st)
                d->stats.commits++;
            goto out;
        }
        st = H7_DFU_ERR_VERIFY;
    }
    d->stats.commit_refusals++;
out:
    d->slot_touched = false;
    return st;
}
