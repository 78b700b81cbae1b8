#!/bin/sh
# `make demo`: the main job on QEMU's MPS2 AN500 (Cortex-M7) board.
#   demo.sh QEMU_BUILD_TREE HOST_BIN_DIR
# Stage reached so far: the firmware toolchain, the board description and the QEMU runner.
set -eu
tree=$1 bin=$2
root=$(cd "$(dirname "$0")/.." && pwd)
echo "h7boot demo — QEMU mps2-an500 (Cortex-M7)"
echo
echo "1. The board description ($root/boards/qemu-mps2-an500.board) becomes the firmware's"
echo "   memory map; every address below comes from that one file:"
sed -n '/^MEMORY/,/^}/p' "$tree/board/memory.ld"
echo
echo "2. A Cortex-M7 program built with arm-none-eabi-gcc boots on the board, prints over the"
echo "   CMSDK UART and ends QEMU through semihosting with its own exit status:"
"$root/tests/qemu/run-qemu.sh" --expect-exit 42 --kernel "$tree/tests/qemu/qemu_smoke.elf"
echo
echo "Not yet in the demo: packing an app with h7boot, booting it through the bootloader into"
echo "several RAM regions, and saving settings in the store (see README.md, Status)."
