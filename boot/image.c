/*
 * h7boot images (docs/image-format.md): every check is the image library's own
 * (image/h7_image.h) — the same code `h7boot inspect` runs — in the order that fails cheapest
 * first: header (64 bytes, CRC), metadata (segment table, TLVs), the board rules (regions,
 * reserved ranges, XIP placement, slot size), the commit word, then the initial SP and reset
 * vector the core will jump through (image_entry.c). All of them before a byte moves.
 *
 * One pass (issue 15): the SHA-256 is computed once, after the copy, over what landed in RAM and
 * over the XIP segments where they run — what runs is what was hashed, and the slot is read once
 * instead of twice. An image that fails it is never jumped to; the RAM it overwrote is not a
 * risk (the bootloader's own RAM is a reserved range no segment may touch, checked above). Only
 * on a mismatch is the slot hashed a second time, to say which one is wrong: flash (payload
 * corrupt) or RAM (it does not hold what flash holds).
 */
#include "boot_internal.h"
#include "h7_image.h"
#include "h7_sha256.h"

_Static_assert(H7_BOOT_MAX_SEGMENTS == H7_IMAGE_MAX_SEGMENTS, "plan holds every segment");

/* The metadata and parsed header stay here between the checks and the hash after the copy: the
 * hash covers these kept bytes, not a second read of the slot. */
static uint8_t meta[H7_IMAGE_META_MAX];
static uint32_t meta_size;
static struct h7_image_info info;
static uint8_t expected[H7_IMAGE_HASH_SIZE];


/* Which of the bootloader's reasons an image library error belongs to. */
static enum h7_boot_reason reason_of(int err)
{
    switch (err) {
    case H7_IMAGE_E_TRUNCATED:
    case H7_IMAGE_E_SLOT_SIZE:
        return H7_BOOT_ERR_TRUNCATED;
    case H7_IMAGE_E_MAGIC:
        return H7_BOOT_ERR_NO_IMAGE;
    case H7_IMAGE_E_FORMAT_VERSION:
    case H7_IMAGE_E_HEADER_SIZE:
    case H7_IMAGE_E_HEADER_CRC:
    case H7_IMAGE_E_FLAGS:
    case H7_IMAGE_E_META_SIZE:
    case H7_IMAGE_E_IMAGE_SIZE:
    case H7_IMAGE_E_TLV:
    case H7_IMAGE_E_TLV_CRITICAL:
    case H7_IMAGE_E_LOAD_ADDRESS:
        return H7_BOOT_ERR_HEADER;
    case H7_IMAGE_E_SEGMENT_COUNT:
    case H7_IMAGE_E_SEGMENT_SIZE:
    case H7_IMAGE_E_SEG_KIND:
    case H7_IMAGE_E_SEG_RESERVED:
    case H7_IMAGE_E_SEG_EMPTY:
    case H7_IMAGE_E_SEG_WRAP:
    case H7_IMAGE_E_SEG_OFFSET:
    case H7_IMAGE_E_SEG_ORDER:
        return H7_BOOT_ERR_SEG_TABLE;
    case H7_IMAGE_E_SEG_OVERLAP:
        return H7_BOOT_ERR_SEG_OVERLAP;
    case H7_IMAGE_E_SEG_REGION:
    case H7_IMAGE_E_SEG_XIP:
        return H7_BOOT_ERR_SEG_OUTSIDE;
    case H7_IMAGE_E_SEG_RESERVED_RANGE:
        return H7_BOOT_ERR_SEG_RESERVED;
    case H7_IMAGE_E_ENTRY:
    case H7_IMAGE_E_VECTOR:
        return H7_BOOT_ERR_ENTRY;
    case H7_IMAGE_E_STACK:
        return H7_BOOT_ERR_STACK;
    case H7_IMAGE_E_RESET:
        return H7_BOOT_ERR_RESET_VECTOR;
    case H7_IMAGE_E_ENTRY_VECTOR:
        return H7_BOOT_ERR_ENTRY_VECTOR;
    case H7_IMAGE_E_HASH:
        return H7_BOOT_ERR_HASH_FLASH;
    case H7_IMAGE_E_UNCOMMITTED:
        return H7_BOOT_ERR_COMMIT;
    default:
        return H7_BOOT_ERR_SLOT_READ;
    }
}

static enum h7_boot_reason refuse(struct h7_boot_plan *plan, int err,
                                  const struct h7_image_fault *f)
{
#ifdef H7_IMAGE_NO_ERROR_TEXT
    plan->detail = 0; /* a tree without error texts (image/CMakeLists.txt): no H7_EV_DETAIL */
#else
    plan->detail = h7_image_strerror(err);
#endif
    plan->bad_addr = f ? f->addr : 0;
    plan->bad_index = f ? f->segment : -1;
    plan->bad_field = f ? f->field : 0;
    return reason_of(err);
}

/* The hash over the slot when it is not memory-mapped: h7_image_verify_read() through this. */
static int read_slot(void *ctx, uint32_t off, void *buf, uint32_t len)
{
    return !h7_boot_slot_read(ctx, off, buf, len);
}

int h7_boot_locate(const struct h7_boot_port *p, uint32_t *at)
{
    return h7_image_locate(p->board, p->slot->length, read_slot, (void *)(uintptr_t)p, at);
}

enum h7_boot_reason h7_boot_image_plan(const struct h7_boot_port *p, uint32_t at,
                                       struct h7_boot_plan *plan)
{
    /* Every refusal leaves through `refused` with the error and, for the library's own checks,
     * its fault record (`where`). */
    struct h7_image_fault f = {.segment = -1, .other = -1};
    const struct h7_image_fault *where = 0;
    uint32_t commit;
    int e = H7_IMAGE_E_IO;
    /* The metadata stands at `at`: 0, or a located header (XIP bytes start the slot). */
    if (!h7_boot_slot_read(p, at, meta, H7_IMAGE_HEADER_SIZE))
        goto refused;
    where = &f;
    if ((e = h7_image_meta_size(meta, H7_IMAGE_HEADER_SIZE, &meta_size, &f)))
        goto refused;
    where = 0;
    e = H7_IMAGE_E_TRUNCATED;
    if (!h7_boot_slot_read(p, at, meta, meta_size))
        goto refused;
    where = &f;
    if ((e = h7_image_parse(meta, meta_size, &info, &f)))
        goto refused;
    f.field = H7_IMAGE_OFF_HEADER_OFFSET;
    f.addr = info.header_offset;
    if ((e = h7_image_check_located(&info, at)))
        goto refused;
    if ((e = h7_image_check_board(&info, p->board, p->slot, &f)))
        goto refused;

    /* Written last by every writer: without it the image may be half written. */
    where = 0;
    e = H7_IMAGE_E_TRUNCATED;
    if (!h7_boot_slot_word(p, h7_image_commit_offset(&info), &commit))
        goto refused;
    if (!h7_image_is_committed(commit)) {
        f.addr = p->slot->origin + h7_image_commit_offset(&info);
        where = &f;
        e = H7_IMAGE_E_UNCOMMITTED;
        goto refused;
    }

    /* The stored SHA-256; it is compared after the copy (h7_boot_image_reverify). */
    if (!h7_boot_slot_read(p, h7_image_hash_offset(&info), expected, sizeof expected))
        goto refused;

    /* What the core will load into SP and PC (image_entry.c), read from the slot before a byte
     * moves. The vector table lies in a COPY or XIP segment, so the one hash after the copy
     * covers the very words the core jumps through: a slot word that differs from the signed
     * image fails that hash. */
    uint32_t vt_off, words[2];
    where = &f;
    if ((e = h7_image_vector_offset(&info, &vt_off, &f)))
        goto refused;
    where = 0;
    e = H7_IMAGE_E_IO;
    if (!h7_boot_slot_word(p, vt_off, &words[0]) || !h7_boot_slot_word(p, vt_off + 4, &words[1]))
        goto refused;
    where = &f;
    if ((e = h7_image_check_vectors(&info, p->board, words, &f)))
        goto refused;

    plan->format = info.format_version;
    plan->vtor = info.vector_table;
    plan->image_size = h7_image_total_size(&info);
    plan->n_segments = info.segment_count;
    for (uint32_t i = 0; i < info.segment_count; i++)
        plan->seg[i] = (struct h7_boot_segment){.dst = info.seg[i].dest,
                                                .size = info.seg[i].size,
                                                .src_off = info.seg[i].offset,
                                                .kind = info.seg[i].kind};
    return H7_BOOT_OK;
refused:
    return refuse(plan, e, where);
}

static const void *map_for_image(void *ctx, uint32_t addr, uint32_t len)
{
    const struct h7_boot_port *p = ctx;
    /* XIP segments are read where they run: in the slot. */
    if (addr >= p->slot->origin && addr - p->slot->origin < p->slot->length && p->slot_map &&
        len <= p->slot->length - (addr - p->slot->origin))
        return p->slot_map + (addr - p->slot->origin);
    return h7_boot_map(p, addr, len);
}

enum h7_boot_reason h7_boot_image_reverify(const struct h7_boot_port *p, struct h7_boot_plan *plan)
{
    /* The port's SHA-256 engine (a hash peripheral) for this one hash, if it has one; the
     * engine itself says at start whether it is there (h7_sha256.h), else software runs. */
    h7_sha256_use_engine(p->sha256);
    int e = h7_image_verify_loaded(&info, meta, meta_size, map_for_image, (void *)(uintptr_t)p,
                                   expected, 0);
    h7_sha256_use_engine(0);
    if (!e)
        return H7_BOOT_OK;
    enum h7_boot_reason r = refuse(plan, e, 0);
    if (e != H7_IMAGE_E_HASH)
        return r;
    /* Which copy is wrong: the slot's own hash (software, a second read — only on this path). */
    int in_flash = p->slot_map
                       ? h7_image_verify_mapped(&info, p->slot_map, p->slot->length, 0)
                       : h7_image_verify_read(&info, read_slot, (void *)(uintptr_t)p, expected, 0);
    /* A slot that no longer reads back counts as a bad slot too. */
    return in_flash ? H7_BOOT_ERR_HASH_FLASH : H7_BOOT_ERR_HASH_RAM;
}
