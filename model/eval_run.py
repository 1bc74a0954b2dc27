"""One evaluation run as a generator of plain events: the Evaluate tab's long job.

Load (or reuse) a data set, then run one or two models over it, yielding
progress and checking the stop flag between batches; the GUI worker runs it in
its thread, a test runs it on the main thread. Two models make a comparison:
both see exactly the same images. Importing this module does not load torch
(the job does), so a view may use its names before the core has loaded.
"""

from __future__ import annotations

import threading
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from model.eval_sets import (
    SAMPLES_NAME,
    LabelledImages,
    LoadProgress,
    iter_pen_digit_set,
    iter_sample_set,
    mnist_test_set,
    not_a_test_note,
)
from model.events import EvaluationProgress
from model.messages import Message
from model.progress_steps import Stopped, until_stopped

if TYPE_CHECKING:  # torch loads in the job, not when a view imports these names
    from torch import nn

    from model.checkpoints import ModelCard
    from model.evaluation import Report
    from model.stroke_match import StrokeMemory

DataKind = Literal["mnist", "pen", "samples"]


@dataclass(frozen=True)
class DataChoice:
    """Which data set to load: ``kind`` and the folder holding it."""

    kind: DataKind
    folder: str


@dataclass(frozen=True)
class ModelChoice:
    """A model to evaluate: a file, loaded fresh in the job, or a network already in memory.

    ``network`` is used read-only (inference in eval mode), so the Draw tab may
    keep predicting with the same object meanwhile.
    """

    title: str
    path: str | None = None
    network: nn.Module | None = None
    card: ModelCard | None = None  # with ``network``: what it was trained on
    memory: StrokeMemory | None = None  # with ``network``: a personalized model's drawings


@dataclass(frozen=True, eq=False)
class DataReady:
    data: LabelledImages


@dataclass(frozen=True, eq=False)
class DataHeldOut:
    """The pen digits actually scored: those of the collections no model here trained on."""

    data: LabelledImages
    trained_on: tuple[str, ...]
    model: str  # the model that trained on them (the first one, in a comparison)


@dataclass(frozen=True, eq=False)
class ReportReady:
    slot: int  # 0: the model, 1: the one it is compared with
    report: Report
    note: str | None = None  # why the figure is no test (own samples), or what was held out


RunEvent = LoadProgress | DataReady | DataHeldOut | EvaluationProgress | ReportReady


def load_data(choice: DataChoice) -> Generator[LoadProgress, None, LabelledImages]:
    if choice.kind == "pen":
        return (yield from iter_pen_digit_set(choice.folder))
    if choice.kind == "samples":
        return (yield from iter_sample_set(choice.folder))
    yield LoadProgress("Reading MNIST test", 0, 1)
    return mnist_test_set(choice.folder)


def _load(choice: ModelChoice) -> tuple[nn.Module, ModelCard | None, StrokeMemory | None]:
    """The network, its card (None for a network given without one) and its memory."""
    if choice.network is not None:
        return choice.network, choice.card, choice.memory
    from model.checkpoints import load_model

    assert choice.path is not None
    loaded = load_model(Path(choice.path))
    return loaded.network, loaded.card, loaded.memory


def _held_out(
    data: LabelledImages, models: Sequence[ModelChoice], cards: Sequence[ModelCard | None]
) -> Generator[DataHeldOut, None, tuple[LabelledImages, Message | None]]:
    """Pen digits without those any of the models trained on, for all of them alike,
    and the note that says so.

    A compared model sees the very same digits. The cached set stays whole: the
    next model may not have trained on any.
    """
    from model.pen_training import collections_trained_on

    for choice, card in zip(models, cards, strict=True):
        trained = collections_trained_on(card)
        if trained and data.collections is not None:
            held_out = data.without(trained)
            yield DataHeldOut(held_out, trained, choice.title)
            return held_out, Message(
                "Only the {count:,} pen digits of the collections {model} did not train on: "
                "it learned from those of {collections}, so they are no test of it.",
                count=len(held_out),
                model=choice.title,
                collections=", ".join(trained),
            )
    return data, None


def run_evaluation(
    models: Sequence[ModelChoice],
    data: DataChoice | LabelledImages,
    stop: threading.Event | None = None,
) -> Generator[RunEvent, None, None]:
    """Yield ``DataReady`` (unless ``data`` was given loaded), then ``ReportReady`` per model.

    Stops quietly between batches once ``stop`` is set; raises ``DigitpadError``
    subclasses for missing data or bad model files, before any long work.
    """
    from model.evaluation import iter_report

    stop = stop or threading.Event()
    loaded = [_load(m) for m in models]  # a bad file fails before the data loads
    if isinstance(data, DataChoice):
        data = yield from until_stopped(
            load_data(data), stop
        )  # Cancel works while pen digits render, too
        if isinstance(data, Stopped):
            return
        yield DataReady(data)
    data, scope = yield from _held_out(data, models, [card for _, card, _ in loaded])
    for slot, (choice, (network, card, memory)) in enumerate(zip(models, loaded, strict=True)):
        # Drawings are read as the Draw tab reads them: a personalized model's memory
        # of its user's drawings counts where the data has strokes (model/stroke_match.py).
        result = yield from iter_report(
            network,
            data.images,
            data.labels,
            model=choice.title,
            data=data.name,
            stop=stop,
            strokes=data.strokes,
            memory=memory,
        )
        if result is None:
            return
        mine = data.name == SAMPLES_NAME and card is not None
        yield ReportReady(slot, result, not_a_test_note(choice.title, card) if mine else scope)
