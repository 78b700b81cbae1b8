/* test_dfu_class — the DFU class driven request by request (no USB, no dfu-util): the state
 * machine's answers, each error status, and that a refused request changes nothing; when the
 * flash writes use a large (64 KB) erase and when they must not, and power cuts around one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "dfu_host.h"
#include "h7_image.h"
#include "h7_image_write.h"

static struct dfu_host h;
static uint8_t buf[H7_DFU_XFER_MAX];

static int req(uint8_t type, uint8_t r, uint16_t value, uint16_t len, const void *data)
{
    return dfu_host_request(&h, type, r, value, len, data, buf);
}

static uint8_t status_state(uint8_t *status)
{
    assert_int_equal(req(0xA1, 3, 0, 6, NULL), 6);
    *status = buf[0];
    return buf[4];
}

/* A DfuSe command; returns the bStatus after the job (first answer must be dfuDNBUSY). */
static uint8_t command(const uint8_t *c, uint16_t len)
{
    uint8_t st;
    assert_int_equal(req(0x21, 1, 0, len, c), 0);
    assert_int_equal(status_state(&st), H7_DFU_DNBUSY);
    assert_int_not_equal(buf[1] | buf[2] << 8 | buf[3] << 16, 0); /* never a zero timeout */
    status_state(&st);
    return st;
}

static uint8_t addr_cmd(uint8_t op, uint32_t a)
{
    uint8_t c[5] = {op, (uint8_t)a, (uint8_t)(a >> 8), (uint8_t)(a >> 16), (uint8_t)(a >> 24)};
    return command(c, 5);
}

static void clear(void)
{
    assert_int_equal(req(0x21, 4, 0, 0, NULL), 0);
}

static int setup(void **state)
{
    (void)state;
    char err[200];
    struct dfu_host_options o = {.board = "daisy-seed"};
    return dfu_host_init(&h, &o, err, sizeof(err));
}

static int teardown(void **state)
{
    (void)state;
    dfu_host_free(&h);
    return 0;
}

static uint64_t flash_writes(void)
{
    return nor_sim_stats(&h.sim)->programs + nor_sim_stats(&h.sim)->erases;
}

static void test_errors_change_nothing(void **state)
{
    (void)state;
    uint8_t st;
    const struct h7_range *slot = h7_board_range(&h.board, H7_RANGE_SLOT, NULL);
    const struct h7_range *boot = h7_board_range(&h.board, H7_RANGE_RESERVED, "BOOTLOADER");
    assert_int_equal(status_state(&st), H7_DFU_IDLE);

    /* unknown address */
    assert_int_equal(addr_cmd(0x21, 0x50000000), H7_DFU_ERR_TARGET);
    assert_int_equal(status_state(&st), H7_DFU_ERROR);
    assert_int_equal(req(0x21, 1, 0, 5, "\x21\0\0\0\0"), H7_DFU_STALL); /* not in dfuERROR */
    clear();
    assert_int_equal(status_state(&st), H7_DFU_IDLE);

    /* malformed command, READ UNPROTECT */
    assert_int_equal(command((const uint8_t *)"\x21\0\0", 3), H7_DFU_ERR_UNKNOWN);
    clear();
    assert_int_equal(command((const uint8_t *)"\x92", 1), H7_DFU_ERR_VENDOR);
    clear();

    /* write into the read-only bootloader view (alt 2) */
    assert_int_equal(req(0x01, 11, 2, 0, NULL), 0);
    assert_int_equal(addr_cmd(0x21, boot->origin), H7_DFU_OK);
    assert_int_equal(addr_cmd(0x41, boot->origin), H7_DFU_ERR_TARGET);
    clear();
    assert_int_equal(req(0x21, 1, 2, 16, "0123456789abcdef"), 0);
    status_state(&st);
    status_state(&st);
    assert_int_equal(st, H7_DFU_ERR_TARGET);
    clear();
    assert_int_equal(req(0x01, 11, 0, 0, NULL), 0);

    /* QSPI: a write into flash that holds data and was not erased */
    memset(nor_sim_data(&h.sim) + (slot->origin - h.sim.cfg.base) + 8192, 0x00, 16);
    assert_int_equal(addr_cmd(0x21, slot->origin + 8192), H7_DFU_OK);
    assert_int_equal(req(0x21, 1, 2, 16, "0123456789abcdef"), 0);
    status_state(&st);
    status_state(&st);
    assert_int_equal(st, H7_DFU_ERR_CHECK_ERASED);
    clear();

    /* a block past the end of the segment */
    assert_int_equal(addr_cmd(0x21, slot->origin + slot->length - 8), H7_DFU_OK);
    assert_int_equal(req(0x21, 1, 2, 16, "0123456789abcdef"), 0);
    status_state(&st);
    status_state(&st);
    assert_int_equal(st, H7_DFU_ERR_ADDRESS);
    clear();

    /* upload past the end of a segment */
    assert_int_equal(addr_cmd(0x21, slot->origin), H7_DFU_OK);
    assert_int_equal(req(0x21, 6, 0, 0, NULL), 0);
    assert_int_equal(req(0xA1, 2, 2 + slot->length / 4096, 4096, NULL), H7_DFU_STALL);
    assert_int_equal(status_state(&st), H7_DFU_ERROR);
    assert_int_equal(st, H7_DFU_ERR_ADDRESS);
    clear();

    assert_int_equal(flash_writes(), 0); /* none of it touched the flash */
    assert_int_equal(h7_dfu_stats(&h.dfu)->commits, 0);
}

static void test_get_commands_and_descriptors(void **state)
{
    (void)state;
    assert_int_equal(req(0xA1, 2, 0, 16, NULL), 4);
    assert_memory_equal(buf, "\x00\x21\x41\x92", 4);
    assert_int_equal(req(0x21, 6, 0, 0, NULL), 0);
    assert_int_equal(req(0x80, 6, 0x0100, 18, NULL), 18);
    assert_int_equal(buf[8] | buf[9] << 8, 0x0483);
    assert_int_equal(buf[10] | buf[11] << 8, 0xdf11);
    assert_int_equal(req(0x80, 6, 0x0200, 255, NULL), 9 + 9 * 3 + 9);
    assert_int_equal(buf[9 + 9 * 3 + 1], 0x21); /* DFU functional descriptor */
    assert_int_equal(buf[9 + 9 * 3 + 7] | buf[9 + 9 * 3 + 8] << 8, 0x011a);
    assert_int_equal(req(0x80, 6, 0x0399, 255, NULL), H7_DFU_STALL);
    assert_string_equal(h7_dfu_alt_name(&h.dfu, 0), "@Flash /0x90000000/128*64Kg");
}

/* ---- large erases (dfu_flash.c, erase_unit): the class driven as dfu-util drives it ---- */

#define SECTOR 4096u
#define BLOCK 65536u

static uint32_t slot_addr, slot_off; /* bus address, flash offset */
static uint32_t commits;             /* images committed by the last download */
static uint8_t old[4 * BLOCK], img[4 * BLOCK]; /* the image in the slot, the new one */
static uint8_t before[8u << 20];     /* the flash before a download (power-cut sweep) */

static int block_setup(void **state)
{
    int rc = setup(state);
    const struct h7_range *slot = h7_board_range(&h.board, H7_RANGE_SLOT, NULL);
    slot_addr = slot->origin;
    slot_off = slot->origin - h.sim.cfg.base;
    assert_int_equal(h.sim.cfg.erase_size, SECTOR);
    assert_int_equal(h.sim.cfg.erase_size_large, BLOCK);
    return rc;
}

static int erase_pages(uint32_t addr, uint32_t len, uint32_t page)
{
    return dfu_host_dfuse_erase(&h, addr, len, page, buf);
}

static int write_data(uint32_t addr, const uint8_t *p, uint32_t len)
{
    return dfu_host_dfuse_write(&h, addr, p, len, buf);
}

/* The leave at addr; the board comes back in DFU mode. 0: left after dfuMANIFEST. */
static int leave(uint32_t addr)
{
    int rc = dfu_host_dfuse_leave(&h, addr, buf);
    commits = h7_dfu_stats(&h.dfu)->commits;
    dfu_host_reboot(&h);
    return rc;
}

/* `dfu-util -a 0 -s ADDR:leave -D file` with 64 KB DfuSe pages. */
static int download(uint32_t addr, const uint8_t *p, uint32_t len)
{
    return erase_pages(addr, len, BLOCK) || write_data(addr, p, len) || leave(addr) ? -1 : 0;
}

static uint32_t rng = 1;
static void fill_random(uint8_t *p, uint32_t n)
{
    while (n--) {
        rng = rng * 1103515245u + 12345u;
        *p++ = (uint8_t)(rng >> 16);
    }
}

/* A raw Daisy image (vector table first: SP at the top of DTCM, reset vector in the slot). */
static void raw_image(uint8_t *p, uint32_t size)
{
    fill_random(p, size);
    const struct h7_region *dtcm = h7_board_region(&h.board, "DTCM");
    assert_non_null(dtcm);
    h7_put_le32(p, dtcm->origin + dtcm->length);
    h7_put_le32(p + 4, slot_addr + 0x199);
}

/* The bootloader's check of a raw image in the slot. */
static bool slot_bootable(void)
{
    const uint8_t *s = nor_sim_data(&h.sim) + slot_off;
    const uint32_t words[2] = {h7_le32(s), h7_le32(s + 4)};
    return h7_image_raw_reset_region(&h.board, words) != NULL;
}

static bool slot_holds(const uint8_t *img, uint32_t size)
{
    return memcmp(nor_sim_data(&h.sim) + slot_off, img, size) == 0;
}

/* Large erases in the last download: erased bytes beyond one sector per erase command. */
static uint64_t large_erases(void)
{
    const struct nor_sim_stats *st = nor_sim_stats(&h.sim);
    return (st->bytes_erased - st->erases * SECTOR) / (BLOCK - SECTOR);
}

/* A new 256 KB image over a different one: the first block goes sector by sector (nothing
 * says yet that the whole image is new), the three after it in one 64 KB erase each; every
 * sector is erased exactly once. Then the same image with one sector changed: one sector
 * erase there, one for the commit word, no large erase. */
static void test_new_image_uses_block_erases(void **state)
{
    (void)state;
    const uint32_t size = 4 * BLOCK;
    raw_image(old, size);
    raw_image(img, size);
    memcpy(nor_sim_data(&h.sim) + slot_off, old, size); /* the old image, committed */
    assert_true(slot_bootable());

    assert_int_equal(download(slot_addr, img, size), 0);
    assert_true(slot_holds(img, size));
    assert_true(slot_bootable());
    assert_int_equal(commits, 1);
    assert_int_equal(nor_sim_stats(&h.sim)->erases, 16 + 3);
    assert_int_equal(large_erases(), 3);
    for (uint32_t u = slot_off / SECTOR; u < (slot_off + size) / SECTOR; u++)
        assert_int_equal(nor_sim_unit_erases(&h.sim, u), 1);
    assert_int_equal(nor_sim_unit_erases(&h.sim, (slot_off + size) / SECTOR), 0);

    /* one sector changed, at the start of a block (where a large erase would be decided) */
    img[2 * BLOCK + 100] ^= 0x5A;
    nor_sim_reset_stats(&h.sim);
    assert_int_equal(download(slot_addr, img, size), 0);
    assert_true(slot_holds(img, size));
    assert_true(slot_bootable());
    assert_int_equal(nor_sim_stats(&h.sim)->erases, 2);
    assert_int_equal(large_erases(), 0);
    assert_int_equal(nor_sim_unit_erases(&h.sim, (slot_off + 2 * BLOCK) / SECTOR), 2);
}

/* Data written earlier in the same download to the tail of a block is not erase-requested any
 * more (it was written since the ERASE): that block is never erased whole, even in a streak. */
static void test_block_written_earlier_is_not_block_erased(void **state)
{
    (void)state;
    const uint32_t size = 2 * BLOCK, half = BLOCK / 2;
    raw_image(old, size);
    raw_image(img, size);
    memcpy(nor_sim_data(&h.sim) + slot_off, old, size);

    /* both pages erased once; the tail of the second block written first, then the rest */
    assert_int_equal(erase_pages(slot_addr, size, BLOCK), 0);
    assert_int_equal(write_data(slot_addr + BLOCK + half, img + BLOCK + half, half), 0);
    assert_int_equal(write_data(slot_addr, img, BLOCK + half), 0);
    assert_int_equal(leave(slot_addr), 0);
    assert_true(slot_holds(img, size));
    assert_true(slot_bootable());
    assert_int_equal(nor_sim_stats(&h.sim)->erases, 32);
    assert_int_equal(large_erases(), 0);
}

/* With 4 KB DfuSe pages the host can ask for part of a block: an element that ends in the
 * middle of a block, next to data it must not touch. After a full block (a streak) the
 * partly requested block still goes sector by sector, and the data after the element
 * survives. */
static void test_partly_requested_block_is_not_block_erased(void **state)
{
    (void)state;
    const char *why = NULL;
    const struct h7_dfu_layout_params lp = {.page_size = SECTOR};
    assert_int_equal(h7_dfu_layout_build(&h.layout, &h.board, &lp, &why), 0);
    assert_int_equal(h7_dfu_init(&h.dfu, &h.cfg), 0);
    assert_string_equal(h7_dfu_alt_name(&h.dfu, 0), "@Flash /0x90000000/2048*4Kg");

    const uint32_t size = BLOCK + BLOCK / 2; /* ends in the middle of the second block */
    raw_image(old, 2 * BLOCK);
    raw_image(img, size);
    memcpy(nor_sim_data(&h.sim) + slot_off, old, 2 * BLOCK);

    assert_int_equal(erase_pages(slot_addr, size, SECTOR), 0);
    assert_int_equal(write_data(slot_addr, img, size), 0);
    assert_int_equal(leave(slot_addr), 0);
    assert_true(slot_holds(img, size));
    assert_true(slot_bootable());
    assert_memory_equal(nor_sim_data(&h.sim) + slot_off + size, old + size, 2 * BLOCK - size);
    assert_int_equal(nor_sim_stats(&h.sim)->erases, 16 + 8);
    assert_int_equal(large_erases(), 0);
    for (uint32_t u = (slot_off + size) / SECTOR; u < (slot_off + 2 * BLOCK) / SECTOR; u++)
        assert_int_equal(nor_sim_unit_erases(&h.sim, u), 0);
}

/* A power cut at every flash operation of a download that uses a large erase (a 72 KB image:
 * the first block sector by sector, the second block in one erase), under each fault model:
 * the slot never passes the boot check unless it holds the whole old or the whole new image;
 * from the large erase on it never holds the old one bootable; a download after the cut
 * brings the new image, committed. */
static void test_power_cut_around_block_erase(void **state)
{
    (void)state;
    const uint32_t size = BLOCK + 2 * SECTOR;
    raw_image(old, size);
    raw_image(img, size);
    assert_int_equal(h.sim.cfg.size, sizeof(before));
    memcpy(nor_sim_data(&h.sim) + slot_off, old, size);
    memcpy(before, nor_sim_data(&h.sim), h.sim.cfg.size);

    assert_int_equal(download(slot_addr, img, size), 0); /* uncut: how many operations */
    const uint64_t ops = nor_sim_stats(&h.sim)->programs + nor_sim_stats(&h.sim)->erases;
    assert_int_equal(large_erases(), 1);
    /* the operation that is the large erase: the first one that erased 64 KB */
    uint64_t big_at = 0;
    for (uint64_t n = 1; n <= ops && !big_at; n++) {
        memcpy(nor_sim_data(&h.sim), before, h.sim.cfg.size);
        nor_sim_reset_stats(&h.sim);
        dfu_host_reboot(&h);
        nor_sim_cut_at(&h.sim, n + 1, NOR_SIM_CUT_CLEAN); /* run n operations in full */
        download(slot_addr, img, size);
        if (nor_sim_stats(&h.sim)->bytes_erased > nor_sim_stats(&h.sim)->erases * SECTOR)
            big_at = n;
        nor_sim_power_on(&h.sim);
        h.dead = false;
        h.left = false;
    }
    assert_int_not_equal(big_at, 0);

    for (int f = NOR_SIM_CUT_CLEAN; f <= NOR_SIM_CUT_TORN_ANY; f++) {
        unsigned old_ok = 0, new_ok = 0, refused = 0;
        for (uint64_t n = 1; n <= ops; n++) {
            memcpy(nor_sim_data(&h.sim), before, h.sim.cfg.size);
            nor_sim_power_on(&h.sim);
            h.dead = false;
            h.left = false;
            dfu_host_reboot(&h);
            nor_sim_cut_at(&h.sim, n, (enum nor_sim_fault)f);
            assert_int_not_equal(download(slot_addr, img, size), 0);
            assert_true(h.dead);
            bool ok = slot_bootable(), is_old = slot_holds(old, size);
            bool is_new = slot_holds(img, size);
            assert_true(!ok || is_old || is_new); /* never a half image */
            if (n >= big_at)
                assert_false(ok && is_old); /* the old image was refused before the erase */
            old_ok += ok && is_old;
            new_ok += ok && is_new;
            refused += !ok;
            /* power back: the next download writes the new image and commits it */
            if (n == big_at || n == big_at + 1) {
                nor_sim_power_on(&h.sim);
                h.dead = false;
                dfu_host_reboot(&h);
                assert_int_equal(download(slot_addr, img, size), 0);
                assert_true(slot_holds(img, size) && slot_bootable());
            }
        }
        assert_int_equal(old_ok + new_ok + refused, ops);
        assert_int_not_equal(refused, 0);
    }
}

/* ---- located images (docs/image-format.md, "Located header"): XIP bytes at the slot start ---- */

/* Seed 001's shape: a const table linked at the slot start, the app's code copied to AXI SRAM;
 * or (xip) a BOOT_QSPI app whose vector table starts the slot. Returns the image size. */
static uint32_t located_image(uint8_t *out, bool xip)
{
    static uint8_t table[0x9000], code[0x800];
    fill_random(table, sizeof table);
    fill_random(code, sizeof code);
    const struct h7_region *dtcm = h7_board_region(&h.board, "DTCM");
    uint32_t run = xip ? slot_addr : 0x24000000u;
    uint8_t *vt = xip ? table : code;
    h7_put_le32(vt, dtcm->origin + dtcm->length);
    h7_put_le32(vt + 4, run + 0x199);
    if (xip)
        memset(table + 0x1C, 0, 16); /* vector entries 7-10: reserved, zero */
    else
        h7_put_le32(table, 0x3F800000); /* data: no vector table */
    struct h7_image_build b = {.load_address = slot_addr, .entry = run + 0x199,
                               .vector_table = run, .segment_count = 2};
    b.seg[0] = (struct h7_image_build_segment){slot_addr, sizeof table, H7_SEG_XIP, table};
    b.seg[1] = (struct h7_image_build_segment){0x24000000u + (xip ? 0x1000 : 0), sizeof code,
                                               H7_SEG_COPY, code};
    size_t len;
    struct h7_image_fault f;
    assert_int_equal(h7_image_build(&b, out, 4 * BLOCK, &len, &f), 0);
    return (uint32_t)len;
}

/* Downloaded like any .dfu element: committed only when it verifies as an image (its first
 * word is the withheld commit); a damaged one is refused and left unbootable (word 0 erased). */
static void test_located_images_commit_when_they_verify(void **state)
{
    (void)state;
    for (int xip = 0; xip < 2; xip++) {
        uint32_t size = located_image(img, xip);
        raw_image(old, 2 * BLOCK);
        memcpy(nor_sim_data(&h.sim) + slot_off, old, 2 * BLOCK);
        assert_int_equal(download(slot_addr, img, size), 0);
        assert_int_equal(commits, 1);
        assert_true(slot_holds(img, size));

        img[size / 2] ^= 0x10; /* a byte under the hash */
        assert_int_not_equal(download(slot_addr, img, size), 0);
        assert_int_equal(commits, 0);
        assert_int_equal(h7_le32(nor_sim_data(&h.sim) + slot_off), 0xFFFFFFFFu);
        img[size / 2] ^= 0x10;
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_errors_change_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_get_commands_and_descriptors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_new_image_uses_block_erases, block_setup, teardown),
        cmocka_unit_test_setup_teardown(test_block_written_earlier_is_not_block_erased,
                                        block_setup, teardown),
        cmocka_unit_test_setup_teardown(test_partly_requested_block_is_not_block_erased,
                                        block_setup, teardown),
        cmocka_unit_test_setup_teardown(test_power_cut_around_block_erase, block_setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_located_images_commit_when_they_verify, block_setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
