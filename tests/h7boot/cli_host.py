#!/usr/bin/env python3
"""`h7boot pack` / `inspect` on synthetic ELF files (make_elf.py): the QEMU board, placement
errors, broken ELF files, vector table discovery.

  cli_host.py --h7boot BIN --work DIR
"""
import argparse
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(__file__))
from h7test import COMMITTED, check, expect, finish, parse_dfuse, parse_image, read, run

HERE = os.path.dirname(os.path.abspath(__file__))


def make(a, name, *args):
    path = os.path.join(a.work, name)
    rc, _, err = run([sys.executable, os.path.join(HERE, "make_elf.py"), path] + list(args))
    assert rc == 0, err
    return path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--h7boot", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    h = a.h7boot
    w = lambda n: os.path.join(a.work, n)  # noqa: E731

    # QEMU board: code in SSRAM1, data + bss in SSRAM2/3, XIP data in the QEMU "QSPI" slot,
    # zero-filled "SDRAM". The boot helper packs its example apps like this.
    q = make(a, "qemu.elf", "--entry", "0x20001", "--vector-at", "0x20000", "0x20000:0x1000",
             "0x20000000:0x100:0x800", "0x60050000:0x2000", "0x60800000:0:0x10000")
    expect([h, "pack", q, "-o", w("qemu.img"), "--board", "qemu-mps2-an500", "--version",
            "0.3.1"], 0, what="pack for qemu-mps2-an500 -> .img")
    info = parse_image(read(w("qemu.img")))
    check(info["load"] == 0x60040000 and info["hash_ok"] and info["commit"] == COMMITTED,
          "QEMU image: load address = the board's APP slot, hash ok, committed")
    expect([h, "inspect", w("qemu.img")], 0, "qemu-mps2-an500", "SSRAM1", "SSRAM23", "SDRAM",
           "OK (bootable)", what="inspect picks the QEMU board from the load address")
    expect([h, "inspect", w("qemu.img"), "--board", "daisy-seed"], 1, "LOAD_ADDRESS",
           what="inspect against the wrong board fails")
    expect([h, "pack", q, "-o", w("qemu.dfu"), "--board", "qemu-mps2-an500", "-V", "0.3.1"], 0,
           what="pack for QEMU -> .dfu")
    _, _, _, el = parse_dfuse(read(w("qemu.dfu")))
    check([e[0] for e in el] == [0x60040000] and el[0][1] == read(w("qemu.img")),
          "QEMU .dfu: one element, the .img at the slot")

    # Vector table discovery without symbols: word 1 == entry. And --vector.
    nov = make(a, "novec.elf", "--entry", "0x24000101", "0x24000000:0x400")
    expect([h, "pack", nov, "-o", w("novec.img")], 1, "vector table", "--vector",
           what="no vector table found: says so, suggests --vector")
    expect([h, "pack", nov, "-o", w("novec.img"), "--vector", "0x24000000"], 0,
           what="--vector overrides")

    # Placement errors name the program header, address and region/range.
    boot_ram = make(a, "bootram.elf", "--entry", "0x24000101", "--vector-at", "0x24000000",
                    "0x24000000:0x400", "0x3800C000:0x100")
    expect([h, "pack", boot_ram, "-o", w("x.img")], 1, "SEG_RESERVED_RANGE", "BOOT_RAM",
           "0x3800c000", what="a segment on the bootloader's RAM is refused, range named")
    bkp = make(a, "bkp.elf", "--entry", "0x24000101", "--vector-at", "0x24000000",
               "0x24000000:0x400", "0x38800000:0x10")
    expect([h, "pack", bkp, "-o", w("x.img")], 1, "program header 1", "BKPSRAM",
           what="a segment in a non-loadable region is refused")
    nowhere = make(a, "nowhere.elf", "--entry", "0x24000101", "--vector-at", "0x24000000",
                   "0x24000000:0x400", "0x50000000:0x10")
    expect([h, "pack", nowhere, "-o", w("x.img")], 1, "0x50000000", "not inside one region",
           what="a segment outside every region is refused")
    qbss = make(a, "qbss.elf", "--entry", "0x24000101", "--vector-at", "0x24000000",
                "0x24000000:0x400", "0x90040000:0:0x100")
    expect([h, "pack", qbss, "-o", w("x.img")], 1, "uninitialised flash data", "#587",
           what="QSPI bss on top of the slot (libDaisy #587) is refused")
    many = make(a, "many.elf", "--entry", "0x24000101", "--vector-at", "0x24000000",
                *["0x%08x:0x10" % (0x24000000 + 0x100 * i) for i in range(33)])
    expect([h, "pack", many, "-o", w("x.img")], 1, "more than 32", what="too many segments")
    big = make(a, "big.elf", "--entry", "0x24000101", "--vector-at", "0x24000000",
               "0x24000000:0x400", "0x30000000:0x48000")
    expect([h, "pack", big, "-o", w("x.img")], 1, "0x30000000", "not inside one region",
           what="a segment spanning SRAM1..SRAM3 end is refused")
    notfirst = make(a, "notfirst.elf", "--entry", "0x24000201", "--vector-at", "0x24000200",
                    "0x24000000:0x100", "0x24000200:0x200")
    expect([h, "pack", notfirst, "-o", w("x.bin")], 1, "must start with the vector table",
           what=".bin refused when the vector table is not first")

    # Broken ELF files.
    expect([h, "pack", make(a, "x86.elf", "--machine", "3", "--entry", "1", "0x24000000:0x10"),
            "-o", w("x.img")], 1, "not a 32-bit little-endian ARM ELF", what="wrong machine")
    expect([h, "pack", make(a, "trunc.elf", "--truncate", "100", "--entry", "0x24000001",
                            "0x24000000:0x400"), "-o", w("x.img")], 1, "trunc.elf",
           what="truncated ELF")
    expect([h, "pack", make(a, "off.elf", "--bad-offset", "--entry", "0x24000001",
                            "0x24000000:0x400"), "-o", w("x.img")], 1, "outside the file",
           what="PT_LOAD past the end of the file")

    # A raw file that is not a Daisy image.
    with open(w("junk.bin"), "wb") as f:
        f.write(b"\x00" * 64)
    expect([h, "inspect", w("junk.bin")], 1, "not a raw image", "offset 4",
           what="inspect of a non-image .bin")
    finish()


if __name__ == "__main__":
    main()
