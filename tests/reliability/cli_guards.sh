#!/bin/sh
# The h7boot CLI's guards (tools/h7boot/cli_io.c, issue 16):
#  - every input reader stops on /dev/zero with an error (size limit / not a regular file)
#    instead of reading until memory runs out;
#  - a failed write to standard output or to an output file (/dev/full) is an error, non-zero
#    exit and a message;
#  - an image's name with terminal escape codes is printed escaped.
#   cli_guards.sh H7BOOT MAKE_ELF WORK
set -u
H=$1 MK=$2 W=$3
rm -rf "$W" && mkdir -p "$W" && cd "$W" || exit 2
fail() { echo "FAIL: $*"; exit 1; }
failures=0
# expect_err WANT_TEXT CMD...: exit 1 within 20 s, WANT_TEXT on stderr (else counted, and the
# next case runs: a run without the guards shows every missing one)
expect_err() {
    want=$1
    shift
    timeout 20 "$@" >out.txt 2>err.txt
    rc=$?
    if [ $rc != 1 ] || ! grep -q -- "$want" err.txt; then
        echo "FAIL: $* -> exit $rc (want 1 and '$want'): $(head -c 300 err.txt)"
        failures=$((failures + 1))
        return
    fi
    echo "ok: $* -> $(head -n 1 err.txt)"
}
python3 "$MK" app.elf --entry 0x24000101 --vector-at 0x24000000 --sp 0x20020000 \
    0x24000000:0x200 || exit 2
"$H" pack app.elf -o app.img >/dev/null || exit 2
# report and check read section headers, which make_elf.py does not write: a linked program.
printf 'int x[4] = {1};\nvoid Reset_Handler(void) { for (;;) x[1]++; }\n' >linked.c
arm-none-eabi-gcc -mcpu=cortex-m7 -mthumb -nostdlib -Wl,-Ttext=0x24000000 -Wl,-Tdata=0x20000000 \
    -Wl,-e,Reset_Handler linked.c -o linked.elf || exit 2
printf 'preset ram-load\n' >app.place

# readers on /dev/zero
expect_err "larger than" "$H" inspect /dev/zero
expect_err "larger than" "$H" inspect /dev/zero --board daisy-seed
expect_err "not a regular file" "$H" report /dev/zero --board daisy-seed
expect_err "not a regular file" "$H" check /dev/zero --board daisy-seed
expect_err "not a regular file" "$H" report linked.elf --board daisy-seed --map /dev/zero
expect_err "larger than" "$H" ld /dev/zero --board daisy-seed -o x.ld
expect_err "larger than 64 KB" "$H" ld app.place --board /dev/zero -o x.ld
expect_err "/dev/zero" "$H" pack /dev/zero -o x.img

# failed writes: standard output, output files (through a symlink: the name decides the kind)
expect_err "standard output" sh -c "exec \"$H\" inspect app.img >/dev/full"
expect_err "standard output" sh -c "exec \"$H\" report linked.elf --board daisy-seed >/dev/full"
expect_err "standard output" sh -c "exec \"$H\" check linked.elf --board daisy-seed >/dev/full"
expect_err "standard output" sh -c "exec \"$H\" ld app.place --board daisy-seed -o - >/dev/full"
expect_err "standard output" sh -c "exec \"$H\" --help >/dev/full"
ln -s /dev/full full.img && ln -s /dev/full full.ld && ln -s /dev/full full.svg || exit 2
expect_err "No space left" "$H" pack app.elf -o full.img
expect_err "No space left" "$H" ld app.place --board daisy-seed -o full.ld
expect_err "No space left" "$H" report linked.elf --board daisy-seed --svg full.svg
[ -c /dev/full ] || fail "/dev/full is no longer a device"
[ $failures = 0 ] || fail "$failures guard(s) missing"

# a name with an escape sequence (the file name becomes the image's NAME TLV)
esc=$(printf 'evil\033[2Japp.elf')
cp app.elf "$esc" || exit 2
"$H" pack "$esc" -o named.img >/dev/null || fail "pack of $esc"
"$H" inspect named.img >out.txt 2>err.txt || fail "inspect named.img: $(cat err.txt)"
grep -q 'name:      evil\\x1b\[2Japp.elf' out.txt || fail "name not escaped: $(grep name: out.txt | od -c | head -3)"
! grep -q "$(printf '\033')" out.txt || fail "raw ESC byte in inspect's output"
echo "ok: image name printed as $(grep name: out.txt)"
