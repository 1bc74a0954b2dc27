"""Write huge PNGs without holding their pixels: rows are compressed as they are made.

A 13,000 x 13,000 RGBA picture is 676 MB of pixels but about 0.7 MB of file;
``write_png`` streams it row by row, so making one costs the test no memory.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np

COLOUR_TYPES = {"L": (0, 1), "RGB": (2, 3), "RGBA": (6, 4)}


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def write_png(path: Path, size: int, mode: str = "RGBA", filters: tuple[int, ...] = (0,)) -> Path:
    """A ``size`` x ``size`` picture of a thick "1", drawn opaque on transparent (RGBA)
    or dark on white; rows cycle through the PNG ``filters`` given (0 None, 2 Up)."""
    ctype, channels = COLOUR_TYPES[mode]
    blank = (
        np.zeros((size, channels), np.uint8)
        if mode == "RGBA"
        else np.full((size, channels), 255, np.uint8)
    )
    ink = blank.copy()
    left, right = int(size * 0.45), int(size * 0.55)
    ink[left:right] = 255 if mode == "RGBA" else 0
    top, bottom = int(size * 0.2), int(size * 0.8)
    rows = {}
    for name, row in (("blank", blank), ("ink", ink)):
        flat = row.reshape(-1)
        rows[name, 0] = b"\0" + flat.tobytes()
        rows[name, 2] = b"\2" + bytes(len(flat))  # Up, same as the row above: zeros
    compress = zlib.compressobj(1)
    with path.open("wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(_chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, ctype, 0, 0, 0)))
        previous = None
        for y in range(size):
            name = "ink" if top <= y < bottom else "blank"
            kind = filters[y % len(filters)] if previous == name else 0
            out = compress.compress(rows[name, kind])
            if out:
                f.write(_chunk(b"IDAT", out))
            previous = name
        f.write(_chunk(b"IDAT", compress.flush()))
        f.write(_chunk(b"IEND", b""))
    return path
