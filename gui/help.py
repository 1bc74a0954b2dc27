"""The Help menu's texts: the keyboard shortcuts (read from the live actions) and About.

The shortcut list is built from the window's own ``QAction``s, so it can never
disagree with what the keys really do; versions come from the installed
packages' metadata (no torch import needed).
"""

from __future__ import annotations

import re
from importlib import metadata

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from model import __version__

# (distribution, what it does here, licence)
LIBRARIES = (
    ("torch", QT_TRANSLATE_NOOP("Help", "neural networks"), "BSD-3-Clause"),
    ("torchvision", QT_TRANSLATE_NOOP("Help", "MNIST reader"), "BSD-3-Clause"),
    (
        "PySide6-Essentials",
        QT_TRANSLATE_NOOP("Help", "Qt for Python, the window"),
        "LGPL-3.0 (Qt: LGPL-3.0)",
    ),
    ("pyqtgraph", QT_TRANSLATE_NOOP("Help", "training chart"), "MIT"),
    ("numpy", QT_TRANSLATE_NOOP("Help", "arrays"), "BSD-3-Clause"),
    ("pillow", QT_TRANSLATE_NOOP("Help", "images"), "MIT-CMU (HPND)"),
    ("platformdirs", QT_TRANSLATE_NOOP("Help", "user folders"), "MIT"),
    ("tqdm", QT_TRANSLATE_NOOP("Help", "command-line progress"), "MPL-2.0 and MIT"),
)

DATA = (
    QT_TRANSLATE_NOOP(
        "Help",
        "**MNIST** (training and test digits): Yann LeCun, Corinna Cortes, "
        "Christopher J.C. Burges; CC BY-SA 3.0.",
    ),
    QT_TRANSLATE_NOOP(
        "Help",
        "**UNIPEN** real pen digits (tests and benchmarks): The International Unipen "
        "Foundation, train_r01_v07; CC BY 4.0.",
    ),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Help", text)


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return QCoreApplication.translate("Help", "not installed")


def shortcuts_text(window: QWidget) -> str:
    """A Markdown table of every action in ``window`` that has a shortcut, menus first."""
    rows: dict[str, list[str]] = {}
    for action in window.findChildren(QAction):
        keys = [k for k in action.shortcuts() if not k.isEmpty()]
        # "撤销笔画(&U)": a Chinese text's Alt letter in brackets goes with its "&".
        name = re.sub(r"\(&\w\)", "", action.text()).replace("&", "").removesuffix("…").strip()
        if not keys or not name:
            continue
        # Two tabs may each have an action of one name (Undo, Redo): list every key once.
        known = rows.setdefault(name, [])
        for k in keys:
            text = k.toString(QKeySequence.SequenceFormat.NativeText)
            if text not in known:
                known.append(text)
    lines = [
        "| {} | {} |".format(
            QCoreApplication.translate("Help", "action"), QCoreApplication.translate("Help", "keys")
        ),
        "|---|---|",
    ]
    lines += [f"| {name} | {', '.join(keys)} |" for name, keys in sorted(rows.items())]
    lines += [
        "",
        QCoreApplication.translate(
            "Help", "Alt + the underlined letter opens a menu, a tab or a field."
        ),
        QCoreApplication.translate(
            "Help", "Undo and Clear act on the Draw tab's canvas while it is shown."
        ),
    ]
    return "\n".join(lines)


def about_text() -> str:
    """Version, what digitpad is, and the licences of the data and the libraries it uses."""
    lines = [
        f"## digitpad {__version__}",
        "",
        QCoreApplication.translate(
            "Help", "Draw a digit, watch a neural network read it, retrain it live. MIT licence."
        ),
        "",
        "### " + QCoreApplication.translate("Help", "Data"),
        "",
        *(f"- {_tr(line)}" for line in DATA),
        "",
        "### " + QCoreApplication.translate("Help", "Libraries"),
        "",
        "| {} | {} | {} | {} |".format(
            QCoreApplication.translate("Help", "library"),
            QCoreApplication.translate("Help", "version"),
            QCoreApplication.translate("Help", "used for"),
            QCoreApplication.translate("Help", "licence"),
        ),
        "|---|---|---|---|",
        *(
            f"| {name} | {_version(name)} | {_tr(purpose)} | {licence} |"
            for name, purpose, licence in LIBRARIES
        ),
    ]
    return "\n".join(lines) + "\n"
