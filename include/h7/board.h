/*
 * h7/board.h — a board's memory map as data.
 *
 * A board is described once, in a text file under boards/ (format: docs/boards.md). The host
 * tools parse that file at run time (boards/board_parse.c); firmware gets the same structure as
 * a generated constant table (tools/boardgen) plus a header of generated address macros. No
 * region address is typed anywhere else in the code base.
 *
 * This header is freestanding (no libc beyond <stdint.h>/<stddef.h>/<stdbool.h>) so the
 * bootloader can use it on the target.
 */
#ifndef H7_BOARD_H
#define H7_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Capacities of struct h7_board. The host tools parse any board, so they use these generous
 * defaults. A firmware tree builds for one board only: it defines all three to exactly what
 * that board needs (boardgen `limits`, applied tree-wide by cmake/h7boot.cmake), which keeps the
 * constant table in the bootloader's flash small (Daisy Seed: 664 bytes instead of 2,568).
 */
#ifndef H7_BOARD_NAME_MAX
#define H7_BOARD_NAME_MAX 32 /* names incl. the terminating NUL */
#endif
#ifndef H7_BOARD_MAX_REGIONS
#define H7_BOARD_MAX_REGIONS 24
#endif
#ifndef H7_BOARD_MAX_RANGES
#define H7_BOARD_MAX_RANGES 24
#endif

/* Region flags (bit set). */
enum h7_region_flag {
    H7_REGION_RAM = 1u << 0,       /* read/write memory */
    H7_REGION_FLASH = 1u << 1,     /* non-volatile, programmed by a driver, not by stores */
    H7_REGION_EXEC = 1u << 2,      /* the CPU may execute from it */
    H7_REGION_CACHEABLE = 1u << 3, /* cached by the L1 caches in the board's MPU set-up */
    H7_REGION_LOAD = 1u << 4,      /* the bootloader may copy/zero image segments into it */
    H7_REGION_RETAINED = 1u << 5,  /* keeps its contents across a system reset */
    H7_REGION_XIP = 1u << 6,       /* flash readable in place (memory-mapped): XIP segments */
};

/* Access speed class: what a placement tool optimises for. */
enum h7_region_speed {
    H7_SPEED_NONE = 0, /* not stated */
    H7_SPEED_TCM,      /* zero wait states, tightly coupled */
    H7_SPEED_FAST,     /* on-chip SRAM behind the bus matrix */
    H7_SPEED_SLOW,     /* external memory (SDRAM, memory-mapped QSPI) */
};

/* RAM that cannot be used before something initialises it. */
enum h7_region_init {
    H7_INIT_NONE = 0,
    H7_INIT_SDRAM, /* the FMC and the SDRAM device must be set up first */
};

/* DMA masters a region can be reached by (bit set). */
enum h7_dma_master {
    H7_DMA_MDMA = 1u << 0,
    H7_DMA_DMA1 = 1u << 1,
    H7_DMA_DMA2 = 1u << 2,
    H7_DMA_BDMA = 1u << 3,
    H7_DMA_SDMMC1 = 1u << 4,
    H7_DMA_SDMMC2 = 1u << 5,
    H7_DMA_OTG = 1u << 6,
};

struct h7_region {
    char name[H7_BOARD_NAME_MAX];
    uint32_t origin;
    uint32_t length;
    uint32_t flags;        /* enum h7_region_flag */
    uint8_t speed;         /* enum h7_region_speed */
    uint8_t init;          /* enum h7_region_init */
    uint32_t dma;          /* enum h7_dma_master */
    uint32_t erase_size;   /* flash: smallest erase unit in bytes, else 0 */
    uint32_t program_size; /* flash: program page in bytes, else 0 */
};

/* Named address ranges inside regions. */
enum h7_range_kind {
    H7_RANGE_RESERVED = 1, /* never written by the bootloader or its loads */
    H7_RANGE_SLOT,         /* where an application image is stored */
    H7_RANGE_WORD,         /* a single 32-bit word with a role (e.g. the boot request word) */
    H7_RANGE_PERIPH,       /* a peripheral's register block */
};

struct h7_range {
    char name[H7_BOARD_NAME_MAX];
    uint8_t kind;   /* enum h7_range_kind */
    int8_t region;  /* index into h7_board.regions, or -1 (peripherals) */
    uint32_t origin;
    uint32_t length;
};

struct h7_board {
    char name[H7_BOARD_NAME_MAX];
    char cpu[H7_BOARD_NAME_MAX];
    uint32_t n_regions;
    struct h7_region regions[H7_BOARD_MAX_REGIONS];
    uint32_t n_ranges;
    struct h7_range ranges[H7_BOARD_MAX_RANGES];
};

/*
 * Look-ups shared by host tools and firmware (boards/board_query.c).
 */

/* The region that holds [addr, addr+len) entirely, or NULL. len 0 is treated as 1. */
const struct h7_region *h7_board_region_at(const struct h7_board *b, uint32_t addr, uint32_t len);

/* A region by name, or NULL. */
const struct h7_region *h7_board_region(const struct h7_board *b, const char *name);

/* A range by kind and name (name NULL = the first of that kind), or NULL. */
const struct h7_range *h7_board_range(const struct h7_board *b, enum h7_range_kind kind,
                                      const char *name);

/* The first reserved range that overlaps [addr, addr+len), or NULL. */
const struct h7_range *h7_board_reserved_overlap(const struct h7_board *b, uint32_t addr,
                                                 uint32_t len);

/* True when [a, a+alen) and [b, b+blen) share a byte; 64-bit arithmetic, no overflow. */
static inline bool h7_ranges_overlap(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen)
{
    uint64_t a_end = (uint64_t)a + alen, b_end = (uint64_t)b + blen;
    return alen && blen && (uint64_t)a < b_end && (uint64_t)b < a_end;
}

#endif /* H7_BOARD_H */
