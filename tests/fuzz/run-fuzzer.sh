#!/bin/sh
# Run one libFuzzer target: run-fuzzer.sh FUZZER WORK_DIR SEED_DIR [libFuzzer flags...]
#
# New inputs go to WORK_DIR (in the build tree); SEED_DIR (tests/fuzz/corpus/NAME, checked in)
# is only read. Leaks count as failures. Prints libFuzzer's last status line (executions,
# edges "cov:", features "ft:", corpus size) and exits non-zero on any crash, leak, timeout or
# sanitizer report, with the log's tail.
set -u
fuzzer=$1 work=$2 seeds=$3
shift 3
mkdir -p "$work" || exit 1
log=$work.log
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} "$fuzzer" -print_final_stats=1 "$@" \
    "$work" "$seeds" >"$log" 2>&1
rc=$?
grep -E '^#[0-9]+[[:space:]]+(DONE|INITED)' "$log" | tail -n 2
grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$log"
if [ $rc -ne 0 ]; then
    echo "$(basename "$fuzzer"): FAILED (exit $rc); log $log:" >&2
    tail -n 40 "$log" >&2
    exit 1
fi
echo "$(basename "$fuzzer"): no crash"
