/*
 * h7_store.h — key-value store for NOR flash. This header is the whole API.
 *
 * A log-structured store for any flash with erase-to-0xFF and 1->0 programming, reached through
 * include/h7/flash.h. Portable C11, no malloc, no board code; the caller owns every byte of RAM
 * it uses (the `struct h7_store` and the key index array).
 *
 * What it guarantees (each is tested under tests/store/):
 *  - once h7_store_set() or h7_store_delete() returns H7_STORE_OK the change survives any power
 *    cut; an interrupted call leaves the old or the new value, never anything else;
 *  - keys not being written are never affected by a power cut, whenever it happens;
 *  - mount never crashes or reads outside the partition, whatever the flash holds;
 *  - erases go round the partition's erase units in a ring, so wear is even;
 *  - no call erases more than once while the app keeps up with h7_store_gc_step() (see below):
 *    set/delete then only program, and erases happen only where the app calls gc_step;
 *  - without gc_step, a set/delete that finds no room erases the next unit if it is not erased
 *    yet and collects the oldest unit when the log is at its limit (copies and a mark: programs
 *    only); it takes such steps only while its record still has no room, and never more than
 *    one round of the log, so it erases at most `units` times (one per unit a round fills plus
 *    at most 2 free units a power cut left dirty). Usually that is once: the 32 x 32-byte
 *    reference workload never needs more; near capacity, with much data that is never
 *    rewritten or with 1 KB values, one set can need several (9 and 10 of 16 measured).
 *
 * Keys are 32-bit integers (any value). Values are 0..H7_STORE_VALUE_MAX bytes. Why 1 KB: a
 * record never spans two erase units, and the space accounting keeps room for one largest
 * record per unit so garbage collection can always make progress; 1 KB keeps that reserve at a
 * quarter of a 4 KB sector. The on-flash length field allows up to 4095 (compile with
 * -DH7_STORE_VALUE_MAX=n to change it; every unit must hold at least two largest records).
 *
 * Usage:
 *     static struct h7_store_entry index[64];
 *     static struct h7_store st;
 *     struct h7_store_config cfg = { .flash = &flash, .offset = 0, .size = 64 * 1024,
 *                                    .unit_size = 4096, .index = index, .index_capacity = 64 };
 *     h7_store_mount(&st, &cfg);         // an erased or foreign partition mounts as empty
 *     h7_store_set(&st, 7, &gain, sizeof gain);
 *     ...
 *     if (h7_store_gc_needed(&st))       // in idle time, outside the audio callback
 *         h7_store_gc_step(&st);         // at most one erase (~45 ms for a 4 KB sector)
 *
 * Timing (simulated IS25LP064A, typical figures, ports/host/nor_sim): a set of a 32-byte value is
 * one or two page-program commands (0.2 ms each); mount reads about log2(units) unit headers
 * and the log, which garbage collection keeps short (a few units when live data is small).
 *
 * Record overhead: 7 to 10 bytes (the key is stored in its shortest form: 1 byte below 256,
 * 4 bytes from 2^24 on), so small keys fit more records in a unit and erase less.
 *
 * The on-flash format and its invariants are in docs/store.md and store.c.
 */
#ifndef H7_STORE_H
#define H7_STORE_H

#include <stdint.h>

#include "h7/flash.h"

#ifndef H7_STORE_VALUE_MAX
#define H7_STORE_VALUE_MAX 1024u
#endif

/* Results: 0 on success; flash errors (H7_FLASH_EIO, H7_FLASH_EPOWER, ...) pass through
 * unchanged; the store's own errors are below. */
enum h7_store_err {
    H7_STORE_OK = 0,
    H7_STORE_ENOENT = -10,  /* no such key */
    H7_STORE_ENOSPC = -11,  /* live data would exceed the capacity (h7_store_stat) */
    H7_STORE_ENOMEM = -12,  /* the key index array is full */
    H7_STORE_EINVAL = -13,  /* bad configuration or argument (value too long, ...) */
    H7_STORE_EFORMAT = -14, /* the partition holds a store of another format or unit size */
};

/* One entry of the RAM index: where the newest record of `key` starts. Caller-allocated. */
struct h7_store_entry {
    uint32_t key;
    uint32_t addr; /* partition offset of the record */
};

struct h7_store_config {
    const struct h7_flash *flash;
    uint32_t offset;    /* partition start in the flash, a multiple of unit_size */
    uint32_t size;      /* partition bytes, a multiple of unit_size, at least 4 units */
    uint32_t unit_size; /* erase unit the store works in: flash->erase_size or erase_size_large;
                           flash->program_size must divide it and be at least 14 bytes */
    struct h7_store_entry *index;
    uint32_t index_capacity; /* most keys the store can hold */
};

/* The store's state: allocate it (static or on the stack), never touch its fields. */
struct h7_store {
    struct h7_store_config cfg;
    uint32_t units;      /* erase units in the partition */
    uint32_t used;       /* units in the log (tail .. head, in ring order) */
    uint32_t head;       /* unit being appended to */
    uint32_t head_pos;   /* append offset inside the head unit */
    uint32_t seq;        /* sequence number of the head unit */
    uint32_t keys;       /* entries in the index */
    uint32_t live_bytes; /* bytes of the newest record of every key */
    uint32_t erases;     /* erases this store issued since mount */
    uint32_t clean;      /* units after the head known to be erased */
    uint32_t fmt;        /* format byte of the unit headers */
};

struct h7_store_stat {
    uint32_t keys;
    uint32_t live_bytes;        /* records holding current values (headers included) */
    uint32_t capacity_bytes;    /* the most live_bytes may grow to */
    uint32_t free_bytes;        /* can be written before garbage collection must run */
    uint32_t reclaimable_bytes; /* old versions and deletions that garbage collection frees */
    uint32_t units, units_used, units_free;
    uint32_t erases;      /* erases issued since mount */
    uint32_t ring_cycles; /* times the log went round the partition: each unit's erase count */
};

/* Mount the store in cfg's partition: check the configuration, rebuild the RAM index from the
 * log (a binary search over the unit headers, then the log's units; a partition this store's
 * binary search does not fit, e.g. format 2 as older code left it, costs one read of every
 * unit's header instead; writes nothing). A partition without any unit of this store
 * (erased, or foreign data) mounts as an empty store; units are erased when first needed.
 * Errors: H7_STORE_EINVAL (configuration), H7_STORE_EFORMAT (a store with another unit size or
 * format version lives here, e.g. one written by format 1 of this code), H7_STORE_ENOMEM (more
 * keys than index_capacity), flash errors. A store that did not mount holds no keys and refuses
 * set and delete. */
int h7_store_mount(struct h7_store *s, const struct h7_store_config *cfg);

/* Erase the whole partition (slow: every unit) and mount it empty. */
int h7_store_format(struct h7_store *s, const struct h7_store_config *cfg);

/* Copy the value of `key` into buf (at most cap bytes) and set *len to its full length (which
 * may exceed cap: the copy is then cut short). H7_STORE_ENOENT when the key does not exist. */
int h7_store_get(struct h7_store *s, uint32_t key, void *buf, uint32_t cap, uint32_t *len);

/* Like h7_store_get, from byte `offset` of the value on (nothing copied when offset >= *len). */
int h7_store_read(struct h7_store *s, uint32_t key, uint32_t offset, void *buf, uint32_t cap,
                  uint32_t *len);

/* Store `len` bytes (0..H7_STORE_VALUE_MAX) under `key`. Writing a value equal to the stored one
 * writes nothing. May run garbage collection first when the app did not (see gc_step). */
int h7_store_set(struct h7_store *s, uint32_t key, const void *val, uint32_t len);

/* Store a value made of two parts, head then body, without copying them together first (the
 * settings helper stores a version in front of a struct this way). */
int h7_store_set2(struct h7_store *s, uint32_t key, const void *head, uint32_t head_len,
                  const void *body, uint32_t body_len);

/* Remove `key`; H7_STORE_ENOENT when it does not exist. */
int h7_store_delete(struct h7_store *s, uint32_t key);

/* Call fn for every key in increasing key order with the value's length; stops early and returns
 * fn's value when fn returns non-zero. */
int h7_store_iterate(struct h7_store *s, int (*fn)(void *ctx, uint32_t key, uint32_t len),
                     void *ctx);

/* 1 when the next set could have to erase: run h7_store_gc_step() in idle time then. */
int h7_store_gc_needed(const struct h7_store *s);

/* One bounded piece of garbage collection, at most one erase: check (and if needed erase) the
 * next unit to write, or move the live records out of the oldest unit and erase it. Does nothing
 * when h7_store_gc_needed() is 0. */
int h7_store_gc_step(struct h7_store *s);

void h7_store_stat(const struct h7_store *s, struct h7_store_stat *st);

#endif /* H7_STORE_H */
