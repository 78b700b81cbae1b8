/*
 * h7_runtime.h — start-up for applications linked with a script from `h7boot ld`.
 *
 * The script exports two tables (tools/h7boot/cmd_ld.c writes them):
 *   __h7_copy_table_start..end   { load address, run address, bytes } for every section with
 *                                contents that runs in RAM but is stored elsewhere
 *   __h7_zero_table_start..end   { address, bytes } for every zero-initialised section
 * in every region. h7_runtime_init_memory() first calls h7_memory_init() when the application
 * (or its board port) defines one — that is where SDRAM is set up — then walks both tables,
 * so .data and .bss of ITCM, DTCM, AXI SRAM, D2/D3 SRAM and SDRAM are all initialised.
 * Sizes and addresses are multiples of 4 (the script aligns every section to 4 bytes).
 *
 * A reset handler built on it:
 *
 *     void Reset_Handler(void) { h7_runtime_start(main); for (;;) {} }
 *
 * Nothing here may live in a region the tables fill: the runtime runs from the code region.
 */
#ifndef H7_RUNTIME_H
#define H7_RUNTIME_H

#include <stdint.h>

struct h7_copy_entry {
    const uint32_t *src;
    uint32_t *dst;
    uint32_t bytes;
};

struct h7_zero_entry {
    uint32_t *dst;
    uint32_t bytes;
};

/* Defined by the application or board port when memory needs setting up before it is filled
 * (SDRAM: FMC and device initialisation). Optional: `h7boot check` warns (H7-SDRAM-DATA) when
 * initialised data lives in SDRAM and this is missing. */
void h7_memory_init(void) __attribute__((weak));

/* Run h7_memory_init() if defined, then copy and zero every region. Returns the number of
 * table entries processed (for tests). */
uint32_t h7_runtime_init_memory(void);

/* Run the C/C++ constructors (__preinit_array, __init_array). */
void h7_runtime_constructors(void);

/* h7_runtime_init_memory(), the constructors, then main_fn; returns what main_fn returned. */
int h7_runtime_start(int (*main_fn)(void));

#endif
