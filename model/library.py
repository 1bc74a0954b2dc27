"""The model library: the user's models and the shipped ones, with names, rename and trash.

A model's display name lives in its model card, so the file name can stay a
safe, unique ``<network>-<date>-<time>.pt`` whatever the user types. Deleting
moves the file to a trash folder (``<user data>/trash/models``), so it can be
undone; shipped models are never deleted or rewritten. The same trash folder
holds what a run that was not kept left behind (a stopped run's best epoch, a
diverged run), so "keep it anyway" is a move out of the trash.

Pure core: no Qt. The GUI's library dialog, the *Open recent* menu and the
status bar all name models through ``LibraryEntry.label`` / ``model_label``.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from model.activation import percent
from model.checkpoints import SUFFIX, ModelCard, load_model, save_model
from model.errors import DigitpadError, ModelFileError
from model.paths import models_dir, new_model_path, shipped_models_dir, trash_dir

MAX_NAME_LENGTH = 80
TRASH_KEEPS = 30  # the trash forgets its oldest files beyond this many


class LibraryError(DigitpadError):
    """A library action that cannot be done (rename a shipped model, restore a lost file)."""


def is_shipped(path: Path) -> bool:
    return Path(path).resolve().parent == shipped_models_dir().resolve()


def model_label(card: ModelCard, path: Path | None) -> str:
    """``my first cnn · 99.12 %``: how every menu and list names a model."""
    name = card.display_name or (path.stem if path else card.network)
    if path is not None and is_shipped(path):
        name += " (shipped)"
    if math.isnan(card.test_accuracy):
        return name
    return f"{name} · {percent(card.test_accuracy)}"


def recipe_line(hyperparameters: dict[str, Any]) -> str:
    """``10 epochs · batch 32 · sgd lr 0.01 momentum 0.9``: a card's recipe in one line."""
    hp = hyperparameters
    parts = []
    if "epochs" in hp:
        epochs = hp.get("epochs_trained", hp["epochs"])
        parts.append(f"{epochs} epoch{'' if epochs == 1 else 's'}")
    if "batch_size" in hp:
        parts.append(f"batch {hp['batch_size']}")
    optimizer = str(hp.get("optimizer", ""))
    if optimizer:
        text = optimizer
        if "lr" in hp:
            text += f" lr {hp['lr']:g}" if isinstance(hp["lr"], int | float) else ""
        if optimizer == "sgd" and isinstance(hp.get("momentum"), int | float):
            text += f" momentum {hp['momentum']:g}"
        parts.append(text)
    if hp.get("schedule") not in (None, "constant"):
        parts.append(str(hp["schedule"]))
    if "seed" in hp:
        parts.append(f"seed {hp['seed']}")
    return " · ".join(parts)


@dataclass(frozen=True)
class LibraryEntry:
    """One model file as the library lists it; ``card`` is None when the file is unreadable."""

    path: Path
    shipped: bool
    size_bytes: int
    modified: float  # the file's mtime, seconds since the epoch
    card: ModelCard | None
    error: str = ""  # why the file could not be read

    @property
    def name(self) -> str:
        if self.card is not None and self.card.display_name:
            return self.card.display_name
        return self.path.stem

    @property
    def network(self) -> str:
        return self.card.network if self.card else ""

    @property
    def accuracy(self) -> float:
        return self.card.test_accuracy if self.card else float("nan")

    @property
    def label(self) -> str:
        if self.card is None:
            return f"{self.name} (unreadable)"
        return model_label(self.card, self.path)

    @property
    def recipe(self) -> str:
        return recipe_line(self.card.hyperparameters) if self.card else ""

    @property
    def created(self) -> str:
        """``2026-11-26 07:12`` in local time, from the card (else the file's date)."""
        when = None
        if self.card is not None and self.card.created:
            try:
                when = dt.datetime.fromisoformat(self.card.created)
            except ValueError:
                when = None
        if when is None:
            when = dt.datetime.fromtimestamp(self.modified, dt.timezone.utc)
        return when.astimezone().strftime("%Y-%m-%d %H:%M")


def read_entry(path: Path | str) -> LibraryEntry:
    """The entry for one file; a bad file becomes an entry with ``error`` set, never a raise."""
    path = Path(path)
    stat = path.stat()
    try:
        card: ModelCard | None = load_model(path).card
        error = ""
    except DigitpadError as exc:
        card, error = None, str(exc)
    return LibraryEntry(path, is_shipped(path), stat.st_size, stat.st_mtime, card, error)


def list_models(folder: Path | None = None, shipped: Path | None = None) -> list[LibraryEntry]:
    """The user's models, newest first, then the shipped ones (best first)."""
    folder = models_dir() if folder is None else folder
    shipped = shipped_models_dir() if shipped is None else shipped
    mine = sorted(folder.glob(f"*{SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True)
    theirs = [p for p in (shipped / "cnn.pt", shipped / "mlp.pt") if p.is_file()]
    theirs += sorted(p for p in shipped.glob(f"*{SUFFIX}") if p not in theirs)
    entries = []
    for path in [*mine, *theirs]:
        try:
            entries.append(read_entry(path))
        except OSError:  # deleted while we listed: not in the library any more
            continue
    return entries


def clean_name(name: str) -> str:
    """A display name as stored: one line, trimmed; raises LibraryError if empty or too long."""
    text = " ".join(name.split())
    if not text:
        raise LibraryError("A model's name cannot be empty.")
    if len(text) > MAX_NAME_LENGTH:
        raise LibraryError(
            "A model's name can have at most {count} characters.", count=MAX_NAME_LENGTH
        )
    return text


def rename(path: Path | str, name: str) -> ModelCard:
    """Store ``name`` in the model's card (the file keeps its name); returns the new card.

    The file is rewritten atomically through ``save_model``, so its checksum
    stays valid and a crash leaves the old file.
    """
    path = Path(path)
    if is_shipped(path):
        raise LibraryError("The shipped models keep their names; rename a copy instead.")
    loaded = load_model(path)
    card = replace(loaded.card, display_name=clean_name(name))
    save_model(path, loaded.network, card, loaded.memory)
    return card


@dataclass(frozen=True)
class Trashed:
    """A model moved to the trash: where it was and where it is now, to undo the move."""

    original: Path
    trashed: Path


def _free_path(folder: Path, stem: str) -> Path:
    path = folder / f"{stem}{SUFFIX}"
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}{SUFFIX}"
        n += 1
    return path


def _prune_trash(keep: int = TRASH_KEEPS) -> None:
    files = sorted(trash_dir().glob(f"*{SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[keep:]:
        old.unlink(missing_ok=True)


def move_to_trash(path: Path | str) -> Trashed:
    """Move a user's model to the trash; ``restore`` undoes it."""
    path = Path(path)
    if is_shipped(path):
        raise LibraryError("The shipped models cannot be deleted.")
    if not path.is_file():
        raise ModelFileError("model file not found: {path}", path=path)
    trash_dir().mkdir(parents=True, exist_ok=True)
    target = _free_path(trash_dir(), path.stem)
    os.replace(path, target)
    os.utime(target)  # the trash forgets by the time of deletion, not of training
    _prune_trash()
    return Trashed(path, target)


def restore(item: Trashed) -> Path:
    """Put a trashed model back (under a new name if its old one was taken meanwhile)."""
    if not item.trashed.is_file():
        raise LibraryError("{name} is no longer in the trash.", name=item.original.name)
    target = item.original
    if target.exists():
        target = _free_path(target.parent, target.stem)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(item.trashed, target)
    return target


def spare_path(network: str) -> Path:
    """Where a run that is not kept leaves its model: in the trash, named like a model."""
    return _free_path(trash_dir(), new_model_path(network).stem)


def keep_spare(spare: Path | str, network: str) -> Path:
    """Move a run's spare model from the trash into the models folder; returns its new path."""
    spare = Path(spare)
    if not spare.is_file():
        raise LibraryError("That run's model is no longer in the trash.")
    target = new_model_path(network)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(spare, target)
    return target
