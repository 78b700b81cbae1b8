#!/bin/sh
# strip-nobits.sh OBJCOPY IN.elf OUT.bin: the program's stored image only (what a flash holds:
# every section with contents at its load address), as a raw binary from the first load
# address. QEMU loads it at 0 and restores only it at a system reset, so nothing but the
# start-up code can initialise the RAM regions.
set -eu
objcopy=$1 in=$2 out=$3
"$objcopy" -O binary "$in" "$out"
size=$(wc -c <"$out")
# a flash image for the 128 KB boot area: anything larger means a RAM address leaked into the
# load addresses (libDaisy #545's mistake)
[ "$size" -gt 0 ] && [ "$size" -le 131072 ] || { echo "$out: $size bytes" >&2; exit 1; }
