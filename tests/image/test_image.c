/*
 * The image library: a Daisy-layout image built with h7_image_build() parses, fits the board
 * and verifies (in memory, through the flash interface, and as loaded into RAM); then every
 * rejection class of the parser, the board check and the verifiers, one by one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "board_parse.h"
#include "h7_image.h"
#include "h7_image_write.h"

static struct h7_board daisy;
static const struct h7_range *slot;

/* Payloads of the reference image. */
static uint8_t itcm_fn[0x200], dtcm_data[0x100], axi_code[0x4000], qspi_table[1000];

static uint8_t img[0x30000];
static size_t img_len;

static void fill(uint8_t *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(seed + i * 7 + (i >> 8));
}

static struct h7_image_build reference(void)
{
    struct h7_image_build b = {0};
    b.load_address = slot->origin;
    b.entry = 0x24000101;
    b.vector_table = 0x24000000;
    b.version_major = 1;
    b.version_minor = 2;
    b.version_patch = 300;
    b.name = "app";
    b.name_len = 3;
    b.segment_count = 6;
    b.seg[0] = (struct h7_image_build_segment){0x24000000, sizeof axi_code, H7_SEG_COPY, axi_code};
    b.seg[1] =
        (struct h7_image_build_segment){0x20000000, sizeof dtcm_data, H7_SEG_COPY, dtcm_data};
    b.seg[2] = (struct h7_image_build_segment){0x20000100, 0x400, H7_SEG_ZERO, NULL};
    b.seg[3] = (struct h7_image_build_segment){0x00000400, sizeof itcm_fn, H7_SEG_COPY, itcm_fn};
    b.seg[4] = (struct h7_image_build_segment){slot->origin + 0x10000, sizeof qspi_table,
                                               H7_SEG_XIP, qspi_table};
    b.seg[5] = (struct h7_image_build_segment){0xC0000000, 0x100000, H7_SEG_ZERO, NULL};
    return b;
}

static int setup(void **state)
{
    (void)state;
    char err[200];
    if (h7_board_load("daisy-seed", &daisy, err, sizeof err))
        fail_msg("%s", err);
    slot = h7_board_range(&daisy, H7_RANGE_SLOT, "APP");
    assert_non_null(slot);
    fill(itcm_fn, sizeof itcm_fn, 1);
    fill(dtcm_data, sizeof dtcm_data, 2);
    fill(axi_code, sizeof axi_code, 3);
    fill(qspi_table, sizeof qspi_table, 4);
    /* vector table at the start of the AXI SRAM code: SP at the top of DTCM, reset handler */
    h7_put_le32(axi_code, 0x20020000);
    h7_put_le32(axi_code + 4, 0x24000101);
    return 0;
}

/* Rebuild the reference image before each test. */
static int fresh(void **state)
{
    (void)state;
    struct h7_image_build b = reference();
    struct h7_image_fault f;
    assert_int_equal(h7_image_build(&b, NULL, 0, &img_len, &f), 0);
    assert_true(img_len <= sizeof img);
    assert_int_equal(h7_image_build(&b, img, sizeof img, &img_len, &f), 0);
    return 0;
}

static void reseal_header(void)
{
    h7_put_le32(img + H7_IMAGE_OFF_HEADER_CRC, h7_crc32(0, img, H7_IMAGE_OFF_HEADER_CRC));
}

static uint8_t *entry(int i)
{
    return img + H7_IMAGE_HEADER_SIZE + i * H7_IMAGE_SEGMENT_SIZE;
}

/* Table index of the segment with this destination. */
static int seg_at(uint32_t dest)
{
    int n = h7_le16(img + H7_IMAGE_OFF_SEGMENT_COUNT);
    for (int i = 0; i < n; i++)
        if (h7_le32(entry(i)) == dest)
            return i;
    fail_msg("no segment at 0x%08x", dest);
    return -1;
}

static int parse(struct h7_image_fault *f)
{
    struct h7_image_info info;
    return h7_image_parse(img, img_len, &info, f);
}

static int parse_and_check(struct h7_image_fault *f)
{
    struct h7_image_info info;
    int rc = h7_image_parse(img, img_len, &info, f);
    return rc ? rc : h7_image_check_board(&info, &daisy, slot, f);
}

/* ---- the good image ---- */

static void reference_is_valid(void **state)
{
    (void)state;
    struct h7_image_info info;
    struct h7_image_fault f;
    assert_int_equal(h7_image_parse(img, img_len, &info, &f), 0);
    assert_int_equal(f.err, 0);
    assert_int_equal(h7_image_check_board(&info, &daisy, slot, &f), 0);
    assert_int_equal(info.segment_count, 6);
    assert_int_equal(info.version_major, 1);
    assert_int_equal(info.version_minor, 2);
    assert_int_equal(info.version_patch, 300);
    assert_int_equal(info.load_address, slot->origin);
    assert_int_equal(img_len, info.image_size + H7_IMAGE_TRAILER_SIZE);
    /* table order: payloads ascending (ITCM, DTCM, AXI by destination, then XIP), zeros last */
    assert_int_equal(info.seg[0].dest, 0x400);
    assert_int_equal(info.seg[1].dest, 0x20000000);
    assert_int_equal(info.seg[2].dest, 0x24000000);
    assert_int_equal(info.seg[3].kind, H7_SEG_XIP);
    assert_int_equal(info.seg[3].offset, 0x10000);
    assert_int_equal(info.seg[4].kind, H7_SEG_ZERO);
    assert_int_equal(info.seg[0].offset, info.meta_size);
    assert_memory_equal(img + info.seg[2].offset, axi_code, sizeof axi_code);
    assert_memory_equal(img + 0x10000, qspi_table, sizeof qspi_table);
    /* gap before the XIP payload is 0xFF */
    assert_int_equal(img[0x10000 - 1], 0xFF);
    assert_int_equal(h7_image_verify_mapped(&info, img, img_len, NULL), 0);
    /* the commit word: found from the first 64 bytes, committed in a packed image */
    uint32_t off, total;
    assert_int_equal(h7_image_commit_word_offset(img, 64, &off, &total, NULL), 0);
    assert_int_equal(off, info.image_size + 32);
    assert_int_equal(total, img_len);
    assert_true(h7_image_is_committed(h7_le32(img + off)));
    assert_false(h7_image_is_committed(H7_IMAGE_UNCOMMITTED));
    assert_false(h7_image_is_committed(H7_IMAGE_INVALIDATED));
    uint32_t meta;
    assert_int_equal(h7_image_meta_size(img, 64, &meta, NULL), 0);
    assert_int_equal(meta, info.meta_size);
}

static int name_cb(void *ctx, uint16_t type, const uint8_t *value, uint16_t vlen)
{
    if (type == H7_TLV_NAME)
        snprintf(ctx, 16, "%.*s", vlen, (const char *)value);
    return 0;
}

static void name_tlv(void **state)
{
    (void)state;
    struct h7_image_info info;
    char name[16] = "";
    assert_int_equal(h7_image_parse(img, img_len, &info, NULL), 0);
    assert_int_equal(h7_image_tlv_walk(&info, img, img_len, name_cb, name), 0);
    assert_string_equal(name, "app");
}

/* ---- header rejections ---- */

static void expect_header(int rc, uint32_t field, struct h7_image_fault *f)
{
    assert_int_equal(parse(f), rc);
    assert_int_equal(f->err, rc);
    assert_int_equal(f->field, field);
}

static void header_rejections(void **state)
{
    struct h7_image_fault f;
    (void)state;
    img[0] ^= 1;
    expect_header(H7_IMAGE_E_MAGIC, 0, &f);
    img[0] ^= 1;

    img[H7_IMAGE_OFF_ENTRY] ^= 0x10; /* any header byte without resealing */
    expect_header(H7_IMAGE_E_HEADER_CRC, H7_IMAGE_OFF_HEADER_CRC, &f);
    img[H7_IMAGE_OFF_ENTRY] ^= 0x10;

    h7_put_le16(img + H7_IMAGE_OFF_FORMAT_VERSION, 2);
    reseal_header();
    expect_header(H7_IMAGE_E_FORMAT_VERSION, H7_IMAGE_OFF_FORMAT_VERSION, &f);
    h7_put_le16(img + H7_IMAGE_OFF_FORMAT_VERSION, 1);

    uint16_t bad_hsize[] = {60, 66, 260, 0};
    for (unsigned i = 0; i < 4; i++) {
        h7_put_le16(img + H7_IMAGE_OFF_HEADER_SIZE, bad_hsize[i]);
        reseal_header();
        expect_header(H7_IMAGE_E_HEADER_SIZE, H7_IMAGE_OFF_HEADER_SIZE, &f);
    }
    h7_put_le16(img + H7_IMAGE_OFF_HEADER_SIZE, 64);

    h7_put_le32(img + H7_IMAGE_OFF_FLAGS, 0x00020000); /* an unknown required flag */
    reseal_header();
    expect_header(H7_IMAGE_E_FLAGS, H7_IMAGE_OFF_FLAGS, &f);
    /* LOCATED needs a header_offset: a non-zero multiple of 4096 inside the image */
    h7_put_le32(img + H7_IMAGE_OFF_FLAGS, H7_IMAGE_FLAG_LOCATED);
    uint32_t bad_hoff[] = {0, 0x800, h7_le32(img + H7_IMAGE_OFF_IMAGE_SIZE) & ~0xFFFu};
    for (unsigned i = 0; i < 3; i++) {
        h7_put_le32(img + H7_IMAGE_OFF_HEADER_OFFSET, bad_hoff[i] + (i == 2 ? 0x1000 : 0));
        reseal_header();
        expect_header(H7_IMAGE_E_HEADER_OFFSET, H7_IMAGE_OFF_HEADER_OFFSET, &f);
    }
    /* a header_offset inside the image but where payloads lie */
    h7_put_le32(img + H7_IMAGE_OFF_HEADER_OFFSET, 0x10000);
    reseal_header();
    assert_int_equal(parse(&f), H7_IMAGE_E_SEG_OFFSET);
    h7_put_le32(img + H7_IMAGE_OFF_HEADER_OFFSET, 0);
    h7_put_le32(img + H7_IMAGE_OFF_FLAGS, 0x00000001); /* an unknown optional flag: ignored */
    reseal_header();
    assert_int_equal(parse(&f), 0);
    h7_put_le32(img + H7_IMAGE_OFF_FLAGS, 0);

    uint16_t bad_count[] = {0, 33};
    for (unsigned i = 0; i < 2; i++) {
        h7_put_le16(img + H7_IMAGE_OFF_SEGMENT_COUNT, bad_count[i]);
        reseal_header();
        expect_header(H7_IMAGE_E_SEGMENT_COUNT, H7_IMAGE_OFF_SEGMENT_COUNT, &f);
    }
    h7_put_le16(img + H7_IMAGE_OFF_SEGMENT_COUNT, 6);

    uint16_t bad_esize[] = {12, 18, 68};
    for (unsigned i = 0; i < 3; i++) {
        h7_put_le16(img + H7_IMAGE_OFF_SEGMENT_SIZE, bad_esize[i]);
        reseal_header();
        expect_header(H7_IMAGE_E_SEGMENT_SIZE, H7_IMAGE_OFF_SEGMENT_SIZE, &f);
    }
    h7_put_le16(img + H7_IMAGE_OFF_SEGMENT_SIZE, 16);

    uint32_t tlv = h7_le32(img + H7_IMAGE_OFF_TLV_SIZE);
    uint32_t bad_tlv[] = {tlv + 2, 4000, 0xFFFFFFFC};
    for (unsigned i = 0; i < 3; i++) {
        h7_put_le32(img + H7_IMAGE_OFF_TLV_SIZE, bad_tlv[i]);
        reseal_header();
        expect_header(H7_IMAGE_E_META_SIZE, H7_IMAGE_OFF_TLV_SIZE, &f);
    }
    h7_put_le32(img + H7_IMAGE_OFF_TLV_SIZE, tlv);

    uint32_t isize = h7_le32(img + H7_IMAGE_OFF_IMAGE_SIZE);
    uint32_t bad_isize[] = {isize + 2, 64, 0xFFFFFFFC};
    for (unsigned i = 0; i < 3; i++) {
        h7_put_le32(img + H7_IMAGE_OFF_IMAGE_SIZE, bad_isize[i]);
        reseal_header();
        expect_header(H7_IMAGE_E_IMAGE_SIZE, H7_IMAGE_OFF_IMAGE_SIZE, &f);
    }
    h7_put_le32(img + H7_IMAGE_OFF_IMAGE_SIZE, isize);
    reseal_header();
    assert_int_equal(parse(&f), 0);
}

static void truncation(void **state)
{
    (void)state;
    struct h7_image_info info;
    struct h7_image_fault f;
    assert_int_equal(h7_image_parse(img, 2, &info, &f), H7_IMAGE_E_TRUNCATED);
    assert_int_equal(h7_image_parse(img, 63, &info, &f), H7_IMAGE_E_TRUNCATED);
    assert_int_equal(f.field, 63);
    assert_int_equal(f.len, 64);
    assert_int_equal(h7_image_parse(img, 100, &info, &f), H7_IMAGE_E_TRUNCATED);
    assert_int_equal(f.len, 64 + 6 * 16 + 8);
    assert_int_equal(h7_image_parse(img, 64 + 6 * 16 + 8, &info, &f), 0);
    /* the hash needs the whole image and the trailer hash */
    assert_int_equal(h7_image_verify_mapped(&info, img, img_len - 5, NULL), H7_IMAGE_E_TRUNCATED);
    assert_int_equal(h7_image_commit_word_offset(img, 40, NULL, NULL, &f), H7_IMAGE_E_TRUNCATED);
}

static void tlv_rejections(void **state)
{
    (void)state;
    struct h7_image_fault f;
    uint8_t *t = entry(6);
    h7_put_le16(t + 2, 9); /* NAME length past the 8-byte area */
    assert_int_equal(parse(&f), H7_IMAGE_E_TLV);
    h7_put_le16(t + 2, 3);
    h7_put_le16(t, 0x8001); /* unknown critical */
    assert_int_equal(parse(&f), H7_IMAGE_E_TLV_CRITICAL);
    assert_int_equal(f.addr, 0x8001);
    h7_put_le16(t, 0x0042); /* unknown, not critical: skipped */
    assert_int_equal(parse(&f), 0);
}

/* ---- segment table rejections ---- */

static void expect_seg(int rc, int seg, struct h7_image_fault *f)
{
    assert_int_equal(parse_and_check(f), rc);
    assert_int_equal(f->err, rc);
    assert_int_equal(f->segment, seg);
}

static void segment_rejections(void **state)
{
    (void)state;
    struct h7_image_fault f;
    int axi = seg_at(0x24000000), dtcm = seg_at(0x20000000), bss = seg_at(0x20000100);
    int sdram = seg_at(0xC0000000);
    uint8_t *e = entry(axi);

    e[H7_IMAGE_SEG_OFF_KIND] = 4;
    expect_seg(H7_IMAGE_E_SEG_KIND, axi, &f);
    assert_int_equal(f.field, H7_IMAGE_HEADER_SIZE + axi * 16 + 12);
    e[H7_IMAGE_SEG_OFF_KIND] = 0;
    expect_seg(H7_IMAGE_E_SEG_KIND, axi, &f);
    e[H7_IMAGE_SEG_OFF_KIND] = H7_SEG_COPY;

    e[H7_IMAGE_SEG_OFF_FLAGS] = 1;
    expect_seg(H7_IMAGE_E_SEG_RESERVED, axi, &f);
    e[H7_IMAGE_SEG_OFF_FLAGS] = 0;
    e[H7_IMAGE_SEG_OFF_PAD + 1] = 0x80;
    expect_seg(H7_IMAGE_E_SEG_RESERVED, axi, &f);
    e[H7_IMAGE_SEG_OFF_PAD + 1] = 0;

    uint32_t size = h7_le32(e + 4), off = h7_le32(e + 8);
    h7_put_le32(e + 4, 0);
    expect_seg(H7_IMAGE_E_SEG_EMPTY, axi, &f);
    h7_put_le32(e + 4, size);

    uint8_t *z = entry(sdram);
    h7_put_le32(z, 0xFFFFF000);
    expect_seg(H7_IMAGE_E_SEG_WRAP, sdram, &f);
    h7_put_le32(z, 0xC0000000);
    h7_put_le32(z + 8, 4); /* a ZERO segment with an offset */
    expect_seg(H7_IMAGE_E_SEG_OFFSET, sdram, &f);
    h7_put_le32(z + 8, 0);

    h7_put_le32(e + 8, off + 2); /* misaligned */
    expect_seg(H7_IMAGE_E_SEG_OFFSET, axi, &f);
    h7_put_le32(e + 8, 8); /* inside the metadata */
    expect_seg(H7_IMAGE_E_SEG_OFFSET, axi, &f);
    h7_put_le32(e + 8, h7_le32(img + H7_IMAGE_OFF_IMAGE_SIZE) - 4); /* past image_size */
    expect_seg(H7_IMAGE_E_SEG_OFFSET, axi, &f);
    h7_put_le32(e + 8, 0xFFFFFFF0); /* 32-bit wrap of offset + size */
    expect_seg(H7_IMAGE_E_SEG_OFFSET, axi, &f);
    h7_put_le32(e + 8, off);

    /* payloads out of order: swap the DTCM and AXI entries */
    uint8_t tmp[16];
    memcpy(tmp, entry(dtcm), 16);
    memcpy(entry(dtcm), entry(axi), 16);
    memcpy(entry(axi), tmp, 16);
    expect_seg(H7_IMAGE_E_SEG_ORDER, axi, &f);
    assert_int_equal(f.other, dtcm);
    memcpy(entry(axi), entry(dtcm), 16);
    memcpy(entry(dtcm), tmp, 16);
    assert_int_equal(parse_and_check(&f), 0);

    /* destinations overlap: the .bss starts inside .data */
    h7_put_le32(entry(bss), 0x200000F0);
    expect_seg(H7_IMAGE_E_SEG_OVERLAP, bss, &f);
    assert_int_equal(f.other, dtcm);
    h7_put_le32(entry(bss), 0x20000100);
    assert_int_equal(parse_and_check(&f), 0);
}

static void board_rejections(void **state)
{
    (void)state;
    struct h7_image_fault f;
    int bss = seg_at(0x20000100), sdram = seg_at(0xC0000000);
    int xip = seg_at(slot->origin + 0x10000);
    uint8_t *z = entry(bss);
    /* outside any region, in a region without `load` (internal flash, QSPI, backup SRAM), and
     * straddling the end of DTCM */
    uint32_t bad[] = {0x10000000, 0x08000000, 0x90000000, 0x38800000, 0x2001FF00};
    for (unsigned i = 0; i < 5; i++) {
        h7_put_le32(z, bad[i]);
        expect_seg(H7_IMAGE_E_SEG_REGION, bss, &f);
        assert_int_equal(f.addr, bad[i]);
    }
    /* the bootloader's own RAM (reserved BOOT_RAM at the top of SRAM4) */
    const struct h7_range *boot_ram = h7_board_range(&daisy, H7_RANGE_RESERVED, "BOOT_RAM");
    assert_non_null(boot_ram);
    h7_put_le32(z, boot_ram->origin - 0x100);
    expect_seg(H7_IMAGE_E_SEG_RESERVED_RANGE, bss, &f);
    h7_put_le32(z, 0x20000100);

    /* SDRAM zero fill too big for SDRAM */
    h7_put_le32(entry(sdram) + 4, 0x04000001);
    expect_seg(H7_IMAGE_E_SEG_REGION, sdram, &f);
    h7_put_le32(entry(sdram) + 4, 0x100000);

    /* XIP segment not at load_address + offset */
    uint8_t *x = entry(xip);
    h7_put_le32(x, slot->origin + 0x10004);
    expect_seg(H7_IMAGE_E_SEG_XIP, xip, &f);
    h7_put_le32(x, slot->origin + 0x10000);
    assert_int_equal(parse_and_check(&f), 0);

    /* wrong slot, slot too small */
    struct h7_range other = *slot;
    struct h7_image_info info;
    assert_int_equal(h7_image_parse(img, img_len, &info, &f), 0);
    other.origin += 0x10000;
    assert_int_equal(h7_image_check_board(&info, &daisy, &other, &f), H7_IMAGE_E_LOAD_ADDRESS);
    assert_int_equal(f.field, H7_IMAGE_OFF_LOAD_ADDRESS);
    other = *slot;
    other.length = (uint32_t)img_len - 1;
    assert_int_equal(h7_image_check_board(&info, &daisy, &other, &f), H7_IMAGE_E_SLOT_SIZE);
    other.length = (uint32_t)img_len;
    assert_int_equal(h7_image_check_board(&info, &daisy, &other, &f), 0);
    /* an XIP segment beyond the end of a (shorter) slot */
    other.length = 0x10000;
    info.image_size = 0x100;
    assert_int_equal(h7_image_check_board(&info, &daisy, &other, &f), H7_IMAGE_E_SEG_XIP);
}

static void entry_vector_rejections(void **state)
{
    (void)state;
    struct h7_image_fault f;
    h7_put_le32(img + H7_IMAGE_OFF_ENTRY, 0x24000100); /* no Thumb bit */
    reseal_header();
    expect_header(H7_IMAGE_E_ENTRY, H7_IMAGE_OFF_ENTRY, &f);
    h7_put_le32(img + H7_IMAGE_OFF_ENTRY, 0x20000201); /* inside the DTCM .bss: no code */
    reseal_header();
    expect_header(H7_IMAGE_E_ENTRY, H7_IMAGE_OFF_ENTRY, &f);
    h7_put_le32(img + H7_IMAGE_OFF_ENTRY, 0x20000011); /* in DTCM .data: DTCM is not exec */
    reseal_header();
    assert_int_equal(parse(&f), 0);
    assert_int_equal(parse_and_check(&f), H7_IMAGE_E_ENTRY);
    h7_put_le32(img + H7_IMAGE_OFF_ENTRY, 0x00000401); /* the ITCM function: fine */
    reseal_header();
    assert_int_equal(parse_and_check(&f), 0);

    h7_put_le32(img + H7_IMAGE_OFF_VECTOR_TABLE, 0x24000040); /* not 128-aligned */
    reseal_header();
    expect_header(H7_IMAGE_E_VECTOR, H7_IMAGE_OFF_VECTOR_TABLE, &f);
    h7_put_le32(img + H7_IMAGE_OFF_VECTOR_TABLE, 0x24100000); /* in no segment */
    reseal_header();
    expect_header(H7_IMAGE_E_VECTOR, H7_IMAGE_OFF_VECTOR_TABLE, &f);
}

/* ---- hashing ---- */

static void hash_rejections(void **state)
{
    (void)state;
    struct h7_image_info info;
    assert_int_equal(h7_image_parse(img, img_len, &info, NULL), 0);
    size_t where[] = {info.seg[2].offset + 100, 0x10000 - 1 /* gap */, 0x10000 + 999,
                      info.image_size /* stored hash */, info.tlv_offset + 4 /* name */};
    for (unsigned i = 0; i < 5; i++) {
        img[where[i]] ^= 0x01;
        assert_int_equal(h7_image_verify_mapped(&info, img, img_len, NULL), H7_IMAGE_E_HASH);
        img[where[i]] ^= 0x01;
    }
    /* the commit word is not hashed */
    h7_put_le32(img + h7_image_commit_offset(&info), H7_IMAGE_INVALIDATED);
    assert_int_equal(h7_image_verify_mapped(&info, img, img_len, NULL), 0);
}

static void streaming_pieces(void **state)
{
    (void)state;
    struct h7_image_info info;
    assert_int_equal(h7_image_parse(img, img_len, &info, NULL), 0);
    struct h7_image_verifier v;
    h7_image_verify_begin(&v, &info);
    /* feed the whole file (trailer included: ignored) in uneven pieces */
    for (size_t pos = 0, n = 1; pos < img_len; pos += n, n = n * 3 % 1021 + 1)
        h7_image_verify_update(&v, img + pos, n < img_len - pos ? n : img_len - pos);
    assert_int_equal(h7_image_verify_end(&v, img + info.image_size, NULL), 0);
    h7_image_verify_begin(&v, &info);
    h7_image_verify_update(&v, img, info.image_size - 1);
    assert_int_equal(h7_image_verify_end(&v, img + info.image_size, NULL), H7_IMAGE_E_TRUNCATED);
}

/* A flash device over a RAM buffer. */
static int ram_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
    memcpy(buf, (uint8_t *)ctx + off, len);
    return 0;
}
static int failing_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
    (void)ctx, (void)off, (void)buf, (void)len;
    return H7_FLASH_EIO;
}

static void verify_through_flash(void **state)
{
    (void)state;
    static uint8_t dev[0x40000];
    struct h7_flash_ops ops = {.read = ram_read};
    struct h7_flash flash = {&ops, dev, 0x90000000, sizeof dev, 4096, 65536, 256};
    struct h7_image_info info;
    assert_int_equal(h7_image_parse(img, img_len, &info, NULL), 0);
    memset(dev, 0xFF, sizeof dev);
    memcpy(dev + 0x1000, img, img_len);
    uint8_t digest[32];
    assert_int_equal(h7_image_verify_flash(&info, &flash, 0x1000, digest), 0);
    assert_memory_equal(digest, img + info.image_size, 32);
    dev[0x1000 + 0x200] ^= 0x80;
    assert_int_equal(h7_image_verify_flash(&info, &flash, 0x1000, NULL), H7_IMAGE_E_HASH);
    assert_int_equal(h7_image_verify_flash(&info, &flash, sizeof dev - 100, NULL),
                     H7_IMAGE_E_TRUNCATED);
    ops.read = failing_read;
    assert_int_equal(h7_image_verify_flash(&info, &flash, 0x1000, NULL), H7_IMAGE_E_IO);
}

/* A reader over img that counts its calls and can be told to fail from call `fail_at` on. */
struct counting_reader {
    int calls, fail_at;
};
static int img_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
    struct counting_reader *r = ctx;
    if (++r->calls >= r->fail_at || off > img_len || len > img_len - off)
        return -1;
    memcpy(buf, img + off, len);
    return 0;
}

static void verify_through_reader(void **state)
{
    (void)state;
    struct h7_image_info info;
    assert_int_equal(h7_image_parse(img, img_len, &info, NULL), 0);
    struct counting_reader r = {0, 1 << 30};
    uint8_t digest[32];
    /* the stored SHA-256 read by the verifier (expected NULL), in 256-byte chunks */
    assert_int_equal(h7_image_verify_read(&info, img_read, &r, NULL, digest), 0);
    assert_memory_equal(digest, img + info.image_size, 32);
    assert_int_equal(r.calls, (int)((info.image_size + 255) / 256) + 1);
    /* the caller's expected hash is used instead of the stored one */
    uint8_t other[32];
    memcpy(other, digest, 32);
    other[31] ^= 1;
    r.calls = 0;
    assert_int_equal(h7_image_verify_read(&info, img_read, &r, other, NULL), H7_IMAGE_E_HASH);
    r.calls = 0;
    assert_int_equal(h7_image_verify_read(&info, img_read, &r, digest, NULL), 0);
    assert_int_equal(r.calls, (int)((info.image_size + 255) / 256));
    /* a changed payload byte, a stored hash that cannot be read, a read that fails midway */
    img[info.seg[2].offset + 7] ^= 0x40;
    r.calls = 0;
    assert_int_equal(h7_image_verify_read(&info, img_read, &r, NULL, NULL), H7_IMAGE_E_HASH);
    img[info.seg[2].offset + 7] ^= 0x40;
    r = (struct counting_reader){0, (int)((info.image_size + 255) / 256) + 1};
    assert_int_equal(h7_image_verify_read(&info, img_read, &r, NULL, NULL), H7_IMAGE_E_IO);
    r = (struct counting_reader){0, 3};
    assert_int_equal(h7_image_verify_read(&info, img_read, &r, NULL, NULL), H7_IMAGE_E_IO);
    assert_int_equal(h7_image_verify_read(NULL, img_read, &r, NULL, NULL), H7_IMAGE_E_ARG);
    assert_int_equal(h7_image_verify_read(&info, NULL, &r, NULL, NULL), H7_IMAGE_E_ARG);
}

/* Simulated target memory for the after-copy check. */
struct mem {
    uint32_t base;
    uint8_t *bytes;
    uint32_t size;
};
static struct mem mems[4];

static const void *map_mem(void *ctx, uint32_t addr, uint32_t len)
{
    (void)ctx;
    for (int i = 0; i < 4; i++)
        if (addr >= mems[i].base && (uint64_t)addr + len <= (uint64_t)mems[i].base + mems[i].size)
            return mems[i].bytes + (addr - mems[i].base);
    return NULL;
}

static void verify_after_copy(void **state)
{
    (void)state;
    static uint8_t itcm[0x10000], dtcm[0x20000], axi[0x80000];
    mems[0] = (struct mem){0x00000000, itcm, sizeof itcm};
    mems[1] = (struct mem){0x20000000, dtcm, sizeof dtcm};
    mems[2] = (struct mem){0x24000000, axi, sizeof axi};
    mems[3] = (struct mem){slot->origin, img, (uint32_t)img_len}; /* the slot, memory-mapped */
    struct h7_image_info info;
    assert_int_equal(h7_image_parse(img, img_len, &info, NULL), 0);
    /* what the bootloader does: copy each COPY segment to its destination */
    for (int i = 0; i < info.segment_count; i++)
        if (info.seg[i].kind == H7_SEG_COPY)
            memcpy((void *)map_mem(NULL, info.seg[i].dest, info.seg[i].size),
                   img + info.seg[i].offset, info.seg[i].size);
    uint8_t meta[H7_IMAGE_META_MAX];
    memcpy(meta, img, info.meta_size);
    uint8_t expected[32];
    memcpy(expected, img + info.image_size, 32);
    assert_int_equal(
        h7_image_verify_loaded(&info, meta, info.meta_size, map_mem, NULL, expected, NULL), 0);
    axi[0x1234] ^= 4; /* a copy went wrong */
    assert_int_equal(
        h7_image_verify_loaded(&info, meta, info.meta_size, map_mem, NULL, expected, NULL),
        H7_IMAGE_E_HASH);
    axi[0x1234] ^= 4;
    mems[0].size = 0x100; /* a destination the map cannot reach */
    assert_int_equal(
        h7_image_verify_loaded(&info, meta, info.meta_size, map_mem, NULL, expected, NULL),
        H7_IMAGE_E_IO);
}

/* ---- raw images ---- */

static void raw_images(void **state)
{
    (void)state;
    uint32_t sram_app[2] = {0x20020000, 0x24000199}; /* libDaisy BOOT_SRAM */
    uint32_t qspi_app[2] = {0x20020000, 0x90040199}; /* libDaisy BOOT_QSPI */
    const struct h7_region *r = h7_image_raw_reset_region(&daisy, sram_app);
    assert_non_null(r);
    assert_string_equal(r->name, "AXI_SRAM");
    r = h7_image_raw_reset_region(&daisy, qspi_app);
    assert_non_null(r);
    assert_string_equal(r->name, "QSPI");
    uint32_t bad[][2] = {
        {0x90040000, 0x24000199}, /* SP in flash */
        {0x20020002, 0x24000199}, /* SP not word-aligned */
        {0x20020000, 0x24000198}, /* no Thumb bit */
        {0x20020000, 0x20000199}, /* reset in DTCM: not executable */
        {0x20020000, 0x08000199}, /* reset in internal flash: not the slot's region */
        {0xFFFFFFFF, 0xFFFFFFFF}, /* erased */
        {0x00000000, 0x00000000},
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_null(h7_image_raw_reset_region(&daisy, bad[i]));
    /* an h7boot image is never a raw image, on any shipped board, whatever word 1 is */
    for (const struct h7_builtin_board *bb = h7_builtin_boards; bb->name; bb++) {
        struct h7_board b;
        assert_int_equal(h7_board_load(bb->name, &b, NULL, 0), 0);
        uint32_t words[2] = {H7_IMAGE_MAGIC, 0x24000199};
        assert_null(h7_image_raw_reset_region(&b, words));
        assert_null(h7_board_region_at(&b, H7_IMAGE_MAGIC - 1, 1));
    }
    uint32_t hdr[2] = {h7_le32(img), h7_le32(img + 4)};
    assert_true(h7_image_has_magic(img, img_len));
    assert_null(h7_image_raw_reset_region(&daisy, hdr));
}


/* ---- located headers: XIP bytes at the slot start (docs/image-format.md) ---- */

static uint8_t xip_app[0x3000]; /* a BOOT_QSPI app: vector table + code at the slot start */

static struct h7_image_build boot_qspi_app(void)
{
    fill(xip_app, sizeof xip_app, 9);
    memset(xip_app + 0x1C, 0, 16);                  /* entries 7-10: reserved, zero */
    h7_put_le32(xip_app, 0x20020000);               /* SP: top of DTCM */
    h7_put_le32(xip_app + 4, slot->origin + 0x201); /* reset handler in the slot */
    struct h7_image_build b = {0};
    b.load_address = slot->origin;
    b.entry = slot->origin + 0x201;
    b.vector_table = slot->origin;
    b.segment_count = 3;
    b.seg[0] = (struct h7_image_build_segment){slot->origin, sizeof xip_app, H7_SEG_XIP, xip_app};
    b.seg[1] = (struct h7_image_build_segment){0x24000000, sizeof dtcm_data, H7_SEG_COPY,
                                               dtcm_data}; /* .data, copied by the app */
    b.seg[2] = (struct h7_image_build_segment){0x24000100, 0x400, H7_SEG_ZERO, NULL};
    return b;
}

/* The slot holding img, erased (0xFF) after it, as the bootloader sees it. */
static int slot_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
    (void)ctx;
    for (uint32_t i = 0; i < len; i++)
        ((uint8_t *)buf)[i] = (uint64_t)off + i < img_len ? img[off + i] : 0xFF;
    return 0;
}

static int locate_img(uint32_t *at)
{
    return h7_image_locate(&daisy, slot->length, slot_read, NULL, at);
}

static void located_boot_qspi(void **state)
{
    (void)state;
    struct h7_image_build b = boot_qspi_app();
    struct h7_image_fault f;
    assert_int_equal(h7_image_build(&b, img, sizeof img, &img_len, &f), 0);
    uint32_t at = 0;
    assert_int_equal(locate_img(&at), H7_IMAGE_FOUND_HEADER);
    assert_int_equal(at, 0x3000); /* the first 4 KB boundary above the app's bytes */
    assert_int_equal(h7_le32(img + H7_IMAGE_LOCATOR_OFFSET), at);
    assert_memory_equal(img, xip_app, 0x1C); /* the app's own bytes, but for entry 7 */
    assert_memory_equal(img + 0x20, xip_app + 0x20, sizeof xip_app - 0x20);
    struct h7_image_info info;
    assert_int_equal(h7_image_parse(img + at, img_len - at, &info, &f), 0);
    assert_int_equal(h7_image_check_located(&info, at), 0);
    assert_int_equal(h7_image_check_located(&info, 0), H7_IMAGE_E_HEADER_OFFSET);
    assert_int_equal(info.flags, H7_IMAGE_FLAG_LOCATED);
    assert_int_equal(h7_image_check_board(&info, &daisy, slot, &f), 0);
    assert_int_equal(info.seg[0].offset, 0);
    assert_true(info.seg[1].offset >= at + info.meta_size); /* COPY after the metadata */
    assert_int_equal(h7_image_verify_mapped(&info, img, img_len, NULL), 0);
    uint32_t commit, total;
    assert_int_equal(h7_image_commit_word_offset(img + at, 64, &commit, &total, NULL), 0);
    assert_int_equal(total, img_len);
    assert_true(h7_image_is_committed(h7_le32(img + commit)));
    /* after the copy: the metadata is hashed where it stands, between the payloads */
    static uint8_t axi[0x1000];
    mems[0] = (struct mem){0x24000000, axi, sizeof axi};
    mems[1] = (struct mem){slot->origin, img, (uint32_t)img_len};
    mems[2] = mems[3] = (struct mem){0, NULL, 0};
    memcpy(axi, img + info.seg[1].offset, info.seg[1].size);
    assert_int_equal(h7_image_verify_loaded(&info, img + at, info.meta_size, map_mem, NULL,
                                            img + info.image_size, NULL),
                     0);
    axi[5] ^= 1;
    assert_int_equal(h7_image_verify_loaded(&info, img + at, info.meta_size, map_mem, NULL,
                                            img + info.image_size, NULL),
                     H7_IMAGE_E_HASH);
    /* the locator is hashed: a changed entry 7 is a hash mismatch, not a different image */
    img[H7_IMAGE_LOCATOR_OFFSET + 3] ^= 0x80;
    assert_int_equal(h7_image_verify_mapped(&info, img, img_len, NULL), H7_IMAGE_E_HASH);
    /* ... and without its locator, the same slot is a raw image (boots like program-dfu's) */
    h7_put_le32(img + H7_IMAGE_LOCATOR_OFFSET, 0);
    assert_int_equal(locate_img(&at), H7_IMAGE_FOUND_RAW);
    h7_put_le32(img + H7_IMAGE_LOCATOR_OFFSET, 0x2000); /* pointing at no header */
    assert_int_equal(locate_img(&at), H7_IMAGE_FOUND_RAW);
    /* an app that uses entry 7 itself cannot carry the locator: refused */
    xip_app[0x1C] = 1;
    b.seg[0].data = xip_app;
    assert_int_equal(h7_image_build(&b, NULL, 0, &img_len, &f), H7_IMAGE_E_HEADER_OFFSET);
    assert_int_equal(f.addr, slot->origin + 0x1C);
}

static void located_table_at_slot_start(void **state)
{
    (void)state;
    /* seed 001: a BOOT_SRAM app (vector table in AXI SRAM) whose const table libDaisy's
     * _sram.lds links at the slot start */
    static uint8_t table[0x4800];
    fill(table, sizeof table, 5);
    h7_put_le32(table, 0x3F800000); /* 1.0f: no RAM address, not a vector table */
    struct h7_image_build b = reference();
    b.seg[4] = (struct h7_image_build_segment){slot->origin, sizeof table, H7_SEG_XIP, table};
    struct h7_image_fault f;
    assert_int_equal(h7_image_build(&b, img, sizeof img, &img_len, &f), 0);
    uint32_t at = 0;
    assert_int_equal(locate_img(&at), H7_IMAGE_FOUND_HEADER);
    assert_int_equal(at, 0x5000);
    assert_memory_equal(img, table, sizeof table); /* the table is untouched */
    struct h7_image_info info;
    assert_int_equal(h7_image_parse(img + at, img_len - at, &info, &f), 0);
    assert_int_equal(h7_image_check_located(&info, at), 0);
    assert_int_equal(h7_image_check_board(&info, &daisy, slot, &f), 0);
    assert_int_equal(h7_image_verify_mapped(&info, img, img_len, NULL), 0);
    /* the header gone: nothing found (the scan stops at the slot end) */
    img[at] ^= 1;
    assert_int_equal(locate_img(&at), H7_IMAGE_FOUND_NOTHING);
    /* table bytes that look like a vector table make the slot a raw image */
    h7_put_le32(table, 0x20020000);
    h7_put_le32(table + 4, 0x24000101);
    assert_int_equal(h7_image_build(&b, img, sizeof img, &img_len, &f), 0);
    assert_int_equal(locate_img(&at), H7_IMAGE_FOUND_RAW);
    /* a magic at a 4 KB boundary below the header would stop the scan there: refused */
    h7_put_le32(table, 0x3F800000);
    h7_put_le32(table + 0x1000, H7_IMAGE_MAGIC);
    assert_int_equal(h7_image_build(&b, img, sizeof img, &img_len, &f), H7_IMAGE_E_HEADER_OFFSET);
    assert_int_equal(f.addr, slot->origin + 0x1000);
}

/* ---- the writer's own errors, and error names ---- */

static void builder_rejections(void **state)
{
    (void)state;
    struct h7_image_build b = reference();
    struct h7_image_fault f;
    size_t len;
    b.seg[4].dest = slot->origin - 0x100; /* XIP below the slot */
    assert_int_equal(h7_image_build(&b, NULL, 0, &len, &f), H7_IMAGE_E_SEG_XIP);
    assert_int_equal(f.segment, 4);
    b.seg[4].dest = slot->origin + 0x22; /* XIP misaligned */
    assert_int_equal(h7_image_build(&b, NULL, 0, &len, &f), H7_IMAGE_E_SEG_XIP);
    b = reference();
    b.seg[1].size = 0;
    assert_int_equal(h7_image_build(&b, NULL, 0, &len, &f), H7_IMAGE_E_SEG_EMPTY);
    b = reference();
    b.segment_count = 0;
    assert_int_equal(h7_image_build(&b, NULL, 0, &len, &f), H7_IMAGE_E_SEGMENT_COUNT);
    b = reference();
    assert_int_equal(h7_image_build(&b, img, 100, &len, &f), H7_IMAGE_E_TRUNCATED);
}

static void first_fit_around_xip(void **state)
{
    (void)state;
    /* a copy payload too big for the space before the XIP payload goes after it */
    static uint8_t big[0x20000];
    struct h7_image_build b = reference();
    b.seg[0] = (struct h7_image_build_segment){0x24000000, sizeof big, H7_SEG_COPY, big};
    memcpy(big, axi_code, 8);
    static uint8_t out[0x60000];
    size_t len;
    assert_int_equal(h7_image_build(&b, out, sizeof out, &len, NULL), 0);
    struct h7_image_info info;
    assert_int_equal(h7_image_parse(out, len, &info, NULL), 0);
    assert_int_equal(info.seg[2].kind, H7_SEG_XIP);
    assert_int_equal(info.seg[3].dest, 0x24000000);
    assert_int_equal(info.seg[3].offset, 0x10000 + 1000);
    assert_int_equal(h7_image_check_board(&info, &daisy, slot, NULL), 0);
    assert_int_equal(h7_image_verify_mapped(&info, out, len, NULL), 0);
}

/* The whole bootloader acceptance sequence on a small image: no single flipped bit anywhere in
 * the stored image (header, table, TLVs, payload, gaps, hash, commit word) gets through. */
static bool accepted(const uint8_t *buf, size_t len)
{
    struct h7_image_info info;
    return h7_image_parse(buf, len, &info, NULL) == 0 &&
           h7_image_check_board(&info, &daisy, slot, NULL) == 0 &&
           h7_image_verify_mapped(&info, buf, len, NULL) == 0 &&
           h7_image_is_committed(h7_le32(buf + h7_image_commit_offset(&info)));
}

static void every_bit_flip_rejected(void **state)
{
    (void)state;
    static uint8_t code[200], table[40], out[1024];
    struct h7_image_build b = {0};
    b.load_address = slot->origin;
    b.entry = 0x24000011;
    b.vector_table = 0x24000000;
    b.name = "tiny";
    b.name_len = 4;
    b.segment_count = 3;
    b.seg[0] = (struct h7_image_build_segment){0x24000000, sizeof code, H7_SEG_COPY, code};
    b.seg[1] =
        (struct h7_image_build_segment){slot->origin + 0x200, sizeof table, H7_SEG_XIP, table};
    b.seg[2] = (struct h7_image_build_segment){0x20000000, 0x100, H7_SEG_ZERO, NULL};
    size_t len;
    assert_int_equal(h7_image_build(&b, out, sizeof out, &len, NULL), 0);
    assert_true(accepted(out, len));
    unsigned tried = 0;
    for (size_t i = 0; i < len; i++)
        for (int bit = 0; bit < 8; bit++) {
            out[i] ^= (uint8_t)(1u << bit);
            if (accepted(out, len))
                fail_msg("flipping bit %d of byte 0x%zx was not detected", bit, i);
            out[i] ^= (uint8_t)(1u << bit);
            tried++;
        }
    assert_int_equal(tried, len * 8);
    assert_true(accepted(out, len));
}

static void error_names(void **state)
{
    (void)state;
    for (int e = 0; e > -H7_IMAGE_E_COUNT; e--) {
        const char *s = h7_image_strerror(e);
        assert_non_null(s);
        assert_null(strstr(s, "UNKNOWN"));
        for (int o = 0; o > e; o--)
            assert_string_not_equal(s, h7_image_strerror(o));
    }
    /* each code's text starts with its own name (the texts are one packed list in enum order) */
    static const struct {
        int err;
        const char *name;
    } names[] = {{H7_IMAGE_OK, "OK"},
                 {H7_IMAGE_E_TRUNCATED, "TRUNCATED: "},
                 {H7_IMAGE_E_HEADER_CRC, "HEADER_CRC: "},
                 {H7_IMAGE_E_SEG_ORDER, "SEG_ORDER: "},
                 {H7_IMAGE_E_SEG_RESERVED_RANGE, "SEG_RESERVED_RANGE: "},
                 {H7_IMAGE_E_HASH, "HASH: "},
                 {H7_IMAGE_E_ARG, "ARG: "},
                 {H7_IMAGE_E_HEADER_OFFSET, "HEADER_OFFSET: "}};
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
        assert_memory_equal(h7_image_strerror(names[i].err), names[i].name, strlen(names[i].name));
    assert_non_null(strstr(h7_image_strerror(1), "UNKNOWN"));
    assert_non_null(strstr(h7_image_strerror(-H7_IMAGE_E_COUNT), "UNKNOWN"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(reference_is_valid, fresh),
        cmocka_unit_test_setup(name_tlv, fresh),
        cmocka_unit_test_setup(header_rejections, fresh),
        cmocka_unit_test_setup(truncation, fresh),
        cmocka_unit_test_setup(tlv_rejections, fresh),
        cmocka_unit_test_setup(segment_rejections, fresh),
        cmocka_unit_test_setup(board_rejections, fresh),
        cmocka_unit_test_setup(entry_vector_rejections, fresh),
        cmocka_unit_test_setup(hash_rejections, fresh),
        cmocka_unit_test_setup(streaming_pieces, fresh),
        cmocka_unit_test_setup(verify_through_flash, fresh),
        cmocka_unit_test_setup(verify_through_reader, fresh),
        cmocka_unit_test_setup(verify_after_copy, fresh),
        cmocka_unit_test_setup(raw_images, fresh),
        cmocka_unit_test_setup(builder_rejections, fresh),
        cmocka_unit_test_setup(first_fit_around_xip, fresh),
        cmocka_unit_test(located_boot_qspi),
        cmocka_unit_test(located_table_at_slot_start),
        cmocka_unit_test(every_bit_flip_rejected),
        cmocka_unit_test(error_names),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
