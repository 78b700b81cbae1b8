#!/bin/sh
# `h7boot inspect` refuses what the bootloader refuses before its jump (image_entry.c): an
# image whose initial SP is misaligned or inside its own code, whose reset vector points
# nowhere (0xDEADBEEF, the issue-16 case that inspect called "OK (bootable)"), or whose header
# entry disagrees with the vector table. Each named by its reason.
#   inspect_vectors.sh H7BOOT H7BOOT_CORRUPT MAKE_ELF WORK
set -u
H=$1 C=$2 MK=$3 W=$4
rm -rf "$W" && mkdir -p "$W" && cd "$W" || exit 2
fail() { echo "FAIL: $*"; exit 1; }
python3 "$MK" app.elf --entry 0x24000101 --vector-at 0x24000000 --sp 0x20020000 \
    0x24000000:0x200 0x24000200:0x40:0x100 || exit 2
"$H" pack app.elf -o app.img --board daisy-seed >/dev/null || exit 2
"$H" inspect app.img --board daisy-seed >out.txt 2>err.txt || fail "good image refused: $(cat err.txt)"
grep -q "OK (bootable)" out.txt || fail "good image: no OK verdict"
check() { # CLASS REASON WORDS...
    cls=$1 reason=$2
    shift 2
    "$C" "$cls" app.img "$cls.img" daisy-seed >/dev/null || exit 2
    "$H" inspect "$cls.img" --board daisy-seed >out.txt 2>err.txt && fail "$cls: exit 0"
    grep -q "verdict:   BAD" out.txt || fail "$cls: verdict not BAD"
    grep -q "$reason: " err.txt || fail "$cls: no $reason in: $(cat err.txt)"
    for w in "$@"; do
        grep -q -- "$w" err.txt || fail "$cls: no '$w' in: $(cat err.txt)"
    done
    echo "ok: $cls -> $(cat err.txt)"
}
check stack STACK "initial SP" 0x2001fffc
check stack-code STACK "initial SP" 0x24000200
check reset RESET "reset vector" 0xdeadbeef
check entry ENTRY_VECTOR "header entry" 0x24000105
