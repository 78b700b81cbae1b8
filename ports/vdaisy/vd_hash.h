/*
 * vd_hash.h — the STM32H750 HASH unit on the virtual Daisy (vd_model.h contract), written from
 * RM0433's HASH chapter (the same IP and register map as RM0399 Rev 4 §38; section numbers below
 * are RM0399's where RM0433's were not at hand — the titles are the same).
 *
 * What it models: SHA2-256 in hash mode with the CPU writing HASH_DIN, for messages of whole
 * bytes; DATATYPE 00/01/10/11 swapping; the 17-word IN buffer with partial digests started by
 * the first word of the next block; NBLW and DCAL; DINIS/DCIS/BUSY; HASH_HRx and the HASH_HRAx
 * aliases; word-only access. Time: each 512-bit block keeps the core busy for
 * `hash.block_cycles` HCLK cycles (§38.2: 66 for SHA2-256); a HASH_DIN write or a HASH_HRx read
 * while the core is busy stalls the CPU until it is done (§38.7.2, §38.7.4 notes).
 *
 * Not modelled (stops the run, VD_UNMODELLED): SHA-1, SHA2-224, MD5, HMAC, DMA, the context
 * swap registers HASH_CSRx, bit-string messages (NBLW not a multiple of 8).
 *
 * Parameters (vd_param):
 *   hash.absent=1        the unit of the STM32H750 lots ST's quality alert describes (CRYP and
 *                        HASH disabled, date codes 2020 w22-w47): every register reads 0 and
 *                        ignores writes. Default 0.
 *   hash.block_cycles=N  HCLK cycles per block. Default 66.
 *   hash.dinis_after_digest=0|1  HASH_SR.DINIS after a final digest, before the next INIT (the
 *                        manual does not say). Default 0.
 *   hash.hclk_hz=N       the unit's HCLK when the machine does not know "hclk2". Default
 *                        240000000 (the Daisy's AHB at 480 MHz / 2).
 */
#ifndef VD_HASH_H
#define VD_HASH_H

#include <stdbool.h>
#include <stdint.h>

#include "vd_model.h"

#define VD_HASH_BASE 0x48021400u /* RM0433 §2.3.2 Table 8: AHB2, HASH */
#define VD_HASH_SIZE 0x400u

struct vd_hash {
    struct vd_machine *m;
    struct vd_periph periph;
    bool absent;
    bool dinis_after_digest;
    uint32_t block_cycles;
    uint64_t hclk_hz;
    /* registers */
    uint32_t cr;  /* ALGO, DATATYPE, MODE, DMAE as written (INIT reads 0) */
    uint32_t str; /* NBLW */
    uint32_t imr;
    uint32_t din; /* last word written (read back) */
    bool dcis;
    uint32_t hr[8];
    /* the message */
    bool initialised;   /* INIT written since reset */
    bool final_started; /* DCAL written: no more input until the next INIT */
    uint32_t pending;   /* words in the IN buffer not yet taken by the core (0..17) */
    bool have_last;     /* the last word written is held back until we know it is not last */
    uint32_t last;
    uint64_t bytes;      /* message bytes handed to the digest so far */
    uint64_t busy_until; /* ns: the core processes a block until then */
    uint64_t blocks;     /* blocks processed (statistics, for benchmarks) */
    uint64_t stalls;     /* CPU accesses that had to wait for the core */
    void *md;            /* the digest (OpenSSL EVP_MD_CTX; independent of h7boot's SHA-256) */
};

/* Set up the model (reads its parameters) and register it with the machine. */
void vd_hash_init(struct vd_hash *h, struct vd_machine *m);
void vd_hash_free(struct vd_hash *h);

#endif /* VD_HASH_H */
