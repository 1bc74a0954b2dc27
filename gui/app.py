"""The QApplication and the entry point of the desktop app (``digitpad`` with no arguments)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from model.paths import assets_dir
from model.threads import configure_threads


def run(argv: Sequence[str] | None = None) -> int:
    """Open the main window and run the event loop; returns the exit code."""
    configure_threads()  # before the core imports torch, in a worker thread
    # Deliver every mouse move: with Qt's default compression, a stroke drawn
    # while the GUI thread is briefly busy collapses into one straight segment.
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_CompressHighFrequencyEvents, False)
    app = QApplication(list(sys.argv if argv is None else argv))
    app.setApplicationName("digitpad")
    app.setOrganizationName("digitpad")
    app.setApplicationDisplayName("digitpad")
    app.setDesktopFileName("digitpad")  # window managers group windows under digitpad.desktop
    app.setWindowIcon(QIcon(str(assets_dir() / "icons" / "digitpad.svg")))

    from gui.main_window import MainWindow

    window = MainWindow()
    window.show()
    return app.exec()
