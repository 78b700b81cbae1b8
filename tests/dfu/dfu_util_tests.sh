#!/bin/sh
# The DFU class driven by the real, unmodified Debian dfu-util through umockdev.
#   dfu_util_tests.sh CASE HARNESS TESTTOOL WORKDIR [dcd]
# HARNESS = dfu_umockdev (ports/host/usb_umockdev), TESTTOOL = dfu_testtool (this folder).
# With "dcd" every run goes through the STM32H750 USB driver over the OTG core model
# (dfu_umockdev --through-dcd) and must show control transfers in the model and no protocol
# error; the same results are asserted as without it.
# Each case prints what it checks and exits 0 (pass) or 1 (fail, with the reason and the log).
# The addresses below are the Daisy Seed's (boards/daisy-seed.board) and the QEMU board's:
# they are what the tests assert the generated layouts to be.
set -u
CASE=$1 H=$2 T=$3 W=$4 DCD=${5:-}
rm -rf "$W" && mkdir -p "$W" && cd "$W" || exit 2
command -v dfu-util >/dev/null || { echo "dfu-util is not installed (apt-get install dfu-util)"; exit 1; }

fail() {
    echo "FAIL ($CASE): $*"
    echo "---- last log ----"
    tail -n 40 log.txt 2>/dev/null
    exit 1
}
# run HARNESS-ARGS... -- COMMAND...: output in log.txt (carriage returns as newlines, runs of
# spaces squeezed), exit status in $rc
run() {
    if [ "$DCD" = dcd ]; then
        timeout 300 "$H" --through-dcd "$@" >out.raw 2>&1
    else
        timeout 300 "$H" "$@" >out.raw 2>&1
    fi
    rc=$?
    tr '\r' '\n' <out.raw | tr -s ' ' >log.txt
    [ "$DCD" = dcd ] || return 0
    [ "$(otg_val setups)" -gt 0 ] 2>/dev/null || fail "no control transfer went through the driver"
    [ "$(otg_val errors)" = 0 ] || fail "the OTG core model saw $(otg_val errors) protocol errors"
}
# the OTG core model's counter KEY (--through-dcd runs)
otg_val() { grep '^\[otg\]' log.txt | tail -n 1 | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
has() { grep -q -- "$1" log.txt || fail "expected '$1' in the output"; }
hasnt() { ! grep -q -- "$1" log.txt || fail "did not expect '$1' in the output"; }
# the device summary's value for KEY (e.g. flash erases: 'erases')
val() { grep '^\[dfu\]' log.txt | tail -n 1 | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
expect_val() { [ "$(val "$1")" = "$2" ] || fail "device summary: $1=$(val "$1"), expected $2"; }
rc_is() { [ "$rc" = "$1" ] || fail "exit status $rc, expected $1"; }
rc_not0() { [ "$rc" != 0 ] || fail "exit status 0, expected a failure"; }
ok() { echo "PASS ($CASE): $*"; }
random() { head -c "$2" /dev/urandom >"$1"; }

# download_over_old KIND OLD_BYTES NEW_BYTES OLD_SEED NEW_SEED: two images of KIND (img: h7boot,
# raw: Daisy); the old one downloaded into flash-old-KIND.bin, the new one over it with every
# flash operation recorded in trace-KIND.bin.
download_over_old() {
    "$T" "$1" daisy-seed "old.$1" "$2" "$4" && "$T" "$1" daisy-seed "new.$1" "$3" "$5" || exit 2
    download_old_then_new "$1"
}
# download_old_then_new KIND: old.KIND downloaded, then new.KIND over it (recorded).
download_old_then_new() {
    run --save "flash-old-$1.bin" -- dfu-util -a 0 -s 0x90040000:leave -D "old.$1"
    rc_is 0
    run --flash "flash-old-$1.bin" --record "trace-$1.bin" -- \
        dfu-util -a 0 -s 0x90040000:leave -D "new.$1"
    rc_is 0
}
# cut_sweep KIND: that download cut after each of its flash operations (every fault model): the
# slot must hold the old image, the new one, or nothing bootable.
cut_sweep() {
    "$T" cuts daisy-seed "trace-$1.bin" "flash-old-$1.bin" "new.$1" "old.$1" >"cuts-$1.txt" 2>&1
    r=$?
    cat "cuts-$1.txt"
    [ $r = 0 ] || fail "$1 power-cut sweep: $(tail -n 3 "cuts-$1.txt")"
}

case $CASE in
list)
    run -- dfu-util -l
    rc_is 0
    [ "$(grep -c 'Found DFU: \[0483:df11\]' log.txt)" = 3 ] || fail "expected 3 alternate settings"
    has 'alt=0, name="@Flash /0x90000000/128\*64Kg"'
    has 'alt=1, name="@RAM /0x00000000/1\*64Ke/0x20000000/2\*64Ke/0x24000000/8\*64Ke/0x30000000/4\*64Ke,32\*1Ke/0x38000000/48\*1Ke/0xC0000000/64\*1Me"'
    has 'alt=2, name="@BOOTLOADER /0x08000000/2\*64Ka"'
    # dfu-util parses each layout as intended (its -v output lists the segments it found)
    run -- dfu-util -v -a 0 -s 0x90000000:16 -U a0.bin
    rc_is 0
    has 'Memory segment at 0x90000000 128 x 65536 = 8388608 (rew)'
    run -- dfu-util -v -a 1 -s 0x24000000:16 -U a1.bin
    rc_is 0
    for seg in '0x00000000 1 x 65536 = 65536 (rw)' '0x20000000 2 x 65536 = 131072 (rw)' \
        '0x24000000 8 x 65536 = 524288 (rw)' '0x30000000 4 x 65536 = 262144 (rw)' \
        '0x30040000 32 x 1024 = 32768 (rw)' '0x38000000 48 x 1024 = 49152 (rw)' \
        '0xc0000000 64 x 1048576 = 67108864 (rw)'; do
        has "Memory segment at $seg"
    done
    hasnt '0x3800c000' # the bootloader's own RAM (BOOT_RAM) is not offered
    run -- dfu-util -v -a 2 -s 0x08000000:16 -U a2.bin
    rc_is 0
    has 'Memory segment at 0x08000000 2 x 65536 = 131072 (r)'
    ok "3 alts listed; dfu-util parses QSPI (rew), 7 RAM segments (rw), bootloader (r)"
    ;;
libdaisy)
    "$T" raw daisy-seed app.bin 300000 1 || exit 2
    run --save flash.bin -- dfu-util -a 0 -s 0x90040000:leave -D app.bin -d ,0483:df11
    rc_is 0
    has 'File downloaded successfully'
    has 'Transitioning to dfuMANIFEST state'
    expect_val leave boot@0x90040000
    expect_val commits 1
    "$T" check daisy-seed flash.bin app.bin >check.txt || fail "boot check: $(cat check.txt)"
    grep -q 'bootable raw = app.bin' check.txt || fail "slot: $(cat check.txt)"
    ok "libDaisy's command wrote a raw image, committed it, left to boot at 0x90040000"
    ;;
dfufile)
    "$T" img daisy-seed app.img 200000 2 || exit 2
    random data.bin 10000
    dfuse-pack -b 0x90040000:app.img -b 0x90010000:data.bin app.dfu >/dev/null || exit 2
    dfu-suffix -c app.dfu >/dev/null 2>&1 || fail "dfuse-pack made a file dfu-suffix rejects"
    run --save flash.bin -- dfu-util -a 0 -D app.dfu
    rc_is 0
    has 'Done parsing DfuSe file'
    expect_val commits 1
    "$T" check daisy-seed flash.bin app.img >check.txt || fail "boot check: $(cat check.txt)"
    grep -q 'bootable h7 = app.img' check.txt || fail "slot: $(cat check.txt)"
    cmp -s -i 65536:0 -n 10000 flash.bin data.bin || fail "the QSPI data element is not in flash"
    ok ".dfu with an h7boot image and a QSPI data element: both written, image committed"
    ;;
upload)
    "$T" raw daisy-seed app.bin 300000 3 || exit 2
    random ram.bin 20000
    run -- sh -c "dfu-util -a 0 -s 0x90040000 -D app.bin && \
        dfu-util -a 0 -s 0x90040000:300000 -U up.bin && \
        dfu-util -a 1 -s 0x24000000 -D ram.bin && dfu-util -a 1 -s 0x24000000:20000 -U upram.bin"
    rc_is 0
    cmp -s app.bin up.bin || fail "QSPI upload differs from what was downloaded"
    cmp -s ram.bin upram.bin || fail "RAM upload differs from what was downloaded"
    # the first upload comes while the download before it is still to be finished (verify,
    # commit): the class answers H7_DFU_NAK and the driver NAKs until it is done
    if [ "$DCD" = dcd ]; then
        [ "$(otg_val naks)" -gt 0 ] || fail "no NAK on the bus: the NAK path was not exercised"
        echo "NAKs on the bus: $(otg_val naks)"
    fi
    ok "upload reads back the QSPI slot and the RAM target"
    ;;
protected)
    random small.bin 5000
    # dfu-util itself refuses a read-only segment; :force makes it send the data anyway
    run -- dfu-util -a 2 -s 0x08000000 -D small.bin
    rc_not0
    has 'Last page at 0x08001387 is not writeable'
    run -- dfu-util -a 2 -s 0x08000000:force -D small.bin
    rc_not0
    has 'status(1) = File is not targeted for use by this device'
    expect_val status errTARGET
    run -- dfu-util -a 2 -s :mass-erase:force
    rc_not0
    has 'MASS_ERASE not correctly executed'
    run -- dfu-util -a 0 -s 0x08000000:force:16 -U x.bin
    rc_not0
    has 'SET_ADDRESS not correctly executed'
    expect_val erases 0
    expect_val programs 0
    ok "writes, erases and addresses in protected ranges refused by the device (errTARGET)"
    ;;
toolarge)
    "$T" raw daisy-seed big.bin $((0x7C0000 + 1)) 4 || exit 2
    run --save flash.bin -- dfu-util -a 0 -s 0x90040000:leave -D big.bin -d ,0483:df11
    rc_not0
    has 'Last page at 0x90800000 is not writeable'
    hasnt 'Erase'
    expect_val erases 0
    expect_val programs 0
    expect_val skipped_sectors 0
    ok "an image one byte larger than the slot is refused by dfu-util before any transfer"
    ;;
powercut)
    download_over_old img 40000 48000 5 6
    cut_sweep img
    # the same with raw Daisy images (no hash: the withheld first word is the only guard)
    download_over_old raw 20000 24000 7 8
    cut_sweep raw
    ok "power cut at every flash operation (clean, torn program, torn erase): no half image bootable"
    ;;
powercut_shared)
    # old and new raw images that share their first 8 KB (the same vector table and start):
    # the first sectors need no change, so only the invalidation of the old image's first word
    # keeps a half-written new image from booting as the old one's start + new tail
    "$T" raw daisy-seed old.raw 12000 16 && "$T" raw daisy-seed tail.raw 14000 17 || exit 2
    { head -c 8192 old.raw; tail -c +8193 tail.raw; } >new.raw
    cmp -s -n 8192 old.raw new.raw && ! cmp -s old.raw new.raw || fail "images not as intended"
    download_old_then_new raw
    expect_val commits 1
    cut_sweep raw
    ok "raw images sharing their first 8 KB, cut at every flash operation: no half image bootable"
    ;;
powercut_block)
    # images over 64 KB: the second block goes in one 64 KB erase (the first one was erased
    # sector by sector), and the sweep cuts power at that erase and every other operation
    for kind in img raw; do
        download_over_old $kind 70000 80000 14 15
        expect_val commits 1
        # 16 sectors + one 64 KB block (16 sectors) in 17 erase commands
        expect_val erased_sectors 32
        expect_val erases 17
        cut_sweep $kind
    done
    ok "a download with a 64 KB block erase, cut at every flash operation: no half image bootable"
    ;;
redownload)
    "$T" img daisy-seed app.img 300000 9 || exit 2
    run --save flash.bin -- dfu-util -a 0 -s 0x90040000:leave -D app.img -d ,0483:df11
    rc_is 0
    run --flash flash.bin --save flash2.bin -- dfu-util -a 0 -s 0x90040000:leave -D app.img -d ,0483:df11
    rc_is 0
    expect_val erases 0
    expect_val programs 0
    expect_val commits 0
    cmp -s flash.bin flash2.bin || fail "flash changed"
    "$T" check daisy-seed flash2.bin app.img | grep -q 'bootable h7 = app.img' || fail "not bootable"
    ok "re-downloading the same image erases and programs nothing; it stays committed"
    ;;
qemuboard)
    run --board qemu-mps2-an500 -- dfu-util -l
    rc_is 0
    has 'alt=0, name="@Flash /0x60000000/128\*64Kg"'
    "$T" raw qemu-mps2-an500 app.bin 100000 10 || exit 2
    run --board qemu-mps2-an500 --save flash.bin -- dfu-util -a 0 -s 0x60040000:leave -D app.bin
    rc_is 0
    expect_val commits 1
    "$T" check qemu-mps2-an500 flash.bin app.bin | grep -q 'bootable raw = app.bin' ||
        fail "not bootable on the QEMU board"
    ok "--board qemu-mps2-an500: layout and slot follow the board description"
    ;;
ramload)
    # a vector table first (SP at the end of DTCM, reset vector in the bytes loaded), as the
    # load-and-run leave checks it (image_entry.c)
    { printf '\000\000\002\040\001\001\000\044'; head -c 65528 /dev/urandom; } >ram.bin
    run --ram-dump 0x24000000:65536:ramout.bin -- dfu-util -a 1 -s 0x24000000:leave -D ram.bin
    rc_is 0
    expect_val leave run-ram@0x24000000
    expect_val erases 0
    expect_val programs 0
    cmp -s ram.bin ramout.bin || fail "RAM content differs"
    ok "load-and-run: RAM written without touching flash, leave asks to run 0x24000000"
    ;;
ramload_bad)
    # reset vector 0xDEADBEEF: the leave must refuse to run it (errFIRMWARE), RAM still written
    { printf '\000\000\002\040\357\276\255\336'; head -c 4088 /dev/urandom; } >ram.bin
    run -- dfu-util -a 1 -s 0x24000000:leave -D ram.bin
    has 'errFIRMWARE'
    hasnt 'run-ram'
    ok "load-and-run of a RAM image whose reset vector is not in it: refused with errFIRMWARE"
    ;;
unprotect)
    "$T" raw daisy-seed app.bin 50000 11 || exit 2
    run --save flash.bin -- dfu-util -a 0 -s 0x90040000:leave -D app.bin
    run --flash flash.bin --save flash2.bin -v -- sh -c "dfu-util -a 0 -s :unprotect:force; dfu-util -a 0 -s 0x90040000:16 -U x.bin"
    has 'Device disconnects, erases flash and resets now'
    has 'dfuERROR errVENDOR'
    cmp -s flash.bin flash2.bin || fail "READ UNPROTECT changed the flash"
    ok "READ UNPROTECT refused with errVENDOR; nothing erased"
    ;;
masserase)
    "$T" raw daisy-seed app.bin 100000 12 || exit 2
    random data.bin 3000
    run --save flash.bin -- sh -c "dfu-util -a 0 -s 0x90000000 -D data.bin && dfu-util -a 0 -s 0x90040000:leave -D app.bin"
    rc_is 0
    run --flash flash.bin --save flash2.bin -- dfu-util -a 0 -s :mass-erase:force
    rc_is 0
    # only sectors holding data are erased (1 of the user area, 25 of the image)
    expect_val erases 26
    [ "$(tr -d '\377' <flash2.bin | wc -c)" = 0 ] || fail "flash not blank after mass erase"
    "$T" check daisy-seed flash2.bin | grep -q 'not bootable' || fail "still bootable"
    ok "mass erase: the writable QSPI is blank, only non-blank sectors were erased"
    ;;
verifyfail)
    "$T" img daisy-seed app.img 100000 13 || exit 2
    # damage one payload byte; header, trailer and commit word stay as packed
    printf '\001' | dd of=app.img bs=1 seek=50000 conv=notrunc 2>/dev/null
    run --save flash.bin -- dfu-util -a 0 -s 0x90040000:leave -D app.img
    # dfu-util 0.11 prints the failed leave but still exits 0 (it ignores the leave's result)
    has 'failed!'
    has 'status(7) = Programmed memory failed verification'
    expect_val commits 0
    "$T" check daisy-seed flash.bin app.img | grep -q 'not bootable' || fail "bad image bootable"
    ok "an image whose hash does not match is written but never committed (errVERIFY)"
    ;;
*)
    echo "unknown case $CASE"
    exit 2
    ;;
esac
