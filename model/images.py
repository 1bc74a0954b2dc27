"""Reading digit pictures from disk for ``digitpad predict``, in bounded memory.

A digit needs a few hundred pixels, but a photo or a scan may have a hundred
million: such a picture is reduced while it is decoded, so no prediction holds
more than a few tens of MB of pixels whatever the image's size. JPEG decodes
straight at a reduced scale (``draft``); a large PNG is decoded a band of rows
at a time; other formats are decoded whole only up to ``MAX_WHOLE_PIXELS``.
"""

from __future__ import annotations

import io
import math
import struct
import warnings
import zlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from model.errors import ImageError

MAX_SIDE = 2048  # longest side kept; preprocessing scales the digit to 20 px anyway
MAX_WHOLE_PIXELS = 40_000_000  # 160 MB as RGBA: the most decoded in one piece
BAND_PIXELS = 1_000_000  # pixels decoded at a time in a large PNG (4 MB as RGBA)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_BYTES_PER_SAMPLE = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # PNG colour type -> samples per pixel


def check_image(path: Path | str) -> None:
    """Fail now if ``path`` is not a picture we can read; decodes no pixels."""
    with _open(Path(path)):
        pass


def read_digit_image(path: Path | str) -> np.ndarray:
    """Any PNG/JPEG/TIFF... -> a 2D float32 array in [0, 1] for ``model.preprocess``.

    A picture with transparency is read by its alpha channel (the strokes are
    what is opaque), so dark ink on a transparent background works too.
    """
    path = Path(path)
    with _open(path) as img:
        try:
            factor = math.ceil(max(img.size) / MAX_SIDE)
            if img.format == "PNG" and img.width * img.height > MAX_WHOLE_PIXELS:
                banded = _read_png_in_bands(path, factor)
                if banded is not None:
                    return banded
            if img.width * img.height > MAX_WHOLE_PIXELS and img.format != "JPEG":
                raise ImageError(
                    "{path} is too large to read ({size} {format}); "
                    "save it as PNG or JPEG, or scale it down",
                    path=path,
                    size=f"{img.width}x{img.height}",
                    format=img.format,
                )
            if img.format == "JPEG" and factor > 1:
                img.draft("L", (img.width // factor, img.height // factor))  # DCT scaling
            img.load()
            factor = math.ceil(max(img.size) / MAX_SIDE)
            return _to_ink_source(img, factor)
        except (OSError, ValueError, struct.error, zlib.error, SyntaxError) as exc:
            raise ImageError(
                "cannot read {path} as an image: {error}", path=path, error=exc
            ) from None


class _open:
    """``Image.open`` with every failure as one ``ImageError``."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> Image.Image:
        path = self.path
        if path.is_dir():
            raise ImageError("{path} is a folder, not an image", path=path)
        if not path.is_file():
            raise ImageError("image not found: {path}", path=path)
        try:
            with warnings.catch_warnings():  # memory is bounded here, not by the warning
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                self.img = Image.open(path)
        except Image.DecompressionBombError as exc:
            raise ImageError(
                "cannot read {path} as an image: {error}", path=path, error=exc
            ) from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
            raise ImageError(
                "cannot read {path} as an image: {error}", path=path, error=exc
            ) from None
        return self.img

    def __exit__(self, *exc: object) -> None:
        self.img.close()


def _has_alpha(img: Image.Image) -> bool:
    return img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info


def _gray(img: Image.Image) -> Image.Image:
    """8-bit gray; 16-bit and float pictures scaled by their own range, not clipped."""
    if img.mode in ("F", "I", "I;16", "I;16B", "I;16L", "I;16N"):
        a = np.asarray(img, dtype=np.float32)
        a = np.nan_to_num(a, nan=0.0, posinf=0.0, neginf=0.0)
        top = float(a.max(initial=0.0))
        scale = 1.0 if top <= 1.0 else 255.0 if top <= 255.0 else 65535.0 if top <= 65535 else top
        return Image.fromarray(np.clip(a / scale * 255.0 + 0.5, 0, 255).astype(np.uint8), "L")
    return img.convert("L")


def _to_ink_source(img: Image.Image, factor: int) -> np.ndarray:
    """A decoded picture -> alpha (if any pixel is transparent) or gray, reduced by ``factor``."""
    if _has_alpha(img):
        rgba = img.convert("RGBA")
        alpha = rgba.getchannel("A")
        if alpha.getextrema()[0] < 253:  # some pixel is transparent: the ink is what is opaque
            return _as_float(alpha, factor)
        img = rgba
    return _as_float(_gray(img), factor)


def _as_float(gray: Image.Image, factor: int) -> np.ndarray:
    if factor > 1:
        gray = gray.reduce(factor)  # box average: the anti-aliasing a shrink needs
    return np.asarray(gray, dtype=np.float32) / 255.0


# -- large PNGs, a band of rows at a time -------------------------------------------


def _chunks(f: io.BufferedReader) -> Iterator[tuple[bytes, bytes]]:
    if f.read(8) != PNG_SIGNATURE:
        raise ValueError("not a PNG file")
    while True:
        head = f.read(8)
        if len(head) < 8:
            raise ValueError("truncated PNG file")
        length, kind = struct.unpack(">I4s", head)
        data = f.read(length)
        f.read(4)  # CRC: zlib's own checksum guards the pixels
        if len(data) < length:
            raise ValueError("truncated PNG file")
        yield kind, data
        if kind == b"IEND":
            return


def _read_png_in_bands(path: Path, factor: int) -> np.ndarray | None:
    """Decode a PNG a band of rows at a time, reducing each band as it comes.

    Each band becomes a small PNG of its own for Pillow to unfilter, led by the
    previous band's last row (stored unfiltered) that the band's first row may
    refer to. None for the layouts this does not cover (interlaced, under 8 bits
    per sample, 16-bit colour): the caller decodes those whole if they are small
    enough.
    """
    with path.open("rb") as f:
        chunks = _chunks(f)
        kind, ihdr = next(chunks)
        if kind != b"IHDR" or len(ihdr) != 13:
            raise ValueError("PNG without a header")
        width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", ihdr)
        if interlace or depth != 8 or ctype not in _BYTES_PER_SAMPLE:
            return None
        row_bytes = width * _BYTES_PER_SAMPLE[ctype]
        extra = b""  # PLTE and tRNS, which every band needs
        rows_per_band = max(factor, BAND_PIXELS // width // factor * factor)
        inflate = zlib.decompressobj()
        pending = bytearray()
        previous = bytes(1 + row_bytes)  # a row of zeros, filter "None": what row 0 refers to
        alpha_rows: list[np.ndarray] = []
        gray_rows: list[np.ndarray] = []
        lowest_alpha = 255
        done = 0
        for kind, data in chunks:
            if kind in (b"PLTE", b"tRNS"):
                extra += _chunk(kind, data)
            if kind != b"IDAT":
                continue
            while data:
                # At most one band's worth at a time: a run of zeros inflates 1000-fold.
                pending += inflate.decompress(data, rows_per_band * (1 + row_bytes))
                data = inflate.unconsumed_tail
                while done < height and len(pending) >= min(rows_per_band, height - done) * (
                    1 + row_bytes
                ):
                    rows = min(rows_per_band, height - done)
                    band_data = bytes(pending[: rows * (1 + row_bytes)])
                    del pending[: rows * (1 + row_bytes)]
                    band = _decode_band(ihdr, extra, previous + band_data, width, rows + 1)
                    previous = b"\0" + band.crop((0, rows, width, rows + 1)).tobytes()
                    band = band.crop((0, 1, width, rows + 1))
                    if _has_alpha(band):
                        rgba = band.convert("RGBA")
                        alpha = rgba.getchannel("A")
                        lowest_alpha = min(lowest_alpha, alpha.getextrema()[0])
                        alpha_rows.append(_as_float(alpha, factor))
                        band = rgba
                    gray_rows.append(_as_float(band.convert("L"), factor))
                    done += rows
        if done < height:
            raise ValueError(f"truncated PNG file: {done} of {height} rows")
    if alpha_rows and lowest_alpha < 253:
        return np.vstack(alpha_rows)
    return np.vstack(gray_rows)


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def _decode_band(ihdr: bytes, extra: bytes, rows: bytes, width: int, height: int) -> Image.Image:
    header = struct.pack(">II", width, height) + ihdr[8:]
    png = (
        PNG_SIGNATURE
        + _chunk(b"IHDR", header)
        + extra
        + _chunk(b"IDAT", zlib.compress(rows, 1))
        + _chunk(b"IEND", b"")
    )
    band = Image.open(io.BytesIO(png))
    band.load()
    return band
