"""The app's languages: which translation the GUI loads, and numbers written the locale's way.

Every visible string of the GUI goes through Qt's translation system
(``self.tr`` in QObject subclasses, ``QCoreApplication.translate`` elsewhere);
``make`` builds ``assets/translations/digitpad_zh_CN.qm`` from the ``.ts`` that
``pyside6-lupdate`` extracts. The language follows the system locale unless the
user picked one in the Language menu (``ui/language`` in the settings); a change
applies when the app next starts. The command line stays English.

Counted nouns ("1 sample", "1,024 samples") are Qt numerus messages
(``%Ln sample(s)``, see ``Counts``): each language's .ts gives one form per
plural rule of that language. English is the source language, so its two forms
come from a plural-only ``digitpad_en.ts`` (``lupdate -pluralonly``), the way
Qt's documentation has it; ``install_language`` loads it for English.

Numbers go through ``QLocale()`` (the default locale, which ``install_language``
sets to the chosen language's), so "60,000" and "91.7 %" are written the way
the reader's language writes them.

The core's messages (errors, progress, the device line, model cards) are
English templates with named values (``model.messages``); ``core_text``
translates them, in context "Core", from the list that ``make lupdate``
extracts into ``gui/core_messages.py``.
"""

from __future__ import annotations

import os
import re
import string
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QObject,
    QTranslator,
)

from gui.settings import Settings
from model.errors import DigitpadError
from model.messages import CONTEXT, Message
from model.paths import assets_dir

SETTING = "ui/language"
PROPERTY = "digitpadLanguage"  # on the app: the language install_language loaded
SYSTEM = "system"  # follow the system locale
ENGLISH = "en"
CHINESE = "zh_CN"
# Each language named in itself: a reader who cannot read the current one still finds theirs.
LANGUAGES: dict[str, str] = {ENGLISH: "English", CHINESE: "简体中文"}


def translations_dir() -> Path:
    return assets_dir() / "translations"


def chosen_language(settings: Settings) -> str:
    """What the Language menu says: ``system``, ``en`` or ``zh_CN``."""
    return settings.get_str(SETTING, SYSTEM, choices=(SYSTEM, *LANGUAGES))


def resolve_language(choice: str, system: QLocale | None = None) -> str:
    """The language the GUI shows: the user's choice, else the system locale's, else English.

    Every Chinese locale gets the Simplified translation (the only Chinese one).
    """
    if choice in LANGUAGES:
        return choice
    locale = QLocale.system() if system is None else system
    return CHINESE if locale.language() == QLocale.Language.Chinese else ENGLISH


def current_language() -> str:
    """The language the GUI's texts are in: what ``install_language`` loaded, else English."""
    app = QCoreApplication.instance()
    language = app.property(PROPERTY) if app is not None else None
    return language if language in LANGUAGES else ENGLISH


def install_language(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Load ``language``'s translations into ``app`` (ours and Qt's own dialogs' buttons).

    Returns the installed translators; the caller keeps them alive (a translator
    garbage-collected by Python is gone from the app). For English only the
    plural forms are loaded (``digitpad_en.qm``): the source strings are English,
    but "%Ln sample(s)" is not what a reader should see.
    """
    app.setProperty(PROPERTY, language)
    if language == ENGLISH:
        # English numbers follow the system's region (a German desktop keeps 0,5), but a
        # Chinese desktop's numbers under English text, or C's ungrouped 60000, would not.
        if QLocale().language() in (QLocale.Language.Chinese, QLocale.Language.C):
            QLocale.setDefault(QLocale("en_US"))
        files: tuple[tuple[str, str | None], ...] = ((f"digitpad_{ENGLISH}", None),)
    else:
        QLocale.setDefault(QLocale(language))
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        files = ((f"qtbase_{language}", qt_dir), (f"digitpad_{language}", None))
    installed = []
    for name, folder in files:
        translator = QTranslator(app)
        path = str(translations_dir() if folder is None else folder)
        if translator.load(name, path):
            app.installTranslator(translator)
            installed.append(translator)
    return installed


# -- the core's messages ----------------------------------------------------------------


class _CoreFormatter(string.Formatter):
    """``str.format`` with the reader's numbers, and a core message's params translated too.

    A template's format spec says how the core writes a value (``{count:,}``,
    ``{accuracy:.2%}``, ``{seconds:.1f}``); here the same spec goes through the
    locale helpers, so "60,000" and "91.70 %" follow the reader's language.
    """

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, BaseException):  # an error inside a message: its own text
            value = (
                value.args[0] if value.args and isinstance(value.args[0], Message) else str(value)
            )
        if isinstance(value, Message):
            return core_text(value)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return format(value, format_spec)
        decimals = _DECIMALS.fullmatch(format_spec)
        if decimals is None:
            return format(value, format_spec)  # e.g. "g": a setting as the user typed it
        places = int(decimals["places"] or 0)
        if decimals["kind"] == "%":
            return percent(value, places)
        if decimals["kind"] == "f":
            return number(value, places)
        if isinstance(value, int):  # "" or ",": a count
            return integer(value)
        return QLocale().toString(value)


# The specs that core templates give numbers: "", ",", ".2f", ",.1f", ".2%".
_DECIMALS = re.compile(r",?(?:\.(?P<places>\d+))?(?P<kind>[f%]?)")
_FORMATTER = _CoreFormatter()


def core_text(message: str) -> str:
    """A message from ``model/`` in the reader's language.

    A ``model.messages.Message`` has its template translated (context "Core",
    extracted from the core into ``gui/core_messages.py``) and its params
    written the reader's way; plain text is translated when it is a known
    template, else shown as the core wrote it.
    """
    if not isinstance(message, Message):
        return QCoreApplication.translate(CONTEXT, message) if message else message
    template = QCoreApplication.translate(CONTEXT, message.template)
    if not message.params:
        return template
    try:
        return _FORMATTER.format(template, **message.params)
    except (KeyError, IndexError, ValueError):  # a broken translation: English beats nothing
        return _FORMATTER.format(message.template, **message.params)


def error_text(exc: BaseException) -> str:
    """What went wrong, for a dialog: a core error translated, the system's own text else."""
    if isinstance(exc, DigitpadError):
        return core_text(exc.message)
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    return str(exc)


# -- numbers ------------------------------------------------------------------------


def number(value: float, decimals: int) -> str:
    """``value`` with ``decimals`` digits after the locale's decimal point."""
    return QLocale().toString(float(value), "f", decimals)


def integer(value: int) -> str:
    """A count with the locale's digit grouping (60,000)."""
    return QLocale().toString(int(value))


def percent(fraction: float, decimals: int = 1) -> str:
    """0.917 -> "91.7 %" in English, "91.7%" in Chinese."""
    return QCoreApplication.translate("Numbers", "{value} %").format(
        value=number(100 * fraction, decimals)
    )


# -- counted nouns --------------------------------------------------------------------


class Counts(QObject):
    """The translation context of the counted nouns that several views share.

    Never instantiated: ``tr`` is a class method in PySide6, and ``Counts.tr(text,
    "", n)`` is the form in which ``pyside6-lupdate`` records a plural message
    (it reads ``QCoreApplication.translate(context, text, None, n)`` with a
    variable ``n`` as a plain one). ``%Ln`` writes ``n`` the locale's way: 1,024.
    """


def sample_count(count: int) -> str:
    """``1 sample``, ``1,024 samples``."""
    return Counts.tr("%Ln sample(s)", "", count)


def file_count(count: int) -> str:
    """``1 file``, ``3 files``."""
    return Counts.tr("%Ln file(s)", "", count)


def image_count(count: int) -> str:
    """``1 image``, ``37 images``."""
    return Counts.tr("%Ln image(s)", "", count)


def epoch_count(count: int) -> str:
    """``1 epoch``, ``10 epochs``."""
    return Counts.tr("%Ln epoch(s)", "", count)


def batch_count(count: int) -> str:
    """``1 batch``, ``1,875 batches``."""
    return Counts.tr("%Ln batch(es)", "", count)


# -- paths --------------------------------------------------------------------------


def path_text(path: str | os.PathLike[str]) -> str:
    """A folder or file as the reader sees it: under the home folder as ``~/…``.

    Shorter, and the same on every machine (``~/.local/share/digitpad/data``);
    every field that takes a path expands ``~`` again.
    """
    full = Path(path)
    try:
        inside = full.relative_to(Path.home())
    except ValueError:
        return str(full)
    return str(Path("~") / inside) if inside.parts else "~"
