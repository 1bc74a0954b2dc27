"""The launcher turns Qt's first-launch aborts into one clear line and exit code 2."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys

import pytest

from gui.launcher import (
    debian_package,
    missing_libraries_message,
    missing_xcb_libraries,
    parse_ldd,
    xcb_plugin,
)

LDD_SAMPLE = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)
"""


def test_parse_ldd_lists_missing_once_in_order() -> None:
    assert parse_ldd(LDD_SAMPLE) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]


@pytest.mark.parametrize(
    ("soname", "package"),
    [
        ("libxcb-icccm.so.4", "libxcb-icccm4"),
        ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
        ("libxcb-cursor.so.0", "libxcb-cursor0"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libX11-xcb.so.1", "libx11-xcb1"),
    ],
)
def test_debian_package_names(soname: str, package: str) -> None:
    assert debian_package(soname) == package


def test_message_names_libraries_and_the_install_command() -> None:
    message = missing_libraries_message(["libxcb-icccm.so.4", "libxcb-keysyms.so.1"])
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1" in message
    assert "apt-get install libxcb-icccm4 libxcb-keysyms1" in message


def test_missing_libraries_really_are_missing_here() -> None:
    """What the check reports agrees with the dynamic loader on this machine."""
    assert xcb_plugin() is not None
    for soname in missing_xcb_libraries():
        with pytest.raises(OSError):
            ctypes.CDLL(soname)


def _launch(env_changes: dict[str, str | None]) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "-m", "gui.launcher"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_no_display_is_one_line_and_exit_2() -> None:
    result = _launch({"DISPLAY": None, "WAYLAND_DISPLAY": None, "QT_QPA_PLATFORM": None})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "no display found" in result.stderr


def test_unreachable_display_or_missing_libraries_is_one_line_and_exit_2() -> None:
    """Without the libraries Qt would abort (SIGABRT); with them, it could not connect."""
    result = _launch({"DISPLAY": ":93", "QT_QPA_PLATFORM": None})
    assert result.returncode == 2, result.stderr
    line = result.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    if missing_xcb_libraries():
        assert "apt-get install" in line
    else:
        assert "cannot connect to the X display ':93'" in line


def test_subcommands_go_to_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "gui.launcher", "info", "/nonexistent.pt"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2 and "model file not found" in result.stderr
