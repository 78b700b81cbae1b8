#!/bin/sh
# `make test`: run CTest in every build tree given, then print one total line.
# Exit status: 0 only when every tree ran and every test passed.
set -u
jobs=$(nproc 2>/dev/null || echo 2)
passed=0 failed=0 status=0
for tree in "$@"; do
  echo "=== tests in $tree"
  log=$(mktemp)
  ctest --test-dir "$tree" --output-on-failure -j "$jobs" 2>&1 | tee "$log"
  line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1)
  if [ -z "$line" ]; then
    if grep -q 'No tests were found' "$log"; then
      echo "(no tests in $tree)"
    else
      echo "run-tests: ctest did not finish in $tree" >&2
      status=1
    fi
  else
    f=$(echo "$line" | sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/')
    t=$(echo "$line" | sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\2/')
    passed=$((passed + t - f)) failed=$((failed + f))
    [ "$f" -eq 0 ] || status=1
  fi
  rm -f "$log"
done
echo
echo "All trees: $passed passed, $failed failed"
exit $status
