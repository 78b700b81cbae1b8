#!/bin/sh
# `make deps`: make sure every package in tools/deps.txt is installed.
# Fast when nothing is missing (one dpkg-query call). As root it installs what is missing with
# apt-get; otherwise it prints the exact command to run and exits 2.
set -u
here=$(dirname "$0")
pkgs=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$here/deps.txt")
if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "deps: not a Debian system; install the equivalents of: $(echo $pkgs)" >&2
  exit 2
fi
installed=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' $pkgs 2>/dev/null |
            awk '$1 == "ii" { print $2 }' | sed 's/:.*//')
missing=""
for p in $pkgs; do
  echo "$installed" | grep -qx "$p" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "deps: missing packages:$missing" >&2
  echo "Run: sudo apt-get update && sudo apt-get install -y$missing" >&2
  exit 2
fi
echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing
