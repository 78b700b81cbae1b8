#!/usr/bin/env python3
"""`h7boot pack` / `inspect` on cross-built Daisy Seed ELF fixtures (tests/pack/CMakeLists.txt).

  check_pack.py SCENARIO --h7boot BIN --objcopy BIN --fixtures DIR --work DIR

Scenarios: dfu_forum img_xip bin_sram bin_qspi corrupt_img cli_usage. References: objcopy (the
bytes each section holds, and `-O binary`), dfu-suffix -c, dfuse-pack.
"""
import argparse
import os
import shutil
import struct
import sys
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "h7boot"))
from h7test import (COMMITTED, check, expect, finish, parse_dfuse, parse_image, read, run,
                    write)

SLOT = 0x90040000        # daisy-seed.board: slot APP (checked against inspect's output below)
USER_AREA = 0x90000000   # daisy-seed.board: reserve USER_AREA
TABLE_SIZE = 291636


def section_address(a, elf, name):
    readelf = a.objcopy.replace("objcopy", "readelf")
    rc, out, err = run([readelf, "-SW", elf])
    assert rc == 0, err
    for line in out.splitlines():
        f = line.replace("[ ", "[").split()
        if len(f) > 3 and f[1] == name:
            return int(f[3], 16)
    raise KeyError(name)


def section(a, elf, name, out):
    rc, _, err = run([a.objcopy, "-O", "binary", "-j", name, elf, out])
    assert rc == 0, err
    return read(out)


def fixture(a, layout):
    return os.path.join(a.fixtures, "pack_fixture_%s.elf" % layout)


def dfu_forum(a):
    """The forum scenario: SRAM code + a 291,636-byte const table in QSPI + factory data in the
    user area -> one .dfu that dfu-suffix accepts, elements at the right addresses."""
    elf, dfu = fixture(a, "multi"), os.path.join(a.work, "app.dfu")
    expect([a.h7boot, "pack", elf, "-o", dfu, "--board", "daisy-seed", "--version", "2.5.7"], 0,
           what="pack multi-region ELF -> .dfu")
    rc, out, err = run(["dfu-suffix", "-c", dfu])
    check(rc == 0 and "does not match" not in err and "0x0483" in out, "dfu-suffix -c accepts it")
    text = expect([a.h7boot, "inspect", dfu], 0, "slot APP 0x%08x" % SLOT, "OK (bootable)",
                  "XIP", "ITCM", "DTCM", "AXI_SRAM", "SDRAM", "version:   2.5.7",
                  what="inspect .dfu: valid, every region named")
    vid, pid, alt, elements = parse_dfuse(read(dfu))
    check((vid, pid, alt) == (0x0483, 0xDF11, 0), "suffix 0483:df11, alt 0")
    check([e[0] for e in elements] == [SLOT, USER_AREA], "elements: image at the slot, then the "
          "user-area data")
    img = elements[0][1]
    info = parse_image(img)
    check(info["hash_ok"] and info["header_crc_ok"] and info["commit"] == COMMITTED and
          info["length_ok"], "image element: hash, header CRC, committed (independent reader)")
    table = section(a, elf, ".qspi_rodata", os.path.join(a.work, "table.bin"))
    check(len(table) == TABLE_SIZE, "the table is 291,636 bytes")
    tsym = 0x90050000
    xip = [s for s in info["segments"] if s["kind"] == 3]
    check(len(xip) == 1 and xip[0]["dest"] == tsym and xip[0]["offset"] == tsym - SLOT,
          "table is an XIP segment at its link address")
    check(img[tsym - SLOT:tsym - SLOT + TABLE_SIZE] == table,
          "the table's bytes sit at its link address in the slot")
    factory = section(a, elf, ".user_data", os.path.join(a.work, "factory.bin"))
    check(elements[1][1] == factory, "user-area element holds the factory data")
    # Copy segments carry exactly the sections' bytes.
    for name in (".isr_vector", ".text", ".data", ".itcm_text"):
        dest = section_address(a, elf, name)
        want = section(a, elf, name, os.path.join(a.work, name.strip(".") + ".bin"))
        segs = [s for s in info["segments"] if s["kind"] == 1 and s["dest"] <= dest <
                s["dest"] + s["size"]]
        ok = len(segs) == 1
        if ok:
            s = segs[0]
            o = s["offset"] + dest - s["dest"]
            ok = img[o:o + len(want)] == want
        check(ok, "COPY segment holds %s at 0x%08x" % (name, dest))
    # dfuse-pack from the same elements carries the same elements.
    paths = []
    for i, (addr, data) in enumerate(elements):
        p = os.path.join(a.work, "element%d.bin" % i)
        write(p, data)
        paths += ["-b", "0x%08x:%s" % (addr, p)]
    ref = os.path.join(a.work, "ref.dfu")
    rc, _, err = run(["dfuse-pack"] + paths + ["-D", "0x0483:0xdf11", ref])
    check(rc == 0, "dfuse-pack builds the reference file")
    rvid, rpid, ralt, relements = parse_dfuse(read(ref))
    check((rvid, rpid, ralt, relements) == (vid, pid, alt, elements),
          "dfuse-pack's file carries the same elements, IDs and alt setting")
    expect([a.h7boot, "inspect", ref], 0, "OK (bootable)", what="inspect reads dfuse-pack's file")
    # VID/PID options.
    dfu2 = os.path.join(a.work, "ids.dfu")
    expect([a.h7boot, "pack", elf, "-o", dfu2, "--vid", "0x1209", "--pid", "0x70b1"], 0,
           what="pack --vid --pid")
    rc, out, _ = run(["dfu-suffix", "-c", dfu2])
    check(rc == 0 and "0X1209" in out.upper() and "0X70B1" in out.upper(),
          "suffix carries --vid/--pid")
    # The same ELF cannot be an .img (user-area data) or a .bin (several regions).
    expect([a.h7boot, "pack", elf, "-o", os.path.join(a.work, "app.img")], 1, "0x90000000",
           ".dfu", what=".img refused: data outside the slot, suggests .dfu")
    expect([a.h7boot, "pack", elf, "-o", os.path.join(a.work, "app.bin")], 1, "ITCM", "QSPI",
           ".img or .dfu", what=".bin refused: several regions, suggests .img/.dfu")
    check(not os.path.exists(os.path.join(a.work, "app.bin")), "no .bin written on refusal")
    # DfuSe damage: a flipped data byte (CRC), a wrong element size with a good CRC.
    data = bytearray(read(dfu))
    data[400] ^= 0x20
    write(os.path.join(a.work, "crc.dfu"), data)
    expect([a.h7boot, "inspect", os.path.join(a.work, "crc.dfu")], 1, "CRC",
           what="inspect: bad suffix CRC")
    data = bytearray(read(dfu))
    struct.pack_into("<I", data, 11 + 274 + 4, len(img) + 1)
    struct.pack_into("<I", data, len(data) - 4, ~zlib.crc32(bytes(data[:-4])) & 0xFFFFFFFF)
    write(os.path.join(a.work, "size.dfu"), data)
    expect([a.h7boot, "inspect", os.path.join(a.work, "size.dfu")], 1, "element", "size",
           what="inspect: element size inconsistent with the target")
    data = bytearray(read(dfu))
    data[-6] = ord("X")
    write(os.path.join(a.work, "sig.dfu"), data)
    expect([a.h7boot, "inspect", os.path.join(a.work, "sig.dfu")], 1, "UFD",
           what="inspect: bad suffix signature")


def img_xip(a):
    elf, out = fixture(a, "xip"), os.path.join(a.work, "app.img")
    expect([a.h7boot, "pack", elf, "-o", out, "--version", "1.0.12"], 0, what="pack -> .img")
    img = read(out)
    info = parse_image(img)
    check(info["magic"] == 0x4D493748 and info["load"] == SLOT and info["version"] == (1, 0, 12),
          "header: magic, load address, version")
    check(info["hash_ok"] and info["header_crc_ok"] and info["length_ok"] and
          info["commit"] == COMMITTED, ".img: hash, CRC, length, committed")
    kinds = sorted((s["kind"], s["dest"]) for s in info["segments"])
    check(kinds == [(1, 0x400), (1, 0x20000000), (1, 0x24000000), (2, 0x20000004),
                    (2, 0xC0000000), (3, 0x90050000)],
          "segments: ITCM, DTCM, AXI SRAM copies; DTCM and SDRAM zero; QSPI XIP")
    check(info["entry"] & 1 and info["vectors"] == 0x24000000, "entry Thumb, vectors at .text")
    expect([a.h7boot, "inspect", out], 0, "OK (bootable)", "0x90050000", "QSPI",
           what="inspect .img round trip")
    # Against another slot address the XIP segment no longer fits: pack says so.
    expect([a.h7boot, "pack", elf, "-o", os.path.join(a.work, "s.img"), "--slot", "0x90100000"],
           1, "outside slot", ".dfu", what="--slot past the XIP data: .img refused")
    # SRAM layout packs as an image too (its .data load address follows the code).
    expect([a.h7boot, "pack", fixture(a, "sram"), "-o", os.path.join(a.work, "sram.img")], 0,
           what="BOOT_SRAM-style ELF -> .img")
    expect([a.h7boot, "inspect", os.path.join(a.work, "sram.img")], 0, "OK (bootable)",
           what="inspect BOOT_SRAM-style .img")


def bin_like_objcopy(a, layout, region_words):
    elf = fixture(a, layout)
    out, ref = os.path.join(a.work, "app.bin"), os.path.join(a.work, "objcopy.bin")
    expect([a.h7boot, "pack", elf, "-o", out], 0, what="pack %s -> .bin" % layout)
    rc, _, err = run([a.objcopy, "-O", "binary", elf, ref])
    check(rc == 0 and read(out) == read(ref), ".bin byte-identical to objcopy -O binary")
    expect([a.h7boot, "inspect", out], 0, *region_words, what="inspect raw .bin")


def bin_sram(a):
    bin_like_objcopy(a, "sram", ["copied to RAM (AXI_SRAM)", "raw image"])


def bin_qspi(a):
    bin_like_objcopy(a, "qspi", ["in place (QSPI)", "raw image"])
    # Code at the slot start: the header moves up (docs/image-format.md, "Located header"),
    # found through vector entry 7; the same file is then no raw image for old readers only in
    # that reserved word.
    q = os.path.join(a.work, "q.img")
    expect([a.h7boot, "pack", fixture(a, "qspi"), "-o", q], 0, "header at offset 0x",
           what="BOOT_QSPI-style ELF (code at the slot start) packs into a located .img")
    img = read(q)
    at = struct.unpack_from("<I", img, 0x1C)[0]
    check(at and at % 4096 == 0 and struct.unpack_from("<I", img, at)[0] == 0x4D493748,
          "vector entry 7 points at the header (0x%x)" % at)
    expect([a.h7boot, "inspect", q], 0, "header:    at offset 0x%x" % at, "OK (bootable)",
           what="inspect finds the located header")


def corrupt_img(a):
    """Every single-byte corruption class of an .img fails inspect with a precise message."""
    elf, good = fixture(a, "xip"), os.path.join(a.work, "good.img")
    expect([a.h7boot, "pack", elf, "-o", good], 0, what="pack the reference .img")
    img = read(good)
    info = parse_image(img)
    isize, nseg = info["image_size"], len(info["segments"])
    meta = 64 + 16 * nseg + info["tlv_size"]
    bad = os.path.join(a.work, "bad.img")

    def flips(offsets, needle, what):
        failed = []
        for o in offsets:
            d = bytearray(img)
            d[o] ^= 0x01
            write(bad, d)
            rc, out, err = run([a.h7boot, "inspect", bad])
            if rc != 1 or not any(n in err for n in needle.split("|")) or "verdict:   OK" in out:
                failed.append((o, rc, err.strip()[-200:]))
        check(not failed, "%s: %d single-byte flips all fail inspect with '%s'" %
              (what, len(offsets), needle))
        for f in failed[:3]:
            print("     offset 0x%x: exit %d: %s" % f)

    flips([0, 1, 2, 3], "MAGIC", "magic")
    flips(range(4, 64), "HEADER_CRC", "header fields and header CRC")
    flips(range(64, 64 + 16 * nseg), "h7boot inspect", "segment table")
    flips(range(64 + 16 * nseg, meta), "HASH|TLV", "TLV area")
    payload = sorted(set([meta, meta + 1, 0x10000 - 1, 0x10000, 0x10000 + 12345, isize - 1] +
                         list(range(meta, isize, max(1, (isize - meta) // 40)))))
    flips(payload, "HASH", "payload and gaps")
    flips(range(isize, isize + 32), "HASH", "stored SHA-256")
    flips(range(isize + 32, isize + 36), "UNCOMMITTED", "commit word")
    # truncation and extra bytes
    failed = []
    for n in (0, 3, 63, meta - 1, isize, isize + 35):
        write(bad, img[:n])
        rc, _, err = run([a.h7boot, "inspect", bad])
        if rc != 1 or ("TRUNCATED" not in err and "too short" not in err and n > 8):
            failed.append((n, rc, err.strip()[-200:]))
    check(not failed, "truncated files fail inspect (TRUNCATED)")
    for f in failed:
        print("     length %d: exit %d: %s" % f)
    write(bad, img + b"\xff")
    expect([a.h7boot, "inspect", bad], 1, "unexpected bytes after the trailer",
           what="an extra byte after the trailer fails inspect")
    # A field changed with a matching CRC: the message names the field.
    d = bytearray(img)
    struct.pack_into("<I", d, 32, isize + 2)
    struct.pack_into("<I", d, 60, zlib.crc32(bytes(d[:60])))
    write(bad, d)
    expect([a.h7boot, "inspect", bad], 1, "header field 'image_size'", "IMAGE_SIZE",
           what="bad image_size named as the field")
    d = bytearray(img)
    d[64 + 16 * 2 + 12] = 9
    write(bad, d)
    expect([a.h7boot, "inspect", bad], 1, "segment 2 field 'kind'", "SEG_KIND",
           what="bad segment kind named with its segment")


def cli_usage(a):
    elf = fixture(a, "xip")
    expect([a.h7boot, "pack", "--help"], 0, "usage: h7boot pack", ".img", ".dfu", ".bin",
           what="pack --help")
    expect([a.h7boot, "inspect", "--help"], 0, "usage: h7boot inspect", what="inspect --help")
    expect([a.h7boot, "pack"], 2, "usage", what="pack without arguments: usage error")
    expect([a.h7boot, "pack", elf], 2, "missing -o", what="pack without -o")
    expect([a.h7boot, "pack", elf, "-o", os.path.join(a.work, "x.hex")], 2, ".img, .dfu or .bin",
           what="unknown output kind")
    expect([a.h7boot, "pack", elf, "-o", os.path.join(a.work, "x.img"), "--version", "1.2"], 2,
           "X.Y.Z", what="bad --version")
    expect([a.h7boot, "pack", elf, "-o", os.path.join(a.work, "x.img"), "--slot", "zz"], 2,
           "--slot", what="bad --slot")
    expect([a.h7boot, "pack", "/nonexistent/app.elf", "-o", os.path.join(a.work, "x.img")], 1,
           "/nonexistent/app.elf", what="missing ELF names the file")
    notelf = os.path.join(a.work, "notelf.elf")
    write(notelf, b"hello world, not an ELF at all")
    expect([a.h7boot, "pack", notelf, "-o", os.path.join(a.work, "x.img")], 1, "not an ELF",
           what="non-ELF input")
    expect([a.h7boot, "pack", elf, "-o", os.path.join(a.work, "x.img"), "--board", "nosuch"], 1,
           "nosuch", what="unknown board")
    expect([a.h7boot, "pack", elf, "-o", os.path.join(a.work, "x.img"), "--board",
            "qemu-mps2-an500"], 1, "program header", "qemu-mps2-an500",
           what="a Daisy ELF on the QEMU board: the segment and board are named")
    expect([a.h7boot, "inspect", "/nonexistent/x.img"], 1, "/nonexistent/x.img",
           what="inspect of a missing file")
    expect([a.h7boot, "inspect"], 2, "usage", what="inspect without a file")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario")
    ap.add_argument("--h7boot", required=True)
    ap.add_argument("--objcopy", required=True)
    ap.add_argument("--fixtures", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    globals()[a.scenario](a)
    finish()


if __name__ == "__main__":
    main()
