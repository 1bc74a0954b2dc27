"""Reading digit pictures from disk for ``digitpad predict``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from model.errors import ImageError


def read_digit_image(path: Path | str) -> np.ndarray:
    """Any PNG/JPEG -> a 2D float32 array in [0, 1] for ``model.preprocess``.

    A picture with transparency is read by its alpha channel (the strokes are
    what is opaque), so dark ink on a transparent background works too.
    """
    path = Path(path)
    if not path.is_file():
        raise ImageError(f"image not found: {path}")
    try:
        with Image.open(path) as img:
            img.load()
            if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
                rgba = img.convert("RGBA")
                alpha = np.asarray(rgba, dtype=np.float32)[..., 3] / 255.0
                if alpha.min() < 0.99:
                    return alpha
                img = rgba
            gray = img.convert("L")
            return np.asarray(gray, dtype=np.float32) / 255.0
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ImageError(f"cannot read {path} as an image: {exc}") from None
