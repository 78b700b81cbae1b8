/* settings.c — typed, versioned settings over the store (API: h7_settings.h). */
#include "h7_settings.h"

#include <string.h>

#include "store_crc.h"

static uint32_t settings_crc(const struct h7_settings *s)
{
    uint8_t ver[2] = {(uint8_t)s->version, (uint8_t)(s->version >> 8)};
    return h7_crc32(h7_crc32(H7_CRC32_INIT, ver, 2), s->data, s->size);
}

int h7_settings_load(struct h7_settings *s)
{
    uint8_t ver[2];
    uint32_t len;
    s->saved_valid = 0;
    memcpy(s->data, s->defaults, s->size);
    if (s->size > H7_STORE_VALUE_MAX - 2)
        return H7_STORE_EINVAL;
    int rc = h7_store_get(s->store, s->key, ver, 2, &len);
    if (rc == H7_STORE_ENOENT || (rc == 0 && len < 2))
        return 1;
    if (rc || (rc = h7_store_read(s->store, s->key, 2, s->data, s->size, &len))) {
        memcpy(s->data, s->defaults, s->size);
        return rc;
    }
    uint16_t old_version = (uint16_t)(ver[0] | ver[1] << 8);
    if (old_version == s->version && len - 2 == s->size) {
        s->saved_crc = settings_crc(s);
        s->saved_valid = 1;
        return 0;
    }
    if (s->upgrade && s->upgrade(s->ctx, old_version, len - 2, s->data)) {
        memcpy(s->data, s->defaults, s->size);
        return 1;
    }
    return 0; /* upgraded: differs from what is stored, so the next save writes it */
}

int h7_settings_save(struct h7_settings *s)
{
    uint32_t crc = settings_crc(s);
    if (s->saved_valid && crc == s->saved_crc)
        return 0;
    uint8_t ver[2] = {(uint8_t)s->version, (uint8_t)(s->version >> 8)};
    int rc = h7_store_set2(s->store, s->key, ver, 2, s->data, s->size);
    if (rc == 0) {
        s->saved_crc = crc;
        s->saved_valid = 1;
    }
    return rc;
}
