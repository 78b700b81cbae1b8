/*
 * is25lp064a.h — the ISSI IS25LP064A serial NOR flash on the Daisy Seed (8 MB): command codes,
 * status-register bits and times, from the ISSI data sheet (IS25LP032/064/128 rev. B) and the
 * command set libDaisy's src/dev/flash_IS25LP064A.h uses on this board.
 */
#ifndef IS25LP064A_H
#define IS25LP064A_H

#define IS25_CMD_WRITE_ENABLE 0x06u
#define IS25_CMD_READ_STATUS 0x05u
#define IS25_CMD_WRITE_STATUS 0x01u
#define IS25_CMD_SET_READ_PARAMS 0xC0u /* volatile read parameters (dummy cycles, drive) */
#define IS25_CMD_PAGE_PROGRAM 0x02u
#define IS25_CMD_SECTOR_ERASE_4K 0x20u
#define IS25_CMD_BLOCK_ERASE_64K 0xD8u
#define IS25_CMD_QUAD_IO_READ 0xEBu
#define IS25_CMD_RESET_ENABLE 0x66u
#define IS25_CMD_RESET 0x99u

#define IS25_SR_WIP 0x01u  /* write in progress */
#define IS25_SR_WEL 0x02u  /* write enable latch */
#define IS25_SR_BP_MASK 0x3Cu /* block protection BP0..BP3 */
#define IS25_SR_QE 0x40u   /* quad enable: IO2/IO3 are data, not WP#/HOLD# */
#define IS25_SR_SRWD 0x80u /* status register write disable (with WP# low) */
/* The status register h7boot keeps: no protection, quad enabled (as libDaisy's init). */
#define IS25_SR_DEFAULT IS25_SR_QE

/* Read parameters (Set Read Parameters 0xC0, volatile; data sheet "Read Register"): bits 7:5 output
 * driver strength, bits 4:3 dummy-cycle setting, bit 2 wrap enable, bits 1:0 burst length.
 * The dummy-cycle setting decides how fast the quad I/O read (0xEB) may be clocked; the data
 * sheet's "Read Dummy Cycles" table, as read here: setting 0b00 (power-up) gives 0xEB 6 clocks
 * (mode + dummy) for the lower clock range, setting 0b10 gives 8 clocks and the full 133 MHz.
 * h7boot sets 0b10, as libDaisy does on the Seed (0xF0: the same byte every Daisy app writes),
 * so the memory-mapped read may run at IS25_QUAD_READ_MAX_HZ. */
#define IS25_RP_DRIVE_DEFAULT (0x7u << 5) /* power-up drive strength */
#define IS25_RP_DUMMY_8 (0x2u << 3)       /* 0xEB: 8 clocks after the address, <= 133 MHz */
#define IS25_READ_PARAMS (IS25_RP_DRIVE_DEFAULT | IS25_RP_DUMMY_8) /* = 0xF0 */
#define IS25_QUAD_READ_CLOCKS 8u                                   /* mode byte + dummy */
#define IS25_QUAD_READ_MODE_CLOCKS 2u /* the 8-bit mode byte on 4 lines */
#define IS25_QUAD_READ_DUMMY (IS25_QUAD_READ_CLOCKS - IS25_QUAD_READ_MODE_CLOCKS) /* QUADSPI DCYC */
#define IS25_QUAD_READ_MAX_HZ 133000000u /* fastest 0xEB clock at IS25_RP_DUMMY_8 */
/* Mode byte of 0xEB. Not 0xAx, so the flash never enters continuous-read mode and every
 * access carries its instruction (an indirect command can follow at any time). */
#define IS25_QUAD_READ_MODE 0x00u

#define IS25_SIZE_LOG2 23u         /* 8 MB */
#define IS25_BLOCK_64K 0x10000u
#define IS25_PAGE 256u

/* Worst-case times (data sheet / libDaisy's header), with margin, in microseconds. */
#define IS25_RESET_US 100u           /* tRST after the reset command */
#define IS25_PROGRAM_TIMEOUT_US 5000u   /* page program: 0.8 ms max */
#define IS25_ERASE_TIMEOUT_US 2000000u  /* 64 KB erase: 1000 ms max (4 KB: 400 ms) */
#define IS25_STATUS_TIMEOUT_US 100000u  /* write status register: 15 ms max */
#define IS25_COMMAND_TIMEOUT_US 1000u   /* a command without a busy phase */

#endif /* IS25LP064A_H */
