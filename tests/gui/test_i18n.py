"""The GUI in Chinese: every visible text of the main window is translated, the language
follows the system locale and the Language menu, numbers follow the locale."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QTableWidget,
    QTabWidget,
    QWidget,
)

from gui import i18n
from gui.main_window import MainWindow
from gui.settings import app_settings

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "assets" / "translations" / "digitpad_zh_CN.ts"

# Texts that are the same in every language: names of networks, optimizers, schedules,
# devices and data sets, the app's name, and each language named in itself.
ALLOWED = {
    "mlp",
    "cnn",
    "sgd",
    "adam",
    "constant",
    "onecycle",
    "auto",
    "cpu",
    "cuda",
    "mps",
    "MNIST",
    "UNIPEN",
    "digitpad",
    "English",
    "Ctrl",
}
LATIN = re.compile(r"[A-Za-z]")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    """The zh_CN translators installed as the app installs them; English again afterwards."""
    translators = i18n.install_language(qapp, i18n.CHINESE)
    assert translators, "the zh_CN translation did not load: run make translations"
    yield
    for translator in translators:
        qapp.removeTranslator(translator)
    qapp.setProperty(i18n.PROPERTY, i18n.ENGLISH)
    QLocale.setDefault(QLocale("en_US"))


def _plain(text: str) -> str:
    """Without markup, mnemonics and the words that stay as they are."""
    text = re.sub(r"<[^>]+>", " ", text).replace("&nbsp;", " ").replace("&", "")
    for word in ALLOWED:
        text = re.sub(rf"\b{re.escape(word)}\b", " ", text)
    return text


def _untranslated(text: str) -> bool:
    if text.startswith("/"):
        return False  # a file's path (the active model's tooltip)
    plain = _plain(text)
    return bool(LATIN.search(plain)) and not CJK.search(plain)


def _menu_texts(menu: QMenu, where: str) -> Iterator[tuple[str, str]]:
    yield where, menu.title()
    for action in menu.actions():
        if action.isSeparator():
            continue
        yield f"{where} > {action.text()}", action.text()
        yield f"{where} > {action.text()} (status tip)", action.statusTip()
        if action.menu() is not None:
            yield from _menu_texts(action.menu(), f"{where} > {action.text()}")


def visible_texts(window: MainWindow) -> Iterator[tuple[str, str]]:
    """(where, text) for every text of the window a user can read, shown now or later."""
    yield "window title", window.windowTitle()
    for action in window.menuBar().actions():
        if action.menu() is not None:
            yield from _menu_texts(action.menu(), action.text())
    for widget in window.findChildren(QWidget):
        name = widget.objectName() or type(widget).__name__
        if isinstance(widget, QMenu):
            continue  # menus: above, with their actions
        yield f"{name} (tooltip)", widget.toolTip()
        if isinstance(widget, QLabel | QAbstractButton):
            yield name, widget.text()
        elif isinstance(widget, QGroupBox):
            yield name, widget.title()
        elif isinstance(widget, QLineEdit | QPlainTextEdit):
            yield f"{name} (placeholder)", widget.placeholderText()
        elif isinstance(widget, QProgressBar):
            yield name, widget.format()
        elif isinstance(widget, QComboBox):
            for i in range(widget.count()):
                yield f"{name} item {i}", widget.itemText(i)
        elif isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                yield f"{name} tab {i}", widget.tabText(i)
        elif isinstance(widget, QTableWidget):
            for i in range(widget.columnCount()):
                header = widget.horizontalHeaderItem(i)
                yield f"{name} column {i}", header.text() if header else ""


def test_every_text_of_the_main_window_is_translated_to_chinese(chinese, open_window) -> None:
    window: MainWindow = open_window()
    assert window.tabs.tabText(0) == "绘图(&D)"
    texts = list(visible_texts(window))
    assert len(texts) > 100  # the walk really reached the tabs' widgets
    missing = sorted({f"{where}: {text!r}" for where, text in texts if _untranslated(text)})
    assert not missing, "untranslated in zh_CN:\n" + "\n".join(missing)


def test_numbers_and_percentages_follow_the_language(chinese, open_window) -> None:
    window: MainWindow = open_window()
    assert i18n.percent(0.917) == "91.7%"
    assert "测试准确率" in window.findChild(QLabel, "activeModelLabel").text()


def test_english_numbers_have_a_space_before_the_percent_sign() -> None:
    assert i18n.percent(0.917) == "91.7 %"
    assert i18n.integer(60000) == "60,000"


def test_the_core_s_fixed_progress_messages_exist_and_are_translated(chinese) -> None:
    """A message reworded in model/ would silently lose its translation: both must match."""
    core = "".join(p.read_text() for p in (ROOT / "model").glob("*.py"))
    for message in i18n.CORE_MESSAGES:
        assert f'"{message}"' in core, message
        assert CJK.search(i18n.core_text(message)), message


def test_the_core_s_verdicts_are_translated(chinese) -> None:
    from model import verdict

    for text in (verdict.DOT, verdict.LINE, verdict.SCRIBBLE, verdict.TOO_MUCH_INK):
        assert CJK.search(QCoreApplication.translate("DrawTab", text)), text


def test_the_ts_file_is_complete_and_keeps_every_placeholder() -> None:
    import xml.etree.ElementTree as ET

    unfinished, broken = [], []
    for message in ET.parse(TS).getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None or translation.get("type") in ("obsolete", "vanished"):
            continue
        if translation.get("type") == "unfinished" or not translation.text:
            unfinished.append(source)
        elif sorted(re.findall(r"\{\w*\}", source)) != sorted(
            re.findall(r"\{\w*\}", translation.text)
        ):
            broken.append(source)
        elif "&" in source.replace("&&", "") and "&" not in translation.text:
            broken.append(source)  # the Alt letter is kept: 绘图(&D)
    assert not unfinished, unfinished
    assert not broken, broken


def test_the_committed_qm_is_built_from_the_ts(tmp_path: Path) -> None:
    """``make`` rebuilds the .qm from the .ts; the committed one must match (pip install .)."""
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    if not lrelease.exists():
        pytest.skip("pyside6-lrelease is not installed beside this Python")
    built = tmp_path / "zh.qm"
    subprocess.run([str(lrelease), "-silent", str(TS), "-qm", str(built)], check=True)
    assert built.read_bytes() == TS.with_suffix(".qm").read_bytes(), "run: make translations"


def test_the_language_menu_remembers_the_choice_and_offers_a_restart(qtbot, open_window) -> None:
    window: MainWindow = open_window()
    menu = window.findChild(QMenu, "languageMenu")
    entries = {a.objectName(): a for a in menu.actions()}
    assert [a.text() for a in menu.actions()] == ["System default", "English", "简体中文"]
    assert entries["language_system"].isChecked()

    entries["language_zh_CN"].trigger()
    assert app_settings().get_str(i18n.SETTING, "") == "zh_CN"
    assert entries["language_zh_CN"].isChecked() and not entries["language_system"].isChecked()
    box = window.findChild(QMessageBox, "languageMessage")
    assert box is not None and box.isVisible()
    box.findChild(QAbstractButton, "laterButton").click()
    qtbot.waitUntil(lambda: not box.isVisible())

    entries["language_en"].trigger()  # the texts are English already: nothing to restart
    assert app_settings().get_str(i18n.SETTING, "") == "en"
    assert window.findChild(QMessageBox, "languageMessage") is None or not box.isVisible()


def test_the_system_locale_picks_the_language() -> None:
    assert i18n.resolve_language("system", QLocale("zh_CN")) == "zh_CN"
    assert i18n.resolve_language("system", QLocale("zh_TW")) == "zh_CN"
    assert i18n.resolve_language("system", QLocale("de_DE")) == "en"
    assert i18n.resolve_language("system", QLocale.c()) == "en"
    assert i18n.resolve_language("en", QLocale("zh_CN")) == "en"
    assert i18n.resolve_language("zh_CN", QLocale.c()) == "zh_CN"


STARTUP = """
import sys
from gui.app import create_app
from gui.main_window import MainWindow
app = create_app(["digitpad"])
window = MainWindow()
print(window.tabs.tabText(0), window.language_menu.title(), sep="|")
window.show()
window.coreReady.connect(window.request_quit)  # quits once the core thread is done
sys.exit(app.exec())
"""


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("zh_CN.UTF-8", "绘图(&D)|语言(&U)"), ("C", "&Draw|Lang&uage")],
)
def test_the_app_starts_in_the_language_of_lang(tmp_path: Path, lang: str, expected: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_") and k != "LANGUAGE"}
    env.update(
        LANG=lang,
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        PYTHONPATH=str(ROOT),
    )
    result = subprocess.run(
        [sys.executable, "-c", STARTUP], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


def test_the_chinese_shortcut_list_names_actions_without_their_alt_letters(
    chinese, open_window
) -> None:
    from gui.help import shortcuts_text

    text = shortcuts_text(open_window())
    assert "| 撤销笔画 |" in text and "| 模型另存为 |" in text
    assert not re.search(r"\([A-Z]\)", text), text
