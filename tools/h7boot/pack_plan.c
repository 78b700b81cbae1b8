/*
 * pack_plan.c — ELF program headers -> image segments, extra flash elements, raw .bin
 * (pack_plan.h).
 */
#include "pack_plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Addresses in the ELF header and symbol table are run addresses (p_vaddr). When one lies in a
 * segment that is loaded elsewhere (p_paddr != p_vaddr) and in no segment's load range, the
 * bootloader sees it at the load address: translate. */
static uint32_t to_load_address(const struct elf_file *ef, uint32_t addr)
{
    for (unsigned i = 0; i < ef->n_loads; i++) {
        const struct elf_load *l = &ef->loads[i];
        if (l->filesz && addr >= l->paddr && (uint64_t)addr < (uint64_t)l->paddr + l->filesz)
            return addr;
    }
    for (unsigned i = 0; i < ef->n_loads; i++) {
        const struct elf_load *l = &ef->loads[i];
        if (l->filesz && addr >= l->vaddr && (uint64_t)addr < (uint64_t)l->vaddr + l->filesz)
            return l->paddr + (addr - l->vaddr);
    }
    return addr;
}

int pack_find_vector(const struct elf_file *ef, const uint32_t *override, uint32_t *vector,
                     const char **symbol, char *err, size_t errlen)
{
    static const char *const names[] = {"g_pfnVectors", "__isr_vector", "__Vectors",
                                        "__vector_table", NULL};
    *symbol = NULL;
    if (override) {
        *vector = *override;
        return 0;
    }
    const char *found = NULL;
    uint32_t v = elf_symbol(ef, names, &found);
    if (found) {
        *vector = to_load_address(ef, v);
        *symbol = found;
        return 0;
    }
    /* No conventional symbol: the first loaded segment that starts with a vector table whose
     * reset vector is the entry point. */
    for (unsigned i = 0; i < ef->n_loads; i++) {
        const struct elf_load *l = &ef->loads[i];
        if (l->filesz >= 8 && l->paddr % H7_IMAGE_VECTOR_ALIGN == 0 &&
            h7_le32(l->data + 4) == ef->entry) {
            *vector = l->paddr;
            return 0;
        }
    }
    return cli_fail(err, errlen,
                    "%s: cannot find the vector table (no symbol g_pfnVectors, __isr_vector, "
                    "__Vectors or __vector_table, and no segment starts with one whose reset "
                    "vector is the entry point 0x%08x): pass --vector ADDR",
                    ef->path, ef->entry);
}

static int add_segment(struct pack_plan *p, const struct elf_file *ef, const struct elf_load *l,
                       uint32_t dest, uint32_t size, uint8_t kind, const uint8_t *data, char *err,
                       size_t errlen)
{
    struct h7_image_build *b = &p->build;
    if (b->segment_count >= H7_IMAGE_MAX_SEGMENTS)
        return cli_fail(err, errlen, "%s: program header %u: more than %u image segments", ef->path,
                        l->index, H7_IMAGE_MAX_SEGMENTS);
    b->seg[b->segment_count++] = (struct h7_image_build_segment){dest, size, kind, data};
    return 0;
}

int pack_plan(const struct elf_file *ef, const struct h7_board *board, const struct h7_range *slot,
              const uint32_t *vector, struct pack_plan *p, char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    p->build.load_address = slot->origin;
    /* A libDaisy app (it defines daisy::boot_info) sets its clocks up from the reset state. */
    static const char *const libdaisy[] = {"_ZN5daisy9boot_infoE", NULL};
    const char *found = NULL;
    (void)elf_symbol(ef, libdaisy, &found);
    if (found)
        p->build.flags |= H7_IMAGE_FLAG_RESET_CLOCKS;
    p->build.entry = to_load_address(ef, ef->entry);
    if (pack_find_vector(ef, vector, &p->build.vector_table, &p->vector_symbol, err, errlen))
        return -1;
    uint64_t slot_end = (uint64_t)slot->origin + slot->length;

    for (unsigned i = 0; i < ef->n_loads; i++) {
        const struct elf_load *l = &ef->loads[i];
        if (l->filesz) {
            uint32_t a = l->paddr, n = l->filesz;
            bool in_slot = a >= slot->origin && (uint64_t)a + n <= slot_end;
            const struct h7_region *r = h7_board_region_at(board, a, n);
            if (!in_slot && h7_ranges_overlap(a, n, slot->origin, slot->length))
                return cli_fail(err, errlen,
                                "%s: program header %u: bytes 0x%08x..0x%08x cross the edge of "
                                "slot %s (0x%08x..0x%08llx)",
                                ef->path, l->index, a, a + n - 1, slot->name, slot->origin,
                                (unsigned long long)slot_end - 1);
            if (in_slot) {
                if (add_segment(p, ef, l, a, n, H7_SEG_XIP, l->data, err, errlen))
                    return -1;
            } else if (!r) {
                return cli_fail(err, errlen,
                                "%s: program header %u: load address range 0x%08x..0x%08x is not "
                                "inside one region of board %s",
                                ef->path, l->index, a, a + n - 1, board->name);
            } else if ((r->flags & H7_REGION_FLASH) && (r->flags & H7_REGION_XIP)) {
                if (p->n_extra >= PACK_MAX_EXTRA)
                    return cli_fail(err, errlen, "%s: more than %u flash ranges outside the slot",
                                    ef->path, PACK_MAX_EXTRA);
                p->extra[p->n_extra++] = (struct pack_extra){l->index, a, n, l->data, r->name};
            } else if (r->flags & H7_REGION_FLASH) {
                return cli_fail(err, errlen,
                                "%s: program header %u: 0x%08x..0x%08x lies in %s of board %s, "
                                "flash that neither the image nor a DFU transfer of it can write",
                                ef->path, l->index, a, a + n - 1, r->name, board->name);
            } else if (!(r->flags & H7_REGION_LOAD)) {
                return cli_fail(err, errlen,
                                "%s: program header %u: 0x%08x..0x%08x lies in %s, which the "
                                "bootloader does not load (no 'load' attribute on board %s)",
                                ef->path, l->index, a, a + n - 1, r->name, board->name);
            } else if (add_segment(p, ef, l, a, n, H7_SEG_COPY, l->data, err, errlen)) {
                return -1;
            }
        }
        if (l->memsz > l->filesz) {
            uint32_t a = l->vaddr + l->filesz, n = l->memsz - l->filesz;
            const struct h7_region *r = h7_board_region_at(board, a, n);
            if (r && (r->flags & H7_REGION_FLASH)) {
                if (h7_ranges_overlap(a, n, slot->origin, slot->length))
                    return cli_fail(err, errlen,
                                    "%s: program header %u: %u bytes of uninitialised flash data "
                                    "at 0x%08x lie inside slot %s (0x%08x..0x%08llx), where the "
                                    "image is stored: the app would overwrite its own image "
                                    "(libDaisy #587); link them outside the slot",
                                    ef->path, l->index, n, a, slot->name, slot->origin,
                                    (unsigned long long)slot_end - 1);
                /* Flash the app manages itself (e.g. the user area): nothing to load. */
                fprintf(stderr,
                        "h7boot pack: note: %s: program header %u: %u bytes of uninitialised "
                        "data in %s at 0x%08x are not part of the image\n",
                        ef->path, l->index, n, r->name, a);
                continue;
            }
            if (r && (r->flags & H7_REGION_RETAINED) && !(r->flags & H7_REGION_LOAD)) {
                /* Backup SRAM: libDaisy's boot_info (.backup_sram, NOLOAD) holds the request
                 * word and the version the bootloader writes; zeroing it would erase both
                 * (docs/image-format.md, "Backup SRAM"). Left alone, like the app's own
                 * start-up leaves it. */
                fprintf(stderr,
                        "h7boot pack: note: %s: program header %u: %u bytes of uninitialised "
                        "data in %s at 0x%08x are left as they are (retained memory, not part "
                        "of the image)\n",
                        ef->path, l->index, n, r->name, a);
                continue;
            }
            if (add_segment(p, ef, l, a, n, H7_SEG_ZERO, NULL, err, errlen))
                return -1;
        }
    }
    return 0;
}

int pack_bin(const struct elf_file *ef, const struct h7_board *board, uint32_t vector,
             uint8_t **out, size_t *len, char *err, size_t errlen)
{
    uint64_t lo = UINT64_MAX, hi = 0;
    const struct elf_load *first = NULL, *other = NULL;
    const struct h7_region *region = NULL;
    for (unsigned i = 0; i < ef->n_loads; i++) {
        const struct elf_load *l = &ef->loads[i];
        if (!l->filesz)
            continue;
        const struct h7_region *r = h7_board_region_at(board, l->paddr, l->filesz);
        if (!first) {
            first = l;
            region = r;
        } else if (r != region || !r) {
            other = l;
        }
        if (l->paddr < lo)
            lo = l->paddr;
        if ((uint64_t)l->paddr + l->filesz > hi)
            hi = (uint64_t)l->paddr + l->filesz;
    }
    if (!first)
        return cli_fail(err, errlen, "%s: no bytes to put in a .bin (every segment is zero-filled)",
                        ef->path);
    if (other) {
        return cli_fail(err, errlen,
                        "%s: a .bin is one contiguous range, but the ELF places bytes in %s "
                        "(0x%08x) and %s (0x%08x): that .bin would be %llu bytes, mostly padding. "
                        "Write an .img or .dfu instead (h7boot pack %s -o app.dfu)",
                        ef->path, cli_region_name(board, first->paddr, first->filesz), first->paddr,
                        cli_region_name(board, other->paddr, other->filesz), other->paddr,
                        (unsigned long long)(hi - lo), ef->path);
    }
    if (!region)
        return cli_fail(err, errlen, "%s: 0x%08x..0x%08x is not inside one region of board %s",
                        ef->path, first->paddr, first->paddr + first->filesz - 1, board->name);
    if (vector != lo)
        return cli_fail(err, errlen,
                        "%s: a raw .bin must start with the vector table, but the lowest loaded "
                        "address is 0x%08llx and the vector table is at 0x%08x. Write an .img or "
                        ".dfu instead",
                        ef->path, (unsigned long long)lo, vector);
    *len = (size_t)(hi - lo);
    *out = calloc(1, *len ? *len : 1);
    for (unsigned i = 0; i < ef->n_loads; i++) {
        const struct elf_load *l = &ef->loads[i];
        if (l->filesz)
            memcpy(*out + (l->paddr - lo), l->data, l->filesz);
    }
    return 0;
}
