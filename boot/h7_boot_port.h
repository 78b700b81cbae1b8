/*
 * h7_boot_port.h — what a board provides to the portable bootloader core (boot/h7_boot.h).
 *
 * The core never touches a register. Everything board-specific reaches it through one
 * `struct h7_boot_port`, filled by the port (ports/<board>/) before it calls h7_boot_run():
 *
 *   slot       where the application image is stored: a memory-mapped view (QSPI in
 *              memory-mapped mode, the QEMU board's "QSPI" area) and/or a read function.
 *   button     "stay in the bootloader" input sampled at reset (Daisy: BOOT button on PG3).
 *   boot_info  the retained block the app and the bootloader share (Daisy: libDaisy's
 *              `boot_info` in backup SRAM): request word, boot counter, bootloader version.
 *   ram_init   bring up RAM that is unusable after reset (the FMC and SDRAM device).
 *   event      status output (UART, LED) for every step and every refusal.
 *   jump       the final hand-off, after the port's own clean-up (caches, peripherals).
 *   recovery   what "stay in the bootloader" means on this board (DFU; on QEMU: print the
 *              reason and exit through semihosting).
 *
 * Every function pointer except `slot_read`, `map`, `window` and `mark` is required.
 * Freestanding: no libc beyond <stdint.h>/<stdbool.h>/<stddef.h>.
 */
#ifndef H7_BOOT_PORT_H
#define H7_BOOT_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "h7/board.h"

/*
 * The retained block shared with the application, laid out exactly like libDaisy's
 * `System::BootInfo` (src/sys/system.h: status, data, version — three 32-bit words, status at
 * offset 0) so that libDaisy's `System::ResetToBootloader()` and `GetBootloaderVersion()` work
 * unchanged against h7boot. The board's `word BOOT_REQUEST` is the address of `status`.
 */
struct h7_boot_info {
    uint32_t status;  /* request word: H7_BOOT_REQ_* below; anything else means "boot normally" */
    uint32_t data;    /* h7boot: the boot attempt counter (H7_BOOT_COUNT_TAG | attempts) */
    uint32_t version; /* written by the bootloader: libDaisy's BootInfo::Version */
};

/* Request word values libDaisy writes (BootInfo::Type). */
#define H7_BOOT_REQ_NONE 0x00000000u        /* INVALID: no special behaviour */
#define H7_BOOT_REQ_JUMP 0xDEADBEEFu        /* Daisy bootloader's own two-step jump: boot now */
#define H7_BOOT_REQ_SKIP_WINDOW 0x5AFEB007u /* SKIP_TIMEOUT: boot without the waiting window */
#define H7_BOOT_REQ_STAY 0xB0074EFAu        /* INF_TIMEOUT: stay in the bootloader (DFU) */

/* libDaisy's BootInfo::Version::v6_1: what the Daisy bootloader 6.1 writes; apps that call
 * GetBootloaderVersion() then know a bootloader honouring the request word is present. */
#define H7_BOOT_INFO_VERSION 3u

/*
 * The boot attempt counter lives in `data`. The upper half is a tag, so the random contents of
 * backup SRAM after a cold power-up (no battery) read as "no attempts yet" instead of a count.
 */
#define H7_BOOT_COUNT_TAG 0x48370000u /* "H7" */
#define H7_BOOT_COUNT_TAG_MASK 0xFFFF0000u
#define H7_BOOT_COUNT_MASK 0x0000FFFFu

/* Phases, for status output and for the boot-cost benchmark's marks. */
enum h7_boot_phase {
    H7_PHASE_RESET = 0, /* the core was entered */
    H7_PHASE_DECIDED,   /* decision made: boot */
    H7_PHASE_VERIFIED,  /* image checked in flash: header, table, board rules, commit word (the
                           SHA-256 comes after the copy: one pass, see boot/image.c) */
    H7_PHASE_LOADED,    /* RAM initialised, segments copied and zeroed */
    H7_PHASE_REVERIFIED /* SHA-256 over what landed in RAM (and XIP segments in place) matches */
};

/* What the core reports through port->event. */
enum h7_boot_event_kind {
    H7_EV_PHASE,    /* phase reached: a = enum h7_boot_phase */
    H7_EV_IMAGE,    /* image found: a = format (0 raw, else h7 format version), b = size,
                       c = entry vector table address, name = "raw" / "h7boot" */
    H7_EV_RAM_INIT, /* region `name` initialised */
    H7_EV_SEGMENT,  /* segment placed: a = destination, b = size, c = kind (1 copy, 2 zero, 3 XIP),
                       name = the region it landed in */
    H7_EV_REFUSED,  /* boot refused or skipped: a = enum h7_boot_reason, b/c = detail
                       (address, segment index or 0xFFFFFFFF), name = h7_boot_reason_text() */
    H7_EV_DETAIL,   /* more about the refusal just reported: name = the image library's exact
                       error text (e.g. "HEADER_CRC: ...") */
    H7_EV_HANDOFF,  /* about to jump: a = vector table, b = initial SP, c = reset handler */
};

struct h7_boot_event {
    enum h7_boot_event_kind kind;
    uint32_t a, b, c;
    const char *name;
};

/* Segment kinds, as in the image format (image/h7_image.h enum h7_image_seg_kind, same
 * values): 1 copy (bytes from the image copied to RAM), 2 zero (RAM cleared), 3 XIP (left in
 * the flash slot, executed/read in place). */

enum h7_boot_reason; /* h7_boot.h */
struct h7_sha256_engine; /* image/h7_sha256.h */

struct h7_boot_port {
    void *ctx; /* passed to every function below */

    /* The board this runs on (the generated h7_this_board on firmware). */
    const struct h7_board *board;

    /* The slot the image is stored in (the board's `slot APP`). */
    const struct h7_range *slot;
    /* Memory-mapped view of the slot (slot->length bytes), or NULL when the slot can only be
     * read through slot_read. XIP segments need the view: they run from it. */
    const uint8_t *slot_map;
    /* Read len bytes at byte offset off of the slot; 0 or a negative error. Used when
     * slot_map is NULL. */
    int (*slot_read)(void *ctx, uint32_t off, void *buf, uint32_t len);

    /* Optional: turn a target bus address range into a pointer the core may read and write.
     * NULL = identity (firmware). Host unit tests map board addresses into their buffers. */
    void *(*map)(void *ctx, uint32_t addr, uint32_t len);

    /* True while the "stay in the bootloader" button is held. */
    bool (*button_held)(void *ctx);

    /* The retained block (libDaisy boot_info layout). */
    volatile struct h7_boot_info *info;

    /* Make `r` usable (SDRAM: FMC and device init). Called once per region with
     * init != H7_INIT_NONE, before the first byte is written to it. 0 or negative error. */
    int (*ram_init)(void *ctx, const struct h7_region *r);

    /* Status output. */
    void (*event)(void *ctx, const struct h7_boot_event *ev);

    /* Optional: the waiting window (a build option). Wait up to `ms` milliseconds for a reason
     * to stay (a host talking DFU, the button); true = stay. NULL = no window. */
    bool (*window)(void *ctx, uint32_t ms);

    /* Optional: a SHA-256 engine (the STM32H750's HASH unit) for the image hash; NULL = the
     * software rounds. An engine that finds its unit absent at start (STM32H750 lots with HASH
     * disabled read zero) leaves the hash to software: see image/h7_sha256.h. */
    const struct h7_sha256_engine *sha256;

    /* Optional: called at each phase boundary before the event (benchmark timestamps). */
    void (*mark)(void *ctx, enum h7_boot_phase phase);

    /* Hand off to the app whose vector table is at `vtor`: the port cleans what it must (on a
     * Cortex-M7 with caches: clean the D-cache over the loaded RAM and invalidate the I-cache,
     * since code was written as data; stop the peripherals it started), then calls
     * h7_boot_handoff(). */
    void (*jump)(void *ctx, uint32_t vtor); /* never returns */

    /* Stay in the bootloader for `why` (DFU on hardware). Never returns. */
    void (*recovery)(void *ctx, enum h7_boot_reason why); /* never returns */
};

/*
 * The Cortex-M hand-off (boot/handoff_armv7m.c, firmware builds only): interrupts off and
 * every NVIC interrupt disabled and un-pended, SysTick stopped, VTOR = vtor, MSP = word 0 of
 * the table, then a branch to word 1. Armv7-M ARM §B1.5.3 (vector table), §B3.2.5 (VTOR).
 */
_Noreturn void h7_boot_handoff(uint32_t vtor);

#endif /* H7_BOOT_PORT_H */
