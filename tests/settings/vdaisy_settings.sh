#!/bin/sh
# h7::PersistentStorage on the virtual Daisy, run as the real BOOT_QSPI binary (counter/,
# libDaisy's startup and linker script, booted by h7boot from the app slot).
#
#   vdaisy_settings.sh VDAISY BOOT_BIN APP_ELF APP_BIN WORKDIR
#
# 1. save, reset, the value comes back: three boots on one NOR file find 0, 1, 2 (the app saves
#    count+1 each boot), states FACTORY then USER, Save() without error;
# 2. a power cut at every flash operation of Save() (nor.cut_at=k, k = 1, 2, ... until the cut
#    falls after the Save): the next boot finds the old count or the new one, never the
#    defaults or garbage (the app checks the record's complement word).
# Exit 0 when all holds; 1 with a message otherwise.
set -u
vd=$1 boot=$2 elf=$3 bin=$4 work=$5
mkdir -p "$work" || exit 2
nor=$work/nor.img
fail() { echo "vdaisy_settings: $*" >&2; exit 1; }
# run NOR [vdaisy args...]: one boot of the app, stopping at scenario_done (or the timeout)
run() { f=$1; shift; "$vd" --boot "$boot" --symbols "$elf" --param qspi.tef_sets_tcf=1 --nor "$f" \
        --nor-load "$bin@0x90040000" --until scenario_done --timeout-ms 100 "$@" 2>&1; }
# word NOR SYMBOL: the value of SYMBOL at scenario_done in a boot on NOR (the boot saves too)
word() { run "$1" --expect-word "$2=0x0D15EA5E" | sed -n 's/.*(read \(0x[0-9a-f]*\)).*/\1/p'; }
# boot NOR: observed, state and result of one boot, as "observed state result"
boot() { run "$1" --expect-word observed=0x0D15EA5E --expect-word state=0x0D15EA5E \
             --expect-word result=0x0D15EA5E |
         sed -n 's/.*--expect-word \([a-z]*\)=.*(read \(0x[0-9a-f]*\)).*/\1 \2/p' |
         awk '{v[$1]=$2} END {print v["observed"], v["state"], v["result"]}'; }

rm -f "$nor"
set -- "0x00000000 0x00000001" "0x00000001 0x00000002" "0x00000002 0x00000002"
for want in "$@"; do
    got=$(boot "$nor")
    case "$got" in
    "$want 0x00000000") ;;
    *) fail "boot expected observed/state $want and result 0, got '$got'" ;;
    esac
done
echo "save / reset / read back: 0, 1, 2 over three boots"

cp "$nor" "$work/before-save.img"
cuts=0
for k in 1 2 3 4 5 6 7 8; do
    cp "$work/before-save.img" "$work/cut.img"
    out=$(run "$work/cut.img" --param nor.cut_at=$k --param violations_fatal=0 \
              --expect-word result=0)
    if echo "$out" | grep -q '^stop=address' && ! echo "$out" | grep -q FAIL; then
        break # the Save finished before the k-th write: every operation was cut once
    fi
    cuts=$((cuts + 1))
    got=$(word "$work/cut.img" observed)
    case "$got" in
    0x00000003|0x00000004) echo "cut at write $k: next boot finds $got" ;;
    *) fail "cut at write $k: next boot finds '$got', neither 3 (old) nor 4 (new)" ;;
    esac
done
[ "$cuts" -gt 0 ] || fail "no cut landed in Save()"
echo "power cuts: $cuts, each left the old or the new count"
