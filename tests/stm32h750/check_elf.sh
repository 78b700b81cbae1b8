#!/bin/sh
# ELF checks of Daisy Seed firmware (toolchain level: nothing runs on a board here).
#
#   check_elf.sh ramfunc ELF QSPI_ORIGIN QSPI_LENGTH ROOT...
#       The whole call graph of each ROOT function (direct calls and branches, followed through
#       linker veneers) lies outside [QSPI_ORIGIN, +QSPI_LENGTH); no function in it makes an
#       indirect call; no literal-pool word in it is the address of a symbol located in QSPI
#       (code or constant data that would be read while QSPI is in indirect mode).
#   check_elf.sh vectors BIN ELF RAM_LO RAM_HI CODE_LO CODE_HI MIN_STACK
#       The first 16 words of BIN (the vector table): initial SP = _estack, 8-byte aligned,
#       inside [RAM_LO, RAM_HI], at least MIN_STACK above _ebss; the reset vector is
#       Reset_Handler with the Thumb bit; every non-zero vector is odd and in [CODE_LO, CODE_HI).
# Exit 0 when every check holds; 1 with a message per violation.
set -u
OBJDUMP=${OBJDUMP:-arm-none-eabi-objdump}
NM=${NM:-arm-none-eabi-nm}

die() { echo "check_elf: $*" >&2; exit 2; }
hex() { printf '%d' "$1"; }

mode=${1:-}; shift || true
case "$mode" in
ramfunc)
    [ $# -ge 4 ] || die "usage: ramfunc ELF QSPI_ORIGIN QSPI_LENGTH ROOT..."
    elf=$1 lo=$(hex "$2") len=$(hex "$3"); shift 3
    [ -f "$elf" ] || die "$elf: no such file"
    hi=$((lo + len))
    tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
    "$NM" "$elf" > "$tmp/syms" || die "$elf: nm failed"
    "$OBJDUMP" -d --no-show-raw-insn "$elf" > "$tmp/dis" || die "$elf: objdump failed"
    awk -v lo="$lo" -v hi="$hi" -v roots="$*" -v symfile="$tmp/syms" '
    function h2d(s,   i, c, v) { v = 0; s = tolower(s); sub(/^0x/, "", s)
        for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)) - 1
            if (c < 0) return -1; v = v * 16 + c }
        return v }
    function inq(a) { return a >= lo && a < hi }
    BEGIN {
        while ((getline line < symfile) > 0) {
            split(line, f, " ")
            if (f[3] == "") continue
            a = h2d(f[1]); symaddr[f[3]] = a
            if (inq(a) && f[3] !~ /^\$/ && f[3] !~ /^h7_(region|slot|reserve|word)_/) qsym[sprintf("%.0f", a)] = f[3]
        }
    }
    /^[0-9a-f]+ <[^>]+>:$/ { cur = $2; gsub(/[<>:]/, "", cur); start[cur] = h2d($1); next }
    cur == "" { next }
    {
        body[cur] = body[cur] "\n" $0
    }
    END {
        n = split(roots, q, " "); head = 1; bad = 0
        for (i = 1; i <= n; i++) { if (!(q[i] in start)) { print "root " q[i] " not found"; bad = 1 } seen[q[i]] = 1 }
        while (head <= n) {
            fn = q[head++]
            if (!(fn in start)) continue
            if (inq(start[fn])) { printf "%s is in QSPI (0x%08x)\n", fn, start[fn]; bad = 1 }
            m = split(body[fn], lines, "\n")
            for (j = 1; j <= m; j++) {
                l = lines[j]
                if (l ~ /\tblx?\tr[0-9]/ || l ~ /\tbx\tr[0-9]/ || l ~ /\tbx\t(ip|r12)/) {
                    printf "%s makes an indirect call:%s\n", fn, l; bad = 1; continue
                }
                if (l ~ /\t(b|bl|b\.w|b\.n|blx|cbz|cbnz|b[a-z][a-z](\.[nw])?)\t/ && l ~ /<[^>]+>/) {
                    t = l; sub(/.*</, "", t); sub(/>.*/, "", t); sub(/\+0x[0-9a-f]+$/, "", t)
                    if (!(t in seen)) { seen[t] = 1; q[++n] = t }
                }
                if (l ~ /\.word\t0x[0-9a-f]+/) {
                    w = l; sub(/.*\.word\t/, "", w); sub(/[ \t].*/, "", w); v = h2d(w)
                    k = sprintf("%.0f", v - (v % 2)) # string keys: %.6g would merge addresses
                    if (k in qsym) { printf "%s loads the address of %s, which is in QSPI\n", fn, qsym[k]; bad = 1 }
                }
            }
        }
        list = ""; for (i = 1; i <= n; i++) list = list " " q[i]
        printf "call graph (%d functions):%s\n", n, list
        exit bad
    }' "$tmp/dis"
    ;;
vectors)
    [ $# -eq 7 ] || die "usage: vectors BIN ELF RAM_LO RAM_HI CODE_LO CODE_HI MIN_STACK"
    bin=$1 elf=$2 ramlo=$(hex "$3") ramhi=$(hex "$4") codelo=$(hex "$5") codehi=$(hex "$6") minstack=$7
    [ -f "$bin" ] && [ -f "$elf" ] || die "missing $bin or $elf"
    words=$(od -An -tx4 -N64 -v "$bin") || die "$bin: cannot read"
    estack=$("$NM" "$elf" | awk '$3 == "_estack" {print "0x" $1}')
    ebss=$("$NM" "$elf" | awk '$3 == "_ebss" {print "0x" $1}')
    reset=$("$NM" "$elf" | awk '$3 == "Reset_Handler" {print "0x" $1}')
    [ -n "$estack" ] && [ -n "$ebss" ] && [ -n "$reset" ] || die "$elf: _estack/_ebss/Reset_Handler missing"
    bad=0 i=0
    for w in $words; do
        v=$((0x$w))
        if [ $i -eq 0 ]; then
            [ $v -eq $((estack)) ] || { echo "SP 0x$w is not _estack ($estack)"; bad=1; }
            [ $((v % 8)) -eq 0 ] || { echo "SP 0x$w is not 8-byte aligned"; bad=1; }
            { [ $v -gt $ramlo ] && [ $v -le $ramhi ]; } || { echo "SP 0x$w outside RAM [$3, $4]"; bad=1; }
            [ $((v - ebss)) -ge $minstack ] || { echo "stack $((v - ebss)) bytes < $minstack"; bad=1; }
        elif [ $v -ne 0 ]; then
            [ $((v % 2)) -eq 1 ] || { echo "vector $i 0x$w lacks the Thumb bit"; bad=1; }
            { [ $v -ge $codelo ] && [ $v -lt $codehi ]; } || { echo "vector $i 0x$w outside code [$5, $6)"; bad=1; }
            [ $i -ne 1 ] || [ $v -eq $((reset + 1)) ] || { echo "reset vector 0x$w is not Reset_Handler"; bad=1; }
        elif [ $i -eq 1 ]; then
            echo "reset vector is 0"; bad=1
        fi
        i=$((i + 1))
    done
    [ $i -eq 16 ] || { echo "$bin: only $i vector words"; bad=1; }
    echo "vector table: SP $estack, reset $reset, $((estack - ebss)) bytes of stack above .bss"
    exit $bad
    ;;
*)
    die "usage: check_elf.sh ramfunc|vectors ..."
    ;;
esac
