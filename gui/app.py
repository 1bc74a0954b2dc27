"""The QApplication and the entry point of the desktop app (``digitpad`` with no arguments)."""

from __future__ import annotations

import signal
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from gui.i18n import chosen_language, install_language, resolve_language
from gui.settings import app_settings
from model.paths import assets_dir
from model.threads import configure_threads

if TYPE_CHECKING:
    from gui.main_window import MainWindow


def run(argv: Sequence[str] | None = None) -> int:
    """Open the main window and run the event loop; returns the exit code."""
    configure_threads()  # before the core imports torch, in a worker thread
    app = create_app(argv)

    from gui.main_window import MainWindow

    window = MainWindow()
    _quit_on_ctrl_c(app, window)
    window.show()
    return app.exec()


def create_app(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication, named and with its icon, speaking the user's language."""
    # Deliver every mouse move: with Qt's default compression, a stroke drawn
    # while the GUI thread is briefly busy collapses into one straight segment.
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_CompressHighFrequencyEvents, False)
    app = QApplication(list(sys.argv if argv is None else argv))
    app.setApplicationName("digitpad")
    app.setOrganizationName("digitpad")
    app.setApplicationDisplayName("digitpad")
    app.setDesktopFileName("digitpad")  # window managers group windows under digitpad.desktop
    app.setWindowIcon(QIcon(str(assets_dir() / "icons" / "digitpad.svg")))
    # The translators are the app's children: they live as long as it does.
    install_language(app, resolve_language(chosen_language(app_settings())))
    return app


def _quit_on_ctrl_c(app: QApplication, window: MainWindow) -> None:
    """Ctrl+C in the terminal that started the app quits it, like any other program.

    A run in progress is stopped without the question the window asks (the
    user at the terminal has answered it). Python runs a signal handler only
    between bytecodes and Qt's event loop is C++, so a timer hands control back
    to Python five times a second.
    """
    signal.signal(signal.SIGINT, lambda _signum, _frame: window.request_quit())
    ticker = QTimer(app)
    ticker.timeout.connect(lambda: None)
    ticker.start(200)
