/*
 * cmd_pack.c — `h7boot pack APP.elf -o OUT [options]`: ELF -> .img, .dfu or .bin.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "dfuse_file.h"
#include "pack_plan.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: h7boot pack APP.elf -o OUT [--board NAME|FILE] [--slot ADDR]\n"
            "                   [--version X.Y.Z] [--vector ADDR] [--vid VID] [--pid PID]\n"
            "\n"
            "Pack the loadable segments (ELF program headers) of APP.elf. The kind of OUT comes\n"
            "from its extension:\n"
            "  .img  an h7boot image for the app slot: header, segments (copy to RAM, zero-fill,\n"
            "        execute in place), SHA-256 and commit word (docs/image-format.md)\n"
            "  .dfu  a DfuSe file for dfu-util: the image at the slot address, plus one element\n"
            "        per range the ELF places in external flash outside the slot (e.g. data in\n"
            "        the QSPI user area)\n"
            "  .bin  raw bytes, as objcopy -O binary writes them; only for an app whose bytes\n"
            "        all lie in one region and start with its vector table\n"
            "\n"
            "options:\n"
            "  -o, --output FILE   output file (required)\n"
            "  -b, --board B       board name or .board file (default: daisy-seed)\n"
            "  -s, --slot ADDR     slot address (default: the board's 'slot APP')\n"
            "  -V, --version X.Y.Z application version in the header (default 0.0.0)\n"
            "      --vector ADDR   vector table address (default: symbol g_pfnVectors,\n"
            "                      __isr_vector, __Vectors or __vector_table)\n"
            "      --vid VID       USB vendor ID in the .dfu suffix (default 0x0483)\n"
            "      --pid PID       USB product ID in the .dfu suffix (default 0xdf11)\n"
            "  -h, --help          this text\n"
            "\n"
            "Exit status: 0 written, 1 bad input (ELF, placement, board), 2 usage error.\n");
}

static int parse_version(const char *s, struct h7_image_build *b)
{
    unsigned x, y, z;
    char tail;
    if (sscanf(s, "%u.%u.%u%c", &x, &y, &z, &tail) != 3 || x > 255 || y > 255 || z > 65535)
        return -1;
    b->version_major = (uint8_t)x;
    b->version_minor = (uint8_t)y;
    b->version_patch = (uint16_t)z;
    return 0;
}

/* Say which image rule failed, naming the segment by what it is. */
static void report_fault(const char *elf, const struct h7_image_info *info,
                         const struct h7_board *board, const struct h7_image_fault *f)
{
    fprintf(stderr, "h7boot pack: %s: %s", elf, h7_image_strerror(f->err));
    if (f->segment >= 0 && info && f->segment < info->segment_count) {
        const struct h7_image_segment *s = &info->seg[f->segment];
        static const char *const kinds[] = {"?", "COPY", "ZERO", "XIP"};
        fprintf(stderr, ": %s segment 0x%08x..0x%08x (%u bytes, %s)",
                kinds[s->kind <= 3 ? s->kind : 0], s->dest, s->dest + s->size - 1, s->size,
                cli_region_name(board, s->dest, s->size));
        if (f->err == H7_IMAGE_E_SEG_RESERVED_RANGE) {
            const struct h7_range *r = h7_board_reserved_overlap(board, s->dest, s->size);
            if (r)
                fprintf(stderr, " overlaps reserved %s 0x%08x..0x%08x", r->name, r->origin,
                        r->origin + r->length - 1);
        }
        if (f->other >= 0 && f->other < info->segment_count)
            fprintf(stderr, " and segment 0x%08x..0x%08x", info->seg[f->other].dest,
                    info->seg[f->other].dest + info->seg[f->other].size - 1);
    } else if (f->addr || f->len) {
        fprintf(stderr, " (0x%08x, %u bytes)", f->addr, f->len);
    }
    fputc('\n', stderr);
}

int h7_cmd_pack(int argc, char **argv)
{
    enum { OPT_VECTOR = 256, OPT_VID, OPT_PID };
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"board", required_argument, NULL, 'b'},
        {"slot", required_argument, NULL, 's'},
        {"version", required_argument, NULL, 'V'},
        {"vector", required_argument, NULL, OPT_VECTOR},
        {"vid", required_argument, NULL, OPT_VID},
        {"pid", required_argument, NULL, OPT_PID},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *output = NULL, *board_spec = "daisy-seed", *version = NULL;
    uint32_t slot_addr, vector, vid = 0x0483, pid = 0xdf11;
    bool have_slot = false, have_vector = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:b:s:V:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            output = optarg;
            break;
        case 'b':
            board_spec = optarg;
            break;
        case 's':
            if (cli_u32(optarg, &slot_addr)) {
                fprintf(stderr, "h7boot pack: --slot '%s' is not a 32-bit address\n", optarg);
                return H7_EXIT_USAGE;
            }
            have_slot = true;
            break;
        case 'V':
            version = optarg;
            break;
        case OPT_VECTOR:
            if (cli_u32(optarg, &vector)) {
                fprintf(stderr, "h7boot pack: --vector '%s' is not a 32-bit address\n", optarg);
                return H7_EXIT_USAGE;
            }
            have_vector = true;
            break;
        case OPT_VID:
        case OPT_PID: {
            uint32_t *dst = c == OPT_VID ? &vid : &pid;
            if (cli_u32(optarg, dst) || *dst > 0xFFFF) {
                fprintf(stderr, "h7boot pack: --%s '%s' is not a 16-bit USB ID\n",
                        c == OPT_VID ? "vid" : "pid", optarg);
                return H7_EXIT_USAGE;
            }
            break;
        }
        case 'h':
            usage(stdout);
            return H7_EXIT_OK;
        default:
            usage(stderr);
            return H7_EXIT_USAGE;
        }
    }
    if (optind != argc - 1 || !output) {
        fprintf(stderr, "h7boot pack: %s\n\n",
                !output ? "missing -o OUT" : "expected exactly one ELF file");
        usage(stderr);
        return H7_EXIT_USAGE;
    }
    const char *elf_path = argv[optind];
    enum { IMG, DFU, BIN } kind;
    if (cli_has_ext(output, ".img"))
        kind = IMG;
    else if (cli_has_ext(output, ".dfu"))
        kind = DFU;
    else if (cli_has_ext(output, ".bin"))
        kind = BIN;
    else {
        fprintf(stderr, "h7boot pack: %s: the output name must end in .img, .dfu or .bin\n",
                output);
        return H7_EXIT_USAGE;
    }
    struct h7_image_build version_holder = {0};
    if (version && parse_version(version, &version_holder)) {
        fprintf(stderr, "h7boot pack: --version '%s' is not X.Y.Z (X, Y <= 255, Z <= 65535)\n",
                version);
        return H7_EXIT_USAGE;
    }

    char err[512];
    static struct h7_board board;
    struct h7_range slot;
    if (h7_board_load(board_spec, &board, err, sizeof err)) {
        fprintf(stderr, "h7boot pack: %s\n", err);
        return H7_EXIT_BAD_INPUT;
    }
    if (cli_slot(&board, have_slot ? &slot_addr : NULL, &slot, err, sizeof err)) {
        fprintf(stderr, "h7boot pack: %s\n", err);
        return H7_EXIT_BAD_INPUT;
    }
    struct elf_file ef;
    if (elf_open(&ef, elf_path, err, sizeof err)) {
        fprintf(stderr, "h7boot pack: %s\n", err);
        return H7_EXIT_BAD_INPUT;
    }
    int rc = H7_EXIT_BAD_INPUT;
    uint8_t *out = NULL;
    size_t out_len = 0;

    if (kind == BIN) {
        uint32_t vec;
        const char *sym;
        if (pack_find_vector(&ef, have_vector ? &vector : NULL, &vec, &sym, err, sizeof err) ||
            pack_bin(&ef, &board, vec, &out, &out_len, err, sizeof err)) {
            fprintf(stderr, "h7boot pack: %s\n", err);
            goto done;
        }
    } else {
        static struct pack_plan plan;
        if (pack_plan(&ef, &board, &slot, have_vector ? &vector : NULL, &plan, err, sizeof err)) {
            fprintf(stderr, "h7boot pack: %s\n", err);
            goto done;
        }
        plan.build.version_major = version_holder.version_major;
        plan.build.version_minor = version_holder.version_minor;
        plan.build.version_patch = version_holder.version_patch;
        const char *base = strrchr(elf_path, '/');
        base = base ? base + 1 : elf_path;
        plan.build.name = base;
        plan.build.name_len = (uint16_t)(strlen(base) > 200 ? 200 : strlen(base));
        if (kind == IMG && plan.n_extra) {
            const struct pack_extra *x = &plan.extra[0];
            fprintf(stderr,
                    "h7boot pack: %s: program header %u places %u bytes at 0x%08x (%s), "
                    "outside slot %s (0x%08x..0x%08x); an .img holds only the slot. Write a "
                    ".dfu, which carries them as a separate element\n",
                    elf_path, x->phdr, x->size, x->addr, x->region, slot.name, slot.origin,
                    slot.origin + slot.length - 1);
            goto done;
        }
        struct h7_image_fault f;
        size_t img_len;
        if (h7_image_build(&plan.build, NULL, 0, &img_len, &f)) {
            report_fault(elf_path, NULL, &board, &f);
            if (f.segment >= 0)
                fprintf(stderr, "  (input segment 0x%08x, %u bytes)\n",
                        plan.build.seg[f.segment].dest, plan.build.seg[f.segment].size);
            goto done;
        }
        /* The image is built straight into the output buffer: for a .dfu, where element 0's
         * data goes (no 7 MB copy). */
        static struct dfuse_image d;
        memset(&d, 0, sizeof d);
        d.vid = (uint16_t)vid;
        d.pid = (uint16_t)pid;
        d.alt = 0;
        snprintf(d.name, sizeof d.name, "h7boot %s", base);
        d.elements[d.n_elements++] = (struct dfuse_element){slot.origin, (uint32_t)img_len, NULL};
        for (unsigned i = 0; i < plan.n_extra; i++)
            d.elements[d.n_elements++] =
                (struct dfuse_element){plan.extra[i].addr, plan.extra[i].size, plan.extra[i].data};
        size_t img_off = kind == IMG ? 0 : dfuse_element_data_offset(&d, 0);
        out_len = kind == IMG ? img_len : dfuse_file_size(&d);
        out = malloc(out_len);
        uint8_t *img = out + img_off;
        h7_image_build(&plan.build, img, img_len, &img_len, &f);
        /* Read back the way the bootloader will: find the header, parse, check the board. */
        static struct h7_image_info info;
        uint32_t at;
        if (cli_locate(&board, slot.length, img, img_len, &at) != H7_IMAGE_FOUND_HEADER) {
            fprintf(stderr,
                    "h7boot pack: %s: the slot would start with bytes 0x%08x 0x%08x at 0x%08x, "
                    "which a reader takes for a raw vector table, so it would never look for "
                    "the header at offset 0x%x; put other data first at the slot start\n",
                    elf_path, h7_le32(img), h7_le32(img + 4), slot.origin, at);
            goto done;
        }
        if (h7_image_parse(img + at, img_len - at, &info, &f) ||
            (f.err = h7_image_check_located(&info, at)) ||
            h7_image_check_board(&info, &board, &slot, &f)) {
            report_fault(elf_path, &info, &board, &f);
            goto done;
        }
        if (info.header_offset)
            fprintf(stderr,
                    "h7boot pack: note: %s: execute-in-place bytes start the slot: header at "
                    "offset 0x%x (0x%08x)%s\n",
                    elf_path, at, slot.origin + at,
                    plan.build.vector_table == slot.origin
                        ? ", its offset in vector table entry 7 (reserved, was 0)"
                        : "");
        if (kind == DFU) {
            d.elements[0].data = img;
            dfuse_write(&d, out);
        }
    }
    if (cli_write_file(output, out, out_len, err, sizeof err)) {
        fprintf(stderr, "h7boot pack: %s\n", err);
        goto done;
    }
    rc = H7_EXIT_OK;
done:
    free(out);
    elf_close(&ef);
    return rc;
}
