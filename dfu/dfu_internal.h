/*
 * dfu_internal.h — what the files of dfu/ share; not part of the API (h7_dfu.h is).
 *
 *   dfu_layout.c   alternate settings, segments, descriptors and strings from the board
 *                  (host and build machine only: firmware links its generated output)
 *   dfu_class.c    the DFU/DfuSe state machine: control requests, jobs, poll, descriptors
 *   dfu_flash.c    flash writes: staging one erase unit, skipping unchanged data
 *   dfu_commit.c   the slot's safe commit: invalidate old, withhold new, verify, commit
 */
#ifndef H7_DFU_INTERNAL_H
#define H7_DFU_INTERNAL_H

#include "h7_dfu.h"

/* DfuSe segment type bits (the letter a-g of the layout string, minus 'a' - 1). */
enum { DFU_PERM_READ = 1, DFU_PERM_ERASE = 2, DFU_PERM_WRITE = 4 };

/* How a segment is reached. */
enum { DFU_SEG_FLASH = 1, /* through cfg.flash: staged, skip-unchanged, safe commit */
       DFU_SEG_MEM = 2 }; /* through cfg.mem: RAM target, read-only views */

/* Jobs handed from control to poll. */
enum { DFU_JOB_NONE = 0, DFU_JOB_COMMAND, DFU_JOB_DATA, DFU_JOB_MANIFEST };

/* DfuSe commands (first byte of a block-0 DNLOAD). */
enum { DFUSE_GET_COMMANDS = 0x00, DFUSE_SET_ADDRESS = 0x21, DFUSE_ERASE = 0x41,
       DFUSE_READ_UNPROTECT = 0x92 };

/* bwPollTimeout values (ms) reported while a job is pending. Never exactly 100: dfu-util 0.11
 * takes a 100 ms mass-erase answer for an STM32F405 and waits 35 s. Short, because the host
 * simply polls again while the work goes on. */
enum { DFU_POLL_MS_COMMAND = 1, DFU_POLL_MS_DATA = 2, DFU_POLL_MS_MASS_ERASE = 250,
       DFU_POLL_MS_MANIFEST = 10 };

/* A download the host abandoned (no request for this long while data is staged) is ended. */
#define DFU_IDLE_FINISH_MS 1000u

/* Descriptor types and string indexes. */
enum { DFU_DESC_DEVICE = 1, DFU_DESC_CONFIGURATION = 2, DFU_DESC_STRING = 3,
       DFU_DESC_INTERFACE = 4, DFU_DESC_FUNCTIONAL = 0x21 };
enum { DFU_STR_MANUFACTURER = 1, DFU_STR_PRODUCT = 2, DFU_STR_SERIAL = 3, DFU_STR_FIRST_ALT = 4 };

/* dfu_flash.c — offsets are flash offsets (bus address - flash base). Return enum
 * h7_dfu_status. */
int dfu_read(const struct h7_dfu *d, uint32_t off, void *buf, uint32_t len);
bool dfu_all_ff(const uint8_t *p, uint32_t n);
uint8_t dfu_flash_write(struct h7_dfu *d, uint32_t off, const uint8_t *data, uint32_t len);
void dfu_flash_request_erase(struct h7_dfu *d, uint32_t off, uint32_t len);
void dfu_flash_read(struct h7_dfu *d, uint32_t off, uint8_t *buf, uint32_t len);
uint8_t dfu_flash_flush(struct h7_dfu *d);
uint8_t dfu_flash_erase_requested(struct h7_dfu *d);
bool dfu_flash_pending(const struct h7_dfu *d);
/* Stage the sector holding off, set [off, off+len) (inside it) to 0xFF, write it out. */
uint8_t dfu_flash_rewrite_sector(struct h7_dfu *d, uint32_t off, uint32_t len);
void dfu_flash_reset(struct h7_dfu *d);

/* dfu_commit.c */
bool dfu_in_slot(const struct h7_dfu *d, uint32_t off, uint32_t len);
uint8_t dfu_commit_before_slot_change(struct h7_dfu *d);
void dfu_commit_withhold(struct h7_dfu *d, uint32_t sector_off, uint8_t *content, uint32_t len);
uint8_t dfu_commit_finish(struct h7_dfu *d);

/* dfu_class.c: end of a download (flush, erase what was asked, verify and commit the slot). */
uint8_t dfu_finish_download(struct h7_dfu *d);

static inline uint32_t dfu_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#endif
