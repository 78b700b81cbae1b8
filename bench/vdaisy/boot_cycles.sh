#!/bin/sh
# Reset-to-app cost of the Daisy Seed bootloader on the virtual Daisy, per boot scenario:
# simulated time and CPU cycles from reset to the app's first instruction (docs/vdaisy.md,
# "Cycle model": 1 cycle per instruction plus modelled wait states and model stalls; the
# clock from the RCC model, HSI 64 MHz until the PLL switch).
# usage: boot_cycles.sh VDAISY BOOT.bin SLOT NAME=IMAGE...
set -eu
vdaisy=$1 boot=$2 slot=$3
shift 3
printf '%-28s %12s %12s %12s  %s\n' scenario cycles instructions time_us vtor
for arg in "$@"; do
    name=${arg%%=*} image=${arg#*=}
    out=$("$vdaisy" --boot "$boot" --param qspi.tef_sets_tcf=1 --nor-load "$image@$slot" \
          --app --timeout-ms 200) || true
    get() { printf '%s\n' "$out" | sed -n "s/^$1=//p"; }
    if [ "$(get stop)" != app ]; then
        printf '%-28s did not reach the app: %s\n' "$name" "$(get why)"
        continue
    fi
    printf '%-28s %12s %12s %12s  %s\n' "$name" "$(get app_cycles)" "$(get instructions)" \
        "$(get app_us)" "$(get vtor)"
done
