/*
 * Texts for enum h7_boot_reason: each names the check that failed, so a refusal printed on a
 * UART or shown by a DFU tool says what to fix.
 */
#include "h7_boot.h"

const char *h7_boot_reason_text(enum h7_boot_reason r)
{
    switch (r) {
    case H7_BOOT_OK:
        return "ok";
    case H7_BOOT_STAY_BUTTON:
        return "button held at reset";
    case H7_BOOT_STAY_REQUEST:
        return "the app requested the bootloader";
    case H7_BOOT_STAY_UNCONFIRMED:
        return "the app did not confirm itself; boot counter full";
    case H7_BOOT_STAY_WINDOW:
        return "asked to stay during the waiting window";
    case H7_BOOT_ERR_SLOT_EMPTY:
        return "slot is empty (erased flash)";
    case H7_BOOT_ERR_NO_IMAGE:
        return "slot holds neither an h7boot image nor a raw vector table";
    case H7_BOOT_ERR_SLOT_READ:
        return "slot could not be read";
    case H7_BOOT_ERR_HEADER:
        return "image header field invalid";
    case H7_BOOT_ERR_SEG_TABLE:
        return "segment table malformed";
    case H7_BOOT_ERR_TRUNCATED:
        return "image truncated or larger than the slot";
    case H7_BOOT_ERR_COMMIT:
        return "commit word missing (image not completely written)";
    case H7_BOOT_ERR_HASH_FLASH:
        return "SHA-256 mismatch in flash (payload corrupt)";
    case H7_BOOT_ERR_SEG_OUTSIDE:
        return "segment outside every loadable region";
    case H7_BOOT_ERR_SEG_RESERVED:
        return "segment overlaps a reserved range";
    case H7_BOOT_ERR_SEG_OVERLAP:
        return "segments overlap each other";
    case H7_BOOT_ERR_ENTRY:
        return "vector table not in a loaded segment or implausible";
    case H7_BOOT_ERR_RAM_INIT:
        return "RAM initialisation failed";
    case H7_BOOT_ERR_HASH_RAM:
        return "SHA-256 mismatch after loading into RAM";
    case H7_BOOT_ERR_STACK:
        return "initial stack pointer not 8-byte aligned in RAM free of the image";
    case H7_BOOT_ERR_RESET_VECTOR:
        return "reset vector not a Thumb address in the image's executable code";
    case H7_BOOT_ERR_ENTRY_VECTOR:
        return "header entry differs from the vector table's reset vector";
    case H7_BOOT_ERR_RAW_SP:
        return "raw image: initial stack pointer not in RAM";
    case H7_BOOT_ERR_RAW_ENTRY:
        return "raw image: reset vector neither in the load region nor the slot";
    }
    return "unknown reason";
}
