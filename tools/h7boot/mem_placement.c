/*
 * mem_placement.c — parse a placement file and plan the output sections (see mem_placement.h).
 *
 * The plan's order is the generated script's order, and within a region ld places sections in
 * script order. So the plan is built in this order:
 *   1. 32 bytes kept free at address 0 of a RAM region that starts at 0 (ITCM: no function or
 *      object may have an address that compares equal to NULL);
 *   2. NOLOAD storage in flash (QSPI variables), so it lands at the start of the flash region
 *      (the user area), never inside the application slot;
 *   3. the vector table (first in the code region; at the slot's start for XIP presets);
 *   4. stack and heap: first in their regions, so spilled sections cannot take their room and
 *      a stack overflow runs off the region's start (a fault) instead of into data;
 *   5. sections with contents, in rule order (the file's rules, then h7boot's and libDaisy's
 *      section names, then the preset's defaults);
 *   6. NOLOAD sections (zeroed or kept), in rule order.
 * First-match priority between rules is kept because every input pattern belongs to exactly one
 * group (contents / zeroed / kept) and groups keep their rules' order.
 */
#include "mem_placement.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const preset_names[] = {"internal-flash", "ram-load", "qspi-xip",
                                           "daisy-boot-sram", "daisy-boot-qspi"};

const char *h7_preset_name(enum h7_preset p) { return preset_names[p]; }

int h7_preset_by_name(const char *name)
{
    for (size_t i = 0; i < sizeof preset_names / sizeof preset_names[0]; i++)
        if (!strcmp(name, preset_names[i]))
            return (int)i;
    return -1;
}

/* The Daisy bootloader copies a fixed 480 KB from the slot to AXI SRAM (its working memory is
 * the last 32 KB): a BOOT_SRAM image must not be larger
 * (../shared/facts/stm32h750-daisy-seed.md). */
#define DAISY_SRAM_IMAGE_MAX (480u * 1024u)

/* ---- region roles, from the board's attributes ---------------------------------------- */

struct roles {
    int code_flash, xip, main_ram, data_tcm, code_tcm, dma, sdram;
};

static int find(const struct h7_board *b, uint32_t need, uint32_t refuse, int speed)
{
    for (uint32_t i = 0; i < b->n_regions; i++) {
        const struct h7_region *r = &b->regions[i];
        if ((r->flags & need) == need && !(r->flags & refuse) && (speed < 0 || r->speed == speed))
            return (int)i;
    }
    return -1;
}

static void resolve_roles(const struct h7_board *b, struct roles *ro)
{
    ro->code_flash = find(b, H7_REGION_FLASH | H7_REGION_EXEC, H7_REGION_XIP, -1);
    ro->xip = find(b, H7_REGION_XIP, 0, -1);
    /* The main RAM: the largest fast, executable RAM the bootloader can load. */
    ro->main_ram = -1;
    for (uint32_t i = 0; i < b->n_regions; i++) {
        const struct h7_region *r = &b->regions[i];
        uint32_t need = H7_REGION_RAM | H7_REGION_EXEC | H7_REGION_LOAD;
        if ((r->flags & need) == need && r->speed == H7_SPEED_FAST && r->init == H7_INIT_NONE &&
            (ro->main_ram < 0 || r->length > b->regions[ro->main_ram].length))
            ro->main_ram = (int)i;
    }
    ro->data_tcm = find(b, H7_REGION_RAM | H7_REGION_LOAD, H7_REGION_EXEC, H7_SPEED_TCM);
    if (ro->data_tcm < 0)
        ro->data_tcm = find(b, H7_REGION_RAM | H7_REGION_LOAD, 0, H7_SPEED_TCM);
    if (ro->data_tcm < 0)
        ro->data_tcm = ro->main_ram;
    ro->code_tcm = find(b, H7_REGION_RAM | H7_REGION_EXEC | H7_REGION_LOAD, 0, H7_SPEED_TCM);
    if (ro->code_tcm < 0)
        ro->code_tcm = ro->main_ram;
    ro->dma = -1;
    for (uint32_t i = 0; i < b->n_regions && ro->dma < 0; i++)
        if ((b->regions[i].dma & (H7_DMA_DMA1 | H7_DMA_DMA2)) &&
            (b->regions[i].flags & H7_REGION_RAM) && b->regions[i].init == H7_INIT_NONE &&
            (int)i != ro->main_ram && b->regions[i].speed != H7_SPEED_TCM)
            ro->dma = (int)i;
    if (ro->dma < 0)
        ro->dma = ro->main_ram;
    ro->sdram = -1;
    for (uint32_t i = 0; i < b->n_regions && ro->sdram < 0; i++)
        if ((b->regions[i].flags & H7_REGION_RAM) && b->regions[i].init != H7_INIT_NONE)
            ro->sdram = (int)i;
}

/* ---- parsing --------------------------------------------------------------------------- */

struct parse {
    const char *file;
    int line;
    char *err;
    size_t errlen;
    const struct h7_board *board;
    struct h7_plan *plan;
};

static int perr(struct parse *p, const char *fmt, ...)
{
    char msg[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(p->err, p->errlen, "%s:%d: %s", p->file, p->line, msg);
    return -1;
}

static int parse_size(struct parse *p, const char *s, uint32_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s)
        return perr(p, "'%s' is not a size (1234, 0x400, 8K, 1M)", s);
    if (*end == 'K' || *end == 'k')
        v <<= 10, end++;
    else if (*end == 'M')
        v <<= 20, end++;
    if (*end || v > UINT32_MAX)
        return perr(p, "'%s' is not a size (1234, 0x400, 8K, 1M)", s);
    *out = (uint32_t)v;
    return 0;
}

static int region_index(struct parse *p, const char *name)
{
    const struct h7_region *r = h7_board_region(p->board, name);
    if (!r) {
        char list[256] = "";
        for (uint32_t i = 0; i < p->board->n_regions; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                     p->board->regions[i].name);
        return perr(p, "board %s has no region '%s' (it has %s)", p->board->name, name, list);
    }
    return (int)(r - p->board->regions);
}

/* A user rule, before it is split into output sections. */
struct rule {
    int line;
    char base[48];
    size_t n_targets;
    int targets[H7_PLACE_MAX_TARGETS];
    /* input specs by init kind */
    size_t n[3];
    char specs[3][H7_PLACE_MAX_PATTERNS][H7_PLACE_PATTERN_MAX];
    bool keep;
    char before[160], after[160];
    bool at_set, at_image_end; /* '@ ADDRESS' given; ADDRESS is image-end */
    uint32_t at;
};

static int add_spec(struct parse *p, struct rule *r, enum h7_init_kind k, const char *fmt, ...)
{
    if (r->n[k] == H7_PLACE_MAX_PATTERNS)
        return perr(p, "too many patterns in one rule (at most %d)", H7_PLACE_MAX_PATTERNS);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(r->specs[k][r->n[k]], H7_PLACE_PATTERN_MAX, fmt, ap);
    va_end(ap);
    if (n >= H7_PLACE_PATTERN_MAX)
        return perr(p, "pattern too long");
    r->n[k]++;
    return 0;
}

/* What an input section holds, by its name: zeroed (.bss and every *bss* name), kept as it is
 * (.noinit), or contents. */
static enum h7_init_kind kind_of_name(const char *name)
{
    if (strstr(name, "noinit"))
        return H7_INIT_KEEP;
    if (!strcmp(name, "COMMON") || strstr(name, "bss"))
        return H7_INIT_ZERO;
    return H7_INIT_COPY;
}

static bool valid_pattern(const char *s)
{
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("._-*?[]$/+", *s))
            return false;
    return true;
}

static void sanitize(char *dst, size_t n, const char *prefix, const char *src)
{
    size_t k = (size_t)snprintf(dst, n, "%s", prefix);
    for (; *src && k + 1 < n; src++)
        if (isalnum((unsigned char)*src) || *src == '_' || *src == '.')
            dst[k++] = *src;
    while (k > 1 && dst[k - 1] == '.')
        k--;
    dst[k] = '\0';
}

/* '@ ADDRESS': NUMBER | RANGE [+ SIZE] | image-end, for a rule with one region and one kind
 * of section (it becomes exactly one output section). */
static int parse_at(struct parse *p, char **tok, int ntok, struct rule *r)
{
    if (r->n_targets != 1)
        return perr(p, "'@ ADDRESS' needs exactly one region (no spill list)");
    if ((r->n[0] > 0) + (r->n[1] > 0) + (r->n[2] > 0) != 1)
        return perr(p, "'@ ADDRESS' places one output section: give data and bss their own rules");
    const struct h7_region *g = &p->board->regions[r->targets[0]];
    r->at_set = true;
    if (ntok == 1 && !strcmp(tok[0], "image-end")) {
        const struct h7_range *slot = h7_board_range(p->board, H7_RANGE_SLOT, NULL);
        if (!slot || &p->board->regions[slot->region] != g)
            return perr(p, "'@ image-end' is in the slot: region %s has no application slot",
                        g->name);
        r->at_image_end = true;
        return 0;
    }
    if (ntok != 1 && !(ntok == 3 && !strcmp(tok[1], "+")))
        return perr(p, "expected '@ ADDRESS', '@ RANGE', '@ RANGE + SIZE' or '@ image-end'");
    uint32_t base = 0, off = 0;
    const struct h7_range *range = NULL;
    for (uint32_t i = 0; i < p->board->n_ranges && !range; i++)
        if (!strcmp(p->board->ranges[i].name, tok[0]))
            range = &p->board->ranges[i];
    if (range)
        base = range->origin;
    else if (!isdigit((unsigned char)tok[0][0]) || ntok != 1)
        return perr(p, "board %s has no range '%s'", p->board->name, tok[0]);
    else if (parse_size(p, tok[0], &base))
        return -1;
    if (ntok == 3 && parse_size(p, tok[2], &off))
        return -1;
    uint64_t a = (uint64_t)base + off;
    if (a < g->origin || a >= (uint64_t)g->origin + g->length || a == 0)
        return perr(p, "address 0x%llx is not inside region %s", (unsigned long long)a, g->name);
    if (a % 4)
        return perr(p, "address 0x%llx is not 4-byte aligned", (unsigned long long)a);
    r->at = (uint32_t)a;
    return 0;
}

static int parse_place(struct parse *p, char **tok, int ntok, struct rule *r)
{
    int arrow = -1, at = ntok;
    for (int i = 0; i < ntok; i++)
        if (!strcmp(tok[i], "->"))
            arrow = i;
        else if (!strcmp(tok[i], "@") && at == ntok)
            at = i;
    if (arrow < 2 || arrow == ntok - 1)
        return perr(p, "expected 'place section|object|symbol WHAT... -> REGION[, REGION...]'");
    memset(r, 0, sizeof *r);
    r->line = p->line;
    const char *what = tok[1];
    for (int i = 2; i < arrow; i++)
        if (!valid_pattern(tok[i]))
            return perr(p, "'%s' is not a section, file or symbol name", tok[i]);
    if (!strcmp(what, "section")) {
        if (arrow < 3)
            return perr(p, "'place section' needs at least one section name");
        sanitize(r->base, sizeof r->base, "", tok[2]);
        if (r->base[0] != '.')
            sanitize(r->base, sizeof r->base, ".", tok[2]);
        /* one input spec per kind: "*(.bss .bss.* COMMON)" */
        for (int k = 0; k < 3; k++) {
            char spec[H7_PLACE_PATTERN_MAX] = "";
            for (int i = 2; i < arrow; i++)
                if (kind_of_name(tok[i]) == (enum h7_init_kind)k)
                    snprintf(spec + strlen(spec), sizeof spec - strlen(spec), "%s%s",
                             spec[0] ? " " : "", tok[i]);
            if (spec[0] && add_spec(p, r, (enum h7_init_kind)k, "*(%s)", spec))
                return -1;
        }
    } else if (!strcmp(what, "object")) {
        if (arrow < 3)
            return perr(p, "'place object' needs a file name");
        static const char *const kinds[] = {"text", "rodata", "data", "bss"};
        static const char *const pats[] = {".text .text.*", ".rodata .rodata.*", ".data .data.*",
                                           ".bss .bss.* COMMON"};
        bool want[4] = {arrow == 3, arrow == 3, arrow == 3, arrow == 3};
        for (int i = 3; i < arrow; i++) {
            size_t k = 0;
            while (k < 4 && strcmp(tok[i], kinds[k]))
                k++;
            if (k == 4)
                return perr(p, "'%s' is not a kind of section (text, rodata, data, bss)", tok[i]);
            want[k] = true;
        }
        sanitize(r->base, sizeof r->base, ".obj.", tok[2]);
        for (size_t k = 0; k < 4; k++)
            if (want[k] && add_spec(p, r, k == 3 ? H7_INIT_ZERO : H7_INIT_COPY, "*%s(%s)",
                                    tok[2], pats[k]))
                return -1;
    } else if (!strcmp(what, "symbol")) {
        sanitize(r->base, sizeof r->base, ".sym.", tok[2]);
        for (int i = 2; i < arrow; i++)
            if (add_spec(p, r, H7_INIT_COPY, "*(.text.%s .rodata.%s .data.%s)", tok[i], tok[i],
                         tok[i]) ||
                add_spec(p, r, H7_INIT_ZERO, "*(.bss.%s)", tok[i]))
                return -1;
    } else {
        return perr(p, "'%s': place what? (section, object or symbol)", what);
    }
    /* Regions: "A, B" or "A,B" or "A , B". */
    if (at < arrow || at == arrow + 1)
        return perr(p, "'@ ADDRESS' comes after the region: '-> REGION @ ADDRESS'");
    char list[256] = "";
    for (int i = arrow + 1; i < at; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s", tok[i]);
    for (char *save = NULL, *name = strtok_r(list, ",", &save); name;
         name = strtok_r(NULL, ",", &save)) {
        if (r->n_targets == H7_PLACE_MAX_TARGETS)
            return perr(p, "at most %d regions in a spill list", H7_PLACE_MAX_TARGETS);
        int idx = region_index(p, name);
        if (idx < 0)
            return -1;
        r->targets[r->n_targets++] = idx;
    }
    if (!r->n_targets)
        return perr(p, "no region after '->'");
    if (at < ntok && parse_at(p, tok + at + 1, ntok - at - 1, r))
        return -1;
    return 0;
}

/* ---- planning -------------------------------------------------------------------------- */

static bool is_flash(const struct h7_plan *pl, int region)
{
    return (pl->board->regions[region].flags & H7_REGION_FLASH) != 0;
}

static int load_region_for(const struct h7_plan *pl, int region)
{
    if (is_flash(pl, region) || pl->load_region < 0 || region == pl->load_region)
        return region;
    return pl->load_region;
}

static bool name_taken(const struct h7_plan *pl, const char *name)
{
    for (size_t i = 0; i < pl->n_out; i++)
        if (!strcmp(pl->out[i].name, name))
            return true;
    return false;
}

static struct h7_out_section *add_out(struct parse *p, const char *name, enum h7_init_kind init,
                                      int region)
{
    struct h7_plan *pl = p->plan;
    if (pl->n_out == sizeof pl->out / sizeof pl->out[0]) {
        perr(p, "too many output sections");
        return NULL;
    }
    struct h7_out_section *o = &pl->out[pl->n_out];
    memset(o, 0, sizeof *o);
    snprintf(o->name, sizeof o->name, "%s", name);
    for (int n = 2; name_taken(pl, o->name); n++)
        snprintf(o->name, sizeof o->name, "%s.%d", name, n);
    pl->n_out++;
    o->init = init;
    o->region = region;
    o->load_region = init == H7_INIT_COPY ? load_region_for(pl, region) : region;
    o->rule_line = p->line;
    return o;
}

/* The output sections of one rule's group `k` (one per target region), if it has patterns
 * and belongs to this pass. */
static int emit_group(struct parse *p, const struct rule *r, enum h7_init_kind k, bool flash_keep)
{
    if (!r->n[k])
        return 0;
    bool multi_kind = (r->n[0] > 0) + (r->n[1] > 0) + (r->n[2] > 0) > 1;
    static const char *const suffix[] = {".data", ".bss", ".noinit"};
    for (size_t t = 0; t < r->n_targets; t++) {
        int region = r->targets[t];
        enum h7_init_kind init = k;
        /* zeroing flash makes no sense: NOLOAD storage there is kept as it is */
        if (init == H7_INIT_ZERO && is_flash(p->plan, region))
            init = H7_INIT_KEEP;
        if ((init == H7_INIT_KEEP && is_flash(p->plan, region)) != flash_keep)
            continue;
        char name[64];
        snprintf(name, sizeof name, "%s%s%s%s", r->base, multi_kind ? suffix[k] : "",
                 t ? "." : "", t ? p->board->regions[region].name : "");
        struct h7_out_section *o = add_out(p, name, init, region);
        if (!o)
            return -1;
        o->rule_line = r->line;
        o->keep = r->keep;
        memcpy(o->before, r->before, sizeof o->before);
        memcpy(o->after, r->after, sizeof o->after);
        o->start = r->at;
        o->after_image = r->at_image_end;
        /* QSPI contents of an app whose image is stored in the slot and runs in RAM go after
         * the image by default: linked from the region's start they would run into the
         * user area's end or, larger, into the stored image itself. */
        if (!r->at_set && init == H7_INIT_COPY && p->plan->bootloaded && p->plan->slot >= 0 &&
            p->board->ranges[p->plan->slot].region == region && region != p->plan->code_region)
            o->after_image = true;
        o->n_patterns = r->n[k];
        memcpy(o->patterns, r->specs[k], sizeof o->patterns);
        if (t + 1 < r->n_targets)
            p->plan->spill = true;
    }
    return 0;
}

/* A rule h7boot itself adds (library section names, preset defaults). */
static struct rule *lib_rule(struct rule *r, const char *base, int target, bool keep)
{
    memset(r, 0, sizeof *r);
    snprintf(r->base, sizeof r->base, "%s", base);
    r->targets[0] = target;
    r->n_targets = target >= 0;
    r->keep = keep;
    return r;
}

int h7_placement_plan(const char *text, size_t len, const char *filename,
                      const struct h7_board *board, struct h7_plan *plan, char *err,
                      size_t errlen)
{
    struct parse p = {filename, 0, err, errlen, board, plan};
    memset(plan, 0, sizeof *plan);
    plan->board = board;
    plan->stack_region = plan->heap_region = -1;
    plan->stack_size = 8192;
    int preset = -1;
    struct roles ro;
    resolve_roles(board, &ro);

    static struct rule rules[H7_PLACE_MAX_RULES + 24];
    size_t n_rules = 0;
    size_t pos = 0;
    while (pos < len) {
        p.line++;
        size_t end = pos;
        while (end < len && text[end] != '\n')
            end++;
        char line[512];
        size_t n = end - pos;
        if (n >= sizeof line)
            return perr(&p, "line too long");
        memcpy(line, text + pos, n);
        line[n] = '\0';
        pos = end + 1;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *tok[40];
        int ntok = 0;
        for (char *save = NULL, *t = strtok_r(line, " \t\r", &save); t;
             t = strtok_r(NULL, " \t\r", &save)) {
            if (ntok == 40)
                return perr(&p, "too many words");
            tok[ntok++] = t;
        }
        if (!ntok)
            continue;
        if (!strcmp(tok[0], "preset")) {
            if (ntok != 2 || (preset = h7_preset_by_name(tok[1])) < 0)
                return perr(&p, "expected 'preset internal-flash|ram-load|qspi-xip|"
                                "daisy-boot-sram|daisy-boot-qspi'");
        } else if (!strcmp(tok[0], "stack") || !strcmp(tok[0], "heap")) {
            if (ntok != 3)
                return perr(&p, "expected '%s REGION SIZE'", tok[0]);
            bool stack = tok[0][0] == 's';
            int idx = region_index(&p, tok[1]);
            if (idx < 0 || parse_size(&p, tok[2], stack ? &plan->stack_size : &plan->heap_size))
                return -1;
            if (!(board->regions[idx].flags & H7_REGION_RAM))
                return perr(&p, "%s %s is not RAM", tok[0], tok[1]);
            *(stack ? &plan->stack_region : &plan->heap_region) = idx;
        } else if (!strcmp(tok[0], "place")) {
            if (n_rules == H7_PLACE_MAX_RULES)
                return perr(&p, "too many rules (at most %d)", H7_PLACE_MAX_RULES);
            if (parse_place(&p, tok, ntok, &rules[n_rules]))
                return -1;
            n_rules++;
        } else {
            return perr(&p, "unknown keyword '%s' (preset, stack, heap, place)", tok[0]);
        }
    }
    p.line = 0;
    if (preset < 0)
        return perr(&p, "no 'preset' line (internal-flash, ram-load, qspi-xip, daisy-boot-sram "
                        "or daisy-boot-qspi)");
    plan->preset = (enum h7_preset)preset;

    /* The preset: where code runs and where load images are stored. */
    bool xip = preset == H7_PRESET_QSPI_XIP || preset == H7_PRESET_DAISY_BOOT_QSPI;
    switch (plan->preset) {
    case H7_PRESET_INTERNAL_FLASH:
        plan->code_region = plan->load_region = ro.code_flash;
        break;
    case H7_PRESET_RAM_LOAD:
        plan->code_region = ro.main_ram;
        plan->load_region = -1;
        break;
    case H7_PRESET_QSPI_XIP:
    case H7_PRESET_DAISY_BOOT_QSPI:
        plan->code_region = plan->load_region = ro.xip;
        break;
    case H7_PRESET_DAISY_BOOT_SRAM:
        plan->code_region = plan->load_region = ro.main_ram;
        plan->image_limit = DAISY_SRAM_IMAGE_MAX;
        break;
    }
    if (plan->code_region < 0 || ro.data_tcm < 0)
        return perr(&p, "board %s has no region for preset %s's code or data", board->name,
                    preset_names[preset]);
    if (plan->stack_region < 0)
        plan->stack_region = ro.data_tcm;
    /* newlib's sbrk (libnosys) needs `end`: every app that mallocs, prints or uses DaisySP's
     * logging does. A default heap keeps such apps linking. */
    if (plan->heap_region < 0) {
        plan->heap_region = ro.dma >= 0 ? ro.dma : ro.main_ram;
        plan->heap_size = 16 * 1024;
    }
    const struct h7_range *slot_range = h7_board_range(board, H7_RANGE_SLOT, NULL);
    plan->slot = slot_range ? (int)(slot_range - board->ranges) : -1;
    plan->bootloaded = plan->preset != H7_PRESET_INTERNAL_FLASH;
    for (size_t i = 0; i < n_rules; i++)
        if (rules[i].at_image_end && (xip || plan->preset == H7_PRESET_INTERNAL_FLASH)) {
            p.line = rules[i].line;
            return perr(&p, "'@ image-end' is for apps whose image is stored in the slot and runs "
                            "in RAM; with preset %s leave it out (data follows the code)",
                        preset_names[preset]);
        }
    uint32_t code_start = 0;
    if (xip) {
        const struct h7_range *slot = h7_board_range(board, H7_RANGE_SLOT, NULL);
        if (!slot || slot->region != plan->code_region)
            return perr(&p, "board %s has no application slot in its XIP flash", board->name);
        code_start = slot->origin;
    }

    /* h7boot's and libDaisy's section names, then the preset's defaults. */
    const size_t n_user = n_rules;
    struct rule *r;
    int data_list[2] = {ro.data_tcm, ro.main_ram};
    /* libDaisy's boot_info (System::ResetToBootloader's request word, the bootloader version
     * DaisySeed::Init reads) lives in backup SRAM, where the bootloader looks: kept, never
     * zeroed, first in the retained region. */
    int retained = find(board, H7_REGION_RAM | H7_REGION_RETAINED, 0, -1);
    if (retained >= 0) {
        r = lib_rule(&rules[n_rules++], ".backup_sram", retained, true);
        add_spec(&p, r, H7_INIT_KEEP, "*(.backup_sram .backup_sram.*)");
    }
    r = lib_rule(&rules[n_rules++], ".h7_itcm", ro.code_tcm, false);
    add_spec(&p, r, H7_INIT_COPY, "*(.h7_itcm .h7_itcm.* .itcm_text .itcm_text.*)");
    r = lib_rule(&rules[n_rules++], ".h7_dtcm", ro.data_tcm, false);
    add_spec(&p, r, H7_INIT_COPY, "*(.h7_dtcm_data .h7_dtcm_data.*)");
    add_spec(&p, r, H7_INIT_ZERO, "*(.h7_dtcm_bss .h7_dtcm_bss.* .dtcmram_bss .dtcmram_bss.*)");
    r = lib_rule(&rules[n_rules++], ".h7_dma", ro.dma, false);
    add_spec(&p, r, H7_INIT_ZERO, "*(.h7_dma .h7_dma.* .h7_dma_bss* .sram1_bss .sram1_bss.*)");
    add_spec(&p, r, H7_INIT_ZERO, "*(.dma_buffer .dma_buffer.*)");
    r = lib_rule(&rules[n_rules++], ".h7_sd_bss", ro.main_ram, false);
    add_spec(&p, r, H7_INIT_ZERO, "*(.h7_sd_bss .h7_sd_bss.*)");
    r = lib_rule(&rules[n_rules++], ".h7_sdram", ro.sdram, false);
    add_spec(&p, r, H7_INIT_COPY, "*(.h7_sdram_data .h7_sdram_data.* .sdram_data .sdram_data.*)");
    add_spec(&p, r, H7_INIT_ZERO, "*(.h7_sdram_bss .h7_sdram_bss.* .sdram_bss .sdram_bss.*)");
    r = lib_rule(&rules[n_rules++], ".h7_qspi", ro.xip, false);
    add_spec(&p, r, H7_INIT_COPY, "*(.h7_qspi_text .h7_qspi_text.* .h7_qspi_data .h7_qspi_data.*)");
    add_spec(&p, r, H7_INIT_COPY, "*(.qspiflash_text .qspiflash_text.* .qspiflash_data .qspiflash_data.*)");
    add_spec(&p, r, H7_INIT_KEEP, "*(.h7_qspi_bss .h7_qspi_bss.* .qspiflash_bss .qspiflash_bss.*)");
    r = lib_rule(&rules[n_rules++], ".text", plan->code_region, false);
    add_spec(&p, r, H7_INIT_COPY, "*(.text .text.* .glue_7 .glue_7t .vfp11_veneer .v4_bx)");
    r = lib_rule(&rules[n_rules++], ".rodata", plan->code_region, false);
    add_spec(&p, r, H7_INIT_COPY, "*(.rodata .rodata.*)");
    r = lib_rule(&rules[n_rules++], ".ARM.extab", plan->code_region, false);
    add_spec(&p, r, H7_INIT_COPY, "*(.ARM.extab* .gnu.linkonce.armextab.*)");
    r = lib_rule(&rules[n_rules++], ".ARM.exidx", plan->code_region, false);
    add_spec(&p, r, H7_INIT_COPY, "*(.ARM.exidx* .gnu.linkonce.armexidx.*)");
    snprintf(r->before, sizeof r->before, "__exidx_start = .;");
    snprintf(r->after, sizeof r->after, "__exidx_end = .;");
    static const char *const arrays[] = {"preinit_array", "init_array", "fini_array"};
    for (int i = 0; i < 3; i++) {
        char base[32];
        snprintf(base, sizeof base, ".%s", arrays[i]);
        r = lib_rule(&rules[n_rules++], base, plan->code_region, true);
        add_spec(&p, r, H7_INIT_COPY, "*(SORT(.%s.*))", arrays[i]);
        add_spec(&p, r, H7_INIT_COPY, "*(.%s)", arrays[i]);
        snprintf(r->before, sizeof r->before, "PROVIDE_HIDDEN(__%s_start = .);", arrays[i]);
        snprintf(r->after, sizeof r->after, "PROVIDE_HIDDEN(__%s_end = .);", arrays[i]);
    }
    r = lib_rule(&rules[n_rules++], ".data", data_list[0], false);
    r->n_targets = data_list[1] >= 0 && data_list[1] != data_list[0] ? 2 : 1;
    r->targets[1] = data_list[1];
    add_spec(&p, r, H7_INIT_COPY, "*(.data .data.*)");
    r = lib_rule(&rules[n_rules++], ".bss", data_list[0], false);
    r->n_targets = data_list[1] >= 0 && data_list[1] != data_list[0] ? 2 : 1;
    r->targets[1] = data_list[1];
    add_spec(&p, r, H7_INIT_ZERO, "*(.bss .bss.* COMMON)");
    r = lib_rule(&rules[n_rules++], ".noinit", ro.data_tcm, false);
    add_spec(&p, r, H7_INIT_KEEP, "*(.noinit .noinit.*)");

    /* A default rule whose patterns a rule of the file already has is dropped (it could not
     * match anything, and its output sections would only repeat names). */
    for (size_t i = n_user; i < n_rules; i++)
        for (size_t u = 0; u < n_user; u++)
            for (int k = 0; k < 3; k++)
                for (size_t a = 0; a < rules[i].n[k]; a++)
                    for (size_t b2 = 0; b2 < rules[u].n[k]; b2++)
                        if (!strcmp(rules[i].specs[k][a], rules[u].specs[k][b2]))
                            rules[i].n_targets = 0;

    /* 1. address 0 guard, only when something goes to a RAM region at 0 */
    for (size_t i = 0; i < n_rules; i++)
        for (size_t t = 0; t < rules[i].n_targets; t++) {
            const struct h7_region *g = &board->regions[rules[i].targets[t]];
            if (g->origin == 0 && (g->flags & H7_REGION_RAM) && !name_taken(plan, ".h7_null_guard")) {
                struct h7_out_section *o = add_out(&p, ".h7_null_guard", H7_INIT_KEEP,
                                                   rules[i].targets[t]);
                if (!o)
                    return -1;
                snprintf(o->before, sizeof o->before, ". = . + 32;");
            }
        }
    /* 2. flash storage */
    for (size_t i = 0; i < n_rules; i++)
        if (emit_group(&p, &rules[i], H7_INIT_KEEP, true))
            return -1;
    /* 3. vectors */
    struct h7_out_section *v = add_out(&p, ".isr_vector", H7_INIT_COPY, plan->code_region);
    if (!v)
        return -1;
    v->keep = true;
    v->start = code_start;
    v->n_patterns = 1;
    snprintf(v->patterns[0], H7_PLACE_PATTERN_MAX, "*(.isr_vector .isr_vector.* .vectors)");
    /* 4. stack and heap are emitted by the script writer right after the vectors; 5, 6: */
    for (size_t i = 0; i < n_rules; i++)
        if (emit_group(&p, &rules[i], H7_INIT_COPY, false))
            return -1;
    for (size_t i = 0; i < n_rules; i++)
        if (emit_group(&p, &rules[i], H7_INIT_ZERO, false) ||
            emit_group(&p, &rules[i], H7_INIT_KEEP, false))
            return -1;
    return 0;
}
