/* DfuSe files: write -> read round trip, and each kind of damage rejected with its field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "dfuse_file.h"
#include "h7_image.h"

static uint8_t a[1000], b[77];
static uint8_t *file;
static size_t len;

static int setup(void **state)
{
    (void)state;
    static struct dfuse_image d;
    for (unsigned i = 0; i < sizeof a; i++)
        a[i] = (uint8_t)(i * 7);
    memset(b, 0x5A, sizeof b);
    d.vid = 0x0483;
    d.pid = 0xDF11;
    strcpy(d.name, "h7boot test");
    d.n_elements = 2;
    d.elements[0] = (struct dfuse_element){0x90040000, sizeof a, a};
    d.elements[1] = (struct dfuse_element){0x90000000, sizeof b, b};
    len = dfuse_file_size(&d);
    file = malloc(len);
    dfuse_write(&d, file);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(file);
    return 0;
}

static void reseal(uint8_t *f)
{
    h7_put_le32(f + len - 4, ~(uint32_t)crc32(0, f, (uInt)(len - 4)));
}

static void round_trip(void **state)
{
    (void)state;
    struct dfuse_image r;
    char err[256];
    assert_int_equal(len, 11 + 274 + 8 + sizeof a + 8 + sizeof b + 16);
    assert_int_equal(dfuse_read(file, len, &r, err, sizeof err), 0);
    assert_int_equal(r.vid, 0x0483);
    assert_int_equal(r.pid, 0xDF11);
    assert_string_equal(r.name, "h7boot test");
    assert_int_equal(r.n_elements, 2);
    assert_int_equal(r.elements[0].address, 0x90040000);
    assert_memory_equal(r.elements[0].data, a, sizeof a);
    assert_int_equal(r.elements[1].address, 0x90000000);
    assert_memory_equal(r.elements[1].data, b, sizeof b);
    /* the suffix CRC is zlib's CRC-32 without the final XOR */
    assert_int_equal(h7_le32(file + len - 4), ~(uint32_t)crc32(0, file, (uInt)(len - 4)));
}

static void expect_error(uint8_t *f, size_t n, const char *needle)
{
    struct dfuse_image r;
    char err[256] = "";
    assert_int_equal(dfuse_read(f, n, &r, err, sizeof err), -1);
    if (!strstr(err, needle))
        fail_msg("error '%s' does not mention '%s'", err, needle);
}

static void damage(void **state)
{
    (void)state;
    uint8_t *f = malloc(len);
    /* any byte flip breaks the CRC */
    for (size_t i = 0; i < len - 4; i += 37) {
        memcpy(f, file, len);
        f[i] ^= 0x40;
        struct dfuse_image r;
        assert_int_equal(dfuse_read(f, len, &r, NULL, 0), -1);
    }
    memcpy(f, file, len);
    f[len - 1] ^= 1;
    expect_error(f, len, "CRC");
    memcpy(f, file, len);
    f[len - 7] = 'X';
    expect_error(f, len, "UFD");
    /* structural damage with a good CRC */
    memcpy(f, file, len);
    f[0] = 'd';
    reseal(f);
    expect_error(f, len, "\"DfuSe\"");
    memcpy(f, file, len);
    h7_put_le32(f + 6, (uint32_t)len + 1);
    reseal(f);
    expect_error(f, len, "file size");
    memcpy(f, file, len);
    f[10] = 2;
    reseal(f);
    expect_error(f, len, "targets");
    memcpy(f, file, len);
    h7_put_le32(f + 11 + 270, 3); /* three elements claimed */
    reseal(f);
    expect_error(f, len, "element 2");
    memcpy(f, file, len);
    h7_put_le32(f + 11 + 274 + 4, 0xFFFFFF00); /* element 0 size runs past the target */
    reseal(f);
    expect_error(f, len, "element 0");
    memcpy(f, file, len);
    h7_put_le16(f + len - 10, 0x0100); /* bcdDFU not DfuSe */
    reseal(f);
    expect_error(f, len, "bcdDFU");
    expect_error(f, 20, "too short");
    free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip),
        cmocka_unit_test(damage),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
