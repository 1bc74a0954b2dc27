"""The active model's card in a dialog that always fits on the screen.

A model card (network, data, accuracy per digit, real pen digits, any
personalization) runs to about 60 lines. In a message box it grew taller than a
900 px screen and its OK button fell off the bottom; here the text scrolls and
the dialog is never taller than the screen it opens on.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

SCREEN_SHARE = 0.85  # the most of the screen's free height (and width) the dialog takes


class ModelCardDialog(QDialog):
    """Markdown in a scrolling, selectable view, with one Close button."""

    def __init__(self, title: str, markdown: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelCardDialog")
        self.setWindowTitle(title)
        self.text = QTextBrowser(self)
        self.text.setObjectName("modelCardText")
        self.text.setOpenExternalLinks(True)
        self.text.setMarkdown(markdown)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(self._fitting_size())

    def _fitting_size(self) -> QSize:
        """The text's natural size, but no more than SCREEN_SHARE of the screen."""
        screen = (self.parentWidget() or self).screen().availableGeometry()
        document = self.text.document()
        document.setTextWidth(560)
        wanted = QSize(620, int(document.size().height()) + 90)
        return wanted.boundedTo(
            QSize(int(screen.width() * SCREEN_SHARE), int(screen.height() * SCREEN_SHARE))
        )
