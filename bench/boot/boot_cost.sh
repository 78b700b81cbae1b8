#!/bin/sh
# Boot cost of h7boot on QEMU's Cortex-M7 (`make bench`): instructions from reset to the app's
# first instruction for a ~480 KB image, split into phases, and instructions per KB for SHA-256
# and for the copy.
#   boot_cost.sh BOOTLOADER.elf IMAGE.img SLOT_ADDR
# Method: QEMU runs with -icount shift=0, so virtual time advances exactly 1 ns per executed
# instruction; the bootloader reads SysTick (processor clock, 25 MHz on this board model: one
# tick = 40 instructions, checked by a calibration loop of known length) at each phase. SysTick
# starts in the first instructions of Reset_Handler. The hand-off stops SysTick, so its few
# instructions are counted from its disassembly instead (straight-line code plus the NVIC loop).
# QEMU counts instructions, not cycles: a Cortex-M7 at 480 MHz issues up to 2 per cycle, and
# waits on QSPI/SDRAM; these figures are the baseline the STM32H750 port is compared against.
set -eu
boot=$1 img=$2 slot=$3
root=$(cd "$(dirname "$0")/../.." && pwd)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$root/tests/qemu/run-qemu.sh" --timeout 120 --kernel "$boot" --load "$img@$slot" \
    -- -append bench -icount shift=0 >"$log" 2>&1 || { cat "$log"; exit 1; }

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
size=$(stat -c %s "$img")
echo "h7boot boot cost on QEMU mps2-an500 (Cortex-M7), image $(basename "$img"): $size bytes"
grep -E '^h7boot bench:' "$log" | sed 's/^h7boot bench: /  /'
total=$(sed -n 's/^h7boot bench: total *\([0-9]*\) instructions.*/\1/p' "$log")
echo "  hand-off          $handoff instructions (h7_boot_handoff, from its disassembly)"
all=$((total + handoff))
kb=$((size / 1024))
echo "  reset -> app's first instruction: $all instructions (= $((all / kb)) per KB of image)"
grep -q 'app: all checks passed' "$log" || { echo "boot_cost: the app did not run" >&2; exit 1; }
