/* test_dfu_class — the DFU class driven request by request (no USB, no dfu-util): the state
 * machine's answers, each error status, and that a refused request changes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "dfu_host.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_errors_change_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_get_commands_and_descriptors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
