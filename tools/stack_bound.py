#!/usr/bin/env python3
"""stack_bound.py -- worst-case stack depth of a firmware image, from what GCC wrote at link time.

    stack_bound.py --lto-dir DIR [--su FILE.su ...] [--vector-roots H1,H2]
                   [--exception-frame N] --room BYTES ROOT [ROOT ...]

Inputs (an LTO link with `-fcallgraph-info=su -save-temps=obj -dumpdir DIR/x.`):
  - DIR/*.ltrans.ci  each function's frame size as GCC allocated it ("N bytes (static)");
  - DIR/*.ltrans.s   the final assembly: every call and tail call (bl, b to a function symbol,
                     blx/bx through a register) and every function whose address is taken
                     (.word / movw of a function symbol); calls to memcpy & co. that GCC creates
                     after LTO are visible here and not in the .ci graph;
  - --su FILE        -fstack-usage output of objects linked without LTO (libc replacements).

The bound is the deepest path from a ROOT: the sum of the frames on it. An indirect call may
reach every address-taken function. That over-approximation closes cycles no real run can take
(a flash read callback "calling" the DFU loop), so a cycle closed only by a pointer call is not
followed: the check assumes the code never recurses through a function pointer. A cycle of
direct calls is a recursion and fails the check. The exception handlers named by
--vector-roots are added on top of the deepest path once, after the hardware's exception frame
(--exception-frame, default 104: 26 words with the FPU context).

Fails (exit 1) when the bound exceeds --room, when a frame is dynamic or unknown, or on a
recursion (a cycle of direct calls). Prints the bound and the deepest path.
"""
import argparse
import glob
import os
import re
import sys

BRANCH = re.compile(r"^\s+(bl|blx|b|b\.w|b\.n|beq|bne|bcs|bcc|bhi|bls|bge|blt|bgt|ble|bmi|bpl|"
                    r"cbz|cbnz)\s+(?:[a-z0-9]+,\s*)?([A-Za-z_.$][\w.$]*)\s*(@.*)?$")
REG_CALL = re.compile(r"^\s+(blx|bx)\s+(r\d+|ip|lr)\b")
SYMREF = re.compile(r"(?:\.word\s+|#:lower16:|=)([A-Za-z_][\w.$]*)")


def base_name(name):
    """h7_flash_read.lto_priv.1 -> h7_flash_read (LTO clones and merged copies)."""
    return re.split(r"\.(?:lto_priv|constprop|part|isra)", name)[0]


def parse_ci(paths):
    frames = {}
    for p in paths:
        for m in re.finditer(r'node: \{ title: "[^"]*?([^":]+)" label: "[^"]*\\n(\d+) bytes \(([a-z,]+)\)',
                             open(p).read()):
            name, size, kind = m.group(1), int(m.group(2)), m.group(3)
            if kind != "static":
                sys.exit(f"stack_bound: {name}: {kind} stack frame ({size} bytes): no static bound")
            frames[name] = size
    return frames


def parse_su(paths, frames):
    for p in paths:
        for line in open(p):
            loc, size, kind = line.rstrip("\n").split("\t")
            name = loc.split(":")[-1]
            if kind != "static":
                sys.exit(f"stack_bound: {name}: {kind} stack frame in {p}")
            frames[name] = int(size)


def parse_asm(paths):
    """Functions -> (direct callees, makes an indirect call); the address-taken set."""
    calls, indirect, funcs, taken_refs = {}, set(), set(), set()
    for p in paths:
        cur = None
        for line in open(p):
            m = re.match(r"^\s+\.type\s+([\w.$]+),\s*%function", line)
            if m:
                cur = m.group(1)
                funcs.add(cur)
                calls.setdefault(cur, set())
                continue
            if re.match(r"^\s+\.size\s", line):
                cur = None
            for r in SYMREF.findall(line):
                taken_refs.add(r)
            if cur is None:
                continue
            m = REG_CALL.match(line)
            if m:
                if m.group(2) != "lr":
                    indirect.add(cur)
                continue
            m = BRANCH.match(line)
            if m and not m.group(2).startswith(".L"):
                calls[cur].add(m.group(2))
    taken = {f for f in taken_refs if f in funcs}
    return calls, indirect, funcs, taken


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lto-dir", required=True)
    ap.add_argument("--su", action="append", default=[])
    ap.add_argument("--exception-frame", type=int, default=104)
    ap.add_argument("--vector-roots", default="", help="comma-separated exception handlers")
    ap.add_argument("--room", type=int, required=True)
    ap.add_argument("roots", nargs="+")
    a = ap.parse_args()

    ci = glob.glob(os.path.join(a.lto_dir, "*.ltrans.ci"))
    asm = glob.glob(os.path.join(a.lto_dir, "*.ltrans.s"))
    if not ci or not asm:
        sys.exit(f"stack_bound: no *.ltrans.ci / *.ltrans.s in {a.lto_dir}")
    frames = parse_ci(ci)
    parse_su(a.su, frames)
    calls, indirect, funcs, taken = parse_asm(asm)

    def frame(f):
        if f in frames:
            return frames[f]
        same = [frames[g] for g in frames if base_name(g) == base_name(f)]
        if same:  # a merged copy of an LTO clone: its twin's frame
            return max(same)
        sys.exit(f"stack_bound: no frame size for {f} (not in the .ci or any --su file)")

    def targets(f):
        out = set(calls.get(f, ()))
        if f in indirect:
            out |= taken
        return out

    def depth(f, path):
        if f in path:
            cycle = path[path.index(f):] + [f]
            if any(g in indirect and h not in calls.get(g, ()) for g, h in zip(cycle, cycle[1:])):
                return 0, []  # closed only by a pointer call: assumed never taken (see above)
            sys.exit("stack_bound: recursion: " + " -> ".join(path + [f]))
        best, best_path = 0, []
        for t in sorted(targets(f)):
            d, p = depth(t, path + [f])
            if d > best:
                best, best_path = d, p
        return frame(f) + best, [f] + best_path

    worst, worst_path = 0, []
    for root in a.roots:
        d, p = depth(root, [])
        if d > worst:
            worst, worst_path = d, p
    exc, exc_path = 0, []
    for v in filter(None, a.vector_roots.split(",")):
        d, p = depth(v, [])
        if d > exc:
            exc, exc_path = d, p
    total = worst + (a.exception_frame + exc if exc_path else 0)
    print(f"deepest path ({worst} bytes): " + " -> ".join(f"{f} [{frame(f)}]" for f in worst_path))
    if exc_path:
        print(f"plus an exception ({a.exception_frame} bytes stacked by the core, then {exc}): "
              + " -> ".join(exc_path))
    print(f"worst-case stack: {total} bytes; room: {a.room} bytes")
    if total > a.room:
        print("stack_bound: the stack can overflow", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
