/*
 * h7_image.h — the h7boot image format: parse, validate against a board, hash, commit word.
 *
 * The byte-exact specification is docs/image-format.md; this header is its C face. In short,
 * an image stored at a slot address S is:
 *
 *   [0, 64)                      header (struct layout below, little-endian)
 *   [64, 64 + n*16)              segment table: n entries of 16 bytes
 *   [.., meta_size)              TLV area (tlv_size bytes, may be 0)
 *   [meta_size, image_size)      payload: each copy/XIP segment's bytes at its offset; gaps 0xFF
 *   [image_size, +32)            SHA-256 over bytes [0, image_size)
 *   [image_size + 32, +4)        commit word: H7_IMAGE_COMMITTED when the image may boot
 *
 * When XIP bytes are linked at the slot start (libDaisy BOOT_QSPI, or DSY_QSPI_DATA under
 * BOOT_SRAM) the metadata stands at header_offset H instead (a multiple of 4096, flag
 * H7_IMAGE_FLAG_LOCATED): [H, H + meta_size) holds it, everything else keeps its offset from the
 * slot start. h7_image_locate() finds H the same way in every reader.
 *
 * Everything here is freestanding: no malloc, no stdio, no libc beyond the compiler's
 * <stdint.h>/<stddef.h>/<stdbool.h>; the same object code runs in the host tool and in the
 * bootloader. Functions never read outside the buffer lengths they are given.
 *
 * Typical bootloader use:
 *   read H7_IMAGE_HEADER_SIZE bytes at the slot; h7_image_meta_size() -> n;
 *   read n bytes (n <= H7_IMAGE_META_MAX); h7_image_parse(); h7_image_check_board();
 *   h7_image_commit_word_offset() + read the word; h7_image_is_committed();
 *   h7_image_verify_mapped() or h7_image_verify_flash()            (hash of the stored image)
 *   copy/zero each segment; h7_image_verify_loaded()                (hash of what landed in RAM)
 */
#ifndef H7_IMAGE_H
#define H7_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "h7/board.h"
#include "h7/flash.h"
#include "h7_crc32.h"
#include "h7_sha256.h"

/* ---- constants of format version 1 (docs/image-format.md) ---- */

#define H7_IMAGE_MAGIC 0x4D493748u    /* bytes 'H' '7' 'I' 'M' at offset 0 */
#define H7_IMAGE_FORMAT_VERSION 1u    /* this code reads and writes version 1 */
#define H7_IMAGE_HEADER_SIZE 64u      /* the version-1 header; header_size may be larger */
#define H7_IMAGE_HEADER_SIZE_MAX 256u /* larger header_size values are rejected */
#define H7_IMAGE_SEGMENT_SIZE 16u     /* a version-1 segment entry; entries may be larger */
#define H7_IMAGE_SEGMENT_SIZE_MAX 64u /* larger segment_entry_size values are rejected */
#define H7_IMAGE_MAX_SEGMENTS 32u     /* segment_count limit */
#define H7_IMAGE_META_MAX 2048u       /* header + segment table + TLV area, at most */
#define H7_IMAGE_ALIGN 4u             /* image_size, tlv_size, payload offsets: multiples */
#define H7_IMAGE_VECTOR_ALIGN 128u    /* vector table alignment (Cortex-M7 VTOR) */
#define H7_IMAGE_HASH_SIZE H7_SHA256_SIZE
#define H7_IMAGE_COMMIT_SIZE 4u
#define H7_IMAGE_TRAILER_SIZE (H7_IMAGE_HASH_SIZE + H7_IMAGE_COMMIT_SIZE) /* 36 */
#define H7_IMAGE_PAD_BYTE 0xFFu /* gaps between payloads (erased NOR) */
#define H7_IMAGE_LOCATE_ALIGN 4096u /* a located header stands at a multiple of this */
/* The locator word: vector table entry 7 (reserved by Armv7-M, §B1.5.3; the core never reads
 * it), written by the packer when an XIP vector table starts the slot. */
#define H7_IMAGE_LOCATOR_OFFSET 0x1Cu

/* The commit word. Only this exact value means "committed"; 0xFFFFFFFF (erased) means "not yet
 * committed", 0x00000000 means "invalidated" (NOR can clear bits without an erase), anything
 * else means "torn or damaged". Bytes 'H' '7' 'O' 'K'. */
#define H7_IMAGE_COMMITTED 0x4B4F3748u
#define H7_IMAGE_UNCOMMITTED 0xFFFFFFFFu
#define H7_IMAGE_INVALIDATED 0x00000000u

/* Header byte offsets (all fields little-endian). */
enum h7_image_header_field {
    H7_IMAGE_OFF_MAGIC = 0,          /* u32 H7_IMAGE_MAGIC */
    H7_IMAGE_OFF_FORMAT_VERSION = 4, /* u16 */
    H7_IMAGE_OFF_HEADER_SIZE = 6,    /* u16 bytes of header, >= 64, multiple of 4 */
    H7_IMAGE_OFF_FLAGS = 8,          /* u32 enum h7_image_flag */
    H7_IMAGE_OFF_VERSION = 12,       /* u8 major, u8 minor, u16 patch */
    H7_IMAGE_OFF_ENTRY = 16,         /* u32 reset handler address (Thumb bit set) */
    H7_IMAGE_OFF_VECTOR_TABLE = 20,  /* u32 address of the vector table as loaded */
    H7_IMAGE_OFF_SEGMENT_COUNT = 24, /* u16 */
    H7_IMAGE_OFF_SEGMENT_SIZE = 26,  /* u16 bytes per segment entry, >= 16, multiple of 4 */
    H7_IMAGE_OFF_TLV_SIZE = 28,      /* u32 bytes of TLV area, multiple of 4 */
    H7_IMAGE_OFF_IMAGE_SIZE = 32,    /* u32 bytes hashed = offset of the trailer */
    H7_IMAGE_OFF_LOAD_ADDRESS = 36,  /* u32 bus address of byte 0 (the slot it was packed for) */
    H7_IMAGE_OFF_HEADER_OFFSET = 40, /* u32 offset of this header (flag LOCATED), else 0 */
    H7_IMAGE_OFF_RESERVED = 44,      /* 16 bytes, zero in version 1, ignored by readers */
    H7_IMAGE_OFF_HEADER_CRC = 60,    /* u32 CRC-32 (zlib) of header bytes [0, 60) */
};

/* Segment entry byte offsets (relative to the entry). */
enum h7_image_segment_field {
    H7_IMAGE_SEG_OFF_DEST = 0,   /* u32 destination (load) address */
    H7_IMAGE_SEG_OFF_SIZE = 4,   /* u32 bytes */
    H7_IMAGE_SEG_OFF_OFFSET = 8, /* u32 payload offset in the image (0 for ZERO) */
    H7_IMAGE_SEG_OFF_KIND = 12,  /* u8 enum h7_image_seg_kind */
    H7_IMAGE_SEG_OFF_FLAGS = 13, /* u8, zero in version 1 (rejected when not zero) */
    H7_IMAGE_SEG_OFF_PAD = 14,   /* u16, zero in version 1 (rejected when not zero) */
};

enum h7_image_seg_kind {
    H7_SEG_COPY = 1, /* copy size payload bytes to dest (a RAM region with `load`) */
    H7_SEG_ZERO = 2, /* fill size bytes at dest with zero; no payload */
    H7_SEG_XIP = 3,  /* payload stays in flash: dest == load_address + offset, inside the slot */
};

/* Header flags. Bits 0-15 are "optional": a reader that does not know one ignores it. Bits
 * 16-31 are "required": a reader that does not know one must refuse the image. */
enum h7_image_flag {
    H7_IMAGE_FLAGS_OPTIONAL_MASK = 0x0000FFFFu,
    /* The app sets its clocks up from the reset state (libDaisy: DaisySeed::Init with a v6
     * bootloader): hand off with sys_ck on the HSI and PLL1 off. Without it the app gets the
     * bootloader's clock tree (h7boot's own apps: 480 MHz). Set by `pack` for ELFs that define
     * libDaisy's daisy::boot_info; raw images are handed off this way too. */
    H7_IMAGE_FLAG_RESET_CLOCKS = 0x00000001u,
    H7_IMAGE_FLAGS_REQUIRED_MASK = 0xFFFF0000u,
    /* The header stands at header_offset (> 0, a multiple of H7_IMAGE_LOCATE_ALIGN), not at
     * offset 0: XIP bytes occupy the slot start. */
    H7_IMAGE_FLAG_LOCATED = 0x00010000u,
    H7_IMAGE_FLAGS_REQUIRED_KNOWN = H7_IMAGE_FLAG_LOCATED, /* required flags understood here */
};

/* TLV entries in the TLV area: u16 type, u16 length, then length bytes, padded with zero to a
 * multiple of 4. Types with bit 15 set are critical: a reader that does not know one must refuse
 * the image; other unknown types are skipped. */
enum h7_image_tlv_type {
    H7_TLV_PAD = 0x0000,  /* padding; length bytes ignored */
    H7_TLV_NAME = 0x0001, /* UTF-8 application name (not NUL-terminated), informative */
    H7_TLV_CRITICAL = 0x8000,
};

/* Error codes: 0 or one of these (negative). h7_image_strerror() names them. */
enum h7_image_err {
    H7_IMAGE_OK = 0,
    H7_IMAGE_E_TRUNCATED = -1,      /* fewer bytes than the header says exist */
    H7_IMAGE_E_MAGIC = -2,          /* offset 0 is not H7_IMAGE_MAGIC */
    H7_IMAGE_E_FORMAT_VERSION = -3, /* format_version not supported */
    H7_IMAGE_E_HEADER_SIZE = -4,    /* header_size < 64, > 256 or not a multiple of 4 */
    H7_IMAGE_E_HEADER_CRC = -5,     /* header CRC mismatch */
    H7_IMAGE_E_FLAGS = -6,          /* an unknown required flag is set */
    H7_IMAGE_E_SEGMENT_COUNT = -7,  /* 0 or more than H7_IMAGE_MAX_SEGMENTS */
    H7_IMAGE_E_SEGMENT_SIZE = -8,   /* segment_entry_size < 16, > 64 or not a multiple of 4 */
    H7_IMAGE_E_META_SIZE = -9,      /* header+table+TLV larger than H7_IMAGE_META_MAX, or TLV
                                       size not a multiple of 4 */
    H7_IMAGE_E_IMAGE_SIZE = -10,    /* image_size misaligned or smaller than the metadata */
    H7_IMAGE_E_TLV = -11,           /* a TLV runs past the TLV area */
    H7_IMAGE_E_TLV_CRITICAL = -12,  /* an unknown critical TLV */
    H7_IMAGE_E_SEG_KIND = -13,      /* unknown segment kind */
    H7_IMAGE_E_SEG_RESERVED = -14,  /* a segment's flags/pad bytes are not zero */
    H7_IMAGE_E_SEG_EMPTY = -15,     /* a segment of size 0 */
    H7_IMAGE_E_SEG_WRAP = -16,      /* dest + size runs past 4 GB */
    H7_IMAGE_E_SEG_OFFSET = -17,    /* payload misaligned, inside the metadata, past image_size,
                                       or a ZERO segment with a non-zero offset */
    H7_IMAGE_E_SEG_ORDER = -18,     /* payloads not in ascending, non-overlapping table order */
    H7_IMAGE_E_SEG_OVERLAP = -19,   /* two segments' destinations overlap */
    H7_IMAGE_E_SEG_REGION = -20,    /* a copy/zero segment not inside one `load` RAM region */
    H7_IMAGE_E_SEG_RESERVED_RANGE = -21, /* a segment overlaps a reserved range */
    H7_IMAGE_E_SEG_XIP = -22,            /* an XIP segment not at load_address + offset, outside the
                                            slot, or in a region without `xip` */
    H7_IMAGE_E_LOAD_ADDRESS = -23,       /* load_address is not the slot's address */
    H7_IMAGE_E_SLOT_SIZE = -24,          /* image + trailer do not fit in the slot */
    H7_IMAGE_E_ENTRY = -25,              /* entry not Thumb, or not inside an executable segment */
    H7_IMAGE_E_VECTOR = -26,      /* vector table misaligned or not inside a copy/XIP segment */
    H7_IMAGE_E_HASH = -27,        /* SHA-256 mismatch */
    H7_IMAGE_E_UNCOMMITTED = -28, /* commit word is not H7_IMAGE_COMMITTED */
    H7_IMAGE_E_IO = -29,          /* a flash read failed */
    H7_IMAGE_E_ARG = -30,         /* a caller error (NULL pointer, bad length) */
    H7_IMAGE_E_STACK = -31,       /* initial SP (vector word 0) not 8-byte aligned in RAM free of
                                     the image's COPY/XIP segments */
    H7_IMAGE_E_RESET = -32,       /* reset vector (word 1) not Thumb, or not in a COPY/XIP
                                     segment of an executable region */
    H7_IMAGE_E_ENTRY_VECTOR = -33, /* header entry differs from the vector table's reset vector */
    H7_IMAGE_E_HEADER_OFFSET = -34, /* LOCATED header_offset misaligned, 0, past image_size, or
                                       not where the header was found; a writer: no room */
};
#define H7_IMAGE_E_COUNT 35 /* number of codes incl. H7_IMAGE_OK */

/* "OK", "TRUNCATED: ...", ...: the code's name and a short sentence. Never NULL. A firmware
 * tree may be built with names only ("TRUNCATED"), or without any text: then
 * H7_IMAGE_NO_ERROR_TEXT is defined and this function does not exist (H7_IMAGE_ERROR_TEXT in
 * image/CMakeLists.txt). */
#ifndef H7_IMAGE_NO_ERROR_TEXT
const char *h7_image_strerror(int err);
#endif

/* Where a check failed, so a tool or the bootloader can say exactly what is wrong. For
 * H7_IMAGE_E_TRUNCATED, field is the number of bytes given and len the number needed. */
struct h7_image_fault {
    int err;        /* enum h7_image_err */
    int segment;    /* segment index, or -1 when the fault is not about one segment */
    int other;      /* the other segment (overlap/order faults), or -1 */
    uint32_t field; /* byte offset in the image of the offending field (or range start) */
    uint32_t addr;  /* the offending address (segment dest, entry, ...), when there is one */
    uint32_t len;   /* ... and the length of the offending range */
};

struct h7_image_segment {
    uint32_t dest;   /* destination address (XIP: where it is in flash) */
    uint32_t size;   /* bytes */
    uint32_t offset; /* payload offset in the image; 0 for ZERO */
    uint8_t kind;    /* enum h7_image_seg_kind */
};

/* A parsed header: every field decoded, no pointers into the buffer. ~620 bytes. */
struct h7_image_info {
    uint16_t format_version;
    uint16_t header_size;
    uint32_t flags;
    uint8_t version_major;
    uint8_t version_minor;
    uint16_t version_patch;
    uint32_t entry;
    uint32_t vector_table;
    uint16_t segment_count;
    uint16_t segment_entry_size;
    uint32_t tlv_offset; /* header_size + segment_count * segment_entry_size */
    uint32_t tlv_size;
    uint32_t meta_size;  /* tlv_offset + tlv_size: bytes of header + table + TLV area */
    uint32_t image_size; /* bytes hashed; offset of the SHA-256 */
    uint32_t load_address;
    uint32_t header_offset; /* where the metadata stands in the image (0 unless LOCATED) */
    struct h7_image_segment seg[H7_IMAGE_MAX_SEGMENTS];
};

/* image_size + H7_IMAGE_TRAILER_SIZE: the bytes the image occupies in its slot. */
static inline uint32_t h7_image_total_size(const struct h7_image_info *info)
{
    return info->image_size + H7_IMAGE_TRAILER_SIZE;
}
/* Offset of the SHA-256 and of the commit word in the image. */
static inline uint32_t h7_image_hash_offset(const struct h7_image_info *info)
{
    return info->image_size;
}
static inline uint32_t h7_image_commit_offset(const struct h7_image_info *info)
{
    return info->image_size + H7_IMAGE_HASH_SIZE;
}

/* Little-endian field access (alignment-free), shared with the packer. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* A little-endian target reads the field as it is (one unaligned load where the core can). */
static inline uint32_t h7_le32(const uint8_t *p)
{
    uint32_t v;
    __builtin_memcpy(&v, p, 4);
    return v;
}
static inline uint16_t h7_le16(const uint8_t *p)
{
    uint16_t v;
    __builtin_memcpy(&v, p, 2);
    return v;
}
#else
static inline uint32_t h7_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint16_t h7_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}
#endif
static inline void h7_put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}
static inline void h7_put_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

/* ---- recognising what is in a slot ---- */

/* True when the first 4 bytes are H7_IMAGE_MAGIC (an h7boot image, maybe damaged). */
bool h7_image_has_magic(const void *buf, size_t len);

/*
 * First step on the first bytes of a slot: check magic, format version, header size and header
 * CRC of the H7_IMAGE_HEADER_SIZE bytes in buf, and return in *meta_size the number of bytes of
 * header + segment table + TLV area to read for h7_image_parse() (<= H7_IMAGE_META_MAX).
 * Returns 0 or an error (fault filled when not NULL).
 */
int h7_image_meta_size(const void *buf, size_t len, uint32_t *meta_size,
                       struct h7_image_fault *fault);

/*
 * For the DFU backend: from the first H7_IMAGE_HEADER_SIZE bytes of the slot, the offset of the
 * commit word (relative to the slot) and the image's total size (image + trailer). Checks the
 * same as h7_image_meta_size() plus image_size alignment, so a damaged header never points the
 * commit word somewhere else. The commit word is H7_IMAGE_COMMIT_SIZE bytes.
 */
int h7_image_commit_word_offset(const void *buf, size_t len, uint32_t *commit_offset,
                                uint32_t *total_size, struct h7_image_fault *fault);

/* True only for the exact committed value (the word as read from flash, little-endian). */
static inline bool h7_image_is_committed(uint32_t commit_word)
{
    return commit_word == H7_IMAGE_COMMITTED;
}

/*
 * Raw Daisy images (no header; the app's vector table first, as the Daisy bootloader boots
 * them). words[0] = initial SP, words[1] = reset vector, both as read from the slot.
 * Recognised when: the SP is 4-byte aligned (the core ignores bits 1:0 of MSP) and SP-1 lies
 * in a `ram` region of the board (the stack grows down from SP, so SP may be a region's end),
 * and the reset vector has the Thumb bit and lies either in an `exec` RAM region (a RAM-boot image,
 * copied before it runs) or in the flash region holding the board's APP slot (run in place).
 * Returns the region the reset vector is in, or NULL when it does not look like a raw image. An
 * h7boot image is never taken for a raw one: its magic is no RAM address on any shipped board
 * (checked by the unit tests).
 */
const struct h7_region *h7_image_raw_reset_region(const struct h7_board *board,
                                                  const uint32_t words[2]);

/*
 * Where the metadata of the image in a slot is (docs/image-format.md, "Located header"):
 *  1. the magic at offset 0 -> header at 0;
 *  2. words 0/1 pass h7_image_raw_reset_region() -> the locator word at
 *     H7_IMAGE_LOCATOR_OFFSET, if it is a non-zero multiple of H7_IMAGE_LOCATE_ALIGN inside the
 *     slot with the magic there -> header there; else a raw image;
 *  3. else the first k * H7_IMAGE_LOCATE_ALIGN (k >= 1) inside the slot holding the magic.
 * read(ctx, off, buf, len) reads slot bytes as for h7_image_verify_read(). Returns
 * H7_IMAGE_FOUND_HEADER with *header_offset, H7_IMAGE_FOUND_RAW, H7_IMAGE_FOUND_NOTHING, or
 * H7_IMAGE_E_IO / H7_IMAGE_E_ARG. The header found is not checked yet: h7_image_parse() it,
 * then h7_image_check_located() that it claims the offset it was found at.
 */
enum h7_image_found {
    H7_IMAGE_FOUND_NOTHING = 0,
    H7_IMAGE_FOUND_HEADER = 1,
    H7_IMAGE_FOUND_RAW = 2,
};
typedef int (*h7_image_read_fn)(void *ctx, uint32_t off, void *buf, uint32_t len);
int h7_image_locate(const struct h7_board *board, uint32_t slot_len, h7_image_read_fn read,
                    void *ctx, uint32_t *header_offset);

/* A parsed header found at `found_at` must say so (0: not LOCATED). 0 or
 * H7_IMAGE_E_HEADER_OFFSET. */
static inline int h7_image_check_located(const struct h7_image_info *info, uint32_t found_at)
{
    return info->header_offset == found_at ? 0 : H7_IMAGE_E_HEADER_OFFSET;
}

/* ---- parsing and validation ---- */

/*
 * Decode and check everything that needs no board: the header checks of h7_image_meta_size(),
 * flags, segment count/entry size, TLV area, image_size, and for each segment: kind, reserved
 * bytes, size, 4 GB wrap, payload offset (aligned, past the metadata, inside image_size),
 * payloads in ascending non-overlapping order, destinations not overlapping, entry point and
 * vector table inside copy/XIP segments. buf holds at least meta_size bytes of the image
 * (the whole image is fine). Returns 0 or the first error; `fault` says where.
 */
int h7_image_parse(const void *buf, size_t len, struct h7_image_info *info,
                   struct h7_image_fault *fault);

/*
 * Check a parsed image against the board it is to boot on and the slot it is stored in:
 * load_address == slot->origin; image + trailer fit the slot; every COPY/ZERO segment inside
 * one region with H7_REGION_LOAD and outside every reserved range; every XIP segment at
 * load_address + offset (so inside the stored image), inside the slot, in a region with
 * H7_REGION_XIP; the entry point in an executable region. Returns 0 or the first error.
 */
int h7_image_check_board(const struct h7_image_info *info, const struct h7_board *board,
                         const struct h7_range *slot, struct h7_image_fault *fault);

/*
 * Walk the TLV area of meta (the bytes parsed by h7_image_parse). For each entry calls fn (if
 * not NULL) with its type, value and length; stops early when fn returns non-zero and returns
 * that value. Returns 0 at the end, or H7_IMAGE_E_TLV on a malformed area.
 */
int h7_image_tlv_walk(const struct h7_image_info *info, const void *meta, size_t len,
                      int (*fn)(void *ctx, uint16_t type, const uint8_t *value, uint16_t vlen),
                      void *ctx);

/* ---- what the core jumps through (image_entry.c) ---- */

/*
 * The vector table's initial SP and reset vector (words 0 and 1, as the core will load them)
 * against the segments that will be in memory (seg[0..n)) and the board: SP 8-byte aligned,
 * its 8 bytes below in a RAM region and in no COPY/XIP segment (-> H7_IMAGE_E_STACK); reset
 * vector Thumb, inside a COPY/XIP segment, in an executable region (-> H7_IMAGE_E_RESET).
 * For images without a header too (the DFU RAM load-and-run: one COPY segment, the bytes
 * downloaded). fault->addr is the offending value.
 */
int h7_image_check_entry(const struct h7_board *board, const struct h7_image_segment *seg,
                         unsigned n, uint32_t sp, uint32_t reset, struct h7_image_fault *fault);

/* Offset in the image of the vector table's first 8 bytes (in a COPY or XIP payload), so a
 * reader can fetch words 0 and 1; H7_IMAGE_E_VECTOR when no such payload holds them. */
int h7_image_vector_offset(const struct h7_image_info *info, uint32_t *offset,
                           struct h7_image_fault *fault);

/*
 * A parsed image's vector words (read at h7_image_vector_offset()): h7_image_check_entry()
 * over its segments, then the header's entry against word 1 (-> H7_IMAGE_E_ENTRY_VECTOR).
 * fault->field is the image offset of the offending word. The bootloader, `h7boot inspect`
 * and the DFU all call this before trusting an image with a jump.
 */
int h7_image_check_vectors(const struct h7_image_info *info, const struct h7_board *board,
                           const uint32_t words[2], struct h7_image_fault *fault);

/* ---- hashing and verification ---- */

/*
 * Streaming verifier: feed bytes [0, image_size) in order, in pieces of any size (the DFU
 * backend feeds them as they arrive; the functions below feed it from memory or flash).
 * h7_image_verify_end() compares with the expected SHA-256 (the 32 trailer bytes) and fails
 * with H7_IMAGE_E_TRUNCATED when fewer than image_size bytes were fed. Bytes fed beyond
 * image_size are ignored (so a caller may feed the trailer too).
 */
struct h7_image_verifier {
    struct h7_sha256 sha;
    uint32_t want; /* image_size */
    uint32_t seen; /* bytes fed so far (hashed up to want) */
};
void h7_image_verify_begin(struct h7_image_verifier *v, const struct h7_image_info *info);
void h7_image_verify_update(struct h7_image_verifier *v, const void *data, size_t len);
int h7_image_verify_end(struct h7_image_verifier *v, const uint8_t expected[H7_IMAGE_HASH_SIZE],
                        uint8_t actual[H7_IMAGE_HASH_SIZE]);

/*
 * Verify an image in memory (a file in the host tool, memory-mapped QSPI in the bootloader):
 * image points at byte 0 and len bytes are readable. Hashes [0, image_size) and compares with
 * the SHA-256 stored at image_size. actual (may be NULL) receives the computed digest.
 */
int h7_image_verify_mapped(const struct h7_image_info *info, const void *image, size_t len,
                           uint8_t actual[H7_IMAGE_HASH_SIZE]);

/*
 * Verify an image through the flash interface (QSPI in indirect mode, the host simulator):
 * the image starts at device offset `off`. Reads in chunks of a 256-byte stack buffer.
 */
int h7_image_verify_flash(const struct h7_image_info *info, const struct h7_flash *flash,
                          uint32_t off, uint8_t actual[H7_IMAGE_HASH_SIZE]);

/*
 * Verify an image through any reader: read(ctx, off, buf, len) fills buf with the len bytes at
 * byte offset off of the image and returns 0, or anything else when it cannot (-> H7_IMAGE_E_IO).
 * Hashes [0, image_size) in chunks of a 256-byte stack buffer and compares with expected, or,
 * when expected is NULL, with the SHA-256 it reads at image_size. h7_image_verify_flash() is
 * this over a struct h7_flash; the bootloader passes its slot reader.
 */
int h7_image_verify_read(const struct h7_image_info *info, h7_image_read_fn read, void *ctx,
                         const uint8_t expected[H7_IMAGE_HASH_SIZE],
                         uint8_t actual[H7_IMAGE_HASH_SIZE]);

/*
 * Verify the image as it was LOADED: recompute the same SHA-256 from the metadata (header +
 * segment table + TLV area, meta_size bytes, kept by the caller), the COPY segments' bytes at
 * their destinations in RAM, the XIP segments' bytes in flash, and 0xFF for the gaps between
 * payloads (the packer writes 0xFF there; see docs/image-format.md, "What is hashed"). So a
 * copy that went wrong, or RAM that changed under the copy, is caught before the jump.
 *
 * `map` turns a bus address range into a readable pointer: NULL means identity (the bootloader
 * on the target); tests and the host pass a function that maps into their buffers. It returns
 * NULL for a range it cannot map (-> H7_IMAGE_E_IO). expected is the stored SHA-256.
 */
typedef const void *(*h7_image_map_fn)(void *ctx, uint32_t addr, uint32_t len);
int h7_image_verify_loaded(const struct h7_image_info *info, const void *meta, size_t meta_len,
                           h7_image_map_fn map, void *map_ctx,
                           const uint8_t expected[H7_IMAGE_HASH_SIZE],
                           uint8_t actual[H7_IMAGE_HASH_SIZE]);

#endif /* H7_IMAGE_H */
