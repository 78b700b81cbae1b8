/*
 * vd_internal.h — the machine's state, shared by the machine's own files (vd_machine.c,
 * vd_scs.c, vd_rcc.c, vd_pwr.c, vd_gpio.c). Models never include this: they see vd_model.h.
 */
#ifndef VD_INTERNAL_H
#define VD_INTERNAL_H

#include <unicorn/unicorn.h>

#include "vd_machine.h"

#define VD_MAX_PERIPH 48u
#define VD_MAX_PAGES 128u
#define VD_MAX_WINDOWS 8u
#define VD_MAX_PARAMS 48u
#define VD_MAX_ALLOW 8u
#define VD_BCACHE 4096u /* translated-block instruction counts, direct mapped */
#define VD_PAGE 0x1000u

struct vd_window {
    uint32_t base, size;
    void *backing;
    unsigned perms;
    bool open;
};

struct vd_param_kv {
    char name[48];
    long value;
    bool used;
};

struct vd_bcache_entry {
    uint32_t addr;
    uint32_t size;
    uint32_t insns;
};

struct vd_machine {
    uc_engine *uc;
    FILE *trace;
    struct vd_periph *periph[VD_MAX_PERIPH];
    unsigned n_periph;
    uint32_t pages[VD_MAX_PAGES]; /* 4 KB pages routed to models through uc_mmio_map */
    unsigned n_pages;
    uint8_t *flash, *itcm, *dtcm, *axi, *sram123, *sram4;
    struct vd_window win[VD_MAX_WINDOWS];
    unsigned n_win;
    struct vd_param_kv params[VD_MAX_PARAMS];
    unsigned n_params;
    struct { uint32_t base, size; } allow[VD_MAX_ALLOW];
    unsigned n_allow;

    /* Time: cycles of the CPU clock, and nanoseconds; ps_rest carries the fraction. */
    uint64_t cycles, instructions, ns, ps_rest;
    uint64_t cpu_hz;
    uint64_t reset_cycles, reset_ns; /* cycles and time at the last reset */
    /* Wait states of the cycle model (see docs/vdaisy.md), read once from parameters. */
    unsigned ws_qspi_data, ws_qspi_fetch, ws_sdram, ws_axi, ws_sram;

    const struct vd_run_limits *lim;
    bool stop_req, reset_req, exc_req;
    uint32_t block_pc; /* start of the translated block being executed */
    uint32_t fault_addr;
    struct vd_report rep;
    bool app_seen;
    uint32_t boot_vtor;

    struct vd_rcc *rcc;
    struct vd_pwr *pwr;
    struct vd_scs *scs;
    struct vd_gpio *gpio;
    uint32_t flash_acr;
    bool led;

    struct vd_bcache_entry bcache[VD_BCACHE];
    void *owned[256]; /* model state the machine frees */
    unsigned n_owned;
};

/* Zeroed memory that lives as long as the machine. */
void *vd_alloc(struct vd_machine *m, size_t size);

/* Ask the run loop to stop with this reason (first reason wins). */
void vd_stop_with(struct vd_machine *m, enum vd_stop why, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Refresh the cached CPU frequency after a clock change. */
void vd_clock_changed(struct vd_machine *m);

/* Core peripherals (vd_scs.c): SCB, SysTick, NVIC, MPU, DWT, cache maintenance; exception
 * entry and return (ARMv7-M ARM §B1.5.6-§B1.5.8). */
struct vd_scs *vd_scs_new(struct vd_machine *m);
void vd_scs_reset(struct vd_machine *m);
uint32_t vd_scs_vtor(const struct vd_machine *m);
void vd_scs_advance(struct vd_machine *m, uint64_t cycles);
bool vd_scs_exception_ready(struct vd_machine *m);
int vd_scs_take_exception(struct vd_machine *m, unsigned exc, uint32_t return_pc);
int vd_scs_take_pending(struct vd_machine *m);
int vd_scs_exception_return(struct vd_machine *m, uint32_t exc_return);
void vd_scs_pend(struct vd_machine *m, unsigned exc, bool level);
bool vd_scs_exec_allowed(struct vd_machine *m, uint32_t addr);
void vd_scs_fill_report(const struct vd_machine *m, struct vd_report *r);

#endif
