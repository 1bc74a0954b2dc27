"""MNIST through torchvision, decoded once into normalised tensors.

The tutorial's DataLoader turns every sample into a PIL image and back each
epoch; that per-sample work dominates an MLP's training time on a CPU. Here the
IDX files are decoded once (torchvision's ``.data`` / ``.targets``), normalised
once, and batches are slices of a fresh ``randperm`` each epoch.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path

import torch

from model.errors import DataMissingError
from model.events import DataProgress
from model.normalization import MEAN, STD

RAW_FILES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)


@dataclass(frozen=True)
class Split:
    """One split in memory: ``images`` normalised float32 (N, 28, 28), ``labels`` int64 (N,)."""

    images: torch.Tensor
    labels: torch.Tensor

    def __len__(self) -> int:
        return len(self.labels)

    def to(self, device: torch.device) -> Split:
        return Split(self.images.to(device), self.labels.to(device))


@dataclass(frozen=True)
class Mnist:
    train: Split
    test: Split
    root: Path


def normalize(images_uint8: torch.Tensor) -> torch.Tensor:
    """uint8 pixels -> the float input every network here was trained on."""
    # In place: three out-of-place steps would hold three copies (188 MB each for MNIST).
    return images_uint8.float().div_(255.0).sub_(MEAN).div_(STD)


def raw_folder(root: Path) -> Path:
    return Path(root) / "MNIST" / "raw"


def missing_files(root: Path) -> list[str]:
    folder = raw_folder(root)
    return [name for name in RAW_FILES if not (folder / name).is_file()]


def _missing_message(root: Path, reason: str) -> str:
    return (
        f"MNIST not found in {raw_folder(root)} ({reason}); expected the files "
        f"{', '.join(RAW_FILES)} there. Choose a data folder holding MNIST/raw/ "
        "(--data or DIGITPAD_DATA on the command line), or connect to the internet "
        "to download it."
    )


def _download(root: Path) -> Generator[DataProgress, None, None]:
    """torchvision's own download, one file at a time so a GUI can show progress."""
    # torchvision only here and in _decode: predicting and loading models never need it
    # (a CPU-only torch without a matching torchvision still reads digits).
    from torchvision.datasets import MNIST
    from torchvision.datasets.utils import download_and_extract_archive

    folder = raw_folder(root)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataMissingError(_missing_message(root, f"cannot create it: {exc}")) from None
    total = len(MNIST.resources)
    for done, (filename, md5) in enumerate(MNIST.resources):
        if (folder / Path(filename).stem).is_file():
            continue
        yield DataProgress(f"Downloading {filename}", done, total)
        errors = []
        for mirror in MNIST.mirrors:
            # Into a scratch folder, then one rename: a download killed half-way
            # must not leave a truncated file that later counts as present.
            with tempfile.TemporaryDirectory(prefix=".download-", dir=folder) as scratch:
                try:
                    download_and_extract_archive(
                        f"{mirror}{filename}", download_root=scratch, filename=filename, md5=md5
                    )
                    os.replace(Path(scratch) / Path(filename).stem, folder / Path(filename).stem)
                    break
                except Exception as exc:  # network errors come in many types
                    errors.append(str(exc))
        else:
            reason = f"download failed: {errors[-1] if errors else 'no mirror'}"
            raise DataMissingError(_missing_message(root, reason))
    yield DataProgress("Downloaded MNIST", total, total)


def _decode(root: Path, *, train: bool) -> Split:
    from torchvision.datasets import MNIST

    try:
        ds = MNIST(str(root), train=train, download=False)
    except Exception as exc:  # a truncated or foreign IDX file
        raise DataMissingError(_missing_message(root, f"unreadable: {exc}")) from None
    return Split(normalize(ds.data), ds.targets.long())


def load_test_split(root: Path | str) -> Split:
    """The 10,000 test images alone, for evaluation: no need to decode 60,000 more."""
    root = Path(root).expanduser()
    if missing_files(root):
        raise DataMissingError(_missing_message(root, "files missing"))
    return _decode(root, train=False)


def iter_load_mnist(
    root: Path | str, *, download: bool = True
) -> Generator[DataProgress, None, Mnist]:
    """Load both splits from ``root/MNIST/raw``, downloading first if allowed.

    Yields progress while it works and returns the data (``yield from`` gets it).
    A read-only folder works: nothing is written when the raw files are there.
    Raises ``DataMissingError`` naming the folder and the four expected files.
    """
    root = Path(root).expanduser()
    if missing_files(root):
        if not download:
            raise DataMissingError(_missing_message(root, "files missing"))
        yield from _download(root)
    splits = []
    for done, train in enumerate((True, False)):
        yield DataProgress("Decoding MNIST", done, 2)
        splits.append(_decode(root, train=train))
    yield DataProgress("Decoded MNIST", 2, 2)
    return Mnist(train=splits[0], test=splits[1], root=root)


def load_mnist(
    root: Path | str,
    *,
    download: bool = True,
    progress: Callable[[DataProgress], None] | None = None,
) -> Mnist:
    """``iter_load_mnist`` for callers that want a plain call."""
    steps = iter_load_mnist(root, download=download)
    while True:
        try:
            event = next(steps)
        except StopIteration as done:
            return done.value
        if progress:
            progress(event)
