"""MNIST's IDX files, decoded once into normalised tensors and checked on the way.

The tutorial's DataLoader turns every sample into a PIL image and back each
epoch; that per-sample work dominates an MLP's training time on a CPU. Here the
IDX files are decoded once, normalised once, and batches are slices of a fresh
``randperm`` each epoch. Each file is checked against its own header (magic
number, sizes, length), and images against labels (counts, 28x28, digits 0..9),
so a damaged copy is refused before training, not after an epoch.
"""

from __future__ import annotations

import contextlib
import gzip
import math
import os
import struct
import tempfile
import zlib
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from model.errors import DataError, DataMissingError
from model.events import DataProgress
from model.files import atomic_writer
from model.messages import Message
from model.mnist_files import RAW_FILES, find_root, missing_files, raw_folder, stored_file
from model.normalization import MEAN, STD


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


def _missing_message(root: Path, reason: str) -> Message:
    """Said in the GUI and the CLI alike: no command-line options in it (the CLI adds those)."""
    return Message(
        "MNIST not found in {folder} ({reason}). digitpad needs the four files "
        "{files} in a folder MNIST/raw inside the data folder (choosing "
        "that raw folder itself works too), or an internet connection to download them.",
        folder=raw_folder(root),
        reason=reason,
        files=", ".join(RAW_FILES),
    )


def _download_problem(exc: BaseException) -> Message:
    """A download failure in words a user can act on (not ``<urlopen error [Errno -2] …>``)."""
    import urllib.error

    if isinstance(exc, urllib.error.HTTPError):
        return Message("the server answered {code} {reason}", code=exc.code, reason=exc.reason)
    if isinstance(exc, urllib.error.URLError | TimeoutError | ConnectionError):
        return Message("the download server could not be reached; is this computer online?")
    if isinstance(exc, OSError):
        return Message("the file could not be written ({error})", error=exc.strerror or exc)
    if "corrupt" in str(exc).lower() or "md5" in str(exc).lower():
        return Message("the downloaded file was damaged")
    return Message("the download did not complete")


def _download(root: Path) -> Generator[DataProgress, None, None]:
    """torchvision's own download, one file at a time so a GUI can show progress."""
    # torchvision only here: predicting and loading models never need it
    # (a CPU-only torch without a matching torchvision still reads digits).
    from torchvision.datasets import MNIST
    from torchvision.datasets.utils import download_and_extract_archive

    folder = raw_folder(root)
    created = [p for p in (root, root / "MNIST", folder) if not p.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        why = Message("cannot create it: {error}", error=exc.strerror or exc)
        raise DataMissingError(_missing_message(root, why)) from None
    total = len(MNIST.resources)
    for done, (filename, md5) in enumerate(MNIST.resources):
        if (folder / Path(filename).stem).is_file():
            continue
        yield DataProgress(Message("Downloading {file}", file=filename), done, total)
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
                    errors.append(_download_problem(exc))
        else:
            for path in reversed(created):  # leave no empty MNIST/raw behind
                with contextlib.suppress(OSError):
                    path.rmdir()
            reason = Message(
                "download failed: {why}", why=errors[-1] if errors else Message("no mirror")
            )
            raise DataMissingError(_missing_message(root, reason))
    yield DataProgress("Downloaded MNIST", total, total)


def _read_idx(path: Path, kind: str, dims: int) -> torch.Tensor:
    """One IDX file, checked against its own header: magic number, sizes, length.

    torchvision's reader asserts (an empty message for a bad magic number) and
    accepts a file longer than its header says; a user deserves the reason.
    """
    try:
        if path.suffix == ".gz":
            data = np.frombuffer(bytearray(gzip.decompress(path.read_bytes())), np.uint8)
        else:
            # Read into a buffer torch can take as is: copying 47 MB into a bytearray
            # held the GIL for 20-40 ms, a stall of the window when the GUI trains.
            with path.open("rb") as file:
                data = np.empty(os.fstat(file.fileno()).st_size, dtype=np.uint8)
                if file.readinto(memoryview(data)) != len(data):
                    raise OSError(0, "the file changed while it was read")
    except (OSError, EOFError, zlib.error) as exc:
        raise DataError(
            "cannot read {path}: {error}", path=path, error=getattr(exc, "strerror", None) or exc
        ) from None
    header = 4 + 4 * dims
    if len(data) < header:
        raise DataError(
            "{path} is not an MNIST {kind} file: {size} bytes, too short",
            path=path,
            kind=kind,
            size=len(data),
        )
    if bytes(data[:2]) != b"\0\0" or data[2] != 0x08 or data[3] != dims:
        raise DataError(
            "{path} is not an MNIST {kind} file: magic number {magic}, expected {expected}",
            path=path,
            kind=kind,
            magic=bytes(data[:4]).hex(),
            expected=f"0000080{dims}",
        )
    shape = struct.unpack(f">{dims}I", data[4:header].tobytes())
    expected = header + math.prod(shape)
    if len(data) != expected:
        raise DataError(
            "{path} is truncated or padded: {size:,} bytes, its header {shape} needs {expected:,}",
            path=path,
            size=len(data),
            shape="x".join(map(str, shape)),
            expected=expected,
        )
    return torch.from_numpy(data[header:]).reshape(shape)


def _decode(root: Path, *, train: bool) -> Split:
    images, labels = read_raw_split(root, train=train)
    return Split(normalize(images), labels.long())


def _raw_path(folder: Path, name: str) -> Path:
    return stored_file(folder, name) or folder / name


def read_raw_split(root: Path, *, train: bool) -> tuple[torch.Tensor, torch.Tensor]:
    """One split as stored: uint8 images (N, 28, 28) and uint8 labels (N,), checked.

    Raises ``DataError`` naming the file and what is wrong with it.
    """
    prefix = "train" if train else "t10k"
    folder = raw_folder(root)
    images = _read_idx(_raw_path(folder, f"{prefix}-images-idx3-ubyte"), Message("images"), 3)
    labels = _read_idx(_raw_path(folder, f"{prefix}-labels-idx1-ubyte"), Message("labels"), 1)
    if images.shape[1:] != (28, 28):
        size = "x".join(map(str, images.shape[1:]))
        raise DataError(
            "{path} holds {size} images, not 28x28",
            path=f"{folder}/{prefix}-images-idx3-ubyte",
            size=size,
        )
    if len(images) != len(labels):
        raise DataError(
            "{folder}: {split} images and labels do not match ({images:,} images, {labels:,} labels)",
            folder=folder,
            split=prefix,
            images=len(images),
            labels=len(labels),
        )
    if len(labels) == 0:
        raise DataError("{path} holds no images", path=f"{folder}/{prefix}-labels-idx1-ubyte")
    if int(labels.max()) > 9:
        raise DataError(
            "{path} holds the label {label}; digits are 0..9",
            path=f"{folder}/{prefix}-labels-idx1-ubyte",
            label=int(labels.max()),
        )
    return images, labels


PART_PER_DIGIT = 600  # training images of each digit in the shipped part (model.paths)


def write_part(source: Path | str, dest: Path | str, per_digit: int = PART_PER_DIGIT) -> None:
    """Write the part of MNIST that ships (``model.paths.shipped_mnist_dir``), byte for byte.

    The whole test set and ``per_digit`` training images of each digit, drawn with
    seed 0 and kept in MNIST's order; gzip-compressed with no timestamp, so the
    same source gives the same files (``make mnist-part``).
    """
    source, folder = find_root(source), raw_folder(Path(dest))
    images, labels = read_raw_split(source, train=True)
    rng = np.random.default_rng(0)
    chosen = [
        rng.choice(np.flatnonzero(labels.numpy() == d), per_digit, replace=False) for d in range(10)
    ]
    keep = torch.from_numpy(np.sort(np.concatenate(chosen)))
    test_images, test_labels = read_raw_split(source, train=False)
    folder.mkdir(parents=True, exist_ok=True)
    for name, array, magic in (
        ("train-images-idx3-ubyte", images[keep], 2051),
        ("train-labels-idx1-ubyte", labels[keep], 2049),
        ("t10k-images-idx3-ubyte", test_images, 2051),
        ("t10k-labels-idx1-ubyte", test_labels, 2049),
    ):
        header = struct.pack(f">{array.dim() + 1}i", magic, *array.shape)
        data = gzip.compress(header + array.numpy().tobytes(), compresslevel=9, mtime=0)
        with atomic_writer(folder / f"{name}.gz") as file:
            file.write(data)


def load_test_split(root: Path | str) -> Split:
    """The 10,000 test images alone, for evaluation: no need to decode 60,000 more."""
    root = find_root(root)
    if missing_files(root):
        raise DataMissingError(_missing_message(root, Message("files missing")))
    return _decode(root, train=False)


def iter_load_mnist(
    root: Path | str, *, download: bool = True
) -> Generator[DataProgress, None, Mnist]:
    """Load both splits from ``root/MNIST/raw``, downloading first if allowed.

    Yields progress while it works and returns the data (``yield from`` gets it).
    A read-only folder works: nothing is written when the raw files are there.
    Raises ``DataMissingError`` naming the folder and the four expected files.
    """
    root = find_root(root)
    if missing_files(root):
        if not download:
            raise DataMissingError(_missing_message(root, Message("files missing")))
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
