"""``make screenshots`` takes the README's pictures from a run on the full MNIST only."""

from __future__ import annotations

from pathlib import Path

import pytest

from gui import i18n
from gui.screenshots import main, mnist_train_size


def test_the_tests_subset_is_refused_with_one_line(
    test_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert mnist_train_size(test_data) == 4000
    assert main([str(tmp_path / "shots"), "--data", str(test_data)]) == 2
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "4,000-image subset" in out
    assert not (tmp_path / "shots").exists()  # nothing was taken


def test_a_folder_without_mnist_is_refused(tmp_path: Path, capsys) -> None:
    assert main([str(tmp_path / "shots"), "--data", str(tmp_path)]) == 2
    assert "no MNIST" in capsys.readouterr().out


def test_paths_under_home_are_written_from_the_tilde(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    folder = tmp_path / ".local" / "share" / "digitpad" / "data"
    assert i18n.path_text(folder) == "~/.local/share/digitpad/data"
    assert i18n.path_text("/elsewhere/data") == "/elsewhere/data"
