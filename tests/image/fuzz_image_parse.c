/*
 * libFuzzer target: the image parser, board check, TLV walk and verifiers on arbitrary bytes
 * (as the bootloader would meet them in a slot). Must never crash, read out of bounds or hit
 * undefined behaviour; when parsing succeeds, the decoded segments must obey the rules the
 * bootloader relies on.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "board_parse.h"
#include "h7_image.h"

static struct h7_board board;
static const struct h7_range *slot;

static int count_tlv(void *ctx, uint16_t type, const uint8_t *value, uint16_t vlen)
{
    (void)type, (void)value;
    *(uint32_t *)ctx += vlen;
    return 0;
}

static int one_input(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!slot) {
        if (h7_board_load("daisy-seed", &board, NULL, 0))
            abort();
        slot = h7_board_range(&board, H7_RANGE_SLOT, "APP");
    }
    /* Odd-sized inputs get a valid magic and header CRC, so the fuzzer reaches the segment
     * table checks instead of stopping at the CRC. */
    uint8_t *copy = NULL;
    if (size >= H7_IMAGE_HEADER_SIZE && size % 2) {
        copy = malloc(size);
        memcpy(copy, data, size);
        h7_put_le32(copy, H7_IMAGE_MAGIC);
        h7_put_le16(copy + H7_IMAGE_OFF_FORMAT_VERSION, H7_IMAGE_FORMAT_VERSION);
        h7_put_le32(copy + H7_IMAGE_OFF_HEADER_CRC, h7_crc32(0, copy, H7_IMAGE_OFF_HEADER_CRC));
        data = copy;
    }
    int rc = one_input(data, size);
    free(copy);
    return rc;
}

static int one_input(const uint8_t *data, size_t size)
{
    struct h7_image_info info;
    struct h7_image_fault f;
    uint32_t meta, off, total;
    h7_image_meta_size(data, size, &meta, &f);
    h7_image_commit_word_offset(data, size, &off, &total, &f);
    if (size >= 8) {
        uint32_t words[2];
        memcpy(words, data, 8);
        h7_image_raw_reset_region(&board, words);
    }
    if (h7_image_parse(data, size, &info, &f) != 0) {
        if (f.err == 0 || h7_image_strerror(f.err) == NULL)
            abort();
        return 0;
    }
    if (info.meta_size > size || info.meta_size > H7_IMAGE_META_MAX)
        abort();
    uint32_t pos = info.meta_size;
    for (int i = 0; i < info.segment_count; i++) {
        const struct h7_image_segment *s = &info.seg[i];
        if ((uint64_t)s->dest + s->size > 0x100000000ull || s->size == 0)
            abort();
        if (s->kind != H7_SEG_ZERO) {
            if (s->offset < pos || (uint64_t)s->offset + s->size > info.image_size)
                abort();
            pos = s->offset + s->size;
        }
    }
    uint32_t tlv_bytes = 0;
    if (h7_image_tlv_walk(&info, data, size, count_tlv, &tlv_bytes) || tlv_bytes > info.tlv_size)
        abort();
    h7_image_check_board(&info, &board, slot, &f);
    h7_image_verify_mapped(&info, data, size, NULL);
    return 0;
}
