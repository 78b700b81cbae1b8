#!/bin/sh
# Real dfu-util -> h7boot DFU class (host, umockdev) -> flash file -> h7boot bootloader on QEMU's
# Cortex-M7 -> the app runs. And the same download cut by a power failure: the bootloader must
# refuse the half image.
#   dfu_qemu_boot.sh HOST_BIN APP_ELF BOOT_ELF RUN_QEMU QSPI_ORIGIN WORKDIR
set -u
HB=$1 APP=$2 BOOT=$3 RUNQ=$4 QSPI=$5 W=$6
rm -rf "$W" && mkdir -p "$W" && cd "$W" || exit 2
fail() { echo "FAIL: $*"; tail -n 30 log.txt 2>/dev/null; exit 1; }

"$HB/h7boot" pack "$APP" --board qemu-mps2-an500 -o app.dfu || fail "h7boot pack"
dfu-suffix -c app.dfu >/dev/null 2>&1 || fail "dfu-suffix rejects h7boot's .dfu"

# 1. the whole download: committed, and the bootloader runs the app
timeout 300 "$HB/dfu_umockdev" --board qemu-mps2-an500 --save flash.bin -- \
    dfu-util -a 0 -s :leave -D app.dfu >out.raw 2>&1
rc=$?
tr '\r' '\n' <out.raw >log.txt
[ $rc = 0 ] || fail "dfu-util exit status $rc"
grep -q 'Transitioning to dfuMANIFEST state' log.txt || fail "no manifest"
grep -q 'commits=1 ' log.txt || fail "the image was not committed"
"$RUNQ" --load "flash.bin@$QSPI" --kernel "$BOOT" --log qemu.log \
    --expect "slot holds h7boot image" \
    --expect "checked in flash: header, segments, commit" \
    --expect "verified: SHA-256 over RAM and XIP matches" \
    --expect "app: all checks passed" --reject "staying in the bootloader" ||
    fail "the bootloader did not run the app downloaded by dfu-util"

# 2. power cut at the 20th flash operation of the same download: never booted
timeout 300 "$HB/dfu_umockdev" --board qemu-mps2-an500 --cut 20 --save cut.bin -- \
    dfu-util -a 0 -s :leave -D app.dfu >out.raw 2>&1
tr '\r' '\n' <out.raw >log.txt
grep -q 'POWER-CUT' log.txt || fail "the power cut did not happen"
"$RUNQ" --load "cut.bin@$QSPI" --kernel "$BOOT" --log qemu-cut.log --expect-exit 23 \
    --expect "staying in the bootloader: commit word missing" --reject "jump:" ||
    fail "the bootloader did not refuse the half-written image"
echo "PASS: dfu-util -> DFU -> flash -> QEMU bootloader -> app runs; cut download refused"
