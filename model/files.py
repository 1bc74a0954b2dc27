"""Atomic file writes: a crash mid-write leaves the old file or the new one, never half.

The temp file lives in the target's folder (``os.replace`` is atomic only within
one file system) and is fsynced before the rename.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from model.errors import OutputError

# ".<name>.<pid>.<12 hex>.tmp"; files from before the pid was added have none.
_TEMP_NAME = re.compile(r"^\..+?\.(?:(\d+)\.)?[0-9a-f]{12}\.tmp$")
STALE_SECONDS = 24 * 3600  # a temp file without a pid this old is a crash's leftover


def temp_path(path: Path) -> Path:
    """Where ``path`` is written before the rename; the pid says whose it is."""
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(6)}.tmp")


def remove_stale_temps(folder: Path) -> list[Path]:
    """Delete our temp files that a killed process left in ``folder``.

    A temp file is stale when the process named in it is gone (or, for the old
    naming without a pid, after a day); another live save's file is kept.
    """
    removed = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if not match:
            continue
        pid = match.group(1)
        try:
            if pid is not None:
                if int(pid) == os.getpid() or _alive(int(pid)):
                    continue
            elif time.time() - entry.stat().st_mtime < STALE_SECONDS:
                continue
            entry.unlink()
            removed.append(entry)
        except OSError:
            continue
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's process, or a pid we cannot ask about: keep its file
    return True


def check_writable(path: Path) -> None:
    """Fail now, not after a long run, if a file cannot be saved at ``path``.

    Creates the missing folders and a temp file there (then removes it): the
    only test that a read-only mount, permissions and ACLs all agree with.
    """
    if path.is_dir():
        raise OutputError("cannot save to {path}: it is a folder", path=path)
    probe = path.parent
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        raise OutputError(
            "cannot save to {path}: {file} is a file, not a folder", path=path, file=probe
        )
    tmp = temp_path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        tmp.unlink()
    except OSError as exc:
        raise OutputError(
            "cannot save to {path}: {error}", path=path, error=exc.strerror or exc
        ) from None


def output_error(path: Path, exc: BaseException, needed: int) -> OutputError | None:
    """A failed write as the user should read it ("disk full"), or None if it is not one.

    torch reports a full disk as ``RuntimeError: [enforce fail at
    inline_container.cc...]``, so the free space decides.
    """
    try:
        free = shutil.disk_usage(path.parent).free
    except OSError:
        free = None
    full = (isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)) or (
        free is not None and free < needed
    )
    if full:
        if free:
            return OutputError(
                "cannot save {path}: disk full ({free:.1f} MiB free, {needed:.1f} MiB needed)",
                path=path,
                free=free / 2**20,
                needed=needed / 2**20,
            )
        return OutputError("cannot save {path}: disk full", path=path)
    if isinstance(exc, OSError):
        return OutputError("cannot save {path}: {error}", path=path, error=exc.strerror or exc)
    return None


@contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """``with atomic_writer(p) as f: f.write(...)`` — ``p`` appears only if the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(path.parent)
    tmp = temp_path(path)
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
