/*
 * h7_boot.h — the portable bootloader core of h7boot (library h7_boot).
 *
 * What a reset goes through (h7_boot_run):
 *
 *   1. decide   stay in the bootloader when the button is held, when the app left a request
 *               word asking for it (libDaisy values, see h7_boot_port.h), or when the app failed
 *               to confirm itself `max_unconfirmed` boots in a row; else boot at once (an
 *               optional short waiting window is a build option: config.window_ms).
 *   2. find     the slot holds an h7boot image (docs/image-format.md), a raw Daisy image (the
 *               app's vector table first, nothing else), or nothing bootable.
 *   3. verify   h7boot image: header, segment table and SHA-256 in flash; every segment checked
 *               against the board description (inside a loadable RAM region or, for XIP, the
 *               slot; outside reserved ranges; no two overlapping); entry inside a segment.
 *               Raw image: the Daisy bootloader's checks (initial SP in RAM, reset vector in the
 *               raw load region or in the slot).
 *   4. load     initialise RAM that needs it (SDRAM) before the first byte lands in it, copy
 *               every copy segment, zero every zero segment, leave XIP segments in place.
 *   5. re-verify  recompute the SHA-256 over what is now in RAM (and in place for XIP), so what
 *               runs is what was verified: no time-of-check/time-of-use gap.
 *   6. hand off  count the boot attempt, then port->jump (interrupts off, VTOR, MSP, reset
 *               handler).
 *
 * Any failure stops the sequence: the core reports H7_EV_REFUSED with the reason (a stable
 * number, enum h7_boot_reason, and a text naming the failed check) and calls port->recovery.
 *
 * Freestanding C; builds for the host (unit tests) and for firmware.
 */
#ifndef H7_BOOT_H
#define H7_BOOT_H

#include <stdbool.h>
#include <stdint.h>

#include "h7_boot_port.h"

/*
 * Why the bootloader did not boot (or H7_BOOT_OK when it did). The numbers are stable: the QEMU
 * port exits with them (docs/bootloader.md), tests assert them.
 */
enum h7_boot_reason {
    H7_BOOT_OK = 0,
    /* Staying on purpose. */
    H7_BOOT_STAY_BUTTON = 1,      /* button held at reset */
    H7_BOOT_STAY_REQUEST = 2,     /* the app asked (request word H7_BOOT_REQ_STAY) */
    H7_BOOT_STAY_UNCONFIRMED = 3, /* the app did not confirm itself max_unconfirmed boots */
    H7_BOOT_STAY_WINDOW = 4,      /* something asked to stay during the waiting window */
    /* Nothing bootable. */
    H7_BOOT_ERR_SLOT_EMPTY = 10, /* the slot starts with erased flash */
    H7_BOOT_ERR_NO_IMAGE = 11,   /* neither an h7boot image nor a raw vector table */
    H7_BOOT_ERR_SLOT_READ = 12,  /* the slot could not be read */
    /* h7boot image refused. */
    H7_BOOT_ERR_HEADER = 20,       /* a header field is invalid (version, sizes, flags, CRC) */
    H7_BOOT_ERR_SEG_TABLE = 21,    /* the segment table is malformed */
    H7_BOOT_ERR_TRUNCATED = 22,    /* the image runs past the slot or ends early */
    H7_BOOT_ERR_COMMIT = 23,       /* the trailer / commit word is missing or wrong */
    H7_BOOT_ERR_HASH_FLASH = 24,   /* SHA-256 over the image in flash does not match */
    H7_BOOT_ERR_SEG_OUTSIDE = 25,  /* a segment lies outside every loadable RAM region / slot */
    H7_BOOT_ERR_SEG_RESERVED = 26, /* a segment touches a reserved range */
    H7_BOOT_ERR_SEG_OVERLAP = 27,  /* two segments overlap */
    H7_BOOT_ERR_ENTRY = 28,        /* the vector table is not inside a loaded segment, or its
                                      SP / reset vector is implausible */
    H7_BOOT_ERR_RAM_INIT = 29,     /* the port could not initialise a RAM region */
    H7_BOOT_ERR_HASH_RAM = 30,     /* SHA-256 over what landed in RAM does not match */
    H7_BOOT_ERR_STACK = 31,        /* vector word 0 (initial SP) not 8-byte aligned in RAM that
                                      the image does not load code into (image_entry.c) */
    H7_BOOT_ERR_RESET_VECTOR = 32, /* vector word 1 not a Thumb address in the image's code */
    H7_BOOT_ERR_ENTRY_VECTOR = 33, /* the header's entry differs from vector word 1 */
    /* Raw Daisy image refused. */
    H7_BOOT_ERR_RAW_SP = 40,    /* initial SP not in RAM */
    H7_BOOT_ERR_RAW_ENTRY = 41, /* reset vector neither in the raw load region nor the slot */
};

/* A short text naming the check behind `r` ("segment overlaps a reserved range", ...). */
const char *h7_boot_reason_text(enum h7_boot_reason r);

struct h7_boot_config {
    /* Stay in recovery when the app failed to confirm itself this many boots in a row;
     * 0 disables the boot counter. */
    uint32_t max_unconfirmed;
    /* Optional waiting window before every boot, in ms (0: boot at once). Skipped when the app
     * asked for it (H7_BOOT_REQ_SKIP_WINDOW / H7_BOOT_REQ_JUMP). Needs port->window. */
    uint32_t window_ms;
    /* Raw Daisy images: a reset vector inside the region named `raw_region` means "copy
     * raw_copy_size bytes from the slot to the start of that region and run there" (Daisy:
     * AXI_SRAM, 480 KB); a reset vector inside the slot means "run in place". NULL disables
     * raw images. */
    const char *raw_region;
    uint32_t raw_copy_size;
};

/* ---------------------------------------------------------------------------------------------
 * Decide (decide.c)
 */

/*
 * Sample the button, read and clear the request word, check the boot counter, run the optional
 * window. Writes H7_BOOT_INFO_VERSION into info->version. Returns H7_BOOT_OK to go on booting,
 * else one of the H7_BOOT_STAY_* reasons.
 */
enum h7_boot_reason h7_boot_decide(const struct h7_boot_port *p, const struct h7_boot_config *c);

/* Attempts counted since the app last confirmed itself (0 after a cold start). */
uint32_t h7_boot_attempts(const volatile struct h7_boot_info *info);

/* Count one more boot attempt (called right before the hand-off). */
void h7_boot_count_attempt(volatile struct h7_boot_info *info);

/* ---------------------------------------------------------------------------------------------
 * Plan: what the slot holds and where each segment goes (find.c, image.c, raw.c)
 */

#define H7_BOOT_MAX_SEGMENTS 32 /* the image format's limit (H7_IMAGE_MAX_SEGMENTS) */

struct h7_boot_segment {
    uint32_t dst;     /* run-time address (for XIP: the address inside the slot) */
    uint32_t size;    /* bytes */
    uint32_t src_off; /* copy / XIP: byte offset of its bytes in the slot */
    uint8_t kind;     /* enum h7_image_seg_kind: H7_SEG_COPY, H7_SEG_ZERO, H7_SEG_XIP */
};

struct h7_boot_plan {
    uint32_t format;     /* 0 = raw Daisy image, else the h7boot image format version */
    uint32_t vtor;       /* the app's vector table at run time */
    uint32_t image_size; /* bytes of the slot the image occupies (incl. trailer) */
    uint32_t n_segments;
    struct h7_boot_segment seg[H7_BOOT_MAX_SEGMENTS];
    /* On refusal: the address and segment index (or -1) that failed, and the image library's
     * exact error text (h7_image_strerror) when the check was one of its own, else NULL. */
    uint32_t bad_addr;
    int32_t bad_index;
    uint32_t bad_field; /* byte offset in the image of the offending field (image checks) */
    const char *detail;
};

/* Find and check whatever the slot holds (find.c): an h7boot image is parsed, checked against
 * the board and hashed in flash (image.c); a raw Daisy image gets the Daisy bootloader's checks
 * (raw.c). H7_BOOT_OK and a plan, or the reason nothing can boot. */
enum h7_boot_reason h7_boot_find(const struct h7_boot_port *p, const struct h7_boot_config *c,
                                 struct h7_boot_plan *plan);

/* Raw Daisy image (raw.c): the plan from the first two words of the slot. */
enum h7_boot_reason h7_boot_raw_plan(const struct h7_boot_port *p, const struct h7_boot_config *c,
                                     uint32_t sp, uint32_t reset, struct h7_boot_plan *plan);

/* ---------------------------------------------------------------------------------------------
 * Load and hand off (load.c, run.c)
 */

/* Initialise RAM that needs it, copy and zero every segment (reports H7_EV_RAM_INIT and
 * H7_EV_SEGMENT). */
enum h7_boot_reason h7_boot_load(const struct h7_boot_port *p, struct h7_boot_plan *plan);

/* Recompute the hash over what landed in RAM (h7boot images; raw images have no hash). */
enum h7_boot_reason h7_boot_reverify(const struct h7_boot_port *p, struct h7_boot_plan *plan);

/* The whole sequence. Never returns: port->jump or port->recovery. */
_Noreturn void h7_boot_run(const struct h7_boot_port *p, const struct h7_boot_config *c);

#endif /* H7_BOOT_H */
