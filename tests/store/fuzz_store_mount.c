/* libFuzzer target: mount + get + iterate over an arbitrary 64 KB flash image (the input, padded
 * with 0xFF), with 4 KB units. Mount must never crash or read out of bounds (ASan). */
#include <stdint.h>
#include <string.h>

#include "h7_store.h"
#include "nor_sim.h"

static int count(void *ctx, uint32_t key, uint32_t len)
{
    (void)key;
    *(uint32_t *)ctx += len;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct nor_sim sim;
    static int ready;
    static struct h7_store_entry index[32];
    if (!ready) {
        struct nor_sim_config c = NOR_SIM_IS25LP064A;
        c.size = 64u << 10;
        if (nor_sim_init(&sim, &c, NULL, 0))
            return 0;
        ready = 1;
    }
    uint8_t *m = nor_sim_data(&sim);
    memset(m, 0xFF, sim.flash.size);
    /* Spread the input over the units so short inputs reach every unit header. */
    for (size_t i = 0; i < size; i++)
        m[(i * 4099u) % sim.flash.size] = data[i];
    if (size >= 4096)
        memcpy(m, data, size < sim.flash.size ? size : sim.flash.size);
    struct h7_store st;
    struct h7_store_config cfg = {.flash = &sim.flash,
                                  .offset = 0,
                                  .size = sim.flash.size,
                                  .unit_size = 4096,
                                  .index = index,
                                  .index_capacity = 32};
    if (h7_store_mount(&st, &cfg) == 0) {
        uint8_t buf[64];
        uint32_t len, total = 0;
        for (uint32_t i = 0; i < 32 && i < st.keys; i++)
            h7_store_get(&st, index[i].key, buf, sizeof buf, &len);
        h7_store_iterate(&st, count, &total);
        uint8_t v[8] = {1, 2, 3, 4, 5, 6, 7, 8};
        h7_store_set(&st, 1, v, 8); /* writing after a mount of garbage must not crash either */
    }
    return 0;
}
