"""The user's own digits: one folder per digit, a PNG per sample, its strokes beside it.

    samples/<digit>/<id>.png    the drawing, 8-bit grayscale, light ink on dark, >= 112x112
    samples/<digit>/<id>.json   optional: strokes, pen width, canvas size, prediction, model...

This is torchvision's ``ImageFolder`` layout, so a user can browse, copy, or drop
in scanned digits with a file manager, and the folder name is the label (the
JSON never repeats it, so moving a file is relabelling it). All ten digit
folders are created up front: ``ImageFolder`` numbers classes by sorted folder
name, so a store holding only 3s and 7s would otherwise call the 3s class 0.

Every write is atomic (temp file + rename), a damaged or foreign file is skipped
with a warning and never blocks the rest, and deletion moves files to a trash
folder beside the store (not inside it: ``ImageFolder`` would take a hidden
``.trash`` for an eleventh class), so a delete can be undone.

Pure Python + numpy + Pillow: the GUI thread uses this before torch has loaded.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import secrets
import shutil
import time
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from model.errors import DataError, ImageError, OutputError
from model.files import atomic_writer
from model.images import read_digit_image
from model.messages import Message
from model.preprocess import has_ink, to_mnist
from model.strokes import Strokes, render_strokes

# What ImageFolder reads (torchvision.datasets.folder.IMG_EXTENSIONS), plus GIF.
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp", ".gif")
META_SUFFIX = ".json"
DIGITS = tuple(str(d) for d in range(10))
MIN_SIDE = 112  # the floor: 4x MNIST, enough to relabel by eye in a file manager
TRASH_DAYS = 30  # deleted samples older than this are purged for good
MAX_ZIP_ENTRY = 16 * 1024 * 1024  # bytes; a bigger "digit" in a zip is a zip bomb, not a sample
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,120}")
# "<digit>/<name>" with an optional top folder ("samples/3/x.png"), nothing else.
_ZIP_NAME = re.compile(r"(?:[^/]+/)?([0-9])/([^/]+)")


@dataclass(frozen=True, order=True)
class Sample:
    """One picture in the store; ``label`` is its folder, ``id`` its file stem."""

    label: int
    id: str
    path: Path = field(compare=False)

    @property
    def meta_path(self) -> Path:
        return self.path.with_suffix(META_SUFFIX)


@dataclass(frozen=True)
class Scan:
    """What a folder holds: the samples sorted by (label, id), and what was skipped and why."""

    samples: tuple[Sample, ...]
    warnings: tuple[str, ...] = ()
    problem: str | None = None  # the folder itself could not be read (why), not strict

    def counts(self) -> tuple[int, ...]:
        """Samples per digit, 0 to 9."""
        out = [0] * 10
        for s in self.samples:
            out[s.label] += 1
        return tuple(out)


@dataclass(frozen=True)
class LoadedSamples:
    """Samples as the network sees them: ``images`` (N, 28, 28) float32 in [0, 1], ink = 1."""

    images: np.ndarray
    labels: np.ndarray  # int64 (N,)
    samples: tuple[Sample, ...]
    warnings: tuple[str, ...] = ()
    # Each sample's strokes from the .json beside it; None for a scanned or copied
    # picture, or a damaged .json (the picture still counts). Empty: not read.
    strokes: tuple[Strokes | None, ...] = ()

    def strokes_of(self, index: Sequence[int] | np.ndarray) -> list[Strokes | None]:
        """The strokes of the samples at ``index`` (None for each when none were read)."""
        if not self.strokes:
            return [None] * len(index)
        return [self.strokes[int(i)] for i in index]

    def __len__(self) -> int:
        return len(self.labels)


@dataclass(frozen=True)
class TrashBatch:
    """One delete: where each sample went, so ``restore`` can put it back."""

    folder: Path
    moved: tuple[tuple[Sample, Path], ...]  # (the sample as it was, its image in the trash)


@dataclass(frozen=True)
class ImportResult:
    added: int
    duplicates: int
    warnings: tuple[str, ...] = ()


def new_id() -> str:
    """Sortable by time, unique without a lock: ``20261126-064632-123-a1b2c3``."""
    now = time.time()
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
    return f"{stamp}-{int(now * 1000) % 1000:03d}-{secrets.token_hex(3)}"


def render_sample(strokes: Strokes) -> np.ndarray:
    """Strokes -> the stored picture: uint8, square, >= ``MIN_SIDE``, light ink on dark.

    ``render_strokes`` is the one renderer (the pen is relative to the digit);
    the result is only padded to a centred square here, never resampled.
    """
    ink = render_strokes(strokes)
    h, w = ink.shape
    side = max(h, w, MIN_SIDE)
    out = np.zeros((side, side), dtype=np.uint8)
    top, left = (side - h) // 2, (side - w) // 2
    out[top : top + h, left : left + w] = np.round(ink * 255).astype(np.uint8)
    return out


def png_bytes(image: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(image, dtype=np.uint8), mode="L").save(buffer, format="PNG")
    return buffer.getvalue()


def _is_image(path: Path) -> bool:
    return path.suffix.lower() in IMAGE_SUFFIXES


def _move(source: Path, target: Path) -> None:
    """``os.replace``, or copy-and-delete across file systems (shutil.move does that)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(source, target)
    except OSError:
        shutil.move(source, target)


def _free_path(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/stem+suffix``, or a fresh id when that name is taken."""
    path = folder / f"{stem}{suffix}"
    while path.exists() or path.with_suffix(META_SUFFIX).exists():
        path = folder / f"{new_id()}{suffix}"
    return path


def skipped_note(warnings: Sequence[str]) -> str:
    """``; 3 files skipped, first: ...``, the end of a "no usable samples" error, or ""."""
    if not warnings:
        return ""
    if len(warnings) == 1:
        return Message("; 1 file skipped: {first}", first=warnings[0])
    return Message(
        "; {count} files skipped, first: {first}", count=len(warnings), first=warnings[0]
    )


def scan_folder(root: Path | str, *, strict: bool = False) -> Scan:
    """Every image under ``root/<digit>/``, sorted by (label, id); one listing, no decoding.

    Hidden files and the JSON beside an image are not samples. Anything else
    (a folder not named 0-9, a text file) is skipped with a warning; with
    ``strict`` (the CLI), a missing or unreadable folder, or a folder not named
    0-9, is a ``DataError`` instead; without it an unreadable folder is no
    samples and one warning. Decoding is left to ``load_images`` and the
    thumbnails, so 10,000 samples list in milliseconds.
    """
    root = Path(root).expanduser()
    warnings: list[str] = []
    samples: list[Sample] = []
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except FileNotFoundError:
        if strict:
            raise DataError("samples folder not found: {folder}", folder=root) from None
        return Scan(())
    except OSError as exc:  # a file where the folder should be, no permission...
        problem = DataError(
            "cannot read the samples folder {folder}: {error}",
            folder=root,
            error=exc.strerror or exc,
        )
        if strict:
            raise problem from None
        return Scan((), (problem.message,), problem.message)  # the GUI says so, carries on
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if not entry.is_dir():
            warnings.append(Message("skipped {path}: not in a digit folder", path=entry.path))
            continue
        if entry.name not in DIGITS:
            if strict:
                raise DataError("folder {path} is not named after a digit (0-9)", path=entry.path)
            warnings.append(
                Message("skipped folder {path} is not named after a digit (0-9)", path=entry.path)
            )
            continue
        label = int(entry.name)
        try:
            names = sorted(os.listdir(entry.path))
        except OSError as exc:
            warnings.append(
                Message("skipped {path}: {error}", path=entry.path, error=exc.strerror or exc)
            )
            continue
        for name in names:
            if name.startswith("."):
                continue
            path = Path(entry.path) / name
            if _is_image(path):
                samples.append(Sample(label, path.stem, path))
            elif path.suffix != META_SUFFIX:
                warnings.append(Message("skipped {path}: not an image", path=path))
    return Scan(tuple(samples), tuple(warnings))


def load_images(samples: Iterable[Sample]) -> LoadedSamples:
    """Decode and preprocess each sample exactly as ``digitpad predict`` reads a picture.

    ``read_digit_image`` then ``to_mnist`` (polarity detected), so a scanned digit
    the user dropped in works as well as one drawn in the app. A damaged or blank
    file is skipped with a warning.
    """
    images, labels, kept, warnings, drawn = [], [], [], [], []
    for sample in samples:
        try:
            picture = read_digit_image(sample.path)
        except ImageError as exc:
            warnings.append(Message("skipped: {error}", error=exc))
            continue
        if not has_ink(picture):
            warnings.append(Message("skipped {path}: no digit in it (blank)", path=sample.path))
            continue
        images.append(to_mnist(picture))
        labels.append(sample.label)
        kept.append(sample)
        drawn.append(sample_strokes(sample))
    stacked = np.stack(images) if images else np.zeros((0, 28, 28), dtype=np.float32)
    return LoadedSamples(
        stacked.astype(np.float32, copy=False),
        np.asarray(labels, dtype=np.int64),
        tuple(kept),
        tuple(warnings),
        tuple(drawn),
    )


def sample_strokes(sample: Sample) -> Strokes | None:
    """The strokes the sample was drawn with, from its .json; None if it has none that are sound."""
    from model.stroke_files import parse_drawing

    meta = read_meta(sample)
    if meta is None:
        return None
    try:
        strokes = parse_drawing(meta).strokes
    except ValueError:
        return None
    return strokes if any(strokes) else None


def read_meta(sample: Sample) -> dict[str, Any] | None:
    """The JSON beside a sample, or None when it is missing or damaged (it is optional)."""
    try:
        raw = json.loads(sample.meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return raw if isinstance(raw, dict) else None


class SampleStore:
    """The samples folder: add, delete (to the trash) and restore, relabel, zip in and out."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).expanduser()

    @property
    def trash(self) -> Path:
        """``<parent>/.<name>-trash``: beside the store, on the same file system."""
        return self.root.parent / f".{self.root.name}-trash"

    def folders(self) -> list[Path]:
        """The store's folder and its ten digit folders (what the My handwriting tab watches)."""
        return [self.root, *(self.root / digit for digit in DIGITS)]

    def ensure_layout(self) -> None:
        """Create the ten digit folders (so ImageFolder's class i is digit i).

        A file where a folder belongs is named, not left to the OS's "File exists".
        """
        for folder in self.folders():
            if folder.exists() and not folder.is_dir():
                raise OutputError(
                    "cannot save samples in {path}: it is a file, not a folder (move or rename it)",
                    path=folder,
                )
        for digit in DIGITS:
            (self.root / digit).mkdir(parents=True, exist_ok=True)

    def scan(self) -> Scan:
        return scan_folder(self.root)

    # -- adding -----------------------------------------------------------------------

    def add_image(
        self, image: np.ndarray, label: int, meta: dict[str, Any] | None = None
    ) -> Sample:
        """Store a uint8 picture under ``label``: the JSON first, the PNG last, each atomically.

        The PNG is the sample: a crash before it is written leaves at most an
        orphan JSON, which no scan counts.
        """
        if not 0 <= int(label) <= 9:
            raise DataError("a sample's label must be a digit 0-9, not {label!r}", label=label)
        self.ensure_layout()
        path = _free_path(self.root / str(int(label)), new_id(), ".png")
        if meta is not None:
            with atomic_writer(path.with_suffix(META_SUFFIX)) as f:
                f.write(json.dumps(meta, indent=1).encode())
        with atomic_writer(path) as f:
            f.write(png_bytes(image))
        return Sample(int(label), path.stem, path)

    def add_drawing(
        self,
        strokes: Sequence[Sequence[tuple[float, float]]],
        label: int,
        *,
        pen_width: float,
        canvas_size: int,
        prediction: int | None = None,
        confidence: float | None = None,
        model: str | None = None,
    ) -> Sample:
        """Store a canvas drawing (strokes normalised to 0..1 of the canvas side)."""
        clean = [[[float(x), float(y)] for x, y in stroke] for stroke in strokes if stroke]
        meta = {
            "strokes": clean,
            "pen_width": float(pen_width),
            "canvas_size": int(canvas_size),
            "prediction": prediction,
            "confidence": confidence,
            "model": model,
            "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        }
        return self.add_image(render_sample(clean), label, meta)

    # -- delete, restore, relabel -----------------------------------------------------

    def delete(self, samples: Iterable[Sample]) -> TrashBatch:
        """Move samples (and their JSON) into a new trash batch; ``restore`` undoes it."""
        folder = self.trash / new_id()
        moved = []
        for sample in samples:
            target = folder / str(sample.label) / sample.path.name
            _move(sample.path, target)
            if sample.meta_path.exists():
                _move(sample.meta_path, target.with_suffix(META_SUFFIX))
            moved.append((sample, target))
        return TrashBatch(folder, tuple(moved))

    def restore(self, batch: TrashBatch) -> list[Sample]:
        """Put a deleted batch back where it was (a fresh id if that name was taken since)."""
        restored = []
        for sample, trashed in batch.moved:
            if not trashed.exists():
                continue
            path = _free_path(sample.path.parent, sample.id, sample.path.suffix)
            meta = trashed.with_suffix(META_SUFFIX)
            if meta.exists():
                _move(meta, path.with_suffix(META_SUFFIX))
            _move(trashed, path)
            restored.append(Sample(sample.label, path.stem, path))
        shutil.rmtree(batch.folder, ignore_errors=True)
        return restored

    def purge_trash(self, older_than_days: float = TRASH_DAYS) -> int:
        """Delete trash batches older than ``older_than_days``; returns how many."""
        if not self.trash.is_dir():
            return 0
        limit = time.time() - older_than_days * 86400
        purged = 0
        for batch in self.trash.iterdir():
            try:
                if batch.stat().st_mtime < limit:
                    shutil.rmtree(batch)
                    purged += 1
            except OSError:
                continue
        return purged

    def relabel(self, samples: Iterable[Sample], label: int) -> list[tuple[Sample, Sample]]:
        """Move samples to ``label``'s folder; returns (before, after) pairs for an undo."""
        if not 0 <= int(label) <= 9:
            raise DataError("a sample's label must be a digit 0-9, not {label!r}", label=label)
        self.ensure_layout()
        folder = self.root / str(int(label))
        moves = []
        for sample in samples:
            if sample.label == label:
                continue
            path = _free_path(folder, sample.id, sample.path.suffix)
            if sample.meta_path.exists():
                _move(sample.meta_path, path.with_suffix(META_SUFFIX))
            _move(sample.path, path)
            moves.append((sample, Sample(int(label), path.stem, path)))
        return moves

    # -- zip --------------------------------------------------------------------------

    def export_zip(self, target: Path | str) -> int:
        """Write every sample (and its JSON) to a zip, atomically; returns the count."""
        scan = self.scan()
        with atomic_writer(Path(target).expanduser()) as f, zipfile.ZipFile(f, "w") as z:
            for sample in scan.samples:
                name = f"{sample.label}/{sample.path.name}"
                z.write(sample.path, name, compress_type=zipfile.ZIP_STORED)  # PNG is compressed
                if sample.meta_path.exists():
                    z.write(
                        sample.meta_path,
                        f"{sample.label}/{sample.meta_path.name}",
                        compress_type=zipfile.ZIP_DEFLATED,
                    )
        return len(scan.samples)

    def import_zip(self, source: Path | str) -> ImportResult:
        """Add every sample of a zip in this layout; identical ones already here are skipped.

        Each image is decoded before it is written (a damaged one is skipped with
        a warning); names are checked, so nothing is written outside the store.
        Files are renamed into place one by one (no fsync each: 10,000 fsyncs take
        minutes, and the zip itself is the backup until the import finishes).
        """
        source = Path(source).expanduser()
        try:
            archive = zipfile.ZipFile(source)
        except FileNotFoundError:
            raise DataError("file not found: {path}", path=source) from None
        except (zipfile.BadZipFile, OSError) as exc:
            raise DataError("{path} is not a zip file: {error}", path=source, error=exc) from None
        added = duplicates = 0
        warnings: list[str] = []
        with archive:
            infos = {i.filename: i for i in archive.infolist() if not i.is_dir()}
            images = []
            for name in infos:
                match = _ZIP_NAME.fullmatch(name)
                base = name.rsplit("/", 1)[-1]
                if base.startswith(".") or name.endswith(META_SUFFIX):
                    continue
                if match is None or not _is_image(Path(base)):
                    warnings.append(
                        Message("skipped {name}: not <digit>/<image> in the zip", name=name)
                    )
                    continue
                if _ID.fullmatch(Path(base).stem) is None:
                    warnings.append(Message("skipped {name}: unusable file name", name=name))
                    continue
                images.append((name, int(match.group(1)), base))
            if not images:
                raise DataError(
                    "{path} holds no samples (expected <digit>/<id>.png entries)", path=source
                )
            self.ensure_layout()
            for name, label, base in images:
                info = infos[name]
                if info.file_size > MAX_ZIP_ENTRY:
                    warnings.append(Message("skipped {name}: too large for a digit", name=name))
                    continue
                try:
                    data = archive.read(info)
                    with Image.open(io.BytesIO(data)) as img:
                        img.load()
                except Exception as exc:  # zlib, Pillow and zipfile raise many types
                    warnings.append(
                        Message(
                            "skipped {name}: damaged ({error})", name=name, error=type(exc).__name__
                        )
                    )
                    continue
                folder = self.root / str(label)
                existing = folder / base
                if existing.exists() and existing.read_bytes() == data:
                    duplicates += 1
                    continue
                path = _free_path(folder, Path(base).stem, Path(base).suffix.lower())
                meta_name = name[: -len(Path(base).suffix)] + META_SUFFIX
                if meta_name in infos and infos[meta_name].file_size <= MAX_ZIP_ENTRY:
                    try:
                        meta = json.loads(archive.read(infos[meta_name]))
                        if isinstance(meta, dict):
                            _write_quick(path.with_suffix(META_SUFFIX), json.dumps(meta).encode())
                    except Exception:
                        warnings.append(Message("skipped {name}: damaged", name=meta_name))
                _write_quick(path, data)
                added += 1
        return ImportResult(added, duplicates, tuple(warnings))


def _write_quick(path: Path, data: bytes) -> None:
    """Temp file + rename, without fsync: all or nothing, but not flushed to disk yet."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
