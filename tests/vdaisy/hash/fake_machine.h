/*
 * fake_machine.h — the few machine functions of vd_model.h a model unit test needs
 * (fake_machine.c). Not the virtual Daisy: no CPU, no memory map beyond one model and RCC.
 */
#ifndef FAKE_MACHINE_H
#define FAKE_MACHINE_H

#include <stdint.h>

#include "vd_model.h"

#define FAKE_RCC_BASE 0x58024400u
#define FAKE_MAX_PARAMS 8

struct vd_machine {
    struct vd_periph *p;
    uint32_t rcc[0x200 / 4];
    uint64_t now_ns, stall_ns, step_ns;
    const char *param_name[FAKE_MAX_PARAMS];
    long param_value[FAKE_MAX_PARAMS];
    int n_params;
    int violations, unmodelled, bus_errors;
    char last_violation[256];
};

extern struct vd_machine fake_m;

void fake_machine_reset(void);
void fake_param(const char *name, long value);
/* A CPU access of `size` bytes: RCC registers, or the model (gated). */
enum vd_result fake_read(uint32_t addr, unsigned size, uint32_t *val);
enum vd_result fake_write(uint32_t addr, unsigned size, uint32_t val);

#endif
