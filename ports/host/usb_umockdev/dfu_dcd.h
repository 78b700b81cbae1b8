/*
 * dfu_dcd.h — the DFU class behind the STM32H750 USB device driver (ports/stm32h750/usb_dcd.c,
 * built over the OTG core model of ports/host/otg_model), as dfu_umockdev --through-dcd runs
 * it: every control request is played as packets through the model by a host controller. After
 * each packet the driver handles the core's events (h7_usb_poll until quiet); while the host
 * waits (a NAKed packet, the bwPollTimeout of a GETSTATUS reply) the device runs passes of
 * ports/stm32h750/boot_main.c's main loop (h7_usb_poll until quiet, then h7_dfu_poll), one per
 * simulated millisecond. See docs/dfu.md for why this time model.
 */
#ifndef DFU_DCD_H
#define DFU_DCD_H

#include <stdint.h>

#include "dfu_host.h"

#define DFU_DCD_ADDRESS 7 /* the bus address the "kernel" gives the device */

/* Power-on of the core and driver (h7_usb_init), then the host's bus reset and SET_ADDRESS.
 * 0, or a negative errno value (with a message on stderr). Call again after a reboot. */
int dfu_dcd_attach(struct dfu_host *h);

/* One control transfer, setup packet (8 bytes) then data (wLength bytes out, or room for them):
 * bytes transferred, or -EPIPE (STALL), -ENODEV (device gone), -ETIMEDOUT, -EPROTO. */
int dfu_dcd_control(struct dfu_host *h, const uint8_t setup[8], uint8_t *data);

/* Bus reset through the driver (it tells the class), then the main loop until idle and
 * SET_ADDRESS again, as the kernel re-enumerates. */
void dfu_dcd_bus_reset(struct dfu_host *h);

/* One line with the model's counters ("[otg] setups=... naks=... errors=..."). */
void dfu_dcd_print_summary(FILE *out);

#endif
