/* store_crc.c — CRC-32 for the store's records (see store_crc.h).
 *
 * Default: one bit at a time, no table — the smallest code (the store's 3 KB budget), about 8
 * shift/xor steps per byte. -DH7_STORE_CRC_NIBBLE: four bits at a time from a 16-entry table
 * (64 bytes of constants), about three times less CPU per byte; mount checks every used byte,
 * so an app with a large partition may prefer it (bench/store_cpu measures both). */
#include "store_crc.h"

#define CRC32_POLY_REFLECTED 0xEDB88320u

#ifdef H7_STORE_CRC_NIBBLE
/* t[i]: i shifted through 4 steps of the bitwise loop below. */
static const uint32_t nibble_table[16] = {
    0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu, 0x76DC4190u, 0x6B6B51F4u,
    0x4DB26158u, 0x5005713Cu, 0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu,
    0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu,
};
#endif

uint32_t h7_store_crc32(uint32_t crc, const void *data, uint32_t len)
{
    const uint8_t *p = data;
    while (len--) {
        crc ^= *p++;
#ifdef H7_STORE_CRC_NIBBLE
        crc = crc >> 4 ^ nibble_table[crc & 15u];
        crc = crc >> 4 ^ nibble_table[crc & 15u];
#else
        for (int k = 0; k < 8; k++)
            crc = crc >> 1 ^ (CRC32_POLY_REFLECTED & (0u - (crc & 1u)));
#endif
    }
    return crc;
}
