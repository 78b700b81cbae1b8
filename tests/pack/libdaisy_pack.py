#!/usr/bin/env python3
"""Stock libDaisy ELFs (libDaisy's own Makefile, linker scripts and APP_TYPE) through `h7boot
pack` and `inspect` (tests/pack/CMakeLists.txt, label libdaisy).

  libdaisy_pack.py stock  --h7boot BIN --work DIR NAME=ELF ...
  libdaisy_pack.py seed001 --h7boot BIN --work DIR ELF

stock: each ELF packs into an .img and a .dfu (or is refused with the reason, when libDaisy's
script put uninitialised QSPI data inside the slot, libDaisy #587); the image is read back here,
independently of h7boot's C code, by docs/image-format.md (header found at 0 / by vector entry 7
/ at a 4 KB boundary, CRC, SHA-256, commit word) and compared with the ELF's program headers:
every loaded byte where the ELF says, every zero fill but backup SRAM's, nothing else; `inspect`
agrees on the header place, segment count and hash; daisy::boot_info is the board's request word.
seed001: the 291,636-byte DSY_QSPI_DATA table at 0x90040000 (libDaisy's _sram.lds) is written at
its link address by the .dfu, and the app's RAM code lies in the slot where it does not collide.
"""
import argparse
import hashlib
import os
import re
import struct
import subprocess
import sys
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "h7boot"))
from h7test import check, finish, parse_dfuse, read, run

# boards/daisy-seed.board
SLOT, SLOT_LEN = 0x90040000, 0x7C0000
BKPSRAM = (0x38800000, 0x1000)
BOOT_REQUEST = 0x38800000
RAM = [(0x00000000, 0x10000, True), (0x20000000, 0x20000, False), (0x24000000, 0x80000, True),
       (0x30000000, 0x48000, True), (0x38000000, 0x10000, True), (0x38800000, 0x1000, False),
       (0xC0000000, 0x4000000, True)]  # (origin, length, exec)
MAGIC, LOCATED, RESET_CLOCKS, COMMITTED = 0x4D493748, 0x00010000, 0x00000001, 0x4B4F3748
TABLE_SIZE = 291636


def elf_loads(path):
    """(e_entry, [(paddr, vaddr, filesz, memsz, bytes)]) of a 32-bit little-endian ELF."""
    d = read(path)
    check(d[:4] == b"\x7fELF" and d[4] == 1 and d[5] == 1, "%s is an ELF32 LE file" % path)
    entry, phoff = struct.unpack_from("<II", d, 24)
    phentsize, phnum = struct.unpack_from("<HH", d, 42)
    loads = []
    for i in range(phnum):
        t, off, vaddr, paddr, filesz, memsz = struct.unpack_from("<IIIIII", d,
                                                                 phoff + i * phentsize)
        if t == 1 and memsz:
            loads.append((paddr, vaddr, filesz, memsz, d[off:off + filesz]))
    return entry, loads


def symbol(path, name):
    rc, out, err = run(["arm-none-eabi-nm", path])
    check(rc == 0, "nm %s" % path)
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[2] == name:
            return int(f[0], 16)
    return None


def in_range(a, n, origin, length):
    return origin <= a and a + n <= origin + length


def raw_plausible(w0, w1):
    """The raw-image rule (docs/image-format.md): SP-1 in RAM, reset Thumb in exec RAM / QSPI."""
    if w0 % 4 or w0 == 0 or not any(in_range(w0 - 1, 1, o, n) for o, n, _ in RAM):
        return False
    r = w1 & ~1
    return bool(w1 & 1) and (any(x and in_range(r, 2, o, n) for o, n, x in RAM) or
                             in_range(r, 2, 0x90000000, 0x800000))


def locate(img):
    """Where the header is, by docs/image-format.md "Located header"; None: a raw image."""
    w0, w1 = struct.unpack_from("<II", img, 0)
    if w0 == MAGIC:
        return 0
    if raw_plausible(w0, w1):
        at = struct.unpack_from("<I", img, 0x1C)[0]
        ok = at and at % 4096 == 0 and at + 64 <= len(img)
        return at if ok and struct.unpack_from("<I", img, at)[0] == MAGIC else None
    for at in range(4096, len(img) - 64, 4096):
        if struct.unpack_from("<I", img, at)[0] == MAGIC:
            return at
    return None


def read_image(img, what):
    """Decode and check an image (header at its located place); returns (H, header, segs)."""
    h = locate(img)
    check(h is not None, "%s: a header is found by the bootloader's rule" % what)
    if h is None:
        return None, None, []
    (magic, fmt, hsize, flags, _, _, _, entry, vectors, nseg, esize, tlv, isize,
     load, hoff) = struct.unpack_from("<IHHIBBHIIHHIIII", img, h)
    check(struct.unpack_from("<I", img, h + 60)[0] == zlib.crc32(img[h:h + 60]),
          "%s: header CRC" % what)
    check(flags & RESET_CLOCKS, "%s: flag RESET_CLOCKS (a libDaisy app sets its clocks up from "
          "the reset state)" % what)
    check((flags & LOCATED != 0) == (h != 0) and (hoff == h if h else True),
          "%s: LOCATED and header_offset match where the header stands (0x%x)" % (what, h))
    check(load == SLOT and fmt == 1, "%s: format 1, packed for the slot" % what)
    check(len(img) == isize + 36, "%s: image + 36-byte trailer is the whole file" % what)
    check(hashlib.sha256(img[:isize]).digest() == img[isize:isize + 32], "%s: SHA-256" % what)
    check(struct.unpack_from("<I", img, isize + 32)[0] == COMMITTED, "%s: committed" % what)
    segs = [struct.unpack_from("<IIIB", img, h + hsize + i * esize) for i in range(nseg)]
    meta = (h, h + hsize + nseg * esize + tlv)
    for dest, size, off, kind in segs:
        if kind != 2:
            check(off + size <= meta[0] or off >= meta[1],
                  "%s: payload 0x%x..0x%x does not overlap the metadata" % (what, off, off + size))
    return h, dict(entry=entry, vectors=vectors, meta=meta, sha=img[isize:isize + 32]), segs


def compare_with_elf(img, elf, what):
    """Every byte and zero fill of the ELF is in the image where the ELF says, nothing else."""
    h, hdr, segs = read_image(img, what)
    if h is None:
        return None
    entry, loads = elf_loads(elf)
    check(hdr["entry"] == entry, "%s: entry 0x%08x is the ELF's" % (what, entry))
    want = []
    for paddr, vaddr, filesz, memsz, data in loads:
        if filesz:
            kind = 3 if in_range(paddr, filesz, SLOT, SLOT_LEN) else 1
            want.append((paddr, filesz, kind))
            seg = [s for s in segs if s[0] == paddr and s[1] == filesz and s[3] == kind]
            check(len(seg) == 1, "%s: %s segment for bytes at 0x%08x (%d)" %
                  (what, "XIP" if kind == 3 else "COPY", paddr, filesz))
            if seg:
                got = bytearray(img[seg[0][2]:seg[0][2] + filesz])
                if kind == 3:
                    check(seg[0][2] == paddr - SLOT, "%s: XIP bytes at their link address" % what)
                    if h and paddr == SLOT and hdr["vectors"] == SLOT:
                        check(struct.unpack_from("<I", got, 0x1C)[0] == h and
                              data[0x1C:0x20] == b"\0\0\0\0",
                              "%s: vector entry 7 holds the header offset (0 in the ELF)" % what)
                        got[0x1C:0x20] = data[0x1C:0x20]
                check(bytes(got) == data, "%s: bytes at 0x%08x equal the ELF's" % (what, paddr))
        if memsz > filesz:
            a, n = vaddr + filesz, memsz - filesz
            if in_range(a, n, *BKPSRAM):
                check(not [s for s in segs if in_range(s[0], 1, *BKPSRAM)],
                      "%s: backup SRAM (boot_info) is left out of the image" % what)
            else:
                want.append((a, n, 2))
                check([s for s in segs if (s[0], s[1], s[3]) == (a, n, 2)] != [],
                      "%s: ZERO segment 0x%08x (%d)" % (what, a, n))
    check(len(segs) == len(want), "%s: %d segments, as the ELF has" % (what, len(want)))
    return h, hdr, segs


def inspect_agrees(a, path, h, hdr, nseg):
    rc, out, err = run([a.h7boot, "inspect", path])
    check(rc == 0 and "verdict:   OK (bootable)" in out, "inspect %s: OK (%s)" % (path, err.strip()))
    m = re.search(r"sha256:\s+([0-9a-f]{64})", out)
    check(m and bytes.fromhex(m.group(1)) == hdr["sha"], "inspect %s: the same SHA-256" % path)
    m = re.search(r"segments:\s+(\d+)", out)
    check(m and int(m.group(1)) == nseg, "inspect %s: %d segments" % (path, nseg))
    located = re.search(r"header:\s+at offset 0x([0-9a-f]+)", out)
    check((int(located.group(1), 16) if located else 0) == h,
          "inspect %s: header at offset 0x%x" % (path, h))


def slot_bss(elf):
    """Uninitialised data libDaisy's script placed inside the slot (DSY_QSPI_BSS, #587)."""
    _, loads = elf_loads(elf)
    return [(v + f, m - f) for p, v, f, m, _ in loads
            if m > f and in_range(v + f, m - f, SLOT, SLOT_LEN)]


def pack_one(a, name, elf):
    img, dfu = os.path.join(a.work, name + ".img"), os.path.join(a.work, name + ".dfu")
    refused = slot_bss(elf)
    rc_img, _, err_img = run([a.h7boot, "pack", elf, "-o", img])
    rc_dfu, _, err_dfu = run([a.h7boot, "pack", elf, "-o", dfu])
    if refused:
        check(rc_img == 1 and rc_dfu == 1 and "#587" in err_img,
              "%s: uninitialised QSPI data in the slot (0x%08x) refused, saying why" %
              (name, refused[0][0]))
        return None
    check(rc_img == 0 and rc_dfu == 0, "%s: packs into .img and .dfu (%s)" %
          (name, (err_img + err_dfu).strip()[-300:]))
    if rc_img or rc_dfu:
        return None
    data = read(img)
    h, hdr, segs = compare_with_elf(data, elf, name + ".img")
    if h is None:
        return None
    _, _, _, elements = parse_dfuse(read(dfu))
    check(len(elements) == 1 and elements[0][0] == SLOT and elements[0][1] == data,
          "%s.dfu: one element at the slot, the .img's bytes" % name)
    rc, out, _ = run(["dfu-suffix", "-c", dfu])
    check(rc == 0 and "0x0483" in out, "%s.dfu: dfu-suffix accepts it" % name)
    inspect_agrees(a, img, h, hdr, len(segs))
    inspect_agrees(a, dfu, h, hdr, len(segs))
    check(symbol(elf, "_ZN5daisy9boot_infoE") == BOOT_REQUEST,
          "%s: daisy::boot_info is the board's BOOT_REQUEST word 0x%08x" % (name, BOOT_REQUEST))
    return data, h, hdr, segs


def stock(a):
    for arg in a.elfs:
        name, _, elf = arg.partition("=")
        pack_one(a, name, elf)


def seed001(a):
    elf = a.elfs[0]
    _, loads = elf_loads(elf)
    table = [l for l in loads if l[0] == SLOT and l[2] == TABLE_SIZE]
    check(len(table) == 1, "seed 001: libDaisy's _sram.lds links the %d-byte table at 0x%08x" %
          (TABLE_SIZE, SLOT))
    r = pack_one(a, "seed001", elf)
    if not r or not table:
        return
    data, h, hdr, segs = r
    check(data[:TABLE_SIZE] == table[0][4], "seed 001: the .dfu writes the table at 0x%08x" % SLOT)
    check(hdr["vectors"] == 0x24000000, "seed 001: a RAM-loaded app (vector table in AXI SRAM)")
    check(h >= TABLE_SIZE and h % 4096 == 0, "seed 001: the header above the table (0x%x)" % h)
    for dest, size, off, kind in segs:
        if kind == 1:
            check(off >= TABLE_SIZE, "seed 001: app bytes for 0x%08x at slot offset 0x%x, "
                  "clear of the table (and of the header, checked above)" % (dest, off))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("scenario", choices=["stock", "seed001"])
    p.add_argument("--h7boot", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("elfs", nargs="+")
    a = p.parse_args()
    os.makedirs(a.work, exist_ok=True)
    {"stock": stock, "seed001": seed001}[a.scenario](a)
    finish()


if __name__ == "__main__":
    main()
