/*
 * h7_hash.h — SHA-256 on the STM32H750's HASH unit, CPU-fed, offered to the portable code as a
 * `struct h7_sha256_engine` (image/h7_sha256.h). No register header here: the boot core and the
 * image library see only the engine's three functions.
 *
 * Run-time detection: ST's quality alert on STM32H750 lots (date codes 2020 week 22 to 47)
 * shipped with CRYP and HASH disabled — their registers read zero. start() checks the unit
 * every time (HASH_SR reads DINIS = 1 when idle; HASH_CR reads back the algorithm it was given)
 * and says "absent" otherwise, so the caller hashes in software (ports/stm32h750/hash.c).
 */
#ifndef H7_HASH_H
#define H7_HASH_H

#include <stdbool.h>
#include <stdint.h>

#include "h7_sha256.h"

struct h7_hash_unit {
    uintptr_t base;         /* HASH registers (HASH_BASE on the STM32H750) */
    uintptr_t clock_enable; /* its RCC enable register (RCC_AHB2ENR) */
    uint32_t clock_bit;     /* RCC_AHB2ENR_HASHEN */
    uint32_t spin_limit;    /* status polls before a wait counts as a failure */
    /* one message */
    bool busy;
    bool failed;                    /* a wait timed out: finish() reports it */
    uint32_t words;                 /* words written to HASH_DIN since INIT */
    uint32_t partial;               /* bytes of an unfinished word, first byte lowest */
    uint32_t partial_len;           /* 0..3 */
    struct h7_sha256_engine engine; /* what h7_hash_unit_init() hands out */
};

/* Set up a unit at `base` clocked by `clock_bit` of the register at `clock_enable`; returns
 * its engine for h7_boot_port.sha256 / h7_sha256_use_engine(). Touches no register. */
const struct h7_sha256_engine *h7_hash_unit_init(struct h7_hash_unit *u, uintptr_t base,
                                                 uintptr_t clock_enable, uint32_t clock_bit);

/* The STM32H750's own unit (HASH_BASE, RCC_AHB2ENR.HASHEN). */
const struct h7_sha256_engine *h7_hash_stm32h750(void);

/* Is the unit there? Clocks it, checks it, stops the clock again. */
bool h7_hash_present(struct h7_hash_unit *u);

#endif /* H7_HASH_H */
