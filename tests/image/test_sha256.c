/* SHA-256: FIPS 180-4 example vectors, and OpenSSL's libcrypto as the oracle on random data
 * fed in random pieces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/sha.h>

#include "h7_sha256.h"

static void hex(const char *s, uint8_t *out)
{
    for (int i = 0; i < 32; i++) {
        unsigned v;
        sscanf(s + 2 * i, "%2x", &v);
        out[i] = (uint8_t)v;
    }
}

static void check(const void *msg, size_t len, const char *want_hex)
{
    uint8_t want[32], got[32];
    hex(want_hex, want);
    h7_sha256(msg, len, got);
    assert_memory_equal(got, want, 32);
}

static void fips_vectors(void **state)
{
    (void)state;
    check("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    check("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    check(m448, strlen(m448), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    const char *m896 =
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
        "klmnopqrlmnopqrsmnopqrstnopqrstu";
    check(m896, strlen(m896), "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    /* one million 'a', fed in uneven pieces */
    struct h7_sha256 s;
    char a[1000];
    memset(a, 'a', sizeof a);
    h7_sha256_init(&s);
    size_t left = 1000000;
    for (size_t piece = 1; left; piece = piece % 997 + 1) {
        size_t n = piece < left ? piece : left;
        h7_sha256_update(&s, a, n);
        left -= n;
    }
    uint8_t got[32], want[32];
    h7_sha256_final(&s, got);
    hex("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", want);
    assert_memory_equal(got, want, 32);
}

static void against_openssl(void **state)
{
    (void)state;
    srand(12345);
    static uint8_t buf[70000];
    for (int round = 0; round < 300; round++) {
        size_t len = (size_t)rand() % (round < 200 ? 300 : sizeof buf);
        for (size_t i = 0; i < len; i++)
            buf[i] = (uint8_t)rand();
        uint8_t want[32], got[32];
        SHA256(buf, len, want);
        struct h7_sha256 s;
        h7_sha256_init(&s);
        for (size_t pos = 0; pos < len;) {
            size_t n = (size_t)rand() % 150 + 1;
            if (n > len - pos)
                n = len - pos;
            h7_sha256_update(&s, buf + pos, n);
            pos += n;
        }
        h7_sha256_final(&s, got);
        assert_memory_equal(got, want, 32);
    }
}

/* A recording engine: says yes or no at start, can fail at finish; its "digest" is a marker. */
struct rec {
    int starts, absent, fail;
    size_t fed;
};

static int rec_start(void *ctx)
{
    struct rec *r = ctx;
    r->starts++;
    return r->absent ? -1 : 0;
}

static void rec_feed(void *ctx, const void *data, size_t len)
{
    (void)data;
    ((struct rec *)ctx)->fed += len;
}

static int rec_finish(void *ctx, uint8_t digest[H7_SHA256_SIZE])
{
    memset(digest, 0xE7, H7_SHA256_SIZE);
    return ((struct rec *)ctx)->fail ? -1 : 0;
}

/* The engine, when it says yes, gets every byte and gives the digest; when it says no, the
 * software rounds give the FIPS digest; a failing engine makes final() fail with a zero digest;
 * contexts initialised after h7_sha256_use_engine(NULL) never ask it. */
static void engine_selection(void **state)
{
    (void)state;
    struct rec r = {0};
    const struct h7_sha256_engine e = {&r, rec_start, rec_feed, rec_finish};
    uint8_t got[32], want[32];
    hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", want);
    struct h7_sha256 s;

    h7_sha256_use_engine(&e);
    h7_sha256_init(&s);
    h7_sha256_update(&s, "ab", 2);
    h7_sha256_update(&s, "c", 1);
    assert_int_equal(h7_sha256_final(&s, got), 0);
    assert_int_equal(r.fed, 3);
    assert_int_equal(got[0], 0xE7);

    r.absent = 1; /* the unit is not there: software */
    h7_sha256_init(&s);
    h7_sha256_update(&s, "abc", 3);
    assert_int_equal(h7_sha256_final(&s, got), 0);
    assert_memory_equal(got, want, 32);
    assert_int_equal(r.fed, 3);

    r.absent = 0;
    r.fail = 1; /* the unit fails: no digest to trust */
    h7_sha256_init(&s);
    h7_sha256_update(&s, "abc", 3);
    assert_int_equal(h7_sha256_final(&s, got), -1);
    for (int i = 0; i < 32; i++)
        assert_int_equal(got[i], 0);

    h7_sha256_use_engine(NULL);
    int starts = r.starts;
    h7_sha256("abc", 3, got);
    assert_memory_equal(got, want, 32);
    assert_int_equal(r.starts, starts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fips_vectors),
        cmocka_unit_test(against_openssl),
        cmocka_unit_test(engine_selection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
