/*
 * fake_machine.h — a tiny stand-in for the virtual Daisy's machine, implementing vd_model.h for
 * the unit tests of the storage models: registers accesses go straight to one periph, windows
 * are recorded, time advances by FM_NS_PER_ACCESS per register access (so polling loops see the
 * models' bus and busy times pass), parameters come from a small table, violations are counted.
 */
#ifndef FAKE_MACHINE_H
#define FAKE_MACHINE_H

#include <stdbool.h>
#include <stdint.h>

#include "vd_model.h"

#define FM_NS_PER_ACCESS 10u

struct fm_window {
    uint32_t base, size;
    void *backing;
    unsigned perms;
    bool open;
};

struct vd_machine {
    struct vd_periph *periph;
    uint64_t now_ns;
    uint64_t clock_hz;
    struct fm_window win[2];
    unsigned violations;
    char last_violation[512];
    const char *params[16];
    unsigned n_params;
    bool irq[160];
};

void fm_init(struct vd_machine *m);
void fm_param(struct vd_machine *m, const char *name_eq_value);
uint32_t fm_rd(struct vd_machine *m, uint32_t off);
void fm_wr(struct vd_machine *m, uint32_t off, uint32_t val);
uint32_t fm_rd_n(struct vd_machine *m, uint32_t off, unsigned size);
void fm_wr_n(struct vd_machine *m, uint32_t off, unsigned size, uint32_t val);
void fm_advance(struct vd_machine *m, uint64_t ns);
/* The window at base, or NULL when closed. */
const struct fm_window *fm_window(const struct vd_machine *m, uint32_t base);

#endif
