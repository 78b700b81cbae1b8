#!/usr/bin/env bash
# Run a program on QEMU's MPS2 AN500 (Cortex-M7) board and check what it did.
#
#   run-qemu.sh [--timeout S] [--expect-exit N] [--expect REGEX]... [--reject REGEX]...
#               [--load FILE@ADDR]... [--log FILE] --kernel ELF [-- EXTRA_QEMU_ARGS...]
#
# The program's UART output is printed and, with --log, saved. Passes (exit 0) when QEMU ended
# within the timeout (default 20 s) with the expected exit status (semihosting SYS_EXIT_EXTENDED;
# default 0), every --expect regex (grep -E) matched the output and no --reject regex did.
# --load puts a raw file into board memory before reset (the virtual QSPI, for instance).
set -u
timeout_s=20 expect_exit=0 log="" kernel=""
expects=() rejects=() loads=()
while [ $# -gt 0 ]; do
  case "$1" in
    --timeout) timeout_s=$2; shift 2 ;;
    --expect-exit) expect_exit=$2; shift 2 ;;
    --expect) expects+=("$2"); shift 2 ;;
    --reject) rejects+=("$2"); shift 2 ;;
    --load) loads+=("$2"); shift 2 ;;
    --log) log=$2; shift 2 ;;
    --kernel) kernel=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "run-qemu.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$kernel" ] || { echo "run-qemu.sh: --kernel ELF is required" >&2; exit 2; }
[ -f "$kernel" ] || { echo "run-qemu.sh: $kernel: no such file" >&2; exit 2; }

args=(-M mps2-an500 -nographic -monitor none -serial stdio -semihosting -kernel "$kernel")
for l in "${loads[@]+"${loads[@]}"}"; do
  file=${l%@*} addr=${l##*@}
  [ -f "$file" ] || { echo "run-qemu.sh: $file: no such file" >&2; exit 2; }
  args+=(-device "loader,file=$file,addr=$addr,force-raw=on")
done

out=$(mktemp)
trap 'rm -f "$out"' EXIT
timeout --kill-after=5 "$timeout_s" qemu-system-arm "${args[@]}" "$@" </dev/null >"$out" 2>&1
status=$?
tr -d '\r' <"$out" >"$out.clean" && mv "$out.clean" "$out"
cat "$out"
[ -n "$log" ] && cp "$out" "$log"

fail=0
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
  echo "run-qemu.sh: FAIL: QEMU did not exit within ${timeout_s} s" >&2; fail=1
elif [ "$status" -ne "$expect_exit" ]; then
  echo "run-qemu.sh: FAIL: exit status $status, expected $expect_exit" >&2; fail=1
fi
for re in "${expects[@]+"${expects[@]}"}"; do
  grep -Eq -- "$re" "$out" || { echo "run-qemu.sh: FAIL: output lacks /$re/" >&2; fail=1; }
done
for re in "${rejects[@]+"${rejects[@]}"}"; do
  grep -Eq -- "$re" "$out" && { echo "run-qemu.sh: FAIL: output has /$re/" >&2; fail=1; }
done
[ $fail -eq 0 ] && echo "run-qemu.sh: PASS ($(basename "$kernel"), exit $status)"
exit $fail
