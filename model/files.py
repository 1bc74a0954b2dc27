"""Atomic file writes: a crash mid-write leaves the old file or the new one, never half.

The temp file lives in the target's folder (``os.replace`` is atomic only within
one file system) and is fsynced before the rename.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


@contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """``with atomic_writer(p) as f: f.write(...)`` — ``p`` appears only if the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    # 0o666 through os.open, so the kernel applies the umask (mkstemp would give
    # 0600, and reading the umask means changing it, for every thread at once).
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)  # a replaced file keeps its mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_copy(source: Path, target: Path) -> None:
    data = source.read_bytes()
    with atomic_writer(target) as f:
        f.write(data)
