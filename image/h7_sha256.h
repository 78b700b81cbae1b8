/*
 * h7_sha256.h — SHA-256 (FIPS 180-4), streaming, freestanding.
 *
 * No allocation, no libc beyond <stdint.h>/<stddef.h>; the context is plain data the caller
 * owns (108 bytes), so the bootloader can keep it on its stack. Checked against the FIPS 180-4
 * example vectors and OpenSSL's libcrypto on random data (tests/image/test_sha256.c).
 */
#ifndef H7_SHA256_H
#define H7_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define H7_SHA256_SIZE 32 /* digest bytes */

struct h7_sha256 {
    uint32_t state[8];
    uint64_t length;   /* bytes hashed so far */
    uint8_t block[64]; /* partial block */
    uint32_t fill;     /* bytes in block */
};

void h7_sha256_init(struct h7_sha256 *s);
/* Hash len more bytes. Any split of the input gives the same digest. */
void h7_sha256_update(struct h7_sha256 *s, const void *data, size_t len);
/* Finish and write the 32-byte digest; the context must be re-initialised before reuse. */
void h7_sha256_final(struct h7_sha256 *s, uint8_t digest[H7_SHA256_SIZE]);
/* One-shot convenience. */
void h7_sha256(const void *data, size_t len, uint8_t digest[H7_SHA256_SIZE]);

#endif /* H7_SHA256_H */
