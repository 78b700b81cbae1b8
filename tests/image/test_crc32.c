/* CRC-32: the check value of the CRC catalogue, zlib's crc32() on random data in two pieces,
 * and the residue of data followed by its own CRC (the store's record check). Built for the
 * default bitwise loop and for -DH7_CRC32_NIBBLE (tests/image/CMakeLists.txt). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>
#include <zlib.h>

#include "h7_crc32.h"

static void check_value(void **state)
{
    (void)state;
    assert_int_equal(h7_crc32(0, "123456789", 9), 0xCBF43926u);
    assert_int_equal(h7_crc32(0, "", 0), 0);
}

static void against_zlib(void **state)
{
    (void)state;
    static uint8_t buf[5000 + 4];
    srand(99);
    for (int round = 0; round < 200; round++) {
        size_t len = (size_t)rand() % (sizeof buf - 4);
        for (size_t i = 0; i < len; i++)
            buf[i] = (uint8_t)rand();
        size_t split = len ? (size_t)rand() % len : 0;
        uint32_t got = h7_crc32(h7_crc32(0, buf, split), buf + split, len - split);
        assert_int_equal(got, (uint32_t)crc32(0, buf, (uInt)len));
        for (int b = 0; b < 4; b++)
            buf[len + (size_t)b] = (uint8_t)(got >> (8 * b));
        assert_int_equal(h7_crc32(0, buf, len + 4), H7_CRC32_CHECK_RESIDUE);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(check_value),
        cmocka_unit_test(against_zlib),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
