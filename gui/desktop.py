"""Desktop integration: a freedesktop menu entry and icons in the user's data folder.

``digitpad --install-desktop`` writes ``applications/digitpad.desktop`` and the
icon (scalable SVG plus 48, 128 and 256 px PNGs) under ``$XDG_DATA_HOME`` (or
``~/.local/share``), which is where desktops look for per-user applications.
The app sets its desktop file name to ``digitpad`` so window managers group
its windows under that entry. No Qt here: this runs from the launcher.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

from model.files import atomic_writer
from model.paths import assets_dir

DESKTOP_ID = "digitpad"
PNG_SIZES = (48, 128, 256)


class DesktopUnsupported(Exception):
    """This platform has no freedesktop menu (macOS, Windows)."""


def xdg_data_home() -> Path:
    env = os.environ.get("XDG_DATA_HOME")
    return Path(env).expanduser() if env else Path.home() / ".local" / "share"


def _icon_targets(data_home: Path) -> list[tuple[Path, Path]]:
    icons = assets_dir() / "icons"
    hicolor = data_home / "icons" / "hicolor"
    pairs = [(icons / "digitpad.svg", hicolor / "scalable" / "apps" / f"{DESKTOP_ID}.svg")]
    for n in PNG_SIZES:
        pairs.append(
            (icons / f"digitpad-{n}.png", hicolor / f"{n}x{n}" / "apps" / f"{DESKTOP_ID}.png")
        )
    return pairs


def desktop_entry(command: str) -> str:
    """The ``.desktop`` file's text; ``command`` is what starts the app."""
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=digitpad\n"
        "GenericName=Handwriting recognizer\n"
        "GenericName[zh_CN]=手写数字识别\n"
        "Comment=Draw a digit and watch a neural network read it\n"
        "Comment[zh_CN]=手写一个数字，看神经网络识别它\n"
        f"Exec={command}\n"
        f"Icon={DESKTOP_ID}\n"
        "Terminal=false\n"
        "Categories=Education;Science;ArtificialIntelligence;\n"
        "Keywords=MNIST;digit;handwriting;neural network;PyTorch;\n"
        f"StartupWMClass={DESKTOP_ID}\n"
    )


def _command() -> str:
    """The absolute ``digitpad`` script beside this Python, so the menu works without PATH."""
    script = Path(sys.executable).with_name("digitpad")
    if script.is_file():
        return shlex.quote(str(script))
    found = shutil.which("digitpad")
    return shlex.quote(found) if found else f"{shlex.quote(sys.executable)} -m gui.launcher"


def _check_platform() -> None:
    if sys.platform == "darwin" or os.name == "nt":
        raise DesktopUnsupported(
            "desktop entries are a Linux (freedesktop) feature; on this system start the "
            "app with the digitpad command"
        )


def install_desktop(data_home: Path | None = None) -> list[Path]:
    """Write the menu entry and icons; returns the files written."""
    _check_platform()
    home = data_home or xdg_data_home()
    written = []
    for source, target in _icon_targets(home):
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_writer(target) as f:
            f.write(source.read_bytes())
        written.append(target)
    entry = home / "applications" / f"{DESKTOP_ID}.desktop"
    entry.parent.mkdir(parents=True, exist_ok=True)
    with atomic_writer(entry) as f:
        f.write(desktop_entry(_command()).encode())
    written.append(entry)
    return written


def uninstall_desktop(data_home: Path | None = None) -> list[Path]:
    """Remove what ``install_desktop`` wrote; returns the files removed."""
    _check_platform()
    home = data_home or xdg_data_home()
    targets = [t for _, t in _icon_targets(home)]
    targets.append(home / "applications" / f"{DESKTOP_ID}.desktop")
    removed = []
    for target in targets:
        if target.is_file():
            target.unlink()
            removed.append(target)
    return removed
