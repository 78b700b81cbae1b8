/*
 * vd_usb.h — the virtual Daisy's USB OTG FS core (ports/host/otg_model behind the machine) and a
 * host that enumerates the DFU device the firmware presents (vd_usb.c).
 */
#ifndef VD_USB_H
#define VD_USB_H

#include <stdio.h>

struct vd_machine;

/* Put the OTG FS core on the machine (0x40080000, gated by RCC_AHB1ENR.USB2OTGFSEN). */
void vd_usb_new(struct vd_machine *m);
/* Attach to the bus as a host would after the firmware had 20 ms to start the core, then read
 * the device's descriptors and DFU status; print usb_device=, usb_altN=, dfu_status=,
 * dfu_state= lines to out. 0, or -1 when the device did not answer (the run's report says why). */
int vd_usb_enumerate(struct vd_machine *m, FILE *out);

/* After vd_usb_enumerate: download data to addr on alt 0 as dfu-util's DfuSe mode does (erase
 * the 64 KB pages it touches, set the address, 2 KB blocks, GETSTATUS until idle), then leave
 * (zero-length DNLOAD). Prints dfu_downloaded=, dfu_leave_state= (or dfu_error=). 0 or -1. */
#include <stdint.h>
int vd_usb_dfuse_download(struct vd_machine *m, const uint8_t *data, uint32_t len, uint32_t addr,
                          FILE *out);

#endif
