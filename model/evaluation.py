"""Accuracy, per-class accuracy, confusion matrix and the misclassified images."""

from __future__ import annotations

import csv
import io
import math
import threading
import time
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from torch import nn

from model.data import Split
from model.events import EvaluationProgress
from model.files import atomic_writer
from model.progress_steps import result_of

if TYPE_CHECKING:
    from model.stroke_match import StrokeMemory
    from model.strokes import Strokes


@dataclass(frozen=True)
class Evaluation:
    accuracy: float  # a fraction 0..1
    per_class_accuracy: tuple[float, ...]  # 10 fractions; NaN for a class absent from the split
    confusion: tuple[tuple[int, ...], ...]  # confusion[true][predicted]
    misclassified: tuple[int, ...]  # indices into the split

    @property
    def size(self) -> int:
        return sum(map(sum, self.confusion))


@torch.inference_mode()
def predictions(network: nn.Module, images: torch.Tensor, batch_size: int = 2000) -> torch.Tensor:
    """Predicted digit for each normalised image, in eval mode."""
    was_training = network.training
    network.eval()
    try:
        return torch.cat(
            [
                network(images[i : i + batch_size]).argmax(1)
                for i in range(0, len(images), batch_size)
            ]
        )
    finally:
        network.train(was_training)


def evaluate(network: nn.Module, split: Split) -> Evaluation:
    return evaluation_of(predictions(network, split.images), split.labels)


def evaluation_of(predicted: torch.Tensor, labels: torch.Tensor) -> Evaluation:
    """The figures of given predictions (digits) against the true ``labels``."""
    predicted, truth = predicted.cpu(), labels.cpu()
    confusion = torch.bincount(truth * 10 + predicted, minlength=100).reshape(10, 10)
    totals = confusion.sum(1)
    correct = confusion.diagonal()
    per_class = tuple(
        (c / t).item() if t else float("nan") for c, t in zip(correct.double(), totals, strict=True)
    )
    return Evaluation(
        accuracy=correct.sum().item() / max(len(truth), 1),
        per_class_accuracy=per_class,
        confusion=tuple(tuple(row) for row in confusion.tolist()),
        misclassified=tuple((predicted != truth).nonzero().flatten().tolist()),
    )


# -- the full report: every image's prediction, for the Evaluate tab and the CLI's exports --

REPORT_BATCH = 500  # images per forward pass: a progress event and a stop check each


@dataclass(frozen=True, eq=False)
class Report:
    """One model on one data set, image by image.

    ``predicted`` (N,) and ``probabilities`` (N, 10) are in the data set's order;
    ``labels`` are the data set's. Numpy arrays, read-only: plain data that may
    cross threads. Everything else (matrix, per-class figures, confused pairs,
    a cell's images) is derived from them, so no two views can disagree.
    """

    model: str
    data: str
    labels: np.ndarray
    predicted: np.ndarray
    probabilities: np.ndarray
    seconds: float

    def __post_init__(self) -> None:
        for array in (self.labels, self.predicted, self.probabilities):
            array.flags.writeable = False

    @property
    def size(self) -> int:
        return len(self.labels)

    @property
    def confusion(self) -> np.ndarray:
        """(10, 10) int64 counts, ``confusion[true, predicted]``."""
        flat = np.bincount(self.labels * 10 + self.predicted, minlength=100)
        return flat.reshape(10, 10)

    @property
    def accuracy(self) -> float:
        return float((self.labels == self.predicted).mean()) if self.size else float("nan")

    @property
    def correct(self) -> np.ndarray:
        """(N,) bool: the images this model reads right."""
        return self.labels == self.predicted

    def per_class(self) -> list[ClassFigures]:
        """Accuracy (= recall), precision and counts of each digit; NaN where undefined."""
        m = self.confusion
        out = []
        for d in range(10):
            true_total, predicted_total, hits = int(m[d].sum()), int(m[:, d].sum()), int(m[d, d])
            out.append(
                ClassFigures(
                    digit=d,
                    count=true_total,
                    predicted=predicted_total,
                    correct=hits,
                    recall=hits / true_total if true_total else float("nan"),
                    precision=hits / predicted_total if predicted_total else float("nan"),
                )
            )
        return out

    def confused_pairs(self, n: int = 10) -> list[tuple[int, int, int]]:
        """The ``n`` largest off-diagonal cells as (true, predicted, count), largest first."""
        m = self.confusion
        cells = [(int(m[t, p]), t, p) for t in range(10) for p in range(10) if t != p and m[t, p]]
        cells.sort(key=lambda c: (-c[0], c[1], c[2]))
        return [(t, p, count) for count, t, p in cells[:n]]

    def cell(self, true: int, predicted: int) -> np.ndarray:
        """Indices (into the data set) of the images of digit ``true`` read as ``predicted``."""
        return np.flatnonzero((self.labels == true) & (self.predicted == predicted))

    def misclassified(self) -> np.ndarray:
        return np.flatnonzero(self.labels != self.predicted)


@dataclass(frozen=True)
class ClassFigures:
    digit: int
    count: int  # images of this digit
    predicted: int  # images read as this digit
    correct: int
    recall: float  # = per-class accuracy
    precision: float


@dataclass(frozen=True)
class Comparison:
    """Two reports on the same images: which ones each model alone gets right."""

    first: Report
    second: Report

    def __post_init__(self) -> None:
        if not np.array_equal(self.first.labels, self.second.labels):
            raise ValueError("a comparison needs both models evaluated on the same images")

    def only_first_right(self) -> np.ndarray:
        return np.flatnonzero(self.first.correct & ~self.second.correct)

    def only_second_right(self) -> np.ndarray:
        return np.flatnonzero(self.second.correct & ~self.first.correct)


def iter_report(
    network: nn.Module,
    images: np.ndarray,
    labels: np.ndarray,
    *,
    model: str = "",
    data: str = "",
    stop: threading.Event | None = None,
    batch_size: int = REPORT_BATCH,
    strokes: Sequence[Strokes | None] | None = None,
    memory: StrokeMemory | None = None,
) -> Generator[EvaluationProgress, None, Report | None]:
    """Run ``network`` over (N, 28, 28) [0, 1] ``images``; returns the report (None if stopped).

    The images are normalised a batch at a time with the constants training
    used, in eval mode, without gradients; a progress event follows each batch.
    With a personalized model's ``memory`` and each image's ``strokes``, the
    answers are the model's as the Draw tab gives them (``model.stroke_match``).
    """
    from model.normalization import MEAN, STD

    start = time.perf_counter()
    n = len(labels)
    probabilities = np.zeros((n, 10), dtype=np.float32)
    was_training = network.training
    network.eval()
    try:
        yield EvaluationProgress(model, 0, n)
        for i in range(0, n, batch_size):
            if stop is not None and stop.is_set():
                return None
            # A copy: the data set's arrays are read-only and shared with the views.
            x = torch.from_numpy(np.array(images[i : i + batch_size], dtype=np.float32))
            with torch.inference_mode():
                logits = network(x.sub_(MEAN).div_(STD))
                probabilities[i : i + batch_size] = torch.softmax(logits, 1).numpy()
            if memory is not None and strokes is not None:
                probabilities[i : i + batch_size] = memory.adjust(
                    probabilities[i : i + batch_size], strokes[i : i + batch_size]
                )
            yield EvaluationProgress(model, min(i + batch_size, n), n)
    finally:
        network.train(was_training)
    return Report(
        model=model,
        data=data,
        labels=np.asarray(labels, dtype=np.int64),
        predicted=probabilities.argmax(1).astype(np.int64),
        probabilities=probabilities,
        seconds=time.perf_counter() - start,
    )


def report(network: nn.Module, images: np.ndarray, labels: np.ndarray, **kwargs: Any) -> Report:
    """``iter_report`` for callers that want a plain call."""
    result = result_of(iter_report(network, images, labels, **kwargs))
    assert result is not None  # no stop flag, so never stopped
    return result


def _figure(x: float) -> str:
    return "" if math.isnan(x) else f"{x:.6f}"


def write_csv(result: Report, path: Path | str) -> Path:
    """The confusion matrix and the per-class figures as one CSV file, written atomically.

    Two tables one after the other (spreadsheets read that fine): rows of the
    matrix are true digits, columns predicted; then digit, images, correct,
    accuracy (recall) and precision. Fractions 0..1; empty where undefined.
    """
    buffer = io.StringIO()
    w = csv.writer(buffer, lineterminator="\n")
    w.writerow([f"# {result.model} on {result.data}: {result.size} images"])
    w.writerow(["true \\ predicted", *range(10)])
    for d, row in enumerate(result.confusion.tolist()):
        w.writerow([d, *row])
    w.writerow([])
    w.writerow(["digit", "images", "predicted as", "correct", "accuracy (recall)", "precision"])
    for f in result.per_class():
        w.writerow(
            [f.digit, f.count, f.predicted, f.correct, _figure(f.recall), _figure(f.precision)]
        )
    w.writerow(
        ["all", result.size, result.size, int(result.correct.sum()), _figure(result.accuracy), ""]
    )
    path = Path(path)
    with atomic_writer(path) as f:
        f.write(buffer.getvalue().encode("utf-8"))
    return path


def write_misclassified(result: Report, images: np.ndarray, folder: Path | str) -> list[Path]:
    """Each misclassified image as a 28x28 PNG, dark ink on white, into ``folder``.

    Named ``<index>-true<d>-pred<d>.png`` (index into the data set) so a file
    listing sorts by image and ``ls *-true4-pred9*`` finds one cell.
    """
    from PIL import Image

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    width = len(str(max(result.size - 1, 0)))
    for i in result.misclassified().tolist():
        pixels = np.clip(255.0 - images[i] * 255.0 + 0.5, 0, 255).astype(np.uint8)
        name = f"{i:0{width}d}-true{result.labels[i]}-pred{result.predicted[i]}.png"
        buffer = io.BytesIO()
        Image.fromarray(pixels, mode="L").save(buffer, format="PNG")
        with atomic_writer(folder / name) as f:
            f.write(buffer.getvalue())
        written.append(folder / name)
    return written
