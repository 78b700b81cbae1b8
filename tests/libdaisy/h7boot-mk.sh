#!/bin/sh
# examples/daisy-seed/h7boot.mk included by a libDaisy app Makefile (run by CTest).
#   h7boot-mk.sh APP_DIR     environment: H7BOOT, ROOT (h7boot checkout), SDK, OUT
# The app folder is copied and its Makefile gets the two lines the README tells a user to add.
set -u
status=0
fail() { echo "FAIL: $*" >&2; status=1; }
rm -rf "$OUT"
mkdir -p "$OUT"
cp -r "$1" "$OUT/app"
cd "$OUT/app" || exit 1
cat >>Makefile <<MK
H7BOOT_DIR = $ROOT
include \$(H7BOOT_DIR)/examples/daisy-seed/h7boot.mk
MK
run() { # run LOG make-args...: make with the SDK, quietly; output in LOG
    log=$1
    shift
    env -u MAKEFLAGS -u MAKELEVEL make LIBDAISY_DIR="$SDK/libDaisy" DAISYSP_DIR="$SDK/DaisySP" \
        H7BOOT="$H7BOOT" "$@" >"$log" 2>&1
}

# 1. The app builds as before (libDaisy's script), report and check work from make.
run build.log APP_TYPE=BOOT_SRAM || { cat build.log; fail "the app no longer builds"; }
run report.log APP_TYPE=BOOT_SRAM h7boot-report || { cat report.log; fail "make h7boot-report"; }
grep -E '^Memory region|%$' build.log >ld.table
grep -E '^Memory region|%$' report.log >report.table
cmp -s ld.table report.table || { diff ld.table report.table; fail "h7boot-report table != ld's"; }
grep -q 'daisy::boot_info' report.log || fail "h7boot-report: no demangled boot_info"
run check.log APP_TYPE=BOOT_SRAM h7boot-check || { cat check.log; fail "make h7boot-check"; }
grep -q -- '--loader h7boot' check.log || fail "h7boot-check does not check for h7boot"

# 2. The DFU targets call h7boot pack and dfu-util like libDaisy's program-dfu (shown with -n).
run dfu.log -n APP_TYPE=BOOT_SRAM program-h7boot || { cat dfu.log; fail "make -n program-h7boot"; }
grep -q "pack build/Blink.elf --board daisy-seed -o build/Blink.dfu" dfu.log ||
    fail "program-h7boot does not pack build/Blink.dfu"
grep -q "dfu-util -a 0 -D build/Blink.dfu -d ,0483:df11" dfu.log ||
    fail "program-h7boot does not write the .dfu with dfu-util"

# 3. H7BOOT_LINK=1: the same app linked with h7boot ld's script for its APP_TYPE.
for t in BOOT_SRAM BOOT_QSPI; do
    rm -rf build
    run link_$t.log APP_TYPE=$t H7BOOT_LINK=1 || { cat link_$t.log; fail "$t with H7BOOT_LINK=1"; }
    grep -q -- "-Tbuild/h7boot.ld" link_$t.log || fail "$t: not linked with build/h7boot.ld"
    want=daisy-boot-sram
    [ $t = BOOT_QSPI ] && want=daisy-boot-qspi
    grep -q "preset $want" build/h7boot.ld || fail "$t: script is not preset $want"
    arm-none-eabi-nm build/Blink.elf | grep -q '^38800000 . _ZN5daisy9boot_infoE' ||
        fail "$t: boot_info not in backup SRAM"
done
# ... with a placement file of the user's own
printf 'preset daisy-boot-sram\nstack DTCM 16K\n' >app.place
rm -rf build
run place.log APP_TYPE=BOOT_SRAM H7BOOT_PLACEMENT=app.place ||
    { cat place.log; fail "H7BOOT_PLACEMENT=app.place"; }
grep -q 'app.place' build/h7boot.ld || fail "script not made from app.place"
s=$(arm-none-eabi-nm build/Blink.elf | awk '$3 == "__StackTop" { print $1 }')
[ "$s" = 20004000 ] || fail "stack line of app.place not used (__StackTop at $s)"

# 4. BOOT_NONE: a clear message, non-zero exit; report and check still work.
rm -rf build
run none.log APP_TYPE=BOOT_NONE || { cat none.log; fail "BOOT_NONE build"; }
for target in h7boot-image program-h7boot program-h7boot-raw h7boot-ld; do
    if run none_$target.log APP_TYPE=BOOT_NONE $target; then
        fail "BOOT_NONE: make $target succeeded"
    fi
    grep -q 'APP_TYPE = BOOT_NONE .*Set APP_TYPE = BOOT_SRAM' none_$target.log ||
        { cat none_$target.log; fail "BOOT_NONE: make $target gives no clear message"; }
done
run none_check.log APP_TYPE=BOOT_NONE h7boot-check || { cat none_check.log; fail "BOOT_NONE check"; }
grep -q -- '--loader none' none_check.log || fail "BOOT_NONE check is not --loader none"
[ $status -eq 0 ] && echo "PASS h7boot.mk"
exit $status
