/*
 * vd_daisy.h — the Daisy Seed board around the machine: QSPI NOR (file-backed, so a power
 * cycle keeps it) and SDRAM; ELF helpers for the CLI.
 */
#ifndef VD_DAISY_H
#define VD_DAISY_H

#include <stdint.h>

#include "vd_machine.h"

struct vd_daisy;
/* Create the board's external parts on m (after the parameters are set: the models read them
 * at creation). nor_file: the NOR contents file (created erased when missing); NULL: erased,
 * in memory only. */
struct vd_daisy *vd_daisy_new(struct vd_machine *m, const char *nor_file);
void vd_daisy_free(struct vd_daisy *d);
/* Memory as the CPU would see it, including the QSPI/SDRAM arrays while their windows are
 * closed (for checks after a run). */
int vd_daisy_peek(struct vd_daisy *d, uint32_t addr, void *buf, uint32_t len);
uint8_t *vd_daisy_nor(struct vd_daisy *d);
uint8_t *vd_daisy_sdram(struct vd_daisy *d);
int vd_elf_symbol(const char *elf_path, const char *name, uint32_t *value);

#endif
