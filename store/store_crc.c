/* store_crc.c — CRC-32 for the store's records (see store_crc.h), one bit at a time: no table,
 * the smallest code (the store's code-size budget), about 8 shift/xor steps per byte. */
#include "store_crc.h"

uint32_t h7_crc32(uint32_t crc, const void *data, uint32_t len)
{
    const uint8_t *p = data;
    while (len--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = crc >> 1 ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return crc;
}
