"""Where digitpad keeps things: the user data folder, MNIST, models, shipped assets.

The user folder comes from platformdirs (``~/.local/share/digitpad`` on Linux,
which honours ``XDG_DATA_HOME``); ``DIGITPAD_DATA`` points at an existing MNIST
copy instead of downloading one; ``DIGITPAD_SAMPLES`` points at another samples
folder.
"""

from __future__ import annotations

import importlib.resources
import os
import re
import time
from pathlib import Path

import platformdirs

APP_NAME = "digitpad"
DATA_ENV = "DIGITPAD_DATA"
SAMPLES_ENV = "DIGITPAD_SAMPLES"


def user_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_data_dir() -> Path:
    """``DIGITPAD_DATA`` if set, else the user data folder (where MNIST is downloaded)."""
    env = os.environ.get(DATA_ENV)
    return Path(env).expanduser() if env else user_dir() / "data"


def samples_dir() -> Path:
    """The user's own digits (``model.samples``): ``DIGITPAD_SAMPLES`` if set, else ``<user>/samples``."""
    env = os.environ.get(SAMPLES_ENV)
    return Path(env).expanduser() if env else user_dir() / "samples"


def models_dir() -> Path:
    """Where trained models are saved; created on demand by the saver."""
    return user_dir() / "models"


def new_model_path(network: str) -> Path:
    """``<models>/<network>-YYYYmmdd-HHMMSS.pt``, never an existing file."""
    stem = f"{network}-{time.strftime('%Y%m%d-%H%M%S')}"
    path = models_dir() / f"{stem}.pt"
    n = 2
    while path.exists():
        path = models_dir() / f"{stem}-{n}.pt"
        n += 1
    return path


def trash_dir() -> Path:
    """Deleted models, and what runs that were not kept left behind (for undo, "keep anyway")."""
    return user_dir() / "trash" / "models"


def assets_dir() -> Path:
    """The shipped models, icons and translations.

    In a checkout (or an editable install) that is ``assets/`` beside ``model/``;
    in an installed wheel, the ``digitpad_assets`` package that pyproject.toml maps
    ``assets/`` to. The checkout wins, so a work tree always uses its own files.
    """
    checkout = Path(__file__).resolve().parent.parent / "assets"
    if (checkout / "models").is_dir():
        return checkout
    return Path(str(importlib.resources.files("digitpad_assets")))


def shipped_models_dir() -> Path:
    return assets_dir() / "models"


def shipped_held_out_pen_digits() -> Path:
    """UNIPEN's nine collections no shipped model trained on (4,040 digits, 0.5 MB).

    Evaluate's *Real pen digits* when no other copy is at hand (an installed
    app): every model is scored on digits it never saw.
    """
    return assets_dir() / "pen_digits" / "unipen_1a_heldout.json.gz"


def shipped_mnist_dir() -> Path:
    """A data folder with part of MNIST, shipped so that Personalize works offline.

    All 10,000 test images (the MNIST figure is the same as with the full set)
    and 6,000 of the 60,000 training images, 600 of each digit, for the replay
    that keeps a personalized model from forgetting MNIST. Gzip-compressed: 2.6 MB.
    """
    return assets_dir() / "mnist"


def shipped_model(name: Path | str) -> Path | None:
    """The shipped file for a bare model name (``cnn``), unless a file of that name exists."""
    text = str(name)
    if Path(text).exists() or not re.fullmatch(r"[a-z][a-z0-9_-]*", text):
        return None
    path = shipped_models_dir() / f"{text}.pt"
    return path if path.is_file() else None
