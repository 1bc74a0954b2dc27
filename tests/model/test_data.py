"""MNIST loading: real IDX files, read-only folders, clear errors when missing."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
import torch

from model.data import RAW_FILES, load_mnist, raw_folder
from model.errors import DataError, DataMissingError


def test_subset_loads_normalised(test_data: Path) -> None:
    data = load_mnist(test_data, download=False)
    assert (len(data.train), len(data.test)) == (4000, 1000)
    assert data.train.images.shape == (4000, 28, 28)
    assert data.train.images.dtype == torch.float32
    assert data.train.labels.dtype == torch.int64
    assert sorted(data.train.labels.unique().tolist()) == list(range(10))
    # Normalised with MNIST's constants: the subset's mean and std come out near 0 and 1.
    assert abs(data.train.images.mean().item()) < 0.05
    assert abs(data.train.images.std().item() - 1) < 0.05


def _listing(root: Path) -> list[tuple[str, int]]:
    return sorted((str(p.relative_to(root)), p.stat().st_size) for p in root.rglob("*"))


def test_read_only_folder_works_and_is_not_written(test_data: Path, tmp_path: Path) -> None:
    root = tmp_path / "ro"
    shutil.copytree(test_data, root)
    for path in [root, *root.rglob("*")]:
        mode = path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
        os.chmod(path, mode)
    before = _listing(root)
    try:
        data = load_mnist(root, download=True)  # files present: nothing to download
        assert len(data.train) == 4000
        assert _listing(root) == before
    finally:
        for path in [root, *root.rglob("*")]:
            os.chmod(path, path.stat().st_mode | stat.S_IWUSR)


def test_missing_data_names_the_folder_and_the_four_files(tmp_path: Path) -> None:
    with pytest.raises(DataMissingError) as caught:
        load_mnist(tmp_path / "nowhere", download=False)
    message = str(caught.value)
    assert str(raw_folder(tmp_path / "nowhere")) in message
    for name in RAW_FILES:
        assert name in message


def test_truncated_idx_file_is_a_clear_error(test_data: Path, tmp_path: Path) -> None:
    root = tmp_path / "broken"
    shutil.copytree(test_data, root)
    images = raw_folder(root) / "train-images-idx3-ubyte"
    images.write_bytes(images.read_bytes()[:5000])
    with pytest.raises(DataError, match="truncated or padded: 5,000 bytes"):
        load_mnist(root, download=False)
