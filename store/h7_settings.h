/*
 * h7_settings.h — typed, versioned settings on top of the store (h7_store.h). This header is the
 * whole API. The drop-in replacement for libDaisy's PersistentStorage: load the struct or its
 * defaults, save it only when it changed, never erase in place.
 *
 *     struct patch { float gain; uint8_t mode; };          // append fields, never reorder
 *     static const struct patch defaults = { 0.5f, 1 };
 *     static struct patch cur;
 *     static struct h7_settings settings = { .store = &st, .key = 0x5E771, .version = 2,
 *                                            .data = &cur, .size = sizeof cur,
 *                                            .defaults = &defaults, .upgrade = my_upgrade };
 *     h7_settings_load(&settings);    // cur = stored settings, upgraded, or defaults
 *     cur.gain = 0.7f;
 *     h7_settings_save(&settings);    // writes only when cur differs from what is stored
 *
 * On flash the value is a 2-byte little-endian version followed by the struct's bytes.
 * Upgrade: when the stored version differs from `version`, data is first filled with the
 * defaults, then the stored bytes (as many as fit) are copied over them, then upgrade(ctx,
 * old_version, old_size, data) fixes what changed meaning. Without a hook, a struct that only
 * grew at its end keeps its old fields and gets defaults for the new ones. A hook returning
 * non-zero rejects the old data: defaults are used.
 */
#ifndef H7_SETTINGS_H
#define H7_SETTINGS_H

#include <stdint.h>

#include "h7_store.h"

struct h7_settings {
    struct h7_store *store;
    uint32_t key;
    uint16_t version;
    uint16_t size; /* sizeof the struct, at most H7_STORE_VALUE_MAX - 2 */
    void *data;
    const void *defaults;
    int (*upgrade)(void *ctx, uint16_t old_version, uint32_t old_size, void *data);
    void *ctx;
};

/* Returns 0 when the stored settings were loaded (and upgraded if needed), 1 when defaults were
 * used (nothing stored, or the upgrade hook refused), or a store/flash error (data then holds the
 * defaults). */
int h7_settings_load(struct h7_settings *s);

/* Store data under the key unless the store already holds exactly this (the store compares
 * byte for byte and then writes nothing). Returns 0 or an error of h7_store_set(). */
int h7_settings_save(struct h7_settings *s);

#endif /* H7_SETTINGS_H */
