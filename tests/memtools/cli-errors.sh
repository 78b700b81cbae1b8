#!/bin/sh
# Bad input to h7boot report / check / ld: every case must exit non-zero with a message that
# names the file (or option) at fault.   cli-errors.sh H7BOOT SCRATCH_DIR
set -u
h7boot=$1 dir=$2
mkdir -p "$dir"
cd "$dir" || exit 1
failures=0

# expect STATUS REGEX COMMAND...: exit status and a stderr line matching REGEX
expect() {
    want=$1 re=$2
    shift 2
    "$@" >out.txt 2>err.txt
    got=$?
    if [ "$got" -ne "$want" ] || ! grep -Eq -- "$re" err.txt; then
        echo "FAIL: $* -> exit $got (want $want), stderr:" >&2
        cat err.txt >&2
        failures=$((failures + 1))
    else
        echo "ok: $* -> $got: $(head -n 1 err.txt)"
    fi
}

printf 'not an ELF file\n' >text.elf
: >empty.elf
expect 1 'missing\.elf: No such file' "$h7boot" report missing.elf --board daisy-seed
expect 1 'text\.elf: not an ELF file' "$h7boot" report text.elf --board daisy-seed
expect 1 'empty\.elf: not an ELF file' "$h7boot" check empty.elf --board daisy-seed
# the host tool itself is a 64-bit ELF
expect 1 "$h7boot: not a 32-bit" "$h7boot" report "$h7boot" --board daisy-seed
expect 1 'no-such-board' "$h7boot" report text.elf --board no-such-board
expect 2 '--board is required' "$h7boot" report text.elf
expect 2 'no ELF file given' "$h7boot" check --board daisy-seed
expect 2 "unexpected argument '--frobnicate'" "$h7boot" check x.elf --frobnicate
expect 2 "--top wants a number, got 'many'" "$h7boot" report x.elf --board daisy-seed --top many
expect 2 "--min-stack wants a size" "$h7boot" check x.elf --board daisy-seed --min-stack 4Q
expect 2 "--loader is h7boot, daisy or none" "$h7boot" check x.elf --board daisy-seed --loader uboot
# the smallest valid 32-bit Arm ELF: a header, no sections
python3 -c 'import struct, sys
sys.stdout.buffer.write(b"\x7fELF\x01\x01\x01" + bytes(9) +
    struct.pack("<HHIIIIIHHHHHH", 2, 40, 1, 0, 0, 0, 0x05000400, 52, 0, 0, 40, 0, 0))' >tiny.elf
expect 1 'tiny\.elf: no allocated sections' "$h7boot" report tiny.elf --board daisy-seed
# the smallest linked program: one 4-byte .text in AXI SRAM, and the section names
python3 -c 'import struct, sys
names = b"\0.text\0.shstrtab\0"
text_off, names_off = 52, 56
sh_off = names_off + len(names) + 3 & ~3
head = b"\x7fELF\x01\x01\x01" + bytes(9) + struct.pack("<HHIIIIIHHHHHH", 2, 40, 1, 0x24000001,
    0, sh_off, 0x05000400, 52, 0, 0, 40, 3, 2)
shdr = lambda *f: struct.pack("<IIIIIIIIII", *f)
out = head + b"\0\xbf\0\xbf" + names + bytes(sh_off - names_off - len(names))
out += shdr(0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
out += shdr(1, 1, 6, 0x24000000, text_off, 4, 0, 0, 4, 0)
out += shdr(7, 3, 0, 0, names_off, len(names), 0, 0, 1, 0)
sys.stdout.buffer.write(out)' >one.elf
expect 1 'nomap\.map: No such file' "$h7boot" report one.elf --board daisy-seed --map nomap.map
expect 1 'text\.elf: not a GNU ld map file' "$h7boot" report one.elf --board daisy-seed --map text.elf
# cut short: the section headers are gone
head -c 60 one.elf >cut.elf
expect 1 'cut\.elf: truncated' "$h7boot" check cut.elf --board daisy-seed

printf 'preset ram-load\nplace section .bss -> DTCM\nplace section .data -> WRAM\n' >bad.place
expect 1 "bad\.place:3: board daisy-seed has no region 'WRAM'" "$h7boot" ld bad.place --board daisy-seed -o bad.ld
printf 'place section .bss -> DTCM\n' >nopreset.place
expect 1 "nopreset\.place:0: no 'preset' line" "$h7boot" ld nopreset.place --board daisy-seed -o x.ld
printf 'preset ram-load\nstack DTCM\n' >stack.place
expect 1 "stack\.place:2: expected 'stack REGION SIZE'" "$h7boot" ld stack.place --board daisy-seed -o x.ld
printf 'preset ram-load\nstack FLASH 4K\n' >flashstack.place
expect 1 "flashstack\.place:2: stack FLASH is not RAM" "$h7boot" ld flashstack.place --board daisy-seed -o x.ld
expect 1 'absent\.place: No such file' "$h7boot" ld absent.place --board daisy-seed -o x.ld
printf 'preset ram-load\n' >ok.place
expect 1 'no/such/dir/x\.ld: No such file' "$h7boot" ld ok.place --board daisy-seed -o no/such/dir/x.ld
expect 2 '-o FILE is required' "$h7boot" ld ok.place --board daisy-seed
[ ! -e bad.ld ] || { echo "FAIL: a script was written for a bad placement file" >&2; failures=$((failures + 1)); }

[ "$failures" -eq 0 ] && echo PASS
exit "$failures"
