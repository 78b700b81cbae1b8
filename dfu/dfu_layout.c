/*
 * dfu_layout.c — the alternate settings, their DfuSe memory layouts and the USB descriptors,
 * all generated from the board description (no address is typed here). Host code: the host
 * port calls h7_dfu_layout_build() at run time; a firmware tree runs it on the build machine
 * (dfu_layout_gen.c) and links only its output, a constant struct h7_dfu_layout.
 *
 * Layout grammar (what dfu-util's parser accepts, ../shared/facts/dfuse.md):
 *   @NAME /0xADDR/N*SIZE{B,K,M}T[,N*SIZE{B,K,M}T...][/0xADDR/...]
 * with T = 'a' + (read | erase<<1 | write<<2) - 1. A USB string holds at most 126 characters,
 * so a layout that would grow past that continues in the next alternate setting.
 */
#include "dfu_internal.h"

#include <string.h>

/* The layout being built. */
struct build {
    struct h7_dfu_layout_store *o;
    const struct h7_board *board;
    struct h7_dfu_layout_params p;
    uint32_t slot_addr, slot_size, erase_size;
    uint8_t n_alts, n_segments;
    const char *error;
};

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
    uint32_t page = 1u << g->page_shift;
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
    s_dec(s, g->size >> g->page_shift);
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

static int add_segment(struct build *d, uint8_t alt, uint8_t kind, uint8_t perms, uint32_t addr,
                       uint32_t size, uint32_t page)
{
    if (d->n_segments > 0) {
        struct h7_dfu_segment *prev = &d->o->segments[d->n_segments - 1];
        /* merge with a contiguous neighbour of the same kind (SRAM1-3 become one segment) */
        if (prev->alt == alt && prev->kind == kind && prev->perms == perms &&
            1u << prev->page_shift == page && prev->addr + prev->size == addr) {
            prev->size += size;
            return 0;
        }
    }
    if (d->n_segments >= H7_DFU_MAX_SEGMENTS) {
        d->error = "too many DFU segments for H7_DFU_MAX_SEGMENTS";
        return -1;
    }
    uint8_t shift = 0;
    while (1u << shift < page) /* pages are powers of two */
        shift++;
    d->o->segments[d->n_segments++] = (struct h7_dfu_segment){
        .addr = addr, .size = size, .alt = alt, .kind = kind, .perms = perms, .page_shift = shift};
    return 0;
}

/* Write the layout string of `alt` from its segments; -1 if it does not fit a USB string. */
static int render_alt(struct build *d, uint8_t alt, const char *name)
{
    struct sbuf s = {d->o->alt_name[alt], 0, H7_DFU_STRING_MAX, false};
    uint32_t next = 0;
    bool first = true;
    s_put(&s, "@");
    s_put(&s, name);
    s_put(&s, " ");
    for (unsigned i = 0; i < d->n_segments; i++) {
        const struct h7_dfu_segment *g = &d->o->segments[i];
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

static bool is_user_area(const struct build *d, const struct h7_range *r)
{
    return r->kind == H7_RANGE_RESERVED && d->p.user_area[0] &&
           strcmp(r->name, d->p.user_area) == 0;
}

/* Alt 0: the flash region that holds the slot, cut at every slot/reserved range inside it. */
static int build_flash_alt(struct build *d, const struct h7_region *reg)
{
    const struct h7_board *b = d->board;
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
        uint32_t page = d->p.page_size;
        if (a % page || len % page)
            page = d->erase_size;
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
static int add_minus_reserved(struct build *d, uint8_t alt, uint32_t a, uint32_t len)
{
    const struct h7_board *b = d->board;
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
static int build_ram_alts(struct build *d)
{
    const struct h7_board *b = d->board;
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
                d->o->segments[k].alt = (uint8_t)(alt + 1);
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
static int build_protected_alts(struct build *d, const struct h7_region *slot_region)
{
    const struct h7_board *b = d->board;
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

/* ---- descriptors ---- */

/* Device descriptor, then the configuration: one interface descriptor per alt, then the DFU
 * functional descriptor. */
static void descriptors(struct build *d)
{
    uint8_t *o = d->o->descriptors;
    const struct h7_dfu_layout_params *c = &d->p;
    size_t total = 9 + 9u * d->n_alts + 9;
    const uint8_t dev[18] = {
        18, DFU_DESC_DEVICE, 0x00, 0x02, /* USB 2.0 */
        0, 0, 0, 64,                     /* class per interface; EP0 64 bytes */
        (uint8_t)c->vid, (uint8_t)(c->vid >> 8), (uint8_t)c->pid, (uint8_t)(c->pid >> 8),
        (uint8_t)c->bcd_device, (uint8_t)(c->bcd_device >> 8),
        DFU_STR_MANUFACTURER, DFU_STR_PRODUCT, DFU_STR_SERIAL, 1};
    const uint8_t cfg[9] = {9, DFU_DESC_CONFIGURATION, (uint8_t)total, (uint8_t)(total >> 8),
                            1, 1, 0, 0x80, 50}; /* 1 interface, value 1, bus powered 100 mA */
    const uint8_t func[9] = {
        9, DFU_DESC_FUNCTIONAL,
        0x0B,       /* bitWillDetach | bitCanUpload | bitCanDnload; not manifestation tolerant */
        0xFF, 0x00, /* wDetachTimeOut 255 ms */
        (uint8_t)c->transfer_size, (uint8_t)(c->transfer_size >> 8),
        0x1A, 0x01}; /* bcdDFUVersion 1.1a: DfuSe */
    memcpy(o, dev, 18);
    memcpy(o + 18, cfg, 9);
    for (unsigned a = 0; a < d->n_alts; a++) {
        const uint8_t intf[9] = {9, DFU_DESC_INTERFACE, 0, (uint8_t)a, 0, 0xFE, 0x01, 0x02,
                                 (uint8_t)(DFU_STR_FIRST_ALT + a)};
        memcpy(o + 27 + 9 * a, intf, 9);
    }
    memcpy(o + 27 + 9u * d->n_alts, func, 9);
}

static int check_geometry(struct build *d, const struct h7_region *reg)
{
    uint32_t es = reg->erase_size, ps = reg->program_size, page = d->p.page_size;
    if (es == 0 || es > H7_DFU_SECTOR_MAX || (es & (es - 1)) || ps < 4 || ps > 256 ||
        (ps & (ps - 1)) || es % ps || reg->length / es > H7_DFU_MAX_SECTORS) {
        d->error = "flash geometry not supported (erase unit <= 4 KB, program page 4..256 B, "
                   "at most H7_DFU_MAX_SECTORS erase units)";
        return -1;
    }
    if (page % es || (page & (page - 1))) {
        d->error = "the DfuSe page size is not a power-of-two multiple of the erase unit";
        return -1;
    }
    if (d->p.transfer_size < 64 || d->p.transfer_size > H7_DFU_XFER_MAX) {
        d->error = "wTransferSize must be 64..H7_DFU_XFER_MAX";
        return -1;
    }
    d->erase_size = es;
    return 0;
}

int h7_dfu_layout_build(struct h7_dfu_layout_store *out, const struct h7_board *b,
                        const struct h7_dfu_layout_params *params, const char **error)
{
    struct build d = {.o = out, .board = b, .p = *params};
    struct h7_dfu_layout_params *p = &d.p;
    memset(out, 0, sizeof(*out));
    p->vid = p->vid ? p->vid : H7_DFU_DEFAULT_VID;
    p->pid = p->pid ? p->pid : H7_DFU_DEFAULT_PID;
    p->bcd_device = p->bcd_device ? p->bcd_device : H7_DFU_DEFAULT_BCD_DEVICE;
    p->transfer_size = p->transfer_size ? p->transfer_size : H7_DFU_DEFAULT_XFER;
    p->page_size = p->page_size ? p->page_size : H7_DFU_DEFAULT_PAGE;
    p->manufacturer = p->manufacturer ? p->manufacturer : "h7boot";
    p->serial = p->serial ? p->serial : "0";
    p->user_area = p->user_area ? p->user_area : H7_DFU_DEFAULT_USER_AREA;

    const struct h7_range *slot = h7_board_range(b, H7_RANGE_SLOT, NULL);
    const struct h7_region *reg = slot ? h7_board_region_at(b, slot->origin, slot->length) : NULL;
    if (!slot)
        d.error = "the board has no slot";
    else if (!reg || !(reg->flags & H7_REGION_FLASH))
        d.error = "the board's slot is not inside a flash region";
    if (d.error || check_geometry(&d, reg)) {
        *error = d.error;
        return -1;
    }
    d.slot_addr = slot->origin;
    d.slot_size = slot->length;
    if (build_flash_alt(&d, reg) || build_ram_alts(&d) || build_protected_alts(&d, reg)) {
        *error = d.error;
        return -1;
    }
    if (p->product) {
        strncpy(out->product, p->product, H7_DFU_STRING_MAX);
    } else {
        struct sbuf s = {out->product, 0, H7_DFU_STRING_MAX, false};
        s_put(&s, "h7boot DFU (");
        s_put(&s, b->name);
        s_put(&s, ")");
    }
    out->strings[0] = p->manufacturer;
    out->strings[1] = out->product;
    out->strings[2] = p->serial;
    for (unsigned a = 0; a < d.n_alts; a++)
        out->strings[3 + a] = out->alt_name[a];
    descriptors(&d);
    out->layout = (struct h7_dfu_layout){
        .slot_addr = d.slot_addr, .slot_size = d.slot_size, .flash_base = reg->origin,
        .erase_size = d.erase_size, .flash_size = reg->length,
        .transfer_size = p->transfer_size, .n_alts = d.n_alts, .n_segments = d.n_segments,
        .n_strings = (uint8_t)(3 + d.n_alts), .segments = out->segments,
        .descriptors = out->descriptors, .strings = out->strings};
    return 0;
}
