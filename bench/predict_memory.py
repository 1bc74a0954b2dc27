"""Peak memory of ``digitpad predict`` on huge pictures, next to a small one.

    .venv/bin/python bench/predict_memory.py

Each case runs in its own child process; the figure is the child's ru_maxrss
from wait4 (so nothing of this script counts). The pictures are written in a
scratch folder: a 13,000 x 13,000 RGBA PNG (676 MB of pixels, 0.7 MB of file),
four 9,400 x 9,400 RGBA PNGs in one call, and a 13,000 x 13,000 JPEG.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.model.big_png import write_png

PREDICT = (
    "import sys\nfrom model.cli import main\nsys.exit(main(['predict', 'mlp', *sys.argv[1:]]))"
)


def peak_rss_mib(*images: Path) -> float:
    proc = subprocess.Popen(
        [sys.executable, "-c", PREDICT, *map(str, images)], stdout=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"predict failed with status {status}")
    return usage.ru_maxrss / 1024


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        small = write_png(folder / "small.png", 300)
        huge = write_png(folder / "huge.png", 13000)
        bigs = [write_png(folder / f"big{i}.png", 9400) for i in range(4)]
        jpeg = folder / "huge.jpg"
        ink = np.full((13000, 13000), 255, np.uint8)
        ink[2600:10400, 5850:7150] = 0
        Image.fromarray(ink).save(jpeg, quality=90)
        del ink
        base = peak_rss_mib(small)
        print(f"300 x 300 PNG (baseline):         peak RSS {base:7.1f} MiB")
        for label, images in (
            ("13,000 x 13,000 RGBA PNG:", [huge]),
            ("four 9,400 x 9,400 RGBA PNGs:", bigs),
            ("13,000 x 13,000 JPEG:", [jpeg]),
        ):
            peak = peak_rss_mib(*images)
            print(f"{label:<33} peak RSS {peak:7.1f} MiB  (+{peak - base:.1f} MiB)")


if __name__ == "__main__":
    main()
