/*
 * h7_crc32.h — CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), freestanding.
 *
 * h7_crc32() has zlib's crc32() convention: start with crc = 0, feed pieces, the result is the
 * usual CRC-32 (init 0xFFFFFFFF, final XOR 0xFFFFFFFF). The DfuSe file suffix stores the same
 * CRC WITHOUT the final XOR, i.e. ~h7_crc32(0, file, len - 4). Checked against zlib
 * (tests/image/test_crc32.c). Bit by bit, without a table, to keep it small for the
 * bootloader and the store; -DH7_CRC32_NIBBLE trades 68 bytes for speed (crc32.c).
 */
#ifndef H7_CRC32_H
#define H7_CRC32_H

#include <stddef.h>
#include <stdint.h>

uint32_t h7_crc32(uint32_t crc, const void *data, size_t len);

/* h7_crc32 over data followed by its own CRC (little-endian) gives this: a record check. */
#define H7_CRC32_CHECK_RESIDUE 0x2144DF1Cu

#endif /* H7_CRC32_H */
