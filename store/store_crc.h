/* store_crc.h — CRC-32 (IEEE 802.3, reflected 0xEDB88320), computed a bit at a time (no table).
 * h7_crc32_final(h7_crc32(H7_CRC32_INIT, p, n)) is the usual CRC-32 of p[0..n). */
#ifndef H7_STORE_CRC_H
#define H7_STORE_CRC_H

#include <stdint.h>

#define H7_CRC32_INIT 0xFFFFFFFFu
/* h7_crc32(H7_CRC32_INIT, ...) over data followed by its CRC-32 (little-endian) gives this. */
#define H7_CRC32_RESIDUE 0xDEBB20E3u

uint32_t h7_crc32(uint32_t crc, const void *data, uint32_t len);

static inline uint32_t h7_crc32_final(uint32_t crc)
{
    return ~crc;
}

#endif
