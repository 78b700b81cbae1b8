/*
 * The QEMU port's RAM-backed NOR flash (ports/qemu-mps2-an500/ram_flash.c): erase to 0xFF,
 * program clears bits only, a program command wraps inside its page, bad requests refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ram_flash.h"

#define SIZE 16384u
#define ERASE 4096u
#define PAGE 256u

static uint8_t mem[SIZE];
static struct ram_flash rf;
static const struct h7_flash *f;

static int setup(void **state)
{
    (void)state;
    memset(mem, 0x00, sizeof mem); /* RAM standing in for flash starts as zeros on QEMU */
    f = ram_flash_init(&rf, mem, 0x60000000u, SIZE, ERASE, PAGE);
    return 0;
}

static void erase_sets_one_unit_to_ff(void **state)
{
    (void)state;
    assert_int_equal(h7_flash_erase(f, ERASE, ERASE), H7_FLASH_OK);
    for (uint32_t i = 0; i < SIZE; i++)
        assert_int_equal(mem[i], i >= ERASE && i < 2 * ERASE ? 0xFF : 0x00);
}

static void program_only_clears_bits(void **state)
{
    (void)state;
    uint8_t a[4] = {0xF0, 0x0F, 0xAA, 0xFF}, b[4] = {0x3C, 0xFF, 0x55, 0x00}, out[4];
    assert_int_equal(h7_flash_erase(f, 0, ERASE), H7_FLASH_OK);
    assert_int_equal(h7_flash_program(f, 8, a, 4), H7_FLASH_OK);
    assert_int_equal(h7_flash_program(f, 8, b, 4), H7_FLASH_OK);
    assert_int_equal(h7_flash_read(f, 8, out, 4), H7_FLASH_OK);
    for (int i = 0; i < 4; i++)
        assert_int_equal(out[i], a[i] & b[i]);
}

static void raw_program_wraps_inside_the_page(void **state)
{
    (void)state;
    uint8_t data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    assert_int_equal(h7_flash_erase(f, 0, ERASE), H7_FLASH_OK);
    /* 8 bytes from 4 before the end of page 0: the last 4 land at the page start. */
    assert_int_equal(f->ops->program(f->ctx, PAGE - 4, data, 8), H7_FLASH_OK);
    assert_memory_equal(mem + PAGE - 4, data, 4);
    assert_memory_equal(mem, data + 4, 4);
    assert_int_equal(mem[PAGE], 0xFF);
    /* h7_flash_program splits at the page end instead. */
    assert_int_equal(h7_flash_erase(f, 0, ERASE), H7_FLASH_OK);
    assert_int_equal(h7_flash_program(f, PAGE - 4, data, 8), H7_FLASH_OK);
    assert_memory_equal(mem + PAGE - 4, data, 8);
}

static void bad_requests_refused(void **state)
{
    (void)state;
    uint8_t big[PAGE + 1] = {0};
    assert_int_equal(f->ops->erase(f->ctx, 100, ERASE), H7_FLASH_EINVAL);
    assert_int_equal(f->ops->erase(f->ctx, SIZE, ERASE), H7_FLASH_EINVAL);
    assert_int_equal(f->ops->erase(f->ctx, 0, ERASE * 2), H7_FLASH_EINVAL);
    assert_int_equal(f->ops->program(f->ctx, 0, big, PAGE + 1), H7_FLASH_EINVAL);
    assert_int_equal(h7_flash_read(f, SIZE - 2, big, 4), H7_FLASH_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(erase_sets_one_unit_to_ff, setup),
        cmocka_unit_test_setup(program_only_clears_bits, setup),
        cmocka_unit_test_setup(raw_program_wraps_inside_the_page, setup),
        cmocka_unit_test_setup(bad_requests_refused, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
