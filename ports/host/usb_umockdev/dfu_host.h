/*
 * dfu_host.h — the DFU class as a "device" in a Linux process: a board description, the NOR
 * flash simulator as its QSPI, simulated RAM for the RAM target and a stand-in for the
 * bootloader's own flash for the read-only views. The umockdev harness (dfu_umockdev.c) and the
 * replay/power-cut tests (tests/dfu/) both drive the class through this.
 *
 * The device runs its "main loop" (h7_dfu_poll) after every control request, on a simulated
 * millisecond clock, so jobs are always finished before the next request arrives.
 */
#ifndef DFU_HOST_H
#define DFU_HOST_H

#include <stdbool.h>
#include <stdio.h>

#include "h7/board.h"
#include "h7_dfu.h"
#include "nor_sim.h"

#define DFU_HOST_DEAD (-3) /* dfu_host_control(): the device is gone (power cut or left) */

struct dfu_host_mem {
    uint32_t addr, size;
    uint8_t *data;
};

struct dfu_host_options {
    const char *board;      /* board name or .board path; NULL: "daisy-seed" */
    const char *flash_in;   /* initial QSPI content (file), or NULL: erased */
    uint16_t vid, pid;      /* 0: the class defaults */
    uint64_t cut_at;        /* power cut at the n-th flash program/erase, 0: none */
    enum nor_sim_fault cut_fault;
    uint64_t seed;          /* torn-cut randomness */
    FILE *trace;            /* record every control request here (dfu_host_replay format) */
    int verbose;            /* log requests to stderr */
};

struct dfu_host {
    struct h7_board board;
    struct nor_sim sim;
    struct h7_dfu dfu;
    struct h7_dfu_layout_store layout; /* built from the board at run time */
    struct h7_dfu_config cfg;
    uint8_t job_buf[H7_DFU_XFER_MAX];
    struct h7_dfu_mem_ops mem_ops;
    struct dfu_host_mem mems[H7_BOARD_MAX_REGIONS];
    unsigned n_mems;
    uint32_t now_ms;
    bool dead;  /* power was cut: the device answers nothing any more */
    bool left;  /* the device left DFU mode (leave); it comes back on the next open */
    struct h7_dfu_leave leave; /* the last leave */
    unsigned leaves;
    FILE *trace;
    int verbose;
};

/* Set up board, flash, memories and the class. Returns 0, or -1 with a message in err. */
int dfu_host_init(struct dfu_host *h, const struct dfu_host_options *o, char *err, size_t errlen);
void dfu_host_free(struct dfu_host *h);

/* One control request as the USB host sends it (NAKs are retried after running the device's
 * main loop). Returns the reply length, H7_DFU_STALL, or DFU_HOST_DEAD. */
int dfu_host_control(struct dfu_host *h, const struct h7_usb_setup *s, uint8_t *buf);

/* The same for an interface request (wIndex 0) built from its fields: an OUT request's `data`
 * (len bytes, may be NULL) is copied into buf first; an IN request's reply lands in buf. */
int dfu_host_request(struct dfu_host *h, uint8_t type, uint8_t request, uint16_t value,
                     uint16_t len, const void *data, uint8_t *buf);

/*
 * What dfu-util 0.11 sends for a DfuSe download, for tests and benchmarks that drive the class
 * without it. Each returns -1 once the device stops answering (power cut, left) or a job does
 * not finish; buf receives the replies (at least wTransferSize bytes).
 *  - dnload: DNLOAD(block, data), then GETSTATUS until the job is done: its bStatus.
 *  - dfuse_command: a DfuSe command with an address (0x21 SET_ADDRESS, 0x41 ERASE): its bStatus.
 *  - dfuse_erase: ERASE of every `page`-byte page that [addr, addr + len) touches: 0 or -1.
 *  - dfuse_write: data blocks of wTransferSize, each after a SET_ADDRESS: 0 or -1.
 *  - dfuse_leave: ABORT, GETSTATUS, SET_ADDRESS addr, zero-length DNLOAD; 0 when the device
 *    answered dfuMANIFEST and left (it is not rebooted: dfu_host_reboot()).
 */
int dfu_host_dnload(struct dfu_host *h, uint16_t block, const void *data, uint16_t len,
                    uint8_t *buf);
int dfu_host_dfuse_command(struct dfu_host *h, uint8_t cmd, uint32_t addr, uint8_t *buf);
int dfu_host_dfuse_erase(struct dfu_host *h, uint32_t addr, uint32_t len, uint32_t page,
                         uint8_t *buf);
int dfu_host_dfuse_write(struct dfu_host *h, uint32_t addr, const uint8_t *data, uint32_t len,
                         uint8_t *buf);
int dfu_host_dfuse_leave(struct dfu_host *h, uint32_t addr, uint8_t *buf);

/* The device's main loop: one pass (h7_dfu_poll on the next simulated millisecond; notes a
 * power cut in `dead` and a leave in `left`), and passes until idle, dead or left. */
enum h7_dfu_poll_result dfu_host_step(struct dfu_host *h);
void dfu_host_run(struct dfu_host *h);
/* Record a request in the trace (if any); log a request and its answer (if verbose). */
void dfu_host_trace(struct dfu_host *h, const struct h7_usb_setup *s, const uint8_t *buf);
void dfu_host_log(const struct dfu_host *h, const struct h7_usb_setup *s, int r,
                  const uint8_t *buf);

/* USB bus reset / host gone: the class ends any download (verify, commit) before returning. */
void dfu_host_bus_reset(struct dfu_host *h);

/* The device came back in DFU mode (after a leave): a fresh class over the same flash. */
void dfu_host_reboot(struct dfu_host *h);

/* Replay a trace recorded with dfu_host_options.trace: every request in order, stopping when
 * the device dies. Returns the number of requests replayed, or -1 on a malformed file. */
long dfu_host_replay(struct dfu_host *h, FILE *trace);

/* One line with the class and simulator counters, for logs and tests to grep. */
void dfu_host_print_summary(const struct dfu_host *h, FILE *out);

#endif
