/*
 * store.c — the log-structured key-value store (API and usage: h7_store.h).
 *
 * ON-FLASH FORMAT (all integers little-endian; docs/store.md has the long version)
 *
 * The partition is a ring of erase units. The log is the run of units tail .. head in ring
 * order; the other units are free. Every unit of the log starts with
 *
 *   offset 0   unit header, itself a record: key = sequence number, type UNIT, 4-byte value
 *              "H7S" + format byte (version << 5 | log2(unit_size))
 *   offset 14  retired byte: 0xFF while the unit is in the log; programmed to 0x00 by garbage
 *              collection once every live record in it has been copied out (the "GC done" mark)
 *   offset 15  records, packed, until the next one does not fit
 *
 * A record is: key u32, meta u16 (type << 12 | length), value[length], crc u32. The CRC-32 covers
 * key, meta and value and is the commit point: it is the last byte written, so a record counts
 * only when it is complete. Types: VALUE (0), DELETE (1, length 0), UNIT (2, unit headers only).
 *
 * INVARIANTS (kept by the code below; each names where)
 *  I1 Units of the log carry consecutive sequence numbers in ring order, head highest. Mount
 *     finds the head (highest valid, non-retired sequence) and walks back while the numbers go
 *     down by one: stray old headers cannot join the log.                       (mount_log)
 *  I2 Inside a unit, later records are newer; across units, higher sequence is newer. The index
 *     is rebuilt by replaying the log oldest to newest.                          (mount)
 *  I3 Nothing is ever written after bytes that are not a valid record, except at a program-page
 *     boundary from which the whole rest of the unit was checked erased. The parser follows the
 *     same rule: at an invalid position it continues at the next page boundary, and it stops
 *     where the rest of the unit reads erased. A torn program only touches the pages of the
 *     command that was cut, so garbage never hides a later valid record.  (next_record, mount)
 *     The append point is thus never found by looking for trailing 0xFF: it is the end of the
 *     last valid record, and only if everything after it is really erased.
 *  I4 A free unit is written only after it was read back fully erased, or erased. (open_unit)
 *  I5 A unit leaves the log only after every live record in it was copied to the head and its
 *     retired byte was programmed; only then is it erased. A cut at any point leaves either the
 *     unit (still in the log, its records older than the copies) or the copies.  (gc_collect)
 *  I6 RESERVE_UNITS free units stay untouched by set/delete, so a collection that is cut and
 *     restarted (each cut wastes at most two program pages of the head) still has room.
 *  I7 DELETE records are dropped when their unit is collected: a unit is only collected as the
 *     tail, so no older record of that key exists anywhere else.               (gc_collect)
 */
#include "h7_store.h"

#include <string.h>

#include "store_crc.h"

#define TYPE_VALUE 0u
#define TYPE_DELETE 1u
#define TYPE_UNIT 2u

#define REC_HEAD 6u /* key + meta */
#define REC_OVERHEAD 10u
#define REC_MAX (REC_OVERHEAD + H7_STORE_VALUE_MAX)
#define UNIT_RETIRED_OFF 14u
#define UNIT_DATA_OFF 15u
#define FORMAT_VERSION 1u
#define RESERVE_UNITS 2u
#define NO_ENTRY 0xFFFFFFFFu

#if H7_STORE_VALUE_MAX > 4095
#error "H7_STORE_VALUE_MAX must fit the 12-bit length field"
#endif

/* Read window over the flash: mount and GC parse records through it in 256-byte reads. */
#define WIN_SIZE 256u
struct win {
    uint32_t off, len;
    uint8_t buf[WIN_SIZE];
};

struct rec {
    uint32_t key, addr, len, type;
};

static uint32_t get32(const uint8_t *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static int flash_read(const struct h7_store *s, uint32_t addr, void *buf, uint32_t len)
{
    return h7_flash_read(s->cfg.flash, s->cfg.offset + addr, buf, len);
}

static uint32_t unit_addr(const struct h7_store *s, uint32_t unit)
{
    return unit * s->cfg.unit_size;
}

static uint32_t ring_next(const struct h7_store *s, uint32_t unit)
{
    return unit + 1 == s->units ? 0 : unit + 1;
}

static uint32_t tail_unit(const struct h7_store *s)
{
    return (s->head + s->units + 1 - s->used) % s->units;
}

static uint8_t format_byte(const struct h7_store *s)
{
    uint8_t log2 = 0;
    while ((1u << log2) < s->cfg.unit_size)
        log2++;
    return (uint8_t)(FORMAT_VERSION << 5 | log2);
}

/* Bytes [addr, addr+n) of the partition through the window; n <= WIN_SIZE. */
static int win_get(const struct h7_store *s, struct win *w, uint32_t addr, uint32_t n,
                   const uint8_t **p)
{
    if (addr < w->off || addr + n > w->off + w->len) {
        uint32_t len = s->cfg.size - addr < WIN_SIZE ? s->cfg.size - addr : WIN_SIZE;
        int rc = flash_read(s, addr, w->buf, len);
        if (rc) {
            w->len = 0;
            return rc;
        }
        w->off = addr;
        w->len = len;
    }
    *p = w->buf + (addr - w->off);
    return 0;
}

/* 1 when [addr, end) reads all 0xFF, 0 when not, or a flash error. */
static int is_erased(const struct h7_store *s, struct win *w, uint32_t addr, uint32_t end)
{
    while (addr < end) {
        const uint8_t *p;
        uint32_t n = end - addr < WIN_SIZE ? end - addr : WIN_SIZE;
        int rc = win_get(s, w, addr, n, &p);
        if (rc)
            return rc;
        for (uint32_t i = 0; i < n; i++)
            if (p[i] != 0xFF)
                return 0;
        addr += n;
    }
    return 1;
}

/* Check the record at addr (which must end by `end`): 1 and *r when valid, 0 when not. */
static int check_record(const struct h7_store *s, struct win *w, uint32_t addr, uint32_t end,
                        struct rec *r)
{
    const uint8_t *p;
    int rc = win_get(s, w, addr, REC_HEAD, &p);
    if (rc)
        return rc;
    uint32_t meta = p[4] | (uint32_t)p[5] << 8;
    r->key = get32(p);
    r->addr = addr;
    r->type = meta >> 12;
    r->len = meta & 0xFFFu;
    if (r->type > TYPE_UNIT || r->len > H7_STORE_VALUE_MAX || r->len + REC_OVERHEAD > end - addr ||
        (r->type == TYPE_DELETE && r->len))
        return 0;
    uint32_t crc = H7_CRC32_INIT, n = REC_HEAD + r->len;
    for (uint32_t at = addr; at < addr + n;) {
        uint32_t k = addr + n - at < WIN_SIZE ? addr + n - at : WIN_SIZE;
        if ((rc = win_get(s, w, at, k, &p)))
            return rc;
        crc = h7_crc32(crc, p, k);
        at += k;
    }
    if ((rc = win_get(s, w, addr + n, 4, &p)))
        return rc;
    return get32(p) == h7_crc32_final(crc);
}

/* Next valid record of the unit from *pos (a unit offset), following invariant I3. Returns 1 with
 * *r, or 0 at the end of the unit's records with *pos at the append point (the unit size when
 * nothing more may be written), or a flash error. */
static int next_record(const struct h7_store *s, struct win *w, uint32_t unit, uint32_t *pos,
                       struct rec *r)
{
    uint32_t base = unit_addr(s, unit), size = s->cfg.unit_size, page = s->cfg.flash->program_size;
    while (*pos + REC_OVERHEAD <= size) {
        int rc = check_record(s, w, base + *pos, base + size, r);
        if (rc < 0)
            return rc;
        if (rc == 1 && r->type != TYPE_UNIT) {
            *pos += REC_OVERHEAD + r->len;
            return 1;
        }
        rc = is_erased(s, w, base + *pos, base + size);
        if (rc)
            return rc < 0 ? rc : 0;
        *pos = (*pos / page + 1) * page;
    }
    *pos = size;
    return 0;
}

/* Unit header: 1 when `unit` holds a valid header of this store (seq in *seq, *retired set),
 * 0 when not, H7_STORE_EFORMAT for a header of another format, or a flash error. */
static int read_unit_header(const struct h7_store *s, struct win *w, uint32_t unit, uint32_t *seq,
                            int *retired)
{
    struct rec r;
    uint32_t base = unit_addr(s, unit);
    /* Headers are a unit apart: read exactly the header, not a whole window. */
    int rc = flash_read(s, base, w->buf, UNIT_DATA_OFF);
    w->off = base;
    w->len = rc ? 0 : UNIT_DATA_OFF;
    if (rc)
        return rc;
    rc = check_record(s, w, base, base + UNIT_DATA_OFF, &r);
    if (rc <= 0)
        return rc;
    const uint8_t *p;
    if ((rc = win_get(s, w, base + REC_HEAD, 4, &p)))
        return rc;
    if (r.type != TYPE_UNIT || r.len != 4 || memcmp(p, "H7S", 3) != 0)
        return 0;
    if (p[3] != format_byte(s))
        return H7_STORE_EFORMAT;
    if ((rc = win_get(s, w, base + UNIT_RETIRED_OFF, 1, &p)))
        return rc;
    *seq = r.key;
    *retired = *p != 0xFF;
    return 1;
}

/* Index: sorted by key, binary search. */
static uint32_t index_find(const struct h7_store *s, uint32_t key, int *found)
{
    uint32_t lo = 0, hi = s->keys;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (s->cfg.index[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < s->keys && s->cfg.index[lo].key == key;
    return lo;
}

static int index_put(struct h7_store *s, uint32_t key, uint32_t addr)
{
    int found;
    uint32_t i = index_find(s, key, &found);
    struct h7_store_entry *e = s->cfg.index;
    if (!found) {
        if (s->keys == s->cfg.index_capacity)
            return H7_STORE_ENOMEM;
        memmove(&e[i + 1], &e[i], (s->keys - i) * sizeof *e);
        s->keys++;
        e[i].key = key;
    }
    e[i].addr = addr;
    return 0;
}

static void index_remove(struct h7_store *s, uint32_t key)
{
    int found;
    uint32_t i = index_find(s, key, &found);
    if (found) {
        memmove(&s->cfg.index[i], &s->cfg.index[i + 1], (s->keys - i - 1) * sizeof(*s->cfg.index));
        s->keys--;
    }
}

static uint32_t index_addr(const struct h7_store *s, uint32_t key)
{
    int found;
    uint32_t i = index_find(s, key, &found);
    return found ? s->cfg.index[i].addr : NO_ENTRY;
}

/* Length of the value of the record at addr. */
static int record_len(const struct h7_store *s, uint32_t addr, uint32_t *len)
{
    uint8_t meta[2];
    int rc = flash_read(s, addr + 4, meta, 2);
    *len = (meta[0] | (uint32_t)meta[1] << 8) & 0xFFFu;
    return rc;
}

static uint32_t capacity(const struct h7_store *s)
{
    return (s->units - RESERVE_UNITS - 1) * (s->cfg.unit_size - UNIT_DATA_OFF - REC_MAX);
}

static int mount_log(struct h7_store *s, struct win *w)
{
    uint32_t best = 0, max_seq = 0, seq, prev;
    int retired, have = 0;
    for (uint32_t u = 0; u < s->units; u++) {
        int rc = read_unit_header(s, w, u, &seq, &retired);
        if (rc < 0)
            return rc;
        if (rc == 1 && seq >= max_seq)
            max_seq = seq;
        if (rc == 1 && !retired && (!have || seq > best)) {
            best = seq;
            s->head = u;
            have = 1;
        }
    }
    s->seq = max_seq;
    if (!have) {
        s->head = s->units - 1; /* empty: the first unit opened is unit 0 */
        return 0;
    }
    s->used = 1;
    for (uint32_t u = s->head; s->used < s->units; s->used++) {
        u = (u + s->units - 1) % s->units;
        int rc = read_unit_header(s, w, u, &prev, &retired);
        if (rc < 0)
            return rc;
        if (rc != 1 || retired || prev != best - s->used)
            break;
    }
    return 0;
}

int h7_store_mount(struct h7_store *s, const struct h7_store_config *cfg)
{
    memset(s, 0, sizeof *s);
    s->cfg = *cfg;
    const struct h7_flash *f = cfg->flash;
    uint32_t unit = cfg->unit_size;
    if (!f || !cfg->index || !unit || (unit != f->erase_size && unit != f->erase_size_large) ||
        cfg->offset % unit || cfg->size % unit || cfg->offset > f->size ||
        cfg->size > f->size - cfg->offset || !f->program_size || unit % f->program_size ||
        unit - UNIT_DATA_OFF < 2 * REC_MAX)
        return H7_STORE_EINVAL;
    s->units = cfg->size / unit;
    if (s->units < RESERVE_UNITS + 2)
        return H7_STORE_EINVAL;

    struct win w = {0};
    int rc = mount_log(s, &w);
    if (rc)
        return rc;
    /* Replay the log oldest to newest (I2). */
    s->head_pos = unit;
    struct rec r;
    for (uint32_t i = 0, u = tail_unit(s); i < s->used; i++, u = ring_next(s, u)) {
        uint32_t pos = UNIT_DATA_OFF;
        while ((rc = next_record(s, &w, u, &pos, &r)) == 1) {
            if (r.type == TYPE_DELETE)
                index_remove(s, r.key);
            else if ((rc = index_put(s, r.key, r.addr)))
                return rc;
        }
        if (rc < 0)
            return rc;
        if (u == s->head)
            s->head_pos = pos;
    }
    for (uint32_t i = 0; i < s->keys; i++) {
        uint32_t len;
        if ((rc = record_len(s, s->cfg.index[i].addr, &len)))
            return rc;
        s->live_bytes += REC_OVERHEAD + len;
    }
    s->mounted = 1;
    return 0;
}

int h7_store_format(struct h7_store *s, const struct h7_store_config *cfg)
{
    int rc = h7_store_mount(s, cfg); /* checks the configuration */
    if (rc == H7_STORE_EINVAL)
        return rc;
    rc = h7_flash_erase(cfg->flash, cfg->offset, cfg->size);
    return rc ? rc : h7_store_mount(s, cfg);
}

/* Programs a record as few page-program commands as possible, in address order, so the CRC at
 * its end is written last. */
struct writer {
    uint32_t at, n; /* partition offset of buf[0], bytes buffered */
    uint8_t buf[WIN_SIZE];
};

static int writer_flush(struct h7_store *s, struct writer *wr)
{
    int rc = h7_flash_program(s->cfg.flash, s->cfg.offset + wr->at, wr->buf, wr->n);
    wr->at += wr->n;
    wr->n = 0;
    return rc;
}

static int writer_put(struct h7_store *s, struct writer *wr, const void *data, uint32_t len)
{
    const uint8_t *p = data;
    uint32_t page = s->cfg.flash->program_size;
    while (len) {
        uint32_t room = page - (wr->at + s->cfg.offset + wr->n) % page;
        if (room > WIN_SIZE - wr->n)
            room = WIN_SIZE - wr->n;
        uint32_t k = len < room ? len : room;
        memcpy(wr->buf + wr->n, p, k);
        wr->n += k;
        p += k;
        len -= k;
        if (k == room) {
            int rc = writer_flush(s, wr);
            if (rc)
                return rc;
        }
    }
    return 0;
}

/* A value to write: `pre` (a few bytes, may be empty) then `len` bytes from RAM (val) or, for a
 * GC copy, from flash at partition offset src. */
struct value {
    const uint8_t *pre;
    uint32_t pre_len;
    const void *val;
    uint32_t src, len;
};

/* Append one record at the head; the caller made room. Any failure seals the head (I3). */
static int append(struct h7_store *s, uint32_t key, uint32_t type, const struct value *v,
                  uint32_t *addr)
{
    struct writer wr = {.at = unit_addr(s, s->head) + s->head_pos, .n = 0};
    uint8_t tmp[64];
    uint32_t total = v->pre_len + v->len;
    put32(tmp, key);
    tmp[4] = (uint8_t)total;
    tmp[5] = (uint8_t)(type << 4 | total >> 8);
    *addr = wr.at;
    uint32_t crc = h7_crc32(H7_CRC32_INIT, tmp, REC_HEAD);
    int rc = writer_put(s, &wr, tmp, REC_HEAD);
    if (!rc && v->pre_len) {
        crc = h7_crc32(crc, v->pre, v->pre_len);
        rc = writer_put(s, &wr, v->pre, v->pre_len);
    }
    for (uint32_t done = 0; !rc && done < v->len;) {
        const uint8_t *p = (const uint8_t *)v->val + done;
        uint32_t k = v->len - done;
        if (!v->val) {
            k = k < sizeof tmp ? k : sizeof tmp;
            rc = flash_read(s, v->src + done, tmp, k);
            p = tmp;
        }
        if (!rc) {
            crc = h7_crc32(crc, p, k);
            rc = writer_put(s, &wr, p, k);
        }
        done += k;
    }
    if (!rc) {
        put32(tmp, h7_crc32_final(crc));
        rc = writer_put(s, &wr, tmp, 4);
    }
    if (!rc && wr.n)
        rc = writer_flush(s, &wr);
    if (rc) {
        s->head_pos = s->cfg.unit_size;
        return rc;
    }
    s->head_pos += REC_OVERHEAD + total;
    return 0;
}

/* Make the unit after the head the new head (I4): read it back erased, or erase it. Sets
 * *erased when it had to erase. */
static int open_unit(struct h7_store *s, int *erased)
{
    uint32_t u = ring_next(s, s->head);
    uint32_t base = unit_addr(s, u);
    int rc;
    if (s->used == s->units)
        return H7_STORE_ENOSPC;
    if (!s->next_clean) {
        struct win w = {0};
        rc = is_erased(s, &w, base, base + s->cfg.unit_size);
        if (rc < 0)
            return rc;
        if (rc == 0) {
            s->erases++;
            *erased = 1;
            if ((rc = h7_flash_erase(s->cfg.flash, s->cfg.offset + base, s->cfg.unit_size)))
                return rc;
        }
    }
    uint8_t hdr[UNIT_RETIRED_OFF];
    uint32_t seq = s->seq + 1;
    put32(hdr, seq);
    hdr[4] = 4;
    hdr[5] = TYPE_UNIT << 4;
    memcpy(hdr + 6, "H7S", 3);
    hdr[9] = format_byte(s);
    put32(hdr + 10, h7_crc32_final(h7_crc32(H7_CRC32_INIT, hdr, 10)));
    s->next_clean = 0;
    if ((rc = h7_flash_program(s->cfg.flash, s->cfg.offset + base, hdr, sizeof hdr)))
        return rc;
    s->seq = seq;
    s->head = u;
    s->used++;
    s->head_pos = UNIT_DATA_OFF;
    return 0;
}

static uint32_t free_units(const struct h7_store *s)
{
    return s->units - s->used;
}

/* Move the live records out of the tail unit, mark it retired, erase it (I5, I7). Stops before
 * the tail's erase when opening a unit for the copies already needed one. */
static int gc_collect(struct h7_store *s)
{
    int erased = 0, rc;
    if (s->used == 0)
        return 0;
    if (s->used == 1 && (rc = open_unit(s, &erased)))
        return rc;
    uint32_t victim = tail_unit(s), pos = UNIT_DATA_OFF, addr;
    struct win w = {0};
    struct rec r;
    while ((rc = next_record(s, &w, victim, &pos, &r)) == 1) {
        if (r.type != TYPE_VALUE || index_addr(s, r.key) != r.addr)
            continue;
        if (s->head_pos + REC_OVERHEAD + r.len > s->cfg.unit_size && (rc = open_unit(s, &erased)))
            return rc;
        struct value v = {.src = r.addr + REC_HEAD, .len = r.len};
        if ((rc = append(s, r.key, TYPE_VALUE, &v, &addr)))
            return rc;
        index_put(s, r.key, addr); /* the key exists: cannot fail */
        if (erased)
            return 0; /* one erase per step: finish next time */
    }
    if (rc < 0 || erased)
        return rc;
    uint8_t zero = 0;
    uint32_t base = unit_addr(s, victim);
    if ((rc = h7_flash_program(s->cfg.flash, s->cfg.offset + base + UNIT_RETIRED_OFF, &zero, 1)))
        return rc;
    s->erases++;
    if ((rc = h7_flash_erase(s->cfg.flash, s->cfg.offset + base, s->cfg.unit_size)))
        return rc;
    s->used--;
    if (ring_next(s, s->head) == victim)
        s->next_clean = 1;
    return 0;
}

int h7_store_gc_needed(const struct h7_store *s)
{
    uint32_t free = free_units(s);
    return s->mounted && ((free <= RESERVE_UNITS + 1 && s->used > 1) || (!s->next_clean && free));
}

int h7_store_gc_step(struct h7_store *s)
{
    if (!h7_store_gc_needed(s))
        return 0;
    if (!s->next_clean) {
        uint32_t base = unit_addr(s, ring_next(s, s->head));
        struct win w = {0};
        int rc = is_erased(s, &w, base, base + s->cfg.unit_size);
        if (rc == 0) {
            s->erases++;
            rc = h7_flash_erase(s->cfg.flash, s->cfg.offset + base, s->cfg.unit_size);
            if (rc == 0)
                rc = 1;
        }
        if (rc < 0)
            return rc;
        s->next_clean = 1;
        return 0;
    }
    return gc_collect(s);
}

/* Room for `need` bytes at the head, keeping RESERVE_UNITS free (I6); collects when the app did
 * not. Gives up with H7_STORE_ENOSPC when a whole round of the ring frees nothing. */
static int make_room(struct h7_store *s, uint32_t need)
{
    uint32_t steps = 0;
    while (s->head_pos + need > s->cfg.unit_size) {
        int rc, erased = 0;
        if (free_units(s) > RESERVE_UNITS)
            rc = open_unit(s, &erased);
        else if (steps++ > 2 * s->units)
            return H7_STORE_ENOSPC;
        else
            rc = s->next_clean ? gc_collect(s) : h7_store_gc_step(s);
        if (rc)
            return rc;
    }
    return 0;
}

/* Compare bytes at partition offset addr with mem; 1 when equal. */
static int same_bytes(const struct h7_store *s, uint32_t addr, const void *mem, uint32_t len)
{
    uint8_t tmp[64];
    for (uint32_t done = 0; done < len;) {
        uint32_t k = len - done < sizeof tmp ? len - done : sizeof tmp;
        int rc = flash_read(s, addr + done, tmp, k);
        if (rc)
            return rc;
        if (memcmp(tmp, (const uint8_t *)mem + done, k))
            return 0;
        done += k;
    }
    return 1;
}

static int write_record(struct h7_store *s, uint32_t key, uint32_t type, const struct value *v)
{
    if (!s->mounted)
        return H7_STORE_EINVAL;
    uint32_t old = index_addr(s, key), old_len = 0, len = v->pre_len + v->len, addr;
    int rc;
    if (old != NO_ENTRY && (rc = record_len(s, old, &old_len)))
        return rc;
    if (type == TYPE_DELETE) {
        if (old == NO_ENTRY)
            return H7_STORE_ENOENT;
    } else {
        if (len > H7_STORE_VALUE_MAX || (v->len && !v->val))
            return H7_STORE_EINVAL;
        if (old != NO_ENTRY && old_len == len) {
            /* Equal to the stored value: write nothing. */
            rc = same_bytes(s, old + REC_HEAD, v->pre, v->pre_len);
            if (rc == 1)
                rc = same_bytes(s, old + REC_HEAD + v->pre_len, v->val, v->len);
            if (rc)
                return rc < 0 ? rc : 0;
        }
        if (old == NO_ENTRY && s->keys == s->cfg.index_capacity)
            return H7_STORE_ENOMEM;
        uint32_t was = old == NO_ENTRY ? 0 : REC_OVERHEAD + old_len;
        if (s->live_bytes - was + REC_OVERHEAD + len > capacity(s))
            return H7_STORE_ENOSPC;
    }
    if ((rc = make_room(s, REC_OVERHEAD + len)) || (rc = append(s, key, type, v, &addr)))
        return rc;
    if (old != NO_ENTRY)
        s->live_bytes -= REC_OVERHEAD + old_len;
    if (type == TYPE_DELETE) {
        index_remove(s, key);
    } else {
        index_put(s, key, addr); /* index room was checked above */
        s->live_bytes += REC_OVERHEAD + len;
    }
    return 0;
}

int h7_store_set2(struct h7_store *s, uint32_t key, const void *head, uint32_t head_len,
                  const void *body, uint32_t body_len)
{
    struct value v = {.pre = head, .pre_len = head_len, .val = body, .len = body_len};
    if (head_len && !head)
        return H7_STORE_EINVAL;
    return write_record(s, key, TYPE_VALUE, &v);
}

int h7_store_set(struct h7_store *s, uint32_t key, const void *val, uint32_t len)
{
    return h7_store_set2(s, key, NULL, 0, val, len);
}

int h7_store_delete(struct h7_store *s, uint32_t key)
{
    struct value v = {0};
    return write_record(s, key, TYPE_DELETE, &v);
}

int h7_store_read(struct h7_store *s, uint32_t key, uint32_t offset, void *buf, uint32_t cap,
                  uint32_t *len)
{
    uint32_t addr = s->mounted ? index_addr(s, key) : NO_ENTRY;
    if (addr == NO_ENTRY)
        return H7_STORE_ENOENT;
    int rc = record_len(s, addr, len);
    if (rc || offset >= *len)
        return rc;
    uint32_t n = *len - offset < cap ? *len - offset : cap;
    return flash_read(s, addr + REC_HEAD + offset, buf, n);
}

int h7_store_get(struct h7_store *s, uint32_t key, void *buf, uint32_t cap, uint32_t *len)
{
    return h7_store_read(s, key, 0, buf, cap, len);
}

int h7_store_iterate(struct h7_store *s, int (*fn)(void *ctx, uint32_t key, uint32_t len),
                     void *ctx)
{
    for (uint32_t i = 0; s->mounted && i < s->keys; i++) {
        uint32_t len, key = s->cfg.index[i].key;
        int rc = record_len(s, s->cfg.index[i].addr, &len);
        if (rc || (rc = fn(ctx, key, len)))
            return rc;
    }
    return 0;
}

void h7_store_stat(const struct h7_store *s, struct h7_store_stat *st)
{
    uint32_t payload = s->cfg.unit_size - UNIT_DATA_OFF;
    uint32_t in_log = s->used ? (s->used - 1) * payload + s->head_pos - UNIT_DATA_OFF : 0;
    uint32_t spare = free_units(s) > RESERVE_UNITS ? free_units(s) - RESERVE_UNITS : 0;
    memset(st, 0, sizeof *st);
    st->keys = s->keys;
    st->live_bytes = s->live_bytes;
    st->capacity_bytes = capacity(s);
    st->free_bytes = (s->used ? s->cfg.unit_size - s->head_pos : 0) + spare * payload;
    st->reclaimable_bytes = in_log > s->live_bytes ? in_log - s->live_bytes : 0;
    st->units = s->units;
    st->units_used = s->used;
    st->units_free = free_units(s);
    st->erases = s->erases;
    st->ring_cycles = s->units ? s->seq / s->units : 0;
}
