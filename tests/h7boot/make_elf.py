#!/usr/bin/env python3
"""Write a minimal 32-bit little-endian ARM ELF file with the given PT_LOAD segments.

Used by the host tests and the pack benchmark, where cross-building a program would be slow or
impossible (a 7 MB ELF, a board whose memory map the Daisy fixtures do not fit, broken ELFs).

  make_elf.py OUT --entry ADDR [--vectors SYMADDR] SEG...
  SEG = PADDR:FILESZ[:MEMSZ[:VADDR]]   (numbers in any Python int syntax)

Segment bytes are a deterministic pattern; a segment whose PADDR equals --vector-at gets a vector
table (initial SP, reset = entry) in its first 8 bytes.
Options for broken files: --machine N, --class 1|2, --truncate N.
"""
import argparse
import struct


def pattern(seed, n):
    # fast deterministic bytes: a repeated 4 KB block derived from the seed
    block = bytes(((i * 131 + seed * 29) >> 3) & 0xFF for i in range(4096))
    return (block * (n // 4096 + 1))[:n]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--entry", type=lambda s: int(s, 0), required=True)
    ap.add_argument("--vector-at", type=lambda s: int(s, 0))
    ap.add_argument("--sp", type=lambda s: int(s, 0), default=0x20020000)
    ap.add_argument("--machine", type=int, default=40)  # EM_ARM
    ap.add_argument("--elfclass", type=int, default=1)
    ap.add_argument("--truncate", type=int)
    ap.add_argument("--bad-offset", action="store_true", help="first segment past the file end")
    ap.add_argument("segs", nargs="+")
    a = ap.parse_args()

    segs = []
    for i, s in enumerate(a.segs):
        f = [int(x, 0) for x in s.split(":")]
        paddr, filesz = f[0], f[1]
        memsz = f[2] if len(f) > 2 else filesz
        vaddr = f[3] if len(f) > 3 else paddr
        data = bytearray(pattern(i + 1, filesz))
        if a.vector_at is not None and paddr == a.vector_at and filesz >= 8:
            data[0:8] = struct.pack("<II", a.sp, a.entry)
        segs.append((paddr, vaddr, filesz, memsz, bytes(data)))

    ehsize, phentsize = 52, 32
    off = ehsize + phentsize * len(segs)
    phdrs, blobs = b"", b""
    for i, (paddr, vaddr, filesz, memsz, data) in enumerate(segs):
        o = off + len(blobs)
        if a.bad_offset and i == 0:
            o = 0x7FFFFFF0
        phdrs += struct.pack("<8I", 1, o, vaddr, paddr, filesz, memsz, 7, 4)
        blobs += data
    ident = b"\x7fELF" + bytes([a.elfclass, 1, 1]) + bytes(9)
    eh = ident + struct.pack("<HHIIIIIHHHHHH", 2, a.machine, 1, a.entry, ehsize, 0, 0x05000400,
                             ehsize, phentsize, len(segs), 40, 0, 0)
    content = eh + phdrs + blobs
    if a.truncate is not None:
        content = content[: a.truncate]
    with open(a.out, "wb") as f:
        f.write(content)


if __name__ == "__main__":
    main()
