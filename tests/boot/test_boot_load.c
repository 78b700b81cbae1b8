/*
 * Finding, checking, loading and re-verifying images, and the whole h7_boot_run sequence, on a
 * fake port whose RAM starts as garbage (0xA5) and whose SDRAM loses its contents at init.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fake_port.h"
#include "h7_image.h"
#include "h7_image_write.h"

static struct fake f;
static const struct h7_boot_config cfg = {
    .max_unconfirmed = 3, .raw_region = "SSRAM23", .raw_copy_size = 480 * 1024};

static int setup_mapped(void **state)
{
    (void)state;
    fake_init(&f, true);
    return 0;
}

static int setup_read(void **state)
{
    (void)state;
    fake_init(&f, false);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fake_free(&f);
    return 0;
}

static uint32_t region(const char *name)
{
    return h7_board_region(&f.board, name)->origin;
}

/* Run the whole sequence; returns the recovery reason, or -1 when it jumped. */
static int run(void)
{
    if (setjmp(f.done) == 0)
        h7_boot_run(&f.port, &cfg);
    return f.recovery_reason;
}

static bool all(const uint8_t *p, uint8_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != v)
            return false;
    return true;
}

static void valid_image_lands_everywhere(void **state)
{
    (void)state;
    fake_build_standard(&f);
    assert_int_equal(run(), -1);
    assert_int_equal(f.jumped_to, region("SSRAM1"));
    /* Vector table and code copied, .data copied, .bss zeroed over the garbage... */
    const uint8_t *code = fake_ptr(&f, region("SSRAM1"), 0x400);
    assert_int_equal(code[8], 0x11);
    assert_true(all(code + 8, 0x11, 0x400 - 8));
    assert_true(all(fake_ptr(&f, region("SSRAM23"), 0x100), 0x22, 0x100));
    assert_true(all(fake_ptr(&f, region("SSRAM23") + 0x100, 0x200), 0, 0x200));
    /* ...and nothing past the segments touched. */
    assert_true(all(fake_ptr(&f, region("SSRAM23") + 0x300, 16), FAKE_GARBAGE, 16));
    /* SDRAM zeroed after its init (which fills it with garbage), exactly once. */
    assert_int_equal(f.ram_init_calls, 1);
    assert_int_equal(f.ram_init_region_origin, region("SDRAM"));
    assert_true(all(fake_ptr(&f, region("SDRAM"), 0x1000), 0, 0x1000));
    /* The attempt was counted; the hand-off event names vector table, SP and reset. */
    assert_int_equal(h7_boot_attempts(&f.info), 1);
    const struct h7_boot_event *h = fake_last(&f, H7_EV_HANDOFF);
    assert_non_null(h);
    assert_int_equal(h->b, region("SSRAM23") + 0x100000u);
    assert_int_equal(h->c, region("SSRAM1") + 0x101);
    /* Every segment reported with its region. */
    int segs = 0;
    for (int i = 0; i < f.n_events; i++)
        segs += f.events[i].kind == H7_EV_SEGMENT;
    assert_int_equal(segs, 5);
}

/* Expect a refusal with `reason` and, when detail is not NULL, the image library's text; never
 * a jump. before_copy: refused before a byte moved (every check but the hash, which comes after
 * the copy). */
static void expect_refusal(enum h7_boot_reason reason, const char *detail, bool before_copy)
{
    assert_int_equal(run(), reason);
    const struct h7_boot_event *ev = fake_last(&f, H7_EV_REFUSED);
    assert_non_null(ev);
    assert_int_equal(ev->a, reason);
    assert_string_equal(ev->name, h7_boot_reason_text(reason));
    if (detail) {
        const struct h7_boot_event *d = fake_last(&f, H7_EV_DETAIL);
        assert_non_null(d);
        assert_non_null(strstr(d->name, detail));
    }
    if (before_copy)
        assert_null(fake_last(&f, H7_EV_SEGMENT)); /* nothing written to RAM */
    assert_null(fake_last(&f, H7_EV_HANDOFF));
    assert_int_equal(f.jumped_to, 0);
}

static void expect_refused(enum h7_boot_reason reason, const char *detail)
{
    expect_refusal(reason, detail, true);
}

static void expect_refused_after_copy(enum h7_boot_reason reason, const char *detail)
{
    expect_refusal(reason, detail, false);
}

static uint8_t *seg_entry(int i)
{
    return f.slot + H7_IMAGE_HEADER_SIZE + i * H7_IMAGE_SEGMENT_SIZE;
}

static void header_field_refused(void **state)
{
    (void)state;
    fake_build_standard(&f);
    h7_put_le16(f.slot + H7_IMAGE_OFF_FORMAT_VERSION, 9);
    fake_reseal(&f, true);
    expect_refused(H7_BOOT_ERR_HEADER, "FORMAT_VERSION");
}

static void header_crc_refused(void **state)
{
    (void)state;
    fake_build_standard(&f);
    f.slot[H7_IMAGE_OFF_ENTRY] ^= 0x40;
    expect_refused(H7_BOOT_ERR_HEADER, "HEADER_CRC");
}

static void segment_table_refused(void **state)
{
    (void)state;
    fake_build_standard(&f);
    seg_entry(1)[H7_IMAGE_SEG_OFF_KIND] = 7;
    fake_reseal(&f, true);
    expect_refused(H7_BOOT_ERR_SEG_TABLE, "SEG_KIND");
}

static void payload_byte_refused(void **state)
{
    (void)state;
    fake_build_standard(&f);
    uint32_t off = h7_le32(seg_entry(1) + H7_IMAGE_SEG_OFF_OFFSET);
    f.slot[off + 7] ^= 1;
    /* One pass: the damage shows in the hash over what was copied; the second look at the slot
     * (only on a mismatch) names flash as the culprit. */
    expect_refused_after_copy(H7_BOOT_ERR_HASH_FLASH, "HASH");
    assert_non_null(fake_last(&f, H7_EV_SEGMENT));
}

/* A damaged XIP payload: hashed where it runs, in the slot. */
static void xip_payload_byte_refused(void **state)
{
    (void)state;
    fake_build_standard(&f);
    uint32_t off = h7_le32(seg_entry(3) + H7_IMAGE_SEG_OFF_OFFSET);
    assert_int_equal(seg_entry(3)[H7_IMAGE_SEG_OFF_KIND], H7_SEG_XIP);
    f.slot[off + 3] ^= 0x80;
    expect_refused_after_copy(H7_BOOT_ERR_HASH_FLASH, "HASH");
}

/* One pass: the slot is read once — metadata, then each payload into RAM; the hash is over RAM,
 * not a second read of the slot (the old order read every payload twice). */
static void slot_read_once(void **state)
{
    (void)state;
    uint32_t total = fake_build_standard(&f);
    assert_int_equal(run(), -1);
    uint32_t copied = 0;
    for (int i = 0; i < f.n_events; i++)
        if (f.events[i].kind == H7_EV_SEGMENT && f.events[i].c == H7_SEG_COPY)
            copied += f.events[i].b;
    assert_int_equal(copied, 0x500);
    assert_true(total > 0x1000); /* the XIP table sits at slot + 0x1000 */
    /* Words 0 and 1 (find.c, and again in h7_image_locate, where word 0 is the magic: 16 bytes),
     * header and metadata (read twice: size first, then
     * whole), commit word, stored hash, the initial SP and reset vector checked before a byte
     * moves (image_entry.c: 8 bytes), and the payloads once; the XIP table is hashed in place
     * (no slot_read). */
    uint32_t meta = h7_le32(seg_entry(0) + H7_IMAGE_SEG_OFF_OFFSET); /* payloads follow it */
    assert_true(f.slot_bytes_read <=
                H7_IMAGE_HEADER_SIZE + meta + 4 + H7_IMAGE_HASH_SIZE + 16 + 8 + copied);
}

static void commit_word_refused(void **state)
{
    (void)state;
    uint32_t total = fake_build_standard(&f);
    h7_put_le32(f.slot + total - 4, H7_IMAGE_UNCOMMITTED);
    expect_refused(H7_BOOT_ERR_COMMIT, "UNCOMMITTED");
    h7_put_le32(f.slot + total - 4, H7_IMAGE_INVALIDATED);
    f.recovery_reason = -1;
    expect_refused(H7_BOOT_ERR_COMMIT, "UNCOMMITTED");
}

static void truncated_download_refused(void **state)
{
    (void)state;
    uint32_t total = fake_build_standard(&f);
    /* A download cut half-way: the rest of the slot is still erased. */
    memset(f.slot + total / 2, 0xFF, total - total / 2);
    expect_refused(H7_BOOT_ERR_COMMIT, "UNCOMMITTED");
}

static void image_larger_than_slot_refused(void **state)
{
    (void)state;
    fake_build_standard(&f);
    h7_put_le32(f.slot + H7_IMAGE_OFF_IMAGE_SIZE, f.port.slot->length);
    fake_reseal(&f, false);
    expect_refused(H7_BOOT_ERR_TRUNCATED, NULL);
}

static void segment_in_reserved_range_refused(void **state)
{
    (void)state;
    fake_build_standard(&f);
    const struct h7_range *boot_ram = h7_board_range(&f.board, H7_RANGE_RESERVED, "BOOT_RAM");
    h7_put_le32(seg_entry(2) + H7_IMAGE_SEG_OFF_DEST, boot_ram->origin - 0x100);
    fake_reseal(&f, true);
    expect_refused(H7_BOOT_ERR_SEG_RESERVED, "SEG_RESERVED_RANGE");
}

static void segment_outside_ram_refused(void **state)
{
    (void)state;
    fake_build_standard(&f);
    const struct h7_region *r = h7_board_region(&f.board, "SDRAM");
    h7_put_le32(seg_entry(4) + H7_IMAGE_SEG_OFF_DEST, r->origin + r->length - 0x800);
    fake_reseal(&f, true);
    expect_refused(H7_BOOT_ERR_SEG_OUTSIDE, "SEG_REGION");
}

static void overlapping_segments_refused(void **state)
{
    (void)state;
    fake_build_standard(&f);
    h7_put_le32(seg_entry(2) + H7_IMAGE_SEG_OFF_DEST, region("SSRAM23") + 0x80);
    fake_reseal(&f, true);
    expect_refused(H7_BOOT_ERR_SEG_OVERLAP, "SEG_OVERLAP");
}

static int corrupt_ram_init(void *ctx, const struct h7_region *r)
{
    (void)ctx;
    (void)r;
    /* Something scribbles over the copied .data while SDRAM comes up. */
    memset(fake_ptr(&f, region("SSRAM23") + 0x10, 1), 0x5A, 1);
    memset(fake_ptr(&f, r->origin, r->length), FAKE_GARBAGE, r->length);
    return 0;
}

static void ram_changed_after_copy_refused(void **state)
{
    (void)state;
    fake_build_standard(&f);
    f.port.ram_init = corrupt_ram_init;
    assert_int_equal(run(), H7_BOOT_ERR_HASH_RAM);
    assert_int_equal(f.jumped_to, 0);
}

static void ram_init_failure_refused(void **state)
{
    (void)state;
    fake_build_standard(&f);
    f.ram_init_result = -1;
    assert_int_equal(run(), H7_BOOT_ERR_RAM_INIT);
    assert_int_equal(f.jumped_to, 0);
}

static void empty_slot(void **state)
{
    (void)state;
    assert_int_equal(run(), H7_BOOT_ERR_SLOT_EMPTY);
}

static void put_raw(uint32_t sp, uint32_t reset)
{
    h7_put_le32(f.slot, sp);
    h7_put_le32(f.slot + 4, reset);
    memset(f.slot + 8, 0x44, 1024);
}

static void raw_ram_image_copied_480k(void **state)
{
    (void)state;
    put_raw(region("SSRAM23") + 0x80000, region("SSRAM23") + 0x201);
    assert_int_equal(run(), -1);
    assert_int_equal(f.jumped_to, region("SSRAM23"));
    const uint8_t *ram = fake_ptr(&f, region("SSRAM23"), 480 * 1024);
    assert_int_equal(h7_le32(ram + 4), region("SSRAM23") + 0x201);
    assert_true(all(ram + 8, 0x44, 1024));
    assert_int_equal(ram[480 * 1024 - 1], 0xFF); /* the fixed 480 KB, erased flash included */
    assert_true(all(fake_ptr(&f, region("SSRAM23") + 480 * 1024, 4), FAKE_GARBAGE, 4));
    const struct h7_boot_event *ev = fake_last(&f, H7_EV_IMAGE);
    assert_int_equal(ev->a, 0);
    assert_string_equal(ev->name, "raw");
}

static void raw_xip_image_runs_in_place(void **state)
{
    (void)state;
    put_raw(region("SSRAM23") + 0x80000, f.port.slot->origin + 0x401);
    assert_int_equal(run(), -1);
    assert_int_equal(f.jumped_to, f.port.slot->origin);
    assert_true(all(fake_ptr(&f, region("SSRAM23"), 16), FAKE_GARBAGE, 16)); /* no copy */
}

static void raw_bad_sp_refused(void **state)
{
    (void)state;
    put_raw(f.port.slot->origin + 0x1000, region("SSRAM23") + 0x201); /* SP in flash */
    assert_int_equal(run(), H7_BOOT_ERR_RAW_SP);
}

static void raw_bad_entry_refused(void **state)
{
    (void)state;
    put_raw(region("SSRAM23") + 0x80000, region("SDRAM") + 0x201); /* not the raw region */
    assert_int_equal(run(), H7_BOOT_ERR_RAW_ENTRY);
}

static void raw_images_can_be_disabled(void **state)
{
    (void)state;
    put_raw(region("SSRAM23") + 0x80000, region("SSRAM23") + 0x201);
    struct h7_boot_config c = cfg;
    c.raw_region = NULL;
    if (setjmp(f.done) == 0)
        h7_boot_run(&f.port, &c);
    assert_int_equal(f.recovery_reason, H7_BOOT_ERR_NO_IMAGE);
}

static void damaged_magic_image_is_not_booted_raw(void **state)
{
    (void)state;
    fake_build_standard(&f);
    f.slot[1] ^= 0x01; /* magic damaged: the rest is no vector table */
    int r = run();
    assert_true(r == H7_BOOT_ERR_RAW_SP || r == H7_BOOT_ERR_NO_IMAGE);
    assert_int_equal(f.jumped_to, 0);
}

/* ---- located headers: XIP bytes at the slot start (docs/image-format.md) ---- */

static uint8_t xip_code[0x2400], xip_data[0x100];

/* A libDaisy BOOT_QSPI-style app written with the real image writer: vector table and code run
 * in place from the slot start, .data copied to SSRAM23, .bss zeroed. */
static void put_located_xip(void)
{
    uint32_t slot = f.port.slot->origin;
    memset(xip_code, 0x33, sizeof xip_code);
    memset(xip_code + 0x1C, 0, 16); /* entries 7-10 reserved */
    h7_put_le32(xip_code, region("SSRAM23") + 0x80000);
    h7_put_le32(xip_code + 4, slot + 0x201);
    memset(xip_data, 0x22, sizeof xip_data);
    struct h7_image_build b = {.load_address = slot, .entry = slot + 0x201, .vector_table = slot,
                               .segment_count = 3};
    b.seg[0] = (struct h7_image_build_segment){slot, sizeof xip_code, H7_SEG_XIP, xip_code};
    b.seg[1] = (struct h7_image_build_segment){region("SSRAM23"), sizeof xip_data, H7_SEG_COPY,
                                               xip_data};
    b.seg[2] = (struct h7_image_build_segment){region("SSRAM23") + 0x100, 0x200, H7_SEG_ZERO, 0};
    size_t len;
    struct h7_image_fault fl;
    assert_int_equal(h7_image_build(&b, f.slot, f.port.slot->length, &len, &fl), 0);
}

static void located_xip_image_verified_and_booted(void **state)
{
    (void)state;
    put_located_xip();
    assert_int_equal(h7_le32(f.slot + H7_IMAGE_LOCATOR_OFFSET), 0x3000);
    assert_int_equal(run(), -1);
    assert_int_equal(f.jumped_to, f.port.slot->origin);
    const struct h7_boot_event *ev = fake_last(&f, H7_EV_IMAGE);
    assert_string_equal(ev->name, "h7boot"); /* verified, not booted as raw */
    assert_true(all(fake_ptr(&f, region("SSRAM23"), 0x100), 0x22, 0x100));
    assert_true(all(fake_ptr(&f, region("SSRAM23") + 0x100, 0x200), 0, 0x200));
}

static void located_xip_image_damaged_is_refused_not_raw(void **state)
{
    (void)state;
    put_located_xip();
    f.slot[0x800] ^= 1; /* a code byte: the slot still starts with a good vector table */
    assert_int_equal(run(), H7_BOOT_ERR_HASH_FLASH);
    assert_int_equal(f.jumped_to, 0);
}

static void stock_raw_image_without_locator_boots_raw(void **state)
{
    (void)state;
    put_located_xip();
    h7_put_le32(f.slot + H7_IMAGE_LOCATOR_OFFSET, 0); /* program-dfu's raw .bin: entry 7 zero */
    assert_int_equal(run(), -1);
    assert_string_equal(fake_last(&f, H7_EV_IMAGE)->name, "raw");
    assert_int_equal(f.jumped_to, f.port.slot->origin);
}

static void located_table_image_boots_from_ram(void **state)
{
    (void)state;
    /* seed 001: the const table linked at the slot start, vector table and code in SSRAM1 */
    uint32_t slot = f.port.slot->origin;
    static uint8_t table[0x5000], code[0x400];
    for (unsigned i = 0; i < sizeof table; i++)
        table[i] = (uint8_t)(i * 13 + 1);
    h7_put_le32(table, 0x3F800000); /* 1.0f */
    memset(code, 0x11, sizeof code);
    h7_put_le32(code, region("SSRAM23") + 0x80000);
    h7_put_le32(code + 4, region("SSRAM1") + 0x101);
    struct h7_image_build b = {.load_address = slot, .entry = region("SSRAM1") + 0x101,
                               .vector_table = region("SSRAM1"), .segment_count = 2};
    b.seg[0] = (struct h7_image_build_segment){slot, sizeof table, H7_SEG_XIP, table};
    b.seg[1] = (struct h7_image_build_segment){region("SSRAM1"), sizeof code, H7_SEG_COPY, code};
    size_t len;
    struct h7_image_fault fl;
    assert_int_equal(h7_image_build(&b, f.slot, f.port.slot->length, &len, &fl), 0);
    assert_int_equal(run(), -1);
    assert_int_equal(f.jumped_to, region("SSRAM1"));
    assert_memory_equal(f.slot, table, sizeof table); /* at its link address */
    assert_memory_equal(fake_ptr(&f, region("SSRAM1"), sizeof code), code, sizeof code);
}

static void request_word_keeps_the_bootloader(void **state)
{
    (void)state;
    fake_build_standard(&f);
    f.info.status = H7_BOOT_REQ_STAY;
    assert_int_equal(run(), H7_BOOT_STAY_REQUEST);
    assert_int_equal(f.ram_init_calls, 0);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_mapped, teardown)
#define TR(fn) cmocka_unit_test_setup_teardown(fn, setup_read, teardown)
    const struct CMUnitTest tests[] = {
        T(valid_image_lands_everywhere),
        TR(valid_image_lands_everywhere), /* slot read through slot_read, not mapped */
        T(header_field_refused),
        T(header_crc_refused),
        T(segment_table_refused),
        T(payload_byte_refused),
        TR(payload_byte_refused),
        T(xip_payload_byte_refused),
        TR(slot_read_once),
        T(commit_word_refused),
        T(truncated_download_refused),
        T(image_larger_than_slot_refused),
        T(segment_in_reserved_range_refused),
        T(segment_outside_ram_refused),
        T(overlapping_segments_refused),
        T(ram_changed_after_copy_refused),
        T(ram_init_failure_refused),
        T(empty_slot),
        T(raw_ram_image_copied_480k),
        T(raw_xip_image_runs_in_place),
        T(raw_bad_sp_refused),
        T(raw_bad_entry_refused),
        T(raw_images_can_be_disabled),
        T(damaged_magic_image_is_not_booted_raw),
        T(request_word_keeps_the_bootloader),
        T(located_xip_image_verified_and_booted),
        TR(located_xip_image_verified_and_booted),
        T(located_xip_image_damaged_is_refused_not_raw),
        T(stock_raw_image_without_locator_boots_raw),
        T(located_table_image_boots_from_ram),
        TR(located_table_image_boots_from_ram),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
