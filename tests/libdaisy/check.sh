#!/bin/sh
# h7boot check (and report) on real libDaisy builds (run by CTest; environment H7BOOT, OUT).
#
#   check.sh broken ELF          a truncated copy and an x86 ELF: report and check exit
#                                non-zero with a message naming the file
#   check.sh qspi-bss-ram ELF    the seed QSPI example under BOOT_QSPI: H7-QSPI-BSS-RAM names
#                                the buffer and the fix, exit 1
#   check.sh loader NONE_ELF SRAM_ELF   the wording follows --loader
set -u
status=0
fail() { echo "FAIL: $*" >&2; status=1; }
mkdir -p "$OUT"
cd "$OUT" || exit 1

# expect_error NAME CMD...: exit status non-zero and a message naming NAME on stderr
expect_error() {
    name=$1
    shift
    if "$@" >out.txt 2>err.txt; then
        fail "'$*' exited 0 on $name"
    fi
    grep -q "$name" err.txt || fail "'$*': no message naming $name ($(cat err.txt))"
}

case $1 in
broken)
    size=$(wc -c <"$2")
    for cut in 60 4096 $((size / 2)) $((size - 64)); do
        head -c "$cut" "$2" >"cut$cut.elf"
        for cmd in report check; do
            expect_error "cut$cut.elf" "$H7BOOT" "$cmd" "cut$cut.elf" --board daisy-seed
        done
    done
    printf 'int x = 3;\nint f(void) { return x; }\n' >x86.c
    cc -m32 -c x86.c -o x86.o 2>/dev/null || cc -c x86.c -o x86.o
    for cmd in report check; do
        expect_error x86.o "$H7BOOT" "$cmd" x86.o --board daisy-seed
    done
    grep -q "not Arm\|not a 32-bit" err.txt || fail "x86 message does not say what is wrong" ;;
qspi-bss-ram)
    "$H7BOOT" check "$2" --board daisy-seed >out.txt 2>&1
    rc=$?
    cat out.txt
    [ $rc -eq 1 ] || fail "check exited $rc, not 1"
    grep -q '^H7-QSPI-BSS-RAM error: .*(stored) (0x24[0-9a-f]*, 16384 bytes) is in AXI_SRAM' out.txt ||
        fail "H7-QSPI-BSS-RAM does not name the buffer 'stored' in AXI SRAM"
    grep -q 'fix: link with a script from h7boot ld' out.txt || fail "no fix given" ;;
loader)
    none=$2 sram=$3
    "$H7BOOT" check "$none" --board daisy-seed --loader none >none.txt 2>&1 ||
        fail "BOOT_NONE app with --loader none: findings ($(cat none.txt))"
    grep -q 'no findings' none.txt || fail "BOOT_NONE --loader none: no 'no findings' line"
    ! grep -q 'RAM-loaded' none.txt || fail "BOOT_NONE app called RAM-loaded"
    "$H7BOOT" check "$none" --board daisy-seed --loader h7boot >h7.txt 2>&1 &&
        fail "BOOT_NONE app with --loader h7boot: accepted"
    grep -q '^H7-RESERVED error: .* overlaps BOOTLOADER .*where h7boot itself is stored' h7.txt ||
        fail "BOOT_NONE --loader h7boot: H7-RESERVED does not say h7boot's flash is overwritten"
    "$H7BOOT" check "$sram" --board daisy-seed >daisy.txt 2>&1
    grep -q 'where the Daisy bootloader reads this RAM-loaded app' daisy.txt ||
        fail "default loader: the finding does not name the Daisy bootloader"
    "$H7BOOT" check "$sram" --board daisy-seed --loader h7boot >h7s.txt 2>&1
    grep -q 'where h7boot reads this RAM-loaded app' h7s.txt ||
        fail "--loader h7boot: the finding does not name h7boot" ;;
*) fail "unknown case $1" ;;
esac
[ $status -eq 0 ] && echo "PASS $1"
exit $status
