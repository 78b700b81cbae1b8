/*
 * libFuzzer target: the `h7boot pack` pipeline on hostile ELF input, and the DfuSe reader.
 *  - even first byte, or an ELF's 0x7f: the input is an ELF file as it is (libelf + PT_LOAD
 *    checks);
 *  - other odd first bytes: the input describes up to 8 PT_LOAD entries (paddr, vaddr, sizes) that the
 *    harness wraps in a valid ELF header, so the segment classification, layout, image writer
 *    and validator see addresses all over the board;
 *  - every input also goes through dfuse_read().
 * An image that pack_plan() and h7_image_build() accept must parse, fit the board and verify.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dfuse_file.h"
#include "pack_plan.h"

static struct h7_board board;
static struct h7_range slot;

static size_t wrap_in_elf(const uint8_t *d, size_t n, uint8_t *out, size_t cap)
{
    unsigned count = n > 1 ? (d[1] & 7) + 1 : 1;
    size_t ph = 52, data = ph + 32 * count, pos = data;
    if (data > cap)
        return 0;
    memset(out, 0, data);
    memcpy(out, "\177ELF\001\001\001", 7);
    h7_put_le16(out + 16, 2);  /* ET_EXEC */
    h7_put_le16(out + 18, 40); /* EM_ARM */
    h7_put_le32(out + 20, 1);
    h7_put_le32(out + 24, n >= 6 ? h7_le32(d + 2) : 0x24000001); /* entry */
    h7_put_le32(out + 28, (uint32_t)ph);
    h7_put_le16(out + 40, 52);
    h7_put_le16(out + 42, 32);
    h7_put_le16(out + 44, (uint16_t)count);
    h7_put_le16(out + 46, 40);
    for (unsigned i = 0; i < count; i++) {
        const uint8_t *s = d + 6 + 12 * i;
        uint8_t *p = out + ph + 32 * i;
        uint32_t paddr = 0, vaddr = 0, filesz = 0, memsz = 0;
        if (6 + 12 * (i + 1) <= n) {
            paddr = h7_le32(s);
            vaddr = h7_le32(s + 4) & 1 ? paddr : h7_le32(s + 4);
            filesz = h7_le16(s + 8) % 4096;
            memsz = filesz + (s[10] & 1 ? (uint32_t)s[11] << 8 : 0);
        }
        if (pos + filesz > cap)
            filesz = memsz = 0;
        for (uint32_t k = 0; k < filesz; k++)
            out[pos + k] = (uint8_t)(k * 13 + i);
        h7_put_le32(p, 1); /* PT_LOAD */
        h7_put_le32(p + 4, (uint32_t)pos);
        h7_put_le32(p + 8, vaddr);
        h7_put_le32(p + 12, paddr);
        h7_put_le32(p + 16, filesz);
        h7_put_le32(p + 20, memsz);
        h7_put_le32(p + 24, 7);
        h7_put_le32(p + 28, 4);
        pos += filesz;
    }
    return pos;
}

static void pack(const uint8_t *elf, size_t len)
{
    struct elf_file ef;
    static struct pack_plan plan;
    if (elf_open_memory(&ef, "fuzz.elf", elf, len, NULL, 0))
        return;
    if (pack_plan(&ef, &board, &slot, NULL, &plan, NULL, 0) == 0) {
        size_t img_len;
        if (h7_image_build(&plan.build, NULL, 0, &img_len, NULL) == 0 && img_len <= (1u << 20)) {
            uint8_t *img = malloc(img_len);
            struct h7_image_info info;
            if (h7_image_build(&plan.build, img, img_len, &img_len, NULL) ||
                h7_image_parse(img, img_len, &info, NULL) == H7_IMAGE_E_HEADER_CRC ||
                (h7_image_parse(img, img_len, &info, NULL) == 0 &&
                 h7_image_verify_mapped(&info, img, img_len, NULL) != 0))
                abort(); /* the writer produced something its own reader rejects as damaged */
            free(img);
        }
    }
    uint8_t *bin;
    size_t bin_len;
    if (pack_bin(&ef, &board, 0, &bin, &bin_len, NULL, 0) == 0)
        free(bin);
    elf_close(&ef);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!board.n_regions) {
        if (h7_board_load("daisy-seed", &board, NULL, 0) || cli_slot(&board, NULL, &slot, NULL, 0))
            abort();
    }
    static struct dfuse_image d;
    dfuse_read(data, size, &d, NULL, 0);
    if (size && (data[0] & 1) && data[0] != 0x7f) {
        static uint8_t elf[52 + 8 * 32 + 8 * 4096];
        size_t n = wrap_in_elf(data, size, elf, sizeof elf);
        if (n)
            pack(elf, n);
    } else if (size) {
        uint8_t *copy = malloc(size);
        memcpy(copy, data, size);
        pack(copy, size);
        free(copy);
    }
    return 0;
}
