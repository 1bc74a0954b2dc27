"""Where digitpad keeps things: the user data folder, MNIST, models, shipped assets.

The user folder comes from platformdirs (``~/.local/share/digitpad`` on Linux,
which honours ``XDG_DATA_HOME``); ``DIGITPAD_DATA`` points at an existing MNIST
copy instead of downloading one.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import platformdirs

APP_NAME = "digitpad"
DATA_ENV = "DIGITPAD_DATA"


def user_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_data_dir() -> Path:
    """``DIGITPAD_DATA`` if set, else the user data folder (where MNIST is downloaded)."""
    env = os.environ.get(DATA_ENV)
    return Path(env).expanduser() if env else user_dir() / "data"


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
    return Path(__file__).resolve().parent.parent / "assets"


def shipped_models_dir() -> Path:
    return assets_dir() / "models"
