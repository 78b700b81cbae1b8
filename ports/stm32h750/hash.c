/*
 * hash.c — SHA-256 on the STM32H750 HASH unit, fed by the CPU (RM0433 HASH chapter: "Message
 * data feeding", "Message digest computing", "Message padding", "HASH registers"; the same IP
 * as RM0399 Rev 4 §38.4.4-§38.4.6 and §38.7). The sequence, in the manual's order:
 *
 *  1. Clock the unit (RCC_AHB2ENR.HASHEN) and read the enable back so the write has landed.
 *  2. HASH_CR: ALGO = 0b11 (SHA2-256), DATATYPE = 0b10 (bytes: the unit swaps each word so the
 *     first byte of the message is the most significant of the first big-endian word), MODE = 0
 *     (hash, not HMAC) — all in the same write as INIT, as the manual's caution asks.
 *  3. Words into HASH_DIN. The first block's 16 words fill the FIFO; the 17th (the first word of
 *     the next block) starts the partial digest; from then on the software waits for
 *     HASH_SR.DINIS = 1 before the next word ("avoids the introduction of wait states").
 *  4. The last, partial word (upper bytes zero), then HASH_STR.NBLW = valid bits in it (0 = all
 *     32), then — in a separate write, since NBLW cannot change while DCAL is written —
 *     HASH_STR.DCAL = 1: the unit pads and computes the final digest.
 *  5. Wait for HASH_SR.DCIS = 1, read HASH_HR0..HR7 (H0 most significant), stop the clock.
 *
 * Every wait is bounded (spin_limit polls); a timeout makes finish() fail, and the image hash
 * fails with it (h7_sha256_final returns -1): a stuck unit never produces a "match".
 *
 * DMA is not used: the CPU feeding words from the D-cached copy is within the 10 ms goal
 * (docs/bootloader.md, "Boot time") and keeps the driver free of MDMA set-up.
 */
#include "h7_hash.h"

#include "stm32h750_regs.h"

/* Register access. Host tests (tests/vdaisy/hash) run this driver against the HASH model of the
 * virtual Daisy through two bus functions; the firmware accesses the registers directly. */
#ifdef H7_HASH_TEST_BUS
uint32_t h7_hash_test_read(uintptr_t addr);
void h7_hash_test_write(uintptr_t addr, uint32_t val);
#define RD(a) h7_hash_test_read(a)
#define WR(a, v) h7_hash_test_write((a), (v))
#else
#define RD(a) H7_REG(a)
#define WR(a, v) (H7_REG(a) = (v))
#endif
#define HASH_RD(u, off) RD((u)->base + (off))
#define HASH_WR(u, off, v) WR((u)->base + (off), (v))

/* A status bit set within the unit's spin limit; records a timeout in the unit. */
static bool wait_status(struct h7_hash_unit *u, uint32_t bit)
{
    for (uint32_t n = 0; n < u->spin_limit; n++)
        if (HASH_RD(u, HASH_SR_OFF) & bit)
            return true;
    u->failed = true;
    return false;
}

static void clock_on(struct h7_hash_unit *u, bool on)
{
    uint32_t v = RD(u->clock_enable);
    WR(u->clock_enable, on ? v | u->clock_bit : v & ~u->clock_bit);
    (void)RD(u->clock_enable); /* read back: the enable has reached the peripheral */
}

/* The configuration start() writes, and the part of it HASH_CR reads back (INIT reads 0). */
#define CR_SHA256_BYTES                                                                            \
    (HASH_CR_ALGO1 | HASH_CR_ALGO0 | H7_FIELD(HASH_DATATYPE_BYTES, HASH_CR_DATATYPE_POS))

/* Clocked, is this a working unit? Start a message (INIT with the configuration, §"Message digest
 * computing" steps 1-2) and look: a working unit keeps ALGO and DATATYPE in HASH_CR and is ready
 * for a block (HASH_SR.DINIS = 1, not BUSY — INIT resets the core). A lot with HASH disabled
 * reads zero everywhere, so both fail there. */
static bool looks_present(struct h7_hash_unit *u)
{
    HASH_WR(u, HASH_CR_OFF, CR_SHA256_BYTES | HASH_CR_INIT);
    uint32_t cr = HASH_RD(u, HASH_CR_OFF);
    uint32_t sr = HASH_RD(u, HASH_SR_OFF);
    return (cr & (CR_SHA256_BYTES | HASH_CR_MODE)) == CR_SHA256_BYTES &&
           (sr & (HASH_SR_DINIS | HASH_SR_BUSY)) == HASH_SR_DINIS;
}

bool h7_hash_present(struct h7_hash_unit *u)
{
    clock_on(u, true);
    bool ok = looks_present(u);
    clock_on(u, false);
    return ok;
}

static int engine_start(void *ctx)
{
    struct h7_hash_unit *u = ctx;
    if (u->busy)
        return -1; /* one message at a time: the other context hashes in software */
    clock_on(u, true);
    if (!looks_present(u)) { /* INIT was written by looks_present() when it is there */
        clock_on(u, false);
        return -1;
    }
    u->busy = true;
    u->failed = false;
    u->words = 0;
    u->partial = 0;
    u->partial_len = 0;
    return 0;
}

/* Words that may go to HASH_DIN before the next DINIS wait: the first block's 16 and the
 * trigger word of the next, then 16 per block (step 3: words 18, 34, 50, ... wait). */
static uint32_t words_before_wait(const struct h7_hash_unit *u)
{
    return u->words < 17 ? 17 - u->words : 16 - (u->words - 17) % 16;
}

static void wait_if_due(struct h7_hash_unit *u)
{
    if (words_before_wait(u) == 16 && u->words >= 17 && !u->failed)
        wait_status(u, HASH_SR_DINIS);
}

static void push_word(struct h7_hash_unit *u, uint32_t w)
{
    wait_if_due(u);
    HASH_WR(u, HASH_DIN_OFF, w);
    u->words++;
}

static void engine_feed(void *ctx, const void *data, size_t len)
{
    struct h7_hash_unit *u = ctx;
    const uint8_t *p = data;
    while (len && u->partial_len) { /* finish the word a previous call left open */
        u->partial |= (uint32_t)*p++ << (8 * u->partial_len);
        len--;
        if (++u->partial_len == 4) {
            push_word(u, u->partial);
            u->partial = 0;
            u->partial_len = 0;
        }
    }
    /* Whole words, a run at a time between DINIS waits: one load and one store per word. */
    while (len >= 4) {
        wait_if_due(u);
        uint32_t run = words_before_wait(u);
        if (run > len / 4)
            run = (uint32_t)(len / 4);
        u->words += run;
        len -= 4u * run;
        for (; run; run--, p += 4) {
            uint32_t w;
            __builtin_memcpy(&w, p, 4); /* one (possibly unaligned) load: bytes in memory order */
            HASH_WR(u, HASH_DIN_OFF, w);
        }
    }
    for (; len; len--)
        u->partial |= (uint32_t)*p++ << (8 * u->partial_len++);
}

static int engine_finish(void *ctx, uint8_t digest[H7_SHA256_SIZE])
{
    struct h7_hash_unit *u = ctx;
    uint32_t nblw = 8 * u->partial_len; /* 0: the last word is whole */
    if (u->partial_len)
        push_word(u, u->partial);
    HASH_WR(u, HASH_STR_OFF, H7_FIELD(nblw, HASH_STR_NBLW_POS));
    HASH_WR(u, HASH_STR_OFF, HASH_STR_DCAL);
    bool ok = wait_status(u, HASH_SR_DCIS) && !u->failed;
    for (int i = 0; i < 8; i++) {
        uint32_t h = ok ? HASH_RD(u, HASH_HR_OFF + 4u * (uint32_t)i) : 0;
        digest[4 * i] = (uint8_t)(h >> 24);
        digest[4 * i + 1] = (uint8_t)(h >> 16);
        digest[4 * i + 2] = (uint8_t)(h >> 8);
        digest[4 * i + 3] = (uint8_t)h;
    }
    clock_on(u, false);
    u->busy = false;
    return ok ? 0 : -1;
}

const struct h7_sha256_engine *h7_hash_unit_init(struct h7_hash_unit *u, uintptr_t base,
                                                 uintptr_t clock_enable, uint32_t clock_bit)
{
    *u = (struct h7_hash_unit){.base = base,
                               .clock_enable = clock_enable,
                               .clock_bit = clock_bit,
                               .spin_limit = 1000000u,
                               .engine = {u, engine_start, engine_feed, engine_finish}};
    return &u->engine;
}

const struct h7_sha256_engine *h7_hash_stm32h750(void)
{
    static struct h7_hash_unit unit;
    if (!unit.engine.start)
        h7_hash_unit_init(&unit, HASH_BASE, RCC_AHB2ENR, RCC_AHB2ENR_HASHEN);
    return &unit.engine;
}
