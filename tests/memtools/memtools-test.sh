#!/bin/sh
# Toolchain-level tests of h7boot report / check / ld with the real Arm GNU toolchain.
#
#   memtools-test.sh CASE [ARGS...]     (environment: see below; run by CTest)
#
# Environment: H7BOOT (the host h7boot), GEN (folder of the board's generated memory.ld),
# SRC (tests/memtools), RUNTIME (runtime/ folder), OUT (a scratch folder for this case).
# Each case links the fixture program (fixtures/app.c) with -D options and a linker script and
# checks the result with h7boot, readelf and nm. Exit 0 = pass; every failure says what differed.
set -eu
CC=${CC:-arm-none-eabi-gcc}
READELF=${READELF:-arm-none-eabi-readelf}
NM=${NM:-arm-none-eabi-nm}
BOARD=${BOARD:-daisy-seed}
CFLAGS="-mcpu=cortex-m7 -mthumb -mfloat-abi=hard -mfpu=fpv5-d16 -O1 -g -ffunction-sections
 -fdata-sections -ffreestanding -nostartfiles -nostdlib -I$RUNTIME"
mkdir -p "$OUT"
cd "$OUT"

fail() { echo "FAIL: $*" >&2; exit 1; }

# link NAME SCRIPT [-D options, -Wl,... flags, more sources/objects...]: compiles the fixture
# to app.o (with the -D options) and links NAME.elf, keeping ld's --print-memory-usage table in
# NAME.ld-usage and the map in NAME.map.
link() {
    name=$1 script=$2
    shift 2
    defs="" rest=""
    for a in "$@"; do
        case $a in
        -D*) defs="$defs $a" ;;
        *) rest="$rest $a" ;;
        esac
    done
    # shellcheck disable=SC2086
    $CC $CFLAGS $defs -c "$SRC/fixtures/app.c" -o app.o || fail "compile of app.c failed"
    # shellcheck disable=SC2086
    $CC $CFLAGS -L"$GEN" -T"$script" -Wl,--print-memory-usage -Wl,-Map="$name.map" \
        app.o $rest -o "$name.elf" >"$name.ld-out" 2>"$name.ld-err" ||
        { cat "$name.ld-err" >&2; fail "link of $name failed"; }
    grep -E '^Memory region|%$' "$name.ld-out" >"$name.ld-usage"
}

# gen_link NAME PLACEMENT-TEXT [gcc args...]: `h7boot ld` a script from the placement text, then
# link the fixture with it (spill needs --enable-non-contiguous-regions).
gen_link() {
    name=$1 text=$2
    shift 2
    printf '%s\n' "$text" >"$name.place"
    "$H7BOOT" ld "$name.place" --board "$BOARD" -o "$name.ld" || fail "h7boot ld $name.place"
    link "$name" "$OUT/$name.ld" -Wl,--enable-non-contiguous-regions "$@"
    report_matches_ld "$name"
}

# check_clean ELF [options]: h7boot check finds no error
check_clean() {
    elf=$1
    shift
    "$H7BOOT" check "$elf" --board "$BOARD" "$@" || fail "h7boot check found errors in $elf"
}

# The report's table must equal ld's, byte for byte; its JSON must parse.
report_matches_ld() {
    name=$1
    "$H7BOOT" report "$name.elf" --board "$BOARD" --summary >"$name.report" ||
        fail "h7boot report failed on $name.elf"
    diff -u "$name.ld-usage" "$name.report" || fail "$name: report differs from ld"
    "$H7BOOT" report "$name.elf" --board "$BOARD" --json >"$name.json" ||
        fail "report --json failed on $name.elf"
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["regions"], "no regions"' \
        "$name.json" || fail "$name.json is not valid report JSON"
    echo "report == ld for $name"
}

# Address of a section or symbol.
sect_addr() { $READELF -SW "$1" | awk -v s="$2" '$2 == s { print $4; exit } $3 == s { print $5; exit }'; }
sym_addr() { $NM "$1" | awk -v s="$2" '$3 == s { print $1; exit }'; }
# in_range HEX ORIGIN LENGTH (decimal or 0x)
in_range() { python3 -c 'import sys; a,o,l=(int(x,0) for x in sys.argv[1:]); sys.exit(0 if o<=a<o+l else 1)' "0x$1" "$2" "$3"; }
region() { "$H7BOOT" report "$1" --board "$BOARD" --json --all | python3 -c '
import json,sys
for r in json.load(sys.stdin)["regions"]:
    if r["name"] == sys.argv[1]: print(r["origin"], r["length"])' "$2"; }
# expect_in ELF SYMBOL REGION
expect_in() {
    a=$(sym_addr "$1" "$2")
    [ -n "$a" ] || fail "$2 not in $1"
    # shellcheck disable=SC2046
    in_range "$a" $(region "$1" "$3") || fail "$2 at 0x$a is not in $3"
    echo "$2 at 0x$a is in $3"
}

case_name=$1
shift
case $case_name in
report-ld) # report-ld NAME -D options...: fixture with the libDaisy-style script
    name=$1
    shift
    link "$name" "$SRC/fixtures/daisy_sram.ld" "$@"
    report_matches_ld "$name"
    ;;
svg)
    link svg "$SRC/fixtures/daisy_sram.ld" -DSDRAM_BSS -DITCM_FUNC -DQSPI_DATA
    "$H7BOOT" report svg.elf --board "$BOARD" --svg map.svg >/dev/null || fail "report --svg"
    rsvg-convert map.svg -o map.png || fail "rsvg-convert could not render map.svg"
    python3 "$SRC/png_check.py" map.png || fail "map.png is not a sane picture"
    ;;
check) # check RULE fires|clean -D options... [--script S] [-- CHECK OPTIONS]
    rule=$1 want=$2
    shift 2
    script="$SRC/fixtures/daisy_sram.ld" defs="" opts=""
    while [ $# -gt 0 ]; do
        case $1 in
        --script) script=$2; shift 2 ;;
        --) shift; opts="$*"; break ;;
        *) defs="$defs $1"; shift ;;
        esac
    done
    name="$rule-$want"
    # shellcheck disable=SC2086
    link "$name" "$script" $defs
    set +e
    # shellcheck disable=SC2086
    "$H7BOOT" check "$name.elf" --board "$BOARD" $opts >"$name.check" 2>&1
    rc=$?
    set -e
    cat "$name.check"
    level=$(awk -v r="$rule" '$1 == r { print $2; exit }' "$name.check")
    if [ "$want" = fires ]; then
        [ -n "$level" ] || fail "$rule did not fire"
        if [ "$level" = "error:" ]; then [ $rc -eq 1 ] || fail "error rule fired but exit $rc"; fi
    else
        [ -z "$level" ] || fail "$rule fired on the clean fixture"
        [ $rc -eq 0 ] || fail "check exited $rc on the clean fixture"
    fi
    ;;
*)
    [ -f "$SRC/cases/$case_name.sh" ] || fail "unknown case $case_name"
    # shellcheck disable=SC1090
    . "$SRC/cases/$case_name.sh"
    ;;
esac
echo PASS
