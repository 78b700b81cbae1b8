/*
 * vd_hash.c — the HASH unit model (vd_hash.h). Rules, with the section they come from (RM0433
 * HASH chapter; numbers as in RM0399 Rev 4 §38, the same IP):
 *
 *  §38.2   32-bit word accesses only, else an AHB error            -> VD_BUS_FAULT
 *  §38.4.4 HASH_DIN + 16-word FIFO = the 17-word IN buffer; DATATYPE swaps each word
 *  §38.4.5 a partial digest starts when the first word of the next block is written; software
 *          waits for DINIS before writing more; DCAL starts padding and the final digest;
 *          the configuration (ALGO, DATATYPE, MODE) is taken when INIT is written
 *  §38.4.6 NBLW = valid bits of the last word; it cannot change in the write that sets DCAL
 *  §38.7.1 HASH_CR: INIT reads 0; NBW counts words pushed; DINNE: HASH_DIN holds a word
 *  §38.7.2 a HASH_DIN write while the core is busy stalls the bus until it is done
 *  §38.7.4 HASH_HRx: H0 most significant; a read during a calculation stalls until the end;
 *          INIT forces them to reset values; HASH_HRAx alias HR0..HR4 at 0x0C
 *  §38.7.6 HASH_SR: reset value 0x1 (DINIS); DINIS set when 16 locations are free, cleared by a
 *          HASH_DIN write or by writing 0; DCIS set when the digest is ready, cleared by INIT or
 *          by writing 0; BUSY while a block is processed
 *
 * What the manual leaves open and this model decides: DINIS rises when the core has taken the
 * block (busy ends) with at most the trigger word pending. Whether DINIS reads 1 after a final
 * digest, before the next INIT, is the parameter hash.dinis_after_digest (default 0).
 */
#include "vd_hash.h"

#include <openssl/evp.h>
#include <string.h>

#define CR 0x00u
#define DIN 0x04u
#define STR 0x08u
#define HRA0 0x0Cu
#define IMR 0x20u
#define SR 0x24u
#define HR0 0x310u

#define CR_INIT (1u << 2)
#define CR_DMAE (1u << 3)
#define CR_DATATYPE(cr) (((cr) >> 4) & 3u)
#define CR_MODE (1u << 6)
#define CR_ALGO0 (1u << 7)
#define CR_NBW_POS 8u
#define CR_DINNE (1u << 12)
#define CR_MDMAT (1u << 13)
#define CR_LKEY (1u << 16)
#define CR_ALGO1 (1u << 18)
#define CR_WRITABLE (CR_DMAE | (3u << 4) | CR_MODE | CR_ALGO0 | CR_MDMAT | CR_LKEY | CR_ALGO1)
#define STR_DCAL (1u << 8)
#define STR_NBLW 0x1Fu
#define SR_DINIS 1u
#define SR_DCIS 2u
#define SR_BUSY 8u

static uint64_t block_ns(const struct vd_hash *h)
{
    return (uint64_t)h->block_cycles * 1000000000u / h->hclk_hz;
}

static bool busy(const struct vd_hash *h)
{
    return vd_now_ns(h->m) < h->busy_until;
}

/* The CPU waits for the core (a stalled AHB access). */
static void wait_core(struct vd_hash *h)
{
    uint64_t now = vd_now_ns(h->m);
    if (now < h->busy_until) {
        vd_add_stall_ns(h->m, h->busy_until - now);
        h->stalls++;
    }
}

/* The message bytes of a word as DATATYPE says (§38.4.4, Figure "Message data swapping"). */
static void word_bytes(uint32_t cr, uint32_t w, uint8_t b[4])
{
    uint32_t v = w; /* the big-endian word the core uses */
    switch (CR_DATATYPE(cr)) {
    case 0: /* 32-bit: as is */
        break;
    case 1: /* half-words swapped */
        v = w << 16 | w >> 16;
        break;
    case 2: /* bytes swapped */
        v = __builtin_bswap32(w);
        break;
    case 3: { /* bit string: bit 0 first */
        v = 0;
        for (int i = 0; i < 32; i++)
            v |= ((w >> i) & 1u) << (31 - i);
        break;
    }
    }
    b[0] = (uint8_t)(v >> 24);
    b[1] = (uint8_t)(v >> 16);
    b[2] = (uint8_t)(v >> 8);
    b[3] = (uint8_t)v;
}

static void digest_bytes(struct vd_hash *h, const uint8_t *b, size_t n)
{
    EVP_DigestUpdate(h->md, b, n);
    h->bytes += n;
}

static void do_init(struct vd_hash *h, uint32_t val)
{
    h->cr = val & CR_WRITABLE;
    h->initialised = true;
    h->final_started = false;
    h->pending = 0;
    h->have_last = false;
    h->bytes = 0;
    h->dcis = false;
    memset(h->hr, 0, sizeof h->hr); /* §38.7.4 note */
    EVP_DigestInit_ex(h->md, EVP_sha256(), NULL);
}

static enum vd_result write_din(struct vd_hash *h, uint32_t val)
{
    if (!h->initialised || h->final_started) {
        vd_violation(h->m,
                     "HASH: RM0433 HASH \"Message digest computing\" (RM0399 §38.4.5): "
                     "HASH_DIN written %s",
                     h->initialised ? "after DCAL, before a new INIT" : "before INIT");
        return VD_OK;
    }
    if (busy(h))
        wait_core(h); /* §38.7.2: the write stalls until the core is done */
    if (h->pending == 16) {
        /* §38.4.5: the first word of the next block starts the partial digest of the 16 */
        h->busy_until = vd_now_ns(h->m) + block_ns(h);
        h->blocks++;
        h->pending = 0;
    }
    if (h->have_last) {
        uint8_t b[4];
        word_bytes(h->cr, h->last, b);
        digest_bytes(h, b, 4);
    }
    h->last = val;
    h->have_last = true;
    h->din = val;
    h->pending++;
    return VD_OK;
}

static enum vd_result write_str(struct vd_hash *h, uint32_t val)
{
    if (!(val & STR_DCAL)) {
        h->str = val & STR_NBLW;
        return VD_OK;
    }
    /* §38.4.6 / §38.7.3: NBLW keeps its value in a write that sets DCAL */
    if (!h->initialised || h->final_started) {
        vd_violation(h->m, "HASH: RM0399 §38.4.5: DCAL written %s",
                     h->initialised ? "twice for one message" : "before INIT");
        return VD_OK;
    }
    if (h->str % 8) {
        vd_trace(h->m, "HASH: NBLW=%u: bit-string messages are not modelled", h->str);
        return VD_UNMODELLED;
    }
    /* What the core has not compressed yet: the pending words, the last one cut to NBLW. */
    uint64_t left = h->pending ? (uint64_t)(h->pending - 1) * 4 + (h->str ? h->str / 8 : 4) : 0;
    if (h->have_last) {
        uint8_t b[4];
        word_bytes(h->cr, h->last, b);
        digest_bytes(h, b, h->str ? h->str / 8 : 4);
        h->have_last = false;
    }
    unsigned int n = 0;
    uint8_t d[EVP_MAX_MD_SIZE];
    EVP_DigestFinal_ex(h->md, d, &n);
    for (int i = 0; i < 8; i++)
        h->hr[i] = (uint32_t)d[4 * i] << 24 | (uint32_t)d[4 * i + 1] << 16 |
                   (uint32_t)d[4 * i + 2] << 8 | d[4 * i + 3];
    /* Those bytes plus padding (0x80, zeros, the 64-bit length): 1 or 2 blocks, after the
     * block the core may still be on (the STR write itself does not stall). */
    uint64_t blocks = (left + 1 + 8 + 63) / 64;
    uint64_t from = busy(h) ? h->busy_until : vd_now_ns(h->m);
    h->busy_until = from + blocks * block_ns(h);
    h->blocks += blocks;
    h->final_started = true;
    h->pending = 0;
    vd_trace(h->m, "HASH: SHA2-256 digest of %llu bytes, %llu blocks, %llu stalled accesses",
             (unsigned long long)h->bytes, (unsigned long long)h->blocks,
             (unsigned long long)h->stalls);
    h->dcis = true; /* visible once busy_until has passed (read_sr) */
    return VD_OK;
}

static enum vd_result hash_read(void *ctx, uint32_t off, unsigned size, uint32_t *val)
{
    struct vd_hash *h = ctx;
    if (size != 4)
        return VD_BUS_FAULT; /* §38.2: word accesses only */
    if (h->absent) {
        *val = 0;
        return VD_OK;
    }
    switch (off) {
    case CR: {
        uint32_t nbw = h->pending ? h->pending - 1 : 0;
        *val = h->cr | (nbw << CR_NBW_POS) | (h->pending ? CR_DINNE : 0);
        return VD_OK;
    }
    case DIN:
        *val = h->din;
        return VD_OK;
    case STR:
        *val = h->str; /* DCAL reads 0 */
        return VD_OK;
    case IMR:
        *val = h->imr;
        return VD_OK;
    case SR: {
        bool b = busy(h);
        bool done = h->dcis && !b;
        bool dinis = !b && h->pending <= 1 && (!h->final_started || h->dinis_after_digest);
        *val = (dinis ? SR_DINIS : 0) | (done ? SR_DCIS : 0) | (b ? SR_BUSY : 0);
        return VD_OK;
    }
    default:
        break;
    }
    if ((off >= HRA0 && off < HRA0 + 20) || (off >= HR0 && off < HR0 + 32)) {
        unsigned i = off >= HR0 ? (off - HR0) / 4 : (off - HRA0) / 4;
        if (h->final_started)
            wait_core(h); /* §38.7.4: stalled until the calculation has completed */
        *val = h->dcis ? h->hr[i] : 0;
        return VD_OK;
    }
    return VD_UNMODELLED; /* HASH_CSRx (context swap) and reserved offsets */
}

static enum vd_result hash_write(void *ctx, uint32_t off, unsigned size, uint32_t val)
{
    struct vd_hash *h = ctx;
    if (size != 4)
        return VD_BUS_FAULT;
    if (h->absent)
        return VD_OK; /* the disabled unit ignores writes */
    switch (off) {
    case CR:
        if (val & CR_INIT) {
            if ((val & (CR_ALGO1 | CR_ALGO0)) != (CR_ALGO1 | CR_ALGO0) || (val & CR_MODE) ||
                (val & CR_DMAE)) {
                vd_trace(h->m,
                         "HASH: CR=0x%08x: only SHA2-256 hash mode without DMA is "
                         "modelled",
                         val);
                return VD_UNMODELLED;
            }
            do_init(h, val);
        } else {
            /* §38.7.1: ALGO/MODE/DATATYPE are taken at INIT; keep what was written */
            h->cr = val & CR_WRITABLE;
        }
        return VD_OK;
    case DIN:
        return write_din(h, val);
    case STR:
        return write_str(h, val);
    case IMR:
        h->imr = val & 3u;
        return VD_OK;
    case SR:
        /* DINIS/DCIS are cleared by writing 0 */
        if (!(val & SR_DCIS))
            h->dcis = false;
        return VD_OK;
    default:
        return VD_UNMODELLED; /* HASH_CSRx (context swap: §38.7.7), reserved, read-only HRx */
    }
}

static void hash_reset(void *ctx, bool power_on)
{
    struct vd_hash *h = ctx;
    (void)power_on;
    h->cr = h->str = h->imr = h->din = 0;
    h->dcis = false;
    memset(h->hr, 0, sizeof h->hr);
    h->initialised = h->final_started = h->have_last = false;
    h->pending = 0;
    h->busy_until = 0;
}

void vd_hash_init(struct vd_hash *h, struct vd_machine *m)
{
    memset(h, 0, sizeof *h);
    h->m = m;
    h->absent = vd_param(m, "hash.absent", 0) != 0;
    h->block_cycles = (uint32_t)vd_param(m, "hash.block_cycles", 66);
    h->dinis_after_digest = vd_param(m, "hash.dinis_after_digest", 0) != 0;
    h->hclk_hz = vd_clock_hz(m, "hclk2");
    if (!h->hclk_hz)
        h->hclk_hz = (uint64_t)vd_param(m, "hash.hclk_hz", 240000000);
    h->md = EVP_MD_CTX_new();
    h->periph = (struct vd_periph){.name = "HASH",
                                   .base = VD_HASH_BASE,
                                   .size = VD_HASH_SIZE,
                                   .gate = {.rcc_offset = 0x0DC, .bit = 5}, /* RCC_AHB2ENR */
                                   .ctx = h,
                                   .read = hash_read,
                                   .write = hash_write,
                                   .reset = hash_reset};
    hash_reset(h, true);
    vd_add_periph(m, &h->periph);
}

void vd_hash_free(struct vd_hash *h)
{
    EVP_MD_CTX_free(h->md);
    h->md = NULL;
}
