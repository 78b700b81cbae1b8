/*
 * image_strerror.c — names for enum h7_image_err, for the bootloader's console and the CLI.
 */
#include "h7_image.h"

static const char *const messages[H7_IMAGE_E_COUNT] = {
    [0] = "OK",
    [-H7_IMAGE_E_TRUNCATED] = "TRUNCATED: fewer bytes than the header says exist",
    [-H7_IMAGE_E_MAGIC] = "MAGIC: not an h7boot image (magic is not 'H7IM')",
    [-H7_IMAGE_E_FORMAT_VERSION] = "FORMAT_VERSION: unsupported image format version",
    [-H7_IMAGE_E_HEADER_SIZE] = "HEADER_SIZE: header size out of range or not a multiple of 4",
    [-H7_IMAGE_E_HEADER_CRC] = "HEADER_CRC: header CRC-32 mismatch",
    [-H7_IMAGE_E_FLAGS] = "FLAGS: an unknown required flag is set",
    [-H7_IMAGE_E_SEGMENT_COUNT] = "SEGMENT_COUNT: no segments or too many",
    [-H7_IMAGE_E_SEGMENT_SIZE] = "SEGMENT_SIZE: segment entry size out of range",
    [-H7_IMAGE_E_META_SIZE] = "META_SIZE: header + segment table + TLVs too large or misaligned",
    [-H7_IMAGE_E_IMAGE_SIZE] = "IMAGE_SIZE: image size misaligned or smaller than its metadata",
    [-H7_IMAGE_E_TLV] = "TLV: a TLV entry runs past the TLV area",
    [-H7_IMAGE_E_TLV_CRITICAL] = "TLV_CRITICAL: unknown critical TLV",
    [-H7_IMAGE_E_SEG_KIND] = "SEG_KIND: unknown segment kind",
    [-H7_IMAGE_E_SEG_RESERVED] = "SEG_RESERVED: segment reserved bytes are not zero",
    [-H7_IMAGE_E_SEG_EMPTY] = "SEG_EMPTY: segment of size 0",
    [-H7_IMAGE_E_SEG_WRAP] = "SEG_WRAP: segment runs past the end of the 4 GB address space",
    [-H7_IMAGE_E_SEG_OFFSET] = "SEG_OFFSET: segment payload misaligned or outside the image",
    [-H7_IMAGE_E_SEG_ORDER] = "SEG_ORDER: segment payloads overlap or are out of order",
    [-H7_IMAGE_E_SEG_OVERLAP] = "SEG_OVERLAP: two segments' destinations overlap",
    [-H7_IMAGE_E_SEG_REGION] = "SEG_REGION: segment not inside one loadable RAM region",
    [-H7_IMAGE_E_SEG_RESERVED_RANGE] = "SEG_RESERVED_RANGE: segment overlaps a reserved range",
    [-H7_IMAGE_E_SEG_XIP] = "SEG_XIP: execute-in-place segment not at its place in the slot",
    [-H7_IMAGE_E_LOAD_ADDRESS] = "LOAD_ADDRESS: image packed for another slot address",
    [-H7_IMAGE_E_SLOT_SIZE] = "SLOT_SIZE: image and trailer do not fit in the slot",
    [-H7_IMAGE_E_ENTRY] = "ENTRY: entry point not Thumb or not in executable loaded code",
    [-H7_IMAGE_E_VECTOR] = "VECTOR: vector table misaligned or not in a loaded segment",
    [-H7_IMAGE_E_HASH] = "HASH: SHA-256 mismatch",
    [-H7_IMAGE_E_UNCOMMITTED] = "UNCOMMITTED: commit word is not the committed value",
    [-H7_IMAGE_E_IO] = "IO: flash read failed or address not mappable",
    [-H7_IMAGE_E_ARG] = "ARG: invalid argument",
};

const char *h7_image_strerror(int err)
{
    if (err > 0 || err <= -H7_IMAGE_E_COUNT || !messages[-err])
        return "UNKNOWN: unknown image error code";
    return messages[-err];
}
