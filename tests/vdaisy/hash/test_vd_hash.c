/*
 * The HASH model (ports/vdaisy/vd_hash.c) against RM0433's HASH chapter, through a fake machine:
 * the manual's own "abc" sequence, multi-block messages against OpenSSL, the DATATYPE swap,
 * the NBLW/DCAL rule, partial-digest timing and the stall, word-only access, the clock gate,
 * the "absent" lots; then the STM32H750 driver (ports/stm32h750/hash.c) on the model: digests,
 * the register sequence (no stall, no violation), the detection of an absent unit and the
 * software fallback through h7_sha256.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <openssl/evp.h>

#include "fake_machine.h"
#include "h7_hash.h"
#include "h7_sha256.h"
#include "vd_hash.h"

#define B VD_HASH_BASE
#define AHB2ENR (FAKE_RCC_BASE + 0x0DCu)
#define CR_SHA256_BYTES ((1u << 18) | (1u << 7) | (2u << 4))
#define CR_INIT (1u << 2)

static struct vd_hash h;

static int setup(void **state)
{
    (void)state;
    fake_machine_reset();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    vd_hash_free(&h);
    return 0;
}

static void start_model(void)
{
    vd_hash_init(&h, &fake_m);
}

static uint32_t rd(uint32_t off)
{
    uint32_t v = 0xDEADBEEF;
    assert_int_equal(fake_read(B + off, 4, &v), VD_OK);
    return v;
}

static void wr(uint32_t off, uint32_t v)
{
    assert_int_equal(fake_write(B + off, 4, v), VD_OK);
}

static void clock_on(void)
{
    assert_int_equal(fake_write(AHB2ENR, 4, 1u << 5), VD_OK);
}

static void sha256_ref(const void *d, size_t n, uint8_t out[32])
{
    unsigned len = 0;
    EVP_Digest(d, n, out, &len, EVP_sha256(), NULL);
}

static void read_digest(uint8_t out[32])
{
    for (int i = 0; i < 8; i++) {
        uint32_t w = rd(0x310 + 4u * (uint32_t)i);
        out[4 * i] = (uint8_t)(w >> 24);
        out[4 * i + 1] = (uint8_t)(w >> 16);
        out[4 * i + 2] = (uint8_t)(w >> 8);
        out[4 * i + 3] = (uint8_t)w;
    }
}

/* RM0433 / RM0399 §38.4.6 "Padding example" with DATATYPE = bytes, in SHA2-256. */
static void manual_abc_sequence(void **state)
{
    (void)state;
    start_model();
    clock_on();
    assert_int_equal(rd(0x24), 1u); /* HASH_SR reset value: DINIS */
    wr(0x00, CR_SHA256_BYTES | CR_INIT);
    assert_int_equal(rd(0x00) & CR_INIT, 0); /* INIT reads 0 */
    wr(0x04, 0xAA636261u);                   /* 'U' byte don't care */
    wr(0x08, 24);                            /* NBLW */
    wr(0x08, 1u << 8);                       /* DCAL */
    while (!(rd(0x24) & 2u))
        ;
    uint8_t got[32], want[32];
    read_digest(got);
    sha256_ref("abc", 3, want);
    assert_memory_equal(got, want, 32);
    assert_int_equal(rd(0x0C), rd(0x310)); /* HRA0 aliases HR0 */
    assert_int_equal(fake_m.violations, 0);
}

/* §38.7.3: NBLW cannot be set in the write that sets DCAL: the old NBLW (0: whole word) holds. */
static void nblw_with_dcal_is_ignored(void **state)
{
    (void)state;
    start_model();
    clock_on();
    wr(0x00, CR_SHA256_BYTES | CR_INIT);
    wr(0x04, 0x00636261u);
    wr(0x08, (1u << 8) | 24);
    while (!(rd(0x24) & 2u))
        ;
    uint8_t got[32], want[32];
    read_digest(got);
    sha256_ref("abc\0", 4, want);
    assert_memory_equal(got, want, 32);
}

/* DATATYPE 00: the word is the big-endian message word itself. */
static void datatype_words(void **state)
{
    (void)state;
    start_model();
    clock_on();
    wr(0x00, (1u << 18) | (1u << 7) | CR_INIT);
    wr(0x04, 0x61626364u);
    wr(0x08, 0);
    wr(0x08, 1u << 8);
    uint8_t got[32], want[32];
    read_digest(got); /* stalls until done (§38.7.4) */
    sha256_ref("abcd", 4, want);
    assert_memory_equal(got, want, 32);
}

/* Feed a message by the manual's software rule (wait DINIS after each block's trigger word). */
static void feed_by_the_book(const uint8_t *m, size_t n)
{
    uint32_t words = 0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        if (words >= 17 && (words - 17) % 16 == 0)
            while (!(rd(0x24) & 1u))
                ;
        uint32_t w;
        memcpy(&w, m + i, 4);
        wr(0x04, w);
        words++;
    }
    uint32_t tail = 0;
    for (size_t k = 0; i + k < n; k++)
        tail |= (uint32_t)m[i + k] << (8 * k);
    if (n % 4) {
        if (words >= 17 && (words - 17) % 16 == 0)
            while (!(rd(0x24) & 1u))
                ;
        wr(0x04, tail);
    }
    wr(0x08, (uint32_t)(n % 4) * 8);
    wr(0x08, 1u << 8);
}

static void multi_block_messages_match_openssl(void **state)
{
    (void)state;
    start_model();
    clock_on();
    static uint8_t msg[5000];
    srand(7);
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)rand();
    const size_t lens[] = {0, 1, 55, 56, 63, 64, 65, 127, 128, 1000, 4093, 5000};
    for (size_t t = 0; t < sizeof lens / sizeof lens[0]; t++) {
        wr(0x00, CR_SHA256_BYTES | CR_INIT);
        feed_by_the_book(msg, lens[t]);
        while (!(rd(0x24) & 2u))
            ;
        uint8_t got[32], want[32];
        read_digest(got);
        sha256_ref(msg, lens[t], want);
        assert_memory_equal(got, want, 32);
    }
    assert_int_equal(h.stalls, 0); /* the book's rule never waits on the bus */
    assert_int_equal(fake_m.violations, 0);
}

/* §38.4.5: the 17th word starts the block (BUSY, DINIS = 0); writing on without waiting
 * stalls the CPU for the rest of the block's 66 cycles (§38.7.2). */
static void partial_digest_timing_and_stall(void **state)
{
    (void)state;
    start_model();
    clock_on();
    wr(0x00, CR_SHA256_BYTES | CR_INIT);
    for (int i = 0; i < 16; i++)
        wr(0x04, (uint32_t)i);
    assert_int_equal(rd(0x24) & 9u, 0);           /* FIFO full: no DINIS, not busy yet */
    assert_int_equal((rd(0x00) >> 8) & 0xFu, 15); /* NBW: 16 words pushed */
    wr(0x04, 16);
    /* 66 cycles of a 240 MHz HCLK = 275 ns from the trigger write */
    assert_int_equal(h.busy_until - fake_m.now_ns, 275);
    assert_int_equal(h.blocks, 1);
    assert_int_equal(rd(0x24) & 9u, 8u); /* BUSY, no DINIS */
    uint64_t before = fake_m.stall_ns;
    wr(0x04, 17); /* without waiting for DINIS */
    assert_int_equal(fake_m.stall_ns - before, 275 - 2 * fake_m.step_ns);
    assert_int_equal(h.stalls, 1);
}

static void word_access_only(void **state)
{
    (void)state;
    start_model();
    clock_on();
    uint32_t v;
    assert_int_equal(fake_read(B + 0x24, 1, &v), VD_BUS_FAULT);
    assert_int_equal(fake_write(B + 0x04, 2, 0), VD_BUS_FAULT);
}

static void unclocked_reads_zero_and_ignores_writes(void **state)
{
    (void)state;
    start_model();
    assert_int_equal(rd(0x24), 0);
    wr(0x00, CR_SHA256_BYTES | CR_INIT);
    clock_on();
    assert_int_equal(rd(0x00), 0); /* the INIT above never reached the unit */
}

static void din_before_init_is_a_violation(void **state)
{
    (void)state;
    start_model();
    clock_on();
    wr(0x04, 1);
    assert_int_equal(fake_m.violations, 1);
    assert_non_null(strstr(fake_m.last_violation, "before INIT"));
}

static void unmodelled_stops(void **state)
{
    (void)state;
    start_model();
    clock_on();
    uint32_t v;
    assert_int_equal(fake_read(B + 0xF8, 4, &v), VD_UNMODELLED);                   /* HASH_CSR0 */
    assert_int_equal(fake_write(B + 0x00, 4, (1u << 7) | CR_INIT), VD_UNMODELLED); /* MD5 */
}

/* The ST quality alert's lots: every register reads zero, writes do nothing. */
static void absent_variant_reads_zero(void **state)
{
    (void)state;
    fake_param("hash.absent", 1);
    start_model();
    clock_on();
    assert_int_equal(rd(0x24), 0);
    wr(0x00, CR_SHA256_BYTES | CR_INIT);
    assert_int_equal(rd(0x00), 0);
    assert_int_equal(rd(0x310), 0);
}

/* ---- the STM32H750 driver on the model ---- */

static struct h7_hash_unit unit;

static const struct h7_sha256_engine *driver(void)
{
    return h7_hash_unit_init(&unit, VD_HASH_BASE, AHB2ENR, 1u << 5);
}

static void driver_digests_match(void **state)
{
    if (*state)
        fake_param("hash.dinis_after_digest", 1);
    start_model();
    const struct h7_sha256_engine *e = driver();
    static uint8_t msg[100 * 1024 + 3];
    srand(11);
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)rand();
    const size_t lens[] = {0, 3, 64, 65, 1000, sizeof msg};
    for (size_t t = 0; t < sizeof lens / sizeof lens[0]; t++) {
        uint8_t got[32], want[32];
        assert_int_equal(e->start(e->ctx), 0);
        /* uneven pieces: the driver carries a partial word across calls */
        for (size_t off = 0; off < lens[t];) {
            size_t n = (off * 7 + 5) % 301 + 1;
            if (n > lens[t] - off)
                n = lens[t] - off;
            e->feed(e->ctx, msg + off, n);
            off += n;
        }
        assert_int_equal(e->finish(e->ctx, got), 0);
        sha256_ref(msg, lens[t], want);
        assert_memory_equal(got, want, 32);
    }
    /* The register sequence as the manual states: no violation, no unmodelled access, no bus
     * error, never a stalled write (DINIS waited for), the clock off afterwards. */
    assert_int_equal(fake_m.violations, 0);
    assert_int_equal(fake_m.unmodelled, 0);
    assert_int_equal(fake_m.bus_errors, 0);
    assert_int_equal(h.stalls, 0);
    assert_int_equal(fake_m.rcc[0x0DC / 4] & (1u << 5), 0);
}

/* Through the image library's SHA-256 with the engine selected: the unit does the work. */
static void engine_path_through_h7_sha256(void **state)
{
    (void)state;
    start_model();
    static uint8_t msg[480 * 1024];
    memset(msg, 0x5A, sizeof msg);
    h7_sha256_use_engine(driver());
    uint8_t got[32], want[32];
    uint64_t t0 = fake_m.now_ns;
    h7_sha256(msg, sizeof msg, got);
    h7_sha256_use_engine(NULL);
    sha256_ref(msg, sizeof msg, want);
    assert_memory_equal(got, want, 32);
    assert_int_equal(h.blocks, sizeof msg / 64 + 1);
    /* Unit time only (the fake charges a fixed 4 ns per access; the virtual Daisy's CPU and
     * bus model gives the real figure in `make bench`). */
    printf("# HASH model: 480 KB in %llu blocks, %.2f ms of simulated time on the fake machine\n",
           (unsigned long long)h.blocks, (double)(fake_m.now_ns - t0) / 1e6);
}

/* The fallback: a lot that reads zero is detected at start; software computes the digest. */
static void absent_unit_detected_software_fallback(void **state)
{
    (void)state;
    fake_param("hash.absent", 1);
    start_model();
    const struct h7_sha256_engine *e = driver();
    assert_false(h7_hash_present(&unit));
    assert_int_not_equal(e->start(e->ctx), 0);
    static uint8_t msg[3000];
    memset(msg, 0xC3, sizeof msg);
    h7_sha256_use_engine(e);
    uint8_t got[32], want[32];
    h7_sha256(msg, sizeof msg, got);
    h7_sha256_use_engine(NULL);
    sha256_ref(msg, sizeof msg, want);
    assert_memory_equal(got, want, 32);
    assert_int_equal(h.blocks, 0);
    assert_int_equal(fake_m.rcc[0x0DC / 4] & (1u << 5), 0); /* clock stopped again */
}

static void present_unit_detected(void **state)
{
    (void)state;
    start_model();
    driver();
    assert_true(h7_hash_present(&unit));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(manual_abc_sequence),
        T(nblw_with_dcal_is_ignored),
        T(datatype_words),
        T(multi_block_messages_match_openssl),
        T(partial_digest_timing_and_stall),
        T(word_access_only),
        T(unclocked_reads_zero_and_ignores_writes),
        T(din_before_init_is_a_violation),
        T(unmodelled_stops),
        T(absent_variant_reads_zero),
        T(driver_digests_match),
        cmocka_unit_test_prestate_setup_teardown(driver_digests_match, setup, teardown,
                                                 (void *)1), /* the open DINIS rule, other way */
        T(engine_path_through_h7_sha256),
        T(absent_unit_detected_software_fallback),
        T(present_unit_detected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
