/*
 * h7_sha256.h — SHA-256 (FIPS 180-4), streaming, freestanding, with an optional engine.
 *
 * No allocation, no libc beyond <stdint.h>/<stddef.h>; the context is plain data the caller
 * owns (112 bytes on a 32-bit target), so the bootloader can keep it on its stack. Checked
 * against the FIPS 180-4 example vectors and OpenSSL's libcrypto on random data
 * (tests/image/test_sha256.c).
 *
 * Engines: a port with a hash peripheral (the STM32H750's HASH unit, ports/stm32h750/hash.c)
 * offers it as a `struct h7_sha256_engine`. While one is selected with h7_sha256_use_engine(),
 * every h7_sha256_init() asks it to start; when start() says no (the unit is absent — some
 * STM32H750 lots read zero there — or already busy with another message), that context runs
 * the software rounds instead. Which one a context uses is fixed at init; the digest is the
 * same either way. Nothing here includes a register header: the engine is three functions.
 */
#ifndef H7_SHA256_H
#define H7_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define H7_SHA256_SIZE 32 /* digest bytes */

struct h7_sha256_engine {
    void *ctx;
    /* Begin a new message. 0 = the engine hashes it; anything else = use software. */
    int (*start)(void *ctx);
    /* The next len bytes of the message, any split (the engine keeps a partial word). */
    void (*feed)(void *ctx, const void *data, size_t len);
    /* Pad, finish and write the digest; releases the engine. 0 = ok; non-zero = the unit
     * failed (timeout): the digest is not valid. */
    int (*finish)(void *ctx, uint8_t digest[H7_SHA256_SIZE]);
};

struct h7_sha256 {
    uint32_t state[8];
    uint64_t length;                       /* bytes hashed so far */
    uint8_t block[64];                     /* partial block */
    uint32_t fill;                         /* bytes in block */
    const struct h7_sha256_engine *engine; /* NULL: software */
};

/* Select the engine for contexts initialised from now on (NULL = software only). */
void h7_sha256_use_engine(const struct h7_sha256_engine *e);

void h7_sha256_init(struct h7_sha256 *s);
/* Hash len more bytes. Any split of the input gives the same digest. */
void h7_sha256_update(struct h7_sha256 *s, const void *data, size_t len);
/* Finish and write the 32-byte digest; the context must be re-initialised before reuse.
 * Returns 0, or -1 when the engine failed: then the digest is all zero and must not be
 * trusted (callers treat it as an I/O error, never as a match). */
int h7_sha256_final(struct h7_sha256 *s, uint8_t digest[H7_SHA256_SIZE]);
/* One-shot convenience (software or the selected engine). */
void h7_sha256(const void *data, size_t len, uint8_t digest[H7_SHA256_SIZE]);

#endif /* H7_SHA256_H */
