/*
 * test_removals — guards for checks whose removal no other test noticed (issue 16):
 *  - one-byte edge overlaps between two segments' destinations (image_parse.c): a segment
 *    starting at the other's LAST byte, or ending at its FIRST byte, is an overlap; touching
 *    without a shared byte is not;
 *  - the DFU commit's re-check of the commit word's position (dfu_commit.c slot_image_ok):
 *    the word withheld at the first slot change belongs to the header that was there then; an
 *    image whose header changed afterwards (another image_size) is refused, not committed at
 *    the old position.
 * (The third one, invalidating the old image, is the dfu_util_powercut_shared sweep.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dfu_host.h"
#include "h7_image.h"
#include "h7_image_write.h"

#define AXI 0x24000000u
#define SLOT 0x90040000u

/* A packed image: one COPY segment of `copy` bytes at AXI (vector table first) and one ZERO
 * segment of 64 bytes right after it; returned malloc'd, length in *len. */
static uint8_t *make_image(uint32_t copy, uint8_t seed, size_t *len)
{
    uint8_t *payload = malloc(copy);
    assert_non_null(payload);
    for (uint32_t i = 0; i < copy; i++)
        payload[i] = (uint8_t)(i * 7 + seed);
    h7_put_le32(payload, 0x20020000u);   /* initial SP: top of DTCM */
    h7_put_le32(payload + 4, AXI + 0x101); /* reset vector, Thumb */
    struct h7_image_build b = {.load_address = SLOT, .entry = AXI + 0x101, .vector_table = AXI,
                               .segment_count = 2};
    b.seg[0] = (struct h7_image_build_segment){AXI, copy, H7_SEG_COPY, payload};
    b.seg[1] = (struct h7_image_build_segment){AXI + copy, 64, H7_SEG_ZERO, NULL};
    assert_int_equal(h7_image_build(&b, NULL, 0, len, NULL), 0);
    uint8_t *img = malloc(*len);
    assert_non_null(img);
    assert_int_equal(h7_image_build(&b, img, *len, len, NULL), 0);
    free(payload);
    return img;
}

/* Move the ZERO segment's destination (the segment table is not under the header CRC) and
 * parse again. */
static int parse_with_zero_at(uint8_t *img, size_t len, uint32_t dest, struct h7_image_fault *f)
{
    struct h7_image_info info;
    assert_int_equal(h7_image_parse(img, len, &info, NULL), 0);
    int z = info.seg[0].kind == H7_SEG_ZERO ? 0 : 1;
    assert_int_equal(info.seg[z].kind, H7_SEG_ZERO);
    uint32_t e = info.header_size + (uint32_t)z * info.segment_entry_size;
    uint32_t old = h7_le32(img + e + H7_IMAGE_SEG_OFF_DEST);
    h7_put_le32(img + e + H7_IMAGE_SEG_OFF_DEST, dest);
    int rc = h7_image_parse(img, len, &info, f);
    h7_put_le32(img + e + H7_IMAGE_SEG_OFF_DEST, old);
    return rc;
}

static void test_one_byte_edge_overlaps(void **state)
{
    (void)state;
    size_t len;
    const uint32_t copy = 512;
    uint8_t *img = make_image(copy, 1, &len);
    struct h7_image_fault f;
    /* touching, no shared byte: fine on both sides */
    assert_int_equal(parse_with_zero_at(img, len, AXI + copy, &f), H7_IMAGE_OK);
    assert_int_equal(parse_with_zero_at(img, len, AXI - 64, &f), H7_IMAGE_OK);
    /* starts on the copy segment's last byte */
    assert_int_equal(parse_with_zero_at(img, len, AXI + copy - 1, &f), H7_IMAGE_E_SEG_OVERLAP);
    assert_int_equal(f.addr, AXI + copy - 1);
    /* ends on the copy segment's first byte */
    assert_int_equal(parse_with_zero_at(img, len, AXI - 63, &f), H7_IMAGE_E_SEG_OVERLAP);
    assert_int_equal(f.addr, AXI - 63);
    free(img);
}

static struct dfu_host h;
static uint8_t buf[H7_DFU_XFER_MAX];

static void test_commit_word_position_recheck(void **state)
{
    (void)state;
    char err[200];
    struct dfu_host_options o = {.board = "daisy-seed"};
    assert_int_equal(dfu_host_init(&h, &o, err, sizeof err), 0);
    size_t len_a, len_b;
    uint8_t *a = make_image(20000, 2, &len_a); /* commit word at ~20 KB */
    uint8_t *b = make_image(4000, 3, &len_b);  /* commit word at ~4 KB */
    /* image A into the slot: the first slot change withholds A's commit word */
    assert_int_equal(dfu_host_dfuse_erase(&h, SLOT, (uint32_t)len_a, 4096, buf), 0);
    assert_int_equal(dfu_host_dfuse_write(&h, SLOT, a, (uint32_t)len_a, buf), 0);
    /* ...then, in the same download, image B over its first sectors: a header with another
     * image_size, so the withheld word is not B's commit word */
    assert_int_equal(dfu_host_dfuse_erase(&h, SLOT, (uint32_t)len_b, 4096, buf), 0);
    assert_int_equal(dfu_host_dfuse_write(&h, SLOT, b, (uint32_t)len_b, buf), 0);
    /* the end of the download verifies B (complete, hash right) but must see that the word it
     * would program is at A's position: refused, nothing committed there */
    assert_int_not_equal(dfu_host_dfuse_leave(&h, SLOT, buf), 0);
    const struct h7_dfu_stats *st = h7_dfu_stats(&h.dfu);
    assert_int_equal(st->commits, 0);
    assert_int_equal(st->commit_refusals, 1);
    uint32_t a_commit = (uint32_t)len_a - H7_IMAGE_COMMIT_SIZE;
    const uint8_t *flash = nor_sim_data(&h.sim) + (SLOT - h.sim.cfg.base);
    assert_int_not_equal(h7_le32(flash + a_commit), H7_IMAGE_COMMITTED);
    free(a);
    free(b);
    dfu_host_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_byte_edge_overlaps),
        cmocka_unit_test(test_commit_word_position_recheck),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
