#include "fake_port.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board_parse.h"
#include "h7_image.h"

static struct fake *of(void *ctx)
{
    return ctx;
}

void *fake_ptr(struct fake *f, uint32_t addr, uint32_t len)
{
    const struct h7_range *slot = f->port.slot;
    if (addr >= slot->origin && (uint64_t)addr + len <= (uint64_t)slot->origin + slot->length)
        return f->slot + (addr - slot->origin);
    const struct h7_region *r = h7_board_region_at(&f->board, addr, len);
    if (!r || !(r->flags & H7_REGION_RAM))
        return NULL;
    size_t i = (size_t)(r - f->board.regions);
    if (!f->ram[i]) {
        f->ram[i] = malloc(r->length);
        memset(f->ram[i], FAKE_GARBAGE, r->length);
    }
    return f->ram[i] + (addr - r->origin);
}

static void *port_map(void *ctx, uint32_t addr, uint32_t len)
{
    return fake_ptr(of(ctx), addr, len);
}

static int port_slot_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
    memcpy(buf, of(ctx)->slot + off, len);
    of(ctx)->slot_bytes_read += len;
    return 0;
}

static bool port_button(void *ctx)
{
    return of(ctx)->button;
}

static int port_ram_init(void *ctx, const struct h7_region *r)
{
    struct fake *f = of(ctx);
    f->ram_init_calls++;
    f->ram_init_region_origin = r->origin;
    if (f->ram_init_result)
        return f->ram_init_result;
    /* SDRAM holds anything after its init: whatever was written before is gone. */
    memset(fake_ptr(f, r->origin, r->length), FAKE_GARBAGE, r->length);
    return 0;
}

static void port_event(void *ctx, const struct h7_boot_event *ev)
{
    struct fake *f = of(ctx);
    if (f->n_events < FAKE_MAX_EVENTS)
        f->events[f->n_events++] = *ev;
}

static bool port_window(void *ctx, uint32_t ms)
{
    (void)ms;
    of(ctx)->window_calls++;
    return of(ctx)->window_says_stay;
}

static _Noreturn void port_jump(void *ctx, uint32_t vtor)
{
    of(ctx)->jumped_to = vtor;
    longjmp(of(ctx)->done, 1);
}

static _Noreturn void port_recovery(void *ctx, enum h7_boot_reason why)
{
    of(ctx)->recovery_reason = (int)why;
    longjmp(of(ctx)->done, 2);
}

void fake_init(struct fake *f, bool use_map)
{
    memset(f, 0, sizeof *f);
    char err[200];
    if (h7_board_load("qemu-mps2-an500", &f->board, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        abort();
    }
    const struct h7_range *slot = h7_board_range(&f->board, H7_RANGE_SLOT, "APP");
    f->slot = malloc(slot->length);
    memset(f->slot, 0xFF, slot->length);
    f->recovery_reason = -1;
    f->port = (struct h7_boot_port){
        .ctx = f,
        .board = &f->board,
        .slot = slot,
        .slot_map = use_map ? f->slot : NULL,
        .slot_read = port_slot_read,
        .map = port_map,
        .button_held = port_button,
        .info = &f->info,
        .ram_init = port_ram_init,
        .event = port_event,
        .window = port_window,
        .jump = port_jump,
        .recovery = port_recovery,
    };
}

void fake_free(struct fake *f)
{
    free(f->slot);
    for (int i = 0; i < H7_BOARD_MAX_REGIONS; i++)
        free(f->ram[i]);
}

const struct h7_boot_event *fake_last(const struct fake *f, enum h7_boot_event_kind kind)
{
    for (int i = f->n_events - 1; i >= 0; i--)
        if (f->events[i].kind == kind)
            return &f->events[i];
    return NULL;
}

void fake_reseal(struct fake *f, bool rehash)
{
    uint8_t *img = f->slot;
    h7_put_le32(img + H7_IMAGE_OFF_HEADER_CRC, h7_crc32(0, img, H7_IMAGE_OFF_HEADER_CRC));
    if (rehash) {
        uint32_t size = h7_le32(img + H7_IMAGE_OFF_IMAGE_SIZE);
        h7_sha256(img, size, img + size);
    }
}

uint32_t fake_build(struct fake *f, const struct fake_seg *segs, int n, uint32_t vector_table,
                    uint32_t entry)
{
    uint8_t *img = f->slot;
    uint32_t slot = f->port.slot->origin;
    uint32_t meta = H7_IMAGE_HEADER_SIZE + (uint32_t)n * H7_IMAGE_SEGMENT_SIZE;
    uint32_t next = meta, end = meta;
    memset(img, 0xFF, f->port.slot->length);
    memset(img, 0, meta);
    for (int i = 0; i < n; i++) {
        uint8_t *e = img + H7_IMAGE_HEADER_SIZE + i * H7_IMAGE_SEGMENT_SIZE;
        uint32_t off = 0;
        if (segs[i].kind == H7_SEG_COPY) {
            off = next;
            next = (next + segs[i].size + 3u) & ~3u;
        } else if (segs[i].kind == H7_SEG_XIP) {
            off = segs[i].dest - slot;
        }
        if (segs[i].kind != H7_SEG_ZERO) {
            memset(img + off, segs[i].fill, segs[i].size);
            if (vector_table >= segs[i].dest && vector_table - segs[i].dest < segs[i].size) {
                /* SP at the top of the first 1 MB of SSRAM23, then the reset vector. */
                uint32_t sp = h7_board_region(&f->board, "SSRAM23")->origin + 0x100000u;
                h7_put_le32(img + off + (vector_table - segs[i].dest), sp);
                h7_put_le32(img + off + (vector_table - segs[i].dest) + 4, entry);
            }
            if (off + segs[i].size > end)
                end = off + segs[i].size;
        }
        h7_put_le32(e + H7_IMAGE_SEG_OFF_DEST, segs[i].dest);
        h7_put_le32(e + H7_IMAGE_SEG_OFF_SIZE, segs[i].size);
        h7_put_le32(e + H7_IMAGE_SEG_OFF_OFFSET, off);
        e[H7_IMAGE_SEG_OFF_KIND] = segs[i].kind;
    }
    uint32_t image_size = (end + 3u) & ~3u;
    h7_put_le32(img + H7_IMAGE_OFF_MAGIC, H7_IMAGE_MAGIC);
    h7_put_le16(img + H7_IMAGE_OFF_FORMAT_VERSION, H7_IMAGE_FORMAT_VERSION);
    h7_put_le16(img + H7_IMAGE_OFF_HEADER_SIZE, H7_IMAGE_HEADER_SIZE);
    h7_put_le32(img + H7_IMAGE_OFF_ENTRY, entry);
    h7_put_le32(img + H7_IMAGE_OFF_VECTOR_TABLE, vector_table);
    h7_put_le16(img + H7_IMAGE_OFF_SEGMENT_COUNT, (uint16_t)n);
    h7_put_le16(img + H7_IMAGE_OFF_SEGMENT_SIZE, H7_IMAGE_SEGMENT_SIZE);
    h7_put_le32(img + H7_IMAGE_OFF_IMAGE_SIZE, image_size);
    h7_put_le32(img + H7_IMAGE_OFF_LOAD_ADDRESS, slot);
    fake_reseal(f, true);
    h7_put_le32(img + image_size + H7_IMAGE_HASH_SIZE, H7_IMAGE_COMMITTED);
    return image_size + H7_IMAGE_TRAILER_SIZE;
}

uint32_t fake_build_standard(struct fake *f)
{
    uint32_t s1 = h7_board_region(&f->board, "SSRAM1")->origin;
    uint32_t s23 = h7_board_region(&f->board, "SSRAM23")->origin;
    uint32_t sdram = h7_board_region(&f->board, "SDRAM")->origin;
    uint32_t slot = f->port.slot->origin;
    const struct fake_seg segs[] = {
        {H7_SEG_COPY, s1, 0x400, 0x11},           /* vector table + code */
        {H7_SEG_COPY, s23, 0x100, 0x22},          /* .data */
        {H7_SEG_ZERO, s23 + 0x100, 0x200, 0},     /* .bss */
        {H7_SEG_XIP, slot + 0x1000, 0x100, 0x33}, /* const table in place */
        {H7_SEG_ZERO, sdram, 0x1000, 0},          /* big buffer */
    };
    return fake_build(f, segs, 5, s1, s1 + 0x101);
}
