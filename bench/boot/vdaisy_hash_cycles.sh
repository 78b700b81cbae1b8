#!/bin/sh
# Reset to the app's first instruction on the virtual Daisy (its cycle model: docs/vdaisy.md),
# h7boot images hashed on the HASH model and, with hash.absent=1 (a lot without the unit), in
# software: cycles, instructions, simulated time and ms at 480 MHz.
#   vdaisy_hash_cycles.sh VDAISY BOOT.bin SLOT NAME=IMAGE...
set -eu
vdaisy=$1 boot=$2 slot=$3
shift 3
echo "h7boot on the virtual Daisy: reset -> app, HASH unit and software paths"
printf '  %-26s %-9s %12s %12s %12s\n' image path cycles instructions time_us
for arg in "$@"; do
    name=${arg%%=*} image=${arg#*=}
    for path in unit software; do
        p=""
        [ $path = software ] && p="--param hash.absent=1"
        # shellcheck disable=SC2086
        out=$("$vdaisy" --boot "$boot" --param qspi.tef_sets_tcf=1 $p --nor-load "$image@$slot" \
              --app --timeout-ms 2000) || true
        get() { printf '%s\n' "$out" | sed -n "s/^$1=//p"; }
        if [ "$(get stop)" != app ]; then
            printf '  %-26s %-9s did not reach the app: %s\n' "$name" $path "$(get why)"
            continue
        fi
        printf '  %-26s %-9s %12s %12s %12s\n' "$name" $path "$(get app_cycles)" \
            "$(get instructions)" "$(get app_us)"
    done
done
