#!/bin/sh
# h7boot report on real libDaisy builds (run by CTest; environment H7BOOT, CORE = libDaisy's
# core/ folder, OUT = scratch folder).
#
#   report.sh ld-table NAME=ELF...   `report --summary` == the --print-memory-usage table ld
#                                    printed while libDaisy's make linked each ELF (make.log)
#   report.sh script ELF SCRIPT      the same table from the linker script alone (no map file)
#   report.sh demangled ELF          C++ names demangled (libDaisy's boot_info, a method)
set -u
status=0
fail() { echo "FAIL: $*" >&2; status=1; }
mkdir -p "$OUT"
log_of() { echo "$(dirname "$(dirname "$1")")/make.log"; }
ld_table() { grep -E '^Memory region|%$' "$1"; }

case $1 in
ld-table)
    shift
    for arg in "$@"; do
        name=${arg%%=*} elf=${arg#*=}
        ld_table "$(log_of "$elf")" >"$OUT/$name.ld" || fail "$name: no ld table in make.log"
        "$H7BOOT" report "$elf" --board daisy-seed --summary >"$OUT/$name.report" ||
            fail "$name: h7boot report failed"
        cmp -s "$OUT/$name.ld" "$OUT/$name.report" ||
            { fail "$name: report differs from ld's table"; diff "$OUT/$name.ld" "$OUT/$name.report"; }
    done
    [ $status -eq 0 ] && echo "report == ld --print-memory-usage for $# builds" ;;
script)
    elf=$2 script=$3
    cp "$elf" "$OUT/nomap.elf" # no map file beside it
    ld_table "$(log_of "$elf")" >"$OUT/script.ld"
    "$H7BOOT" report "$OUT/nomap.elf" --board daisy-seed --summary --script "$script" \
        >"$OUT/script.report" || fail "h7boot report --script failed"
    cmp -s "$OUT/script.ld" "$OUT/script.report" ||
        { fail "report --script $script differs from ld's table"; diff "$OUT/script.ld" "$OUT/script.report"; }
    "$H7BOOT" report "$OUT/nomap.elf" --board daisy-seed --json --script "$script" |
        grep -q "\"memory\":\"$script\"" || fail "JSON does not name the script as the MEMORY source" ;;
demangled)
    elf=$2
    "$H7BOOT" report "$elf" --board daisy-seed --top 100 >"$OUT/demangled.txt" || fail "report failed"
    grep -q ' daisy::boot_info  *0x38800000' "$OUT/demangled.txt" ||
        fail "libDaisy's boot_info not shown as daisy::boot_info at 0x38800000"
    grep -q 'daisy::AudioHandle::Impl::InternalCallback(long\*, long\*, unsigned int)' \
        "$OUT/demangled.txt" || fail "a method is not shown with its class and parameters"
    ! grep -E '^ +_Z[A-Z0-9]' "$OUT/demangled.txt" || fail "mangled names left"
    "$H7BOOT" report "$elf" --board daisy-seed --json | grep -q '"name":"daisy::boot_info"' ||
        fail "JSON names are not demangled" ;;
*) fail "unknown case $1" ;;
esac
exit $status
