/*
 * store.c — the log-structured key-value store (API and usage: h7_store.h).
 *
 * ON-FLASH FORMAT (format version 2; all integers little-endian; docs/store.md has the long
 * version)
 *
 * The partition is a ring of erase units. The log is the run of units tail .. head in ring
 * order; the other units are free. Every unit of the log starts with
 *
 *   offset 0   unit header, itself a record: key = sequence number (always 4 bytes), type UNIT,
 *              4-byte value "H7S" + format byte (version << 5 | log2(unit_size))
 *   offset 14  retired byte: 0xFF while the unit is in the log; programmed to 0x00 by garbage
 *              collection once every live record in it has been copied out (the "GC done" mark)
 *   offset 15  records, packed, until the next one does not fit
 *
 * A record is: meta u16 (type << 14 | (key bytes - 1) << 12 | length), key (1 to 4 bytes: the
 * fewest that hold it), value[length], crc u32. The CRC-32 covers meta, key and value and is the
 * commit point: it is the last byte written, so a record counts only when it is complete (mount
 * runs the CRC over the record and its stored CRC, which must end at the CRC-32 residue). Types:
 * VALUE (0), DELETE (1, length 0), UNIT (2, unit headers only: checked against the header they
 * must be, never parsed as records). A record whose key is not in its shortest form is invalid.
 *
 * INVARIANTS (kept by the code below; each names where)
 *  I1 Units of the log carry consecutive sequence numbers in ring order, head highest. Mount
 *     finds the head (highest valid, non-retired sequence) and walks back while the numbers go
 *     down by one: stray old headers cannot join the log.                            (load)
 *  I2 Inside a unit, later records are newer; across units, higher sequence is newer. The index
 *     is rebuilt by replaying the log oldest to newest.                              (load)
 *  I3 Nothing is ever written after bytes that are not a valid record, except at a program-page
 *     boundary from which the whole rest of the unit was checked erased. The parser follows the
 *     same rule: at an invalid position it continues at the next page boundary, and it stops
 *     where the rest of the unit reads erased. A torn program only touches the pages of the
 *     command that was cut, so garbage never hides a later valid record.  (next_record, append)
 *     The append point is thus never found by looking for trailing 0xFF: it is the end of the
 *     last valid record, and only if everything after it is really erased.
 *  I4 A free unit is written only after it was read back fully erased, or erased: `clean`
 *     counts the units after the head known to be erased.           (prep, collect, open_unit)
 *  I5 A unit leaves the log only after every live record in it was copied to the head and its
 *     retired byte was programmed; only then is it erased. A cut at any point leaves either the
 *     unit (still in the log, its records older than the copies) or the copies.  (collect)
 *  I6 RESERVE_UNITS free units stay untouched by set/delete, so a collection that is cut and
 *     restarted (each cut wastes at most two program pages of the head) still has room.
 *  I7 DELETE records are dropped when their unit is collected: a unit is only collected as the
 *     tail, so no older record of that key exists anywhere else.               (collect)
 *  I8 One step (prep or collect) erases at most once; the app's gc_step is one step; set and
 *     delete take steps only while their record has no room.                   (make_room)
 */
#include "h7_store.h"

#include <string.h>

#include "h7_crc32.h"

#define TYPE_VALUE 0u
#define TYPE_DELETE 1u
#define TYPE_UNIT 2u
#define TYPE_RAW 3u /* emit(): only the value's bytes (GC copies of whole records) */

#define REC_MIN 7u                            /* meta, 1-byte key, crc */
#define REC_MAX (10u + H7_STORE_VALUE_MAX)    /* meta, 4-byte key, value, crc */
#define UNIT_RETIRED_OFF 14u
#define UNIT_DATA_OFF 15u
#define FORMAT_VERSION 2u
#define RESERVE_UNITS 2u
#define NO_ENTRY 0xFFFFFFFFu
#define WIN 256u

#if H7_STORE_VALUE_MAX > 4095
#error "H7_STORE_VALUE_MAX must fit the 12-bit length field"
#endif

/* Read window over the flash: mount and GC parse records through it in 256-byte reads. */
struct win {
    uint32_t off, len;
    uint8_t buf[WIN];
};

struct rec {
    uint32_t key, addr, type, size;
};

/* A record to write in parts: meta + key, `pre` (may be empty), the value, the CRC. emit() fills
 * parts 0 and 3; the caller 1 and 2. A part without bytes in RAM (p NULL) comes from flash at
 * partition offset src (GC copies). */
struct value {
    const uint8_t *p[4];
    uint32_t n[4];
    uint32_t src;
};

static uint32_t get32(const uint8_t *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(p, &v, 4); /* the same bytes, one store where the CPU allows unaligned ones */
#else
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
#endif
}

static uint32_t min32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

static int rd(const struct h7_store *s, uint32_t addr, void *buf, uint32_t len)
{
    const struct h7_flash *f = s->cfg.flash;
    return f->ops->read(f->ctx, s->cfg.offset + addr, buf, len);
}

/* One page-program command: [addr, addr+len) never crosses a program page. */
static int prog(const struct h7_store *s, uint32_t addr, const void *buf, uint32_t len)
{
    const struct h7_flash *f = s->cfg.flash;
    return f->ops->program(f->ctx, s->cfg.offset + addr, buf, len);
}

static uint32_t usize(const struct h7_store *s)
{
    return s->cfg.unit_size;
}

static uint32_t free_units(const struct h7_store *s)
{
    return s->units - s->used;
}

static uint32_t ring_next(const struct h7_store *s, uint32_t unit)
{
    return unit + 1 == s->units ? 0 : unit + 1;
}

static uint32_t tail_unit(const struct h7_store *s)
{
    return (s->head + free_units(s) + 1) % s->units;
}

/* Meta + key bytes of a record: the key in its shortest form. */
static uint32_t head_len(uint32_t key)
{
    uint32_t n = 3;
    for (key >>= 8; key; key >>= 8)
        n++;
    return n;
}

static uint32_t rec_size(uint32_t key, uint32_t len)
{
    return head_len(key) + len + 4;
}

/* Bytes [addr, addr+n) of the partition through the window; n <= WIN. */
static int win_get(const struct h7_store *s, struct win *w, uint32_t addr, uint32_t n,
                   const uint8_t **p)
{
    int rc = 0;
    if (addr < w->off || addr + n > w->off + w->len) {
        w->off = addr;
        w->len = min32(s->cfg.size - addr, WIN);
        rc = rd(s, addr, w->buf, w->len); /* on error every caller drops the window */
    }
    *p = w->buf + (addr - w->off);
    return rc;
}

/* Walk [addr, addr+len) through the window, adding the bytes to *crc (when given): 0 when they
 * all read 0xFF (erased), 1 when not, or a flash error. */
static int scan(const struct h7_store *s, struct win *w, uint32_t addr, uint32_t len,
                uint32_t *crc)
{
    uint32_t and = 0xFF; /* AND of every byte: 0xFF when all read erased */
    while (len) {
        const uint8_t *p;
        uint32_t k = min32(len, WIN);
        int rc = win_get(s, w, addr, k, &p);
        if (rc)
            return rc;
        if (crc)
            *crc = h7_crc32(*crc, p, k);
        for (uint32_t i = 0; i < k; i++)
            and &= p[i];
        addr += k;
        len -= k;
    }
    return and != 0xFF;
}

/* Check the record at addr (which must end by `end`, at least REC_MIN bytes on): 1 and *r when
 * it is a valid VALUE or DELETE record, 0 when not, or a flash error. */
static int check_record(const struct h7_store *s, struct win *w, uint32_t addr, uint32_t end,
                        struct rec *r)
{
    int rc = scan(s, w, addr, 6, NULL); /* leaves the 6 bytes in the window */
    const uint8_t *p = w->buf + (addr - w->off);
    if (rc < 0)
        return rc;
    uint32_t meta = p[0] | (uint32_t)p[1] << 8, kb = (meta >> 12 & 3u) + 1;
    r->key = get32(p + 2) & (0xFFFFFFFFu >> (32 - 8 * kb));
    r->addr = addr;
    uint32_t len = meta & 0xFFFu;
    r->type = meta >> 14;
    r->size = 6 + kb + len;
    if (r->type >= TYPE_UNIT || (kb > 1 && !(r->key >> (8 * kb - 8))) || len > H7_STORE_VALUE_MAX ||
        r->size > end - addr)
        return 0;
    /* The CRC-32 of a record and its own CRC is the check residue. */
    uint32_t crc = 0;
    rc = scan(s, w, addr, r->size, &crc);
    return rc < 0 ? rc : crc == H7_CRC32_CHECK_RESIDUE;
}

/* Next valid record of the unit at partition offset base from *pos (a unit offset), following
 * invariant I3. Returns 1 with *r, or 0 at the end of the unit's records with *pos at the append
 * point (the unit size when nothing more may be written), or a flash error. */
static int next_record(const struct h7_store *s, struct win *w, uint32_t base, uint32_t *pos,
                       struct rec *r)
{
    uint32_t end = base + usize(s), page = s->cfg.flash->program_size;
    while (*pos + REC_MIN <= usize(s)) {
        int rc = check_record(s, w, base + *pos, end, r);
        if (rc == 1) {
            *pos += r->size;
            return 1;
        }
        /* Not a record: stop when the rest of the unit is erased, else go on at the next page. */
        if (rc || (rc = scan(s, w, base + *pos, usize(s) - *pos, NULL)) != 1)
            return rc;
        *pos = (*pos / page + 1) * page;
    }
    *pos = usize(s);
    return 0;
}

/* The 14-byte header of a unit: a UNIT record of key seq, value "H7S" + format byte fmt. */
static void make_header(uint8_t *h, uint32_t seq, uint8_t fmt)
{
    h[0] = 4;
    h[1] = TYPE_UNIT << 6 | 3u << 4;
    put32(h + 2, seq);
    put32(h + 6, 'H' | '7' << 8 | 'S' << 16 | (uint32_t)fmt << 24);
    put32(h + 10, h7_crc32(0, h, 10));
}

/* Unit header: 1 when `unit` holds a valid header of this store (seq in *seq), 2 when it is also
 * retired, 0 when not, H7_STORE_EFORMAT for a header of another format, or a flash error. */
static int read_unit_header(const struct h7_store *s, uint32_t unit, uint32_t *seq)
{
    uint8_t b[UNIT_DATA_OFF], h[UNIT_RETIRED_OFF];
    int rc = rd(s, unit * usize(s), b, UNIT_DATA_OFF);
    if (rc)
        return rc;
    *seq = get32(b + 2);
    make_header(h, *seq, b[9]);
    if (memcmp(b, h, sizeof h))
        return 0;
    return b[9] != s->fmt ? H7_STORE_EFORMAT : b[UNIT_RETIRED_OFF] == 0xFF ? 1 : 2;
}

/* Index: sorted by key. The entry of key, or where it would go (then NULL in *found). */
static struct h7_store_entry *index_find(const struct h7_store *s, uint32_t key,
                                         struct h7_store_entry **found)
{
    struct h7_store_entry *e = s->cfg.index, *end = e + s->keys;
    for (uint32_t n = s->keys, half; n; n -= half) {
        half = n / 2; /* key goes in [e, e + n]: drop the part where it does not */
        if (e[half].key < key) {
            e += half + 1;
            half++;
        } else {
            half = n - half;
        }
    }
    *found = e < end && e->key == key ? e : NULL;
    return e;
}

/* Point key at the record at addr, or remove it when that record is a DELETE. */
static int index_put(struct h7_store *s, uint32_t key, uint32_t addr, uint32_t type)
{
    struct h7_store_entry *found, *e = index_find(s, key, &found);
    uint32_t after = (uint32_t)(s->cfg.index + s->keys - e);
    if (type == TYPE_DELETE) {
        if (found) {
            memmove(e, e + 1, (after - 1) * sizeof *e);
            s->keys--;
        }
        return 0;
    }
    if (!found) {
        if (s->keys == s->cfg.index_capacity)
            return H7_STORE_ENOMEM;
        memmove(e + 1, e, after * sizeof *e);
        s->keys++;
        e->key = key;
    }
    e->addr = addr;
    return 0;
}

static uint32_t index_addr(const struct h7_store *s, uint32_t key)
{
    struct h7_store_entry *found;
    index_find(s, key, &found);
    return found ? found->addr : NO_ENTRY;
}

/* Length of the value of the record at addr. */
static int value_len(const struct h7_store *s, uint32_t addr, uint32_t *len)
{
    uint8_t meta[2];
    int rc = rd(s, addr, meta, 2);
    *len = (meta[0] | (uint32_t)meta[1] << 8) & 0xFFFu;
    return rc;
}

static uint32_t capacity(const struct h7_store *s)
{
    return (s->units - RESERVE_UNITS - 1) * (usize(s) - UNIT_DATA_OFF - REC_MAX);
}

static int add_live(void *ctx, uint32_t key, uint32_t len)
{
    ((struct h7_store *)ctx)->live_bytes += rec_size(key, len);
    return 0;
}

/* Find the log (I1), replay it oldest to newest into the index (I2), sum the live bytes. */
static int load(struct h7_store *s)
{
    uint32_t best = 0, seq, u, i;
    int rc;
    struct win w;
    struct rec r;
    s->head = s->units - 1; /* empty: the first unit opened is unit 0 */
    for (u = 0; u < s->units; u++) {
        if ((rc = read_unit_header(s, u, &seq)) < 0)
            return rc;
        if (rc && seq > s->seq)
            s->seq = seq;
        if (rc == 1 && seq > best) { /* sequence numbers start at 1 */
            best = seq;
            s->head = u;
        }
    }
    /* Walk back from the head while the sequence numbers go down by one (I1); u ends just
     * before the tail. Without a head best is 0: the walk stops at once unless the last unit's
     * header claims sequence 0, which the store never writes. */
    for (u = s->head; s->used < s->units; s->used++, u = (u ? u : s->units) - 1) {
        if ((rc = read_unit_header(s, u, &seq)) < 0)
            return rc;
        if (rc != 1 || seq != best - s->used)
            break;
    }
    w.off = w.len = 0;
    for (i = 0, u = ring_next(s, u); i < s->used; i++, u = ring_next(s, u)) {
        uint32_t pos = UNIT_DATA_OFF;
        while ((rc = next_record(s, &w, u * usize(s), &pos, &r)) == 1)
            if ((rc = index_put(s, r.key, r.addr, r.type)))
                return rc;
        if (rc < 0)
            return rc;
        s->head_pos = pos; /* the last unit replayed is the head */
    }
    return h7_store_iterate(s, add_live, s);
}

int h7_store_mount(struct h7_store *s, const struct h7_store_config *cfg)
{
    memset(s, 0, sizeof *s);
    s->cfg = *cfg;
    const struct h7_flash *f = cfg->flash;
    uint32_t unit = cfg->unit_size;
    s->head_pos = unit; /* no head unit yet: no room */
    if (!f || !cfg->index || unit < UNIT_DATA_OFF + 2 * REC_MAX ||
        (unit != f->erase_size && unit != f->erase_size_large) || cfg->offset % unit ||
        cfg->size % unit || cfg->offset > f->size || cfg->size > f->size - cfg->offset ||
        f->program_size < UNIT_RETIRED_OFF || unit % f->program_size ||
        cfg->size / unit < RESERVE_UNITS + 2)
        return H7_STORE_EINVAL;
    s->units = cfg->size / unit;
    /* Format byte: version << 5 | log2(unit_size), rounded up. */
    uint32_t fmt = FORMAT_VERSION << 5;
    for (uint32_t x = unit - 1; x; x >>= 1)
        fmt++;
    s->fmt = fmt;
    int rc = load(s);
    /* A store that did not mount has no units (set and delete refuse, gc_needed is 0) and no keys
     * (get, read and iterate find nothing). */
    if (rc)
        s->units = s->used = s->keys = 0;
    return rc;
}

/* Erase the unit at partition offset addr. */
static int erase_unit(struct h7_store *s, uint32_t addr)
{
    const struct h7_flash *f = s->cfg.flash;
    s->erases++;
    return f->ops->erase(f->ctx, s->cfg.offset + addr, usize(s));
}

int h7_store_format(struct h7_store *s, const struct h7_store_config *cfg)
{
    int rc = h7_store_mount(s, cfg); /* checks the configuration */
    if (rc == H7_STORE_EINVAL)
        return rc;
    for (uint32_t a = 0; a < cfg->size; a += cfg->unit_size)
        if ((rc = erase_unit(s, a)))
            return rc;
    return h7_store_mount(s, cfg);
}

/* Programs a record in as few page-program commands as possible, in address order, so the CRC at
 * its end is written last; also sums the CRC of what it writes. A command ends at a program page
 * boundary (the partition starts on one), when the buffer is full, or at the record's end. With
 * cmp it programs nothing: it reads the flash byte by byte and stops with 1 at the first byte
 * that differs from what it would write. */
struct writer {
    uint32_t at, n, end, crc; /* partition offset of buf[0], bytes buffered, record end, CRC */
    int cmp;
    uint8_t buf[WIN];
};

static int wr_put(const struct h7_store *s, struct writer *wr, const uint8_t *p, uint32_t len)
{
    int rc = 0;
    for (uint32_t i = 0; i < len && !rc; i++) {
        uint8_t b;
        wr->crc = h7_crc32(wr->crc, p + i, 1);
        if (wr->cmp) {
            if (!(rc = rd(s, wr->at++, &b, 1)) && b != p[i])
                rc = 1;
            continue;
        }
        wr->buf[wr->n++] = p[i];
        if (wr->n == WIN || (wr->at + wr->n) % s->cfg.flash->program_size == 0 ||
            wr->at + wr->n == wr->end) {
            rc = prog(s, wr->at, wr->buf, wr->n);
            wr->at += wr->n;
            wr->n = 0;
        }
    }
    return rc;
}

/* Program the record (key, type, v) at partition offset at (for TYPE_RAW just v's bytes) and
 * return its size; with cmp, only compare: 1 when the flash holds something else, 0 when it holds
 * exactly that. Or a flash error. */
static int emit(const struct h7_store *s, uint32_t at, uint32_t key, uint32_t type,
                struct value *v, int cmp)
{
    struct writer wr;
    wr.at = at;
    wr.n = 0;
    wr.crc = 0;
    wr.cmp = cmp;
    uint8_t tmp[64];
    uint32_t total = v->n[1] + v->n[2], n = type == TYPE_RAW ? 0 : head_len(key);
    uint32_t c = n ? 4 : 0;
    wr.end = at + n + total + c;
    put32(tmp, total | type << 14 | (n - 3) << 12); /* meta; bytes 2-3 get the key next */
    put32(tmp + 2, key);
    v->p[0] = v->p[3] = tmp; /* the CRC is made when reached */
    v->n[0] = n;
    v->n[3] = c;
    int rc = 0;
    for (uint32_t i = 0; i < 4; i++) {
        if (i == 3)
            put32(tmp, wr.crc);
        for (uint32_t done = 0, k; !rc && done < v->n[i]; done += k) {
            const uint8_t *p = tmp;
            k = v->n[i] - done;
            if (v->p[i])
                p = v->p[i] + done;
            else
                rc = rd(s, v->src + done, tmp, k = min32(k, sizeof tmp));
            if (!rc)
                rc = wr_put(s, &wr, p, k);
        }
    }
    return rc || cmp ? rc : (int)(wr.end - at);
}

/* Append one record at the head; the caller made room. Any failure seals the head (I3). */
static int append(struct h7_store *s, uint32_t key, uint32_t type, struct value *v)
{
    uint32_t at = s->head * usize(s) + s->head_pos;
    int rc = emit(s, at, key, type, v, 0);
    if (rc < 0) {
        s->head_pos = usize(s);
        return rc;
    }
    s->head_pos += (uint32_t)rc;
    return index_put(s, key, at, type);
}

/* Make the unit after the head known erased (I4): read it back, erase it when it is not. */
static int prep(struct h7_store *s)
{
    uint32_t a = ring_next(s, s->head) * usize(s);
    struct win w;
    w.off = w.len = 0;
    int rc = scan(s, &w, a, usize(s), NULL);
    if (rc > 0) /* not erased */
        rc = erase_unit(s, a);
    if (rc)
        return rc;
    s->clean = 1;
    return 0;
}

/* Make the known-erased unit after the head the new head (I4). */
static int open_unit(struct h7_store *s)
{
    uint32_t u = ring_next(s, s->head);
    uint8_t h[UNIT_RETIRED_OFF];
    make_header(h, s->seq + 1, s->fmt);
    s->clean--;
    int rc = prog(s, u * usize(s), h, sizeof h); /* program pages hold at least 14 bytes */
    if (rc)
        return rc;
    s->seq++;
    s->head = u;
    s->used++;
    s->head_pos = UNIT_DATA_OFF;
    return 0;
}

/* Move the live records out of the tail unit, mark it retired, erase it (I5, I7). Stops after
 * prep when a unit to copy into had to be made clean first: one erase per step (I8). */
static int collect(struct h7_store *s)
{
    uint32_t victim = tail_unit(s) * usize(s), pos = UNIT_DATA_OFF;
    struct win w;
    w.off = w.len = 0;
    struct rec r;
    int rc;
    while ((rc = next_record(s, &w, victim, &pos, &r)) == 1) {
        if (index_addr(s, r.key) != r.addr) /* old version, or a DELETE (I7) */
            continue;
        if (s->head_pos + r.size > usize(s)) {
            if (!free_units(s))
                return H7_STORE_ENOSPC;
            if (!s->clean)
                return prep(s);
            if ((rc = open_unit(s)))
                return rc;
        }
        /* The copy is the record's bytes as they are: nothing in a record names its place. */
        struct value v; /* one part, from flash (part 2, empty, is never read) */
        v.p[1] = NULL;
        v.n[1] = r.size;
        v.n[2] = 0;
        v.src = r.addr;
        if ((rc = append(s, r.key, TYPE_RAW, &v)))
            return rc;
    }
    if (rc < 0 || (rc = prog(s, victim + UNIT_RETIRED_OFF, "", 1)) ||
        (rc = erase_unit(s, victim)))
        return rc;
    if (s->clean == free_units(s))
        s->clean++;
    s->used--;
    return 0;
}

int h7_store_gc_needed(const struct h7_store *s)
{
    uint32_t free = free_units(s);
    return (free <= RESERVE_UNITS + 1 && s->used > 1) || (!s->clean && free);
}

/* One step of garbage collection: at most one erase (I8). */
int h7_store_gc_step(struct h7_store *s)
{
    if (!h7_store_gc_needed(s))
        return 0;
    return !s->clean && free_units(s) ? prep(s) : collect(s);
}

/* Room for `need` bytes at the head, keeping RESERVE_UNITS free (I6): steps only while there is
 * no room (I8). Gives up with H7_STORE_ENOSPC when two rounds of the ring free nothing. */
static int make_room(struct h7_store *s, uint32_t need)
{
    int rc = 0;
    for (uint32_t steps = 0; !rc && s->head_pos + need > usize(s);) {
        if (free_units(s) > RESERVE_UNITS && s->clean)
            rc = open_unit(s);
        else if (steps++ > 2 * s->units)
            return H7_STORE_ENOSPC;
        else
            rc = h7_store_gc_step(s); /* needed: no room, or no clean unit */
    }
    return rc;
}

static int write_record(struct h7_store *s, uint32_t key, uint32_t type, const void *pre,
                        uint32_t pre_len, const void *val, uint32_t vlen)
{
    struct value v; /* (src: only for GC copies) */
    v.p[1] = pre;
    v.n[1] = pre_len;
    v.p[2] = val;
    v.n[2] = vlen;
    uint32_t len = pre_len + vlen, size = rec_size(key, len), was = 0, old, old_len;
    uint32_t now = type == TYPE_DELETE ? 0 : size;
    int rc;
    if (!s->units || len > H7_STORE_VALUE_MAX || (vlen && !val) || (pre_len && !pre))
        return H7_STORE_EINVAL;
    if ((old = index_addr(s, key)) != NO_ENTRY) {
        if ((rc = value_len(s, old, &old_len)))
            return rc;
        was = rec_size(key, old_len);
        /* The same record is there already (equal value): write nothing. */
        if ((rc = emit(s, old, key, type, &v, 1)) <= 0)
            return rc;
    } else if (type == TYPE_DELETE) {
        return H7_STORE_ENOENT;
    } else if (s->keys == s->cfg.index_capacity) {
        return H7_STORE_ENOMEM;
    }
    if (s->live_bytes - was + now > capacity(s))
        return H7_STORE_ENOSPC;
    if ((rc = make_room(s, size)) || (rc = append(s, key, type, &v)))
        return rc;
    s->live_bytes += now - was;
    return 0;
}

int h7_store_set2(struct h7_store *s, uint32_t key, const void *head, uint32_t head_len,
                  const void *body, uint32_t body_len)
{
    return write_record(s, key, TYPE_VALUE, head, head_len, body, body_len);
}

int h7_store_set(struct h7_store *s, uint32_t key, const void *val, uint32_t len)
{
    return h7_store_set2(s, key, NULL, 0, val, len);
}

int h7_store_delete(struct h7_store *s, uint32_t key)
{
    return write_record(s, key, TYPE_DELETE, NULL, 0, NULL, 0);
}

int h7_store_read(struct h7_store *s, uint32_t key, uint32_t offset, void *buf, uint32_t cap,
                  uint32_t *len)
{
    uint32_t addr = index_addr(s, key);
    if (addr == NO_ENTRY)
        return H7_STORE_ENOENT;
    int rc = value_len(s, addr, len);
    uint32_t k;
    if (rc || offset >= *len || !(k = min32(*len - offset, cap)))
        return rc;
    return rd(s, addr + head_len(key) + offset, buf, k);
}

int h7_store_get(struct h7_store *s, uint32_t key, void *buf, uint32_t cap, uint32_t *len)
{
    return h7_store_read(s, key, 0, buf, cap, len);
}

int h7_store_iterate(struct h7_store *s, int (*fn)(void *ctx, uint32_t key, uint32_t len),
                     void *ctx)
{
    for (const struct h7_store_entry *e = s->cfg.index; e < s->cfg.index + s->keys; e++) {
        uint32_t len;
        int rc = value_len(s, e->addr, &len);
        if (rc || (rc = fn(ctx, e->key, len)))
            return rc;
    }
    return 0;
}

void h7_store_stat(const struct h7_store *s, struct h7_store_stat *st)
{
    /* An empty store has used 0 and head_pos = the unit size: both sums come out 0. */
    uint32_t payload = usize(s) - UNIT_DATA_OFF, free = free_units(s);
    uint32_t in_log = (s->used - 1) * payload + s->head_pos - UNIT_DATA_OFF;
    uint32_t spare = free > RESERVE_UNITS ? free - RESERVE_UNITS : 0;
    st->keys = s->keys;
    st->live_bytes = s->live_bytes;
    st->capacity_bytes = capacity(s);
    st->free_bytes = usize(s) - s->head_pos + spare * payload;
    st->reclaimable_bytes = in_log - s->live_bytes; /* every live record is in the log */
    st->units = s->units;
    st->units_used = s->used;
    st->units_free = free;
    st->erases = s->erases;
    st->ring_cycles = s->units ? s->seq / s->units : 0;
}
