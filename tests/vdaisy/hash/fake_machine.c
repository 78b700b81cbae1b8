/*
 * A tiny stand-in for the virtual Daisy's machine (vd_model.h), enough to drive one peripheral
 * model from a host test: one registered model, the RCC gate applied as vd_model.h says (an
 * unclocked peripheral reads 0 and ignores writes), simulated time that advances a fixed step
 * per access plus any stall the model adds, named parameters, violations counted.
 */
#include "fake_machine.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct vd_machine fake_m;

void fake_machine_reset(void)
{
    memset(&fake_m, 0, sizeof fake_m);
    fake_m.step_ns = 4; /* about 2 instructions of a 480 MHz core per access */
}

void vd_add_periph(struct vd_machine *m, struct vd_periph *p)
{
    m->p = p;
}

uint64_t vd_now_ns(const struct vd_machine *m)
{
    return m->now_ns;
}

void vd_add_stall_ns(struct vd_machine *m, uint64_t ns)
{
    m->now_ns += ns;
    m->stall_ns += ns;
}

bool vd_clocked(const struct vd_machine *m, struct vd_gate gate)
{
    return gate.rcc_offset == 0 || (m->rcc[gate.rcc_offset / 4] >> gate.bit & 1u);
}

uint64_t vd_clock_hz(const struct vd_machine *m, const char *clock)
{
    (void)m;
    (void)clock;
    return 0; /* unknown: models fall back to their parameter */
}

void vd_irq(struct vd_machine *m, unsigned n, bool level)
{
    (void)m;
    (void)n;
    (void)level;
}

void vd_violation(struct vd_machine *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->last_violation, sizeof m->last_violation, fmt, ap);
    va_end(ap);
    m->violations++;
}

void vd_trace(struct vd_machine *m, const char *fmt, ...)
{
    (void)m;
    (void)fmt;
}

long vd_param(const struct vd_machine *m, const char *name, long def)
{
    for (int i = 0; i < m->n_params; i++)
        if (strcmp(m->param_name[i], name) == 0)
            return m->param_value[i];
    return def;
}

void fake_param(const char *name, long value)
{
    fake_m.param_name[fake_m.n_params] = name;
    fake_m.param_value[fake_m.n_params++] = value;
}

void vd_window_open(struct vd_machine *m, uint32_t base, uint32_t size, void *backing,
                    unsigned perms)
{
    (void)m, (void)base, (void)size, (void)backing, (void)perms;
}

void vd_window_close(struct vd_machine *m, uint32_t base, uint32_t size)
{
    (void)m, (void)base, (void)size;
}

enum vd_result fake_read(uint32_t addr, unsigned size, uint32_t *val)
{
    fake_m.now_ns += fake_m.step_ns;
    if (addr >= FAKE_RCC_BASE && addr < FAKE_RCC_BASE + sizeof fake_m.rcc) {
        *val = fake_m.rcc[(addr - FAKE_RCC_BASE) / 4];
        return VD_OK;
    }
    struct vd_periph *p = fake_m.p;
    if (!p || addr < p->base || addr - p->base >= p->size)
        return VD_UNMODELLED;
    if (!vd_clocked(&fake_m, p->gate)) {
        *val = 0;
        return VD_OK;
    }
    enum vd_result r = p->read(p->ctx, addr - p->base, size, val);
    fake_m.unmodelled += r == VD_UNMODELLED;
    return r;
}

enum vd_result fake_write(uint32_t addr, unsigned size, uint32_t val)
{
    fake_m.now_ns += fake_m.step_ns;
    if (addr >= FAKE_RCC_BASE && addr < FAKE_RCC_BASE + sizeof fake_m.rcc) {
        fake_m.rcc[(addr - FAKE_RCC_BASE) / 4] = val;
        return VD_OK;
    }
    struct vd_periph *p = fake_m.p;
    if (!p || addr < p->base || addr - p->base >= p->size)
        return VD_UNMODELLED;
    if (!vd_clocked(&fake_m, p->gate))
        return VD_OK;
    enum vd_result r = p->write(p->ctx, addr - p->base, size, val);
    fake_m.unmodelled += r == VD_UNMODELLED;
    return r;
}

/* The bus the STM32H750 HASH driver uses when built with H7_HASH_TEST_BUS. */
uint32_t h7_hash_test_read(uintptr_t addr)
{
    uint32_t v = 0;
    if (fake_read((uint32_t)addr, 4, &v) != VD_OK)
        fake_m.bus_errors++;
    return v;
}

void h7_hash_test_write(uintptr_t addr, uint32_t val)
{
    if (fake_write((uint32_t)addr, 4, val) != VD_OK)
        fake_m.bus_errors++;
}
