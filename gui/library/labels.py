"""How combos and menus name a model file: its display name and accuracy, read once per version.

Reading a card means loading the file (torch), so labels are cached by path,
modification time and size: a combo refreshed on every activation re-reads
only the files that changed.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from gui.i18n import epoch_count, percent

if TYPE_CHECKING:
    from model.checkpoints import ModelCard
    from model.library import LibraryEntry


def model_label(card: ModelCard, path: Path | None) -> str:
    """``model.library.model_label`` in the reader's language: ``my cnn · 99.12 %``."""
    from model.library import is_shipped

    name = card.display_name or (path.stem if path else card.network)
    if path is not None and is_shipped(path):
        name = QCoreApplication.translate("LibraryDialog", "{name} (shipped)").format(name=name)
    if math.isnan(card.test_accuracy):
        return name
    return f"{name} · {percent(card.test_accuracy, 2)}"


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
            entry = read_entry(path)
            self._seen[key] = model_label(entry.card, path) if entry.card else entry.label
        return self._seen[key]


def recipe_text(entry: LibraryEntry) -> str:
    """``model.library.recipe_line`` in the reader's language: ``10 轮 · 批大小 32 · sgd lr 0.01``."""
    if entry.card is None:
        return ""
    hp = entry.card.hyperparameters

    parts = []
    if "epochs" in hp:
        epochs = hp.get("epochs_trained", hp["epochs"])
        parts.append(epoch_count(epochs))
    if "batch_size" in hp:
        parts.append(
            QCoreApplication.translate("TrainTab", "batch {size}").format(size=hp["batch_size"])
        )
    optimizer = str(hp.get("optimizer", ""))
    if optimizer:
        text = optimizer
        if isinstance(hp.get("lr"), int | float):
            text += f" lr {hp['lr']:g}"
        if optimizer == "sgd" and isinstance(hp.get("momentum"), int | float):
            text += " " + QCoreApplication.translate("TrainTab", "momentum {value}").format(
                value=f"{hp['momentum']:g}"
            )
        parts.append(text)
    if hp.get("schedule") not in (None, "constant"):
        parts.append(str(hp["schedule"]))
    if "seed" in hp:
        parts.append(QCoreApplication.translate("TrainTab", "seed {seed}").format(seed=hp["seed"]))
    return " · ".join(parts)
