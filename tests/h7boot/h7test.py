"""Helpers shared by the h7boot CLI test scripts (tests/h7boot/*.py, tests/pack/*.py).

Independent readers of the formats (written from docs/image-format.md and ST UM0391, not from
the C code), so the tests check the tool against the specification, not against itself.
"""
import hashlib
import os
import struct
import subprocess
import sys
import zlib

failures = 0


def check(cond, what):
    global failures
    if cond:
        print("ok   ", what)
    else:
        failures += 1
        print("FAIL ", what)


def finish():
    print("%d failure(s)" % failures)
    sys.exit(1 if failures else 0)


def run(cmd, **kw):
    p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    return p.returncode, p.stdout, p.stderr


def expect(cmd, rc, *needles, what=None):
    """Run cmd; check its exit status and that each needle appears in stdout+stderr."""
    got, out, err = run(cmd)
    text = out + err
    ok = got == rc and all(n in text for n in needles)
    check(ok, what or "%s -> %d %s" % (" ".join(os.path.basename(str(c)) for c in cmd[:3]), rc,
                                          needles))
    if not ok:
        print("     exit %d, output:\n%s" % (got, text[-1500:]))
    return text


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def parse_dfuse(data):
    """(vid, pid, alt, [(address, bytes)]) of a single-target DfuSe file; raises on any error."""
    assert data[:5] == b"DfuSe" and data[5] == 1, "prefix"
    assert struct.unpack_from("<I", data, 6)[0] == len(data), "file size"
    assert data[10] == 1, "one target"
    assert data[-8:-5] == b"UFD" and data[-5] == 16, "suffix"
    crc = struct.unpack_from("<I", data, len(data) - 4)[0]
    assert crc == (~zlib.crc32(data[:-4]) & 0xFFFFFFFF), "suffix CRC"
    _, pid, vid, bcd = struct.unpack_from("<4H", data, len(data) - 16)
    assert bcd == 0x011A
    t = 11
    assert data[t:t + 6] == b"Target"
    alt = data[t + 6]
    size, count = struct.unpack_from("<2I", data, t + 266)
    pos = t + 274
    assert size == len(data) - 16 - pos, "target size"
    elements = []
    for _ in range(count):
        addr, n = struct.unpack_from("<2I", data, pos)
        elements.append((addr, data[pos + 8:pos + 8 + n]))
        pos += 8 + n
    assert pos == len(data) - 16, "elements fill the target"
    return vid, pid, alt, elements


def parse_image(img):
    """Decode an h7boot image per docs/image-format.md; returns a dict, checks hash and CRC."""
    (magic, fmt, hsize, flags, major, minor, patch, entry, vectors, nseg, esize, tlv, isize,
     load) = struct.unpack_from("<IHHIBBHIIHHIII", img, 0)
    hcrc = struct.unpack_from("<I", img, 60)[0]
    segs = []
    for i in range(nseg):
        dest, size, off, kind = struct.unpack_from("<IIIB", img, hsize + i * esize)
        segs.append(dict(dest=dest, size=size, offset=off, kind=kind))
    return dict(magic=magic, format=fmt, header_size=hsize, flags=flags,
                version=(major, minor, patch), entry=entry, vectors=vectors, segments=segs,
                image_size=isize, load=load, tlv_size=tlv,
                header_crc_ok=hcrc == zlib.crc32(img[:60]),
                hash_ok=hashlib.sha256(img[:isize]).digest() == img[isize:isize + 32],
                commit=struct.unpack_from("<I", img, isize + 32)[0],
                length_ok=len(img) == isize + 36)


COMMITTED = 0x4B4F3748
