/*
 * image_strerror.c — names for enum h7_image_err, for the CLI and the bootloader's console.
 *
 * H7_IMAGE_ERROR_TEXT (image/CMakeLists.txt) chooses what is compiled in: 2 (the host) the
 * name and a sentence, "HEADER_CRC: header CRC-32 mismatch"; 1 (firmware with a console: the
 * line before already gives the bootloader's own reason) the name only, "HEADER_CRC". With 0
 * this file is not built at all and H7_IMAGE_NO_ERROR_TEXT is defined for every user.
 */
#include "h7_image.h"

#ifndef H7_IMAGE_ERROR_TEXT
#define H7_IMAGE_ERROR_TEXT 2
#endif

/* Every code after OK, in enum order (-1, -2, ...): its name and a short sentence. */
#define H7_IMAGE_ERRORS(X)                                                                         \
    X(TRUNCATED, "fewer bytes than the header says exist")                                         \
    X(MAGIC, "not an h7boot image (magic is not 'H7IM')")                                          \
    X(FORMAT_VERSION, "unsupported image format version")                                          \
    X(HEADER_SIZE, "header size out of range or not a multiple of 4")                              \
    X(HEADER_CRC, "header CRC-32 mismatch")                                                        \
    X(FLAGS, "an unknown required flag is set")                                                    \
    X(SEGMENT_COUNT, "no segments or too many")                                                    \
    X(SEGMENT_SIZE, "segment entry size out of range")                                             \
    X(META_SIZE, "header + segment table + TLVs too large or misaligned")                          \
    X(IMAGE_SIZE, "image size misaligned or smaller than its metadata")                            \
    X(TLV, "a TLV entry runs past the TLV area")                                                   \
    X(TLV_CRITICAL, "unknown critical TLV")                                                        \
    X(SEG_KIND, "unknown segment kind")                                                            \
    X(SEG_RESERVED, "segment reserved bytes are not zero")                                         \
    X(SEG_EMPTY, "segment of size 0")                                                              \
    X(SEG_WRAP, "segment runs past the end of the 4 GB address space")                             \
    X(SEG_OFFSET, "segment payload misaligned or outside the image")                               \
    X(SEG_ORDER, "segment payloads overlap or are out of order")                                   \
    X(SEG_OVERLAP, "two segments' destinations overlap")                                           \
    X(SEG_REGION, "segment not inside one loadable RAM region")                                    \
    X(SEG_RESERVED_RANGE, "segment overlaps a reserved range")                                     \
    X(SEG_XIP, "execute-in-place segment not at its place in the slot")                            \
    X(LOAD_ADDRESS, "image packed for another slot address")                                       \
    X(SLOT_SIZE, "image and trailer do not fit in the slot")                                       \
    X(ENTRY, "entry point not Thumb or not in executable loaded code")                             \
    X(VECTOR, "vector table misaligned or not in a loaded segment")                                \
    X(HASH, "SHA-256 mismatch")                                                                    \
    X(UNCOMMITTED, "commit word is not the committed value")                                       \
    X(IO, "flash read failed or address not mappable")                                             \
    X(ARG, "invalid argument")                                                                     \
    X(STACK, "initial SP not 8-byte aligned in RAM free of the image's code")                      \
    X(RESET, "reset vector not Thumb or not in the image's executable code")                       \
    X(ENTRY_VECTOR, "header entry differs from the vector table's reset vector")                  \
    X(HEADER_OFFSET, "located header's offset misaligned, outside the image or not where found")

/* The list's order is the enum's: position k holds code -k (position 0 is OK). */
enum {
    POS_OK,
#define POS(name, sentence) POS_##name,
    H7_IMAGE_ERRORS(POS)
#undef POS
        POS_COUNT
};
#define IN_ORDER(name, sentence) _Static_assert(POS_##name == -H7_IMAGE_E_##name, #name);
H7_IMAGE_ERRORS(IN_ORDER)
_Static_assert(POS_COUNT == H7_IMAGE_E_COUNT, "every code has a text");

#if H7_IMAGE_ERROR_TEXT >= 2
#define TEXT(name, sentence) #name ": " sentence "\0"
#define UNKNOWN "UNKNOWN: unknown image error code"
#else
#define TEXT(name, sentence) #name "\0"
#define UNKNOWN "UNKNOWN"
#endif

/* The texts back to back, each ended by its NUL, in code order, then the one for any other
 * value: one array and no pointer table. */
static const char texts[] = "OK\0" H7_IMAGE_ERRORS(TEXT) UNKNOWN;

const char *h7_image_strerror(int err)
{
    unsigned n = err > 0 || err <= -H7_IMAGE_E_COUNT ? H7_IMAGE_E_COUNT : (unsigned)-err;
    const char *s = texts;
    while (n--)
        while (*s++)
            ;
    return s;
}
