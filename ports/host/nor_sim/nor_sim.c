/* nor_sim.c — NOR flash simulator: NOR rules, counters, timing model, power cuts, file I/O. */
#include "nor_sim.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Timing model — the ONE place where the flash timing numbers live. Every simulated time printed
 * by a test or benchmark comes from here; quote them with the figures.
 * Source: ../shared/facts/qspi-nor-flash.md (IS25LP064A; worst cases as libDaisy's driver header
 * gives them).
 *
 *   operation                typical   worst case
 *   page program (<= 256 B)  0.2 ms    0.8 ms      charged per program command, whatever its
 *                                                  length (a conservative simplification)
 *   4 KB sector erase        45 ms     400 ms
 *   64 KB block erase        150 ms    1000 ms
 *   read                     QSPI bus time: command (8 clocks, 1 line) + 24-bit address on 4
 *                            lines (6 clocks) + 6 dummy clocks (mode byte included, as libDaisy
 *                            configures quad I/O fast read 0xEB), then 2 clocks per byte.
 *
 * Program and erase commands also cost their own bus time (command, address, data at 2 clocks per
 * byte), which is small next to the array time. Write-enable and status polling are not charged.
 * Other erase sizes (a 32 KB block, or a custom geometry) are charged pro rata between the two
 * known points: the sector time when smaller than 64 KB, the block time scaled by size above it.
 */
#define NOR_T_PAGE_PROGRAM_TYP_NS 200000ull
#define NOR_T_PAGE_PROGRAM_MAX_NS 800000ull
#define NOR_T_ERASE_4K_TYP_NS 45000000ull
#define NOR_T_ERASE_4K_MAX_NS 400000000ull
#define NOR_T_ERASE_64K_TYP_NS 150000000ull
#define NOR_T_ERASE_64K_MAX_NS 1000000000ull
#define NOR_BUS_CMD_CLOCKS 8u
#define NOR_BUS_ADDR_CLOCKS 6u
#define NOR_BUS_READ_DUMMY_CLOCKS 6u
#define NOR_BUS_CLOCKS_PER_BYTE 2u

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (!err || !errlen)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static uint64_t bus_ns(const struct nor_sim *sim, uint64_t clocks)
{
    return (clocks * 1000000000ull + sim->cfg.qspi_hz - 1) / sim->cfg.qspi_hz;
}

uint64_t nor_sim_read_ns(const struct nor_sim *sim, uint32_t len)
{
    return bus_ns(sim, NOR_BUS_CMD_CLOCKS + NOR_BUS_ADDR_CLOCKS + NOR_BUS_READ_DUMMY_CLOCKS +
                           (uint64_t)NOR_BUS_CLOCKS_PER_BYTE * len);
}

uint64_t nor_sim_program_ns(const struct nor_sim *sim, uint32_t len)
{
    uint64_t array = sim->cfg.timing == NOR_SIM_WORST_CASE ? NOR_T_PAGE_PROGRAM_MAX_NS
                                                           : NOR_T_PAGE_PROGRAM_TYP_NS;
    return array + bus_ns(sim, NOR_BUS_CMD_CLOCKS + NOR_BUS_ADDR_CLOCKS +
                                   (uint64_t)NOR_BUS_CLOCKS_PER_BYTE * len);
}

uint64_t nor_sim_erase_ns(const struct nor_sim *sim, uint32_t size)
{
    int worst = sim->cfg.timing == NOR_SIM_WORST_CASE;
    uint64_t t4k = worst ? NOR_T_ERASE_4K_MAX_NS : NOR_T_ERASE_4K_TYP_NS;
    uint64_t t64k = worst ? NOR_T_ERASE_64K_MAX_NS : NOR_T_ERASE_64K_TYP_NS;
    uint64_t array;
    if (size <= 4096u)
        array = t4k;
    else if (size < 65536u)
        array = t4k + (t64k - t4k) * (size - 4096u) / (65536u - 4096u);
    else
        array = t64k * (size / 65536u);
    return array + bus_ns(sim, NOR_BUS_CMD_CLOCKS + NOR_BUS_ADDR_CLOCKS);
}

/* xorshift64*: deterministic random choices for torn cuts. */
static uint64_t rng_next(struct nor_sim *sim)
{
    uint64_t x = sim->rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    sim->rng = x;
    return x * 0x2545F4914F6CDD1Dull;
}

static uint32_t rng_below(struct nor_sim *sim, uint32_t n)
{
    return n ? (uint32_t)(rng_next(sim) % n) : 0;
}

static void charge(struct nor_sim *sim, uint64_t ns)
{
    sim->stats.time_ns += ns;
    if (ns > sim->stats.max_op_time_ns)
        sim->stats.max_op_time_ns = ns;
}

/* Called before each program/erase that passed validation. Returns 1 when this operation is the
 * one power fails during (the caller applies the fault), 0 to run it normally. */
static int cut_fires(struct nor_sim *sim)
{
    if (!sim->cut_countdown)
        return 0;
    if (--sim->cut_countdown)
        return 0;
    sim->powered = 0;
    return 1;
}

static int sim_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
    struct nor_sim *sim = ctx;
    if (!sim->powered)
        return H7_FLASH_EPOWER;
    if (off > sim->cfg.size || len > sim->cfg.size - off)
        return H7_FLASH_EINVAL;
    memcpy(buf, sim->mem + off, len);
    sim->stats.reads++;
    sim->stats.bytes_read += len;
    charge(sim, nor_sim_read_ns(sim, len));
    return H7_FLASH_OK;
}

/* Program byte i of a command at page offset `col`: wraps inside the page. */
static uint8_t *program_target(struct nor_sim *sim, uint32_t page, uint32_t col, uint32_t i)
{
    return sim->mem + page + (col + i) % sim->cfg.program_size;
}

static void torn_program(struct nor_sim *sim, uint32_t page, uint32_t col, const uint8_t *src,
                         uint32_t len)
{
    if (rng_next(sim) & 1) {
        /* A prefix of the bytes lands. */
        uint32_t n = rng_below(sim, len + 1);
        for (uint32_t i = 0; i < n; i++)
            *program_target(sim, page, col, i) &= src[i];
    } else {
        /* A random subset of the bits to be cleared is cleared. */
        for (uint32_t i = 0; i < len; i++)
            *program_target(sim, page, col, i) &= (uint8_t)(src[i] | (uint8_t)rng_next(sim));
    }
}

static int sim_program(void *ctx, uint32_t off, const void *buf, uint32_t len)
{
    struct nor_sim *sim = ctx;
    const uint8_t *src = buf;
    if (!sim->powered)
        return H7_FLASH_EPOWER;
    if (len == 0 || len > sim->cfg.program_size || off >= sim->cfg.size)
        return H7_FLASH_EINVAL;
    uint32_t page = off - off % sim->cfg.program_size;
    uint32_t col = off % sim->cfg.program_size;
    charge(sim, nor_sim_program_ns(sim, len));
    if (cut_fires(sim)) {
        if (sim->cut_fault & NOR_SIM_CUT_TORN_PROGRAM)
            torn_program(sim, page, col, src, len);
        return H7_FLASH_EPOWER;
    }
    for (uint32_t i = 0; i < len; i++)
        *program_target(sim, page, col, i) &= src[i];
    sim->stats.programs++;
    sim->stats.bytes_programmed += len;
    return H7_FLASH_OK;
}

static void torn_erase(struct nor_sim *sim, uint8_t *unit, uint32_t size)
{
    if (rng_next(sim) & 1) {
        memset(unit, 0xFF, rng_below(sim, size + 1));
    } else {
        for (uint32_t i = 0; i < size; i++)
            unit[i] |= (uint8_t)rng_next(sim);
    }
}

static int sim_erase(void *ctx, uint32_t off, uint32_t size)
{
    struct nor_sim *sim = ctx;
    if (!sim->powered)
        return H7_FLASH_EPOWER;
    int size_ok = size == sim->cfg.erase_size ||
                  (sim->cfg.erase_size_large && size == sim->cfg.erase_size_large);
    if (!size_ok || off % size || off >= sim->cfg.size || size > sim->cfg.size - off)
        return H7_FLASH_EINVAL;
    charge(sim, nor_sim_erase_ns(sim, size));
    /* A cut erase still wore the cells: count it in the per-unit wear. */
    for (uint32_t u = off / sim->cfg.erase_size; u < (off + size) / sim->cfg.erase_size; u++)
        sim->unit_erases[u]++;
    if (cut_fires(sim)) {
        if (sim->cut_fault & NOR_SIM_CUT_TORN_ERASE)
            torn_erase(sim, sim->mem + off, size);
        return H7_FLASH_EPOWER;
    }
    memset(sim->mem + off, 0xFF, size);
    sim->stats.erases++;
    sim->stats.bytes_erased += size;
    return H7_FLASH_OK;
}

int nor_sim_init(struct nor_sim *sim, const struct nor_sim_config *cfg, char *err, size_t errlen)
{
    memset(sim, 0, sizeof *sim);
    if (!cfg->erase_size || !cfg->program_size || cfg->erase_size % cfg->program_size) {
        set_err(err, errlen,
                "nor_sim: erase_size %u must be a non-zero multiple of "
                "program_size %u",
                cfg->erase_size, cfg->program_size);
        return -1;
    }
    if (!cfg->size || cfg->size % cfg->erase_size) {
        set_err(err, errlen, "nor_sim: size %u must be a non-zero multiple of erase_size %u",
                cfg->size, cfg->erase_size);
        return -1;
    }
    if (cfg->erase_size_large &&
        (cfg->erase_size_large % cfg->erase_size || cfg->size % cfg->erase_size_large)) {
        set_err(err, errlen,
                "nor_sim: erase_size_large %u must be a multiple of erase_size %u "
                "and divide size %u",
                cfg->erase_size_large, cfg->erase_size, cfg->size);
        return -1;
    }
    sim->cfg = *cfg;
    if (!sim->cfg.qspi_hz)
        sim->cfg.qspi_hz = NOR_SIM_DEFAULT_QSPI_HZ;
    sim->mem = malloc(cfg->size);
    sim->unit_erases = calloc(cfg->size / cfg->erase_size, sizeof *sim->unit_erases);
    if (!sim->mem || !sim->unit_erases) {
        nor_sim_free(sim);
        set_err(err, errlen, "nor_sim: out of memory for a %u-byte device", cfg->size);
        return -1;
    }
    memset(sim->mem, 0xFF, cfg->size);
    sim->ops = (struct h7_flash_ops){.read = sim_read, .program = sim_program, .erase = sim_erase};
    sim->flash = (struct h7_flash){.ops = &sim->ops,
                                   .ctx = sim,
                                   .base = cfg->base,
                                   .size = cfg->size,
                                   .erase_size = cfg->erase_size,
                                   .erase_size_large = cfg->erase_size_large,
                                   .program_size = cfg->program_size};
    sim->powered = 1;
    /* xorshift must not start at 0; mix the seed so that 0 is a valid seed too. */
    sim->rng = (cfg->seed ^ 0x9E3779B97F4A7C15ull) | 1;
    return 0;
}

void nor_sim_free(struct nor_sim *sim)
{
    free(sim->mem);
    free(sim->unit_erases);
    sim->mem = NULL;
    sim->unit_erases = NULL;
}

void nor_sim_cut_at(struct nor_sim *sim, uint64_t n, enum nor_sim_fault fault)
{
    sim->cut_countdown = n;
    sim->cut_fault = fault;
}

int nor_sim_power_is_off(const struct nor_sim *sim)
{
    return !sim->powered;
}

void nor_sim_power_on(struct nor_sim *sim)
{
    sim->powered = 1;
    sim->cut_countdown = 0;
}

const struct nor_sim_stats *nor_sim_stats(const struct nor_sim *sim)
{
    return &sim->stats;
}

void nor_sim_reset_stats(struct nor_sim *sim)
{
    memset(&sim->stats, 0, sizeof sim->stats);
}

uint32_t nor_sim_unit_erases(const struct nor_sim *sim, uint32_t unit)
{
    return unit < sim->cfg.size / sim->cfg.erase_size ? sim->unit_erases[unit] : 0;
}

uint8_t *nor_sim_data(struct nor_sim *sim)
{
    return sim->mem;
}

int nor_sim_load(struct nor_sim *sim, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        set_err(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    memset(sim->mem, 0xFF, sim->cfg.size);
    size_t n = fread(sim->mem, 1, sim->cfg.size, f);
    int rc = 0;
    if (ferror(f)) {
        set_err(err, errlen, "%s: read error: %s", path, strerror(errno));
        rc = -1;
    } else if (n == sim->cfg.size && fgetc(f) != EOF) {
        set_err(err, errlen, "%s: larger than the %u-byte flash device", path, sim->cfg.size);
        rc = -1;
    }
    fclose(f);
    return rc;
}

int nor_sim_save(const struct nor_sim *sim, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        set_err(err, errlen, "%s: cannot create: %s", path, strerror(errno));
        return -1;
    }
    size_t n = fwrite(sim->mem, 1, sim->cfg.size, f);
    int bad = n != sim->cfg.size;
    if (fclose(f) != 0 || bad) {
        set_err(err, errlen, "%s: write error: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}
