/* The store's CRC-32 (store/store_crc.c) against zlib's crc32(), in pieces, and its residue.
 * Built twice: the default bitwise loop and -DH7_STORE_CRC_NIBBLE (tests/store/CMakeLists.txt). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>
#include <zlib.h>

#include "store_crc.h"

static void matches_zlib(void **state)
{
    (void)state;
    static uint8_t buf[3000];
    srand(7);
    for (int round = 0; round < 300; round++) {
        uint32_t len = (uint32_t)rand() % (sizeof buf - 4);
        for (uint32_t i = 0; i < len; i++)
            buf[i] = (uint8_t)rand();
        uint32_t split = len ? (uint32_t)rand() % len : 0;
        uint32_t crc = h7_store_crc32(H7_STORE_CRC32_INIT, buf, split);
        crc = h7_store_crc32_final(h7_store_crc32(crc, buf + split, len - split));
        assert_int_equal(crc, (uint32_t)crc32(0, buf, (uInt)len));
        /* data followed by its CRC (little-endian) leaves the residue */
        for (int b = 0; b < 4; b++)
            buf[len + (uint32_t)b] = (uint8_t)(crc >> (8 * b));
        assert_int_equal(h7_store_crc32(H7_STORE_CRC32_INIT, buf, len + 4), H7_STORE_CRC32_RESIDUE);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(matches_zlib)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
