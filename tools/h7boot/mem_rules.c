/*
 * mem_rules.c — the rules of `h7boot check` (see mem_rules.h and docs/memory.md).
 */
#include "mem_rules.h"

#include <ctype.h>
#include <stdarg.h>
#include <string.h>

#include "mem_kind.h"

enum {
    R_OVERFLOW,
    R_NO_REGION,
    R_DMA_TCM,
    R_SD_DMA,
    R_QSPI_SLOT,
    R_QSPI_BIN,
    R_SDRAM_DATA,
    R_NULL_ADDR,
    R_STACK,
    R_QSPI_BSS_RAM,
    R_RESERVED,
};

const struct h7_rule_info h7_rules[] = {
    [R_OVERFLOW] = {"H7-OVERFLOW", H7_RULE_ERROR, "a region holds more than it is long"},
    [R_NO_REGION] = {"H7-NO-REGION", H7_RULE_ERROR, "a section lies outside every region"},
    [R_DMA_TCM] = {"H7-DMA-TCM", H7_RULE_ERROR, "a DMA buffer in memory DMA1/DMA2/BDMA cannot reach"},
    [R_SD_DMA] = {"H7-SD-DMA", H7_RULE_ERROR, "an SD card/FatFs object outside SDMMC1's reach"},
    [R_QSPI_SLOT] = {"H7-QSPI-SLOT", H7_RULE_ERROR,
                     "a variable on top of the stored application image (libDaisy #587)"},
    [R_QSPI_BIN] = {"H7-QSPI-BIN", H7_RULE_ERROR,
                    "load images in RAM and in QSPI make a huge .bin (libDaisy #545)"},
    [R_SDRAM_DATA] = {"H7-SDRAM-DATA", H7_RULE_ERROR,
                      "initialised data in SDRAM that nothing initialises in time"},
    [R_NULL_ADDR] = {"H7-NULL-ADDR", H7_RULE_ERROR, "an object or function at address 0 (ITCM)"},
    [R_STACK] = {"H7-STACK-MARGIN", H7_RULE_WARNING, "little room between data and stack top"},
    [R_QSPI_BSS_RAM] = {"H7-QSPI-BSS-RAM", H7_RULE_ERROR,
                        "a QSPI variable (DSY_QSPI_BSS) that was linked into RAM"},
    [R_RESERVED] = {"H7-RESERVED", H7_RULE_ERROR,
                    "a section on memory h7boot keeps for itself (BOOT_RAM, its flash)"},
    {0},
};

struct run {
    const struct h7_mem_input *in;
    const struct h7_rule_options *opt;
    h7_rule_report_fn report;
    void *ctx;
    size_t errors;
};

static void finding(struct run *r, int rule, const char *fix, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->errors += h7_rules[rule].level == H7_RULE_ERROR;
    r->report(r->ctx, &h7_rules[rule], msg, fix);
}

static bool prefix(const char *s, const char *p) { return !strncmp(s, p, strlen(p)); }

static bool icontains(const char *s, const char *needle)
{
    size_t n = strlen(needle);
    for (; *s; s++) {
        size_t i = 0;
        while (i < n && s[i] && tolower((unsigned char)s[i]) == needle[i])
            i++;
        if (i == n)
            return true;
    }
    return false;
}

/* DMA memory is marked by its output section name: h7_sections.h's H7_DMA (.h7_dma*),
 * libDaisy's DMA_BUFFER_MEM_SECTION (.sram1_bss) and the common .dma_buffer / .dma*. */
static bool dma_section(const char *name)
{
    return prefix(name, ".h7_dma") || prefix(name, ".dma") || prefix(name, ".sram1_bss");
}

/* SD card / FatFs state, by object name (docs/memory.md lists the names). */
static bool sd_object(const char *name)
{
    static const char *const parts[] = {"fatfs", "sdfile", "sdmmc", "sd_card", "sdcard", "sd_buf"};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (icontains(name, parts[i]))
            return true;
    return !strcmp(name, "hsd1") || !strcmp(name, "SDPath") || prefix(name, ".h7_sd");
}

static bool stack_section(const char *name)
{
    return !strcmp(name, ".h7_stack") || !strcmp(name, ".h7_heap") || !strcmp(name, ".stack") ||
           !strcmp(name, ".heap") || !strcmp(name, "._user_heap_stack");
}

static void rule_overflow(struct run *r)
{
    const struct h7_mem_usage *u = &r->in->usage;
    for (size_t i = 0; i < u->n_regions; i++) {
        const struct h7_mem_region_use *ru = &u->regions[i];
        if (ru->used > ru->region->length)
            finding(r, R_OVERFLOW,
                    ru->region->flags & H7_REGION_FLASH
                        ? "store the program in QSPI (h7boot ld with preset daisy-boot-qspi, "
                          "qspi-xip or ram-load), or move large constants there "
                          "('place symbol NAME -> QSPI')"
                        : "let it spill into the next region (h7boot ld: 'place section .bss "
                          ".bss.* COMMON -> DTCM, AXI_SRAM'), or pin big objects elsewhere",
                    "region %s overflowed by %u bytes (%u used of %u)", ru->region->name,
                    (unsigned)(ru->used - ru->region->length), (unsigned)ru->used,
                    (unsigned)ru->region->length);
    }
    for (size_t i = 0; i < u->n_outside; i++)
        finding(r, R_NO_REGION, "link with a script made for this board (h7boot ld)",
                "section %s (0x%08x, %u bytes) lies in no region of board %s",
                u->outside[i]->name, (unsigned)u->outside[i]->addr,
                (unsigned)u->outside[i]->size, r->in->board.name);
}

/* The region something starts in (an overflowing section still belongs to its region). */
static const struct h7_region *region_of(struct run *r, uint32_t addr, uint32_t size)
{
    (void)size;
    return h7_board_region_at(&r->in->board, addr, 1);
}

static void rule_dma(struct run *r)
{
    const struct h7_elf *e = &r->in->elf;
    const uint32_t general = H7_DMA_DMA1 | H7_DMA_DMA2 | H7_DMA_BDMA;
    for (size_t i = 0; i < e->n_sections; i++) {
        const struct h7_elf_section *s = &e->sections[i];
        const struct h7_region *g = region_of(r, s->addr, s->size);
        if (!s->size || !g || !dma_section(s->name) || (g->dma & general))
            continue;
        finding(r, R_DMA_TCM,
                "put DMA buffers in D2 SRAM or AXI SRAM (H7_DMA from h7_sections.h, or "
                "'place section .dma_buffer -> SRAM1' in the placement file)",
                "DMA section %s (0x%08x, %u bytes) is in %s, which DMA1/DMA2/BDMA cannot reach",
                s->name, (unsigned)s->addr, (unsigned)s->size, g->name);
    }
    for (size_t i = 0; i < e->n_symbols; i++) {
        const struct h7_elf_symbol *y = &e->symbols[i];
        const struct h7_region *g = region_of(r, y->addr, y->size);
        if (y->func || !g || !sd_object(y->name) || (g->dma & H7_DMA_SDMMC1))
            continue;
        finding(r, R_SD_DMA,
                "put SD card and FatFs objects in AXI SRAM or SDRAM (H7_SD from h7_sections.h)",
                "SD/FatFs object %s (0x%08x, %u bytes) is in %s, which SDMMC1 cannot reach",
                y->name, (unsigned)y->addr, (unsigned)y->size, g->name);
    }
}

/* What kind of app the ELF is, by where it starts: the words the findings use. */
static const char *app_kind(struct run *r, const struct h7_range *slot)
{
    uint32_t entry = r->in->elf.entry;
    const struct h7_region *g = h7_board_region_at(&r->in->board, entry & ~1u, 1);
    if (slot && entry >= slot->origin && entry - slot->origin < slot->length)
        return "XIP";
    if (g && (g->flags & H7_REGION_RAM))
        return "RAM-loaded";
    return "internal-flash";
}

static const char *loader_name(const struct h7_rule_options *opt)
{
    return opt->loader == H7_LOADER_H7BOOT ? "h7boot" : "the Daisy bootloader";
}

/* The most room an h7boot image of a RAM-loaded app takes at the start of the slot: header
 * and segment table (4 KB, as h7boot ld reserves), then every load image, 4-byte aligned. */
static uint64_t stored_image_room(struct run *r)
{
    const struct h7_elf *e = &r->in->elf;
    uint64_t room = 0x1000;
    for (size_t i = 0; i < e->n_sections; i++) {
        const struct h7_elf_section *s = &e->sections[i];
        const struct h7_region *g = h7_board_region_at(&r->in->board, s->lma, 1);
        if (!s->nobits && s->size && g && (g->flags & H7_REGION_RAM))
            room += ((uint64_t)s->size + 3) & ~3ull;
    }
    return room;
}

static void rule_qspi(struct run *r)
{
    const struct h7_board *b = &r->in->board;
    const struct h7_elf *e = &r->in->elf;
    /* Without a bootloader nothing reads an image from the slot. */
    for (size_t k = 0; k < b->n_ranges && r->opt->loader != H7_LOADER_NONE; k++) {
        const struct h7_range *slot = &b->ranges[k];
        if (slot->kind != H7_RANGE_SLOT)
            continue;
        bool xip = e->entry >= slot->origin && e->entry - slot->origin < slot->length;
        uint64_t image_end = slot->origin + stored_image_room(r);
        for (size_t i = 0; i < e->n_sections; i++) {
            const struct h7_elf_section *s = &e->sections[i];
            if (!s->size || !h7_ranges_overlap(s->addr, s->size, slot->origin, slot->length))
                continue;
            if (xip && !s->nobits)
                continue; /* code and constants of an app that runs in place */
            /* h7boot images carry constants linked in the slot after the stored image as
             * read-in-place segments (what h7boot ld does with QSPI data by default). */
            if (!xip && !s->nobits && r->opt->loader == H7_LOADER_H7BOOT && s->addr >= image_end)
                continue;
            finding(r, R_QSPI_SLOT,
                    s->nobits || r->opt->loader == H7_LOADER_H7BOOT
                        ? "keep QSPI variables out of the image: link them into the user area "
                          "before the slot (h7boot ld does), data with contents after the "
                          "image (h7boot ld: '@ image-end', its default)"
                        : "boot an h7boot image (h7boot pack; check --loader h7boot): it carries "
                          "data linked after the image in the slot (h7boot ld's default); or "
                          "link it into the 256 KB user area ('-> QSPI @ USER_AREA'), or run the "
                          "whole app from QSPI (BOOT_QSPI)",
                    "%s (0x%08x, %u bytes) lies in slot %s (0x%08x..0x%08x), where %s reads "
                    "this %s app's image from",
                    s->name, (unsigned)s->addr, (unsigned)s->size, slot->name,
                    (unsigned)slot->origin, (unsigned)(slot->origin + slot->length - 1),
                    loader_name(r->opt), app_kind(r, slot));
        }
    }
    if (!r->opt->bin)
        return;
    uint64_t lo = UINT64_MAX, hi = 0;
    const struct h7_elf_section *first = NULL, *last = NULL;
    for (size_t i = 0; i < e->n_sections; i++) {
        const struct h7_elf_section *s = &e->sections[i];
        if (s->nobits || !s->size)
            continue;
        if (s->lma < lo)
            lo = s->lma, first = s;
        if ((uint64_t)s->lma + s->size > hi)
            hi = (uint64_t)s->lma + s->size, last = s;
    }
    if (first && hi - lo > r->opt->max_bin)
        finding(r, R_QSPI_BIN,
                "pack an h7boot image instead of a .bin (h7boot pack), or link the QSPI data's "
                "load image next to the code",
                "a .bin of this ELF would be %llu bytes: %s loads at 0x%08x and %s at 0x%08x",
                (unsigned long long)(hi - lo), first->name, (unsigned)first->lma, last->name,
                (unsigned)last->lma);
}

static void rule_sdram(struct run *r)
{
    const struct h7_elf *e = &r->in->elf;
    uint32_t hook;
    bool has_hook = h7_elf_symbol_addr(e, "h7_memory_init", &hook);
    for (size_t i = 0; i < e->n_sections; i++) {
        const struct h7_elf_section *s = &e->sections[i];
        const struct h7_region *g = region_of(r, s->addr, s->size);
        if (!s->size || s->nobits || !g || g->init == H7_INIT_NONE)
            continue;
        bool loaded = s->lma == s->addr; /* placed by a loader, not copied by the startup */
        if (loaded ? r->opt->loader == H7_LOADER_H7BOOT : has_hook)
            continue;
        finding(r, R_SDRAM_DATA,
                loaded ? "load the app with h7boot (it initialises SDRAM before loading; "
                         "check --loader h7boot), or make the data zero-initialised"
                       : "define h7_memory_init() (runs before the copy tables) to set up "
                         "SDRAM, or use H7_SDRAM_BSS and fill the data at run time",
                "initialised section %s (0x%08x, %u bytes) is in %s, which needs initialising "
                "before %s",
                s->name, (unsigned)s->addr, (unsigned)s->size, g->name,
                loaded ? "a loader can write it" : "the startup copies into it");
    }
}

static void rule_null(struct run *r)
{
    const struct h7_elf *e = &r->in->elf;
    const struct h7_region *g = region_of(r, 0, 1);
    if (!g || !(g->flags & H7_REGION_RAM))
        return;
    for (size_t i = 0; i < e->n_symbols; i++)
        if (e->symbols[i].addr == 0)
            finding(r, R_NULL_ADDR,
                    "leave the first bytes of the region unused (h7boot ld reserves 32 bytes "
                    "at address 0)",
                    "%s %s is at address 0 in %s: its address compares equal to NULL",
                    e->symbols[i].func ? "function" : "object", e->symbols[i].name, g->name);
}

static void rule_stack(struct run *r)
{
    static const char *const tops[] = {"__StackTop", "_estack", "__stack"};
    const struct h7_elf *e = &r->in->elf;
    uint32_t top = 0;
    size_t k;
    for (k = 0; k < sizeof tops / sizeof tops[0]; k++)
        if (h7_elf_symbol_addr(e, tops[k], &top))
            break;
    if (k == sizeof tops / sizeof tops[0] || top == 0)
        return;
    const struct h7_region *g = region_of(r, top - 1, 1);
    if (!g)
        return;
    uint32_t end = g->origin;
    const char *last = NULL;
    for (size_t i = 0; i < e->n_sections; i++) {
        const struct h7_elf_section *s = &e->sections[i];
        uint64_t s_end = (uint64_t)s->addr + s->size;
        if (!s->size || stack_section(s->name) || s->addr < g->origin || s_end > top)
            continue;
        if (s_end > end)
            end = (uint32_t)s_end, last = s->name;
    }
    if (top - end < r->opt->min_stack)
        finding(r, R_STACK,
                "move data out of the stack's region (spill '.bss -> DTCM, AXI_SRAM'), or lower "
                "--min-stack if the stack really needs less",
                "only %u bytes between the end of %s (0x%08x) and the stack top %s (0x%08x) in "
                "%s; at least %u wanted",
                (unsigned)(top - end), last ? last : "the region start", (unsigned)end, tops[k],
                (unsigned)top, g->name, (unsigned)r->opt->min_stack);
}

/* libDaisy's DSY_QSPI_BSS puts a buffer in .qspiflash_bss. libDaisy's BOOT_QSPI script has
 * no such output section (it is commented out), so ld places the orphan after .data in AXI
 * SRAM: the buffer is plain RAM, and hw.qspi.Erase/Write on its address program nothing. */
static void rule_qspi_bss(struct run *r)
{
    const struct h7_elf *e = &r->in->elf;
    for (size_t i = 0; i < e->n_sections; i++) {
        const struct h7_elf_section *s = &e->sections[i];
        const struct h7_region *g = region_of(r, s->addr, s->size);
        if (!s->size || !g || !(g->flags & H7_REGION_RAM) ||
            !(prefix(s->name, ".qspiflash_bss") || prefix(s->name, ".h7_qspi_bss")))
            continue;
        const char *what = "";
        for (size_t k = 0; k < e->n_symbols && !*what; k++)
            if (e->symbols[k].shndx == s->index)
                what = e->symbols[k].name;
        finding(r, R_QSPI_BSS_RAM,
                "link with a script from h7boot ld (h7boot.mk: make h7boot-ld, then "
                "LDSCRIPT=build/h7boot.ld), which keeps DSY_QSPI_BSS in the QSPI user area "
                "before the app slot; or build with APP_TYPE = BOOT_SRAM, whose script has a "
                ".qspiflash_bss section",
                "QSPI variable section %s%s%s%s (0x%08x, %u bytes) is in %s, not in QSPI: the "
                "%s app's linker script has no output section for it, so writes through the "
                "QSPI driver to its address program nothing",
                s->name, *what ? " (" : "", what, *what ? ")" : "", (unsigned)s->addr,
                (unsigned)s->size, g->name, app_kind(r, h7_board_range(&r->in->board, H7_RANGE_SLOT, NULL)));
    }
}

/* Memory the h7boot bootloader keeps: its RAM while it loads an image (BOOT_RAM; a loaded or
 * zeroed section there overwrites the loader's stack) and reserved non-XIP flash (its own
 * sector). Reserves in XIP flash (the QSPI user area) are free for the app's own data. */
static void rule_reserved(struct run *r)
{
    if (r->opt->loader != H7_LOADER_H7BOOT)
        return;
    const struct h7_board *b = &r->in->board;
    const struct h7_elf *e = &r->in->elf;
    for (size_t k = 0; k < b->n_ranges; k++) {
        const struct h7_range *g = &b->ranges[k];
        if (g->kind != H7_RANGE_RESERVED || g->region < 0)
            continue;
        const struct h7_region *rg = &b->regions[g->region];
        bool ram = (rg->flags & H7_REGION_RAM) != 0;
        if (!ram && (rg->flags & H7_REGION_XIP))
            continue;
        for (size_t i = 0; i < e->n_sections; i++) {
            const struct h7_elf_section *s = &e->sections[i];
            if (!h7_ranges_overlap(s->addr, s->size, g->origin, g->length) || (!ram && s->nobits))
                continue;
            finding(r, R_RESERVED,
                    ram ? "link it below the reserved range or in another region (scripts from "
                          "h7boot ld leave BOOT_RAM out and assert it)"
                        : "build the app for the slot (APP_TYPE = BOOT_SRAM or BOOT_QSPI, or an "
                          "h7boot ld preset other than internal-flash)",
                    "%s (0x%08x..0x%08x) overlaps %s (0x%08x..0x%08x), %s",
                    s->name, (unsigned)s->addr, (unsigned)(s->addr + s->size - 1), g->name,
                    (unsigned)g->origin, (unsigned)(g->origin + g->length - 1),
                    ram ? "h7boot's RAM while it loads the image: h7boot pack refuses it"
                        : "where h7boot itself is stored: flashing the app would erase the "
                          "bootloader");
        }
    }
}

size_t h7_rules_run(const struct h7_mem_input *in, const struct h7_rule_options *opt,
                    h7_rule_report_fn report, void *ctx)
{
    struct run r = {in, opt, report, ctx, 0};
    rule_overflow(&r);
    rule_dma(&r);
    rule_qspi(&r);
    rule_sdram(&r);
    rule_null(&r);
    rule_stack(&r);
    rule_qspi_bss(&r);
    rule_reserved(&r);
    return r.errors;
}
