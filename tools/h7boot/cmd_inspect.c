/*
 * cmd_inspect.c — `h7boot inspect FILE`: describe and verify an .img, .dfu or .bin file.
 * Every inconsistency is reported with the field and byte offset it was found at; any one of
 * them makes the exit status 1.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_io.h"
#include "commands.h"
#include "dfuse_file.h"
#include "h7_image.h"
#include "image_cli.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: h7boot inspect FILE [--board NAME|FILE] [--slot ADDR]\n"
                 "\n"
                 "Describe and verify an h7boot image (.img), a DfuSe file (.dfu) or a raw binary\n"
                 "(.bin): header, segments and the region each lands in, sizes, SHA-256, commit\n"
                 "word, DfuSe elements and suffix CRC, and a verdict. The kind is taken from the\n"
                 "contents (DfuSe suffix, image magic), else the file is treated as a raw image.\n"
                 "\n"
                 "options:\n"
                 "  -b, --board B   board to check against (default: the built-in board whose APP\n"
                 "                  slot is the image's load address; daisy-seed for raw images)\n"
                 "  -s, --slot ADDR slot address (default: the board's 'slot APP')\n"
                 "  -h, --help      this text\n"
                 "\n"
                 "Exit status: 0 valid, 1 bad, inconsistent or truncated file, 2 usage error.\n");
}

struct ctx {
    const char *board_spec; /* NULL: choose */
    const uint32_t *slot_addr;
};

static const char *header_field_name(uint32_t off)
{
    static const struct {
        uint32_t off;
        const char *name;
    } fields[] = {
        {H7_IMAGE_OFF_MAGIC, "magic"},
        {H7_IMAGE_OFF_FORMAT_VERSION, "format_version"},
        {H7_IMAGE_OFF_HEADER_SIZE, "header_size"},
        {H7_IMAGE_OFF_FLAGS, "flags"},
        {H7_IMAGE_OFF_VERSION, "version"},
        {H7_IMAGE_OFF_ENTRY, "entry"},
        {H7_IMAGE_OFF_VECTOR_TABLE, "vector_table"},
        {H7_IMAGE_OFF_SEGMENT_COUNT, "segment_count"},
        {H7_IMAGE_OFF_SEGMENT_SIZE, "segment_entry_size"},
        {H7_IMAGE_OFF_TLV_SIZE, "tlv_size"},
        {H7_IMAGE_OFF_IMAGE_SIZE, "image_size"},
        {H7_IMAGE_OFF_LOAD_ADDRESS, "load_address"},
        {H7_IMAGE_OFF_RESERVED, "reserved"},
        {H7_IMAGE_OFF_HEADER_CRC, "header_crc"},
    };
    const char *name = "header";
    for (unsigned i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (off >= fields[i].off)
            name = fields[i].name;
    return name;
}

static const char *kind_name(uint8_t k)
{
    return k == H7_SEG_COPY ? "COPY" : k == H7_SEG_ZERO ? "ZERO" : k == H7_SEG_XIP ? "XIP" : "?";
}

/* "header field 'image_size' (offset 0x20)" / "segment 2 field 'offset' (offset 0x68)" */
static void describe_field(const uint8_t *buf, size_t len, const struct h7_image_fault *f,
                           char *out, size_t outlen)
{
    uint16_t hsize = len >= 8 ? h7_le16(buf + H7_IMAGE_OFF_HEADER_SIZE) : 64;
    uint16_t esize = len >= 28 ? h7_le16(buf + H7_IMAGE_OFF_SEGMENT_SIZE) : 16;
    if (f->segment >= 0) {
        static const char *const seg_fields[] = {
            "dest",   "dest",   "dest",   "dest",   "size", "size",  "size",     "size",
            "offset", "offset", "offset", "offset", "kind", "flags", "reserved", "reserved"};
        uint32_t rel = esize ? (f->field - hsize) % esize : 0;
        snprintf(out, outlen, "segment %d field '%s' (offset 0x%x)", f->segment,
                 rel < 16 ? seg_fields[rel] : "extension", f->field);
    } else if (f->field < H7_IMAGE_HEADER_SIZE) {
        snprintf(out, outlen, "header field '%s' (offset 0x%x)", header_field_name(f->field),
                 f->field);
    } else {
        snprintf(out, outlen, "offset 0x%x", f->field);
    }
}

static void hex32(const uint8_t *d, char *out)
{
    for (int i = 0; i < 32; i++)
        sprintf(out + 2 * i, "%02x", d[i]);
}

static int name_cb(void *c, uint16_t type, const uint8_t *value, uint16_t vlen)
{
    char name[4 * 255 + 1];
    if (type == H7_TLV_NAME) /* the app's name, escaped: no terminal codes from a file */
        printf("name:      %s\n", cli_escape(value, vlen, name, sizeof name));
    else
        printf("tlv:       type 0x%04x, %u bytes\n", type, vlen);
    (void)c;
    return 0;
}

/* Choose the board (given, or the built-in board whose APP slot is at addr, or daisy-seed). */
static int pick_board(const struct ctx *cx, uint32_t addr, struct h7_board *board,
                      struct h7_range *slot, const char *label)
{
    char err[512];
    if (cx->board_spec) {
        if (h7_board_load(cx->board_spec, board, err, sizeof err)) {
            fprintf(stderr, "h7boot inspect: %s\n", err);
            return -1;
        }
    } else if (cli_board_with_slot_at(addr, board) &&
               h7_board_load("daisy-seed", board, err, sizeof err)) {
        fprintf(stderr, "h7boot inspect: %s\n", err);
        return -1;
    }
    if (cli_slot(board, cx->slot_addr, slot, err, sizeof err)) {
        fprintf(stderr, "h7boot inspect: %s: %s\n", label, err);
        return -1;
    }
    return 0;
}

/* An h7boot image in buf (the slot's bytes from its start), its header at offset `at` (0, or
 * a located header's offset). The buffer must end with the trailer (a file, an element). */
static int inspect_image(const struct ctx *cx, const char *label, const uint8_t *buf, size_t len,
                         uint32_t at)
{
    static struct h7_image_info info;
    struct h7_image_fault f;
    char where[128];
    int bad = 0;
    const uint8_t *hdr = buf + at; /* header, segment table, TLVs */
    size_t hlen = len - at;
    if (h7_image_parse(hdr, hlen, &info, &f) || (f.err = h7_image_check_located(&info, at))) {
        if (f.err == H7_IMAGE_E_HEADER_OFFSET)
            f.field = H7_IMAGE_OFF_HEADER_OFFSET, f.addr = info.header_offset;
        describe_field(hdr, hlen, &f, where, sizeof where);
        if (f.err == H7_IMAGE_E_TRUNCATED)
            fprintf(stderr, "h7boot inspect: %s: %s: the file has %zu bytes, the header needs %u\n",
                    label, h7_image_strerror(f.err), len, f.len);
        else
            fprintf(stderr, "h7boot inspect: %s: %s: %s, value 0x%08x%s\n", label,
                    h7_image_strerror(f.err), where, f.addr,
                    f.other >= 0 ? " (conflicts with another segment)" : "");
        printf("verdict:   BAD\n");
        return H7_EXIT_BAD_INPUT;
    }
    struct h7_board board;
    struct h7_range slot;
    if (pick_board(cx, info.load_address, &board, &slot, label))
        return H7_EXIT_BAD_INPUT;
    printf("image:     %s (h7boot image format %u, %zu bytes)\n", label, info.format_version, len);
    printf("board:     %s, slot %s 0x%08x..0x%08x\n", board.name, slot.name, slot.origin,
           slot.origin + slot.length - 1);
    printf("version:   %u.%u.%u\n", info.version_major, info.version_minor, info.version_patch);
    h7_image_tlv_walk(&info, hdr, hlen, name_cb, NULL);
    printf("flags:     0x%08x%s%s\n", info.flags,
           info.flags & H7_IMAGE_FLAG_LOCATED ? " LOCATED" : "",
           info.flags & H7_IMAGE_FLAG_RESET_CLOCKS ? " RESET_CLOCKS (libDaisy app)" : "");
    if (info.header_offset) {
        uint32_t loc = len >= H7_IMAGE_LOCATOR_OFFSET + 4 ? h7_le32(buf + H7_IMAGE_LOCATOR_OFFSET)
                                                          : 0;
        printf("header:    at offset 0x%x (0x%08x): execute-in-place bytes start the slot\n",
               info.header_offset, info.load_address + info.header_offset);
        if (loc == info.header_offset)
            printf("locator:   vector table entry 7 (offset 0x%x) = 0x%x; the ELF has 0 in this "
                   "reserved entry\n",
                   H7_IMAGE_LOCATOR_OFFSET, loc);
        else
            printf("locator:   none (found at the first 4 KB boundary holding the magic)\n");
    }
    printf("load at:   0x%08x\n", info.load_address);
    printf("entry:     0x%08x (%s)\n", info.entry, cli_region_name(&board, info.entry & ~1u, 2));
    printf("vectors:   0x%08x (%s)\n", info.vector_table,
           cli_region_name(&board, info.vector_table, 8));
    printf("segments:  %u (metadata %u bytes)\n", info.segment_count, info.meta_size);
    printf("   #  kind  dest        end         size        offset      region\n");
    for (int i = 0; i < info.segment_count; i++) {
        const struct h7_image_segment *s = &info.seg[i];
        printf("  %2d  %-4s  0x%08x  0x%08x  %-10u  0x%08x  %s\n", i, kind_name(s->kind), s->dest,
               s->dest + s->size - 1, s->size, s->offset,
               cli_region_name(&board, s->dest, s->size));
    }
    if (h7_image_check_board(&info, &board, &slot, &f)) {
        describe_field(hdr, hlen, &f, where, sizeof where);
        fprintf(stderr, "h7boot inspect: %s: %s: %s, 0x%08x..0x%08x on board %s\n", label,
                h7_image_strerror(f.err), where, f.addr, f.addr + (f.len ? f.len - 1 : 0),
                board.name);
        bad = 1;
    }
    uint64_t total = (uint64_t)info.image_size + H7_IMAGE_TRAILER_SIZE;
    printf("size:      %u bytes hashed + %u trailer = %llu bytes in the slot\n", info.image_size,
           H7_IMAGE_TRAILER_SIZE, (unsigned long long)total);
    if (len < total) {
        fprintf(stderr,
                "h7boot inspect: %s: TRUNCATED: the header says image + trailer are %llu "
                "bytes (bytes 0..0x%llx), the file has %zu\n",
                label, (unsigned long long)total, (unsigned long long)total - 1, len);
        printf("verdict:   BAD\n");
        return H7_EXIT_BAD_INPUT;
    }
    if (len > total) {
        fprintf(stderr,
                "h7boot inspect: %s: %zu unexpected bytes after the trailer (offset 0x%llx.."
                "0x%zx)\n",
                label, len - (size_t)total, (unsigned long long)total, len - 1);
        bad = 1;
    }
    uint8_t actual[32];
    char stored_hex[65], actual_hex[65];
    int hrc = h7_image_verify_mapped(&info, buf, len, actual);
    hex32(buf + info.image_size, stored_hex);
    hex32(actual, actual_hex);
    printf("sha256:    %s (stored at offset 0x%x)\n", stored_hex, info.image_size);
    if (hrc) {
        fprintf(stderr,
                "h7boot inspect: %s: %s: bytes 0..0x%x hash to %s, the trailer at offset 0x%x "
                "holds %s\n",
                label, h7_image_strerror(hrc), info.image_size - 1, actual_hex, info.image_size,
                stored_hex);
        bad = 1;
    }
    uint32_t commit = h7_le32(buf + h7_image_commit_offset(&info));
    const char *state = commit == H7_IMAGE_COMMITTED     ? "committed"
                        : commit == H7_IMAGE_UNCOMMITTED ? "erased: not committed"
                        : commit == H7_IMAGE_INVALIDATED ? "invalidated"
                                                         : "damaged";
    printf("commit:    0x%08x (%s) at offset 0x%x\n", commit, state, h7_image_commit_offset(&info));
    if (commit != H7_IMAGE_COMMITTED) {
        fprintf(stderr,
                "h7boot inspect: %s: %s: the commit word at offset 0x%x is 0x%08x, not "
                "0x%08x\n",
                label, h7_image_strerror(H7_IMAGE_E_UNCOMMITTED), h7_image_commit_offset(&info),
                commit, H7_IMAGE_COMMITTED);
        bad = 1;
    }
    /* The values the core jumps through: the bootloader's own check (image_entry.c). */
    uint32_t vt_off, words[2];
    int vrc = h7_image_vector_offset(&info, &vt_off, &f);
    if (!vrc && vt_off <= len - 8) {
        words[0] = h7_le32(buf + vt_off);
        words[1] = h7_le32(buf + vt_off + 4);
        vrc = h7_image_check_vectors(&info, &board, words, &f);
    }
    if (vrc) {
        const char *what = vrc == H7_IMAGE_E_STACK   ? "initial SP (vector word 0)"
                           : vrc == H7_IMAGE_E_RESET ? "reset vector (vector word 1)"
                           : vrc == H7_IMAGE_E_ENTRY_VECTOR
                               ? "header entry (vector word 1 is different)"
                               : "vector table";
        fprintf(stderr, "h7boot inspect: %s: %s: %s 0x%08x at offset 0x%x\n", label,
                h7_image_strerror(vrc), what, f.addr, f.field);
        bad = 1;
    }
    printf("verdict:   %s\n", bad ? "BAD" : "OK (bootable)");
    return bad ? H7_EXIT_BAD_INPUT : H7_EXIT_OK;
}

static int inspect_raw(const struct ctx *cx, const char *label, const uint8_t *buf, size_t len);

/* The bytes of a slot from its start: an h7boot image (header at 0 or located, found by the
 * bootloader's rule, h7_image_locate) or a raw image. */
static int inspect_slot_bytes(const struct ctx *cx, const char *label, const uint8_t *buf,
                              size_t len, bool want_image)
{
    struct h7_board board;
    struct h7_range slot;
    uint32_t at = 0;
    if (!h7_image_has_magic(buf, len)) {
        if (pick_board(cx, 0xFFFFFFFF, &board, &slot, label))
            return H7_EXIT_BAD_INPUT;
        if (cli_locate(&board, slot.length, buf, len, &at) != H7_IMAGE_FOUND_HEADER && !want_image)
            return inspect_raw(cx, label, buf, len);
    }
    return inspect_image(cx, label, buf, len, at);
}

/* A raw Daisy image (vector table first, no header). */
static int inspect_raw(const struct ctx *cx, const char *label, const uint8_t *buf, size_t len)
{
    struct h7_board board;
    struct h7_range slot;
    if (pick_board(cx, 0xFFFFFFFF, &board, &slot, label))
        return H7_EXIT_BAD_INPUT;
    if (len < 8) {
        fprintf(stderr, "h7boot inspect: %s: %zu bytes: too short for a vector table\n", label,
                len);
        printf("verdict:   BAD\n");
        return H7_EXIT_BAD_INPUT;
    }
    uint32_t words[2] = {h7_le32(buf), h7_le32(buf + 4)};
    printf("raw:       %s (no header: vector table first, %zu bytes)\n", label, len);
    printf("board:     %s, slot %s 0x%08x..0x%08x\n", board.name, slot.name, slot.origin,
           slot.origin + slot.length - 1);
    printf("sp:        0x%08x (%s)\n", words[0],
           words[0] ? cli_region_name(&board, words[0] - 1, 1) : "no region");
    printf("reset:     0x%08x (%s)\n", words[1], cli_region_name(&board, words[1] & ~1u, 2));
    const struct h7_region *r = h7_image_raw_reset_region(&board, words);
    if (!r) {
        fprintf(stderr,
                "h7boot inspect: %s: not a raw image for board %s: word 0 (initial SP "
                "0x%08x, offset 0) must be the top of a RAM region and word 1 (reset vector "
                "0x%08x, offset 4) a Thumb address in executable RAM or in the slot's flash\n",
                label, board.name, words[0], words[1]);
        printf("verdict:   BAD\n");
        return H7_EXIT_BAD_INPUT;
    }
    bool ram = r->flags & H7_REGION_RAM;
    uint32_t room = ram ? r->length : slot.length;
    printf("boots:     %s (%s), no hash to check\n", ram ? "copied to RAM" : "in place", r->name);
    if (len > room) {
        fprintf(stderr, "h7boot inspect: %s: %zu bytes do not fit in %s (%u bytes)\n", label, len,
                ram ? r->name : slot.name, room);
        printf("verdict:   BAD\n");
        return H7_EXIT_BAD_INPUT;
    }
    printf("verdict:   OK (raw image, unverified)\n");
    return H7_EXIT_OK;
}

static int inspect_dfu(const struct ctx *cx, const char *path, const uint8_t *buf, size_t len)
{
    static struct dfuse_image d;
    char err[512];
    if (dfuse_read(buf, len, &d, err, sizeof err)) {
        fprintf(stderr, "h7boot inspect: %s: %s\n", path, err);
        printf("verdict:   BAD\n");
        return H7_EXIT_BAD_INPUT;
    }
    printf("dfuse:     %s (%zu bytes), USB %04x:%04x, bcdDevice 0x%04x, suffix CRC ok\n", path, len,
           d.vid, d.pid, d.bcd_device);
    char name[4 * sizeof d.name + 1];
    printf("target:    alt %u, name \"%s\", %u elements\n", d.alt,
           cli_escape(d.name, (size_t)-1, name, sizeof name), d.n_elements);
    struct h7_board board;
    struct h7_range slot;
    uint32_t first = d.n_elements ? d.elements[0].address : 0xFFFFFFFF;
    if (pick_board(cx, first, &board, &slot, path))
        return H7_EXIT_BAD_INPUT;
    int bad = 0, image_at = -1;
    for (unsigned i = 0; i < d.n_elements; i++) {
        const struct dfuse_element *e = &d.elements[i];
        const struct h7_region *r = h7_board_region_at(&board, e->address, e->size);
        printf("element %u: 0x%08x..0x%08x  %u bytes  %s\n", i, e->address,
               e->address + (e->size ? e->size - 1 : 0), e->size, r ? r->name : "no region");
        if (!r || !(r->flags & H7_REGION_FLASH)) {
            fprintf(stderr,
                    "h7boot inspect: %s: element %u at 0x%08x (%u bytes) is not inside "
                    "one flash region of board %s\n",
                    path, i, e->address, e->size, board.name);
            bad = 1;
        }
        for (unsigned j = 0; j < i; j++)
            if (h7_ranges_overlap(e->address, e->size, d.elements[j].address, d.elements[j].size)) {
                fprintf(stderr, "h7boot inspect: %s: elements %u and %u overlap at 0x%08x\n", path,
                        j, i, e->address);
                bad = 1;
            }
        if (e->address == slot.origin)
            image_at = (int)i;
    }
    if (image_at < 0) {
        printf("note:      no element at slot %s (0x%08x): this file holds no app image\n",
               slot.name, slot.origin);
    } else {
        char label[600];
        const struct dfuse_element *e = &d.elements[image_at];
        snprintf(label, sizeof label, "%s element %d", path, image_at);
        struct ctx sub = *cx;
        sub.board_spec = cx->board_spec ? cx->board_spec : board.name;
        int rc = inspect_slot_bytes(&sub, label, e->data, e->size, false);
        bad |= rc != 0;
        if (rc == H7_EXIT_OK && bad)
            printf("verdict:   BAD (DfuSe elements)\n");
        return bad ? H7_EXIT_BAD_INPUT : H7_EXIT_OK;
    }
    printf("verdict:   %s\n", bad ? "BAD" : "OK");
    return bad ? H7_EXIT_BAD_INPUT : H7_EXIT_OK;
}

int h7_cmd_inspect(int argc, char **argv)
{
    static const struct option opts[] = {
        {"board", required_argument, NULL, 'b'},
        {"slot", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct ctx cx = {0};
    uint32_t slot_addr;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "b:s:h", opts, NULL)) != -1) {
        switch (c) {
        case 'b':
            cx.board_spec = optarg;
            break;
        case 's':
            if (cli_u32(optarg, &slot_addr)) {
                fprintf(stderr, "h7boot inspect: --slot '%s' is not a 32-bit address\n", optarg);
                return H7_EXIT_USAGE;
            }
            cx.slot_addr = &slot_addr;
            break;
        case 'h':
            usage(stdout);
            return H7_EXIT_OK;
        default:
            usage(stderr);
            return H7_EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "h7boot inspect: expected exactly one FILE\n\n");
        usage(stderr);
        return H7_EXIT_USAGE;
    }
    const char *path = argv[optind];
    char err[512];
    size_t len;
    uint8_t *buf = cli_read_file(path, &len, err, sizeof err);
    if (!buf) {
        fprintf(stderr, "h7boot inspect: %s\n", err);
        return H7_EXIT_BAD_INPUT;
    }
    int rc;
    /* A .dfu by name or by its suffix signature; an image by its magic; else raw. */
    bool dfu_suffix = len >= DFUSE_SUFFIX_SIZE && !memcmp(buf + len - 8, "UFD", 3);
    if (cli_has_ext(path, ".dfu") || dfu_suffix)
        rc = inspect_dfu(&cx, path, buf, len);
    else
        rc = inspect_slot_bytes(&cx, path, buf, len, cli_has_ext(path, ".img"));
    free(buf);
    return rc;
}
