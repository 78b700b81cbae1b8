#!/bin/sh
# The Daisy Seed bootloader's DFU layout, generated at build time (dfu/dfu_layout_gen.c), is what
# the host tests assert for the run-time layout (dfu_util_tests.sh list), with the bootloader's
# wTransferSize of 2048.
#   dfu_board_layout_check.sh GENERATED_C
set -u
f=$1
[ -f "$f" ] || { echo "FAIL: no generated layout at $f"; exit 1; }
fail() { echo "FAIL: $*"; exit 1; }
for s in '"@Flash /0x90000000/128*64Kg",' \
    '"@RAM /0x00000000/1*64Ke/0x20000000/2*64Ke/0x24000000/8*64Ke/0x30000000/4*64Ke,32*1Ke/0x38000000/48*1Ke/0xC0000000/64*1Me",' \
    '"@BOOTLOADER /0x08000000/2*64Ka",' '"h7boot DFU (daisy-seed)",' \
    '.slot_addr = 0x90040000u, .slot_size = 0x007C0000u,' \
    '.transfer_size = 2048, .n_alts = 3,'; do
    grep -qF -- "$s" "$f" || fail "expected $s in $f"
done
# the DFU functional descriptor: bmAttributes 0x0B, wDetachTimeOut 255, wTransferSize 2048,
# bcdDFUVersion 0x011a (the last 9 bytes of the descriptor array)
tail=$(tr -d ' \n' <"$f" | sed -n 's/.*descriptors\[[0-9]*\]={\([^}]*\)}.*/\1/p' | tr ',' '\n' |
    grep -v '^$' | tail -n 9 | tr '\n' ' ')
[ "$tail" = "0x09 0x21 0x0B 0xFF 0x00 0x00 0x08 0x1A 0x01 " ] ||
    fail "DFU functional descriptor is '$tail'"
echo "PASS: generated layout = the tested layout, wTransferSize 2048"
