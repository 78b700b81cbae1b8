/* settings.c — typed, versioned settings over the store (API: h7_settings.h). Save leaves the
 * "unchanged?" question to the store: h7_store_set2() compares the record it would write with
 * the stored one and writes nothing when they are equal. */
#include "h7_settings.h"

#include <string.h>

int h7_settings_load(struct h7_settings *s)
{
    uint8_t ver[2];
    uint32_t len;
    int rc = H7_STORE_EINVAL;
    memcpy(s->data, s->defaults, s->size);
    if (s->size > H7_STORE_VALUE_MAX - 2)
        return rc;
    rc = h7_store_get(s->store, s->key, ver, 2, &len);
    if (!rc && len >= 2 && !(rc = h7_store_read(s->store, s->key, 2, s->data, s->size, &len))) {
        uint16_t old_version = (uint16_t)(ver[0] | ver[1] << 8);
        /* Another version: the hook fixes what changed meaning (the next save writes it). */
        if ((old_version == s->version && len - 2 == s->size) || !s->upgrade ||
            !s->upgrade(s->ctx, old_version, len - 2, s->data))
            return 0;
        rc = 1; /* the hook refused the old data */
    } else if (!rc || rc == H7_STORE_ENOENT) {
        rc = 1; /* nothing (valid) stored */
    }
    memcpy(s->data, s->defaults, s->size);
    return rc;
}

int h7_settings_save(struct h7_settings *s)
{
    uint8_t ver[2] = {(uint8_t)s->version, (uint8_t)(s->version >> 8)};
    return h7_store_set2(s->store, s->key, ver, 2, s->data, s->size);
}
