/*
 * vd_is25lp064a.c — the IS25LP064A serial NOR flash at the wire (see vd_is25lp064a.h).
 *
 * Sources: ISSI "IS25LP032/064/128 IS25WP032/064/128" data sheet (rev. B/C):
 *   §6.1 status register (WIP, WEL, BP0-3, QE, SRWD; BP/QE/SRWD non-volatile), Table 6.3/6.4
 *        block protection (TBS = 0: protected area grows from the top);
 *   §6.3 read register (volatile, SRPV C0h/63h): P4-P3 dummy cycles, P2 wrap enable;
 *   §7   instruction table: which lines carry the instruction, address, mode bits, dummy and
 *        data of each command in SPI and in QPI mode;
 *   §8.x command descriptions: WREN 06h, WRDI 04h, RDSR 05h, WRSR 01h, NORD 03h, FRD 0Bh,
 *        FRQO 6Bh, FRQIO EBh (mode bits "AXh" keep the next command without instruction: the
 *        "AX read" / continuous mode; any other mode value leaves it), PP 02h, PPQ 32h/38h
 *        (wraps inside the 256-byte page), SER 20h/D7h, BER32 52h, BER64 D8h, CER C7h/60h,
 *        QPIEN 35h, QPIDIS F5h, RSTEN 66h + RST 99h, MBR FFh, RDID 9Fh (QPI: AFh), RDRP 61h;
 *        "CE# must go high exactly at a byte boundary" else program/erase/write-status commands
 *        are not executed; while WIP = 1 only RDSR is accepted;
 *   §10  AC characteristics: tPP, tSE, tBE32, tBE64, tCE, tW (typical and maximum), tRST.
 * Where a figure below is marked "recalled", it was taken from memory of that table and should
 * be checked against the PDF before a benchmark quotes it (the project's fact sheet
 * qspi-nor-flash.md is the source for tPP / tSE / tBE64).
 */
#include "vd_is25lp064a.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vd_model.h"

#define NS_PER_US 1000ull
#define NS_PER_MS 1000000ull
#define NS_PER_S 1000000000ull

/* §10 AC characteristics: {typical, maximum}. */
static const uint64_t T_PP[2] = {200 * NS_PER_US, 800 * NS_PER_US};   /* fact sheet */
static const uint64_t T_SE[2] = {45 * NS_PER_MS, 400 * NS_PER_MS};    /* fact sheet */
static const uint64_t T_BE32[2] = {100 * NS_PER_MS, 500 * NS_PER_MS}; /* recalled */
static const uint64_t T_BE64[2] = {150 * NS_PER_MS, 1000 * NS_PER_MS}; /* fact sheet */
static const uint64_t T_CE[2] = {10 * NS_PER_S, 30 * NS_PER_S};       /* recalled */
static const uint64_t T_W[2] = {2 * NS_PER_MS, 15 * NS_PER_MS};       /* recalled */
#define T_RST_NS (100 * NS_PER_US) /* software reset recovery (recalled) */

/* RDID (§8.x): manufacturer ISSI 9Dh, memory type 60h, capacity 17h (64 Mb). */
static const uint8_t JEDEC_ID[3] = {0x9D, 0x60, 0x17};

#define SR_NV_MASK (VD_IS25_SR_BP_MASK | VD_IS25_SR_QE | VD_IS25_SR_SRWD)
#define IO0 0x1u
#define IO1 0x2u
#define IO2 0x4u
#define IO3 0x8u
#define ALL_IO 0xFu
#define SECTOR_4K 0x1000u
#define BLOCK_32K 0x8000u
#define BLOCK_64K 0x10000u
#define ADDR_MASK (VD_IS25_SIZE - 1u)
#define AX_MODE 0xAu /* mode bits M7-M4 = 1010b: stay in continuous read (§8.x FRQIO) */

enum phase { P_CMD, P_ADDR, P_MODE, P_DUMMY, P_DIN, P_DOUT, P_IGNORE };

enum kind { K_NONE, K_SIMPLE, K_RDSR, K_WRSR, K_SRP, K_RDRP, K_RDID, K_PROGRAM, K_ERASE,
            K_READ };

struct vd_is25lp064a {
    uint8_t *array;
    int fd;
    char *sr_path;
    struct vd_machine *m;

    /* device state */
    uint8_t sr_nv;      /* BP0-3, QE, SRWD */
    bool wel;
    uint8_t rdparams;   /* volatile read register */
    bool qpi, cont, rsten;
    uint64_t busy_until; /* WIP while now < busy_until */
    bool clear_wel_at_end;
    uint64_t now;

    /* parameters */
    int timing;
    int init_sr, init_cont, init_qpi;
    bool dead, cut, powered_once;
    unsigned cut_at, writes_started;
    uint8_t undriven; /* level of lines no one drives */

    /* the transaction in progress */
    bool selected;
    enum phase ph;
    enum kind kind;
    unsigned lines, bits, need;
    uint32_t shift;
    uint8_t cmd;
    uint32_t addr;
    unsigned dummy_left, addr_lines, data_lines;
    bool instr_seen, wp_low, cmd_done;
    uint8_t din[VD_IS25_PAGE];
    unsigned din_count;
    bool din_partial;
    uint8_t out_byte;
    unsigned out_bits, out_index;
    unsigned clk, out_start; /* clocks since select; clock of the first data output */
    bool read_started;

    /* counters */
    unsigned programs, erases, sr_writes, refused;
    uint8_t last_cmd;
};

static void trace(struct vd_is25lp064a *f, const char *what, uint32_t a)
{
    if (f->m)
        vd_trace(f->m, "IS25LP064A: %s 0x%06X", what, a);
}

/* --- time ---------------------------------------------------------------------------------- */

static bool busy(const struct vd_is25lp064a *f, uint64_t now)
{
    return now < f->busy_until;
}

static void settle(struct vd_is25lp064a *f, uint64_t now)
{
    /* §6.1: WEL resets when a program/erase/WRSR completes. */
    if (f->clear_wel_at_end && !busy(f, now)) {
        f->wel = false;
        f->clear_wel_at_end = false;
    }
}

uint8_t vd_is25lp064a_status(const struct vd_is25lp064a *f, uint64_t now_ns)
{
    bool wel = f->wel && !(f->clear_wel_at_end && !busy(f, now_ns));
    return (uint8_t)(f->sr_nv | (wel ? VD_IS25_SR_WEL : 0) |
                     (busy(f, now_ns) ? VD_IS25_SR_WIP : 0));
}

/* --- persistence --------------------------------------------------------------------------- */

static void persist(struct vd_is25lp064a *f, uint32_t off, uint32_t len)
{
    if (f->fd < 0)
        return;
    if (pwrite(f->fd, f->array + off, len, off) != (ssize_t)len)
        fprintf(stderr, "vd_is25lp064a: backing file write: %s\n", strerror(errno));
}

static void persist_sr(struct vd_is25lp064a *f)
{
    if (!f->sr_path)
        return;
    FILE *s = fopen(f->sr_path, "wb");
    if (!s || fputc(f->sr_nv, s) == EOF || fclose(s) != 0)
        fprintf(stderr, "vd_is25lp064a: %s: %s\n", f->sr_path, strerror(errno));
}

struct vd_is25lp064a *vd_is25lp064a_create(const char *backing_file)
{
    struct vd_is25lp064a *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->fd = -1;
    f->init_sr = -1;
    f->undriven = ALL_IO;
    f->array = malloc(VD_IS25_SIZE);
    if (!f->array) {
        free(f);
        return NULL;
    }
    memset(f->array, 0xFF, VD_IS25_SIZE);
    if (!backing_file)
        return f;

    f->fd = open(backing_file, O_RDWR | O_CREAT, 0644);
    struct stat st;
    if (f->fd < 0 || fstat(f->fd, &st) != 0) {
        fprintf(stderr, "vd_is25lp064a: %s: %s\n", backing_file, strerror(errno));
        vd_is25lp064a_free(f);
        return NULL;
    }
    if (st.st_size == 0) {
        persist(f, 0, VD_IS25_SIZE);
    } else if (st.st_size != VD_IS25_SIZE ||
               pread(f->fd, f->array, VD_IS25_SIZE, 0) != (ssize_t)VD_IS25_SIZE) {
        fprintf(stderr, "vd_is25lp064a: %s: not an 8 MB flash image (%lld bytes)\n",
                backing_file, (long long)st.st_size);
        vd_is25lp064a_free(f);
        return NULL;
    }
    size_t n = strlen(backing_file) + sizeof ".sr";
    f->sr_path = malloc(n);
    if (f->sr_path) {
        snprintf(f->sr_path, n, "%s.sr", backing_file);
        FILE *s = fopen(f->sr_path, "rb");
        if (s) {
            int c = fgetc(s);
            f->sr_nv = c == EOF ? 0 : (uint8_t)c & SR_NV_MASK;
            fclose(s);
        }
    }
    return f;
}

void vd_is25lp064a_free(struct vd_is25lp064a *f)
{
    if (!f)
        return;
    if (f->fd >= 0)
        close(f->fd);
    free(f->sr_path);
    free(f->array);
    free(f);
}

void vd_is25lp064a_configure(struct vd_is25lp064a *f, struct vd_machine *m)
{
    f->m = m;
    if (!m)
        return;
    f->timing = vd_param(m, "nor.timing", 0) ? 1 : 0;
    f->init_sr = (int)vd_param(m, "nor.sr", -1);
    f->init_cont = (int)vd_param(m, "nor.continuous", 0);
    f->init_qpi = (int)vd_param(m, "nor.qpi", 0);
    f->dead = vd_param(m, "nor.dead", 0) != 0;
    f->cut_at = (unsigned)vd_param(m, "nor.cut_at", 0);
    f->undriven = (uint8_t)(IO0 | IO1 | (vd_param(m, "nor.wp_level", 1) ? IO2 : 0) |
                            (vd_param(m, "nor.hold_level", 1) ? IO3 : 0));
}

void vd_is25lp064a_power_on(struct vd_is25lp064a *f)
{
    /* A cut operation stays half done: the array already holds what it did before the cut. */
    f->wel = false;
    f->rdparams = 0;
    f->qpi = f->cont = f->rsten = false;
    f->busy_until = 0;
    f->clear_wel_at_end = false;
    f->selected = false;
    f->cut = false;
    if (!f->powered_once) {
        f->powered_once = true;
        if (f->init_sr >= 0) {
            f->sr_nv = (uint8_t)f->init_sr & SR_NV_MASK;
            persist_sr(f);
        }
        f->cont = f->init_cont != 0;
        f->qpi = f->init_qpi != 0;
    }
}

/* --- protection ---------------------------------------------------------------------------- */

/* Table 6.4 (TBS = 0, the default): BP = 0 nothing; 1..7 the top 64 KB << (BP - 1); 8..15 all. */
static bool protected_range(const struct vd_is25lp064a *f, uint32_t off, uint32_t len)
{
    unsigned bp = (f->sr_nv & VD_IS25_SR_BP_MASK) >> 2;
    if (bp == 0)
        return false;
    uint32_t prot = bp >= 8 ? VD_IS25_SIZE : (BLOCK_64K << (bp - 1));
    uint32_t start = VD_IS25_SIZE - prot;
    return off + len > start;
}

/* --- commands ------------------------------------------------------------------------------ */

int vd_is25lp064a_dummy_cycles(const struct vd_is25lp064a *f, uint8_t cmd)
{
    /* §6.3 Table "read dummy cycles" by read register P4-P3 (row 00 = power-on default). The
     * EBh figures include its two mode-bit clocks. Rows 00 and 10 match the values known to work
     * on the Daisy (6 default, 8 with read parameters F0h); rows 01 and 11 are recalled. */
    static const uint8_t fast_spi[4] = {8, 6, 8, 10};
    static const uint8_t fast_qpi[4] = {6, 4, 8, 10};
    static const uint8_t quad_io[4] = {6, 4, 8, 10};
    unsigned row = (f->rdparams >> 3) & 3u;
    switch (cmd) {
    case 0x03:
        return 0;
    case 0x0B:
        return f->qpi ? fast_qpi[row] : fast_spi[row];
    case 0x6B:
        return fast_spi[row];
    case 0xEB:
        return quad_io[row];
    default:
        return -1;
    }
}

static void start_output(struct vd_is25lp064a *f, unsigned lines)
{
    f->ph = P_DOUT;
    f->out_start = f->clk;
    f->read_started = f->kind == K_READ;
    f->data_lines = lines;
    f->out_bits = 0;
    f->out_index = 0;
}

static void start_bits(struct vd_is25lp064a *f, enum phase ph, unsigned lines, unsigned need)
{
    f->ph = ph;
    f->lines = lines;
    f->need = need;
    f->bits = 0;
    f->shift = 0;
}

static void start_read_address(struct vd_is25lp064a *f)
{
    f->kind = K_READ;
    start_bits(f, P_ADDR, f->addr_lines, 24);
}

/* The instruction byte is complete: decide what follows on which lines (§7). */
static void decode(struct vd_is25lp064a *f)
{
    uint8_t c = f->cmd;
    unsigned one = f->qpi ? 4u : 1u;
    bool quad_ok = f->qpi || (f->sr_nv & VD_IS25_SR_QE);
    f->last_cmd = c;
    f->cmd_done = true;
    if (c != 0x99)
        f->rsten = false; /* RST must follow RSTEN immediately */
    if (busy(f, f->now) && c != 0x05) {
        trace(f, "busy (WIP): command ignored", c);
        f->ph = P_IGNORE;
        return;
    }
    f->addr_lines = one;
    f->data_lines = one;
    switch (c) {
    case 0x06: case 0x04: case 0x35: case 0xF5: case 0x66: case 0x99: case 0xC7: case 0x60:
    case 0xFF: case 0x00:
        f->kind = K_SIMPLE;
        f->ph = P_IGNORE; /* any further clock makes the command void (byte boundary rule) */
        f->din_count = 0;
        f->din_partial = false;
        return;
    case 0x05:
        f->kind = K_RDSR;
        start_output(f, one);
        return;
    case 0x61:
        f->kind = K_RDRP;
        start_output(f, one);
        return;
    case 0x9F: case 0xAF:
        if ((c == 0x9F) == f->qpi)
            break;
        f->kind = K_RDID;
        start_output(f, one);
        return;
    case 0x01:
        f->kind = K_WRSR;
        start_bits(f, P_DIN, one, 8);
        f->din_count = 0;
        return;
    case 0xC0: case 0x63:
        f->kind = K_SRP;
        start_bits(f, P_DIN, one, 8);
        f->din_count = 0;
        return;
    case 0x02:
        f->kind = K_PROGRAM;
        start_bits(f, P_ADDR, one, 24);
        return;
    case 0x32: case 0x38:
        if (!quad_ok)
            break;
        f->kind = K_PROGRAM;
        f->data_lines = 4;
        start_bits(f, P_ADDR, one, 24);
        return;
    case 0x20: case 0xD7: case 0x52: case 0xD8:
        f->kind = K_ERASE;
        start_bits(f, P_ADDR, one, 24);
        return;
    case 0x03:
        if (f->qpi)
            break;
        start_read_address(f);
        return;
    case 0x0B:
        start_read_address(f);
        return;
    case 0x6B:
        if (!quad_ok)
            break;
        f->data_lines = 4;
        start_read_address(f);
        return;
    case 0xEB:
        if (!quad_ok)
            break;
        f->addr_lines = f->data_lines = 4;
        start_read_address(f);
        return;
    default:
        break;
    }
    trace(f, "command not understood (ignored)", c);
    f->kind = K_NONE;
    f->ph = P_IGNORE;
}

void vd_is25lp064a_select(struct vd_is25lp064a *f, uint64_t now_ns)
{
    f->now = now_ns;
    settle(f, now_ns);
    f->selected = true;
    f->kind = K_NONE;
    f->cmd_done = false;
    f->wp_low = false;
    f->din_count = 0;
    f->din_partial = false;
    f->clk = 0;
    f->read_started = false;
    if (f->cont && !busy(f, now_ns)) {
        /* Continuous (AX) read: no instruction, the address comes first (§8.x FRQIO). */
        f->cmd = 0xEB;
        f->cmd_done = true;
        f->last_cmd = 0xEB;
        f->addr_lines = f->data_lines = 4;
        start_read_address(f);
    } else {
        start_bits(f, P_CMD, f->qpi ? 4u : 1u, 8);
    }
}

/* Shift in the bits of one clock. Returns true when `need` bits have arrived. */
static bool shift_in(struct vd_is25lp064a *f, uint8_t io)
{
    unsigned v = f->lines == 4 ? (io & ALL_IO) : f->lines == 2 ? (io & 3u) : (io & IO0);
    f->shift = (f->shift << f->lines) | v;
    f->bits += f->lines;
    return f->bits >= f->need;
}

static uint8_t next_out_byte(struct vd_is25lp064a *f)
{
    uint8_t b;
    switch (f->kind) {
    case K_RDSR:
        b = vd_is25lp064a_status(f, f->now);
        break;
    case K_RDRP:
        b = f->rdparams;
        break;
    case K_RDID:
        b = f->out_index < sizeof JEDEC_ID ? JEDEC_ID[f->out_index] : 0;
        break;
    default:
        b = f->array[f->addr & ADDR_MASK];
        f->addr = (f->addr + 1u) & ADDR_MASK;
        break;
    }
    f->out_index++;
    return b;
}

static void after_address(struct vd_is25lp064a *f)
{
    f->addr = f->shift & ADDR_MASK;
    if (f->kind == K_PROGRAM) {
        start_bits(f, P_DIN, f->data_lines, 8);
        f->din_count = 0;
        return;
    }
    if (f->kind == K_ERASE) {
        f->ph = P_IGNORE; /* the address is all; more clocks void the command */
        f->din_partial = false;
        return;
    }
    int d = vd_is25lp064a_dummy_cycles(f, f->cmd);
    if (f->cmd == 0xEB) {
        start_bits(f, P_MODE, 4, 8);
        f->dummy_left = d > 2 ? (unsigned)d - 2u : 0u;
        return;
    }
    f->dummy_left = (unsigned)d;
    if (f->dummy_left)
        f->ph = P_DUMMY;
    else
        start_output(f, f->data_lines);
}

uint8_t vd_is25lp064a_clock(struct vd_is25lp064a *f, uint8_t host_io, uint8_t host_oe,
                            uint8_t *flash_oe)
{
    *flash_oe = 0;
    if (!f->selected || f->dead || f->cut)
        return 0;
    f->clk++;
    uint8_t io = (uint8_t)((host_io & host_oe) | (f->undriven & ~host_oe & ALL_IO));
    bool pins_wp = !f->qpi && !(f->sr_nv & VD_IS25_SR_QE);
    if (pins_wp && !(io & IO2))
        f->wp_low = true;
    if (pins_wp && !(io & IO3))
        return 0; /* HOLD# low: the flash ignores the clock (§3 pin description) */

    switch (f->ph) {
    case P_CMD:
        if (shift_in(f, io)) {
            f->cmd = (uint8_t)f->shift;
            decode(f);
        }
        return 0;
    case P_ADDR:
        if (shift_in(f, io))
            after_address(f);
        return 0;
    case P_MODE:
        if (shift_in(f, io)) {
            /* §8.x: mode bits AXh keep the device in continuous read; anything else leaves. */
            f->cont = ((f->shift >> 4) & 0xFu) == AX_MODE;
            if (f->dummy_left)
                f->ph = P_DUMMY;
            else
                start_output(f, f->data_lines);
        }
        return 0;
    case P_DUMMY:
        if (--f->dummy_left == 0)
            start_output(f, f->data_lines);
        return 0;
    case P_DIN:
        f->din_partial = true;
        if (shift_in(f, io)) {
            /* PP: the address wraps inside its page, the last 256 bytes win (§8.x PP). */
            unsigned i = f->din_count % VD_IS25_PAGE;
            f->din[i] = (uint8_t)f->shift;
            f->din_count++;
            f->din_partial = false;
            start_bits(f, P_DIN, f->lines, 8);
        }
        return 0;
    case P_DOUT: {
        if (f->out_bits == 0) {
            f->out_byte = next_out_byte(f);
            f->out_bits = 8;
        }
        unsigned n = f->data_lines;
        f->out_bits -= n;
        unsigned v = (f->out_byte >> f->out_bits) & ((1u << n) - 1u);
        if (n == 1) {
            *flash_oe = IO1; /* single-line output is on SO = IO1 */
            return (uint8_t)(v << 1);
        }
        *flash_oe = n == 2 ? (IO0 | IO1) : ALL_IO;
        return (uint8_t)v;
    }
    case P_IGNORE:
        f->din_partial = true; /* a clock after a complete command voids it */
        return 0;
    }
    return 0;
}

static bool start_write_op(struct vd_is25lp064a *f)
{
    if (!f->wel) {
        f->refused++;
        trace(f, "program/erase/WRSR without WEL: ignored", f->cmd);
        return false;
    }
    f->writes_started++;
    if (f->cut_at && f->writes_started == f->cut_at) {
        f->cut = true;
        trace(f, "power cut during", f->cmd);
    }
    return true;
}

static void finish_write_op(struct vd_is25lp064a *f, const uint64_t t[2])
{
    f->busy_until = f->now + t[f->timing];
    f->clear_wel_at_end = true;
}

static void do_program(struct vd_is25lp064a *f)
{
    if (f->din_count == 0 || f->din_partial)
        return;
    if (protected_range(f, f->addr & ~(VD_IS25_PAGE - 1u), VD_IS25_PAGE)) {
        f->refused++; /* ignored: no state changes (WEL stays) */
        trace(f, "program refused: protected (BP)", f->addr);
        return;
    }
    if (!start_write_op(f))
        return;
    uint32_t page = f->addr & ~(VD_IS25_PAGE - 1u);
    /* Byte i of the data goes to page offset (address + i) mod 256; din[] keeps, per offset,
     * the last byte sent for it. A cut leaves half of them programmed. */
    unsigned n = f->din_count > VD_IS25_PAGE ? VD_IS25_PAGE : f->din_count;
    if (f->cut)
        n /= 2;
    for (unsigned k = 0; k < n; k++)
        f->array[page | ((f->addr + k) & (VD_IS25_PAGE - 1u))] &= f->din[k]; /* 1->0 only */
    persist(f, page, VD_IS25_PAGE);
    if (!f->cut)
        f->programs++;
    finish_write_op(f, T_PP);
}

static void do_erase(struct vd_is25lp064a *f)
{
    uint32_t size;
    const uint64_t *t;
    switch (f->cmd) {
    case 0x52:
        size = BLOCK_32K;
        t = T_BE32;
        break;
    case 0xD8:
        size = BLOCK_64K;
        t = T_BE64;
        break;
    case 0xC7: case 0x60:
        size = VD_IS25_SIZE;
        t = T_CE;
        break;
    default:
        size = SECTOR_4K;
        t = T_SE;
        break;
    }
    uint32_t off = size == VD_IS25_SIZE ? 0 : (f->addr & ~(size - 1u));
    /* §8.x CER: refused when any BP bit is set; others when they touch a protected area. */
    bool prot = size == VD_IS25_SIZE ? (f->sr_nv & VD_IS25_SR_BP_MASK) != 0
                                     : protected_range(f, off, size);
    if (prot) {
        f->refused++;
        trace(f, "erase refused: protected (BP)", off);
        return;
    }
    if (!start_write_op(f))
        return;
    memset(f->array + off, 0xFF, f->cut ? size / 2 : size);
    persist(f, off, size);
    if (!f->cut)
        f->erases++;
    finish_write_op(f, t);
}

static void do_wrsr(struct vd_is25lp064a *f)
{
    if (f->din_count == 0 || f->din_partial)
        return;
    /* §6.1: SRWD = 1 with WP# low (WP# is IO2 only while QE = 0 and not in QPI) locks the
     * status register. */
    if ((f->sr_nv & VD_IS25_SR_SRWD) && f->wp_low) {
        f->refused++;
        trace(f, "WRSR refused: SRWD with WP# low", f->din[0]);
        return;
    }
    if (!start_write_op(f))
        return;
    if (!f->cut) {
        f->sr_nv = f->din[0] & SR_NV_MASK;
        persist_sr(f);
        f->sr_writes++;
    }
    finish_write_op(f, T_W);
}

void vd_is25lp064a_deselect(struct vd_is25lp064a *f)
{
    if (!f->selected)
        return;
    f->selected = false;
    if (f->dead || f->cut || !f->cmd_done)
        return;
    bool clean = !f->din_partial;
    switch (f->kind) {
    case K_SIMPLE:
        if (!clean)
            return;
        switch (f->cmd) {
        case 0x06:
            f->wel = true;
            break;
        case 0x04:
            f->wel = false;
            break;
        case 0x35:
            f->qpi = true;
            break;
        case 0xF5:
            f->qpi = false;
            break;
        case 0x66:
            f->rsten = true;
            return;
        case 0x99:
            if (f->rsten) {
                /* §8.x software reset: volatile state to power-on values. */
                f->wel = false;
                f->rdparams = 0;
                f->qpi = f->cont = false;
                f->busy_until = f->now + T_RST_NS;
                trace(f, "software reset", 0);
            }
            break;
        case 0xC7: case 0x60:
            do_erase(f);
            break;
        default: /* FFh mode-bit reset, 00h NOP: nothing to do outside continuous mode */
            break;
        }
        break;
    case K_WRSR:
        do_wrsr(f);
        break;
    case K_SRP:
        if (f->din_count && !f->din_partial)
            f->rdparams = f->din[0];
        break;
    case K_PROGRAM:
        do_program(f);
        break;
    case K_ERASE:
        if (clean && f->ph == P_IGNORE)
            do_erase(f);
        break;
    default:
        break;
    }
    f->rsten = false;
}

/* --- observation --------------------------------------------------------------------------- */

uint8_t *vd_is25lp064a_array(struct vd_is25lp064a *f) { return f->array; }
bool vd_is25lp064a_last_read(const struct vd_is25lp064a *f, uint32_t *start_addr,
                             unsigned *data_lines, unsigned *first_data_clock)
{
    if (!f->read_started)
        return false;
    *start_addr = (f->addr - f->out_index) & ADDR_MASK;
    *data_lines = f->data_lines;
    *first_data_clock = f->out_start;
    return true;
}
void vd_is25lp064a_set_status(struct vd_is25lp064a *f, uint8_t sr)
{
    f->sr_nv = sr & SR_NV_MASK;
    persist_sr(f);
}
bool vd_is25lp064a_continuous(const struct vd_is25lp064a *f) { return f->cont; }
void vd_is25lp064a_set_continuous(struct vd_is25lp064a *f, bool on) { f->cont = on; }
bool vd_is25lp064a_qpi(const struct vd_is25lp064a *f) { return f->qpi; }
uint8_t vd_is25lp064a_read_params(const struct vd_is25lp064a *f) { return f->rdparams; }
unsigned vd_is25lp064a_programs(const struct vd_is25lp064a *f) { return f->programs; }
unsigned vd_is25lp064a_erases(const struct vd_is25lp064a *f) { return f->erases; }
unsigned vd_is25lp064a_sr_writes(const struct vd_is25lp064a *f) { return f->sr_writes; }
unsigned vd_is25lp064a_refused(const struct vd_is25lp064a *f) { return f->refused; }
uint8_t vd_is25lp064a_last_command(const struct vd_is25lp064a *f) { return f->last_cmd; }
bool vd_is25lp064a_power_cut(const struct vd_is25lp064a *f) { return f->cut; }
void vd_is25lp064a_cut_at(struct vd_is25lp064a *f, unsigned nth_write) { f->cut_at = nth_write; }
void vd_is25lp064a_set_dead(struct vd_is25lp064a *f, bool dead) { f->dead = dead; }
