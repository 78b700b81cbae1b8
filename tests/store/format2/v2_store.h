/* v2_store.h — the API of the format-2 store of commit 9c1ca66 (v2_store.c), renamed. The types
 * are the current ones: struct h7_store and its config did not change. */
#ifndef V2_STORE_H
#define V2_STORE_H

#include "h7_store.h"

int v2_store_mount(struct h7_store *s, const struct h7_store_config *cfg);
int v2_store_set(struct h7_store *s, uint32_t key, const void *val, uint32_t len);
int v2_store_delete(struct h7_store *s, uint32_t key);
int v2_store_get(struct h7_store *s, uint32_t key, void *buf, uint32_t cap, uint32_t *len);
int v2_store_gc_needed(const struct h7_store *s);
int v2_store_gc_step(struct h7_store *s);

#endif
