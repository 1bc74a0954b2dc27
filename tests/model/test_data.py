"""MNIST loading: real IDX files, read-only folders, clear errors when missing."""

from __future__ import annotations

import gzip
import os
import shutil
import stat
from pathlib import Path

import pytest
import torch

from model.data import load_mnist, write_part
from model.errors import DataError, DataMissingError
from model.mnist_files import RAW_FILES, raw_folder
from model.paths import shipped_mnist_dir


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


def test_gzipped_files_read_as_the_raw_ones(test_data: Path, tmp_path: Path) -> None:
    """As torchvision downloads them, and as the part in assets/mnist ships."""
    root = tmp_path / "gz"
    raw_folder(root).mkdir(parents=True)
    for name in RAW_FILES:
        data = (raw_folder(test_data) / name).read_bytes()
        (raw_folder(root) / f"{name}.gz").write_bytes(gzip.compress(data))
    zipped, plain = load_mnist(root, download=False), load_mnist(test_data, download=False)
    assert torch.equal(zipped.train.images, plain.train.images)
    assert torch.equal(zipped.test.labels, plain.test.labels)
    labels = raw_folder(root) / "t10k-labels-idx1-ubyte.gz"
    labels.write_bytes(labels.read_bytes()[:40])  # cut short: a damaged download
    with pytest.raises(DataError, match=r"cannot read .*t10k-labels-idx1-ubyte\.gz"):
        load_mnist(root, download=False)


def test_the_shipped_part_holds_the_whole_test_set_and_600_of_each_digit() -> None:
    shipped = load_mnist(shipped_mnist_dir(), download=False)
    assert len(shipped.test) == 10_000
    assert shipped.train.labels.bincount().tolist() == [600] * 10


def test_the_part_is_written_byte_for_byte_again(test_data: Path, tmp_path: Path) -> None:
    write_part(test_data, tmp_path / "a", per_digit=20)
    write_part(test_data, tmp_path / "b", per_digit=20)
    for name in RAW_FILES:
        first = (raw_folder(tmp_path / "a") / f"{name}.gz").read_bytes()
        assert first == (raw_folder(tmp_path / "b") / f"{name}.gz").read_bytes(), name
    part, whole = load_mnist(tmp_path / "a", download=False), load_mnist(test_data, download=False)
    assert part.train.labels.bincount().tolist() == [20] * 10
    assert torch.equal(part.test.images, whole.test.images)
