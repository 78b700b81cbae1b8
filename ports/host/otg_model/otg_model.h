/*
 * otg_model.h — a model of the STM32H750 OTG FS core's device-mode programming interface
 * (RM0433 §57.15.6), for host builds of ports/stm32h750/usb_dcd.c (H7_USB_DCD_MOCK): the
 * driver's register reads and writes (h7_mock_rd / h7_mock_wr) land here. What is modelled:
 * a receive FIFO with status entries popped through GRXSTSP, write-1-to-clear interrupt
 * registers (GINTSTS.OEPINT/IEPINT as the OR of the endpoint flags), self-clearing reset bits,
 * EP0 OUT/IN enable and STALL bits, and the EP0 transmit FIFO collected into packets. Any other
 * register is plain memory.
 *
 * Two layers, both used by tests/stm32h750/test_usb_dcd.c and the umockdev harness:
 *  - packets (otg_model_setup/out/in): what the host controller puts on the bus, one packet at
 *    a time; the caller runs the driver in between;
 *  - control transfers (otg_model_control): a whole control transfer as a host controller
 *    plays it, retrying NAKed packets while the device's main loop runs.
 *
 * It models the programming interface, not the silicon: nothing here proves the real core
 * behaves like this. One core per process (the driver has one static state too).
 */
#ifndef OTG_MODEL_H
#define OTG_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#define OTG_MODEL_NAKED (-1)   /* otg_model_out/in: the endpoint is not armed: NAK */
#define OTG_MODEL_STALLED (-2) /* otg_model_out/in: the endpoint answers STALL */

struct otg_model_stats {
    unsigned setups;     /* SETUP packets sent */
    unsigned in_packets; /* IN data packets taken (status ZLPs included) */
    unsigned out_packets;
    unsigned naks;       /* host tokens answered NAK (the endpoint was not armed) */
    unsigned stalls;     /* transfers ended by a STALL */
    unsigned resets;     /* bus resets */
    unsigned errors;     /* protocol errors the model saw (see otg_model_set_error_hook) */
};

/* Forget every register, FIFO and counter (a power-on). */
void otg_model_reset(void);
/* Called with a message on a driver or host misuse of the core (a FIFO read with nothing in it,
 * an IN packet whose FIFO words do not match its length...). Default: print it to stderr and
 * count it in stats.errors. */
void otg_model_set_error_hook(void (*hook)(const char *why));

/* Direct register access for tests (the cell the driver reads and writes). */
uint32_t *otg_model_reg(uint32_t addr);

/* ---- packet layer: the caller runs h7_usb_poll() after each ---- */
/* A SETUP packet (8 bytes) and its SETUP-done entry; clears an EP0 STALL, as the core does. */
void otg_model_setup(const uint8_t setup[8]);
/* An OUT data packet (n <= 64 bytes; 0: a status ZLP). 0, OTG_MODEL_NAKED or _STALLED. */
int otg_model_out(const uint8_t *data, uint32_t n);
/* Take the IN packet the driver queued into out[64]: its length, OTG_MODEL_NAKED or _STALLED. */
int otg_model_in(uint8_t *out);
/* USB reset on the bus, then enumeration done at full speed. */
void otg_model_bus_reset(void);
bool otg_model_stalled(void); /* both EP0 directions */

/* ---- transfer layer ---- */
/*
 * Let the device run after a packet went over the bus (nak false: the driver handles the
 * core's events) or while the host waits on a NAKed packet (nak true: time passes, the device
 * runs its main loop). Returns 0, or a negative errno value (e.g. -ENODEV: the device is gone)
 * that ends the transfer with that status.
 */
typedef int (*otg_model_run_fn)(void *ctx, bool nak);

#define OTG_MODEL_NAK_LIMIT 1000000u /* NAKs on one packet before the host gives up */

/*
 * One control transfer as a host controller plays it: the SETUP, then the data stage in
 * 64-byte packets (OUT: waiting for the driver to re-arm EP0 OUT before each; IN: collected
 * until a short packet, a ZLP or wLength), then the status stage. After every packet the
 * device runs (nak false); a packet NAKed runs it (nak true) and is sent again, up to
 * OTG_MODEL_NAK_LIMIT times.
 * data: the OUT stage's wLength bytes, or room for wLength IN bytes.
 * Returns the bytes transferred (OUT: wLength), -EPIPE on a STALL (as Linux reports it),
 * -ETIMEDOUT when NAKed past the limit, -EPROTO on a protocol error, or run()'s error.
 */
int otg_model_control(const uint8_t setup[8], uint8_t *data, otg_model_run_fn run, void *ctx);

const struct otg_model_stats *otg_model_stats(void);

#endif
