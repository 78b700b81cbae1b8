/*
 * pack_plan.h — from an ELF file's PT_LOAD entries to what `h7boot pack` writes: the image's
 * segments (COPY/ZERO/XIP), the bytes that belong in flash outside the slot (extra .dfu
 * elements), and the raw .bin when the app allows one. Rules: docs/image-format.md ("How a
 * packer builds an image from an ELF file").
 */
#ifndef H7BOOT_PACK_PLAN_H
#define H7BOOT_PACK_PLAN_H

#include "elf_segments.h"
#include "h7_image_write.h"
#include "image_cli.h"

#define PACK_MAX_EXTRA 32

struct pack_extra { /* bytes for flash outside the slot */
    unsigned phdr;
    uint32_t addr, size;
    const uint8_t *data;
    const char *region;
};

struct pack_plan {
    struct h7_image_build build; /* segments, entry, vector table, load address */
    const char *vector_symbol;   /* the symbol the vector table was found by, or NULL */
    unsigned n_extra;
    struct pack_extra extra[PACK_MAX_EXTRA];
};

/*
 * Classify every PT_LOAD of ef against the board and slot. vector: the --vector override or
 * NULL. Returns 0, or -1 with a message naming the program header, address and region.
 */
int pack_plan(const struct elf_file *ef, const struct h7_board *board, const struct h7_range *slot,
              const uint32_t *vector, struct pack_plan *plan, char *err, size_t errlen);

/*
 * The raw binary of a single-region app whose vector table comes first (what
 * `objcopy -O binary` writes): the file bytes of every PT_LOAD from the lowest to the highest
 * load address, gaps zero. *out is malloc'd. Returns 0, or -1 with a message saying why a .bin
 * cannot represent this ELF and what to use instead.
 */
int pack_bin(const struct elf_file *ef, const struct h7_board *board, uint32_t vector,
             uint8_t **out, size_t *len, char *err, size_t errlen);

/* Resolve the vector table address as pack_plan() does (override, symbols, word-1 scan).
 * Returns 0, or -1 with a message. */
int pack_find_vector(const struct elf_file *ef, const uint32_t *override, uint32_t *vector,
                     const char **symbol, char *err, size_t errlen);

#endif /* H7BOOT_PACK_PLAN_H */
