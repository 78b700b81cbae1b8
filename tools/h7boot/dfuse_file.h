/*
 * dfuse_file.h — DfuSe (.dfu) files: write and read/validate (ST UM0391, "DfuSe File Format").
 *
 *   prefix  11 B: "DfuSe", u8 version 1, u32 file size (all of it), u8 number of targets
 *   target 274 B: "Target", u8 alt setting, u32 named (1), char name[255], u32 size of the
 *                 target's elements (headers + data), u32 number of elements
 *   element  8 B + data: u32 address, u32 size
 *   suffix  16 B: u16 bcdDevice, u16 idProduct, u16 idVendor, u16 bcdDFU 0x011a, "UFD",
 *                 u8 length 16, u32 CRC-32 of everything before it WITHOUT the final XOR
 * All little-endian. Facts: ../shared/facts/dfuse.md; dfu-util's dfu-suffix and dfuse-pack
 * are the reference readers/writers the tests compare with.
 */
#ifndef H7BOOT_DFUSE_FILE_H
#define H7BOOT_DFUSE_FILE_H

#include <stddef.h>
#include <stdint.h>

#define DFUSE_PREFIX_SIZE 11u
#define DFUSE_TARGET_SIZE 274u
#define DFUSE_ELEMENT_SIZE 8u
#define DFUSE_SUFFIX_SIZE 16u
#define DFUSE_BCD_DFU 0x011Au
#define DFUSE_MAX_ELEMENTS 64u

struct dfuse_element {
    uint32_t address;
    uint32_t size;
    const uint8_t *data;
};

/* One target (alt setting) with its elements: all h7boot writes. */
struct dfuse_image {
    uint16_t vid, pid, bcd_device;
    uint8_t alt;
    char name[256]; /* target name ("" = not named) */
    unsigned n_elements;
    struct dfuse_element elements[DFUSE_MAX_ELEMENTS];
};

/* Size of the file dfuse_write() produces. */
size_t dfuse_file_size(const struct dfuse_image *img);

/* Write the whole file into out (dfuse_file_size() bytes). An element whose data already sits
 * where the file holds it (dfuse_element_data_offset()) is left in place, so a caller can build
 * a large image directly inside the output buffer. */
void dfuse_write(const struct dfuse_image *img, uint8_t *out);

/* Offset in the file of element i's data (elements 0..i-1 must have their sizes set). */
size_t dfuse_element_data_offset(const struct dfuse_image *img, unsigned i);

/*
 * Parse and validate a file in memory: suffix signature, length, bcdDFU and CRC; prefix
 * signature, version and file size; every target and element inside the file and the target
 * size fields consistent; nothing left over. Only single-target files are accepted into img
 * (h7boot's and dfuse-pack's); element data pointers point into buf. Returns 0, or -1 with a
 * message naming the field and byte offset in err.
 */
int dfuse_read(const uint8_t *buf, size_t len, struct dfuse_image *img, char *err, size_t errlen);

#endif /* H7BOOT_DFUSE_FILE_H */
