/*
 * crc32.c — CRC-32 (IEEE, reflected 0xEDB88320), zlib's convention; freestanding.
 * One bit at a time, no table: it only ever checks 60-byte image headers (about 2,500
 * instructions on a Cortex-M7), so the bootloader's flash is worth more than its speed. Bulk
 * hashing is SHA-256's job.
 */
#include "h7_crc32.h"

uint32_t h7_crc32(uint32_t crc, const void *data, size_t len)
{
    const uint8_t *p = (const uint8_t *)data;
    crc = ~crc;
    while (len--) {
        crc ^= *p++;
        for (int bit = 0; bit < 8; bit++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}
