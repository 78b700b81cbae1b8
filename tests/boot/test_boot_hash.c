/*
 * The image hash through the port's SHA-256 engine (h7_boot_port.sha256; on the STM32H750 the
 * HASH unit, ports/stm32h750/hash.c): the core hands the one hash after the copy to the engine,
 * uses the engine's digest, falls back to software when the engine says at start that its unit
 * is absent, and refuses when the engine fails. The fake engine here computes with OpenSSL's
 * libcrypto, so its digest is independent of image/sha256.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/evp.h>

#include "fake_port.h"
#include "h7_image.h"
#include "h7_sha256.h"

static struct fake f;
static const struct h7_boot_config cfg = {.max_unconfirmed = 3};

struct fake_engine {
    bool absent; /* start() says no, as the HASH driver does on a lot that reads zero */
    bool fail;   /* finish() reports a unit failure */
    bool wrong;  /* finish() returns a digest with one bit flipped */
    int starts;
    uint64_t fed; /* bytes fed */
    EVP_MD_CTX *md;
};
static struct fake_engine fe;

static int fe_start(void *ctx)
{
    struct fake_engine *e = ctx;
    e->starts++;
    if (e->absent)
        return -1;
    e->fed = 0;
    EVP_DigestInit_ex(e->md, EVP_sha256(), NULL);
    return 0;
}

static void fe_feed(void *ctx, const void *data, size_t len)
{
    struct fake_engine *e = ctx;
    e->fed += len;
    EVP_DigestUpdate(e->md, data, len);
}

static int fe_finish(void *ctx, uint8_t digest[H7_SHA256_SIZE])
{
    struct fake_engine *e = ctx;
    unsigned n = 0;
    EVP_DigestFinal_ex(e->md, digest, &n);
    if (e->wrong)
        digest[5] ^= 0x10;
    return e->fail ? -1 : 0;
}

static const struct h7_sha256_engine engine = {&fe, fe_start, fe_feed, fe_finish};

static int setup(void **state)
{
    (void)state;
    fake_init(&f, true);
    memset(&fe, 0, sizeof fe);
    fe.md = EVP_MD_CTX_new();
    f.port.sha256 = &engine;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    EVP_MD_CTX_free(fe.md);
    fake_free(&f);
    return 0;
}

static int run(void)
{
    if (setjmp(f.done) == 0)
        h7_boot_run(&f.port, &cfg);
    return f.recovery_reason;
}

static uint32_t image_size(void)
{
    return h7_le32(f.slot + H7_IMAGE_OFF_IMAGE_SIZE);
}

/* The HASH path: the engine hashes the whole image (metadata, payloads from RAM and the XIP
 * table in place, gap filler) once, and its digest lets the image boot. */
static void engine_hashes_the_image(void **state)
{
    (void)state;
    fake_build_standard(&f);
    assert_int_equal(run(), -1);
    assert_int_equal(fe.starts, 1);
    assert_int_equal(fe.fed, image_size());
    assert_int_not_equal(f.jumped_to, 0);
}

/* The engine's digest is the one compared: a wrong one refuses a good image (the diagnosis in
 * software then finds flash fine, so it says RAM). */
static void engine_digest_decides(void **state)
{
    (void)state;
    fake_build_standard(&f);
    fe.wrong = true;
    assert_int_equal(run(), H7_BOOT_ERR_HASH_RAM);
    assert_int_equal(f.jumped_to, 0);
}

/* The fallback: the unit is absent (start says no): software hashes, the image boots. */
static void absent_unit_falls_back_to_software(void **state)
{
    (void)state;
    fake_build_standard(&f);
    fe.absent = true;
    assert_int_equal(run(), -1);
    assert_int_equal(fe.starts, 1);
    assert_int_equal(fe.fed, 0);
    assert_int_not_equal(f.jumped_to, 0);
}

/* The fallback still catches damage: software over a damaged payload refuses it. */
static void absent_unit_software_still_refuses(void **state)
{
    (void)state;
    fake_build_standard(&f);
    fe.absent = true;
    f.slot[h7_le32(f.slot + H7_IMAGE_HEADER_SIZE + H7_IMAGE_SEG_OFF_OFFSET) + 9] ^= 4;
    assert_int_equal(run(), H7_BOOT_ERR_HASH_FLASH);
    assert_int_equal(f.jumped_to, 0);
}

/* A unit that fails mid-way (timeout) gives no digest: refused, never a match. */
static void engine_failure_refused(void **state)
{
    (void)state;
    fake_build_standard(&f);
    fe.fail = true;
    assert_int_not_equal(run(), -1);
    assert_int_equal(f.jumped_to, 0);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(engine_hashes_the_image),
        T(engine_digest_decides),
        T(absent_unit_falls_back_to_software),
        T(absent_unit_software_still_refuses),
        T(engine_failure_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
