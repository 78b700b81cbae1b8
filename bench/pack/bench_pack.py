#!/usr/bin/env python3
"""`make bench` step: time `h7boot pack` on a generated 7 MB Daisy Seed ELF (target < 0.2 s).

The ELF (tests/h7boot/make_elf.py) has 450 KB of code in AXI SRAM, 100 KB of DTCM data, 3 MB of
initialised SDRAM data and 3.5 MB of const data executed in place in the QSPI slot, plus zero
fills: every path of the packer (copy placement around XIP, SHA-256 of ~7 MB, DfuSe CRC).
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MAKE_ELF = os.path.join(HERE, "..", "..", "tests", "h7boot", "make_elf.py")


def timed(cmd, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times), min(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--h7boot", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--runs", type=int, default=11)
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    elf = os.path.join(a.work, "bench7m.elf")
    subprocess.run([sys.executable, MAKE_ELF, elf, "--entry", "0x24000101", "--vector-at",
                    "0x24000000", "0x24000000:0x70800", "0x20000000:0x19000:0x1E000",
                    "0xC0000000:0x300000:0x400000", "0x90100000:0x380000"], check=True)
    size = os.path.getsize(elf)
    print("bench pack: ELF %s: %d bytes (%.2f MB), 4 PT_LOAD + 2 zero fills" %
          (os.path.basename(elf), size, size / 1048576))
    for ext in ("img", "dfu"):
        out = os.path.join(a.work, "bench7m." + ext)
        med, best = timed([a.h7boot, "pack", elf, "-o", out], a.runs)
        verdict = "meets" if med < 0.2 else "MISSES"
        print("bench pack: h7boot pack -> .%s (%d bytes): median %.3f s, best %.3f s over %d "
              "runs (target < 0.2 s: %s)" % (ext, os.path.getsize(out), med, best, a.runs,
                                             verdict))
    med, best = timed([a.h7boot, "inspect", os.path.join(a.work, "bench7m.dfu")], a.runs)
    print("bench pack: h7boot inspect .dfu (suffix CRC + SHA-256 of the image): median %.3f s, "
          "best %.3f s" % (med, best))


if __name__ == "__main__":
    main()
