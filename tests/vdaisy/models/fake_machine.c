/* fake_machine.c — see fake_machine.h. */
#include "fake_machine.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fm_init(struct vd_machine *m)
{
    memset(m, 0, sizeof *m);
    m->clock_hz = 200000000u;
}

void fm_param(struct vd_machine *m, const char *name_eq_value)
{
    if (m->n_params < sizeof m->params / sizeof m->params[0])
        m->params[m->n_params++] = name_eq_value;
}

void vd_add_periph(struct vd_machine *m, struct vd_periph *p) { m->periph = p; }

void vd_window_open(struct vd_machine *m, uint32_t base, uint32_t size, void *backing,
                    unsigned perms)
{
    struct fm_window *w = &m->win[base >= 0xC0000000u];
    *w = (struct fm_window){base, size, backing, perms, true};
}

void vd_window_close(struct vd_machine *m, uint32_t base, uint32_t size)
{
    (void)size;
    m->win[base >= 0xC0000000u].open = false;
}

const struct fm_window *fm_window(const struct vd_machine *m, uint32_t base)
{
    const struct fm_window *w = &m->win[base >= 0xC0000000u];
    return w->open && w->base == base ? w : NULL;
}

uint64_t vd_now_ns(const struct vd_machine *m) { return m->now_ns; }
void vd_add_stall_ns(struct vd_machine *m, uint64_t ns) { m->now_ns += ns; }
void fm_advance(struct vd_machine *m, uint64_t ns) { m->now_ns += ns; }
bool vd_clocked(const struct vd_machine *m, struct vd_gate gate)
{
    (void)m;
    (void)gate;
    return true;
}

uint64_t vd_clock_hz(const struct vd_machine *m, const char *clock)
{
    (void)clock;
    return m->clock_hz;
}

void vd_irq(struct vd_machine *m, unsigned n, bool level)
{
    if (n < sizeof m->irq)
        m->irq[n] = level;
}

void vd_violation(struct vd_machine *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->last_violation, sizeof m->last_violation, fmt, ap);
    va_end(ap);
    m->violations++;
    if (getenv("FM_VERBOSE"))
        fprintf(stderr, "violation: %s\n", m->last_violation);
}

void vd_trace(struct vd_machine *m, const char *fmt, ...)
{
    (void)m;
    if (!getenv("FM_VERBOSE"))
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

long vd_param(const struct vd_machine *m, const char *name, long def)
{
    size_t n = strlen(name);
    for (unsigned i = 0; i < m->n_params; i++)
        if (strncmp(m->params[i], name, n) == 0 && m->params[i][n] == '=')
            return strtol(m->params[i] + n + 1, NULL, 0);
    return def;
}

uint32_t fm_rd_n(struct vd_machine *m, uint32_t off, unsigned size)
{
    uint32_t v = 0xDEADBEEFu;
    m->now_ns += FM_NS_PER_ACCESS;
    if (m->periph->read(m->periph->ctx, off, size, &v) != VD_OK)
        v = 0xDEADBEEFu;
    return v;
}

void fm_wr_n(struct vd_machine *m, uint32_t off, unsigned size, uint32_t val)
{
    m->now_ns += FM_NS_PER_ACCESS;
    m->periph->write(m->periph->ctx, off, size, val);
}

uint32_t fm_rd(struct vd_machine *m, uint32_t off) { return fm_rd_n(m, off, 4); }
void fm_wr(struct vd_machine *m, uint32_t off, uint32_t val) { fm_wr_n(m, off, 4, val); }
