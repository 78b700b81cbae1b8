/*
 * A host port for the bootloader core's unit tests: the QEMU board description, its RAM
 * regions and the slot as host buffers (reached through port.map), a scripted button and
 * window, events recorded, and jump/recovery that return to the test through longjmp.
 */
#ifndef FAKE_PORT_H
#define FAKE_PORT_H

#include <setjmp.h>
#include <stdint.h>

#include "h7_boot.h"

#define FAKE_MAX_EVENTS 128
#define FAKE_GARBAGE 0xA5 /* what RAM holds before the bootloader writes it */

struct fake {
    struct h7_board board;
    struct h7_boot_port port;
    struct h7_boot_info info;
    uint8_t *slot;                      /* slot->length bytes, 0xFF = erased */
    uint8_t *ram[H7_BOARD_MAX_REGIONS]; /* per region, allocated on first map */
    bool button;
    bool window_says_stay;
    int window_calls;
    int ram_init_calls;
    int ram_init_result;
    uint32_t ram_init_region_origin;
    uint32_t slot_bytes_read; /* through slot_read (use_map=false) */
    struct h7_boot_event events[FAKE_MAX_EVENTS];
    int n_events;
    /* jump / recovery */
    jmp_buf done;
    uint32_t jumped_to;
    int recovery_reason; /* -1: none */
};

/* Set up (board qemu-mps2-an500, slot erased, RAM garbage); use_map=false reads the slot
 * through slot_read instead of a mapped view. */
void fake_init(struct fake *f, bool use_map);
void fake_free(struct fake *f);

/* Host pointer for a target address (NULL when outside every region). */
void *fake_ptr(struct fake *f, uint32_t addr, uint32_t len);

/* The last event of a kind, or NULL. */
const struct h7_boot_event *fake_last(const struct fake *f, enum h7_boot_event_kind kind);

/*
 * A small h7boot image builder for the tests (the real packer is `h7boot pack`): segments are
 * given as (kind, dest, size, fill byte); copy payloads follow the metadata in table order, XIP
 * payloads at dest - slot. Writes header CRC, SHA-256 and commit word. Returns the total size.
 */
struct fake_seg {
    uint8_t kind;
    uint32_t dest, size;
    uint8_t fill;
};
uint32_t fake_build(struct fake *f, const struct fake_seg *segs, int n, uint32_t vector_table,
                    uint32_t entry);

/* After changing bytes of the metadata: recompute the header CRC (and with rehash the SHA-256),
 * so that only the check a test aims at can catch the change. */
void fake_reseal(struct fake *f, bool rehash);

/* The standard test image: vector table + code in SSRAM1, .data in SSRAM23, .bss in SSRAM23,
 * a big buffer in SDRAM, a table XIP in the slot. Returns total size. */
uint32_t fake_build_standard(struct fake *f);

#endif
