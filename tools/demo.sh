#!/bin/sh
# `make demo`: the main job on QEMU's MPS2 AN500 (Cortex-M7) board, step by step.
#   demo.sh QEMU_BUILD_TREE HOST_BIN_DIR
# Packs the multi-region example app with `h7boot pack`, shows the image, puts it into the
# board's virtual QSPI slot, shows a damaged copy refused, then boots the good image through the
# h7boot bootloader; the app counts its boot in the settings store in QSPI. A second run (a
# "power cycle": RAM gone, the QSPI user area kept in a host file) shows the count persisted.
# Ends with the app's own output.
set -eu
tree=$(cd "$1" && pwd) bin=$(cd "$2" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
run="$root/tests/qemu/run-qemu.sh"
boot="$tree/ports/qemu-mps2-an500/h7boot_qemu.elf"
elf="$tree/examples/multiregion/multiregion.elf"
out="$tree/demo"
mkdir -p "$out"
slot=$(sed -n 's/^h7_slot_app_origin = \(0x[0-9a-fA-F]*\);/\1/p' "$tree/board/memory.ld")
user=$(sed -n 's/^h7_reserve_user_area_origin = \(0x[0-9a-fA-F]*\);/\1/p' "$tree/board/memory.ld")

step() { printf '\n=== %s\n\n' "$*"; }

echo "h7boot demo — QEMU mps2-an500 (a Cortex-M7), standing in for the Daisy Seed"

step "1. The board (boards/qemu-mps2-an500.board): every address below comes from this one file"
sed -n '/^MEMORY/,/^}/p' "$tree/board/memory.ld"
echo "The app slot is at $slot in the \"QSPI\" region; the bootloader's own RAM (BOOT_RAM) and"
echo "the first 256 KB of QSPI (USER_AREA) are reserved."

step "2. The example app (examples/multiregion) was linked into four regions:"
arm-none-eabi-readelf -lW "$elf" | sed -n '/Program Headers/,/^$/p'
echo "It copies nothing itself: the bootloader must put each part where it was linked."

step "3. Pack it:  h7boot pack multiregion.elf --board qemu-mps2-an500 -o multiregion.img"
"$bin/h7boot" pack "$elf" --board qemu-mps2-an500 -o "$out/multiregion.img"
"$bin/h7boot" inspect "$out/multiregion.img" --board qemu-mps2-an500

step "4. A damaged copy (one payload bit flipped) in the slot: the bootloader refuses it"
"$bin/h7boot_corrupt" payload "$out/multiregion.img" "$out/damaged.img" qemu-mps2-an500
"$run" --expect-exit 24 --kernel "$boot" --load "$out/damaged.img@$slot" | grep -v PASS
echo "(QEMU exit status 24: the bootloader stayed in recovery; on the Daisy it would enter DFU)"

step "5. The good image in the slot ($slot): the bootloader verifies, loads, re-verifies, jumps"
echo "(-append scrub: all RAM starts as 0xA5 garbage, so a missed copy or zero would show;"
echo " store: the app counts this boot in the settings store in the QSPI user area at $user,"
echo " and the QSPI user area is kept in $out/qspi-user.bin across QEMU runs)"
cd "$out"
rm -f qspi-user.bin
"$run" --expect-exit 0 --kernel "$boot" --load "$out/multiregion.img@$slot" \
    -- -append "scrub store store-file=qspi-user.bin" | grep -v '^run-qemu.sh: PASS'

step "6. Power cycle: RAM is gone, QSPI keeps the slot and the store. Boot again:"
"$run" --expect-exit 0 --kernel "$boot" --load "$out/multiregion.img@$slot" \
    --load "$out/qspi-user.bin@$user" -- -append "scrub store store-file=qspi-user.bin" |
    grep -v '^run-qemu.sh: PASS'
