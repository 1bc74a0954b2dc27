"""``digitpad --install-desktop``: a menu entry and icons in the user's XDG data folder."""

from __future__ import annotations

import configparser
from pathlib import Path

import pytest
from PIL import Image

from gui.launcher import main


def test_install_then_uninstall_desktop(
    isolated_user_dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = isolated_user_dirs / "data"
    assert main(["--install-desktop"]) == 0
    entry = data / "applications" / "digitpad.desktop"
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive in desktop files
    parser.read(entry, encoding="utf-8")
    section = parser["Desktop Entry"]
    assert section["Type"] == "Application" and section["Icon"] == "digitpad"
    assert Path(section["Exec"].strip("'")).name == "digitpad" or "gui.launcher" in section["Exec"]
    hicolor = data / "icons" / "hicolor"
    assert (hicolor / "scalable" / "apps" / "digitpad.svg").read_bytes().startswith(b"<svg")
    for n in (48, 128, 256):
        with Image.open(hicolor / f"{n}x{n}" / "apps" / "digitpad.png") as png:
            assert png.size == (n, n)
    assert str(entry) in capsys.readouterr().out

    assert main(["--uninstall-desktop"]) == 0
    assert not entry.exists()
    assert not list(hicolor.rglob("digitpad.*"))
    assert main(["--uninstall-desktop"]) == 0  # nothing left: says so, still fine
    assert "nothing to remove" in capsys.readouterr().out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from model import __version__

    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"digitpad {__version__}"
