/*
 * mem_placement.h — the placement file of `h7boot ld` (format: docs/memory.md) and the plan
 * it turns into: ordered output sections, each with input-section patterns, a region to run in,
 * a region its load image is stored in, and whether the startup copies it, zeroes it or leaves
 * it alone.
 *
 * A placement file, line by line ('#' starts a comment):
 *
 *   preset NAME                       internal-flash | ram-load | qspi-xip |
 *                                     daisy-boot-sram | daisy-boot-qspi   (required, once)
 *   stack REGION SIZE                 main stack at the end of REGION's data (default 8K in
 *                                     the preset's data region)
 *   heap REGION SIZE                  heap for malloc, `end` for newlib's sbrk (default:
 *                                     16K first in the DMA RAM, D2 SRAM on the Daisy Seed)
 *   place SELECTOR -> REGION[, REGION...] [@ ADDRESS]
 *
 * SELECTOR is one of
 *   section PATTERN...                input sections by name (ld wildcards), from every object
 *   object FILE [text|rodata|data|bss]...   the sections of one object file (FILE is matched
 *                                     against the end of the path, ld wildcards allowed)
 *   symbol NAME...                    the function or object NAME (needs -ffunction-sections
 *                                     -fdata-sections: GCC puts it in .text.NAME, .bss.NAME, ...)
 * ADDRESS puts the rule's one output section at a fixed place in its (single) region: a number,
 * a range of the board (`USER_AREA`, `APP`) optionally `+ SIZE`, or `image-end`: in the slot,
 * after the room the app's stored image needs (what a RAM-loaded preset does by default with
 * QSPI data that has contents, so a big table never runs into the image).
 * Rules are tried in order and the first rule that matches an input section wins; the preset's
 * own rules come after the file's. A list of regions spills: what does not fit in the first
 * goes to the next (GNU ld's --enable-non-contiguous-regions; docs/memory.md explains why).
 */
#ifndef H7_MEM_PLACEMENT_H
#define H7_MEM_PLACEMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "h7/board.h"

#define H7_PLACE_MAX_RULES 64
#define H7_PLACE_MAX_PATTERNS 16
#define H7_PLACE_MAX_TARGETS 4
#define H7_PLACE_PATTERN_MAX 96

enum h7_preset {
    H7_PRESET_INTERNAL_FLASH,
    H7_PRESET_RAM_LOAD,
    H7_PRESET_QSPI_XIP,
    H7_PRESET_DAISY_BOOT_SRAM,
    H7_PRESET_DAISY_BOOT_QSPI,
};

/* What the startup does with an output section. */
enum h7_init_kind {
    H7_INIT_COPY,   /* has contents: loaded in place or copied from its load image */
    H7_INIT_ZERO,   /* NOLOAD, zeroed by the startup (.bss) */
    H7_INIT_KEEP,   /* NOLOAD, left as it is (.noinit, QSPI storage) */
};

/* One output section of the generated script. */
struct h7_out_section {
    char name[64];
    enum h7_init_kind init;
    size_t n_patterns;
    char patterns[H7_PLACE_MAX_PATTERNS][H7_PLACE_PATTERN_MAX]; /* ld input section specs */
    bool keep;                /* KEEP() the inputs (vector table, constructor tables) */
    int region;               /* board region index it runs in */
    int load_region;          /* where its load image is stored (== region: loaded in place) */
    uint32_t start;           /* explicit start address, or 0 */
    bool after_image;         /* in the slot after the stored image (address from the script) */
    char before[160], after[160]; /* symbol assignments at the start and end of the section */
    int rule_line;            /* placement file line, 0 = preset */
};

struct h7_plan {
    enum h7_preset preset;
    const struct h7_board *board;
    int code_region, load_region; /* load_region -1: every section is loaded at its address */
    int stack_region;
    uint32_t stack_size;
    int heap_region;
    uint32_t heap_size;
    uint32_t image_limit; /* largest load image in load_region (0 = the region's length) */
    bool spill;           /* some rule has more than one region */
    int slot;             /* board range index of the application slot, or -1 */
    bool bootloaded;      /* a bootloader loads the app: its reserved RAM is kept free */
    size_t n_out;
    struct h7_out_section out[3 * H7_PLACE_MAX_RULES * H7_PLACE_MAX_TARGETS + 32];
};

/*
 * Parse the placement text and plan the output sections for `board`. Returns 0, or -1 with
 * "FILE:LINE: message" in err. `plan` is large: allocate it, do not put it on the stack.
 */
int h7_placement_plan(const char *text, size_t len, const char *filename,
                      const struct h7_board *board, struct h7_plan *plan, char *err,
                      size_t errlen);

/* The preset's name, and a preset by name (-1 when unknown). */
const char *h7_preset_name(enum h7_preset p);
int h7_preset_by_name(const char *name);

#endif
