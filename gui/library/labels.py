"""How combos and menus name a model file: its display name and accuracy, read once per version.

Reading a card means loading the file (torch), so labels are cached by path,
modification time and size: a combo refreshed on every activation re-reads
only the files that changed.
"""

from __future__ import annotations

from pathlib import Path


class ModelLabels:
    """``labels.label(path)`` -> ``my first cnn · 99.12 %`` (or the file name if unreadable)."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, int, int], str] = {}

    def label(self, path: Path) -> str:
        from model.library import read_entry

        try:
            stat = path.stat()
        except OSError:
            return path.stem
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        if key not in self._seen:
            self._seen[key] = read_entry(path).label
        return self._seen[key]
