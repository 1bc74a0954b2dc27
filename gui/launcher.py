"""The ``digitpad`` command: CLI subcommands, or the desktop app with no arguments.

Before Qt is touched, the launcher checks what makes a Qt app die on first
launch on Linux: no display at all, or Qt's xcb plugin missing system
libraries (Qt then aborts with "Could not load the Qt platform plugin xcb").
Either way the user gets one line saying what to do, and exit code 2.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

# Libraries Qt's xcb plugin loads; the ones most often missing come first.
XCB_LIBRARIES = (
    "libxcb-cursor.so.0",
    "libxcb-icccm.so.4",
    "libxcb-keysyms.so.1",
    "libxcb-image.so.0",
    "libxcb-render-util.so.0",
    "libxcb-shape.so.0",
    "libxcb-randr.so.0",
    "libxcb-xkb.so.1",
    "libxkbcommon-x11.so.0",
    "libxkbcommon.so.0",
    "libxcb.so.1",
    "libX11-xcb.so.1",
    "libEGL.so.1",
    "libfontconfig.so.1",
)
PACKAGES = {"libX11-xcb.so.1": "libx11-xcb1", "libEGL.so.1": "libegl1"}


def debian_package(soname: str) -> str:
    """``libxcb-icccm.so.4`` -> ``libxcb-icccm4``, Debian's naming rule for libraries."""
    if soname in PACKAGES:
        return PACKAGES[soname]
    match = re.fullmatch(r"(lib.+?)\.so\.(\d+)", soname)
    if not match:
        return soname
    stem, major = match.groups()
    sep = "-" if stem[-1].isdigit() else ""
    return f"{stem.lower()}{sep}{major}"


def xcb_plugin() -> Path | None:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for base in spec.submodule_search_locations:
        plugin = Path(base) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.exists():
            return plugin
    return None


def parse_ldd(output: str) -> list[str]:
    """The sonames ldd reports as ``not found``, in order, without repeats."""
    missing = re.findall(r"^\s*(\S+)\s+=>\s+not found", output, flags=re.MULTILINE)
    return list(dict.fromkeys(missing))


def missing_xcb_libraries() -> list[str]:
    """System libraries Qt's xcb plugin needs but cannot find here."""
    plugin = xcb_plugin()
    if plugin is not None and shutil.which("ldd"):
        result = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, check=False)
        if result.returncode == 0:
            return parse_ldd(result.stdout)
    missing = []
    for soname in XCB_LIBRARIES:
        try:
            ctypes.CDLL(soname)
        except OSError:
            missing.append(soname)
    return missing


def can_connect(display: str) -> bool:
    """Whether an X server answers at ``display`` (libxcb's own connect, a few ms)."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return True  # cannot tell; the library check reports the missing libxcb
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        return xcb.xcb_connection_has_error(connection) == 0
    finally:
        xcb.xcb_disconnect(connection)


def missing_libraries_message(missing: Sequence[str]) -> str:
    packages = " ".join(dict.fromkeys(debian_package(s) for s in missing))
    return (
        f"Qt's xcb platform plugin cannot load: missing system libraries {', '.join(missing)}. "
        f"Install them, e.g. on Debian/Ubuntu: sudo apt-get install {packages}"
    )


def display_problem(environ: dict[str, str] | None = None) -> str | None:
    """One line saying why the window cannot open, or None if it can."""
    env = os.environ if environ is None else environ
    if not sys.platform.startswith("linux"):
        return None
    platform = env.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return None  # offscreen, wayland, vnc...: Qt's own business
    if not env.get("DISPLAY"):
        if env.get("WAYLAND_DISPLAY") and not platform:
            return None
        return (
            "no display found (DISPLAY is not set): run digitpad in a desktop session, "
            "or use the command line: digitpad train | evaluate | predict"
        )
    missing = missing_xcb_libraries()
    if missing:
        return missing_libraries_message(missing)
    if not can_connect(env["DISPLAY"]):
        return f"cannot connect to the X display {env['DISPLAY']!r}: is the X server running?"
    return None


def _desktop(*, install: bool) -> int:
    from gui.desktop import DesktopUnsupported, install_desktop, uninstall_desktop

    try:
        files = install_desktop() if install else uninstall_desktop()
    except DesktopUnsupported as exc:
        print(f"digitpad: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"digitpad: error: cannot write the desktop entry: {exc}", file=sys.stderr)
        return 2
    verb = "installed" if install else "removed"
    if not files:
        print("digitpad: no desktop entry was installed; nothing to remove")
    for path in files:
        print(f"{verb} {path}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args in (["--install-desktop"], ["--uninstall-desktop"]):
        return _desktop(install=args[0] == "--install-desktop")
    if args:
        from model.cli import exit_process
        from model.cli import main as cli_main

        code = cli_main(args)
        if argv is None:  # the digitpad command itself: the process ends now
            exit_process(code)
        return code
    problem = display_problem()
    if problem:
        print(f"digitpad: error: {problem}", file=sys.stderr)
        return 2
    from gui.app import run

    return run()


if __name__ == "__main__":
    sys.exit(main())
