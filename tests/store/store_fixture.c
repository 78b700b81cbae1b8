/* store_fixture.c — see store_fixture.h. */
#include "store_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fx_init(struct fx *f, uint32_t size, uint32_t unit, uint64_t seed)
{
    struct nor_sim_config c = NOR_SIM_IS25LP064A;
    char err[128];
    memset(f, 0, sizeof *f);
    c.size = size;
    c.seed = seed;
    if (nor_sim_init(&f->sim, &c, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        abort();
    }
    f->cfg = (struct h7_store_config){.flash = &f->sim.flash,
                                      .offset = 0,
                                      .size = size,
                                      .unit_size = unit,
                                      .index = f->index,
                                      .index_capacity = FX_MAX_KEYS};
}

void fx_free(struct fx *f)
{
    nor_sim_free(&f->sim);
}

int fx_mount(struct fx *f)
{
    return h7_store_mount(&f->st, &f->cfg);
}

uint32_t fx_key(int i)
{
    return (uint32_t)i * 2654435761u ^ 0x5A5A0000u;
}

void fx_value(uint8_t *buf, uint32_t len, int i, uint32_t gen)
{
    uint32_t x = (uint32_t)i * 977u + gen * 131u + 7u;
    for (uint32_t k = 0; k < len; k++) {
        x = x * 1103515245u + 12345u;
        buf[k] = (uint8_t)(x >> 16);
    }
    if (gen & 1)
        for (uint32_t k = len > 3 ? len - 3 : 0; k < len; k++)
            buf[k] = 0xFF;
}

void fx_model_set(struct fx_model *m, int i, const uint8_t *v, uint32_t len)
{
    m->present[i] = v != NULL;
    m->len[i] = len;
    if (v)
        memcpy(m->val[i], v, len);
}

void fx_settle(struct fx *f, struct fx_model *m, int i)
{
    static uint8_t b[FX_VAL_MAX];
    uint32_t len;
    if (h7_store_get(&f->st, fx_key(i), b, sizeof b, &len) == 0)
        fx_model_set(m, i, b, len);
    else
        fx_model_set(m, i, NULL, 0);
}

static int matches(struct fx *f, const struct fx_model *m, int i)
{
    static uint8_t buf[FX_VAL_MAX];
    uint32_t len = 0;
    int rc = h7_store_get(&f->st, fx_key(i), buf, sizeof buf, &len);
    if (!m->present[i])
        return rc == H7_STORE_ENOENT;
    return rc == 0 && len == m->len[i] && memcmp(buf, m->val[i], len) == 0;
}

const char *fx_check(struct fx *f, const struct fx_model *m, const struct fx_model *alt,
                     int alt_key)
{
    static char msg[128];
    uint32_t n = 0;
    for (int i = 0; i < FX_MAX_KEYS; i++) {
        if (matches(f, m, i)) {
            n += m->present[i] != 0;
        } else if (alt && i == alt_key && matches(f, alt, i)) {
            n += alt->present[i] != 0;
        } else {
            snprintf(msg, sizeof msg, "key index %d (0x%08x) does not hold its expected value", i,
                     fx_key(i));
            return msg;
        }
    }
    struct h7_store_stat st;
    h7_store_stat(&f->st, &st);
    if (st.keys != n) {
        snprintf(msg, sizeof msg, "store has %u keys, expected %u", st.keys, n);
        return msg;
    }
    return NULL;
}
