/* store_crc.h — CRC-32 (IEEE 802.3, reflected 0xEDB88320) of the store's records: a bit at a
 * time by default, a nibble table with -DH7_STORE_CRC_NIBBLE (store_crc.c says why).
 * h7_store_crc32_final(h7_store_crc32(H7_STORE_CRC32_INIT, p, n)) is the usual CRC-32 of
 * p[0..n). Its own names: the image library's h7_crc32() has zlib's convention instead, and an
 * app may link both. */
#ifndef H7_STORE_CRC_H
#define H7_STORE_CRC_H

#include <stdint.h>

#define H7_STORE_CRC32_INIT 0xFFFFFFFFu
/* h7_store_crc32(H7_STORE_CRC32_INIT, ...) over data followed by its CRC-32 (little-endian) gives this. */
#define H7_STORE_CRC32_RESIDUE 0xDEBB20E3u

uint32_t h7_store_crc32(uint32_t crc, const void *data, uint32_t len);

static inline uint32_t h7_store_crc32_final(uint32_t crc)
{
    return ~crc;
}

#endif
