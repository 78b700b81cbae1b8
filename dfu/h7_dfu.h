/*
 * h7_dfu.h — USB DFU 1.1 + DfuSe (ST's 1.1a extension) device class of h7boot.
 *
 * Transport independent: the port's USB device controller driver hands every control request
 * of endpoint 0 (setup packet + the data stage it received) to h7_dfu_control() and sends back
 * the reply data, a zero-length status stage or a STALL. The class never touches a register;
 * it writes flash only through `struct h7_flash` (include/h7/flash.h) and plain memory (the RAM
 * target, the read-only views) through `struct h7_dfu_mem_ops`. The same code runs in the
 * STM32H750 bootloader and in a Linux process behind umockdev, driven by the real dfu-util
 * (ports/host/usb_umockdev/).
 *
 * ---------------------------------------------------------------------------------------------
 * What the host sees (everything generated from the board description by
 * h7_dfu_layout_build(): at run time on the host, at build time for firmware)
 * ---------------------------------------------------------------------------------------------
 * Device 0483:df11 (a layout parameter), one configuration, one interface (0) in DFU mode (class
 * FE, subclass 01, protocol 02, bcdDFUVersion 0x011a = DfuSe), wTransferSize 4096 (a layout
 * parameter; the Daisy bootloader uses 2048),
 * bmAttributes 0x0B (will-detach, can-upload, can-download). Alternate settings, each with a
 * DfuSe memory layout as its iInterface string:
 *
 *   alt 0  "@Flash /0x90000000/4*64Kg,124*64Kg"  the flash region holding the app slot (QSPI on
 *          the Daisy), in 64 KB DfuSe pages (a parameter), readable, erasable and writable:
 *          the user area in front of the slot (reserved range "USER_AREA", written only on the
 *          host's request) and the slot itself. Any other part of that flash is listed
 *          read-only (type `a`). This is what libDaisy's `make program-dfu` and the Daisy web
 *          programmer write to.
 *   alt 1.. "@RAM /0x24000000/512*1Ke/..."  every loadable RAM region (attribute `load`) minus
 *          the reserved ranges (the bootloader's own RAM): readable and writable, not
 *          erasable. Load-and-run: write an image, then leave with the address pointer on its
 *          vector table. A layout longer than a USB string allows continues in the next alt.
 *   alt n.. "@BOOTLOADER /0x08000000/1*128Ka"  one read-only view per reserved flash range
 *          other than the user area (the bootloader's own internal flash).
 *
 * ---------------------------------------------------------------------------------------------
 * Requests
 * ---------------------------------------------------------------------------------------------
 * Class requests to interface 0: DETACH (accepted, no effect: already in DFU mode), DNLOAD,
 * UPLOAD, GETSTATUS, CLRSTATUS, GETSTATE, ABORT. DNLOAD block 0 carries DfuSe commands:
 * 0x21 SET_ADDRESS, 0x41 ERASE page, 0x41 alone MASS ERASE (only the writable segments of the
 * current alt), 0x92 READ UNPROTECT (refused: errVENDOR, nothing erased). DNLOAD block >= 2
 * writes data at  address pointer + (block - 2) * wTransferSize ; a zero-length DNLOAD leaves
 * (manifest). UPLOAD block 0 returns the command list {00 21 41 92}; block >= 2 reads.
 * Standard requests handled here: GET_DESCRIPTOR (device, configuration, string, DFU
 * functional), GET/SET_CONFIGURATION, GET/SET_INTERFACE, GET_STATUS, CLEAR/SET_FEATURE.
 * SET_ADDRESS (the USB bus address) is the controller driver's own business: do not pass it.
 *
 * Timing contract (what dfu-util 0.11 relies on, ../shared/facts/dfuse.md): after any DNLOAD
 * the first GETSTATUS answers dfuDNBUSY with a non-zero bwPollTimeout (never exactly 100 ms);
 * the work (erase, program, verify, commit) is done by h7_dfu_poll(), outside the USB
 * interrupt; GETSTATUS keeps answering dfuDNBUSY until that work is finished, then
 * dfuDNLOAD-IDLE (or dfuERROR with the status below). A leave answers dfuDNBUSY while the new
 * image is verified and committed, then dfuMANIFEST.
 *
 * Errors (bStatus, state dfuERROR until CLRSTATUS; a failed request changes nothing):
 *   errTARGET       address outside every segment of the alt, erase or write of a read-only
 *                   segment, mass erase of a non-erasable alt
 *   errADDRESS      a data block or upload that runs past the end of its segment
 *   errWRITE        the flash or memory driver reported an error while programming
 *   errERASE        the flash driver reported an error while erasing
 *   errCHECK_ERASED data written into a flash range that is neither erased nor was erased by
 *                   an ERASE command in this download (NOR needs an erase first)
 *   errVERIFY       read-back differs from what was written, or at leave the image in the slot
 *                   does not verify (its hash), so it is NOT committed
 *   errVENDOR       READ UNPROTECT (h7boot never erases its own flash on request)
 *   errSTALLEDPKT   a request that is not valid in the current state (also STALLed)
 *   errUNKNOWN      a malformed DfuSe command
 *
 * ---------------------------------------------------------------------------------------------
 * Flash writes: skip unchanged, commit last
 * ---------------------------------------------------------------------------------------------
 * dfu-util erases every 64 KB page an element touches before writing it. The class does not
 * erase at that moment: it marks the page "erase requested" and works sector by sector (the
 * flash's erase unit, 4 KB) once a sector's new content is known: a sector whose new content
 * equals the flash is neither erased nor programmed; one that only needs bits cleared is
 * programmed (only the 256-byte program pages that differ); otherwise it is erased and its
 * non-blank program pages programmed; every write is read back. Parts of an erase-requested
 * page that receive no data are erased (unless already blank) when the download ends. In a new
 * image (the whole block before needed erasing) a sector that starts a block of the flash's
 * large erase unit (erase_size_large, 64 KB) takes the whole block in one erase, but only when
 * the host asked for every sector of that block to be erased and none was written since.
 *
 * Safe commit (one slot; see docs/dfu.md for why not two): before the first change to the
 * app slot in a download, the old image's commit word is cleared (programmed to zero, which
 * NOR allows without an erase), so from then on no old-or-half image is bootable. The new
 * image's commit word is withheld (left erased) while the data goes in; at leave — or at the
 * end of a download without leave — the whole image is verified (image/h7_image.h: header,
 * segments, SHA-256) and only then is the commit word programmed. A power cut at any moment
 * therefore leaves either the committed new image or no bootable image; the bootloader then
 * stays in DFU and the board stays recoverable.
 *
 * ---------------------------------------------------------------------------------------------
 * Concurrency
 * ---------------------------------------------------------------------------------------------
 * h7_dfu_control() and h7_dfu_bus_reset() may run in the USB interrupt; h7_dfu_poll() runs in
 * thread mode (the main loop) and may be interrupted by them. They share only the job slot,
 * handed over through a volatile flag: control queues at most one job and, while it runs,
 * answers GETSTATUS/GETSTATE from the state alone and refuses every request that would touch
 * flash, memory or the job's buffer. Nothing else in this API is reentrant.
 *
 * Freestanding: <stdint.h>, <stddef.h>, <stdbool.h> and the h7 headers only.
 */
#ifndef H7_DFU_H
#define H7_DFU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "h7/board.h"
#include "h7/flash.h"

/* Limits of the static state (struct h7_dfu below). */
#define H7_DFU_XFER_MAX 4096     /* largest wTransferSize (Linux' usbfs caps control at 4096) */
#define H7_DFU_SECTOR_MAX 4096   /* largest flash erase unit the class can stage in RAM */
#ifndef H7_DFU_MAX_SECTORS       /* flash size / erase unit: 16 MB of 4 KB sectors; a firmware */
#define H7_DFU_MAX_SECTORS 4096  /* tree sets what its board needs (dfu/CMakeLists.txt) */
#endif
#define H7_DFU_MAX_ALTS 8        /* alternate settings */
#define H7_DFU_MAX_SEGMENTS 24   /* segments over all alts */
#define H7_DFU_STRING_MAX 126    /* characters in one USB string descriptor */

/* Defaults used when the config leaves a field 0 / NULL. */
#define H7_DFU_DEFAULT_VID 0x0483
#define H7_DFU_DEFAULT_PID 0xdf11
#define H7_DFU_DEFAULT_BCD_DEVICE 0x0200
#define H7_DFU_DEFAULT_XFER 4096
#define H7_DFU_DEFAULT_PAGE 65536
#define H7_DFU_DEFAULT_USER_AREA "USER_AREA"

/* h7_dfu_control() return values besides a reply length. */
#define H7_DFU_STALL (-1) /* answer the request with a STALL */
#define H7_DFU_NAK (-2)   /* not now: the end of a download is still being written to flash;
                           * NAK the request, run h7_dfu_poll(), then present the same request
                           * again (only UPLOAD, DNLOAD and SET_INTERFACE can get this) */

/* DFU 1.1 device states (bState), spec table 6.2. */
enum h7_dfu_state {
    H7_DFU_APP_IDLE = 0,
    H7_DFU_APP_DETACH = 1,
    H7_DFU_IDLE = 2,
    H7_DFU_DNLOAD_SYNC = 3,
    H7_DFU_DNBUSY = 4,
    H7_DFU_DNLOAD_IDLE = 5,
    H7_DFU_MANIFEST_SYNC = 6,
    H7_DFU_MANIFEST = 7,
    H7_DFU_MANIFEST_WAIT_RESET = 8,
    H7_DFU_UPLOAD_IDLE = 9,
    H7_DFU_ERROR = 10,
};

/* DFU 1.1 status codes (bStatus), spec table 6.1. */
enum h7_dfu_status {
    H7_DFU_OK = 0x00,
    H7_DFU_ERR_TARGET = 0x01,
    H7_DFU_ERR_FILE = 0x02,
    H7_DFU_ERR_WRITE = 0x03,
    H7_DFU_ERR_ERASE = 0x04,
    H7_DFU_ERR_CHECK_ERASED = 0x05,
    H7_DFU_ERR_PROG = 0x06,
    H7_DFU_ERR_VERIFY = 0x07,
    H7_DFU_ERR_ADDRESS = 0x08,
    H7_DFU_ERR_NOTDONE = 0x09,
    H7_DFU_ERR_FIRMWARE = 0x0a,
    H7_DFU_ERR_VENDOR = 0x0b,
    H7_DFU_ERR_USBR = 0x0c,
    H7_DFU_ERR_POR = 0x0d,
    H7_DFU_ERR_UNKNOWN = 0x0e,
    H7_DFU_ERR_STALLEDPKT = 0x0f,
};

/* A USB setup packet, fields in host byte order. */
struct h7_usb_setup {
    uint8_t bmRequestType;
    uint8_t bRequest;
    uint16_t wValue;
    uint16_t wIndex;
    uint16_t wLength;
};

/* Plain memory access for the RAM target and the read-only views. Firmware: memcpy on the
 * bus addresses. Host: simulated memories. Return 0, or non-zero on a fault. */
struct h7_dfu_mem_ops {
    int (*read)(void *ctx, uint32_t addr, void *buf, uint32_t len);
    int (*write)(void *ctx, uint32_t addr, const void *buf, uint32_t len);
};

/* One segment of an alt's memory layout. */
struct h7_dfu_segment {
    uint32_t addr, size;
    uint8_t alt;
    uint8_t kind;       /* through the flash (1) or plain memory (2) */
    uint8_t perms;      /* DfuSe type bits: 1 read, 2 erase, 4 write */
    uint8_t page_shift; /* the DfuSe page is 1 << page_shift bytes */
};

/*
 * Everything the host sees that does not change at run time: the alternate settings, their
 * segments and layout strings, the descriptors. Built from the board description by
 * h7_dfu_layout_build() — at run time on the host, at BUILD time for firmware: a firmware tree
 * runs that same function on the build machine (dfu/dfu_layout_gen.c) and compiles its result
 * into the constant `h7_dfu_board_layout` below, so the bootloader carries no layout code.
 */
struct h7_dfu_layout {
    uint32_t slot_addr, slot_size;   /* bus addresses of the app slot */
    uint32_t flash_base, erase_size; /* the flash the segments of kind flash are in */
    uint32_t flash_size;
    uint16_t transfer_size;          /* wTransferSize */
    uint8_t n_alts, n_segments, n_strings;
    const struct h7_dfu_segment *segments;
    const uint8_t *descriptors;      /* device descriptor (18 bytes), then the configuration
                                      * descriptor (wTotalLength bytes) */
    const char *const *strings;      /* string descriptor i (1..n_strings) is strings[i - 1]:
                                      * manufacturer, product, serial, then one per alt */
};

/* What h7_dfu_layout_build() takes besides the board. 0 / NULL: the defaults above. */
struct h7_dfu_layout_params {
    uint16_t vid, pid, bcd_device;
    uint16_t transfer_size;   /* wTransferSize, 64..H7_DFU_XFER_MAX */
    uint32_t page_size;       /* DfuSe page of the flash alt (power of two, a multiple of the
                               * erase unit) */
    const char *manufacturer; /* NULL: "h7boot" */
    const char *product;      /* NULL: "h7boot DFU (<board name>)" */
    const char *serial;       /* NULL: "0" (h7_dfu_config.serial overrides it at run time) */
    const char *user_area;    /* the reserved flash range the host may write; NULL:
                               * "USER_AREA"; "" for none */
};

/* A built layout and the storage it points into (host and generator only: about 1.6 KB). */
struct h7_dfu_layout_store {
    struct h7_dfu_layout layout;
    struct h7_dfu_segment segments[H7_DFU_MAX_SEGMENTS];
    char alt_name[H7_DFU_MAX_ALTS][H7_DFU_STRING_MAX + 1];
    char product[H7_DFU_STRING_MAX + 1];
    const char *strings[3 + H7_DFU_MAX_ALTS];
    uint8_t descriptors[18 + 9 + 9 * H7_DFU_MAX_ALTS + 9];
};

/*
 * Build the layout of `board`: the app slot must lie in a flash region whose erase unit the
 * class can stage. The flash alt's geometry comes from that region (erase_size,
 * program_size). Returns 0, or -1 with *error naming the problem (no slot in a flash region, a
 * layout that does not fit a USB string, too many segments, an erase unit larger than
 * H7_DFU_SECTOR_MAX, a page size that is not a multiple of it). The layout points into `out`
 * and into the strings of params.
 */
int h7_dfu_layout_build(struct h7_dfu_layout_store *out, const struct h7_board *board,
                        const struct h7_dfu_layout_params *params, const char **error);

/* Firmware trees: the layout of H7_BOARD, generated at build time (wTransferSize
 * H7_DFU_BOARD_XFER, a compile definition of h7_dfu there). */
extern const struct h7_dfu_layout h7_dfu_board_layout;

struct h7_dfu_config {
    const struct h7_dfu_layout *layout; /* alts, segments, descriptors (outlives the class) */
    const struct h7_board *board;       /* the memory map: image checks, the leave decision */
    const struct h7_flash *flash;       /* the flash the layout's flash segments are in */
    const struct h7_dfu_mem_ops *mem;
    void *mem_ctx;
    uint8_t *buf;       /* the job buffer: one DNLOAD's data, layout->transfer_size bytes.
                         * Not the buffer passed to h7_dfu_control(): the replies to requests
                         * that arrive before poll ran the job (GETSTATUS) are written there */
    const char *serial; /* NULL: the layout's serial string (firmware: the chip's unique id) */
};

/* What a leave (zero-length DNLOAD, or DETACH followed by a bus reset) asks the port to do. */
enum h7_dfu_leave_kind {
    H7_DFU_LEAVE_NONE = 0, /* no leave requested */
    H7_DFU_LEAVE_BOOT,     /* reset and take the normal boot decision (verifies the slot) */
    H7_DFU_LEAVE_RUN_RAM,  /* start the image loaded into RAM: vector table at `addr`; its SP
                            * and reset vector passed h7_image_check_entry() against the RAM
                            * downloaded (else the leave fails with errFIRMWARE) */
};

struct h7_dfu_leave {
    enum h7_dfu_leave_kind kind;
    uint32_t addr; /* the DfuSe address pointer at leave time (bus address) */
};

/* What h7_dfu_poll() tells the port. */
enum h7_dfu_poll_result {
    H7_DFU_POLL_IDLE = 0, /* nothing to do: the port may sleep until the next interrupt */
    H7_DFU_POLL_BUSY,     /* work remains: call again soon */
    H7_DFU_POLL_LEAVE,    /* the host asked to leave and has been told dfuMANIFEST: wait until
                           * that status stage went out (a few ms), detach from the bus, then
                           * act on h7_dfu_leave_request() */
};

/* Counters, for tests and benchmarks (flash work the class decided on, not simulator time). */
struct h7_dfu_stats {
    uint32_t requests;          /* control requests handled */
    uint32_t sectors_erased;    /* erase units erased */
    uint32_t sectors_skipped;   /* erase units whose content already matched: no flash write */
    uint32_t pages_programmed;  /* program pages programmed */
    uint32_t bytes_downloaded;  /* payload bytes received in DNLOAD data blocks */
    uint32_t bytes_uploaded;    /* payload bytes sent in UPLOAD data blocks */
    uint32_t commits;           /* images verified and committed */
    uint32_t commit_refusals;   /* images in the slot that failed verification: not committed */
};

/*
 * The class state. Allocate it statically (one flash sector and the erase bitmap: 4.7 KB on the
 * host, 4.5 KB in the Daisy bootloader with its 2048-sector bitmap) and touch it only through
 * the functions below.
 */
struct h7_dfu {
    struct h7_dfu_config cfg;
    const char *error; /* why h7_dfu_init() failed */

    /* protocol state (written by control in the USB interrupt) */
    uint8_t alt;
    uint8_t configuration;
    uint8_t state;  /* enum h7_dfu_state (poll never reads it) */
    uint8_t status; /* enum h7_dfu_status */
    uint32_t addr_ptr;       /* DfuSe address pointer (bus address) */
    uint32_t seen_seq, seen_ms; /* poll's idle detection: stats.requests, when it changed */

    /* the job slot: one DNLOAD's work, done by poll (see Concurrency); data in cfg.buf */
    volatile uint8_t job;        /* internal job kind, 0 = none */
    volatile uint8_t job_done;   /* set by poll when the job has run */
    volatile uint8_t finish_req; /* end the download in the background (ABORT, bus reset) */
    volatile uint8_t finishing;  /* poll is writing the end of a download */
    uint8_t job_status;
    uint8_t poll_ms;       /* bwPollTimeout while the job runs */
    uint8_t finish_status; /* result of a download ended in the background (after ABORT) */
    uint16_t job_len;
    uint16_t run_start;    /* see run_next */
    uint32_t job_addr;

    /* flash staging: one erase unit (stage_buf below), and how many units an ERASE command
     * asked for (erase_req below) */
    int32_t stage_sector; /* index of the unit held in stage_buf, -1 none */
    uint32_t erase_size;  /* the flash's erase unit */
    uint32_t slot_off;    /* flash offset of the app slot */
    uint32_t erase_req_count;

    /* safe commit (dfu_commit.c) */
    bool slot_touched;   /* the old image was invalidated in this download */
    bool commit_is_h7;   /* the new image has an h7boot header (else raw vector table) */
    uint16_t run_next;   /* erase streak (dfu_flash.c): sectors [run_start, run_next) were
                          * erased in this download, in order (run_start sits with job_len:
                          * both fill what would be padding) */
    uint32_t commit_off; /* flash offset of the withheld commit word */
    uint8_t commit_value[4];

    /* RAM written through the RAM alternates since the class started: [ram_lo, ram_end). The
     * load-and-run leave jumps only into code inside it (image_entry.c). */
    uint32_t ram_lo, ram_end;

    struct h7_dfu_leave leave;
    volatile uint8_t leave_ready; /* dfuMANIFEST was reported: poll returns LEAVE */
    struct h7_dfu_stats stats;

    /* the big buffers last: the fields above stay in reach of short load/store offsets */
    uint8_t erase_req[H7_DFU_MAX_SECTORS / 8];
    uint8_t stage_buf[H7_DFU_SECTOR_MAX];
};

/*
 * Enter dfuIDLE with cfg->layout. Returns 0, or -1 with d->error set: a missing field (layout,
 * board, flash, memory functions, job buffer), or a flash that is not the one the layout was
 * built for (base, erase unit, at least the region's size; program page 4..256 bytes). cfg is
 * copied; what it points to must outlive d.
 */
int h7_dfu_init(struct h7_dfu *d, const struct h7_dfu_config *cfg);

/*
 * Handle one control request of endpoint 0.
 *  - IN (device-to-host): write at most setup->wLength bytes of reply into buf (which holds at
 *    least wLength bytes) and return their number (0 = zero-length reply).
 *  - OUT (host-to-device): buf holds the wLength bytes of the data stage; return 0 to complete
 *    the status stage.
 *  - H7_DFU_STALL: STALL the request (data or status stage).
 *  - H7_DFU_NAK: see above; nothing was changed.
 * Never blocks and never writes flash: slow work is queued for h7_dfu_poll().
 */
int h7_dfu_control(struct h7_dfu *d, const struct h7_usb_setup *setup, uint8_t *buf);

/*
 * The "busy work" hook: run from the main loop, outside the USB interrupt. Does the queued
 * erase/program/verify/commit work (one job per call; an erase may take tens of ms), and ends a
 * download that the host abandoned (no request for 1 s while data is staged). now_ms is a
 * free-running millisecond clock (wrap-around is fine).
 */
enum h7_dfu_poll_result h7_dfu_poll(struct h7_dfu *d, uint32_t now_ms);

/*
 * USB bus reset, suspend or cable unplugged: finish any staged flash work (as at the end of a
 * download, including the verify-then-commit of the slot), forget the address pointer, back to
 * dfuIDLE on alt 0. Call it from the interrupt only if the port then calls h7_dfu_poll() to
 * completion before answering the next request; otherwise call it from thread mode.
 */
void h7_dfu_bus_reset(struct h7_dfu *d);

/* The leave the host asked for (kind NONE until then). */
struct h7_dfu_leave h7_dfu_leave_request(const struct h7_dfu *d);

/*
 * The device descriptor followed by the full configuration descriptor, as Linux exposes them
 * in sysfs (`descriptors`): for the host harness and for drivers that want the blob. Returns
 * the length, or 0 if max is too small.
 */
size_t h7_dfu_descriptors(const struct h7_dfu *d, uint8_t *out, size_t max);

/* Number of alternate settings, and an alt's layout string (NULL past the end). */
unsigned h7_dfu_alt_count(const struct h7_dfu *d);
const char *h7_dfu_alt_name(const struct h7_dfu *d, unsigned alt);

/* The current state and status (what GETSTATUS would say) and the counters. */
enum h7_dfu_state h7_dfu_state(const struct h7_dfu *d);
enum h7_dfu_status h7_dfu_status(const struct h7_dfu *d);
const struct h7_dfu_stats *h7_dfu_stats(const struct h7_dfu *d);

/* Names for logs and error messages ("dfuDNBUSY", "errTARGET"). */
const char *h7_dfu_state_name(unsigned state);
const char *h7_dfu_status_name(unsigned status);

#endif /* H7_DFU_H */
