"""Check that a PNG (from rsvg-convert) has sane dimensions and is a picture, not a blank:
decode it with zlib only (no imaging library) and count pixels of each colour class."""
import struct
import sys
import zlib


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"{path}: not a PNG file")
    pos, idat, hdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype = hdr[:4]
    if depth != 8 or ctype not in (2, 6):
        raise SystemExit(f"{path}: unexpected PNG format depth {depth} type {ctype}")
    bpp = 4 if ctype == 6 else 3
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        f = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


w, h, bpp, rows = read_png(sys.argv[1])
if not (400 <= w <= 4000 and 100 <= h <= 4000):
    raise SystemExit(f"odd size {w}x{h}")
white = coloured = 0
for line in rows:
    for x in range(0, len(line), bpp):
        r, g, b = line[x:x + 3]
        if r > 240 and g > 240 and b > 240:
            white += 1
        elif max(r, g, b) - min(r, g, b) > 60:
            coloured += 1
total = w * h
print(f"{w}x{h}: {white} white, {coloured} coloured of {total} pixels")
if white > 0.97 * total or coloured < 200:
    raise SystemExit("the picture is (almost) blank: no coloured sections drawn")
