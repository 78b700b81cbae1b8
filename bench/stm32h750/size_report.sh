#!/bin/sh
# `make bench` step for the Daisy Seed bootloader: what each module contributes to the linked
# flash image (from the link map, after --gc-sections), arm-none-eabi-size of every module
# archive, and the total against the budget (the 128 KB internal flash sector).
#   size_report.sh ELF MAP BOARD_MAP_H BUDGET ARCHIVE...
# The internal flash range comes from the generated board_map.h (H7_REGION_FLASH_*).
set -u
elf=$1 map=$2 board=$3 budget=$4; shift 4
lo=$(printf '%d' "$(awk '/H7_REGION_FLASH_ORIGIN/{print $3}' "$board" | tr -d u)")
len=$(printf '%d' "$(awk '/H7_REGION_FLASH_LENGTH/{print $3}' "$board" | tr -d u)")
SIZE=${SIZE:-arm-none-eabi-size}
echo "== $(basename "${elf%.elf}"): bytes per module in internal flash, linked without LTO ($(basename "$map"))"
awk -v lo="$lo" -v hi=$((lo + len)) '
function h2d(s,   i, c, v) { v = 0; s = tolower(s); sub(/^0x/, "", s)
    for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)) - 1
        if (c < 0) return -1; v = v * 16 + c }
    return v }
function module(f) {
    if (f ~ /libh7_boot\.a/) return "boot (core)"
    if (f ~ /libh7_(image|crc32)\.a/) return "image (parse, SHA-256, CRC)"
    if (f ~ /libh7_dfu\.a/) return "dfu (class)"
    if (f ~ /libh7_board\.a/) return "board table + queries"
    if (f ~ /libh7_stm32h750\.a\(usb_dcd/) return "stm32h750 USB device (EP0)"
    if (f ~ /libh7_stm32h750\.a/) return "stm32h750 drivers"
    if (f ~ /stm32h750.*(startup|boot_main)/) return "stm32h750 startup + main"
    if (f ~ /libgcc|libc|libnosys|libm/) return "libc / libgcc"
    return "other"
}
/^Discarded input sections/ { skip = 1 }
/^Linker script and memory map/ { skip = 0 }
skip { next }
/^ \.[A-Za-z_]/ && NF == 1 { pending = 1; next }
{
    if (pending && NF >= 3 && $1 ~ /^0x/) { a = h2d($1); s = h2d($2); f = $3; pending = 0 }
    else if ($0 ~ /^ \./ && NF >= 4 && $2 ~ /^0x/) { a = h2d($2); s = h2d($3); f = $4; pending = 0 }
    else { pending = 0; next }
    if (a >= lo && a < hi && s > 0) { m = module(f); sum[m] += s; total += s }
}
END {
    for (m in sum) printf "  %-28s %6d bytes\n", m, sum[m] | "sort -k1"
    close("sort -k1")
    printf "  %-28s %6d bytes\n", "(sum of input sections)", total
}' "$map"
echo "== arm-none-eabi-size of each module archive (before the linker drops unused code)"
for a in "$@"; do
    [ -f "$a" ] && "$SIZE" -t "$a" | tail -n 1 | awk -v n="$(basename "$a")" '{printf "  %-22s text %6d  data %5d  bss %6d\n", n, $1, $2, $3}'
done
echo "== total (the flashed binary, linked with LTO)"
"$SIZE" "$elf"
bin=${elf%.elf}.bin
b=$(wc -c < "$bin")
if [ "$b" -le "$budget" ]; then
    echo "flash image $(basename "$bin"): $b bytes of $budget ($((budget - b)) left)"
else
    echo "flash image $(basename "$bin"): $b bytes of $budget (OVER by $((b - budget)))"
fi
estack=$(arm-none-eabi-nm "$elf" | awk '$3 == "_estack" {print $1}')
sdata=$(arm-none-eabi-nm "$elf" | awk '$3 == "_sdata" {print $1}')
ebss=$(arm-none-eabi-nm "$elf" | awk '$3 == "_ebss" {print $1}')
echo "BOOT_RAM: data+bss $((0x$ebss - 0x$sdata)) bytes, stack room $((0x$estack - 0x$ebss)) bytes"
