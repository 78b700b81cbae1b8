/*
 * libFuzzer target: the DFU class (dfu/: h7_dfu_control and its state machine, the DfuSe
 * commands, the flash and RAM writers, the commit) driven by arbitrary sequences of control
 * requests, with the device's main loop (h7_dfu_poll), bus resets and time passing in between,
 * on the Daisy Seed's layout.
 *
 * Input: a sequence of records
 *   op (1 byte)  bits 0-2: 0-4 a class request (bRequest = op & 7, OUT or IN by its number;
 *                5 a DfuSe command (DNLOAD block 0), 6 a bus reset, 7 a poll after a long
 *                pause (idle timeout); bit 3: SET_INTERFACE to alt (op >> 4) first
 *   wValue (2), wLength (2), then for OUT requests wLength data bytes (fewer at the input's end)
 *
 * Invariants checked after every step (abort() otherwise):
 *  - the bootloader's flash (reserve BOOTLOADER) and its RAM (reserve BOOT_RAM), and every other
 *    reserved range, are never written: not through the RAM writer, not through the flash;
 *  - flash is only erased or programmed inside the slot;
 *  - the class is always in a DFU-mode state (dfuIDLE .. dfuERROR), an IN reply is never longer
 *    than wLength, and a RUN_RAM leave names writable, loadable RAM.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "board_parse.h"
#include "h7_dfu.h"

static struct h7_board board;
static const struct h7_range *slot;
static uint32_t flash_base;

/* ---- the QSPI stand-in: an erased 8 MB buffer; touched units are re-erased per input ---- */
#define FLASH_UNIT 4096u
static uint8_t *flash_mem;
static uint32_t flash_size;
static uint8_t *touched; /* one byte per FLASH_UNIT */

static void in_slot_or_die(uint32_t off, uint32_t len)
{
    uint32_t a = flash_base + off;
    if (a < slot->origin || len > slot->length || a - slot->origin > slot->length - len)
        abort();
    for (uint32_t i = 0; i < board.n_ranges; i++)
        if (board.ranges[i].kind == H7_RANGE_RESERVED &&
            h7_ranges_overlap(board.ranges[i].origin, board.ranges[i].length, a, len))
            abort();
    for (uint32_t u = off / FLASH_UNIT; u <= (off + len - 1) / FLASH_UNIT; u++)
        touched[u] = 1;
}

static int f_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
    (void)ctx;
    memcpy(buf, flash_mem + off, len);
    return 0;
}

static int f_program(void *ctx, uint32_t off, const void *buf, uint32_t len)
{
    (void)ctx;
    if (!len)
        return 0;
    in_slot_or_die(off, len);
    const uint8_t *b = buf;
    for (uint32_t i = 0; i < len; i++)
        flash_mem[off + i] &= b[i]; /* NOR: programming only clears bits */
    return 0;
}

static int f_erase(void *ctx, uint32_t off, uint32_t size)
{
    (void)ctx;
    in_slot_or_die(off, size);
    memset(flash_mem + off, 0xFF, size);
    return 0;
}

static const struct h7_flash_ops flash_ops = {f_read, f_program, f_erase};
static struct h7_flash flash;

/* ---- RAM and the read-only views: writes checked, contents not kept (reads see a pattern) ---- */
static int m_read(void *ctx, uint32_t addr, void *buf, uint32_t len)
{
    (void)ctx;
    memset(buf, (int)(addr & 0xFF), len);
    return 0;
}

static int m_write(void *ctx, uint32_t addr, const void *buf, uint32_t len)
{
    (void)ctx, (void)buf;
    if (!len)
        return 0;
    const struct h7_region *r = h7_board_region_at(&board, addr, len);
    if (!r || (r->flags & (H7_REGION_RAM | H7_REGION_LOAD)) != (H7_REGION_RAM | H7_REGION_LOAD))
        abort(); /* only loadable RAM is written through memory */
    if (h7_board_reserved_overlap(&board, addr, len))
        abort(); /* BOOT_RAM, BOOTLOADER, ... */
    return 0;
}

static const struct h7_dfu_mem_ops mem_ops = {m_read, m_write};

static struct h7_dfu_layout_store layout;
static uint8_t job_buf[H7_DFU_XFER_MAX];
static uint8_t ep0[H7_DFU_XFER_MAX];
static struct h7_dfu dfu;
static uint32_t now_ms;

static void setup_once(void)
{
    const char *why = NULL;
    if (h7_board_load("daisy-seed", &board, NULL, 0))
        abort();
    slot = h7_board_range(&board, H7_RANGE_SLOT, "APP");
    const struct h7_region *q = h7_board_region_at(&board, slot->origin, 1);
    flash_base = q->origin;
    flash_size = q->length;
    flash_mem = malloc(flash_size);
    touched = calloc(flash_size / FLASH_UNIT, 1);
    if (!flash_mem || !touched)
        abort();
    memset(flash_mem, 0xFF, flash_size);
    flash = (struct h7_flash){.ops = &flash_ops, .base = q->origin, .size = q->length,
                              .erase_size = q->erase_size, .erase_size_large = 65536,
                              .program_size = q->program_size};
    if (h7_dfu_layout_build(&layout, &board, &(struct h7_dfu_layout_params){0}, &why))
        abort();
}

static void check_state(void)
{
    enum h7_dfu_state s = h7_dfu_state(&dfu);
    if (s < H7_DFU_IDLE || s > H7_DFU_ERROR)
        abort();
}

static void poll_until_idle(void)
{
    for (int i = 0; i < 64; i++) {
        enum h7_dfu_poll_result r = h7_dfu_poll(&dfu, now_ms++);
        check_state();
        if (r != H7_DFU_POLL_BUSY)
            break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!flash_mem)
        setup_once();
    for (uint32_t u = 0; u < flash_size / FLASH_UNIT; u++)
        if (touched[u]) {
            memset(flash_mem + u * FLASH_UNIT, 0xFF, FLASH_UNIT);
            touched[u] = 0;
        }
    const struct h7_dfu_config cfg = {.layout = &layout.layout, .board = &board, .flash = &flash,
                                      .mem = &mem_ops, .buf = job_buf, .serial = "FUZZ"};
    if (h7_dfu_init(&dfu, &cfg))
        abort();
    size_t pos = 0;
    while (pos + 5 <= size) {
        uint8_t op = data[pos];
        uint16_t value = (uint16_t)(data[pos + 1] | data[pos + 2] << 8);
        uint16_t length = (uint16_t)(data[pos + 3] | data[pos + 4] << 8);
        pos += 5;
        if (op & 8) {
            struct h7_usb_setup alt = {0x01, 11, (uint16_t)(op >> 4), 0, 0};
            h7_dfu_control(&dfu, &alt, ep0);
            check_state();
        }
        unsigned kind = op & 7;
        if (kind == 6) {
            h7_dfu_bus_reset(&dfu);
            check_state();
            continue;
        }
        if (kind == 7) {
            now_ms += 2000; /* longer than the class's idle timeout */
            poll_until_idle();
            continue;
        }
        /* 0 DETACH, 1 DNLOAD, 2 GETSTATUS, 3 CLRSTATUS, 4 GETSTATE, 5 DNLOAD (DfuSe command),
         * and UPLOAD (2) / ABORT (6) through wValue's top bit */
        static const uint8_t requests[6] = {0, 1, 3, 4, 5, 1};
        uint8_t rq = requests[kind];
        if (kind == 2 && (value & 0x8000))
            rq = 2; /* UPLOAD */
        if (kind == 3 && (value & 0x8000))
            rq = 6; /* ABORT */
        if (kind == 5)
            value = 0;
        bool in = rq == 2 || rq == 3 || rq == 5;
        if (length > sizeof ep0)
            length = (uint16_t)(length % (sizeof ep0 + 1));
        if (!in) {
            size_t n = size - pos < length ? size - pos : length;
            memcpy(ep0, data + pos, n);
            memset(ep0 + n, 0, length - n);
            pos += n;
        }
        struct h7_usb_setup s = {in ? 0xA1 : 0x21, rq, value, 0, length};
        int r = h7_dfu_control(&dfu, &s, ep0);
        if (r == H7_DFU_NAK) {
            poll_until_idle();
            r = h7_dfu_control(&dfu, &s, ep0);
        }
        if (r != H7_DFU_STALL && r != H7_DFU_NAK && (r < 0 || (in ? r > length : r != 0)))
            abort();
        check_state();
        poll_until_idle();
        struct h7_dfu_leave lv = h7_dfu_leave_request(&dfu);
        if (lv.kind == H7_DFU_LEAVE_RUN_RAM) {
            const struct h7_region *g = h7_board_region_at(&board, lv.addr, 8);
            if (!g || !(g->flags & H7_REGION_RAM) || h7_board_reserved_overlap(&board, lv.addr, 8))
                abort();
        }
        if (lv.kind != H7_DFU_LEAVE_NONE)
            break; /* the device left DFU mode */
    }
    return 0;
}
