/*
 * usb_dcd.h — USB OTG FS device controller of the STM32H750 (the USB2 OTG core on PA11/PA12,
 * the Daisy Seed's micro-USB), endpoint 0 only: enough for DFU, which uses control transfers
 * alone. RM0433 §57 (USB on-the-go full-speed/high-speed): §57.15.1 core initialisation,
 * §57.15.3 device initialisation, §57.15.6 (device programming model: endpoint 0, reading the
 * receive FIFO, writing the transmit FIFO), registers §57.14.
 *
 * The driver moves setup packets, data stages (64-byte packets, a zero-length packet when an IN
 * reply shorter than wLength ends on a packet boundary) and status stages; it answers
 * SET_ADDRESS itself (the address goes into DCFG.DAD at once: the core keeps using address 0
 * until the status stage has completed, RM0433 §57.15.6 "SET_ADDRESS"); every other request
 * goes to the class through `control` — same contract as h7_dfu_control(): IN reply length,
 * 0 for an OUT request accepted, H7_USB_NAK for "not now" (the driver NAKs the data or status
 * stage and asks again at every h7_usb_poll() until the class answers), any other negative value
 * for STALL. No class logic here.
 *
 * Polled: call h7_usb_poll() from the main loop (no interrupt, no vector table entry).
 */
#ifndef H7_USB_DCD_H
#define H7_USB_DCD_H

#include <stdbool.h>
#include <stdint.h>

#include "h7_dfu.h" /* struct h7_usb_setup */

#define H7_USB_EP0_SIZE 64u /* full-speed control endpoint packet size */
#define H7_USB_NAK (-2)     /* control(): cannot answer yet, ask again (= H7_DFU_NAK) */

struct h7_usb_class {
    void *ctx;
    /* One control request (see above). buf holds at least `buf_size` bytes. */
    int (*control)(void *ctx, const struct h7_usb_setup *setup, uint8_t *buf);
    /* Bus reset seen (after the driver reset its own state). May be NULL. */
    void (*bus_reset)(void *ctx);
    uint8_t *buf;      /* data stage buffer: wLength of a request must fit */
    uint16_t buf_size;
};

/* Power the USB transceiver, reset the core, configure device mode at full speed and connect
 * (D+ pull-up on). The PLL1 Q 48 MHz kernel clock must run (h7_clock_init). 0 or -1. */
int h7_usb_init(const struct h7_usb_class *cls);
/* Handle every pending event of the core; returns true if something happened. */
bool h7_usb_poll(void);
/* True when no control transfer is in progress (the last status stage went out). */
bool h7_usb_idle(void);
/* Soft disconnect (D+ pull-up off) and stop the core: the host sees the device leave. */
void h7_usb_detach(void);

#endif /* H7_USB_DCD_H */
