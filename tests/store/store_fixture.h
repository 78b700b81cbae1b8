/* store_fixture.h — shared by the store tests: a simulated flash, a store on it, a RAM model of
 * what every key must hold, and the check that flash and model agree. */
#ifndef STORE_FIXTURE_H
#define STORE_FIXTURE_H

#include <stdint.h>

#include "h7_store.h"
#include "nor_sim.h"

#define FX_MAX_KEYS 64
#define FX_VAL_MAX 1024

struct fx_model {
    int present[FX_MAX_KEYS];
    uint32_t len[FX_MAX_KEYS];
    uint8_t val[FX_MAX_KEYS][FX_VAL_MAX];
};

struct fx {
    struct nor_sim sim;
    struct h7_store st;
    struct h7_store_config cfg;
    struct h7_store_entry index[FX_MAX_KEYS];
};

/* Flash of `size` bytes in units of `unit` (4 KB sectors or 64 KB blocks), store over all of it. */
void fx_init(struct fx *f, uint32_t size, uint32_t unit, uint64_t seed);
void fx_free(struct fx *f);
int fx_mount(struct fx *f);
/* Key i of the tests (spread over the 32-bit space). */
uint32_t fx_key(int i);
/* Fill buf with a value for (key index, generation) whose length is len; ends in 0xFF bytes when
 * gen is odd (the FlashDB failure). */
void fx_value(uint8_t *buf, uint32_t len, int i, uint32_t gen);
/* Mismatch description, or NULL when the store holds exactly the model; `alt` (may be NULL) is
 * an allowed alternative state for key `alt_key` (old or new value of an interrupted write). */
const char *fx_check(struct fx *f, const struct fx_model *m, const struct fx_model *alt,
                     int alt_key);
void fx_model_set(struct fx_model *m, int i, const uint8_t *v, uint32_t len);
/* After a cut during a write of key i, whichever value the store shows (old or new, both were
 * allowed) becomes the model's. */
void fx_settle(struct fx *f, struct fx_model *m, int i);

#endif
