#!/bin/sh
# Boot cost of h7boot on QEMU's Cortex-M7 (`make bench`): instructions from reset to the app's
# first instruction for each image given, split into phases; instructions per KB for SHA-256,
# the copy and the HASH driver's CPU side; then boot_time.py turns them into milliseconds at
# 480 MHz for the software and the HASH-unit paths, beside the stock Daisy bootloader.
#   boot_cost.sh BOOTLOADER.elf SLOT_ADDR IMAGE.img...
# Method: QEMU runs with -icount shift=0, so virtual time advances exactly 1 ns per executed
# instruction; the bootloader reads SysTick (processor clock, 25 MHz on this board model: one
# tick = 40 instructions, checked by a calibration loop of known length) at each phase. SysTick
# starts in the first instructions of Reset_Handler. The hand-off stops SysTick, so its few
# instructions are counted from its disassembly instead (straight-line code plus the NVIC loop).
# QEMU counts instructions, not cycles: a Cortex-M7 at 480 MHz issues up to 2 per cycle, and
# waits on QSPI/SDRAM; boot_time.py states the cycle model it applies.
set -eu
boot=$1 slot=$2
shift 2
root=$(cd "$(dirname "$0")/../.." && pwd)
log=$(mktemp)
figures=$(mktemp)
trap 'rm -f "$log" "$figures"' EXIT

# The hand-off: instructions of h7_boot_handoff, the loop body counted once per NVIC word.
handoff=$(arm-none-eabi-objdump -d "$boot" | awk '
    /<h7_boot_handoff>:/ { on = 1; next }
    on && /^$/ { on = 0 }
    on && /^ +[0-9a-f]+:\t/ && $0 !~ /\.word/ {
        addr = $1; sub(":", "", addr); n++; a[n] = addr
        if ($0 ~ /\tb(ne|cc|lo)(\.n|\.w)?\t/) { loop_end = n; match($0, /\t[0-9a-f]+ </)
            tgt = substr($0, RSTART + 1, RLENGTH - 3) }
    }
    END {
        for (i = 1; i <= n; i++) if (a[i] == tgt) loop_start = i
        body = loop_end - loop_start + 1
        print n + 7 * body   # NVIC_WORDS = 8 iterations: 7 more than the static count
    }')

for img in "$@"; do
    "$root/tests/qemu/run-qemu.sh" --timeout 600 --kernel "$boot" --load "$img@$slot" \
        -- -append bench -icount shift=0 >"$log" 2>&1 || { cat "$log"; exit 1; }
    grep -q 'app: all checks passed' "$log" || { cat "$log"; echo "boot_cost: the app did not run" >&2; exit 1; }
    size=$(stat -c %s "$img")
    echo "h7boot boot cost on QEMU mps2-an500 (Cortex-M7), image $(basename "$img"): $size bytes"
    grep -E '^h7boot bench:' "$log" | sed 's/^h7boot bench: /  /'
    total=$(sed -n 's/^h7boot bench: total *\([0-9]*\) instructions.*/\1/p' "$log")
    all=$((total + handoff))
    echo "  hand-off          $handoff instructions (h7_boot_handoff, from its disassembly)"
    echo "  reset -> app's first instruction: $all instructions (= $((all / (size / 1024))) per KB of image)"
    # For boot_time.py: name, size, instructions, the phases and per-KB figures.
    phase() { sed -n "s/^h7boot bench: $1 *\([0-9]*\) instructions.*/\1/p" "$log"; }
    echo "$(basename "$img" .img) $size $all $(phase 'copy + zero') $(phase 'SHA-256 (RAM+XIP)')" \
         "$(phase 'SHA-256 per KB') $(phase 'copy per KB') $(phase 'HASH feed per KB')" >>"$figures"
done
python3 "$root/bench/boot/boot_time.py" "$figures"
