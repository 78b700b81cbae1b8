/*
 * h7boot_corrupt — make a damaged copy of a good packed image, one corruption class at a time,
 * for the QEMU refusal tests (tests/qemu-boot/CMakeLists.txt).
 *
 *   h7boot_corrupt CLASS IN.img OUT.img [BOARD]      (BOARD default qemu-mps2-an500)
 *
 * Classes, and what the bootloader must answer:
 *   header     format_version set to 9, header CRC fixed        -> header field invalid
 *   header-crc one entry-point bit flipped, CRC not fixed       -> header field invalid (CRC)
 *   segtable   segment 0's kind set to 7                        -> segment table malformed
 *   payload    one byte in the middle of the first copy payload -> SHA-256 mismatch in flash
 *   commit     commit word erased (0xFFFFFFFF)                  -> commit word missing
 *   truncate   the image cut at half its size, the rest erased  -> commit word missing
 *   reserved   a zero segment moved onto the BOOT_RAM reserve   -> segment in a reserved range
 *   outside    the SDRAM zero segment moved past SDRAM's end    -> segment outside the regions
 *   overlap    a zero segment moved onto a copy segment         -> segments overlap
 *   stack      vector word 0 (initial SP) 4 bytes lower: not 8-byte aligned  -> stack pointer
 *   stack-code vector word 0 at the end of the copy segment holding the vector table
 *                                                              -> stack pointer (in the code)
 *   reset      vector word 1 (reset vector) 0xDEADBEEF, entry unchanged -> reset vector
 *   entry      header entry 4 bytes after vector word 1 (still Thumb code) -> entry differs
 * For the structural classes (segtable, reserved, outside, overlap) and the vector classes
 * (stack, stack-code, reset, entry) the header CRC and the SHA-256 are recomputed,
 * so the one check the class aims at is the only thing that can refuse the image.
 * Exit status: 0 written, 1 bad input, 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board_parse.h"
#include "h7_image.h"

static uint8_t *img;
static size_t img_len;
static struct h7_image_info info;
static struct h7_board board;

static int die(const char *msg, const char *arg)
{
    fprintf(stderr, "h7boot_corrupt: %s%s\n", msg, arg ? arg : "");
    return 1;
}

static uint8_t *entry(int i)
{
    return img + info.header_size + (size_t)i * info.segment_entry_size;
}

/* The first segment of `kind` whose destination lies in region `name` (NULL: any), or -1. */
static int find_seg(int kind, const char *name)
{
    const struct h7_region *r = name ? h7_board_region(&board, name) : NULL;
    for (int i = 0; i < info.segment_count; i++)
        if (info.seg[i].kind == kind &&
            (!r || (info.seg[i].dest >= r->origin && info.seg[i].dest - r->origin < r->length)))
            return i;
    return -1;
}

static void seal(bool rehash)
{
    h7_put_le32(img + H7_IMAGE_OFF_HEADER_CRC, h7_crc32(0, img, H7_IMAGE_OFF_HEADER_CRC));
    if (rehash)
        h7_sha256(img, info.image_size, img + info.image_size);
}

static int move_seg(int i, uint32_t dest, const char *why)
{
    if (i < 0)
        return die("no segment to move for ", why);
    printf("h7boot_corrupt: segment %d (%s) dest 0x%08x -> 0x%08x\n", i, why, info.seg[i].dest,
           dest);
    h7_put_le32(entry(i) + H7_IMAGE_SEG_OFF_DEST, dest);
    seal(true);
    return 0;
}

/* Vector word k (0: initial SP, 1: reset vector) set to v, image resealed. */
static int set_vector(int k, uint32_t v)
{
    uint32_t off;
    if (h7_image_vector_offset(&info, &off, NULL))
        return die("vector table not in a copy/XIP payload", NULL);
    printf("h7boot_corrupt: vector word %d 0x%08x -> 0x%08x\n", k, h7_le32(img + off + 4u * k), v);
    h7_put_le32(img + off + 4u * k, v);
    seal(true);
    return 0;
}

static int corrupt(const char *cls)
{
    uint32_t vt_off = 0;
    if (!strncmp(cls, "stack", 5) || !strcmp(cls, "reset") || !strcmp(cls, "entry"))
        if (h7_image_vector_offset(&info, &vt_off, NULL))
            return die("vector table not in a copy/XIP payload", NULL);
    if (!strcmp(cls, "stack"))
        return set_vector(0, h7_le32(img + vt_off) - 4);
    if (!strcmp(cls, "stack-code")) {
        for (int i = 0; i < info.segment_count; i++) {
            const struct h7_image_segment *s = &info.seg[i];
            if (s->kind == H7_SEG_COPY && info.vector_table - s->dest < s->size)
                return set_vector(0, (s->dest + s->size) & ~7u);
        }
        return die("no copy segment holds the vector table", NULL);
    }
    if (!strcmp(cls, "reset"))
        return set_vector(1, 0xDEADBEEFu);
    if (!strcmp(cls, "entry")) {
        uint32_t e = h7_le32(img + vt_off + 4) + 4;
        printf("h7boot_corrupt: entry 0x%08x -> 0x%08x\n", info.entry, e);
        h7_put_le32(img + H7_IMAGE_OFF_ENTRY, e);
        seal(true);
        return 0;
    }
    if (!strcmp(cls, "header")) {
        h7_put_le16(img + H7_IMAGE_OFF_FORMAT_VERSION, 9);
        seal(false);
    } else if (!strcmp(cls, "header-crc")) {
        img[H7_IMAGE_OFF_ENTRY + 1] ^= 0x10;
    } else if (!strcmp(cls, "segtable")) {
        entry(0)[H7_IMAGE_SEG_OFF_KIND] = 7;
        seal(true);
    } else if (!strcmp(cls, "payload")) {
        int i = find_seg(H7_SEG_COPY, NULL);
        if (i < 0)
            return die("no copy segment", NULL);
        uint32_t at = info.seg[i].offset + info.seg[i].size / 2;
        printf("h7boot_corrupt: flipped bit 0 of byte 0x%x (segment %d payload)\n", at, i);
        img[at] ^= 1;
    } else if (!strcmp(cls, "commit")) {
        h7_put_le32(img + h7_image_commit_offset(&info), H7_IMAGE_UNCOMMITTED);
    } else if (!strcmp(cls, "truncate")) {
        size_t cut = info.image_size / 2;
        printf("h7boot_corrupt: cut at %zu of %zu bytes, rest erased (0xFF)\n", cut, img_len);
        memset(img + cut, 0xFF, img_len - cut);
    } else if (!strcmp(cls, "reserved")) {
        const struct h7_range *res = h7_board_range(&board, H7_RANGE_RESERVED, "BOOT_RAM");
        int i = find_seg(H7_SEG_ZERO, h7_board_region_at(&board, res->origin, 1)->name);
        if (i < 0)
            return die("no zero segment next to BOOT_RAM", NULL);
        return move_seg(i, (res->origin - info.seg[i].size / 2) & ~3u, "onto BOOT_RAM");
    } else if (!strcmp(cls, "outside")) {
        const struct h7_region *r = h7_board_region(&board, "SDRAM");
        int i = find_seg(H7_SEG_ZERO, "SDRAM");
        if (i < 0)
            return die("no zero segment in SDRAM", NULL);
        return move_seg(i, r->origin + r->length - ((info.seg[i].size / 2) & ~3u),
                        "past SDRAM's end");
    } else if (!strcmp(cls, "overlap")) {
        int c = find_seg(H7_SEG_COPY, NULL);
        int z = c < 0
                    ? -1
                    : find_seg(H7_SEG_ZERO, h7_board_region_at(&board, info.seg[c].dest, 1)->name);
        if (z < 0)
            return die("no copy and zero segment in one region", NULL);
        return move_seg(z, info.seg[c].dest + 4, "onto a copy segment");
    } else {
        return die("unknown class ", cls);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4 || argc > 5) {
        fprintf(stderr, "usage: h7boot_corrupt CLASS IN.img OUT.img [BOARD]\n");
        return 2;
    }
    char err[256];
    if (h7_board_load(argc == 5 ? argv[4] : "qemu-mps2-an500", &board, err, sizeof err))
        return die(err, NULL);
    FILE *in = fopen(argv[2], "rb");
    if (!in)
        return die("cannot open ", argv[2]);
    fseek(in, 0, SEEK_END);
    img_len = (size_t)ftell(in);
    rewind(in);
    img = malloc(img_len ? img_len : 1);
    if (fread(img, 1, img_len, in) != img_len)
        return die("cannot read ", argv[2]);
    fclose(in);
    struct h7_image_fault f;
    int e = h7_image_parse(img, img_len, &info, &f);
    if (e)
        return die(h7_image_strerror(e), NULL);
    if ((e = corrupt(argv[1])))
        return e;
    FILE *out = fopen(argv[3], "wb");
    if (!out || fwrite(img, 1, img_len, out) != img_len || fclose(out))
        return die("cannot write ", argv[3]);
    free(img);
    return 0;
}
