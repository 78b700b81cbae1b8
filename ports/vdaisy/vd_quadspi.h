/*
 * vd_quadspi.h — model of the STM32H750 QUADSPI controller (RM0433 §23, registers §23.5), with
 * the IS25LP064A model (vd_is25lp064a.h) on bank 1. Written from RM0433, not from h7boot's
 * driver; every rule cites its section in vd_quadspi.c.
 *
 * Modelled: CR, DCR, SR (TEF, TCF, FTF, SMF, TOF, BUSY, FLEVEL), FCR, DLR, CCR, AR, ABR, DR
 * (byte/half-word/word), PSMKR, PSMAR, PIR, LPTR; indirect write and read, automatic status
 * polling, memory-mapped mode (the window at 0x90000000 opens read/execute onto the NOR array
 * only while FMODE = memory-mapped and EN = 1, after the model has checked with a probe read at
 * the wire that the programmed read command really returns the array), ABORT, TEF for an address
 * beyond 2^(FSIZE+1) in indirect/polling mode (the command is not sent), writes to registers that
 * RM0433 says "can be modified only when BUSY = 0" ignored (and reported) while BUSY.
 * Not modelled (a write that selects them is reported with vd_violation): DDR mode, dual-flash
 * mode, DMA requests, interrupts, the memory-mapped timeout counter (LPTR is kept, TOF never
 * set). Bus time: a command completes (((bits on the wires)) x (PRESCALER+1)) kernel clocks
 * after it starts; data moves between FIFO and flash without further delay.
 *
 * vd_param names (where RM0433 is silent; both values are tested):
 *   qspi.tef_sets_tcf=0|1    does TCF follow TEF (command refused for its address)? default 0
 *   qspi.idle_abort_tcf=0|1  does an ABORT with nothing in progress set TCF? default 0
 *                            (an abort of a command in progress, or of memory-mapped mode once
 *                            accessed, sets TCF: RM0433 §23.5.3 SR.TCF)
 *   qspi.float_level=0|1     level the controller samples on a line nobody drives (default 1)
 * and the nor.* parameters of vd_is25lp064a.h, which vd_quadspi_create passes to the flash.
 *
 * Clock: the kernel clock is asked from the machine as "qspi_ker" (RCC_D1CCIPR.QSPISEL), then
 * "hclk3"; 200 MHz when the machine answers 0 for both.
 */
#ifndef VD_QUADSPI_H
#define VD_QUADSPI_H

#include <stdbool.h>
#include <stdint.h>

#include "vd_model.h"

struct vd_is25lp064a;

#define VD_QUADSPI_BASE 0x52005000u
#define VD_QUADSPI_SIZE 0x1000u
#define VD_QUADSPI_WINDOW 0x90000000u
/* RCC_AHB3ENR (offset 0xD4) bit 14 QSPIEN (RM0433 §8.7.38). */
#define VD_QUADSPI_GATE_OFFSET 0xD4u
#define VD_QUADSPI_GATE_BIT 14u

/* Create the controller with nor on bank 1 and register nothing: the caller (the machine)
 * registers the returned periph with vd_add_periph. The flash stays owned by the caller.
 * Reads the qspi.* and nor.* parameters from m. */
struct vd_periph *vd_quadspi_create(struct vd_machine *m, struct vd_is25lp064a *nor);
void vd_quadspi_free(struct vd_periph *p);

/* Observation for tests and scenarios. */
bool vd_quadspi_window_open(const struct vd_periph *p);
unsigned vd_quadspi_commands(const struct vd_periph *p);  /* commands sent to the flash */
unsigned vd_quadspi_tef_count(const struct vd_periph *p); /* commands refused with TEF */

#endif
