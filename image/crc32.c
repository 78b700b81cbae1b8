/*
 * crc32.c — CRC-32 (IEEE, reflected 0xEDB88320), zlib's convention; freestanding. The project's
 * one CRC: image headers and the store's records.
 *
 * Default: one bit at a time, no table — the smallest code. The bootloader only checks 60-byte
 * image headers with it (about 2,500 instructions on a Cortex-M7; bulk hashing is SHA-256's
 * job), and the store's 3 KB budget counts it. -DH7_CRC32_NIBBLE: four bits at a time from a
 * 16-entry table (+68 bytes), about three times less CPU per byte; the store's mount checks every
 * used byte, so an app with a large store partition may prefer it (bench/store_cpu measures
 * both).
 */
#include "h7_crc32.h"

#define CRC32_POLY_REFLECTED 0xEDB88320u

#ifdef H7_CRC32_NIBBLE
/* t[i]: i shifted through 4 steps of the bitwise loop below. */
static const uint32_t nibble_table[16] = {
    0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu, 0x76DC4190u, 0x6B6B51F4u,
    0x4DB26158u, 0x5005713Cu, 0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu,
    0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu,
};
#endif

uint32_t h7_crc32(uint32_t crc, const void *data, size_t len)
{
    const uint8_t *p = (const uint8_t *)data;
    crc = ~crc;
    while (len--) {
        crc ^= *p++;
#ifdef H7_CRC32_NIBBLE
        crc = crc >> 4 ^ nibble_table[crc & 15u];
        crc = crc >> 4 ^ nibble_table[crc & 15u];
#else
        for (int bit = 0; bit < 8; bit++)
            crc = (crc >> 1) ^ (CRC32_POLY_REFLECTED & (0u - (crc & 1u)));
#endif
    }
    return ~crc;
}
