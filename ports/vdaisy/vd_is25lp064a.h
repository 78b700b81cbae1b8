/*
 * vd_is25lp064a.h — model of the ISSI IS25LP064A serial NOR flash (8 MB) on the Daisy Seed,
 * written from the ISSI IS25LP032/064/128 data sheet (sections cited in vd_is25lp064a.c), not
 * from h7boot's drivers.
 *
 * The flash is modelled at the wire: the QUADSPI model lowers nCS (select), then drives the
 * clock one cycle at a time with the levels it puts on IO0..IO3 and samples what the flash puts
 * there (clock), then raises nCS (deselect), where program/erase/status writes take effect. So a
 * command sent on the wrong number of lines, a wrong dummy count, a flash left in QPI or in
 * continuous-read (AXh) mode, or a mode-bit reset all behave as the wires make them behave.
 *
 * What it holds: the 8 MB array (backed by a file so a power cycle keeps it), the status register
 * (WIP, WEL, BP0-3, QE, SRWD; BP/QE/SRWD non-volatile, kept in "<file>.sr"), the volatile read
 * parameters (dummy cycles), SPI/QPI mode, continuous-read mode, reset-enable latch, and the
 * busy time of the last program/erase/status write (WIP) from the data sheet's AC table.
 *
 * vd_param names (read by vd_is25lp064a_configure, applied at the first power-on):
 *   nor.timing=0|1        0: typical program/erase/WRSR times (default), 1: maximum times
 *   nor.sr=N              status register found at power-on (e.g. 0x9C: SRWD, BP0-2, QE
 *                         clear); -1 (default): as the backing file left it (0x00 when new)
 *   nor.continuous=0|1    1: found in continuous-read (AXh) mode, as an app that used mode
 *                         byte 0xAx leaves it across an MCU reset (default 0)
 *   nor.qpi=0|1           1: found in QPI mode (35h) (default 0)
 *   nor.dead=0|1          1: the flash never drives a line (absent, broken solder) (default 0)
 *   nor.cut_at=N          cut the power at the start of the N-th program/erase/WRSR (1-based;
 *                         0 = never, default): the operation is left half done and the flash
 *                         stops answering; vd_is25lp064a_power_cut() says it happened
 *   nor.wp_level=0|1      level on IO2 (WP#) while the controller does not drive it (board
 *                         pull-up / GPIO); default 1
 *   nor.hold_level=0|1    the same for IO3 (HOLD#): 0 holds a flash whose QE is clear; default 1
 */
#ifndef VD_IS25LP064A_H
#define VD_IS25LP064A_H

#include <stdbool.h>
#include <stdint.h>

struct vd_machine;
struct vd_is25lp064a;

#define VD_IS25_SIZE (8u * 1024u * 1024u)
#define VD_IS25_PAGE 256u

/* Status register bits (data sheet §6.1, Table 6.1). */
#define VD_IS25_SR_WIP 0x01u
#define VD_IS25_SR_WEL 0x02u
#define VD_IS25_SR_BP_MASK 0x3Cu
#define VD_IS25_SR_QE 0x40u
#define VD_IS25_SR_SRWD 0x80u

/* A flash with every byte erased (0xFF), or the contents of backing_file (created, 8 MB of 0xFF,
 * when missing). NULL: nothing is kept after vd_is25lp064a_free. Returns NULL with a message on
 * stderr when the file cannot be used. */
struct vd_is25lp064a *vd_is25lp064a_create(const char *backing_file);
void vd_is25lp064a_free(struct vd_is25lp064a *f);

/* Read the nor.* parameters above from the machine (m may be NULL: defaults) and keep m for
 * traces. Called by vd_quadspi_create. */
void vd_is25lp064a_configure(struct vd_is25lp064a *f, struct vd_machine *m);

/* Power: volatile state lost (WEL, read parameters, QPI, continuous mode, reset latch), the
 * non-volatile status bits and the array kept. An operation in progress at the cut is left
 * half done. The first call also applies nor.sr / nor.continuous / nor.qpi. */
void vd_is25lp064a_power_on(struct vd_is25lp064a *f);

/* The wire. select: nCS falls at now_ns. clock: one SCLK cycle; host_io = levels the controller
 * drives on IO0..IO3 (bit n = IOn), host_oe = which of them it drives; returns the levels the
 * flash drives and sets *flash_oe to which lines it drives (undriven lines: the caller decides).
 * deselect: nCS rises; a complete program/erase/status write starts here. */
void vd_is25lp064a_select(struct vd_is25lp064a *f, uint64_t now_ns);
uint8_t vd_is25lp064a_clock(struct vd_is25lp064a *f, uint8_t host_io, uint8_t host_oe,
                            uint8_t *flash_oe);
void vd_is25lp064a_deselect(struct vd_is25lp064a *f);

/* The array, for the QUADSPI memory-mapped window (read directly by the CPU). */
uint8_t *vd_is25lp064a_array(struct vd_is25lp064a *f);

/* The last transaction, as the flash understood it: true when it was an array read whose data
 * phase began; then the array address of its first byte, the lines it drove data on and the
 * clock (counted from nCS falling, first clock = 0) of the first data bit. The QUADSPI model
 * checks a memory-mapped read command with it. */
bool vd_is25lp064a_last_read(const struct vd_is25lp064a *f, uint32_t *start_addr,
                             unsigned *data_lines, unsigned *first_data_clock);

/* Observation (tests, scenarios). */
uint8_t vd_is25lp064a_status(const struct vd_is25lp064a *f, uint64_t now_ns);
void vd_is25lp064a_set_status(struct vd_is25lp064a *f, uint8_t sr); /* non-volatile bits */
bool vd_is25lp064a_continuous(const struct vd_is25lp064a *f);
void vd_is25lp064a_set_continuous(struct vd_is25lp064a *f, bool on);
bool vd_is25lp064a_qpi(const struct vd_is25lp064a *f);
uint8_t vd_is25lp064a_read_params(const struct vd_is25lp064a *f);
/* Dummy clocks (mode clocks included, as the data sheet counts them) a read command needs with
 * the current read parameters; -1 for a command that is not a read. */
int vd_is25lp064a_dummy_cycles(const struct vd_is25lp064a *f, uint8_t cmd);
unsigned vd_is25lp064a_programs(const struct vd_is25lp064a *f); /* completed page programs */
unsigned vd_is25lp064a_erases(const struct vd_is25lp064a *f);   /* completed erases */
unsigned vd_is25lp064a_sr_writes(const struct vd_is25lp064a *f);
unsigned vd_is25lp064a_refused(const struct vd_is25lp064a *f);  /* refused: WEL/protection */
/* The last command byte decoded (0 when none) and whether the flash was driven dead/cut. */
uint8_t vd_is25lp064a_last_command(const struct vd_is25lp064a *f);
bool vd_is25lp064a_power_cut(const struct vd_is25lp064a *f);
void vd_is25lp064a_cut_at(struct vd_is25lp064a *f, unsigned nth_write);
void vd_is25lp064a_set_dead(struct vd_is25lp064a *f, bool dead);

#endif
