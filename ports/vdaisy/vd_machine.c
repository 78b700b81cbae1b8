/*
 * vd_machine.c — the virtual Daisy Seed's machine: a Cortex-M7 on libunicorn (M-class Thumb),
 * the STM32H750 memory map, routing of peripheral accesses to the models with the RCC gate
 * rule, the memory windows models open and close, simulated time, and the run loop.
 *
 * The core is libunicorn's "cortex-m7" opened in plain Thumb mode, not UC_MODE_MCLASS: with
 * that flag libunicorn 2.0.1 builds a Cortex-M33 whatever model is asked for, and the M33's
 * single-precision FPU stops every double-precision instruction (see vd_machine_new).
 * What libunicorn 2.0.1 does and does not do for this M-profile core (tried before writing this):
 *  - it does not model the System Control Space (0xE000_0000..): vd_scs.c maps it as a model;
 *  - it does not enter exceptions: SVC arrives as an interrupt hook (EXCP_SWI), and this
 *    machine pushes the frame itself (vd_scs.c);
 *  - a branch to an EXC_RETURN value in handler mode arrives as EXCP_PREFETCH_ABORT with PC =
 *    the EXC_RETURN value less bit 0 (UC_MODE_MCLASS's M33 reported EXCP_EXCEPTION_EXIT; both
 *    are taken): the machine unstacks (vd_scs.c). ARMv7-M §B1.5.8: in Handler mode an
 *    EXC_RETURN value (0xFFFFFFEx/0xFFFFFFFx) loaded into the PC by BX, POP or LDR/LDM is an
 *    exception return; in Thread mode that fetch stays a fault;
 *  - FP instructions run without CPACR being written, and set CONTROL.FPCA.
 *
 * Cycle model (docs/vdaisy.md): one cycle per instruction, plus per-access wait states for
 * QSPI, SDRAM, AXI SRAM and SRAM1-4 data accesses and for instructions fetched from QSPI;
 * stalls added by models (vd_add_stall_ns). The CPU frequency comes from the RCC model.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vd_internal.h"

#define NS_PER_S 1000000000ull
#define PS_PER_NS 1000ull
#define HSI_HZ 64000000ull
#define UNTIL_NEVER 0xFFFFFFFEull /* no Thumb instruction lives there */
#define EXCP_UDEF 1
#define EXCP_SWI 2
#define EXCP_PREFETCH_ABORT 3
#define EXCP_DATA_ABORT 4
#define EXCP_BKPT 7
#define EXCP_EXCEPTION_EXIT 8
#define EXC_SVCALL 11

static const char *const stop_names[] = {
    [VD_STOP_NONE] = "none",           [VD_STOP_APP_ENTRY] = "app",
    [VD_STOP_ADDRESS] = "address",     [VD_STOP_LED] = "led",
    [VD_STOP_FAULT] = "fault",         [VD_STOP_UNMODELLED] = "unmodelled",
    [VD_STOP_VIOLATION] = "violation", [VD_STOP_TIMEOUT] = "timeout",
    [VD_STOP_RESET] = "reset",         [VD_STOP_HOST] = "host-error",
};

const char *vd_stop_name(enum vd_stop s)
{
    return (unsigned)s < sizeof stop_names / sizeof stop_names[0] ? stop_names[s] : "?";
}

void vd_stop_with(struct vd_machine *m, enum vd_stop why, const char *fmt, ...)
{
    if (m->rep.stop == VD_STOP_NONE) {
        m->rep.stop = why;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(m->rep.why, sizeof m->rep.why, fmt, ap);
        va_end(ap);
    }
    m->stop_req = true;
    uc_emu_stop(m->uc);
}

/* ---- parameters, trace, violations -------------------------------------------------------- */

int vd_set_param(struct vd_machine *m, const char *s)
{
    const char *eq = strchr(s, '=');
    if (!eq || eq == s || (size_t)(eq - s) >= sizeof m->params[0].name)
        return -1;
    char *end;
    errno = 0;
    long v = strtol(eq + 1, &end, 0);
    if (errno || end == eq + 1 || *end)
        return -1;
    struct vd_param_kv *p = NULL;
    for (unsigned i = 0; i < m->n_params; i++)
        if (strncmp(m->params[i].name, s, (size_t)(eq - s)) == 0 &&
            m->params[i].name[eq - s] == 0)
            p = &m->params[i];
    if (!p) {
        if (m->n_params == VD_MAX_PARAMS)
            return -1;
        p = &m->params[m->n_params++];
        memcpy(p->name, s, (size_t)(eq - s));
        p->name[eq - s] = 0;
    }
    p->value = v;
    return 0;
}

long vd_param(const struct vd_machine *m, const char *name, long def)
{
    for (unsigned i = 0; i < m->n_params; i++)
        if (strcmp(m->params[i].name, name) == 0) {
            ((struct vd_machine *)m)->params[i].used = true;
            return m->params[i].value;
        }
    return def;
}

void vd_trace(struct vd_machine *m, const char *fmt, ...)
{
    if (!m->trace)
        return;
    fprintf(m->trace, "[%10.3f us] ", (double)m->ns / 1000.0);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(m->trace, fmt, ap);
    va_end(ap);
    fputc('\n', m->trace);
}

void vd_violation(struct vd_machine *m, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    m->rep.violations++;
    fprintf(stderr, "vdaisy: violation at %.3f us (block 0x%08x): %s\n", (double)m->ns / 1000.0,
            m->block_pc, msg);
    /* Scenarios fail on a violation unless they say otherwise (violations_fatal=0). */
    if (vd_param(m, "violations_fatal", 1))
        vd_stop_with(m, VD_STOP_VIOLATION, "%s", msg);
}

/* ---- time ---------------------------------------------------------------------------------- */

void vd_clock_changed(struct vd_machine *m)
{
    uint64_t hz = m->rcc ? vd_rcc_clock_hz(m->rcc, "cpu") : HSI_HZ;
    m->cpu_hz = hz ? hz : HSI_HZ;
}

static void advance_cycles(struct vd_machine *m, uint64_t cycles)
{
    m->cycles += cycles;
    uint64_t ps = cycles * (NS_PER_S * PS_PER_NS / m->cpu_hz) + m->ps_rest;
    m->ns += ps / PS_PER_NS;
    m->ps_rest = ps % PS_PER_NS;
    vd_scs_advance(m, cycles);
    for (unsigned i = 0; i < m->n_periph; i++)
        if (m->periph[i]->tick)
            m->periph[i]->tick(m->periph[i]->ctx, m->ns);
}

uint64_t vd_now_ns(const struct vd_machine *m)
{
    return m->ns;
}

void vd_add_stall_ns(struct vd_machine *m, uint64_t ns)
{
    /* The core waits: the cycle counter runs on while the bus access completes. */
    advance_cycles(m, (ns * m->cpu_hz + NS_PER_S - 1) / NS_PER_S);
}

/* ---- clocks and gates ---------------------------------------------------------------------- */

bool vd_clocked(const struct vd_machine *m, struct vd_gate gate)
{
    if (gate.rcc_offset == 0 || !m->rcc)
        return true;
    return (vd_rcc_reg(m->rcc, gate.rcc_offset) >> gate.bit) & 1u;
}

uint64_t vd_clock_hz(const struct vd_machine *m, const char *clock)
{
    return m->rcc ? vd_rcc_clock_hz(m->rcc, clock) : 0;
}

void vd_irq(struct vd_machine *m, unsigned n, bool level)
{
    vd_scs_pend(m, 16u + n, level);
}

/* ---- peripheral routing -------------------------------------------------------------------- */

static struct vd_periph *periph_at(struct vd_machine *m, uint32_t addr)
{
    for (unsigned i = 0; i < m->n_periph; i++) {
        struct vd_periph *p = m->periph[i];
        if (addr - p->base < p->size)
            return p;
    }
    return NULL;
}

static bool allowed(const struct vd_machine *m, uint32_t addr)
{
    for (unsigned i = 0; i < m->n_allow; i++)
        if (addr - m->allow[i].base < m->allow[i].size)
            return true;
    return false;
}

/* RM0433 §8.5.11 (peripheral clock enable): an unclocked peripheral ignores writes and reads 0.
 * The firmware relying on it is a bug (the write is lost), so it is also a violation unless the
 * scenario sets gate_violation=0. */
static bool gate_open(struct vd_machine *m, struct vd_periph *p, uint32_t addr, bool write,
                      uint32_t val)
{
    if (vd_clocked(m, p->gate))
        return true;
    vd_trace(m, "%s: %s 0x%08x%s while its RCC clock is off: %s", p->name,
             write ? "write" : "read", addr, write ? "" : " (reads 0)",
             write ? "ignored" : "0");
    if (vd_param(m, "gate_violation", 1))
        vd_violation(m, "%s: RM0433 §8.5.11: %s of 0x%08x (value 0x%08x) while the peripheral "
                        "clock is off (RCC offset 0x%03x bit %u): the access is lost",
                     p->name, write ? "write" : "read", addr, val, p->gate.rcc_offset,
                     p->gate.bit);
    return false;
}

static uint64_t mmio_read(uc_engine *uc, uint64_t off, unsigned size, void *user)
{
    (void)uc;
    struct vd_machine *m = *(struct vd_machine **)user;
    uint32_t page = (uint32_t)(uintptr_t)((struct vd_machine **)user)[1];
    uint32_t addr = page + (uint32_t)off, val = 0;
    struct vd_periph *p = periph_at(m, addr);
    if (!p) {
        if (allowed(m, addr))
            vd_trace(m, "allowed unmodelled read 0x%08x -> 0", addr);
        else
            vd_stop_with(m, VD_STOP_UNMODELLED, "read of 0x%08x (size %u): no model", addr, size);
        return 0;
    }
    if (!gate_open(m, p, addr, false, 0))
        return 0;
    enum vd_result r = p->read(p->ctx, addr - p->base, size, &val);
    if (r == VD_UNMODELLED)
        vd_stop_with(m, VD_STOP_UNMODELLED, "%s: read of 0x%08x (offset 0x%03x, size %u): "
                     "register not modelled", p->name, addr, addr - p->base, size);
    else if (r == VD_BUS_FAULT)
        vd_stop_with(m, VD_STOP_FAULT, "%s: bus error on read of 0x%08x", p->name, addr);
    return val;
}

static void mmio_write(uc_engine *uc, uint64_t off, unsigned size, uint64_t v, void *user)
{
    (void)uc;
    struct vd_machine *m = *(struct vd_machine **)user;
    uint32_t page = (uint32_t)(uintptr_t)((struct vd_machine **)user)[1];
    uint32_t addr = page + (uint32_t)off, val = (uint32_t)v;
    struct vd_periph *p = periph_at(m, addr);
    if (!p) {
        if (allowed(m, addr))
            vd_trace(m, "allowed unmodelled write 0x%08x <- 0x%08x", addr, val);
        else
            vd_stop_with(m, VD_STOP_UNMODELLED, "write of 0x%08x <- 0x%08x (size %u): no model",
                         addr, val, size);
        return;
    }
    if (!gate_open(m, p, addr, true, val))
        return;
    enum vd_result r = p->write(p->ctx, addr - p->base, size, val);
    if (r == VD_UNMODELLED)
        vd_stop_with(m, VD_STOP_UNMODELLED, "%s: write of 0x%08x <- 0x%08x (offset 0x%03x, "
                     "size %u): register not modelled", p->name, addr, val, addr - p->base,
                     size);
    else if (r == VD_BUS_FAULT)
        vd_stop_with(m, VD_STOP_FAULT, "%s: bus error on write of 0x%08x", p->name, addr);
}

void *vd_alloc(struct vd_machine *m, size_t size)
{
    void *p = calloc(1, size);
    if (!p || m->n_owned == sizeof m->owned / sizeof m->owned[0]) {
        fprintf(stderr, "vdaisy: out of memory\n");
        abort();
    }
    m->owned[m->n_owned++] = p;
    return p;
}

/* Each routed page carries {machine, page base} as its callback data. */
static void route_page(struct vd_machine *m, uint32_t page)
{
    for (unsigned i = 0; i < m->n_pages; i++)
        if (m->pages[i] == page)
            return;
    if (m->n_pages == VD_MAX_PAGES) {
        fprintf(stderr, "vdaisy: too many peripheral pages\n");
        abort();
    }
    m->pages[m->n_pages++] = page;
    void **ud = vd_alloc(m, 2 * sizeof *ud);
    ud[0] = m;
    ud[1] = (void *)(uintptr_t)page;
    uc_err e = uc_mmio_map(m->uc, page, VD_PAGE, mmio_read, ud, mmio_write, ud);
    if (e != UC_ERR_OK) {
        fprintf(stderr, "vdaisy: cannot map page 0x%08x: %s\n", page, uc_strerror(e));
        abort();
    }
}

void vd_add_periph(struct vd_machine *m, struct vd_periph *p)
{
    if (m->n_periph == VD_MAX_PERIPH) {
        fprintf(stderr, "vdaisy: too many models\n");
        abort();
    }
    m->periph[m->n_periph++] = p;
    for (uint32_t a = p->base & ~(VD_PAGE - 1u); a - p->base < p->size || a < p->base;
         a += VD_PAGE) {
        route_page(m, a);
        if (a + VD_PAGE >= p->base + p->size)
            break;
    }
}

void vd_allow(struct vd_machine *m, uint32_t base, uint32_t size)
{
    if (m->n_allow == VD_MAX_ALLOW)
        return;
    m->allow[m->n_allow].base = base;
    m->allow[m->n_allow++].size = size;
    for (uint32_t a = base & ~(VD_PAGE - 1u); a < base + size; a += VD_PAGE)
        route_page(m, a);
}

/* ---- memory windows ----------------------------------------------------------------------- */

static struct vd_window *window_at(struct vd_machine *m, uint32_t base)
{
    for (unsigned i = 0; i < m->n_win; i++)
        if (m->win[i].base == base)
            return &m->win[i];
    if (m->n_win == VD_MAX_WINDOWS)
        abort();
    m->win[m->n_win].base = base;
    return &m->win[m->n_win++];
}

static void window_unmap(struct vd_machine *m, struct vd_window *w)
{
    if (!w->open)
        return;
    uc_mem_unmap(m->uc, w->base, w->size);
    uc_ctl_remove_cache(m->uc, w->base, (uint64_t)w->base + w->size);
    w->open = false;
}

void vd_window_open(struct vd_machine *m, uint32_t base, uint32_t size, void *backing,
                    unsigned perms)
{
    struct vd_window *w = window_at(m, base);
    window_unmap(m, w);
    uint32_t prot = (perms & VD_PERM_READ ? UC_PROT_READ : 0) |
                    (perms & VD_PERM_WRITE ? UC_PROT_WRITE : 0) |
                    (perms & VD_PERM_EXEC ? UC_PROT_EXEC : 0);
    uc_err e = uc_mem_map_ptr(m->uc, base, size, prot, backing);
    if (e != UC_ERR_OK) {
        vd_stop_with(m, VD_STOP_HOST, "window 0x%08x+0x%x: %s", base, size, uc_strerror(e));
        return;
    }
    uc_ctl_remove_cache(m->uc, base, (uint64_t)base + size);
    w->size = size;
    w->backing = backing;
    w->perms = perms;
    w->open = true;
    vd_trace(m, "window 0x%08x+0x%x open (%s%s%s)", base, size, perms & VD_PERM_READ ? "r" : "",
             perms & VD_PERM_WRITE ? "w" : "", perms & VD_PERM_EXEC ? "x" : "");
}

void vd_window_close(struct vd_machine *m, uint32_t base, uint32_t size)
{
    (void)size;
    struct vd_window *w = window_at(m, base);
    if (w->open)
        vd_trace(m, "window 0x%08x closed", base);
    window_unmap(m, w);
}

/* ---- hooks --------------------------------------------------------------------------------- */

/* Thumb-2: a halfword whose top five bits are 0b11101, 0b11110 or 0b11111 starts a 32-bit
 * instruction (ARMv7-M ARM §A5.1). */
static uint32_t count_insns(struct vd_machine *m, uint32_t addr, uint32_t size)
{
    struct vd_bcache_entry *e = &m->bcache[(addr >> 1) % VD_BCACHE];
    if (e->addr == addr && e->size == size && size)
        return e->insns;
    uint8_t buf[1024];
    uint32_t n = 0, len = size < sizeof buf ? size : sizeof buf;
    if (uc_mem_read(m->uc, addr, buf, len) != UC_ERR_OK)
        return size / 2u;
    for (uint32_t i = 0; i + 1 < len; n++) {
        uint16_t hw = (uint16_t)(buf[i] | buf[i + 1] << 8);
        i += (hw >> 11) >= 0x1Du ? 4u : 2u;
    }
    e->addr = addr;
    e->size = size;
    e->insns = n;
    return n;
}

static bool in(uint32_t a, uint32_t base, uint32_t size)
{
    return a - base < size;
}

static void on_block(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    (void)uc;
    struct vd_machine *m = user;
    uint32_t addr = (uint32_t)address;
    m->block_pc = addr;
    uint32_t n = count_insns(m, addr, size);
    m->instructions += n;
    uint64_t cyc = n;
    if (in(addr, VD_QSPI_WINDOW, VD_QSPI_WINDOW_SIZE))
        cyc += (uint64_t)n * m->ws_qspi_fetch;
    advance_cycles(m, cyc);

    if (!vd_scs_exec_allowed(m, addr))
        return; /* vd_scs stopped the run */
    const struct vd_run_limits *lim = m->lim;
    if (lim->stop_at_app && !m->app_seen) {
        uint32_t vtor = vd_scs_vtor(m), entry;
        if (vtor != m->boot_vtor && uc_mem_read(m->uc, vtor + 4u, &entry, 4) == UC_ERR_OK &&
            (entry & ~1u) == addr) {
            m->app_seen = true;
            m->rep.app_cycles = m->cycles - m->reset_cycles;
            m->rep.app_ns = m->ns - m->reset_ns;
            vd_stop_with(m, VD_STOP_APP_ENTRY, "app reset handler 0x%08x (vector table 0x%08x)",
                         addr, vtor);
            return;
        }
    }
    for (unsigned i = 0; i < lim->n_until; i++)
        if ((lim->until[i] & ~1u) == addr) {
            vd_stop_with(m, VD_STOP_ADDRESS, "reached 0x%08x", addr);
            return;
        }
    if (lim->timeout_ns && m->ns >= lim->timeout_ns) {
        vd_stop_with(m, VD_STOP_TIMEOUT, "simulated time limit %.3f ms reached",
                     (double)lim->timeout_ns / 1e6);
        return;
    }
    if (vd_scs_exception_ready(m)) {
        m->exc_req = true;
        uc_emu_stop(m->uc);
    }
}

/* Wait states of data accesses (the cycle model): AXI SRAM and SRAM1-4 behind the AXI/AHB
 * matrix, QSPI and SDRAM behind their controllers. The D-cache is not modelled: every access
 * pays, which over-estimates cached code (docs/vdaisy.md). */
static void on_mem(uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value,
                   void *user)
{
    (void)uc;
    (void)type;
    (void)size;
    (void)value;
    struct vd_machine *m = user;
    uint32_t a = (uint32_t)address;
    unsigned ws = in(a, VD_QSPI_WINDOW, VD_QSPI_WINDOW_SIZE)   ? m->ws_qspi_data
                  : in(a, VD_SDRAM_WINDOW, VD_SDRAM_WINDOW_SIZE) ? m->ws_sdram
                  : in(a, VD_AXI_BASE, VD_AXI_SIZE)              ? m->ws_axi
                                                                 : m->ws_sram;
    if (ws)
        advance_cycles(m, ws);
}

static const char *window_name(uint32_t a)
{
    if (in(a, VD_QSPI_WINDOW, VD_QSPI_WINDOW_SIZE))
        return "the QSPI window (QUADSPI not in memory-mapped mode)";
    if (in(a, VD_SDRAM_WINDOW, VD_SDRAM_WINDOW_SIZE))
        return "the SDRAM window (FMC/SDRAM not initialised)";
    return NULL;
}

static bool on_unmapped(uc_engine *uc, uc_mem_type type, uint64_t address, int size,
                        int64_t value, void *user)
{
    (void)uc;
    struct vd_machine *m = user;
    uint32_t a = (uint32_t)address;
    const char *kind = type == UC_MEM_FETCH_UNMAPPED ? "instruction fetch"
                       : type == UC_MEM_WRITE_UNMAPPED ? "write"
                       : type == UC_MEM_READ_UNMAPPED  ? "read"
                                                       : "protected access";
    m->fault_addr = a;
    const char *w = window_name(a);
    if (w)
        vd_stop_with(m, VD_STOP_FAULT, "bus fault: %s of 0x%08x (size %d) in %s, block 0x%08x",
                     kind, a, size, w, m->block_pc);
    else if (type == UC_MEM_FETCH_PROT || type == UC_MEM_WRITE_PROT || type == UC_MEM_READ_PROT)
        vd_stop_with(m, VD_STOP_FAULT, "bus fault: %s of 0x%08x (value 0x%llx), block 0x%08x",
                     kind, a, (unsigned long long)value, m->block_pc);
    else
        vd_stop_with(m, VD_STOP_UNMODELLED, "%s of 0x%08x (size %d): nothing at this address "
                     "is modelled, block 0x%08x", kind, a, size, m->block_pc);
    return false;
}

static void on_intr(uc_engine *uc, uint32_t intno, void *user)
{
    struct vd_machine *m = user;
    uint32_t pc;
    uc_reg_read(uc, UC_ARM_REG_PC, &pc);
    switch (intno) {
    case EXCP_SWI:
        if (vd_scs_take_exception(m, EXC_SVCALL, pc))
            uc_emu_stop(uc);
        return;
    case EXCP_EXCEPTION_EXIT:
        if (vd_scs_exception_return(m, pc))
            uc_emu_stop(uc);
        return;
    case EXCP_UDEF:
        vd_stop_with(m, VD_STOP_FAULT, "UsageFault: undefined instruction at 0x%08x", pc);
        return;
    case EXCP_BKPT:
        vd_stop_with(m, VD_STOP_FAULT, "BKPT at 0x%08x", pc);
        return;
    case EXCP_PREFETCH_ABORT: {
        uint32_t ipsr = 0;
        uc_reg_read(uc, UC_ARM_REG_IPSR, &ipsr);
        if ((ipsr & 0x1FFu) != 0 && (pc & 0xFFFFFFE0u) == 0xFFFFFFE0u) {
            if (vd_scs_exception_return(m, pc | 1u))
                uc_emu_stop(uc);
            return;
        }
        vd_stop_with(m, VD_STOP_FAULT, "instruction fetch fault at 0x%08x (execute-never: "
                     "ARMv7-M default memory map §B3.1 or MPU)", pc);
        return;
    }
    case EXCP_DATA_ABORT:
        vd_stop_with(m, VD_STOP_FAULT, "data abort near 0x%08x (block 0x%08x)", pc, m->block_pc);
        return;
    default:
        vd_stop_with(m, VD_STOP_FAULT, "CPU exception %u at 0x%08x", intno, pc);
    }
}

/* ---- construction and loading -------------------------------------------------------------- */

static uint8_t *map_ram(struct vd_machine *m, uint32_t base, uint32_t size, uint32_t prot)
{
    uint8_t *p = calloc(1, size);
    if (!p || uc_mem_map_ptr(m->uc, base, size, prot, p) != UC_ERR_OK) {
        fprintf(stderr, "vdaisy: cannot map 0x%08x\n", base);
        abort();
    }
    return p;
}

struct vd_machine *vd_machine_new(FILE *trace_out)
{
    struct vd_machine *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->trace = trace_out;
    m->cpu_hz = HSI_HZ;
    /* libunicorn 2.0.1 ignores the CPU model when UC_MODE_MCLASS is given: it builds its
     * default M-class core (a Cortex-M33 with a single-precision FPU, MVFR0.FPDP = 0), so every
     * double-precision VFP instruction of FPv5-D16 (newlib's powf, DaisySP) stopped as invalid.
     * Opened in plain Thumb mode, the model is honoured and "cortex-m7" is itself M-profile
     * (ARM_FEATURE_M, MVFR0 = 0x10110221: FPv5 with double precision, as on the STM32H750).
     * tests/vdaisy/models/test_vd_cpu.c pins both facts. */
    uc_err e = uc_open(UC_ARCH_ARM, UC_MODE_THUMB, &m->uc);
    if (e == UC_ERR_OK)
        e = uc_ctl_set_cpu_model(m->uc, UC_CPU_ARM_CORTEX_M7);
    if (e != UC_ERR_OK) {
        fprintf(stderr, "vdaisy: libunicorn: %s\n", uc_strerror(e));
        free(m);
        return NULL;
    }
    const uint32_t rwx = UC_PROT_ALL, rx = UC_PROT_READ | UC_PROT_EXEC;
    m->itcm = map_ram(m, VD_ITCM_BASE, VD_ITCM_SIZE, rwx);
    /* Internal flash reads and executes; writes go through the FLASH controller's programming
     * sequence, which no scenario needs: a store to it is a bus fault here. */
    m->flash = map_ram(m, VD_FLASH_BASE, VD_FLASH_SIZE, rx);
    m->dtcm = map_ram(m, VD_DTCM_BASE, VD_DTCM_SIZE, rwx);
    m->axi = map_ram(m, VD_AXI_BASE, VD_AXI_SIZE, rwx);
    m->sram123 = map_ram(m, VD_SRAM123_BASE, VD_SRAM123_SIZE, rwx);
    m->sram4 = map_ram(m, VD_SRAM4_BASE, VD_SRAM4_SIZE, rwx);

    uc_hook h;
    uc_hook_add(m->uc, &h, UC_HOOK_BLOCK, on_block, m, 1, 0);
    uc_hook_add(m->uc, &h, UC_HOOK_INTR, on_intr, m, 1, 0);
    uc_hook_add(m->uc, &h, UC_HOOK_MEM_UNMAPPED | UC_HOOK_MEM_PROT, on_unmapped, m, 1, 0);
    const uint32_t ranges[][2] = {
        {VD_AXI_BASE, VD_AXI_SIZE},
        {VD_SRAM123_BASE, VD_SRAM4_BASE + VD_SRAM4_SIZE - VD_SRAM123_BASE},
        {VD_QSPI_WINDOW, VD_QSPI_WINDOW_SIZE},
        {VD_SDRAM_WINDOW, VD_SDRAM_WINDOW_SIZE},
    };
    for (unsigned i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        uc_hook_add(m->uc, &h, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, on_mem, m, ranges[i][0],
                    (uint64_t)ranges[i][0] + ranges[i][1] - 1u);

    m->scs = vd_scs_new(m);
    m->rcc = vd_rcc_new(m);
    m->pwr = vd_pwr_new(m);
    vd_flash_acr_new(m);
    vd_syscfg_new(m);
    m->gpio = vd_gpio_new(m);
    vd_bkpsram_new(m);
    return m;
}

void vd_machine_free(struct vd_machine *m)
{
    if (!m)
        return;
    uc_close(m->uc);
    free(m->itcm);
    free(m->flash);
    free(m->dtcm);
    free(m->axi);
    free(m->sram123);
    free(m->sram4);
    for (unsigned i = 0; i < m->n_owned; i++)
        free(m->owned[i]);
    free(m);
}

int vd_load_flash(struct vd_machine *m, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "vdaisy: %s: %s\n", path, strerror(errno));
        return -1;
    }
    memset(m->flash, 0xFF, VD_FLASH_SIZE);
    size_t n = fread(m->flash, 1, VD_FLASH_SIZE, f);
    int extra = fgetc(f);
    fclose(f);
    if (n >= 4 && memcmp(m->flash, "\x7f" "ELF", 4) == 0) { /* an ELF: its loadable segments */
        memset(m->flash, 0xFF, VD_FLASH_SIZE);
        return vd_load_elf(m, path, NULL);
    }
    if (n < 8 || extra != EOF) {
        fprintf(stderr, "vdaisy: %s: %s\n", path,
                n < 8 ? "too short for a vector table" : "larger than the 128 KB flash");
        return -1;
    }
    uc_ctl_remove_cache(m->uc, VD_FLASH_BASE, (uint64_t)VD_FLASH_BASE + VD_FLASH_SIZE);
    return 0;
}


static uint8_t *host_ptr(struct vd_machine *m, uint32_t addr, uint32_t len)
{
    const struct { uint32_t base, size; uint8_t *mem; } map[] = {
        {VD_ITCM_BASE, VD_ITCM_SIZE, m->itcm},       {VD_FLASH_BASE, VD_FLASH_SIZE, m->flash},
        {VD_DTCM_BASE, VD_DTCM_SIZE, m->dtcm},       {VD_AXI_BASE, VD_AXI_SIZE, m->axi},
        {VD_SRAM123_BASE, VD_SRAM123_SIZE, m->sram123}, {VD_SRAM4_BASE, VD_SRAM4_SIZE, m->sram4},
        {VD_BKPSRAM_BASE, VD_BKPSRAM_SIZE, vd_bkpsram_mem(m)},
    };
    for (unsigned i = 0; i < sizeof map / sizeof map[0]; i++)
        if (addr - map[i].base < map[i].size && len <= map[i].size - (addr - map[i].base))
            return map[i].mem + (addr - map[i].base);
    for (unsigned i = 0; i < m->n_win; i++) {
        const struct vd_window *w = &m->win[i];
        if (w->open && addr - w->base < w->size && len <= w->size - (addr - w->base))
            return (uint8_t *)w->backing + (addr - w->base);
    }
    return NULL;
}

int vd_poke(struct vd_machine *m, uint32_t addr, const void *buf, uint32_t len)
{
    uint8_t *p = host_ptr(m, addr, len);
    if (!p)
        return -1;
    memcpy(p, buf, len);
    uc_ctl_remove_cache(m->uc, addr, (uint64_t)addr + len);
    return 0;
}

int vd_peek(struct vd_machine *m, uint32_t addr, void *buf, uint32_t len)
{
    const uint8_t *p = host_ptr(m, addr, len);
    if (!p)
        return -1;
    memcpy(buf, p, len);
    return 0;
}

/* ---- reset and run -------------------------------------------------------------------------- */

static void cpu_reset(struct vd_machine *m)
{
    /* ARMv7-M ARM §B1.5.5 (TakeReset): MSP from word 0, PC from word 1 of the table at the boot
     * address; Thread mode, privileged, MSP, PRIMASK/FAULTMASK/BASEPRI clear, xPSR.T set. */
    uint32_t zero = 0, msp, pc, xpsr = 0x01000000u, lr = 0xFFFFFFFFu;
    memcpy(&msp, m->flash, 4);
    memcpy(&pc, m->flash + 4, 4);
    uc_reg_write(m->uc, UC_ARM_REG_CONTROL, &zero);
    for (int r = UC_ARM_REG_R0; r <= UC_ARM_REG_R12; r++)
        uc_reg_write(m->uc, r, &zero);
    uc_reg_write(m->uc, UC_ARM_REG_PRIMASK, &zero);
    uc_reg_write(m->uc, UC_ARM_REG_BASEPRI, &zero);
    uc_reg_write(m->uc, UC_ARM_REG_FAULTMASK, &zero);
    uc_reg_write(m->uc, UC_ARM_REG_XPSR, &xpsr);
    uc_reg_write(m->uc, UC_ARM_REG_IPSR, &zero);
    uc_reg_write(m->uc, UC_ARM_REG_MSP, &msp);
    uc_reg_write(m->uc, UC_ARM_REG_SP, &msp);
    uc_reg_write(m->uc, UC_ARM_REG_LR, &lr);
    uc_reg_write(m->uc, UC_ARM_REG_PC, &pc);
    m->boot_vtor = VD_FLASH_BASE;
    m->reset_cycles = m->cycles;
    m->reset_ns = m->ns;
    m->app_seen = false;
}

static void reset_models(struct vd_machine *m, bool power_on)
{
    for (unsigned i = 0; i < m->n_periph; i++)
        if (m->periph[i]->reset)
            m->periph[i]->reset(m->periph[i]->ctx, power_on);
    vd_scs_reset(m);
    vd_clock_changed(m);
}

static void read_wait_states(struct vd_machine *m)
{
    /* Defaults: see docs/vdaisy.md "Cycle model". */
    m->ws_qspi_data = (unsigned)vd_param(m, "ws_qspi_data", 16);
    m->ws_qspi_fetch = (unsigned)vd_param(m, "ws_qspi_fetch", 4);
    m->ws_sdram = (unsigned)vd_param(m, "ws_sdram", 8);
    m->ws_axi = (unsigned)vd_param(m, "ws_axi", 1);
    m->ws_sram = (unsigned)vd_param(m, "ws_sram", 2);
}

void vd_power_on(struct vd_machine *m)
{
    read_wait_states(m);
    /* SRAM contents at power-on are undefined; a scenario that checks zero-filled sections
     * sets ram_fill to a non-zero byte so that a missing zero fill shows. */
    int fill = (int)vd_param(m, "ram_fill", 0);
    memset(m->itcm, fill, VD_ITCM_SIZE);
    memset(m->dtcm, fill, VD_DTCM_SIZE);
    memset(m->axi, fill, VD_AXI_SIZE);
    memset(m->sram123, fill, VD_SRAM123_SIZE);
    memset(m->sram4, fill, VD_SRAM4_SIZE);
    reset_models(m, true);
    cpu_reset(m);
    vd_trace(m, "power on");
}

void vd_system_reset(struct vd_machine *m)
{
    m->rep.resets++;
    reset_models(m, false);
    cpu_reset(m);
    vd_trace(m, "system reset #%u", m->rep.resets);
}

enum vd_stop vd_run(struct vd_machine *m, const struct vd_run_limits *lim)
{
    m->lim = lim;
    m->rep.stop = VD_STOP_NONE;
    m->rep.why[0] = 0;
    for (;;) {
        m->stop_req = m->exc_req = m->reset_req = false;
        uint32_t pc;
        uc_reg_read(m->uc, UC_ARM_REG_PC, &pc);
        uc_err e = uc_emu_start(m->uc, pc | 1u, UNTIL_NEVER, 0, 0);
        if (m->rep.stop != VD_STOP_NONE)
            break;
        if (e != UC_ERR_OK) {
            vd_stop_with(m, VD_STOP_FAULT, "libunicorn stopped: %s (block 0x%08x)", uc_strerror(e),
                         m->block_pc);
            break;
        }
        if (m->reset_req) {
            vd_system_reset(m);
            if (lim->stop_after_resets && m->rep.resets >= lim->stop_after_resets) {
                vd_stop_with(m, VD_STOP_RESET, "modelled reset #%u", m->rep.resets);
                break;
            }
            continue;
        }
        if (m->exc_req) {
            if (vd_scs_take_pending(m))
                break;
            continue;
        }
        if (!m->stop_req) {
            uc_reg_read(m->uc, UC_ARM_REG_PC, &pc);
            vd_stop_with(m, VD_STOP_FAULT, "emulation ended at 0x%08x", pc);
            break;
        }
    }
    uc_reg_read(m->uc, UC_ARM_REG_PC, &m->rep.pc);
    uc_reg_read(m->uc, UC_ARM_REG_MSP, &m->rep.msp);
    for (int i = 0; i < 4; i++)
        uc_reg_read(m->uc, UC_ARM_REG_R0 + i, &m->rep.r[i]);
    m->rep.vtor = vd_scs_vtor(m);
    m->rep.cycles = m->cycles;
    m->rep.ns = m->ns;
    m->rep.instructions = m->instructions;
    vd_scs_fill_report(m, &m->rep);
    for (unsigned i = 0; i < m->n_params; i++)
        if (!m->params[i].used)
            fprintf(stderr, "vdaisy: warning: parameter %s was never consulted\n",
                    m->params[i].name);
    return m->rep.stop;
}

const struct vd_report *vd_report(const struct vd_machine *m)
{
    return &m->rep;
}

void vd_print_report(const struct vd_machine *m, FILE *out)
{
    const struct vd_report *r = &m->rep;
    fprintf(out, "stop=%s\n", vd_stop_name(r->stop));
    fprintf(out, "why=%s\n", r->why);
    fprintf(out, "pc=0x%08x\nmsp=0x%08x\nvtor=0x%08x\n", r->pc, r->msp, r->vtor);
    fprintf(out, "r0=0x%08x\nr1=0x%08x\nr2=0x%08x\nr3=0x%08x\n", r->r[0], r->r[1], r->r[2],
            r->r[3]);
    fprintf(out, "cycles=%llu\ninstructions=%llu\ntime_us=%.3f\n", (unsigned long long)r->cycles,
            (unsigned long long)r->instructions, (double)r->ns / 1000.0);
    fprintf(out, "cpu_hz=%llu\n", (unsigned long long)m->cpu_hz);
    if (r->stop == VD_STOP_APP_ENTRY)
        fprintf(out, "app_cycles=%llu\napp_us=%.3f\n", (unsigned long long)r->app_cycles,
                (double)r->app_ns / 1000.0);
    fprintf(out, "resets=%u\nviolations=%u\nled_toggles=%u\nled=%u\nexceptions=%u\n", r->resets,
            r->violations, r->led_toggles, m->led, r->exceptions);
    fprintf(out, "mpu_regions=%u\ncache_ops=%u\n", r->mpu_regions, r->cache_ops);
}

/* ---- LED ----------------------------------------------------------------------------------- */

void vd_led_changed(struct vd_machine *m, bool level)
{
    if (level == m->led)
        return;
    m->led = level;
    m->rep.led_toggles++;
    vd_trace(m, "LED %s (toggle %u)", level ? "on" : "off", m->rep.led_toggles);
    if (m->lim && m->lim->led_toggles && m->rep.led_toggles >= m->lim->led_toggles)
        vd_stop_with(m, VD_STOP_LED, "LED toggled %u times", m->rep.led_toggles);
}

bool vd_led_level(const struct vd_machine *m)
{
    return m->led;
}
