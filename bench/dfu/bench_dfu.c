/*
 * bench_dfu — what "skip unchanged pages" saves, and what a wholly new image costs. The DFU
 * class over the NOR simulator (ports/host/nor_sim, IS25LP064A timing model, typical figures),
 * driven with the request sequence dfu-util 0.11 sends for
 * `dfu-util -a 0 -s SLOT:leave -D app.bin`:
 *   1. a 1 MB raw image over a different 1 MB image already in the slot (after the first 64 KB
 *      block the class erases whole blocks: dfu_flash.c, erase_unit());
 *   2. the same image again with one 4 KB page changed (at the start of a block);
 *   3. the same image again with its first 4 KB page changed;
 * against the naive way (erase every page the image covers, program every page) in the same run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dfu_host.h"

#define IMAGE_SIZE (1u << 20)

static struct dfu_host host;
static uint8_t buf[H7_DFU_XFER_MAX];

/* dfu-util's DfuSe download of one element, with :leave; the board then resets into the
 * bootloader's DFU again. */
static int download(uint32_t addr, const uint8_t *img, uint32_t size)
{
    int rc = dfu_host_dfuse_erase(&host, addr, size, 65536, buf) ||
             dfu_host_dfuse_write(&host, addr, img, size, buf) ||
             dfu_host_dfuse_leave(&host, addr, buf);
    dfu_host_reboot(&host);
    return rc ? -1 : 0;
}

static void report(const char *what, const struct nor_sim_stats *s)
{
    /* erases of 64 KB: the bytes erased beyond one 4 KB sector per erase command */
    unsigned long long big = (s->bytes_erased - s->erases * 4096) / (65536 - 4096);
    printf("  %-44s %8.1f ms  %5llu erases (%2llu of 64 KB)  %5llu programs\n", what,
           s->time_ns / 1e6, (unsigned long long)s->erases, big,
           (unsigned long long)s->programs);
}

int main(void)
{
    char err[300];
    struct dfu_host_options o = {.board = "daisy-seed"};
    if (dfu_host_init(&host, &o, err, sizeof(err))) {
        fprintf(stderr, "bench_dfu: %s\n", err);
        return 1;
    }
    const struct h7_range *slot = h7_board_range(&host.board, H7_RANGE_SLOT, NULL);
    uint32_t slot_off = slot->origin - host.sim.cfg.base;
    uint8_t *old = malloc(IMAGE_SIZE), *img = malloc(IMAGE_SIZE);
    srand(1);
    for (uint32_t i = 0; i < IMAGE_SIZE; i++) {
        old[i] = (uint8_t)rand();
        img[i] = (uint8_t)rand();
    }
    /* raw images: SP at the top of DTCM-like RAM, reset vector in the slot (from the board) */
    const struct h7_region *dtcm = h7_board_region(&host.board, "DTCM");
    for (uint8_t *p = old; p; p = p == old ? img : NULL) {
        uint32_t sp = dtcm->origin + dtcm->length, rv = slot->origin + 0x199;
        memcpy(p, &sp, 4);
        memcpy(p + 4, &rv, 4);
    }
    if (download(slot->origin, old, IMAGE_SIZE)) {
        fprintf(stderr, "bench_dfu: preparing the old image failed\n");
        return 1;
    }
    printf("DFU flash work, 1 MB raw image into the %s slot at 0x%08x\n", host.board.name,
           slot->origin);
    printf("(NOR simulator, IS25LP064A typical: 4 KB erase 45 ms, 64 KB erase 150 ms, page "
           "program 0.2 ms; reads at 100 MHz quad)\n");

    nor_sim_reset_stats(&host.sim);
    if (download(slot->origin, img, IMAGE_SIZE))
        return 1;
    struct nor_sim_stats full = *nor_sim_stats(&host.sim);
    report("h7boot: new image over an old one", &full);

    img[IMAGE_SIZE / 2 + 100] ^= 0x5A; /* one 4 KB page changes */
    nor_sim_reset_stats(&host.sim);
    if (download(slot->origin, img, IMAGE_SIZE))
        return 1;
    struct nor_sim_stats one = *nor_sim_stats(&host.sim);
    report("h7boot: same image, one 4 KB page changed", &one);

    img[100] ^= 0x5A; /* now the first 4 KB page changes */
    nor_sim_reset_stats(&host.sim);
    if (download(slot->origin, img, IMAGE_SIZE))
        return 1;
    report("h7boot: same image, first 4 KB page changed", nor_sim_stats(&host.sim));

    /* the naive way: erase every page the image covers, program every page */
    nor_sim_reset_stats(&host.sim);
    if (h7_flash_erase(&host.sim.flash, slot_off, IMAGE_SIZE) ||
        h7_flash_program(&host.sim.flash, slot_off, img, IMAGE_SIZE))
        return 1;
    struct nor_sim_stats naive = *nor_sim_stats(&host.sim);
    report("naive: erase all, program all (each time)", &naive);

    printf("  ratio naive / h7boot, full image:       %.2fx time\n",
           (double)naive.time_ns / full.time_ns);
    printf("  ratio naive / h7boot, one page changed: %.1fx time, %.1fx erases, %.1fx programs\n",
           (double)naive.time_ns / one.time_ns, (double)naive.erases / (one.erases ? one.erases : 1),
           (double)naive.programs / (one.programs ? one.programs : 1));
    free(old);
    free(img);
    dfu_host_free(&host);
    return 0;
}
