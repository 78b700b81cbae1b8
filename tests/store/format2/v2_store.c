/* v2_store.c — the format-2 store of commit 9c1ca66 (store_v2.c, unchanged) with its API renamed
 * v2_store_*, so a test links it beside the current store. */
#define h7_store_mount v2_store_mount
#define h7_store_format v2_store_format
#define h7_store_get v2_store_get
#define h7_store_read v2_store_read
#define h7_store_set v2_store_set
#define h7_store_set2 v2_store_set2
#define h7_store_delete v2_store_delete
#define h7_store_iterate v2_store_iterate
#define h7_store_gc_needed v2_store_gc_needed
#define h7_store_gc_step v2_store_gc_step
#define h7_store_stat v2_store_stat
#include "store_v2.c"
