"""Where MNIST's four IDX files are: a data folder, plain or gzipped, or the shipped part.

Path checks only, no torch: the GUI asks them on its own thread (which folder the
Evaluate tab will read) without importing the core's numerics.
"""

from __future__ import annotations

from pathlib import Path

from model.paths import shipped_mnist_dir

RAW_FILES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)


def raw_folder(root: Path) -> Path:
    return Path(root) / "MNIST" / "raw"


def stored_file(folder: Path, name: str) -> Path | None:
    """``name`` in ``folder`` as is, else gzip-compressed (``name.gz``: torchvision's
    download and the copy shipped in ``assets/mnist``), else None."""
    for candidate in (folder / name, folder / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    return None


def missing_files(root: Path) -> list[str]:
    folder = raw_folder(root)
    return [name for name in RAW_FILES if stored_file(folder, name) is None]


def find_root(root: Path | str) -> Path:
    """The data folder as torchvision wants it (holding ``MNIST/raw``), from the one chosen.

    People pick the folder that holds the four files (``…/MNIST/raw``) as often
    as the one above it: a folder named ``raw`` or ``MNIST`` whose parents hold
    the complete set counts as the data folder above them.
    """
    root = Path(root).expanduser()
    candidates = [root]
    if root.name == "MNIST":
        candidates.append(root.parent)
    if root.name == "raw" and root.parent.name == "MNIST":
        candidates.append(root.parent.parent)
    return next((c for c in candidates if not missing_files(c)), root)


def or_shipped_part(root: Path | str) -> Path:
    """``root`` when it holds MNIST, else the part that ships with digitpad, if that is there.

    That part (``model.paths.shipped_mnist_dir``) has MNIST's whole test set and
    6,000 training images: enough to evaluate on MNIST test and to personalize,
    offline and before any download. Training from scratch needs the full set.
    """
    root = Path(root).expanduser()
    shipped = shipped_mnist_dir()
    if missing_files(find_root(root)) and not missing_files(shipped):
        return shipped
    return root
