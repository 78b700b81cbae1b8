/*
 * mem_rules.h — the placement rules of `h7boot check` (docs/memory.md lists them).
 *
 * Every rule has a stable id (H7-...), a level, and for each finding a message naming the
 * object/section, its address and region, plus the fix. Rules only read the board description
 * and the linked ELF file: which memory each DMA master reaches, which regions need
 * initialising, where the application slot is, all come from the board.
 */
#ifndef H7_MEM_RULES_H
#define H7_MEM_RULES_H

#include <stdio.h>

#include "mem_input.h"

enum h7_rule_level { H7_RULE_WARNING, H7_RULE_ERROR };

/* What puts the app in place (check --loader): the wording and some rules depend on it. */
enum h7_loader {
    H7_LOADER_DAISY,  /* the Daisy bootloader: raw image in the slot (the default) */
    H7_LOADER_H7BOOT, /* h7boot: initialises SDRAM first, keeps BOOT_RAM for itself */
    H7_LOADER_NONE,   /* no bootloader: the app is flashed at its addresses (BOOT_NONE) */
};

struct h7_rule_options {
    bool bin;              /* a raw .bin (objcopy -O binary) will be made of the ELF */
    enum h7_loader loader;
    uint32_t min_stack;    /* the stack margin below which H7-STACK-MARGIN fires */
    uint32_t max_bin;      /* largest sane .bin in bytes (H7-QSPI-BIN) */
};

struct h7_rule_info {
    const char *id;
    enum h7_rule_level level;
    const char *summary;
};

/* Every rule, ended by an entry with id NULL. */
extern const struct h7_rule_info h7_rules[];

/* A finding is reported through this callback; `fix` says what to change. */
typedef void (*h7_rule_report_fn)(void *ctx, const struct h7_rule_info *rule, const char *message,
                                  const char *fix);

/* Run every rule. Returns the number of error-level findings. */
size_t h7_rules_run(const struct h7_mem_input *in, const struct h7_rule_options *opt,
                    h7_rule_report_fn report, void *ctx);

#endif
