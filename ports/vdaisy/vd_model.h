/*
 * vd_model.h — the contract between the virtual Daisy's machine (vd_machine.c: libunicorn,
 * memory map, run loop, exceptions, clock gates) and each peripheral model (vd_*.c).
 *
 * A model owns one block of registers [base, base + size) and its own state. The machine
 * routes every CPU access in that block to the model's read/write, after applying the RCC gate
 * (RM0433 §8.5.11: a peripheral whose kernel/bus clock is off ignores writes and reads as 0;
 * the machine, not the model, applies that rule from `gate`).
 *
 * Rules:
 *  - A model never returns made-up values for a register it does not model: it returns
 *    VD_UNMODELLED and the machine stops the run naming the address.
 *  - A rule of the manual that the firmware breaks is reported with vd_violation(), citing the
 *    section; the scenario decides whether a violation fails it (by default it does).
 *  - Where the manual is silent, the behaviour is a named parameter (vd_param) so scenarios run
 *    both ways.
 *  - Time: models see simulated nanoseconds (vd_now_ns), derived by the machine from executed
 *    instructions and the modelled clock; they never read the host clock.
 */
#ifndef VD_MODEL_H
#define VD_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vd_machine;

enum vd_result {
    VD_OK = 0,
    VD_BUS_FAULT,   /* the access gets a bus error (precise data abort / BusFault on the CPU) */
    VD_UNMODELLED,  /* no model for this register: the machine stops the run and names it */
};

/* The RCC enable bit that clocks a peripheral: register offset in RCC (0x58024400) and bit. */
struct vd_gate {
    uint16_t rcc_offset; /* 0: always clocked (core peripherals) */
    uint8_t bit;
};

struct vd_periph {
    const char *name;  /* "QUADSPI", "FMC", ... as in RM0433's memory map (§2.3.2 Table 8) */
    uint32_t base, size;
    struct vd_gate gate;
    void *ctx;
    /* size is 1, 2 or 4; off is relative to base. */
    enum vd_result (*read)(void *ctx, uint32_t off, unsigned size, uint32_t *val);
    enum vd_result (*write)(void *ctx, uint32_t off, unsigned size, uint32_t val);
    /* Called when simulated time advances (optional). */
    void (*tick)(void *ctx, uint64_t now_ns);
    /* Called on a modelled system reset (AIRCR.SYSRESETREQ, NRST) and at power-on (optional).
     * power_on is true only for a power cycle. */
    void (*reset)(void *ctx, bool power_on);
};

/* Register a model; the machine keeps the pointer. */
void vd_add_periph(struct vd_machine *m, struct vd_periph *p);

/* Memory windows that a model opens and closes (QSPI memory-mapped mode, SDRAM after its init
 * sequence). While closed, any CPU access to the range is a bus fault. `backing` is the model's
 * own storage (e.g. the NOR array): the CPU reads it directly while the window is open.
 * perms: VD_PERM_* bits. Opening again with other perms or backing replaces the mapping; the
 * machine drops any translated code of the range on every change. */
#define VD_PERM_READ 1u
#define VD_PERM_WRITE 2u
#define VD_PERM_EXEC 4u
void vd_window_open(struct vd_machine *m, uint32_t base, uint32_t size, void *backing,
                    unsigned perms);
void vd_window_close(struct vd_machine *m, uint32_t base, uint32_t size);

/* Simulated time since power-on, in nanoseconds. */
uint64_t vd_now_ns(const struct vd_machine *m);
/* Add stall time (e.g. a model that makes the CPU wait on a bus access). */
void vd_add_stall_ns(struct vd_machine *m, uint64_t ns);

/* Is the peripheral with this RCC gate clocked right now? */
bool vd_clocked(const struct vd_machine *m, struct vd_gate gate);
/* The current kernel clock of a peripheral as RCC is set up (Hz): "hclk3", "pll2r", ... as the
 * RCC model names them (see vd_rcc.h). 0 when unknown. */
uint64_t vd_clock_hz(const struct vd_machine *m, const char *clock);

/* Interrupt line n (RM0433 Table 145 position) to the NVIC: level high/low. */
void vd_irq(struct vd_machine *m, unsigned n, bool level);

/* A rule of the manual broken by the firmware: "QUADSPI: RM0433 §23.3.x: ...". printf-style. */
void vd_violation(struct vd_machine *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Trace line (shown with --trace). */
void vd_trace(struct vd_machine *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A named behaviour parameter for what the manual leaves open, set per scenario with
 * --param name=value; returns def when not set. Each model lists its parameters in its header. */
long vd_param(const struct vd_machine *m, const char *name, long def);

#endif
