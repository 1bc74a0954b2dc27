"""The GUI in Chinese: every visible text of the main window is translated, the language
follows the system locale and the Language menu, numbers follow the locale."""

from __future__ import annotations

import os
import re
import string
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
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
TS_EN = ROOT / "assets" / "translations" / "digitpad_en.ts"  # the plural forms only

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


def test_every_core_template_is_listed_for_lupdate() -> None:
    """A message added or reworded in model/ must reach the .ts: run ``make lupdate``."""
    from gui.core_messages import CORE_MESSAGES
    from model.messages import templates

    found = set(templates())
    listed = set(CORE_MESSAGES)
    assert not found - listed, f"run make lupdate: new in model/: {sorted(found - listed)}"
    assert not listed - found, f"run make lupdate: gone from model/: {sorted(listed - found)}"


def _fields(text: str) -> list[tuple[str, str, str]]:
    """The ``{name!conversion:spec}`` fields of a format string, sorted."""
    parsed = string.Formatter().parse(text)
    return sorted((n, c or "", s or "") for _, n, s, c in parsed if n is not None)


def test_every_core_template_has_a_finished_chinese_translation_with_its_fields() -> None:
    """Read from the shipped .qm: what the app loads, not only what the .ts says."""
    from model.messages import CONTEXT, templates

    translator = QTranslator()
    assert translator.load(str(TS.with_suffix(".qm")))
    missing, broken = [], []
    for template in templates():
        translation = translator.translate(CONTEXT, template)
        if not translation:
            missing.append(template)
        elif _fields(translation) != _fields(template) or (
            LATIN.search(_plain(_without_fields(template))) and not CJK.search(translation)
        ):
            broken.append(template)
    assert not missing, f"no zh_CN translation: {missing}"
    assert not broken, f"fields changed or not Chinese: {broken}"


def _without_fields(template: str) -> str:
    return re.sub(r"\{[^{}]*\}", " ", template).replace("|", " ").replace("---", " ")


def test_a_core_error_reads_in_chinese_with_its_values(chinese, tmp_path: Path) -> None:
    from model.checkpoints import load_model
    from model.errors import ModelFileError

    damaged = tmp_path / "damaged.pt"
    damaged.write_bytes(b"not a model")
    with pytest.raises(ModelFileError) as caught:
        load_model(damaged)
    text = i18n.error_text(caught.value)
    assert text == f"{damaged} 不是可用的 digitpad 模型：文件已损坏或是其他格式"


def test_a_reason_inside_a_core_error_is_translated_too(chinese, tmp_path: Path) -> None:
    import gzip

    from model.errors import DataError
    from model.pen_digits import FILE_NAME, load_pen_digits

    with gzip.open(tmp_path / FILE_NAME, "wt", encoding="utf-8") as f:
        f.write('{"not": "a list"}')
    with pytest.raises(DataError) as caught:
        load_pen_digits(tmp_path)
    assert str(caught.value).endswith(": not a list of records")
    assert i18n.error_text(caught.value) == (
        f"无法从 {tmp_path / FILE_NAME} 读取真实笔迹数字：不是记录的列表"
    )


def test_core_numbers_follow_the_language(chinese) -> None:
    from model.messages import Message

    assert i18n.core_text(Message("Added {count:,} samples of yours", count=12345)) == (
        "已加入你的 12,345 个样本"
    )
    line = Message("- Test accuracy: {accuracy:.2%}", accuracy=0.98765)
    assert i18n.core_text(line) == "- 测试准确率：98.77%"


def test_core_messages_stay_english_in_english() -> None:
    from model.messages import Message

    line = Message("- Test accuracy: {accuracy:.2%}", accuracy=0.98765)
    assert i18n.core_text(line) == "- Test accuracy: 98.77 %"  # the GUI's own percent
    assert i18n.core_text(Message("Downloading {file}", file="t10k.gz")) == "Downloading t10k.gz"


def test_a_damaged_model_s_dialog_and_the_model_card_are_in_chinese(
    chinese, qtbot, open_window, tmp_path: Path
) -> None:
    window: MainWindow = open_window()
    damaged = tmp_path / "damaged.pt"
    damaged.write_bytes(b"")
    assert not window.open_model(damaged)
    box = window.findChild(QMessageBox, "errorDialog")
    assert box.text() == f"{damaged} 不是可用的 digitpad 模型：文件是空的"
    assert box.windowTitle() == QCoreApplication.translate("MainWindow", "Could not open the model")
    box.close()

    title = QCoreApplication.translate("MainWindow", "About the active &model")
    about = next(a for a in window.help_menu.actions() if a.text() == title)
    about.trigger()
    card = window.findChild(QDialog, "modelCardDialog")
    text = card.text.toMarkdown()
    assert "模型卡片：" in text
    assert "各数字的测试准确率" in text and "测试准确率：" in text
    card.close()


def _one_epoch_train_tab(qtbot, test_data: Path, batch_size: int):
    """A Train tab set for one epoch on the tests' MNIST subset."""
    from PySide6.QtWidgets import QSpinBox

    from gui.train_tab import TrainTab

    tab = TrainTab()
    qtbot.addWidget(tab)
    tab.resize(1000, 650)
    tab.findChild(QLineEdit, "dataFolderEdit").setText(str(test_data))
    tab.findChild(QSpinBox, "epochsSpin").setValue(1)
    tab.findChild(QSpinBox, "batchSizeSpin").setValue(batch_size)
    return tab


def test_a_run_s_device_line_and_its_errors_are_in_chinese(chinese, qtbot, test_data) -> None:
    tab = _one_epoch_train_tab(qtbot, test_data, batch_size=32)
    start = tab.findChild(QAbstractButton, "startButton")
    with qtbot.waitSignal(tab.modelTrained, timeout=120_000):
        start.click()
    qtbot.waitUntil(lambda: not tab.is_training, timeout=120_000)
    assert tab.findChild(QLabel, "deviceReason").text() == "在 cpu 上运行 · auto：这里唯一的设备"

    tab.set_devices(["auto", "cpu", "mps"])  # no Linux machine has Apple's mps
    tab.findChild(QComboBox, "deviceCombo").setCurrentText("mps")
    start.click()
    qtbot.waitUntil(lambda: not tab.is_training, timeout=120_000)
    assert "这台计算机上没有设备 'mps'" in tab.findChild(QLabel, "trainError").text()
    assert tab.shutdown(5000)


def test_the_core_s_verdicts_are_translated(chinese) -> None:
    from model import verdict

    for text in (verdict.DOT, verdict.LINE, verdict.SCRIBBLE, verdict.TOO_MUCH_INK):
        assert CJK.search(QCoreApplication.translate("DrawTab", text)), text


@pytest.mark.parametrize("ts", [TS, TS_EN], ids=["zh_CN", "en"])
def test_the_ts_file_is_complete_and_keeps_every_placeholder(ts: Path) -> None:
    import xml.etree.ElementTree as ET

    unfinished, broken = [], []
    for message in ET.parse(ts).getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None or translation.get("type") in ("obsolete", "vanished"):
            continue
        # A plural message has one text per plural form of the language: 1 in Chinese, 2 in English.
        forms = [f.text or "" for f in translation.iter("numerusform")]
        if message.get("numerus") == "yes":
            assert len(forms) == (1 if ts == TS else 2), source
            texts = forms
        else:
            texts = [translation.text or ""]
        if translation.get("type") == "unfinished" or not all(texts):
            unfinished.append(source)
        elif any(_fields(source) != _fields(text) for text in texts):
            broken.append(source)
        elif any("%Ln" in source and "%Ln" not in text for text in texts):
            broken.append(source)  # the count itself
        elif "&" in source.replace("&&", "") and "&" not in texts[0]:
            broken.append(source)  # the Alt letter is kept: 绘图(&D)
    assert not unfinished, unfinished
    assert not broken, broken


def test_the_english_ts_holds_every_plural_message_and_nothing_else() -> None:
    """``make lupdate`` extracts the plural forms only (``-pluralonly``): the rest is the source."""
    import xml.etree.ElementTree as ET

    def plural(ts: Path) -> list[bool]:
        return [m.get("numerus") == "yes" for m in ET.parse(ts).getroot().iter("message")]

    assert all(plural(TS_EN))
    assert len(plural(TS_EN)) == sum(plural(TS)) >= 4


@pytest.mark.parametrize("ts", [TS, TS_EN], ids=["zh_CN", "en"])
def test_the_committed_qm_is_built_from_the_ts(ts: Path, tmp_path: Path) -> None:
    """``make`` rebuilds the .qm from the .ts; the committed one must match (pip install .)."""
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    if not lrelease.exists():
        pytest.skip("pyside6-lrelease is not installed beside this Python")
    built = tmp_path / "built.qm"
    subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(built)], check=True)
    assert built.read_bytes() == ts.with_suffix(".qm").read_bytes(), "run: make translations"


COUNTS = {
    "en": {
        "one": "1 sample of your handwriting",
        "many": "1,024 samples of your handwriting · 1 file skipped",
        "saved": "Saved as 4 · 1 sample of yours",
        "counts": ["0 samples", "2 files", "1 image", "10 epochs", "1 batch"],
        "matrix": ["1 of 1 image read right", "968 of 1,000 images read right"],
    },
    "zh_CN": {
        "one": "你的手写：1 个样本",
        "many": "你的手写：1,024 个样本 · 跳过了 1 个文件",
        "saved": "已保存为 4 · 你的 1 个样本",
        "counts": ["0 个样本", "2 个文件", "1 张图像", "10 轮", "1 批"],
        "matrix": ["1 张图像中识别正确 1 张", "1,000 张图像中识别正确 968 张"],
    },
}


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_counts_take_each_language_s_plural_forms(
    request: pytest.FixtureRequest,
    qtbot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
) -> None:
    """One sample, many samples, a skipped file: as the My handwriting tab shows them."""
    import numpy as np

    from gui.evaluate.matrix import ConfusionMatrix
    from gui.label_buttons import saved_message
    from gui.samples.tab import SamplesTab
    from model.samples import SampleStore

    if language == i18n.CHINESE:
        request.getfixturevalue("chinese")
    expected = COUNTS[language]
    store = SampleStore(tmp_path / "samples")
    monkeypatch.setenv("DIGITPAD_SAMPLES", str(store.root))
    first = store.add_drawing([[(0.5, 0.2), (0.5, 0.8)]], 1, pen_width=0.085, canvas_size=360)
    tab = SamplesTab()
    qtbot.addWidget(tab)
    assert tab.summary.text() == expected["one"]

    for i in range(1023):
        (store.root / "1" / f"copy{i:04d}.png").write_bytes(first.path.read_bytes())
    (store.root / "2" / "notes.txt").write_text("not a sample")
    tab.refresh()
    assert tab.summary.text() == expected["many"]
    assert saved_message(4, None, 1) == expected["saved"]
    counts = [i18n.sample_count(0), i18n.file_count(2), i18n.image_count(1), i18n.epoch_count(10)]
    assert [*counts, i18n.batch_count(1)] == expected["counts"]

    matrix = ConfusionMatrix()  # what a screen reader says of an evaluation's heatmap
    qtbot.addWidget(matrix)
    described = []
    for diagonal, wrong in ((1, 0), (968, 32)):
        counts = np.zeros((10, 10), dtype=np.int64)
        counts[3, 3], counts[3, 5] = diagonal, wrong
        matrix.set_matrix(counts)
        described.append(matrix.accessibleDescription())
    assert described == expected["matrix"]


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


def test_open_recent_names_follow_a_language_change(qtbot, open_window, trained_mlp) -> None:
    """Names written by a Chinese launch are written again in English at the next one."""
    settings = app_settings()
    settings.setValue("models/recent", [str(trained_mlp)])
    settings.setValue("models/recent_labels", ["mlp-small · 90.00%"])
    settings.setValue("models/recent_labels_language", "zh_CN")
    window: MainWindow = open_window()
    names = [a.text() for a in window.recent_menu.actions()]
    assert any(n.startswith("mlp-small · ") and n.endswith(" %") for n in names), names
    assert app_settings().get_str("models/recent_labels_language", "") == "en"


def test_a_run_that_learned_too_little_says_so_in_chinese(chinese, qtbot, test_data) -> None:
    from PySide6.QtWidgets import QDoubleSpinBox

    tab = _one_epoch_train_tab(qtbot, test_data, batch_size=100)
    tab.findChild(QDoubleSpinBox, "lrSpin").setValue(0.002)  # about 40 %: its loss fell a little
    tab.findChild(QAbstractButton, "startButton").click()
    qtbot.waitUntil(
        lambda: tab.findChild(QMessageBox, "divergedMessage") is not None, timeout=120_000
    )
    qtbot.waitUntil(lambda: not tab.is_training, timeout=120_000)
    dialog = tab.findChild(QMessageBox, "divergedMessage")
    assert dialog.windowTitle() == "训练学得不够"
    assert dialog.text().startswith("训练学得不够：它的测试准确率是 ")
    assert "请训练更多轮" in dialog.text() and "发散" not in dialog.text()
    dialog.findChild(QAbstractButton, "discardDivergedButton").click()
    assert tab.shutdown(5000)
