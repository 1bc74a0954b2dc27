"""Where the app remembers things between launches (window, tab, model, training form)."""

from __future__ import annotations

from PySide6.QtCore import QSettings


def app_settings() -> QSettings:
    """An INI file in the user config folder (``~/.config/digitpad/digitpad.ini``).

    Tests point it elsewhere with ``QSettings.setPath(IniFormat, UserScope, dir)``.
    """
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "digitpad", "digitpad")
