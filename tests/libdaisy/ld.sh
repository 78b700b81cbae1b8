#!/bin/sh
# Real libDaisy apps linked with scripts from `h7boot ld` (run by CTest; environment H7BOOT).
#   ld.sh NAME=ELF...      NAME: APP_ld_{sram,qspi,ramload}
# Each ELF was linked by libDaisy's Makefile with LDSCRIPT=<generated script>, nothing else
# changed. Checked: the script was used; libDaisy's boot_info is in backup SRAM where the
# bootloader reads it; newlib's `end` exists (heap); QSPI data does not touch the stored
# image; DSY_QSPI_BSS is in the QSPI user area; `h7boot check --loader h7boot` finds no error.
set -u
READELF=${READELF:-arm-none-eabi-readelf}
NM=${NM:-arm-none-eabi-nm}
status=0
fail() { echo "FAIL: $*" >&2; status=1; }
sym() { $NM "$1" | awk -v s="$2" '$3 == s { print "0x" $1; exit }'; }
sym_size() { $NM -S "$1" | awk -v s="$2" '$4 == s { print "0x" $2; exit }'; }
sect() { $READELF -SW "$1" | sed 's/^ *\[ *[0-9]*\] *//' | awk -v s="$2" '$1 == s { print "0x" $3; exit }'; }
slot=0x90040000 slot_end=0x90800000

for arg in "$@"; do
    name=${arg%%=*} elf=${arg#*=}
    [ -s "$elf" ] || { fail "$name: $elf missing"; continue; }
    [ -n "$(sect "$elf" .h7_tables)" ] || fail "$name: not linked with an h7boot ld script"
    bi=$(sym "$elf" _ZN5daisy9boot_infoE)
    [ "$bi" = 0x38800000 ] || fail "$name: libDaisy's boot_info at ${bi:-nowhere}, not 0x38800000"
    e=$(sym "$elf" end)
    [ -n "$e" ] || fail "$name: no 'end' (newlib's sbrk needs it)"
    if [ -n "$e" ] && ! { [ $((e)) -ge $((0x30000000)) ] && [ $((e)) -lt $((0x30048000)) ]; }; then
        fail "$name: end at $e, not in D2 SRAM"
    fi
    case $name in
    sampler_*)
        t=$(sym "$elf" _ZL5table) size=$(sym_size "$elf" _ZL5table)
        [ $((size)) -eq 291636 ] || fail "$name: table is $size bytes"
        case $name in
        *_qspi) # XIP: in the slot with the code
            [ $((t)) -ge $((slot)) ] && [ $((t + size)) -le $((slot_end)) ] ||
                fail "$name: table at $t is not in the slot" ;;
        *) # RAM-loaded: after the image stored at the slot's start
            # header room (4 KB) + every section with contents that runs in RAM (ITCM, DTCM,
            # AXI, D2: h7boot copies each from the image), 4-byte aligned
            room=4096
            for a_s in $($READELF -SW "$elf" | sed 's/^ *\[ *[0-9]*\] *//' |
                         awk '$2 != "NOBITS" && $7 ~ /A/ { print "0x" $3 ":0x" $5 }'); do
                a=${a_s%%:*} s=${a_s#*:}
                if [ $((a)) -lt $((0x10000)) ] ||
                   { [ $((a)) -ge $((0x20000000)) ] && [ $((a)) -lt $((0x40000000)) ]; }; then
                    room=$((room + (s + 3) / 4 * 4))
                fi
            done
            [ $((t)) -ge $((slot + room)) ] ||
                fail "$name: table at $t overlaps the image (slot + $room bytes)"
            [ $((t % 4096)) -eq 0 ] || fail "$name: table at $t is not on a 4 KB erase block" ;;
        esac ;;
    qspi_store_*)
        q=$(sym "$elf" _ZL6stored)
        [ -n "$q" ] && [ $((q)) -ge $((0x90000000)) ] && [ $((q + 16384)) -le $((slot)) ] ||
            fail "$name: DSY_QSPI_BSS buffer at ${q:-nowhere}, not in the QSPI user area" ;;
    esac
    "$H7BOOT" check "$elf" --board daisy-seed --loader h7boot >"$OUT.$name.check" 2>&1 ||
        { cat "$OUT.$name.check"; fail "$name: h7boot check --loader h7boot found errors"; }
done
[ $status -eq 0 ] && echo "$# apps linked with h7boot ld scripts: all checked"
exit $status
