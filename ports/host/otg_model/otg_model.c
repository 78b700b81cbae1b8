/* otg_model.c — the OTG FS core model behind usb_dcd.c's RD/WR (see otg_model.h). */
#include "otg_model.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "stm32h750_regs.h"

/* Distinct registers written or read: our DFU driver touches a few dozen; ST's HAL PCD (libDaisy's
 * USB logger and MIDI) initialises every endpoint's DIEPCTL/DOEPCTL/DIEPINT/DOEPINT/DIEPTXF. */
#define MAX_REGS 512
#define QMAX 1024
#define EP0_SIZE 64u
#define OTG_SIZE 0x40000u /* the core's register block, FIFOs included */
#define TSIZ_XFRSIZ_MASK 0x7Fu
#define TSIZ_PKTCNT_MASK 3u

static struct {
    struct { uint32_t addr, val; } regs[MAX_REGS];
    unsigned n_regs;
    uint32_t sts[QMAX], rx[QMAX], tx[QMAX];
    unsigned sts_head, sts_tail, rx_head, rx_tail, n_tx;
    struct otg_model_stats stats;
} m;

static void default_hook(const char *why)
{
    fprintf(stderr, "otg_model: %s\n", why);
}

static void (*error_hook)(const char *why) = default_hook;

static void error(const char *why)
{
    m.stats.errors++;
    error_hook(why);
}

void otg_model_set_error_hook(void (*hook)(const char *why))
{
    error_hook = hook ? hook : default_hook;
}

void otg_model_reset(void)
{
    memset(&m, 0, sizeof m);
}

uint32_t *otg_model_reg(uint32_t addr)
{
    for (unsigned i = 0; i < m.n_regs; i++)
        if (m.regs[i].addr == addr)
            return &m.regs[i].val;
    if (m.n_regs == MAX_REGS) {
        error("more registers than the model holds");
        m.n_regs = 0; /* keep going with a recycled cell: the error is counted */
    }
    m.regs[m.n_regs].addr = addr;
    m.regs[m.n_regs].val = 0;
    return &m.regs[m.n_regs++].val;
}

static void flush_rx(void)
{
    m.sts_head = m.sts_tail = m.rx_head = m.rx_tail = 0;
}

/* GRSTCTL.CSRST: the core's registers and FIFOs back to their reset values (0 here); other
 * peripherals' registers (PWR, RCC) and the counters stay. */
static void core_soft_reset(void)
{
    for (unsigned i = 0; i < m.n_regs; i++)
        if (m.regs[i].addr >= OTG_BASE && m.regs[i].addr < OTG_BASE + OTG_SIZE)
            m.regs[i].val = 0;
    flush_rx();
    m.n_tx = 0;
}

uint32_t h7_mock_rd(uint32_t addr);
void h7_mock_wr(uint32_t addr, uint32_t v);

uint32_t h7_mock_rd(uint32_t addr)
{
    if (addr == OTG_GRXSTSP) {
        if (m.sts_head == m.sts_tail) {
            error("GRXSTSP popped with the receive FIFO empty (RXFLVL was clear)");
            return 0;
        }
        return m.sts[m.sts_head++];
    }
    if (addr == OTG_FIFO(0)) {
        if (m.rx_head == m.rx_tail) {
            error("receive FIFO read past its data");
            return 0;
        }
        return m.rx[m.rx_head++];
    }
    if (addr == OTG_GINTSTS)
        return *otg_model_reg(addr) | (m.sts_head < m.sts_tail ? OTG_GINT_RXFLVL : 0u);
    if (addr == OTG_GRSTCTL)
        return *otg_model_reg(addr) | OTG_GRSTCTL_AHBIDL;
    if (addr == PWR_CR3)
        return *otg_model_reg(addr) | PWR_CR3_USB33RDY;
    return *otg_model_reg(addr);
}

void h7_mock_wr(uint32_t addr, uint32_t v)
{
    if (addr == OTG_FIFO(0)) {
        if (m.n_tx == QMAX) {
            error("transmit FIFO overflow");
            return;
        }
        m.tx[m.n_tx++] = v;
    } else if (addr == OTG_GINTSTS || addr == OTG_DIEPINT0 || addr == OTG_DOEPINT0) {
        *otg_model_reg(addr) &= ~v; /* write 1 to clear */
        /* GINTSTS.OEPINT/IEPINT are read-only ORs of the endpoint flags (RM0433 §57.14.6) */
        if (addr == OTG_DOEPINT0 && *otg_model_reg(addr) == 0)
            *otg_model_reg(OTG_GINTSTS) &= ~OTG_GINT_OEPINT;
        if (addr == OTG_DIEPINT0 && *otg_model_reg(addr) == 0)
            *otg_model_reg(OTG_GINTSTS) &= ~OTG_GINT_IEPINT;
    } else if (addr == OTG_GRSTCTL) {
        if (v & OTG_GRSTCTL_CSRST)
            core_soft_reset();
        if (v & OTG_GRSTCTL_RXFFLSH)
            flush_rx();
        if (v & OTG_GRSTCTL_TXFFLSH)
            m.n_tx = 0;
        *otg_model_reg(addr) = v & ~(OTG_GRSTCTL_CSRST | OTG_GRSTCTL_RXFFLSH | OTG_GRSTCTL_TXFFLSH);
    } else {
        *otg_model_reg(addr) = v;
    }
}

static void raise(uint32_t epint_reg, uint32_t epbit, uint32_t gint)
{
    *otg_model_reg(epint_reg) |= epbit;
    *otg_model_reg(OTG_GINTSTS) |= gint;
}

static void push_rx(uint32_t pktsts, const uint8_t *data, uint32_t n)
{
    if (m.sts_head == m.sts_tail) /* drained: start over at the front */
        m.sts_head = m.sts_tail = 0;
    if (m.rx_head == m.rx_tail)
        m.rx_head = m.rx_tail = 0;
    if (m.sts_tail == QMAX || m.rx_tail + (n + 3) / 4 > QMAX) {
        error("receive FIFO overflow (the driver does not drain it)");
        return;
    }
    m.sts[m.sts_tail++] = (pktsts << OTG_GRXSTS_PKTSTS_POS) | (n << OTG_GRXSTS_BCNT_POS);
    for (uint32_t i = 0; i < n; i += 4) {
        uint32_t w = 0;
        for (uint32_t b = 0; b < 4 && i + b < n; b++)
            w |= (uint32_t)data[i + b] << (8 * b);
        m.rx[m.rx_tail++] = w;
    }
}

void otg_model_setup(const uint8_t setup[8])
{
    m.stats.setups++;
    push_rx(OTG_PKTSTS_SETUP_DATA, setup, 8);
    push_rx(OTG_PKTSTS_SETUP_DONE, 0, 0);
    /* a SETUP clears a STALL of EP0; the OUT endpoint must be armed again for a data stage */
    *otg_model_reg(OTG_DIEPCTL0) &= ~OTG_EPCTL_STALL;
    *otg_model_reg(OTG_DOEPCTL0) &= ~(OTG_EPCTL_STALL | OTG_EPCTL_EPENA);
    raise(OTG_DOEPINT0, OTG_EPINT_STUP, OTG_GINT_OEPINT);
}

/* How the endpoint answers a token: 0 (armed: the packet moves), STALLED or NAKED. */
static int token(const uint32_t *ctl)
{
    if (*ctl & OTG_EPCTL_STALL)
        return OTG_MODEL_STALLED;
    if (!(*ctl & OTG_EPCTL_EPENA)) {
        m.stats.naks++;
        return OTG_MODEL_NAKED;
    }
    return 0;
}

int otg_model_out(const uint8_t *data, uint32_t n)
{
    uint32_t *ctl = otg_model_reg(OTG_DOEPCTL0);
    int t = token(ctl);
    if (t)
        return t;
    if (n > EP0_SIZE) {
        error("OUT packet longer than the endpoint's 64 bytes");
        n = EP0_SIZE;
    }
    m.stats.out_packets++;
    push_rx(OTG_PKTSTS_OUT_DATA, data, n);
    push_rx(OTG_PKTSTS_OUT_DONE, 0, 0);
    *ctl &= ~OTG_EPCTL_EPENA;
    raise(OTG_DOEPINT0, OTG_EPINT_XFRC, OTG_GINT_OEPINT);
    return 0;
}

int otg_model_in(uint8_t *out)
{
    uint32_t *ctl = otg_model_reg(OTG_DIEPCTL0);
    int t = token(ctl);
    if (t)
        return t;
    uint32_t tsiz = *otg_model_reg(OTG_DIEPTSIZ0);
    uint32_t n = tsiz & TSIZ_XFRSIZ_MASK;
    if (((tsiz >> OTG_DIEPTSIZ0_PKTCNT_POS) & TSIZ_PKTCNT_MASK) != 1)
        error("EP0 IN armed with a packet count other than 1");
    if (n > EP0_SIZE) {
        error("EP0 IN packet longer than 64 bytes");
        n = EP0_SIZE;
    }
    if (m.n_tx != (n + 3) / 4)
        error("transmit FIFO words do not match the IN packet's length");
    for (uint32_t i = 0; i < n; i++)
        out[i] = (uint8_t)(m.tx[i / 4] >> (8 * (i % 4)));
    m.n_tx = 0;
    m.stats.in_packets++;
    *ctl &= ~OTG_EPCTL_EPENA;
    raise(OTG_DIEPINT0, OTG_EPINT_XFRC, OTG_GINT_IEPINT);
    return (int)n;
}

void otg_model_bus_reset(void)
{
    m.stats.resets++;
    *otg_model_reg(OTG_DIEPCTL0) &= ~(OTG_EPCTL_STALL | OTG_EPCTL_EPENA);
    *otg_model_reg(OTG_DOEPCTL0) &= ~(OTG_EPCTL_STALL | OTG_EPCTL_EPENA);
    *otg_model_reg(OTG_GINTSTS) |= OTG_GINT_USBRST | OTG_GINT_ENUMDNE;
}

bool otg_model_stalled(void)
{
    return (*otg_model_reg(OTG_DIEPCTL0) & OTG_EPCTL_STALL) &&
           (*otg_model_reg(OTG_DOEPCTL0) & OTG_EPCTL_STALL);
}

const struct otg_model_stats *otg_model_stats(void)
{
    return &m.stats;
}

/* ---- transfer layer ---- */

/* Send one OUT packet (NAKed: run the device, send again); 0 or a negative errno value. */
static int send_out(const uint8_t *data, uint32_t n, otg_model_run_fn run, void *ctx)
{
    for (uint32_t tries = 0;; tries++) {
        int r = otg_model_out(data, n);
        if (r == OTG_MODEL_STALLED)
            return -EPIPE;
        if (r == 0 || tries == OTG_MODEL_NAK_LIMIT)
            return r == 0 ? run(ctx, false) : -ETIMEDOUT;
        if ((r = run(ctx, true)) != 0)
            return r;
    }
}

/* Take one IN packet (NAKed: run the device, ask again): its length or a negative errno. */
static int take_in(uint8_t *pkt, otg_model_run_fn run, void *ctx)
{
    for (uint32_t tries = 0;; tries++) {
        int n = otg_model_in(pkt);
        if (n == OTG_MODEL_STALLED)
            return -EPIPE;
        if (n >= 0) {
            int r = run(ctx, false);
            return r ? r : n;
        }
        if (tries == OTG_MODEL_NAK_LIMIT)
            return -ETIMEDOUT;
        if ((n = run(ctx, true)) != 0)
            return n;
    }
}

static int transfer(const uint8_t setup[8], uint8_t *data, otg_model_run_fn run, void *ctx)
{
    const uint32_t len = (uint32_t)(setup[6] | setup[7] << 8);
    uint8_t pkt[EP0_SIZE];
    uint32_t done = 0;
    int r;
    otg_model_setup(setup);
    if ((r = run(ctx, false)) != 0)
        return r;
    if (setup[0] & 0x80) {
        for (;;) { /* IN data stage, then an OUT status ZLP */
            int n = take_in(pkt, run, ctx);
            if (n < 0)
                return n;
            if (done + (uint32_t)n > len)
                return -EPROTO; /* babble: more than wLength */
            memcpy(data + done, pkt, (size_t)n);
            done += (uint32_t)n;
            if ((uint32_t)n < EP0_SIZE || done == len)
                break;
        }
        r = send_out(NULL, 0, run, ctx);
        return r ? r : (int)done;
    }
    while (done < len) { /* OUT data stage, then an IN status ZLP */
        uint32_t n = len - done < EP0_SIZE ? len - done : EP0_SIZE;
        if ((r = send_out(data + done, n, run, ctx)) != 0)
            return r;
        done += n;
    }
    r = take_in(pkt, run, ctx);
    if (r > 0)
        return -EPROTO; /* the status stage is a zero-length packet */
    return r < 0 ? r : (int)len;
}

int otg_model_control(const uint8_t setup[8], uint8_t *data, otg_model_run_fn run, void *ctx)
{
    int r = transfer(setup, data, run, ctx);
    if (r == -EPIPE)
        m.stats.stalls++;
    if (r == -EPROTO)
        error("control transfer: the device broke the protocol");
    return r;
}
