"""The settings file is untrusted input: nothing in it runs, nothing in it stops the app."""

from __future__ import annotations

import builtins
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMessageBox

from gui import MainWindow
from gui.settings import Settings, app_settings, settings_path
from model.paths import shipped_models_dir


class _Payload:
    """Unpickling this creates ``marker``: proof that code from the file ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (builtins.open, (str(self.marker), "w"))


def _pickled_variant(tmp_path: Path, marker: Path) -> str:
    """The text QSettings itself writes for a Python object: ``@Variant(...)``."""
    scratch = tmp_path / "scratch.ini"
    qt = QSettings(str(scratch), QSettings.Format.IniFormat)
    qt.setValue("seed", _Payload(marker))
    qt.sync()
    line = next(x for x in scratch.read_text().splitlines() if x.startswith("seed="))
    assert "PyObjectWrapper" in line
    return line.partition("=")[2]


def _start(qtbot) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.coreReady, timeout=60000):
        pass
    return window


def _dialog_text(window: MainWindow) -> str:
    boxes = [b for b in window.findChildren(QMessageBox, "errorDialog") if b.isVisible()]
    assert len(boxes) == 1, [b.text() for b in boxes]  # one message, not one per problem
    text = boxes[0].text()
    boxes[0].accept()
    return text


def test_a_pickled_object_in_the_settings_file_never_runs(qtbot, tmp_path: Path) -> None:
    marker = tmp_path / "code-ran"
    payload = _pickled_variant(tmp_path, marker)
    escaped = payload.replace("@", "\\x40", 1)  # what Qt's own unescaping turns back into @
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "[train]\n"
        f"seed={payload}\n"
        "epochs=3\n"
        f"batch_size={escaped}\n"
        "[models]\n"
        f"recent=a.pt, {payload}\n"
        "[window]\n"
        f"tab={payload}\n"
    )
    window = _start(qtbot)
    assert not marker.exists()
    assert window.train_tab.current_config().epochs == 3  # the plain values still count
    text = _dialog_text(window)
    assert "train/seed" in text and "serialized object" in text
    assert "Variant" not in path.read_text()  # repaired: the next launch is clean
    window.close()
    assert not marker.exists()


def test_out_of_range_settings_fall_back_to_defaults_and_are_repaired(qtbot) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "[train]\nseed=2147483648\nepochs=99999999999\nbatch_size=99999999999\nlr=nan\n"
        "momentum=inf\nnetwork=resnet\nmodel=mlp\ndevice=tpu\n"
        "[window]\ntab=99999999999999999999999\ngeometry=garbage\n"
        "[draw]\npenWidth=inf\n"
    )
    window = _start(qtbot)
    config = window.train_tab.current_config()
    assert (config.seed, config.epochs, config.batch_size) == (0, 10, 32)
    assert (config.lr, config.momentum, config.network) == (0.01, 0.9, "mlp")
    assert window.tabs.currentIndex() == 0
    text = _dialog_text(window)
    for key in ("train/seed", "train/epochs", "train/batch_size", "train/lr", "window/tab"):
        assert key in text
    assert window.model.path == shipped_models_dir() / "cnn.pt"
    repaired = Settings(path)
    assert repaired.problems == []
    assert not repaired.contains("train/seed") and not repaired.contains("draw/penWidth")
    window.close()

    again = _start(qtbot)  # the second launch has nothing to complain about
    assert not [b for b in again.findChildren(QMessageBox, "errorDialog") if b.isVisible()]
    again.close()


def test_values_round_trip_and_stay_readable_by_qt(tmp_path: Path) -> None:
    path = tmp_path / "digitpad.ini"
    ours = Settings(path)
    values = {
        "train/epochs": 7,
        "train/lr": 0.00123,
        "train/download": False,
        "train/data_dir": ' /data, "quoted" \\ =;#é ',
        "models/recent": ["/a,b.pt", "/c.pt"],
        "models/one": ["/only.pt"],
        "window/geometry": QByteArray(b"\x01\xd9\xd0\xcb\x00ab"),
        "draw/penWidth": 0.085,
        "plain": "@at the start",
    }
    for key, value in values.items():
        ours.setValue(key, value)
    again = Settings(path)
    assert again.problems == []
    assert again.get_int("train/epochs", 0, 1, 1000) == 7
    assert again.get_float("train/lr", 0.0, 0.0, 1.0) == pytest.approx(0.00123)
    assert again.get_bool("train/download", True) is False
    assert again.get_str("train/data_dir", "") == values["train/data_dir"]
    assert again.get_str_list("models/recent") == ["/a,b.pt", "/c.pt"]
    assert again.get_str_list("models/one") == ["/only.pt"]
    assert again.get_bytes("window/geometry") == values["window/geometry"]
    assert again.get_str("plain", "") == "@at the start"

    qt = QSettings(str(path), QSettings.Format.IniFormat)  # plain values only: safe here
    assert qt.value("train/epochs") == "7"
    assert qt.value("train/data_dir") == values["train/data_dir"]
    assert qt.value("models/recent") == ["/a,b.pt", "/c.pt"]
    assert qt.value("window/geometry") == values["window/geometry"]
    assert qt.value("plain") == "@at the start"


def test_a_file_written_by_qt_reads_the_same(tmp_path: Path) -> None:
    path = tmp_path / "qt.ini"
    qt = QSettings(str(path), QSettings.Format.IniFormat)
    qt.setValue("train/seed", 42)
    qt.setValue("train/data_dir", 'C:\\data, "x"\tü')
    qt.setValue("models/recent", ["/x.pt", "/y,z.pt", ""])
    qt.setValue("window/geometry", QByteArray(b"\x00\x01\x02abc\xff"))
    qt.setValue("top", True)
    qt.sync()
    ours = Settings(path)
    assert ours.get_int("train/seed", 0, 0, 100) == 42
    assert ours.get_str("train/data_dir", "") == 'C:\\data, "x"\tü'
    assert ours.value("models/recent") == ["/x.pt", "/y,z.pt", ""]
    assert ours.get_bytes("window/geometry") == QByteArray(b"\x00\x01\x02abc\xff")
    assert ours.get_bool("top", False) is True


def test_settings_objects_share_one_file() -> None:
    first, second = app_settings(), app_settings()
    first.setValue("a/x", 1)
    second.setValue("a/y", 2)  # must not lose a/x, which second never read
    assert app_settings().childKeys() == []
    third = app_settings()
    third.beginGroup("a")
    assert third.childKeys() == ["x", "y"]


def test_refuses_to_store_what_it_could_not_read_back() -> None:
    with pytest.raises(TypeError):
        app_settings().setValue("x", object())


def _forged_model(path: Path) -> Path:
    """A model file with a valid checksum (format 1) whose card says ``train_size=inf``."""
    import torch

    from model.checkpoints import FORMAT, weights_checksum
    from model.networks import build_network

    weights = build_network("mlp").state_dict()
    payload = {
        "format": FORMAT,
        "format_version": 1,
        "network": "mlp",
        "state_dict": weights,
        "checksum": weights_checksum(weights),
        "card": {"network": "mlp", "train_size": float("inf")},
    }
    torch.save(payload, path)
    return path


def test_a_forged_remembered_model_falls_back_to_the_shipped_one(qtbot, tmp_path: Path) -> None:
    forged = _forged_model(tmp_path / "forged.pt")
    app_settings().setValue("models/last", str(forged))
    app_settings().setValue("train/epochs", 99999999999)
    window = _start(qtbot)
    assert window.model.path == shipped_models_dir() / "cnn.pt"
    text = _dialog_text(window)
    assert str(forged) in text and "train/epochs" in text and "shipped model" in text
    assert app_settings().get_str("models/last", "") != str(forged)  # the next launch is clean
    window.close()


def test_opening_a_forged_model_shows_a_dialog(qtbot, tmp_path: Path) -> None:
    window = _start(qtbot)
    before = window.model
    assert not window.open_model(_forged_model(tmp_path / "forged.pt"))
    assert "model card is malformed" in _dialog_text(window)
    assert window.model is before
    window.close()
