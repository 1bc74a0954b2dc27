"""One way to ask the user a question without blocking the event loop.

``QMessageBox.exec()`` would stop the GUI thread's loop (a training run's
progress would freeze behind it, and tests could not drive it); ``open()``
keeps the loop running and calls back when a button is pressed. Every button
gets an objectName, so tests and scripts press them like a user would.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import QMessageBox, QWidget


@dataclass(frozen=True)
class Choice:
    """A button: its text, objectName, role, and what pressing it does (None: just close)."""

    text: str
    name: str
    role: QMessageBox.ButtonRole
    action: Callable[[], None] | None = None


def ask(
    parent: QWidget,
    *,
    name: str,
    title: str,
    text: str,
    choices: Sequence[Choice],
    details: str = "",
    icon: QMessageBox.Icon = QMessageBox.Icon.Question,
) -> QMessageBox:
    """Show a window-modal, non-blocking message box named ``name``; returns it.

    The first choice is the default button; Escape presses the one whose role is
    RejectRole, so closing the box never does anything surprising.
    """
    old = parent.findChild(QMessageBox, name)
    if old is not None:  # one question of a kind at a time: the newest wins
        old.setObjectName("")
        old.close()
        old.deleteLater()
    box = QMessageBox(icon, title, text, parent=parent)
    box.setObjectName(name)
    if details:
        box.setInformativeText(details)
    actions = {}
    for index, choice in enumerate(choices):
        button = box.addButton(choice.text, choice.role)
        button.setObjectName(choice.name)
        actions[button] = choice.action
        if index == 0:
            box.setDefaultButton(button)
        if choice.role == QMessageBox.ButtonRole.RejectRole:
            box.setEscapeButton(button)

    def on_clicked(button: object) -> None:
        action = actions.get(button)
        if action is not None:
            action()

    box.buttonClicked.connect(on_clicked)
    box.finished.connect(box.deleteLater)
    box.open()
    return box
