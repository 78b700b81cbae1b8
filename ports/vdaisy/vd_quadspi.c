/*
 * vd_quadspi.c — the STM32H750 QUADSPI controller (see vd_quadspi.h), from RM0433 rev. 7 §23:
 *   §23.3.1 phases of a command (instruction, address, alternate bytes, dummy, data; each on
 *           0/1/2/4 lines; single-line data goes out on IO0 and comes back on IO1);
 *   §23.3.5 indirect mode, "triggering the start of a command": with no address and no data to
 *           supply, writing CCR starts it; with an address, writing AR; with data to write and
 *           no address, writing DR. DLR + 1 bytes; DLR = 0xFFFFFFFF: up to the end of the flash;
 *           FIFO of 32 bytes, FLEVEL, FTF against FTHRES;
 *   §23.3.6 status-flag polling mode (FMODE = 10): the command repeats every PIR + 1 clocks,
 *           the (DLR + 1 <= 4) bytes are masked with PSMKR and compared with PSMAR, AND (PMM = 0)
 *           or OR (PMM = 1); SMF on a match; APMS = 1 stops at the match;
 *   §23.3.7 memory-mapped mode (FMODE = 11): the flash is read through 0x90000000, read only,
 *           BUSY goes high with the first access and falls only with an abort, a timeout or EN
 *           cleared; SIOO = 1 sends the instruction only with the first command;
 *   §23.3.16 (error management) / §23.5.3 SR.TEF: "set in indirect mode when an invalid address
 *           is being accessed" (beyond 2^(FSIZE+1) bytes); the command is not sent;
 *   §23.5.3 SR.TCF: "set in indirect mode when the programmed number of data has been
 *           transferred or in any mode when the transfer has been aborted"; BUSY: "cleared when
 *           the operation with the flash is finished and the FIFO is empty";
 *   §23.5.1-§23.5.13 registers: which fields "can be modified only when BUSY = 0" (CR: TCEN,
 *           SSHIFT, DFM, FSEL, APMS, PMM, PRESCALER; all of DCR, DLR, CCR, AR, ABR, PSMKR,
 *           PSMAR, PIR, LPTR); CR.ABORT "automatically reset once the abort is complete".
 */
#include "vd_quadspi.h"

#include <stdlib.h>
#include <string.h>

#include "vd_is25lp064a.h"

/* Register offsets (RM0433 §23.5.14 register map). */
enum {
    R_CR = 0x00, R_DCR = 0x04, R_SR = 0x08, R_FCR = 0x0C, R_DLR = 0x10, R_CCR = 0x14,
    R_AR = 0x18, R_ABR = 0x1C, R_DR = 0x20, R_PSMKR = 0x24, R_PSMAR = 0x28, R_PIR = 0x2C,
    R_LPTR = 0x30, R_END = 0x34,
};

#define CR_EN 0x1u
#define CR_ABORT 0x2u
#define CR_DMAEN 0x4u
#define CR_TCEN 0x8u
#define CR_SSHIFT 0x10u
#define CR_DFM 0x40u
#define CR_FSEL 0x80u
#define CR_FTHRES(cr) (((cr) >> 8) & 0x1Fu)
#define CR_IE_SHIFT 16u /* TEIE, TCIE, FTIE, SMIE, TOIE at 16..20 = SR flag bit + 16 */
#define CR_APMS 0x400000u
#define CR_PMM 0x800000u
#define CR_PRESCALER(cr) ((cr) >> 24)
#define CR_WHEN_IDLE (0xFFu << 24 | CR_PMM | CR_APMS | CR_FSEL | CR_DFM | CR_SSHIFT | CR_TCEN)
#define CR_WRITABLE 0xFFDF1FDFu

#define DCR_FSIZE(d) (((d) >> 16) & 0x1Fu)
#define DCR_WRITABLE 0x001F0701u

#define SR_TEF 0x01u
#define SR_TCF 0x02u
#define SR_FTF 0x04u
#define SR_SMF 0x08u
#define SR_TOF 0x10u
#define SR_BUSY 0x20u
#define SR_FLEVEL_SHIFT 8u
#define FCR_MASK (SR_TEF | SR_TCF | SR_SMF | SR_TOF)

#define CCR_IMODE(c) (((c) >> 8) & 3u)
#define CCR_ADMODE(c) (((c) >> 10) & 3u)
#define CCR_ADSIZE(c) (((c) >> 12) & 3u)
#define CCR_ABMODE(c) (((c) >> 14) & 3u)
#define CCR_ABSIZE(c) (((c) >> 16) & 3u)
#define CCR_DCYC(c) (((c) >> 18) & 0x1Fu)
#define CCR_DMODE(c) (((c) >> 24) & 3u)
#define CCR_FMODE(c) (((c) >> 26) & 3u)
#define CCR_SIOO 0x10000000u
#define CCR_DDRM 0x80000000u

enum { FM_WRITE = 0, FM_READ = 1, FM_POLL = 2, FM_MAPPED = 3 };

#define FIFO_SIZE 32u
#define QUADSPI_IRQ 92u /* RM0433 Table 145: QUADSPI global interrupt */
#define DEFAULT_KER_HZ 200000000ull
#define NS_PER_S 1000000000ull
#define PROBE_LEN 8u
#define PROBE_ADDR_2 0x100u

enum state { S_IDLE, S_WRITE, S_READ, S_DONE, S_POLL, S_MAPPED };

struct qspi {
    struct vd_periph p;
    struct vd_machine *m;
    struct vd_is25lp064a *nor;
    long tef_sets_tcf, idle_abort_tcf;
    uint8_t float_io;

    uint32_t cr, dcr, flags, dlr, ccr, ar, abr, psmkr, psmar, pir, lptr;
    enum state st;
    uint64_t done_at;   /* bus time of the command's end */
    bool tcf_due;       /* set TCF once done_at is reached and the data moved */
    bool selected;
    unsigned clocks;    /* clocks of the command so far (nCS low) */

    uint8_t fifo[FIFO_SIZE]; /* write bytes waiting for the command to start */
    unsigned fifo_n;
    uint32_t wr_total, wr_done;

    uint8_t *rx;
    uint32_t rx_len, rx_pos;

    uint32_t poll_value;
    uint64_t poll_next;

    bool window_open, mapped_busy;
    uint8_t *garbage;
    bool irq_level;

    unsigned commands, tefs;
};

static struct qspi *Q(void *ctx) { return ctx; }

/* --- time ----------------------------------------------------------------------------------- */

static uint64_t now(const struct qspi *q) { return vd_now_ns(q->m); }

static uint64_t clock_ns(const struct qspi *q, uint64_t clocks)
{
    uint64_t hz = vd_clock_hz(q->m, "qspi_ker");
    if (!hz)
        hz = vd_clock_hz(q->m, "hclk3");
    if (!hz)
        hz = DEFAULT_KER_HZ;
    return clocks * (CR_PRESCALER(q->cr) + 1u) * NS_PER_S / hz;
}

/* --- the wires ------------------------------------------------------------------------------ */

static unsigned lines_of(unsigned mode) { return mode == 3 ? 4u : mode; }
static uint8_t oe_of(unsigned lines) { return lines == 4 ? 0xFu : lines == 2 ? 0x3u : 0x1u; }

static bool flash_present(const struct qspi *q)
{
    /* Bank 1 only: the Daisy has one flash on BK1 (RM0433 §23.3.2: FSEL selects the bank). */
    return !(q->cr & CR_FSEL);
}

static uint8_t clock_once(struct qspi *q, uint8_t io, uint8_t oe)
{
    uint8_t foe = 0, fio = 0;
    if (flash_present(q))
        fio = vd_is25lp064a_clock(q->nor, io, oe, &foe);
    q->clocks++;
    return (uint8_t)((fio & foe) | (q->float_io & (uint8_t)~foe & 0xFu));
}

static void send_bits(struct qspi *q, unsigned mode, uint32_t v, unsigned nbits)
{
    unsigned n = lines_of(mode);
    for (int sh = (int)nbits - (int)n; sh >= 0; sh -= (int)n)
        clock_once(q, (uint8_t)((v >> sh) & ((1u << n) - 1u)), oe_of(n));
}

static uint8_t recv_byte(struct qspi *q, unsigned mode)
{
    unsigned n = lines_of(mode);
    uint8_t b = 0;
    for (unsigned i = 0; i < 8u / n; i++) {
        uint8_t io = clock_once(q, 0, 0);
        unsigned v = n == 1 ? (io >> 1) & 1u : io & ((1u << n) - 1u); /* 1 line: IO1 */
        b = (uint8_t)(b << n | v);
    }
    return b;
}

static void select_flash(struct qspi *q)
{
    q->clocks = 0;
    q->selected = true;
    if (flash_present(q))
        vd_is25lp064a_select(q->nor, now(q));
}

static void deselect_flash(struct qspi *q)
{
    if (q->selected && flash_present(q))
        vd_is25lp064a_deselect(q->nor);
    q->selected = false;
}

/* Instruction, address, alternate bytes, dummy cycles (RM0433 §23.3.1). */
static void send_header(struct qspi *q, uint32_t ccr, uint32_t addr, bool with_instruction)
{
    if (CCR_IMODE(ccr) && with_instruction)
        send_bits(q, CCR_IMODE(ccr), ccr & 0xFFu, 8);
    if (CCR_ADMODE(ccr))
        send_bits(q, CCR_ADMODE(ccr), addr, 8u * (CCR_ADSIZE(ccr) + 1u));
    if (CCR_ABMODE(ccr))
        send_bits(q, CCR_ABMODE(ccr), q->abr, 8u * (CCR_ABSIZE(ccr) + 1u));
    for (unsigned i = 0; i < CCR_DCYC(ccr); i++)
        clock_once(q, 0, 0);
}

/* --- flags and interrupt -------------------------------------------------------------------- */

static unsigned flevel(const struct qspi *q)
{
    if (q->st == S_READ || q->st == S_DONE) {
        uint32_t left = q->rx_len - q->rx_pos;
        return left > FIFO_SIZE ? FIFO_SIZE : left;
    }
    return q->fifo_n;
}

static void update(struct qspi *q)
{
    uint64_t t = now(q);
    switch (q->st) {
    case S_READ:
        if (t >= q->done_at && q->rx_len - q->rx_pos <= FIFO_SIZE) {
            if (q->tcf_due)
                q->flags |= SR_TCF;
            q->tcf_due = false;
            q->st = S_DONE;
        }
        if (q->st == S_DONE && q->rx_pos >= q->rx_len)
            q->st = S_IDLE;
        break;
    case S_DONE:
        if (q->rx_pos >= q->rx_len)
            q->st = S_IDLE;
        break;
    case S_WRITE:
        if (q->wr_done >= q->wr_total && t >= q->done_at) {
            q->flags |= SR_TCF;
            q->st = S_IDLE;
        }
        break;
    case S_POLL:
        if (t >= q->poll_next) {
            uint32_t ccr = q->ccr;
            unsigned n = (q->dlr & 3u) + 1u;
            select_flash(q);
            send_header(q, ccr, q->ar, true);
            uint32_t v = 0;
            for (unsigned i = 0; i < n; i++)
                v |= (uint32_t)recv_byte(q, CCR_DMODE(ccr)) << (8u * i);
            deselect_flash(q);
            q->commands++;
            q->poll_value = v;
            uint32_t eq = ~(v ^ q->psmar) & q->psmkr;
            bool match = (q->cr & CR_PMM) ? eq != 0 : eq == q->psmkr;
            if (match) {
                q->flags |= SR_SMF;
                if (q->cr & CR_APMS)
                    q->st = S_IDLE;
            }
            q->poll_next = t + clock_ns(q, q->clocks + q->pir + 1u);
        }
        break;
    default:
        break;
    }
    uint32_t sr = q->flags;
    bool irq = ((sr << CR_IE_SHIFT) & q->cr & (0x1Fu << CR_IE_SHIFT)) != 0;
    if (irq != q->irq_level) {
        q->irq_level = irq;
        vd_irq(q->m, QUADSPI_IRQ, irq);
    }
}

static bool busy(const struct qspi *q)
{
    return q->st != S_IDLE || q->mapped_busy;
}

static uint32_t sr_value(struct qspi *q)
{
    update(q);
    uint32_t sr = q->flags;
    unsigned lvl = flevel(q);
    unsigned thr = CR_FTHRES(q->cr) + 1u;
    if (CCR_FMODE(q->ccr) == FM_WRITE) {
        if (FIFO_SIZE - lvl >= thr)
            sr |= SR_FTF;
    } else if (CCR_FMODE(q->ccr) == FM_READ) {
        if (lvl >= thr || (q->st == S_DONE && lvl))
            sr |= SR_FTF;
    }
    if (busy(q))
        sr |= SR_BUSY;
    return sr | lvl << SR_FLEVEL_SHIFT;
}

/* --- commands ------------------------------------------------------------------------------- */

static uint64_t flash_bytes(const struct qspi *q)
{
    return 1ull << (DCR_FSIZE(q->dcr) + 1u);
}

/* Data bytes of an indirect command: DLR + 1, or up to the end of the flash (§23.5.5). */
static uint32_t data_len(const struct qspi *q, uint32_t addr)
{
    if (q->dlr != 0xFFFFFFFFu)
        return q->dlr + 1u;
    uint64_t end = flash_bytes(q);
    return addr < end ? (uint32_t)(end - addr) : 0u;
}

static void push_write_data(struct qspi *q, uint8_t b)
{
    send_bits(q, CCR_DMODE(q->ccr), b, 8);
    q->wr_done++;
    q->done_at = (q->done_at > now(q) ? q->done_at : now(q)) +
                 clock_ns(q, 8u / lines_of(CCR_DMODE(q->ccr)));
    if (q->wr_done == q->wr_total)
        deselect_flash(q);
}

static void start_command(struct qspi *q)
{
    uint32_t ccr = q->ccr;
    unsigned fm = CCR_FMODE(ccr);
    if (!(q->cr & CR_EN)) {
        vd_violation(q->m, "QUADSPI: RM0433 §23.5.1: command triggered while CR.EN = 0 "
                           "(the peripheral is disabled: nothing is sent)");
        return;
    }
    if (ccr & CCR_DDRM)
        vd_violation(q->m, "QUADSPI: DDR mode (CCR.DDRM) is not modelled");
    /* §23.3.16 / SR.TEF: an address beyond the flash size set in DCR.FSIZE is refused. */
    if (CCR_ADMODE(ccr) && (uint64_t)q->ar >= flash_bytes(q)) {
        q->flags |= SR_TEF;
        if (q->tef_sets_tcf)
            q->flags |= SR_TCF;
        q->tefs++;
        vd_trace(q->m, "QUADSPI: TEF: address 0x%08X beyond 2^(FSIZE+1) = 0x%llX, not sent",
                 q->ar, (unsigned long long)flash_bytes(q));
        q->fifo_n = 0;
        return;
    }
    q->commands++;
    uint64_t t0 = now(q);
    q->tcf_due = true;
    if (fm == FM_POLL) {
        q->st = S_POLL;
        q->poll_next = t0;
        update(q);
        return;
    }
    select_flash(q);
    send_header(q, ccr, q->ar, true);
    q->done_at = t0 + clock_ns(q, q->clocks);
    if (fm == FM_READ) {
        uint32_t n = CCR_DMODE(ccr) ? data_len(q, q->ar) : 0u;
        free(q->rx);
        q->rx = n ? malloc(n) : NULL;
        q->rx_len = q->rx ? n : 0u;
        q->rx_pos = 0;
        for (uint32_t i = 0; i < q->rx_len; i++)
            q->rx[i] = recv_byte(q, CCR_DMODE(ccr));
        deselect_flash(q);
        q->done_at = t0 + clock_ns(q, q->clocks);
        q->st = S_READ;
        update(q);
        return;
    }
    /* Indirect write. */
    q->wr_total = CCR_DMODE(ccr) ? data_len(q, q->ar) : 0u;
    q->wr_done = 0;
    q->st = S_WRITE;
    if (q->wr_total == 0) {
        deselect_flash(q);
    } else {
        unsigned n = q->fifo_n;
        q->fifo_n = 0;
        for (unsigned i = 0; i < n && q->wr_done < q->wr_total; i++)
            push_write_data(q, q->fifo[i]);
    }
    update(q);
}

/* --- memory-mapped mode --------------------------------------------------------------------- */

static void close_window(struct qspi *q)
{
    if (q->window_open)
        vd_window_close(q->m, VD_QUADSPI_WINDOW, VD_IS25_SIZE);
    q->window_open = false;
    q->mapped_busy = false;
}

/* One memory-mapped read as the controller sends it; true when the flash understood it as a
 * read of `addr` with its data where the controller samples it (lines and clock). */
static bool probe_read(struct qspi *q, uint32_t addr, bool with_instruction, uint8_t *out)
{
    uint32_t ccr = q->ccr;
    select_flash(q);
    send_header(q, ccr, addr, with_instruction);
    unsigned host_clock = q->clocks;
    for (unsigned i = 0; i < PROBE_LEN; i++)
        out[i] = recv_byte(q, CCR_DMODE(ccr));
    uint32_t a = 0;
    unsigned lines = 0, clock = 0;
    bool ok = flash_present(q) &&
              vd_is25lp064a_last_read(q->nor, &a, &lines, &clock) && a == addr &&
              lines == lines_of(CCR_DMODE(ccr)) && clock == host_clock;
    deselect_flash(q);
    return ok && memcmp(out, vd_is25lp064a_array(q->nor) + addr, PROBE_LEN) == 0;
}

static void enter_mapped(struct qspi *q)
{
    uint32_t ccr = q->ccr;
    if (!(q->cr & CR_EN) || q->window_open)
        return;
    if (ccr & CCR_DDRM)
        vd_violation(q->m, "QUADSPI: DDR mode (CCR.DDRM) is not modelled");
    uint8_t got[PROBE_LEN];
    /* The model cannot see each CPU access to the window: it checks two accesses at the wire
     * (the second without instruction when SIOO = 1), then lets the CPU read the array. */
    bool ok = CCR_DMODE(ccr) != 0 && probe_read(q, 0, true, got) &&
              probe_read(q, PROBE_ADDR_2, !(ccr & CCR_SIOO), got);
    q->commands += 2;
    uint32_t size = flash_bytes(q) < VD_IS25_SIZE ? (uint32_t)flash_bytes(q) : VD_IS25_SIZE;
    if (ok) {
        vd_window_open(q->m, VD_QUADSPI_WINDOW, size, vd_is25lp064a_array(q->nor),
                       VD_PERM_READ | VD_PERM_EXEC);
    } else {
        vd_violation(q->m, "QUADSPI: RM0433 §23.3.7: memory-mapped read command (CCR 0x%08X, "
                           "ABR 0x%08X) does not read the flash as it is now (flash status 0x%02X, "
                           "%s%s, read parameters 0x%02X): the CPU reads garbage",
                     ccr, q->abr, vd_is25lp064a_status(q->nor, now(q)),
                     vd_is25lp064a_qpi(q->nor) ? "QPI" : "SPI",
                     vd_is25lp064a_continuous(q->nor) ? ", continuous read" : "",
                     vd_is25lp064a_read_params(q->nor));
        if (!q->garbage)
            q->garbage = malloc(VD_IS25_SIZE);
        if (!q->garbage)
            return;
        memset(q->garbage, got[0], VD_IS25_SIZE);
        vd_window_open(q->m, VD_QUADSPI_WINDOW, size, q->garbage, VD_PERM_READ | VD_PERM_EXEC);
    }
    q->window_open = true;
    q->mapped_busy = true; /* §23.3.7: BUSY from the first access (assumed to come) to abort */
    q->st = S_IDLE;
}

/* --- abort ---------------------------------------------------------------------------------- */

static void do_abort(struct qspi *q)
{
    update(q);
    bool in_progress = busy(q);
    deselect_flash(q);
    q->st = S_IDLE;
    q->mapped_busy = false;
    q->fifo_n = 0;
    free(q->rx);
    q->rx = NULL;
    q->rx_len = q->rx_pos = 0;
    q->tcf_due = false;
    /* SR.TCF: set "in any mode when the transfer has been aborted". With nothing in progress
     * RM0433 says nothing: qspi.idle_abort_tcf. */
    if (in_progress || q->idle_abort_tcf)
        q->flags |= SR_TCF;
    /* FMODE stays memory-mapped: the next access would restart reading, so the window stays
     * open until CCR leaves memory-mapped mode or EN is cleared. */
}

/* --- register access ------------------------------------------------------------------------ */

static bool refuse_busy(struct qspi *q, const char *reg, uint32_t old, uint32_t val)
{
    if (!busy(q))
        return false;
    if (old != val)
        vd_violation(q->m, "QUADSPI: RM0433 §23.5: %s written while BUSY = 1 (0x%08X -> 0x%08X): "
                           "the write is ignored",
                     reg, old, val);
    return true;
}

static enum vd_result qspi_read(void *ctx, uint32_t off, unsigned size, uint32_t *val)
{
    struct qspi *q = Q(ctx);
    uint32_t reg = off & ~3u, v;
    if (reg == R_DR) {
        update(q);
        v = 0;
        if (CCR_FMODE(q->ccr) == FM_POLL) {
            v = q->poll_value;
        } else if (q->st == S_READ || q->st == S_DONE) {
            for (unsigned i = 0; i < size && q->rx_pos < q->rx_len; i++)
                v |= (uint32_t)q->rx[q->rx_pos++] << (8u * i);
            update(q);
        } else {
            vd_trace(q->m, "QUADSPI: DR read with nothing to read (returns 0)");
        }
        *val = v;
        return VD_OK;
    }
    switch (reg) {
    case R_CR: v = q->cr; break;
    case R_DCR: v = q->dcr; break;
    case R_SR: v = sr_value(q); break;
    case R_FCR: v = 0; break;
    case R_DLR: v = q->dlr; break;
    case R_CCR: v = q->ccr; break;
    case R_AR: v = q->ar; break;
    case R_ABR: v = q->abr; break;
    case R_PSMKR: v = q->psmkr; break;
    case R_PSMAR: v = q->psmar; break;
    case R_PIR: v = q->pir & 0xFFFFu; break;
    case R_LPTR: v = q->lptr & 0xFFFFu; break;
    default: return VD_UNMODELLED;
    }
    unsigned sh = (off & 3u) * 8u;
    *val = size == 4 ? v : (v >> sh) & ((1u << (8u * size)) - 1u);
    return VD_OK;
}

static void write_cr(struct qspi *q, uint32_t val)
{
    update(q);
    uint32_t old = q->cr;
    val &= CR_WRITABLE;
    if ((val & CR_WHEN_IDLE) != (old & CR_WHEN_IDLE) && busy(q)) {
        vd_violation(q->m, "QUADSPI: RM0433 §23.5.1: CR fields PRESCALER/PMM/APMS/FSEL/DFM/"
                           "SSHIFT/TCEN changed while BUSY = 1 (0x%08X -> 0x%08X): ignored",
                     old, val);
        val = (val & ~CR_WHEN_IDLE) | (old & CR_WHEN_IDLE);
    }
    if (val & CR_DFM)
        vd_violation(q->m, "QUADSPI: dual-flash mode (CR.DFM) is not modelled (one flash)");
    if (val & CR_DMAEN)
        vd_violation(q->m, "QUADSPI: DMA requests (CR.DMAEN) are not modelled");
    bool abort = val & CR_ABORT;
    q->cr = val & ~CR_ABORT; /* ABORT reads 0 once the abort is complete: here at once */
    if (abort)
        do_abort(q);
    if (!(q->cr & CR_EN)) {
        close_window(q);
    } else if (!(old & CR_EN) && CCR_FMODE(q->ccr) == FM_MAPPED) {
        enter_mapped(q);
    }
    update(q);
}

static void write_dr(struct qspi *q, unsigned size, uint32_t val)
{
    update(q);
    if (CCR_FMODE(q->ccr) != FM_WRITE) {
        vd_trace(q->m, "QUADSPI: DR written outside indirect write mode: ignored");
        return;
    }
    for (unsigned i = 0; i < size; i++) {
        uint8_t b = (uint8_t)(val >> (8u * i));
        if (q->st == S_WRITE && q->wr_done < q->wr_total) {
            push_write_data(q, b);
        } else if (q->fifo_n < FIFO_SIZE) {
            q->fifo[q->fifo_n++] = b;
        } else {
            vd_violation(q->m, "QUADSPI: RM0433 §23.3.5: DR written with the FIFO full and no "
                               "command to drain it: the CPU would stall for ever");
            return;
        }
    }
    /* §23.3.5: data to supply and no address: writing DR starts the command. */
    if (q->st == S_IDLE && CCR_ADMODE(q->ccr) == 0 && CCR_DMODE(q->ccr) != 0 && q->fifo_n)
        start_command(q);
    update(q);
}

static enum vd_result qspi_write(void *ctx, uint32_t off, unsigned size, uint32_t val)
{
    struct qspi *q = Q(ctx);
    uint32_t reg = off & ~3u;
    if (reg == R_DR) {
        write_dr(q, size, val);
        return VD_OK;
    }
    if (reg >= R_END)
        return VD_UNMODELLED;
    if (size != 4) {
        /* Merge a byte / half-word write into the register. */
        uint32_t cur = 0;
        qspi_read(ctx, reg, 4, &cur);
        if (reg == R_SR || reg == R_FCR)
            cur = 0;
        unsigned sh = (off & 3u) * 8u;
        uint32_t mask = ((size == 2) ? 0xFFFFu : 0xFFu) << sh;
        val = (cur & ~mask) | ((val << sh) & mask);
    }
    update(q);
    switch (reg) {
    case R_CR:
        write_cr(q, val);
        break;
    case R_DCR:
        if (!refuse_busy(q, "DCR", q->dcr, val & DCR_WRITABLE))
            q->dcr = val & DCR_WRITABLE;
        break;
    case R_SR:
        break; /* read only */
    case R_FCR:
        q->flags &= ~(val & FCR_MASK);
        update(q);
        break;
    case R_DLR:
        if (!refuse_busy(q, "DLR", q->dlr, val))
            q->dlr = val;
        break;
    case R_CCR: {
        if (refuse_busy(q, "CCR", q->ccr, val))
            break;
        uint32_t old = q->ccr;
        q->ccr = val;
        if (CCR_FMODE(old) == FM_MAPPED && CCR_FMODE(val) != FM_MAPPED)
            close_window(q);
        if (CCR_FMODE(val) == FM_MAPPED) {
            if (CCR_FMODE(old) == FM_MAPPED && old != val)
                close_window(q);
            enter_mapped(q);
        } else if (CCR_ADMODE(val) == 0 && (CCR_FMODE(val) != FM_WRITE || !CCR_DMODE(val))) {
            start_command(q); /* §23.3.5: nothing more to wait for */
        }
        break;
    }
    case R_AR:
        if (refuse_busy(q, "AR", q->ar, val))
            break;
        q->ar = val;
        if (CCR_FMODE(q->ccr) != FM_MAPPED && CCR_ADMODE(q->ccr))
            start_command(q);
        break;
    case R_ABR:
        if (!refuse_busy(q, "ABR", q->abr, val))
            q->abr = val;
        break;
    case R_PSMKR:
        if (!refuse_busy(q, "PSMKR", q->psmkr, val))
            q->psmkr = val;
        break;
    case R_PSMAR:
        if (!refuse_busy(q, "PSMAR", q->psmar, val))
            q->psmar = val;
        break;
    case R_PIR:
        if (!refuse_busy(q, "PIR", q->pir, val & 0xFFFFu))
            q->pir = val & 0xFFFFu;
        break;
    case R_LPTR:
        if (!refuse_busy(q, "LPTR", q->lptr, val & 0xFFFFu))
            q->lptr = val & 0xFFFFu;
        break;
    default:
        return VD_UNMODELLED;
    }
    return VD_OK;
}

static void qspi_tick(void *ctx, uint64_t now_ns)
{
    (void)now_ns;
    update(Q(ctx));
}

static void qspi_reset(void *ctx, bool power_on)
{
    struct qspi *q = Q(ctx);
    deselect_flash(q);
    close_window(q);
    free(q->rx);
    q->rx = NULL;
    q->cr = q->dcr = q->flags = q->dlr = q->ccr = q->ar = q->abr = 0;
    q->psmkr = q->psmar = q->pir = q->lptr = 0;
    q->st = S_IDLE;
    q->fifo_n = 0;
    q->rx_len = q->rx_pos = 0;
    q->tcf_due = false;
    if (q->irq_level)
        vd_irq(q->m, QUADSPI_IRQ, false);
    q->irq_level = false;
    /* The flash is another chip: an MCU reset leaves it as it is (continuous mode, QPI...). */
    if (power_on)
        vd_is25lp064a_power_on(q->nor);
}

struct vd_periph *vd_quadspi_create(struct vd_machine *m, struct vd_is25lp064a *nor)
{
    struct qspi *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    q->m = m;
    q->nor = nor;
    q->tef_sets_tcf = vd_param(m, "qspi.tef_sets_tcf", 0);
    q->idle_abort_tcf = vd_param(m, "qspi.idle_abort_tcf", 0);
    q->float_io = vd_param(m, "qspi.float_level", 1) ? 0xFu : 0u;
    vd_is25lp064a_configure(nor, m);
    q->p = (struct vd_periph){
        .name = "QUADSPI",
        .base = VD_QUADSPI_BASE,
        .size = VD_QUADSPI_SIZE,
        .gate = {.rcc_offset = VD_QUADSPI_GATE_OFFSET, .bit = VD_QUADSPI_GATE_BIT},
        .ctx = q,
        .read = qspi_read,
        .write = qspi_write,
        .tick = qspi_tick,
        .reset = qspi_reset,
    };
    return &q->p;
}

void vd_quadspi_free(struct vd_periph *p)
{
    if (!p)
        return;
    struct qspi *q = Q(p->ctx);
    free(q->rx);
    free(q->garbage);
    free(q);
}

bool vd_quadspi_window_open(const struct vd_periph *p) { return Q(p->ctx)->window_open; }
unsigned vd_quadspi_commands(const struct vd_periph *p) { return Q(p->ctx)->commands; }
unsigned vd_quadspi_tef_count(const struct vd_periph *p) { return Q(p->ctx)->tefs; }
