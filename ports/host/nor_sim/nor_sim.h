/*
 * nor_sim.h — the NOR flash simulator of h7boot (host only). The whole API is this header.
 *
 * A `struct nor_sim` is a RAM array behind the project's one flash interface (include/h7/flash.h):
 * pass `&sim->flash` to the store, the DFU backend or the bootloader core. It follows the NOR
 * rules of the Daisy Seed's IS25LP064A (facts: ../shared/facts/qspi-nor-flash.md):
 *   - erase sets every byte of one erase unit (erase_size or erase_size_large) to 0xFF;
 *   - program ANDs the new bytes into the old ones (only 1 -> 0);
 *   - one raw program command (ops->program) covers at most program_size bytes and WRAPS to the
 *     start of its page when it runs past the page end.
 * and adds what tests and benchmarks need:
 *   - counters: operations and bytes read / programmed / erased, and an erase count per smallest
 *     erase unit (a large erase counts once for each small unit it covers);
 *   - simulated time from the timing model (nor_sim.c, "Timing model": the one place where the
 *     numbers live), typical or worst case, with reads costing QSPI bus time at a configurable
 *     clock;
 *   - power cuts: nor_sim_cut_at(n) makes the n-th program or erase from now the one that power
 *     fails during. What that operation leaves depends on the fault model (enum nor_sim_fault).
 *     From then on every operation, reads included, returns H7_FLASH_EPOWER until
 *     nor_sim_power_on(). Reads never count towards n: they change nothing.
 *   - load/save of the whole array from/to a file (flash images for the DFU harness and QEMU).
 *
 * Not thread-safe; one simulator per test is the intended use.
 */
#ifndef NOR_SIM_H
#define NOR_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "h7/flash.h"

/* Which figure of the timing model an operation costs. */
enum nor_sim_timing {
    NOR_SIM_TYPICAL = 0,
    NOR_SIM_WORST_CASE = 1,
};

/* What the operation that power fails during leaves on the flash. */
enum nor_sim_fault {
    /* The interrupted operation does nothing at all. */
    NOR_SIM_CUT_CLEAN = 0,
    /* An interrupted program lands partly: either a prefix of its bytes or a random subset of
     * the bits it would clear (chosen at random each time). An interrupted erase is clean. */
    NOR_SIM_CUT_TORN_PROGRAM = 1,
    /* An interrupted erase leaves the unit partly erased: either a prefix of it reads 0xFF, or
     * every byte holds random extra 1 bits (chosen at random). An interrupted program is clean. */
    NOR_SIM_CUT_TORN_ERASE = 2,
    /* Both of the above. */
    NOR_SIM_CUT_TORN_ANY = 3,
};

struct nor_sim_config {
    uint32_t size;             /* bytes; a multiple of erase_size */
    uint32_t erase_size;       /* smallest erase unit, e.g. 4096 */
    uint32_t erase_size_large; /* larger erase unit (multiple of erase_size), or 0 */
    uint32_t program_size;     /* program page, e.g. 256; divides erase_size */
    uint32_t base;             /* bus address of offset 0 (informative; from the board file) */
    uint32_t qspi_hz;          /* QSPI clock for read bus time; 0 = NOR_SIM_DEFAULT_QSPI_HZ */
    enum nor_sim_timing timing;
    uint64_t seed; /* seed of the random choices made by torn cuts; 0 is a valid seed */
};

/* The Daisy Seed's flash chip geometry (IS25LP064A: 8 MB, 4 KB sectors, 64 KB blocks, 256 B
 * pages) with typical timing and base 0. Tests that want a smaller device change `size`. */
#define NOR_SIM_IS25LP064A                                                                         \
    ((struct nor_sim_config){                                                                      \
        .size = 8u << 20, .erase_size = 4096, .erase_size_large = 65536, .program_size = 256})

#define NOR_SIM_DEFAULT_QSPI_HZ 100000000u

struct nor_sim_stats {
    uint64_t reads, programs, erases; /* operations (raw commands) */
    uint64_t bytes_read, bytes_programmed, bytes_erased;
    uint64_t time_ns;        /* simulated time of every operation so far */
    uint64_t max_op_time_ns; /* slowest single operation */
};

struct nor_sim {
    struct h7_flash flash; /* give &sim->flash to flash users */
    /* Everything below is the simulator's; read it through the functions. */
    struct h7_flash_ops ops;
    struct nor_sim_config cfg;
    uint8_t *mem;
    uint32_t *unit_erases; /* per erase_size unit */
    struct nor_sim_stats stats;
    uint64_t cut_countdown; /* write ops left before the cut; 0 = no cut armed */
    enum nor_sim_fault cut_fault;
    int powered;
    uint64_t rng;
};

/* Set up a simulator with every byte erased (0xFF). Returns 0, or -1 with a message in err for a
 * bad geometry (names the field) or when memory runs out. */
int nor_sim_init(struct nor_sim *sim, const struct nor_sim_config *cfg, char *err, size_t errlen);
void nor_sim_free(struct nor_sim *sim);

/* Power cuts. nor_sim_cut_at(sim, n, fault), n >= 1: the n-th program or erase from now is
 * interrupted (fault says what it leaves) and power stays off afterwards. n = 0 disarms. */
void nor_sim_cut_at(struct nor_sim *sim, uint64_t n, enum nor_sim_fault fault);
/* 1 when power is off (a cut happened and nor_sim_power_on was not called since). */
int nor_sim_power_is_off(const struct nor_sim *sim);
/* Power back on: operations work again; any armed cut that did not fire is disarmed. */
void nor_sim_power_on(struct nor_sim *sim);

/* Counters. Reset clears operation counts, bytes and time, not the per-unit erase counts. */
const struct nor_sim_stats *nor_sim_stats(const struct nor_sim *sim);
void nor_sim_reset_stats(struct nor_sim *sim);
/* Erases of the erase_size unit with index `unit` (offset unit * erase_size); 0 if outside. */
uint32_t nor_sim_unit_erases(const struct nor_sim *sim, uint32_t unit);

/* Simulated duration of one operation under the simulator's timing model, in nanoseconds. */
uint64_t nor_sim_read_ns(const struct nor_sim *sim, uint32_t len);
uint64_t nor_sim_program_ns(const struct nor_sim *sim, uint32_t len);
uint64_t nor_sim_erase_ns(const struct nor_sim *sim, uint32_t size);

/* The array itself, for tests that inspect or corrupt flash directly (no counting, no cuts). */
uint8_t *nor_sim_data(struct nor_sim *sim);

/* Whole-array file I/O. Load: the file may be shorter than the device (the rest is left erased,
 * 0xFF) but not longer. Save writes exactly `size` bytes. Both return 0, or -1 with a message
 * naming the file in err. Neither counts as a flash operation. */
int nor_sim_load(struct nor_sim *sim, const char *path, char *err, size_t errlen);
int nor_sim_save(const struct nor_sim *sim, const char *path, char *err, size_t errlen);

#endif /* NOR_SIM_H */
