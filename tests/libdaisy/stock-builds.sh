#!/bin/sh
# The stock libDaisy builds are what libDaisy's Makefile makes for their APP_TYPE:
#   stock-builds.sh NAME=ELF...    (NAME: app_sram | app_qspi | app_none)
# Checks the vector table's address (the script of the APP_TYPE), that make printed ld's memory
# table, and the sections each app asks for. Exit 0 = all as expected; each failure is named.
set -u
READELF=${READELF:-arm-none-eabi-readelf}
status=0
fail() { echo "FAIL: $*" >&2; status=1; }

# section_field ELF NAME FIELD(addr|size): hex value of a section header field ('' if absent)
section_field() {
    "$READELF" -SW "$1" | awk -v n="$2" -v f="$3" '
        { sub(/^ *\[ *[0-9]+\] */, "") }
        $1 == n { print (f == "addr" ? $3 : $5); exit }'
}
expect_section() { # ELF NAME ADDR-REGEX MIN-SIZE
    a=$(section_field "$1" "$2" addr) s=$(section_field "$1" "$2" size)
    [ -n "$a" ] || { fail "$1: no section $2"; return; }
    echo "$a" | grep -Eq "^($3)$" || fail "$1: $2 at 0x$a, expected $3"
    [ $((0x$s)) -ge "$4" ] || fail "$1: $2 is $((0x$s)) bytes, expected >= $4"
}

for arg in "$@"; do
    name=${arg%%=*} elf=${arg#*=}
    [ -s "$elf" ] || { fail "$name: $elf missing"; continue; }
    log=$(dirname "$(dirname "$elf")")/make.log
    grep -q '^Memory region  *Used Size' "$log" || fail "$name: no ld memory table in $log"
    "$READELF" -h "$elf" | grep -q 'Machine: *ARM' || fail "$name: not an ARM ELF"
    case $name in
    *_sram) expect_section "$elf" .isr_vector 24000000 400 ;;
    *_qspi) expect_section "$elf" .isr_vector 90040000 400 ;;
    *_none) expect_section "$elf" .isr_vector 08000000 400 ;;
    *) fail "$name: unknown APP_TYPE suffix" ;;
    esac
    # libDaisy's boot_info in backup SRAM, in every build
    expect_section "$elf" .backup_sram 38800000 4
    case $name in
    sampler_*)
        expect_section "$elf" .sdram_bss c0000000 786432
        expect_section "$elf" .dtcmram_bss '2[0-4]0[0-9a-f]{5}' 256
        expect_section "$elf" .sram1_bss 30000000 512 ;;
    esac
    case $name in
    sampler_sram) expect_section "$elf" .qspiflash_data 90040000 291636 ;;
    sampler_qspi) expect_section "$elf" .qspiflash_data '9[0-9a-f]{7}' 291636 ;;
    qspi_store_sram) expect_section "$elf" .qspiflash_bss '9004[0-9a-f]{4}' 16384 ;;
    qspi_store_qspi) expect_section "$elf" .qspiflash_bss '24[0-9a-f]{6}' 16384 ;;
    esac
done
[ $status -eq 0 ] && echo "stock builds: $# checked"
exit $status
