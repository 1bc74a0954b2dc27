"""digitpad's desktop app: PySide6 views over the ``model`` core.

``from gui import MainWindow`` works; importing ``gui`` itself loads no Qt and
creates no QApplication, so ``gui.launcher`` can check the system first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gui.main_window import MainWindow

__all__ = ["MainWindow"]


def __getattr__(name: str) -> Any:
    if name == "MainWindow":
        from gui.main_window import MainWindow

        return MainWindow
    raise AttributeError(f"module 'gui' has no attribute {name!r}")
