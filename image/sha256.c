/*
 * sha256.c — SHA-256 as specified in FIPS 180-4 §6.2, written from the standard, and the hand-over
 * to an engine (h7_sha256.h). Freestanding: no libc calls (the copy loops are explicit so the
 * bootloader needs no memcpy; __builtin_memcpy of 4 bytes is one load).
 */
#include "h7_sha256.h"

static const uint32_t k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t ror(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

#define BSIG0(x) (ror(x, 2) ^ ror(x, 13) ^ ror(x, 22))
#define BSIG1(x) (ror(x, 6) ^ ror(x, 11) ^ ror(x, 25))
#define SSIG0(x) (ror(x, 7) ^ ror(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (ror(x, 17) ^ ror(x, 19) ^ ((x) >> 10))

/* Big-endian 32-bit word at p (any alignment: the Cortex-M7 and the host load unaligned words;
 * the builtins turn into one load and one REV). */
static inline uint32_t be32(const uint8_t *p)
{
#if defined(__OPTIMIZE__) && defined(__GNUC__) && defined(__BYTE_ORDER__) &&                       \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* (not at -O0: there the 4-byte memcpy stays a call, which ASan intercepts per word) */
    uint32_t v;
    __builtin_memcpy(&v, p, 4);
    return __builtin_bswap32(v);
#else
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
#endif
}

/* The same functions as CH/MAJ with one operation fewer each (FIPS 180-4 §4.1.2 allows any
 * equivalent form). */
#define CH1(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MAJ1(x, y, z) (((x) & (y)) | ((z) & ((x) | (y))))

/* Round t with the working variables named in their current roles: instead of shifting
 * a..h down by one each round (steps 4), the next round names them one place further on, so
 * 8 rounds return to the start and nothing moves. Only d and h change (d += T1, h = T1 + T2). */
#define ROUND(a, b, c, d, e, f, g, h, wt, t)                                                       \
    do {                                                                                           \
        uint32_t t1_ = (h) + BSIG1(e) + CH1(e, f, g) + k[t] + (wt);                                \
        (d) += t1_;                                                                                \
        (h) = t1_ + BSIG0(a) + MAJ1(a, b, c);                                                      \
    } while (0)
#define EIGHT(t, W)                                                                                \
    do {                                                                                           \
        ROUND(a, b, c, d, e, f, g, h, W(t + 0), t + 0);                                            \
        ROUND(h, a, b, c, d, e, f, g, W(t + 1), t + 1);                                            \
        ROUND(g, h, a, b, c, d, e, f, W(t + 2), t + 2);                                            \
        ROUND(f, g, h, a, b, c, d, e, W(t + 3), t + 3);                                            \
        ROUND(e, f, g, h, a, b, c, d, W(t + 4), t + 4);                                            \
        ROUND(d, e, f, g, h, a, b, c, W(t + 5), t + 5);                                            \
        ROUND(c, d, e, f, g, h, a, b, W(t + 6), t + 6);                                            \
        ROUND(b, c, d, e, f, g, h, a, W(t + 7), t + 7);                                            \
    } while (0)
/* Message schedule (§6.2.2 step 1) in a 16-word ring: W[t] replaces W[t-16] in place. */
#define W_LOAD(t) (w[t] = be32(p + 4 * (t)))
#define W_NEXT(t) (w[(t)&15] += SSIG1(w[((t)-2) & 15]) + w[((t)-7) & 15] + SSIG0(w[((t)-15) & 15]))

#if defined(__GNUC__) && !defined(__clang__)
#define OPTIMISE_FOR_SPEED __attribute__((optimize("O2")))
#else
#define OPTIMISE_FOR_SPEED
#endif

/*
 * One 64-byte block (FIPS 180-4 §6.2.2), unrolled by 8 rounds. The bootloader's budget is the
 * 128 KB flash sector now, not 16 KB, so this form (about 1.7 KB of Cortex-M7 code against 316
 * bytes for the one-round loop that shifted a..h) is worth its bytes: see docs/bootloader.md,
 * "Boot time", for the instructions per KB of both on QEMU. It is compiled -O2 even in the -Os
 * bootloader (GCC's optimize attribute), where -Os would fold the rounds back into calls.
 */
static OPTIMISE_FOR_SPEED void compress(uint32_t st[8], const uint8_t *p)
{
    uint32_t w[16];
    uint32_t a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6], h = st[7];
    EIGHT(0, W_LOAD);
    EIGHT(8, W_LOAD);
    EIGHT(16, W_NEXT);
    EIGHT(24, W_NEXT);
    EIGHT(32, W_NEXT);
    EIGHT(40, W_NEXT);
    EIGHT(48, W_NEXT);
    EIGHT(56, W_NEXT);
    st[0] += a;
    st[1] += b;
    st[2] += c;
    st[3] += d;
    st[4] += e;
    st[5] += f;
    st[6] += g;
    st[7] += h;
}

/* The engine contexts start with (h7_sha256_use_engine). */
static const struct h7_sha256_engine *selected;

void h7_sha256_use_engine(const struct h7_sha256_engine *e)
{
    selected = e;
}

void h7_sha256_init(struct h7_sha256 *s)
{
    /* FIPS 180-4 §5.3.3 */
    static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    for (int i = 0; i < 8; i++)
        s->state[i] = h0[i];
    s->length = 0;
    s->fill = 0;
    s->engine = selected && selected->start(selected->ctx) == 0 ? selected : 0;
}

void h7_sha256_update(struct h7_sha256 *s, const void *data, size_t len)
{
    const uint8_t *p = (const uint8_t *)data;
    s->length += len;
    if (s->engine) {
        s->engine->feed(s->engine->ctx, data, len);
        return;
    }
    if (s->fill) {
        while (len && s->fill < 64) {
            s->block[s->fill++] = *p++;
            len--;
        }
        if (s->fill < 64)
            return;
        compress(s->state, s->block);
        s->fill = 0;
    }
    while (len >= 64) {
        compress(s->state, p);
        p += 64;
        len -= 64;
    }
    while (len--)
        s->block[s->fill++] = *p++;
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

int h7_sha256_final(struct h7_sha256 *s, uint8_t digest[H7_SHA256_SIZE])
{
    if (s->engine) {
        /* The engine pads (it was told the length through what it was fed). */
        if (s->engine->finish(s->engine->ctx, digest) == 0)
            return 0;
        for (int i = 0; i < H7_SHA256_SIZE; i++)
            digest[i] = 0;
        return -1;
    }
    /* the message length in bits, as two 32-bit halves */
    uint32_t bits_hi = (uint32_t)(s->length >> 29), bits_lo = (uint32_t)s->length << 3;
    /* Padding (§5.1.1): 0x80, zeros up to 56 mod 64, the 64-bit big-endian length. Fed
     * through h7_sha256_update() (it counts them in s->length, which was read above). */
    uint8_t pad[8] = {0x80};
    h7_sha256_update(s, pad, 1);
    pad[0] = 0;
    while (s->fill != 56)
        h7_sha256_update(s, pad, 1);
    put_be32(pad, bits_hi);
    put_be32(pad + 4, bits_lo);
    h7_sha256_update(s, pad, 8);
    for (int i = 0; i < 8; i++)
        put_be32(digest + 4 * i, s->state[i]);
    return 0;
}

void h7_sha256(const void *data, size_t len, uint8_t digest[H7_SHA256_SIZE])
{
    struct h7_sha256 s;
    h7_sha256_init(&s);
    h7_sha256_update(&s, data, len);
    (void)h7_sha256_final(&s, digest); /* an engine failure leaves an all-zero digest */
}
