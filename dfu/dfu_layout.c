/*
 * dfu_layout.c — the alternate settings, their DfuSe memory layouts and the USB descriptors,
 * all generated from the board description (no address is typed here).
 *
 * Layout grammar (what dfu-util's parser accepts, ../shared/facts/dfuse.md):
 *   @NAME /0xADDR/N*SIZE{B,K,M}T[,N*SIZE{B,K,M}T...][/0xADDR/...]
 * with T = 'a' + (read | erase<<1 | write<<2) - 1. A USB string holds at most 126 characters,
 * so a layout that would grow past that continues in the next alternate setting.
 */
#include "dfu_internal.h"

#include <string.h>

/* ---- bounded string building (freestanding: no snprintf) ---- */

struct sbuf {
    char *p;
    size_t len, cap; /* cap excludes the NUL */
    bool overflow;
};

static void s_put(struct sbuf *s, const char *str)
{
    while (*str) {
        if (s->len >= s->cap) {
            s->overflow = true;
            return;
        }
        s->p[s->len++] = *str++;
    }
    s->p[s->len] = '\0';
}

static void s_dec(struct sbuf *s, uint32_t v)
{
    char tmp[11];
    int i = 10;
    tmp[i] = '\0';
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    s_put(s, tmp + i);
}

static void s_hex32(struct sbuf *s, uint32_t v)
{
    char tmp[11] = "0x";
    for (int i = 0; i < 8; i++)
        tmp[2 + i] = "0123456789ABCDEF"[(v >> (28 - 4 * i)) & 15];
    tmp[10] = '\0';
    s_put(s, tmp);
}

/* "N*SIZE<mult><type>" for one segment. */
static void s_segment(struct sbuf *s, const struct h7_dfu_segment *g)
{
    uint32_t page = g->page;
    char tail[3] = {0, (char)('a' + g->perms - 1), 0};
    if (page % (1u << 20) == 0) {
        page >>= 20;
        tail[0] = 'M';
    } else if (page % 1024 == 0) {
        page >>= 10;
        tail[0] = 'K';
    } else {
        tail[0] = 'B';
    }
    s_dec(s, g->size / g->page);
    s_put(s, "*");
    s_dec(s, page);
    s_put(s, tail);
}

/* The largest of 1M, 64K, 1K, 4, 1 that divides both addr and size: the page of a segment
 * that has no erase granularity of its own (RAM, read-only views). */
static uint32_t natural_page(uint32_t addr, uint32_t size)
{
    static const uint32_t pages[] = {1u << 20, 1u << 16, 1u << 10, 4, 1};
    for (unsigned i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
        if (addr % pages[i] == 0 && size % pages[i] == 0)
            return pages[i];
    return 1;
}

static int add_segment(struct h7_dfu *d, uint8_t alt, uint8_t kind, uint8_t perms, uint32_t addr,
                       uint32_t size, uint32_t page)
{
    if (d->n_segments > 0) {
        struct h7_dfu_segment *prev = &d->segments[d->n_segments - 1];
        /* merge with a contiguous neighbour of the same kind (SRAM1-3 become one segment) */
        if (prev->alt == alt && prev->kind == kind && prev->perms == perms &&
            prev->page == page && prev->addr + prev->size == addr) {
            prev->size += size;
            return 0;
        }
    }
    if (d->n_segments >= H7_DFU_MAX_SEGMENTS) {
        d->error = "too many DFU segments for H7_DFU_MAX_SEGMENTS";
        return -1;
    }
    d->segments[d->n_segments++] = (struct h7_dfu_segment){
        .addr = addr, .size = size, .page = page, .alt = alt, .kind = kind, .perms = perms};
    return 0;
}

/* Write the layout string of `alt` from its segments; -1 if it does not fit a USB string. */
static int render_alt(struct h7_dfu *d, uint8_t alt, const char *name)
{
    struct sbuf s = {d->alt_name[alt], 0, H7_DFU_STRING_MAX, false};
    uint32_t next = 0;
    bool first = true;
    s_put(&s, "@");
    s_put(&s, name);
    s_put(&s, " ");
    for (unsigned i = 0; i < d->n_segments; i++) {
        const struct h7_dfu_segment *g = &d->segments[i];
        if (g->alt != alt)
            continue;
        if (first || g->addr != next) {
            s_put(&s, "/");
            s_hex32(&s, g->addr);
            s_put(&s, "/");
        } else {
            s_put(&s, ",");
        }
        s_segment(&s, g);
        next = g->addr + g->size;
        first = false;
    }
    if (s.overflow) {
        d->error = "a DFU memory layout does not fit in a USB string (126 characters)";
        return -1;
    }
    return 0;
}

static bool is_user_area(const struct h7_dfu *d, const struct h7_range *r)
{
    return r->kind == H7_RANGE_RESERVED && d->cfg.user_area[0] &&
           strcmp(r->name, d->cfg.user_area) == 0;
}

/* Alt 0: the flash region that holds the slot, cut at every slot/reserved range inside it. */
static int build_flash_alt(struct h7_dfu *d, const struct h7_region *reg)
{
    const struct h7_board *b = d->cfg.board;
    uint32_t cuts[2 * H7_BOARD_MAX_RANGES + 2];
    unsigned n = 0;
    uint64_t reg_end = (uint64_t)reg->origin + reg->length;

    cuts[n++] = reg->origin;
    for (uint32_t i = 0; i < b->n_ranges; i++) {
        const struct h7_range *r = &b->ranges[i];
        if ((r->kind != H7_RANGE_RESERVED && r->kind != H7_RANGE_SLOT) ||
            !h7_ranges_overlap(r->origin, r->length, reg->origin, reg->length))
            continue;
        if (r->origin > reg->origin)
            cuts[n++] = r->origin;
        if ((uint64_t)r->origin + r->length < reg_end)
            cuts[n++] = r->origin + r->length;
    }
    /* insertion sort; duplicates give empty pieces, skipped below */
    for (unsigned i = 1; i < n; i++)
        for (unsigned j = i; j > 0 && cuts[j - 1] > cuts[j]; j--) {
            uint32_t t = cuts[j];
            cuts[j] = cuts[j - 1];
            cuts[j - 1] = t;
        }
    for (unsigned i = 0; i < n; i++) {
        uint32_t a = cuts[i];
        uint64_t e = i + 1 < n ? cuts[i + 1] : reg_end;
        if (e <= a)
            continue;
        uint32_t len = (uint32_t)(e - a);
        bool writable = h7_ranges_overlap(a, len, d->slot_addr, d->slot_size);
        for (uint32_t k = 0; k < b->n_ranges && !writable; k++)
            if (is_user_area(d, &b->ranges[k]) &&
                h7_ranges_overlap(a, len, b->ranges[k].origin, b->ranges[k].length))
                writable = true;
        uint32_t page = d->cfg.page_size;
        if (a % page || len % page)
            page = d->cfg.flash->erase_size;
        if (a % page || len % page) {
            d->error = "a writable flash range is not aligned to the flash erase unit";
            return -1;
        }
        if (add_segment(d, 0, DFU_SEG_FLASH,
                        writable ? DFU_PERM_READ | DFU_PERM_ERASE | DFU_PERM_WRITE : DFU_PERM_READ,
                        a, len, page))
            return -1;
    }
    d->n_alts = 1;
    return render_alt(d, 0, "Flash");
}

/* Add [a, a+len) of a region minus every reserved range in it, to `alt`. */
static int add_minus_reserved(struct h7_dfu *d, uint8_t alt, uint32_t a, uint32_t len)
{
    const struct h7_board *b = d->cfg.board;
    uint64_t end = (uint64_t)a + len;
    uint64_t pos = a;
    while (pos < end) {
        /* the reserved range starting lowest at or after pos that overlaps [pos, end) */
        const struct h7_range *cut = NULL;
        for (uint32_t i = 0; i < b->n_ranges; i++) {
            const struct h7_range *r = &b->ranges[i];
            if (r->kind != H7_RANGE_RESERVED ||
                !h7_ranges_overlap(r->origin, r->length, (uint32_t)pos, (uint32_t)(end - pos)))
                continue;
            if (!cut || r->origin < cut->origin)
                cut = r;
        }
        uint64_t piece_end = cut ? (cut->origin > pos ? cut->origin : pos) : end;
        if (piece_end > pos) {
            uint32_t pa = (uint32_t)pos, pl = (uint32_t)(piece_end - pos);
            if (add_segment(d, alt, DFU_SEG_MEM, DFU_PERM_READ | DFU_PERM_WRITE, pa, pl,
                            natural_page(pa, pl)))
                return -1;
        }
        if (!cut)
            break;
        pos = (uint64_t)cut->origin + cut->length;
    }
    return 0;
}

/* Alts 1..: the loadable RAM, as few alts as the 126-character strings allow. */
static int build_ram_alts(struct h7_dfu *d)
{
    const struct h7_board *b = d->cfg.board;
    uint8_t alt = d->n_alts;
    bool any = false;
    for (uint32_t i = 0; i < b->n_regions; i++) {
        const struct h7_region *r = &b->regions[i];
        if (!(r->flags & H7_REGION_RAM) || !(r->flags & H7_REGION_LOAD))
            continue;
        if (alt >= H7_DFU_MAX_ALTS) {
            d->error = "too many DFU alternate settings for H7_DFU_MAX_ALTS";
            return -1;
        }
        unsigned before = d->n_segments;
        if (add_minus_reserved(d, alt, r->origin, r->length))
            return -1;
        if (render_alt(d, alt, "RAM")) {
            /* too long: move this region's segments to a fresh alt */
            if (!any || alt + 1 >= H7_DFU_MAX_ALTS)
                return -1;
            for (unsigned k = before; k < d->n_segments; k++)
                d->segments[k].alt = (uint8_t)(alt + 1);
            render_alt(d, alt, "RAM"); /* re-render without them */
            alt++;
            if (render_alt(d, alt, "RAM"))
                return -1;
        }
        any = true;
    }
    d->error = NULL;
    if (any)
        d->n_alts = (uint8_t)(alt + 1);
    return 0;
}

/* Alts n..: a read-only view of each reserved range in another flash region (the
 * bootloader's own internal flash). */
static int build_protected_alts(struct h7_dfu *d, const struct h7_region *slot_region)
{
    const struct h7_board *b = d->cfg.board;
    for (uint32_t i = 0; i < b->n_ranges; i++) {
        const struct h7_range *r = &b->ranges[i];
        const struct h7_region *reg = r->region >= 0 ? &b->regions[r->region] : NULL;
        if (r->kind != H7_RANGE_RESERVED || !reg || !(reg->flags & H7_REGION_FLASH) ||
            reg == slot_region)
            continue;
        if (d->n_alts >= H7_DFU_MAX_ALTS) {
            d->error = "too many DFU alternate settings for H7_DFU_MAX_ALTS";
            return -1;
        }
        uint8_t alt = d->n_alts++;
        if (add_segment(d, alt, DFU_SEG_MEM, DFU_PERM_READ, r->origin, r->length,
                        natural_page(r->origin, r->length)) ||
            render_alt(d, alt, r->name))
            return -1;
    }
    return 0;
}

int dfu_layout_build(struct h7_dfu *d)
{
    const struct h7_board *b = d->cfg.board;
    const struct h7_flash *f = d->cfg.flash;
    const struct h7_range *slot = h7_board_range(b, H7_RANGE_SLOT, NULL);
    if (!slot) {
        d->error = "the board has no slot";
        return -1;
    }
    const struct h7_region *reg = h7_board_region_at(b, slot->origin, slot->length);
    if (!reg || !(reg->flags & H7_REGION_FLASH)) {
        d->error = "the board's slot is not inside a flash region";
        return -1;
    }
    if (f->base != reg->origin || f->size < reg->length) {
        d->error = "the flash device does not cover the slot's flash region (base or size)";
        return -1;
    }
    if (f->erase_size == 0 || f->erase_size > H7_DFU_SECTOR_MAX ||
        (f->erase_size & (f->erase_size - 1)) || f->program_size == 0 ||
        f->program_size > 256 || f->erase_size % f->program_size ||
        f->size / f->erase_size > H7_DFU_MAX_SECTORS) {
        d->error = "flash geometry not supported (erase unit <= 4 KB, program page <= 256 B)";
        return -1;
    }
    if (d->cfg.page_size % f->erase_size || (d->cfg.page_size & (d->cfg.page_size - 1))) {
        d->error = "the DfuSe page size is not a power-of-two multiple of the erase unit";
        return -1;
    }
    d->slot_addr = slot->origin;
    d->slot_size = slot->length;
    d->n_segments = 0;
    d->n_alts = 0;
    if (build_flash_alt(d, reg) || build_ram_alts(d) || build_protected_alts(d, reg))
        return -1;
    return 0;
}

const struct h7_dfu_segment *dfu_segment_at(const struct h7_dfu *d, unsigned alt, uint32_t addr)
{
    for (unsigned i = 0; i < d->n_segments; i++) {
        const struct h7_dfu_segment *g = &d->segments[i];
        if (g->alt == alt && addr >= g->addr && addr - g->addr < g->size)
            return g;
    }
    return NULL;
}

/* ---- descriptors ---- */

enum { DESC_DEVICE = 1, DESC_CONFIGURATION = 2, DESC_STRING = 3, DESC_INTERFACE = 4,
       DESC_DFU_FUNCTIONAL = 0x21 };
enum { STR_MANUFACTURER = 1, STR_PRODUCT = 2, STR_SERIAL = 3, STR_FIRST_ALT = 4 };

static size_t device_descriptor(const struct h7_dfu *d, uint8_t *o)
{
    const struct h7_dfu_config *c = &d->cfg;
    const uint8_t desc[18] = {
        18, DESC_DEVICE, 0x00, 0x02,        /* USB 2.0 */
        0, 0, 0, 64,                        /* class per interface; EP0 64 bytes */
        (uint8_t)c->vid, (uint8_t)(c->vid >> 8), (uint8_t)c->pid, (uint8_t)(c->pid >> 8),
        (uint8_t)c->bcd_device, (uint8_t)(c->bcd_device >> 8),
        STR_MANUFACTURER, STR_PRODUCT, STR_SERIAL, 1};
    memcpy(o, desc, sizeof(desc));
    return sizeof(desc);
}

static size_t functional_descriptor(const struct h7_dfu *d, uint8_t *o)
{
    const uint8_t desc[9] = {
        9, DESC_DFU_FUNCTIONAL,
        0x0B,       /* bitWillDetach | bitCanUpload | bitCanDnload; not manifestation tolerant */
        0xFF, 0x00, /* wDetachTimeOut 255 ms */
        (uint8_t)d->cfg.transfer_size, (uint8_t)(d->cfg.transfer_size >> 8),
        0x1A, 0x01}; /* bcdDFUVersion 1.1a: DfuSe */
    memcpy(o, desc, sizeof(desc));
    return sizeof(desc);
}

/* Configuration, one interface descriptor per alt, then the DFU functional descriptor. */
static size_t configuration_descriptor(const struct h7_dfu *d, uint8_t *o)
{
    size_t total = 9 + 9u * d->n_alts + 9;
    const uint8_t cfg[9] = {9, DESC_CONFIGURATION, (uint8_t)total, (uint8_t)(total >> 8),
                            1, 1, 0, 0x80, 50}; /* 1 interface, value 1, bus powered 100 mA */
    memcpy(o, cfg, 9);
    for (unsigned a = 0; a < d->n_alts; a++) {
        const uint8_t intf[9] = {9, DESC_INTERFACE, 0, (uint8_t)a, 0, 0xFE, 0x01, 0x02,
                                 (uint8_t)(STR_FIRST_ALT + a)};
        memcpy(o + 9 + 9 * a, intf, 9);
    }
    functional_descriptor(d, o + 9 + 9u * d->n_alts);
    return total;
}

size_t h7_dfu_descriptors(const struct h7_dfu *d, uint8_t *out, size_t max)
{
    size_t need = 18 + 9 + 9u * d->n_alts + 9;
    if (max < need)
        return 0;
    device_descriptor(d, out);
    configuration_descriptor(d, out + 18);
    return need;
}

static const char *string_text(const struct h7_dfu *d, uint8_t index)
{
    switch (index) {
    case STR_MANUFACTURER:
        return d->cfg.manufacturer;
    case STR_PRODUCT:
        return d->product;
    case STR_SERIAL:
        return d->cfg.serial;
    default:
        if (index >= STR_FIRST_ALT && index - STR_FIRST_ALT < d->n_alts)
            return d->alt_name[index - STR_FIRST_ALT];
        return NULL;
    }
}

/* Copy a descriptor into the reply, truncated to the host's wLength. Returns the length or
 * H7_DFU_STALL for an unknown descriptor. */
int dfu_descriptor(const struct h7_dfu *d, uint8_t type, uint8_t index, uint8_t *buf,
                   uint16_t max)
{
    uint8_t tmp[2 + 2 * H7_DFU_STRING_MAX];
    size_t n;
    switch (type) {
    case DESC_DEVICE:
        n = device_descriptor(d, tmp);
        break;
    case DESC_CONFIGURATION:
        if (index != 0)
            return H7_DFU_STALL;
        n = 18 + 9 + 9u * d->n_alts + 9 <= sizeof(tmp) ? configuration_descriptor(d, tmp) : 0;
        break;
    case DESC_DFU_FUNCTIONAL:
        n = functional_descriptor(d, tmp);
        break;
    case DESC_STRING:
        if (index == 0) { /* supported languages: English (US) */
            const uint8_t langs[4] = {4, DESC_STRING, 0x09, 0x04};
            memcpy(tmp, langs, 4);
            n = 4;
        } else {
            const char *s = string_text(d, index);
            if (!s)
                return H7_DFU_STALL;
            size_t len = strlen(s);
            if (len > H7_DFU_STRING_MAX)
                len = H7_DFU_STRING_MAX;
            tmp[0] = (uint8_t)(2 + 2 * len);
            tmp[1] = DESC_STRING;
            for (size_t i = 0; i < len; i++) { /* ASCII to UTF-16LE */
                tmp[2 + 2 * i] = (uint8_t)s[i];
                tmp[3 + 2 * i] = 0;
            }
            n = tmp[0];
        }
        break;
    default:
        return H7_DFU_STALL;
    }
    if (n == 0)
        return H7_DFU_STALL;
    if (n > max)
        n = max;
    memcpy(buf, tmp, n);
    return (int)n;
}

/* "h7boot DFU (<board>)", built once at init. */
void dfu_layout_product(struct h7_dfu *d)
{
    struct sbuf s = {d->product, 0, H7_DFU_STRING_MAX, false};
    s_put(&s, "h7boot DFU (");
    s_put(&s, d->cfg.board->name);
    s_put(&s, ")");
}
