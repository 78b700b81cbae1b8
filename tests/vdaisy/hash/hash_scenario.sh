#!/bin/sh
# A boot scenario on the virtual Daisy that also says which SHA-256 ran: the HASH model traces
# every digest it computes ("HASH: SHA2-256 digest of N bytes"), so with --trace its presence
# means the bootloader hashed the image on the unit, its absence that software did.
#   hash_scenario.sh unit|software VDAISY ARGS...     (ARGS: the vdaisy run with its --expect)
set -u
want=$1 vdaisy=$2
shift 2
out=$("$vdaisy" "$@" --trace 2>&1)
rc=$?
printf '%s\n' "$out" | grep -E '^(stop|why|violations)=|HASH:' >&2
[ $rc -eq 0 ] || { echo "hash_scenario: vdaisy failed (status $rc)" >&2; exit 1; }
if printf '%s\n' "$out" | grep -q 'HASH: SHA2-256 digest of [1-9]'; then ran=unit; else ran=software; fi
[ "$ran" = "$want" ] || { echo "hash_scenario: the image hash ran in $ran, expected $want" >&2; exit 1; }
echo "hash_scenario: image hash on the $ran path, scenario passed"
