"""Core rough edges a new user hit (issue 8): data folder, download failures, plain errors."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from model.checkpoints import load_model
from model.data import load_test_split
from model.errors import DataMissingError, ModelFileError
from model.mnist_files import RAW_FILES, raw_folder
from tests.model.test_checkpoints import _bad_files


def test_the_raw_folder_itself_is_accepted_as_the_data_folder(test_data: Path) -> None:
    for chosen in (raw_folder(test_data), raw_folder(test_data).parent, test_data):
        assert len(load_test_split(chosen)) == 1000, chosen


def test_missing_data_says_which_files_in_plain_words(tmp_path: Path) -> None:
    with pytest.raises(DataMissingError) as caught:
        load_test_split(tmp_path)
    message = str(caught.value)
    assert all(name in message for name in RAW_FILES)
    assert "MNIST/raw" in message and "--data" not in message  # no CLI hints in the GUI's text


def test_unreachable_server_is_said_in_words_and_leaves_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from torchvision.datasets import MNIST

    from model.data import load_mnist

    monkeypatch.setattr(MNIST, "mirrors", ["http://127.0.0.1:9/"])  # the discard port: refused
    root = tmp_path / "fresh"
    with pytest.raises(DataMissingError) as caught:
        load_mnist(root, download=True)
    message = str(caught.value)
    assert "could not be reached" in message and "online" in message
    assert "urlopen" not in message and "Errno" not in message
    assert not root.exists()


def test_model_file_errors_are_plain_sentences(trained_mlp: Path, tmp_path: Path) -> None:
    internals = re.compile(r"[A-Z][a-z]+Error|state_dict|Traceback|pop from|Errno")
    bad = _bad_files(trained_mlp, tmp_path)
    broken = tmp_path / "half.pt"
    shutil.copy(trained_mlp, broken)
    broken.write_bytes(broken.read_bytes()[:4000])
    for path in [*(p for p, _ in bad.values()), broken]:
        with pytest.raises(ModelFileError) as caught:
            load_model(path)
        words = str(caught.value).replace(str(path), "FILE")  # the file's own name aside
        assert not internals.search(words), words
