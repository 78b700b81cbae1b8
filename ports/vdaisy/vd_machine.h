/*
 * vd_machine.h — the virtual Daisy Seed as a whole, seen from its user (the vdaisy CLI and the
 * scenario tests): build the machine, load the binaries, power it on, run it until something a
 * scenario waits for happens, read what happened.
 *
 * The models see only vd_model.h. This header adds what the machine itself offers: the memory
 * map and CPU (vd_machine.c), the core peripherals with exception entry/return (vd_scs.c), the
 * system models it consults for gates and clocks (vd_rcc.c, vd_pwr.c), and the board's pins
 * (vd_gpio.c).
 */
#ifndef VD_MACHINE_H
#define VD_MACHINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "vd_model.h"

/* STM32H750 memory map (RM0433 §2.3.2 Table 7/8, Cortex-M7 TCMs). */
#define VD_ITCM_BASE 0x00000000u
#define VD_ITCM_SIZE (64u * 1024u)
#define VD_FLASH_BASE 0x08000000u
#define VD_FLASH_SIZE (128u * 1024u)
#define VD_DTCM_BASE 0x20000000u
#define VD_DTCM_SIZE (128u * 1024u)
#define VD_AXI_BASE 0x24000000u
#define VD_AXI_SIZE (512u * 1024u)
#define VD_SRAM123_BASE 0x30000000u
#define VD_SRAM123_SIZE (288u * 1024u) /* SRAM1 128 K + SRAM2 128 K + SRAM3 32 K, contiguous */
#define VD_SRAM4_BASE 0x38000000u
#define VD_SRAM4_SIZE (64u * 1024u)
#define VD_BKPSRAM_BASE 0x38800000u
#define VD_BKPSRAM_SIZE (4u * 1024u)
#define VD_QSPI_WINDOW 0x90000000u
#define VD_QSPI_WINDOW_SIZE (256u * 1024u * 1024u)
#define VD_SDRAM_WINDOW 0xC0000000u
#define VD_SDRAM_WINDOW_SIZE (256u * 1024u * 1024u)

/* Why a run stopped. */
enum vd_stop {
    VD_STOP_NONE = 0,
    VD_STOP_APP_ENTRY,   /* the CPU reached the reset handler of the table VTOR points to */
    VD_STOP_ADDRESS,     /* a --until address was reached */
    VD_STOP_LED,         /* the LED toggled the requested number of times */
    VD_STOP_FAULT,       /* bus fault / undefined instruction / MPU: the CPU would fault */
    VD_STOP_UNMODELLED,  /* an access no model covers (the address is named) */
    VD_STOP_VIOLATION,   /* a rule of the manual broken (vd_violation) */
    VD_STOP_TIMEOUT,     /* simulated time limit */
    VD_STOP_RESET,       /* a modelled reset happened and the run was asked to stop there */
    VD_STOP_HOST,        /* machine error (bad file, libunicorn failure) */
};
const char *vd_stop_name(enum vd_stop s);

struct vd_run_limits {
    uint64_t timeout_ns;       /* simulated; 0 = no limit */
    bool stop_at_app;          /* stop at the first instruction of an app (VTOR changed) */
    uint32_t until[8];         /* stop when PC reaches one of these (Thumb bit ignored) */
    unsigned n_until;
    unsigned led_toggles;      /* stop after this many LED level changes; 0 = no limit */
    unsigned stop_after_resets;/* stop after this many modelled resets; 0 = keep running */
};

struct vd_machine *vd_machine_new(FILE *trace_out);
void vd_machine_free(struct vd_machine *m);
/* "name=value" (value in C syntax: 12, 0x1F, -1). Returns -1 on a malformed string. */
int vd_set_param(struct vd_machine *m, const char *name_eq_value);
/* Allow an unmodelled range: reads give 0, writes are dropped, each is traced. */
void vd_allow(struct vd_machine *m, uint32_t base, uint32_t size);

/* Internal flash contents: a raw .bin, or an ELF's loadable segments. Returns -1 with a message on error. */
int vd_load_flash(struct vd_machine *m, const char *bin_path);
/* Write bytes at a CPU address in RAM or internal flash (ELF loading, scenario set-up). */
int vd_poke(struct vd_machine *m, uint32_t addr, const void *buf, uint32_t len);
int vd_peek(struct vd_machine *m, uint32_t addr, void *buf, uint32_t len);
/* Load an ELF's PT_LOAD segments into RAM/flash (apps run without the bootloader). */
int vd_load_elf(struct vd_machine *m, const char *elf_path, uint32_t *entry);

/* Power on: every model reset(power_on = true), RAM random-free zeros, backup SRAM cleared
 * unless kept, CPU from the vector table at 0x08000000 (BOOT_ADD0 default, RM0433 §2.6). */
void vd_power_on(struct vd_machine *m);
/* A system reset as AIRCR.SYSRESETREQ does it (RM0433 §8.4.2): models reset(false), RAM and
 * backup SRAM kept, CPU restarted from the boot vector table. */
void vd_system_reset(struct vd_machine *m);

enum vd_stop vd_run(struct vd_machine *m, const struct vd_run_limits *lim);

/* What happened (valid after vd_run). */
struct vd_report {
    enum vd_stop stop;
    char why[256];          /* the address / rule / fault, in words */
    uint32_t pc, msp, vtor; /* at the stop */
    uint32_t r[4];          /* r0-r3 at the stop (a function's arguments at its entry) */
    uint64_t cycles, ns;    /* since power-on */
    uint64_t instructions;
    unsigned resets, violations, led_toggles, exceptions;
    unsigned mpu_regions;   /* enabled MPU regions at the last MPU enable */
    unsigned cache_ops;     /* cache maintenance register writes */
    uint64_t app_cycles;    /* cycles from the last reset to the app's first instruction */
    uint64_t app_ns;        /* simulated time of the same */
};
const struct vd_report *vd_report(const struct vd_machine *m);
/* The machine-readable summary: one "key=value" per line. */
void vd_print_report(const struct vd_machine *m, FILE *out);

/* Pins (vd_gpio.c): the LED's level trace and the button. */
bool vd_led_level(const struct vd_machine *m);
void vd_set_button(struct vd_machine *m, bool pressed);

/* Machine internals shared by the machine's own files (not for models). */
struct vd_rcc;
struct vd_pwr;
struct vd_scs;
struct vd_gpio;
struct vd_rcc *vd_rcc_new(struct vd_machine *m);
uint32_t vd_rcc_reg(const struct vd_rcc *r, uint32_t off);
uint64_t vd_rcc_clock_hz(const struct vd_rcc *r, const char *name);
struct vd_pwr *vd_pwr_new(struct vd_machine *m);
int vd_pwr_vos(const struct vd_pwr *p);       /* 0..3 (VOS0 = highest performance) */
bool vd_pwr_dbp(const struct vd_pwr *p);      /* backup domain writable */
unsigned vd_flash_latency(const struct vd_machine *m); /* FLASH_ACR.LATENCY */
void vd_flash_acr_new(struct vd_machine *m);
void vd_syscfg_new(struct vd_machine *m);
struct vd_gpio *vd_gpio_new(struct vd_machine *m);
void vd_bkpsram_new(struct vd_machine *m);
uint8_t *vd_bkpsram_mem(struct vd_machine *m);
/* Check the clock against VOS and flash wait states (RM0433 §4.3.8 Table 17, DS12556 §6.3.1);
 * called by RCC after every change of sys_ck or a prescaler, and by PWR after a VOS change. */
void vd_check_clock_rules(struct vd_machine *m, const char *after);
/* The LED pin changed level (called by the GPIO model). */
void vd_led_changed(struct vd_machine *m, bool level);

#endif
