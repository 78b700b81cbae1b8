/* store_crc.c — CRC-32 for the store's records (see store_crc.h). */
#include "store_crc.h"

uint32_t h7_crc32(uint32_t crc, const void *data, uint32_t len)
{
    const uint8_t *p = data;
    while (len--) {
        crc ^= *p++;
        for (int i = 0; i < 8; i++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return crc;
}
