"""Personalize: fine-tune a model on the user's own digits, and measure the gain honestly.

The user's samples (``model.samples``) are few, so the fine-tune mixes each
batch of them with replayed MNIST images (it must not forget MNIST) and
distorts both with the training augmentation (``model.augment``), starting from
the active model with a small learning rate. Batch-norm statistics stay frozen:
the user's digits are a quarter of each batch, not the world. For a cnn only
the layers after the convolutions learn, over features computed once for the
whole call (``model.head_tuning``): seconds instead of a minute on two cores.

The figures are honest by construction:

- *before* is the base model on every sample and on MNIST's test set;
- *after*, on the samples, is k-fold cross-validation: each sample is scored
  by a model fine-tuned on the other folds only, never on itself;
- *after*, on MNIST, is the final model (fine-tuned on all samples) on the test
  set, which no fine-tune ever sees.

The final model is saved (atomically, with both figures in its card) only when
the run was not stopped; the caller activates it only if it is not worse on
either figure (``Outcome.not_worse``). Like ``model.training.train``, this is a
generator of plain events, run as is by the CLI, the tests and the GUI worker.
"""

from __future__ import annotations

import copy
import math
import threading
import time
from collections.abc import Generator, Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from model.checkpoints import LoadedModel, ModelCard, load_model, save_model
from model.data import Mnist, Split, iter_load_mnist
from model.errors import ConfigError, DataError, DigitpadError
from model.evaluation import Evaluation, evaluate, evaluation_of, predictions
from model.events import DataProgress, Paused, Resumed
from model.graph_adam import GraphAdam
from model.head_tuning import (
    FeaturePool,
    build_pool,
    classifier_loss,
    classify,
    conv_members,
    features_of,
)
from model.library import is_shipped
from model.messages import Message
from model.mnist_files import or_shipped_part
from model.paths import default_data_dir, models_dir, shipped_models_dir
from model.preprocess import normalize
from model.progress_steps import Stopped, result_of, until_stopped
from model.samples import LoadedSamples
from model.schedule import ADAM_BETA2
from model.stroke_match import StrokeMemory

# A personalized model may lose this much MNIST test accuracy and still count as
# "not worse": the bound of issue 7's benchmark (bench/personalize.py). Before and
# after are scored on the same 10,000 images, so a drop is not sampling noise: it is
# the price of reading the user's digits (7 flagged ones and 5 sevens taught in the
# app cost 0.17 points, 16 of MNIST's sevens read as ones), and the tab shows both.
MNIST_TOLERANCE = 0.003
REMEMBERED_PER_DIGIT = 200  # drawings a personalized model keeps of each digit
SCORE_CHUNK = 256  # held-out samples read between checks of Stop
TUNE_CHOICES = ("classifier", "all")
ADAM_BETA1 = 0.9  # torch.optim.Adam's default, which personalize always used


@dataclass(frozen=True)
class PersonalizeConfig:
    """The fine-tune's recipe. ``epochs`` are passes over the user's samples."""

    epochs: int | None = None  # None: enough passes for ``min_steps`` steps (at least 2)
    seed: int = 0
    folds: int = 5  # cross-validation folds for the "after" figure on the samples
    user_batch: int = 16
    # MNIST images per step, so the model does not forget them. 16 (half of the loss
    # instead of three quarters) was tried on the 60 people of bench/personalize.py
    # (before it left out the 29 the shipped cnn trained on), k=2, lr 1e-3, three
    # seeds: their error x0.58 against x0.62, within the seeds' spread (x0.47-0.76),
    # for 0.13 points of MNIST lost against 0.08. The mlp, tuned whole, lost 1.14
    # points at 16 (20 people) for the same gain.
    replay_batch: int = 48
    # Adam. The gain on the user's unseen digits hardly moves between 2.5e-4 and 1e-3,
    # what it costs does (bench/personalize.py, the 31 people the shipped cnn never
    # trained on, k=2, six seeds, up to 60 passes): x0.65 at 1e-3, x0.66 at 5e-4, x0.67
    # at 2.5e-4, x0.71 at 1.25e-4, for 0.085, 0.05, 0.03, 0.02 points of MNIST lost.
    # Teaching only the digits it misread (--corrections, three seeds), 1e-3 broke more
    # of a person's other digits: x0.85 against x0.60 at 2.5e-4.
    lr: float = 2.5e-4
    min_steps: int = 150
    # So that one or two samples get ``min_steps`` steps too: at 60 passes (60 steps)
    # they were still pulling the model away from MNIST when the fine-tune ended
    # (--corrections at 2.5e-4, seeds 0 and 1: 0.74 and 0.68 points lost at worst with
    # 150, 1.14 and 0.88 with 60, the same gain). k=2 at 150: x0.66, 0.03 points.
    max_auto_epochs: int = 150
    augment: bool = True
    distill: bool = True  # replay matches the base model's probabilities, not the labels
    # "classifier": the convolutional features stay as trained, only the layers after
    # them learn, over features computed once (model/head_tuning.py); "all": every
    # weight learns (always so for networks without convolutions, the mlp).
    tune: str = "classifier"
    # "classifier": augmented copies of each sample in the pool, at most ``copies`` and
    # ``sample_pool`` images in all (features of 8,192 images: about 100 MB for the cnn).
    # More copies, more varied distortions: on the ten people the shipped cnn misreads
    # most (bench/personalize.py --hardest, k=2) 16 copies cut their error x0.72, 128
    # x0.53, 256 x0.44; twice the steps instead did nothing (x0.57).
    copies: int = 256
    sample_pool: int = 8192
    replay_pool: int = 4096  # "classifier": augmented MNIST images in the pool
    data_dir: str | None = None  # MNIST; None: DIGITPAD_DATA or the user data folder
    download: bool = True

    def __post_init__(self) -> None:
        checks = [
            (self.epochs is None or 1 <= self.epochs <= 1000, Message("epochs must be 1..1000")),
            (2 <= self.folds <= 20, Message("folds must be 2..20")),
            (
                self.user_batch >= 1 and self.replay_batch >= 0,
                Message("batch sizes must be positive"),
            ),
            (math.isfinite(self.lr) and self.lr > 0, Message("learning rate must be > 0")),
            (
                self.tune in TUNE_CHOICES,
                Message("tune must be one of {choices}", choices=", ".join(TUNE_CHOICES)),
            ),
            (1 <= self.copies <= 1024, Message("copies must be 1..1024")),
            (
                1 <= self.sample_pool <= 1_000_000 and 0 <= self.replay_pool <= 100_000,
                Message("bad pool size"),
            ),
        ]
        for ok, message in checks:
            if not ok:
                raise ConfigError(message)

    def copies_for(self, samples: int) -> int:
        """Augmented copies of each of ``samples`` in the feature pool."""
        return max(1, min(self.copies, self.sample_pool // max(samples, 1)))

    def epochs_for(self, samples: int) -> int:
        if self.epochs is not None:
            return self.epochs
        batches = math.ceil(samples / self.user_batch)
        return max(2, min(self.max_auto_epochs, math.ceil(self.min_steps / batches)))


@dataclass(frozen=True)
class Scores:
    """Accuracy on the user's samples and on MNIST's test set, as fractions."""

    samples_accuracy: float
    mnist_accuracy: float


@dataclass(frozen=True)
class PersonalizeStarted:
    samples: int
    folds: int  # 0 when there are too few samples to hold any out
    runs: int  # fine-tunes in all: one per fold, then the final one
    total_steps: int
    before: Scores


@dataclass(frozen=True)
class PersonalizeProgress:
    stage: str  # "fold 2 of 5" or "final model"
    run: int  # 1-based
    runs: int
    step: int  # over all runs
    total_steps: int
    elapsed_seconds: float
    eta_seconds: float


@dataclass(frozen=True)
class PersonalizeFinished:
    """The last event. A stopped run has no ``after`` and saves nothing."""

    stopped: bool
    samples: int
    before: Scores | None
    after: Scores | None
    train_seconds: float
    model_path: str | None

    @property
    def not_worse(self) -> bool:
        """Not worse on the samples and, within ``MNIST_TOLERANCE``, not worse on MNIST."""
        if self.stopped or self.before is None or self.after is None:
            return False
        return (
            self.after.samples_accuracy >= self.before.samples_accuracy
            and self.after.mnist_accuracy >= self.before.mnist_accuracy - MNIST_TOLERANCE
        )


@dataclass(frozen=True)
class FromOrigin:
    """Personalize starts again from ``title``, the model the active one was personalized from."""

    title: str


PersonalizeEvent = (
    DataProgress | PersonalizeStarted | PersonalizeProgress | Paused | Resumed | PersonalizeFinished
)


def describe(before: Scores, after: Scores) -> str:
    """``Your handwriting: 82 % → 97 % · MNIST: 99.4 % → 99.3 %``."""

    def pct(x: float, digits: int) -> str:
        return f"{x * 100:.{digits}f} %"

    return (
        f"Your handwriting: {pct(before.samples_accuracy, 0)} → {pct(after.samples_accuracy, 0)}"
        f" · MNIST: {pct(before.mnist_accuracy, 1)} → {pct(after.mnist_accuracy, 1)}"
    )


def fold_of(labels: np.ndarray, folds: int, seed: int) -> np.ndarray:
    """A fold number for each sample, stratified: each digit's samples spread over the folds."""
    rng = np.random.default_rng(seed)
    out = np.empty(len(labels), dtype=np.int64)
    start = 0
    for digit in range(10):
        idx = np.flatnonzero(labels == digit)
        rng.shuffle(idx)
        out[idx] = (np.arange(len(idx)) + start) % folds
        start += len(idx)  # the next digit continues where this one stopped: even folds
    return out


def _freeze_batch_norm(network: nn.Module) -> None:
    for module in network.modules():
        if isinstance(module, nn.modules.batchnorm._BatchNorm):
            module.eval()


@dataclass
class _Clock:
    start: float
    paused: float = 0.0

    def elapsed(self) -> float:
        return time.perf_counter() - self.start - self.paused


def fine_tune_steps(
    base: nn.Module,
    images: torch.Tensor,
    labels: torch.Tensor,
    replay: Split,
    config: PersonalizeConfig,
    epochs: int,
    seed: int,
    stop: threading.Event,
    pause: threading.Event,
    clock: _Clock,
    pool: FeaturePool | None = None,
    pool_ids: torch.Tensor | None = None,
) -> Generator[int | Paused | Resumed, None, nn.Module | None]:
    """Fine-tune a copy of ``base``; yields 1 per step (and pause events); returns it, or None if stopped.

    With a ``pool`` (``model.head_tuning``) only the classifiers learn, from the pool's
    features of the samples ``pool_ids`` (``images`` then only count them); without
    one the whole network learns from ``images``.
    """
    network = copy.deepcopy(base)
    network.train()
    _freeze_batch_norm(network)
    members = conv_members(network) if pool is not None else []
    if members:
        trainable = [p for m in members for p in m.classifier.parameters()]
    else:
        trainable = list(network.parameters())
    # Ours, not torch.optim.Adam (the same update, tests/model/test_graph_adam.py):
    # building a torch optimizer first imports torch._dynamo, seconds on a 2-core CPU.
    optimizer = GraphAdam(
        trainable, lr=torch.tensor(config.lr), beta1=torch.tensor(ADAM_BETA1), beta2=ADAM_BETA2
    )
    loss_fn = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(seed)
    n = len(labels)
    for _ in range(epochs):
        perm = torch.randperm(n, generator=generator)
        for first in range(0, n, config.user_batch):
            if pause.is_set() and not stop.is_set():
                paused_at = time.perf_counter()
                yield Paused(0)
                while pause.is_set() and not stop.is_set():
                    stop.wait(0.05)
                clock.paused += time.perf_counter() - paused_at
                yield Resumed(0)
            if stop.is_set():
                return None
            idx = perm[first : first + config.user_batch]
            if members and pool is not None and pool_ids is not None:
                loss = classifier_loss(
                    members,
                    pool,
                    pool_ids[idx],
                    labels[idx],
                    config.replay_batch,
                    generator,
                    loss_fn,
                )
            else:
                loss = _whole_network_loss(
                    network, base, images[idx], labels[idx], replay, config, generator, loss_fn
                )
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            yield 1
    network.eval()
    return network


def _whole_network_loss(
    network: nn.Module,
    base: nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    replay: Split,
    config: PersonalizeConfig,
    generator: torch.Generator,
    loss_fn: nn.Module,
) -> torch.Tensor:
    """One step's loss with every weight learning: the samples, then replayed MNIST images."""
    from model.augment import augment_batch

    mine = len(y)
    if config.replay_batch and len(replay):
        r = torch.randint(len(replay), (config.replay_batch,), generator=generator)
        x = torch.cat([x, replay.images[r]])
        y = torch.cat([y, replay.labels[r]])
    x = x.unsqueeze(1)
    if config.augment:
        x = augment_batch(x, generator=generator)
    logits = network(x)
    loss = loss_fn(logits[:mine], y[:mine])
    if len(y) > mine:
        if config.distill:
            # Replay keeps the base model's own answers (soft), not MNIST's labels:
            # what must not change is the function on MNIST, not just the argmax.
            with torch.no_grad():
                teacher = torch.log_softmax(base(x[mine:]), dim=1)
            student = torch.log_softmax(logits[mine:], dim=1)
            replayed = nn.functional.kl_div(
                student, teacher, log_target=True, reduction="batchmean"
            )
        else:
            replayed = loss_fn(logits[mine:], y[mine:])
        share = (len(y) - mine) / len(y)
        loss = (1 - share) * loss + share * replayed
    return loss


def feature_pool(
    base: nn.Module, images: torch.Tensor, replay: Split, config: PersonalizeConfig
) -> Generator[DataProgress, None, FeaturePool | None]:
    """The pool of features for tuning only the classifiers, or None to tune the whole network."""
    if config.tune != "classifier" or not conv_members(base):
        return None
    return (
        yield from build_pool(
            base,
            images,
            replay,
            copies=config.copies_for(len(images)),
            replay_size=config.replay_pool if config.replay_batch else 0,
            augment=config.augment,
            generator=torch.Generator().manual_seed(config.seed),
        )
    )


@dataclass(frozen=True)
class SplitScorer:
    """Scores fine-tuned copies of one base network on a test split.

    When only the classifiers learn, the convolutional features of the test images
    are the same for the base network and every copy: computed once, each score is
    two small matrix products per member instead of the whole split through the
    convolutions. Otherwise each network is evaluated whole.
    """

    test: Split
    features: tuple[torch.Tensor, ...] | None  # None: evaluate whole networks

    def evaluate(self, network: nn.Module) -> Evaluation:
        if self.features is None:
            return evaluate(network, self.test)
        read = classify(conv_members(network), self.features)
        return evaluation_of(read, self.test.labels)


def split_scorer(
    base: nn.Module, test: Split, config: PersonalizeConfig
) -> Generator[DataProgress, None, SplitScorer]:
    """The scorer for copies of ``base`` fine-tuned with ``config``; yields progress."""
    members = conv_members(base) if config.tune == "classifier" else []
    features = (yield from features_of(members, test.images)) if members else None
    return SplitScorer(test, features)


def fine_tune(
    base: nn.Module,
    samples: LoadedSamples,
    replay: Split,
    config: PersonalizeConfig | None = None,
    seed: int = 0,
) -> nn.Module:
    """A copy of ``base`` fine-tuned on all of ``samples``, in one call (benchmarks)."""
    config = config or PersonalizeConfig()
    images, labels = _as_tensors(samples)
    never = threading.Event()
    pool = result_of(feature_pool(base, images, replay, config))
    steps = fine_tune_steps(
        base,
        images,
        labels,
        replay,
        config,
        config.epochs_for(len(labels)),
        seed,
        never,
        never,
        _Clock(time.perf_counter()),
        pool,
        torch.arange(len(labels)),
    )
    return result_of(steps)


def with_user_samples(
    data: Mnist, folder: str | Path | None = None
) -> Generator[DataProgress, None, Mnist]:
    """MNIST with the user's samples appended to its training split (the Train tab's checkbox).

    The samples are read as ``digitpad predict`` reads pictures; damaged ones are
    skipped. The test split is left alone, so test accuracy stays comparable.
    """
    from model.paths import samples_dir
    from model.samples import load_images, scan_folder

    root = Path(folder).expanduser() if folder else samples_dir()
    yield DataProgress(Message("Reading your samples in {folder}", folder=root), 0, 1)
    samples = load_images(scan_folder(root).samples)
    yield DataProgress(Message("Added {count:,} samples of yours", count=len(samples)), 1, 1)
    if not len(samples):
        return data
    images, labels = _as_tensors(samples)
    train = Split(torch.cat([data.train.images, images]), torch.cat([data.train.labels, labels]))
    return Mnist(train=train, test=data.test, root=data.root)


def memory_of(samples: LoadedSamples, index: np.ndarray) -> StrokeMemory | None:
    """What a model fine-tuned on the samples at ``index`` remembers of their strokes.

    At most ``REMEMBERED_PER_DIGIT`` drawings of each digit, the newest (a sample's
    id starts with its time): every drawing on the Draw tab is compared with all
    of them, about 2 ms a thousand on the 2-core machine.
    """
    index = np.asarray(index, dtype=np.int64)
    kept = []
    for digit in range(10):
        mine = index[samples.labels[index] == digit]
        if len(mine) > REMEMBERED_PER_DIGIT:
            names = [samples.samples[i].path.name for i in mine]
            mine = mine[np.argsort(names, kind="stable")[-REMEMBERED_PER_DIGIT:]]
        kept.append(mine)
    chosen = np.sort(np.concatenate(kept))
    return StrokeMemory.of(
        list(zip(samples.strokes_of(chosen), samples.labels[chosen].tolist(), strict=True))
    )


def read_samples(
    network: nn.Module,
    memory: StrokeMemory | None,
    images: torch.Tensor,
    strokes: list[Any],
) -> torch.Tensor:
    """The digits a model reads: its network's answers, adjusted by its memory where there are strokes.

    ``model.stroke_match``: MNIST and pictures without strokes are the network's alone.
    """
    if memory is None or not any(strokes):
        return predictions(network, images)
    from model.prediction import predict_probabilities

    probabilities = predict_probabilities(network, images)
    return torch.from_numpy(memory.adjust(probabilities, strokes).argmax(axis=1))


def _as_tensors(samples: LoadedSamples) -> tuple[torch.Tensor, torch.Tensor]:
    images = torch.from_numpy(normalize(samples.images))
    return images, torch.from_numpy(samples.labels.astype(np.int64))


def personalize(
    base: LoadedModel,
    samples: LoadedSamples,
    config: PersonalizeConfig | None = None,
    *,
    data: Mnist | None = None,
    out: Path | str | None = None,
    stop: threading.Event | None = None,
    pause: threading.Event | None = None,
) -> Iterator[PersonalizeEvent]:
    """Fine-tune ``base`` on ``samples``; yields events, the last always ``PersonalizeFinished``.

    ``data`` skips loading MNIST. ``out``: where the new model is saved if the run
    completes (a stopped run saves nothing, and a file already there is untouched).
    Raises ``DataError`` for no samples, ``DataMissingError`` for no MNIST.
    """
    config = config or PersonalizeConfig()
    stop = stop or threading.Event()
    pause = pause or threading.Event()
    if len(samples) < 1:
        raise DataError("no samples to personalize with: save a few digits first")
    if data is None:
        root = mnist_root(config)
        data = yield from until_stopped(iter_load_mnist(root, download=config.download), stop)
        if isinstance(data, Stopped):
            yield PersonalizeFinished(True, len(samples), None, None, 0.0, None)
            return
    clock = _Clock(time.perf_counter())
    images, labels = _as_tensors(samples)
    n = len(labels)
    network = base.network
    scorer = yield from split_scorer(network, data.test, config)
    before_mnist = scorer.evaluate(network).accuracy
    predicted_before = read_samples(network, base.memory, images, samples.strokes_of(range(n)))
    before = Scores(float((predicted_before == labels).double().mean()), before_mnist)
    # Computed once for every run below (cross-validation folds, final model).
    pool = yield from until_stopped(feature_pool(network, images, data.train, config), stop)
    if isinstance(pool, Stopped):
        yield PersonalizeFinished(True, n, before, None, clock.elapsed(), None)
        return

    folds = min(config.folds, n) if n >= 2 else 0
    assignment = fold_of(samples.labels, folds, config.seed) if folds else np.zeros(n, np.int64)
    plan = []  # (stage, training indices, held-out indices)
    for k in range(folds):
        held = np.flatnonzero(assignment == k)
        plan.append((f"fold {k + 1} of {folds}", np.flatnonzero(assignment != k), held))
    plan.append(("final model", np.arange(n), np.zeros(0, np.int64)))
    steps = [config.epochs_for(len(t)) * math.ceil(len(t) / config.user_batch) for _, t, _ in plan]
    total = sum(steps)
    yield PersonalizeStarted(n, folds, len(plan), total, before)

    correct_after = 0
    step = 0
    final: nn.Module | None = None
    for run, (stage, train_idx, held_idx) in enumerate(plan, start=1):
        t = torch.from_numpy(train_idx)
        tuning = fine_tune_steps(
            network,
            images[t],
            labels[t],
            data.train,
            config,
            config.epochs_for(len(train_idx)),
            config.seed + run,
            stop,
            pause,
            clock,
            pool,
            t,
        )
        tuned = None
        while True:
            try:
                item = next(tuning)
            except StopIteration as done:
                tuned = done.value
                break
            if isinstance(item, int):
                step += item
                if step % 5 == 0 or step == total:
                    elapsed = clock.elapsed()
                    yield PersonalizeProgress(
                        stage, run, len(plan), step, total, elapsed, elapsed / step * (total - step)
                    )
            else:
                yield replace(item, step=step)
        if tuned is None or stop.is_set():
            yield PersonalizeFinished(True, n, before, None, clock.elapsed(), None)
            return
        if len(held_idx):
            memory = memory_of(samples, train_idx)
            # In chunks, so Stop is heard while thousands of drawings are compared.
            for first in range(0, len(held_idx), SCORE_CHUNK):
                if stop.is_set():
                    yield PersonalizeFinished(True, n, before, None, clock.elapsed(), None)
                    return
                part = held_idx[first : first + SCORE_CHUNK]
                h = torch.from_numpy(part)
                read = read_samples(tuned, memory, images[h], samples.strokes_of(part))
                correct_after += int((read == labels[h]).sum())
        else:
            final = tuned
    assert final is not None
    if not folds:  # one sample: nothing can be held out, so the sample figure cannot move
        correct_after = int((predicted_before == labels).sum())
    final_eval = scorer.evaluate(final)
    after = Scores(correct_after / n, final_eval.accuracy)
    seconds = clock.elapsed()
    if stop.is_set():
        yield PersonalizeFinished(True, n, before, None, seconds, None)
        return
    path = None
    if out is not None:
        memory = memory_of(samples, np.arange(n))
        card = personalized_card(
            base,
            config,
            samples=n,
            folds=folds,
            before=before,
            after=after,
            seconds=seconds,
            replay_images=len(data.train),
            remembered=len(memory) if memory is not None else 0,
        )
        card = replace(card, per_class_accuracy=final_eval.per_class_accuracy)
        path = str(save_model(out, final, card, memory))
    yield PersonalizeFinished(False, n, before, after, seconds, path)


def mnist_root(config: PersonalizeConfig) -> Path:
    """Where Personalize reads MNIST: the data folder if MNIST is there, else the shipped part.

    The shipped part (``model.paths.shipped_mnist_dir``) holds the whole test set,
    so the MNIST figure is the same, and 6,000 training images to replay: the
    first Personalize works offline and needs no 11 MB download. A download is
    left for a copy of digitpad without that folder.
    """
    return or_shipped_part(config.data_dir or default_data_dir())


def base_file(path: Path | None) -> dict[str, str]:
    """Where a base model lives, for its personalized models' cards.

    A shipped or library model is named by its folder's role and its file name,
    not by a path: a card shared with someone does not carry the user's home
    folder, and the shipped model is found again after digitpad moves.
    """
    if path is None:
        return {}
    resolved = path.resolve()
    if is_shipped(resolved):
        return {"shipped": resolved.name}
    if resolved.parent == models_dir().resolve():
        return {"library": resolved.name}
    return {"path": str(resolved)}


def _base_path(where: object) -> Path | None:
    """``base_file``'s record back to a path (it is read from a file: any shape may come)."""
    if not isinstance(where, dict) or len(where) != 1:
        return None
    ((role, name),) = where.items()
    if not isinstance(name, str) or not name:
        return None
    if role == "path":
        return Path(name)
    folders = {"shipped": shipped_models_dir, "library": models_dir}
    if role not in folders or Path(name).name != name:
        return None  # a bare file name only: nothing outside the folder
    return folders[role]() / name


def origin_of(active: LoadedModel, max_hops: int = 8) -> LoadedModel:
    """The model ``active`` was personalized from, back to one that is not personalized.

    Personalizing a personalized model again would fine-tune twice on the same
    samples, and each round may cost up to ``MNIST_TOLERANCE`` more of MNIST: ten
    rounds could lose three points, each one "within the allowance". Starting
    again from the origin, with all the samples, bounds the loss once, against the
    model the user started with. When a base's file is gone or damaged, the
    nearest model that loads is used, in the end ``active`` itself.
    """
    current = active
    for _ in range(max_hops):
        record = current.card.personalization
        path = _base_path(record.get("base_file")) if record else None
        if path is None or not path.is_file():
            break
        try:
            current = load_model(path)
        except (DigitpadError, OSError):
            break
    return current


def personalized_card(
    base: LoadedModel,
    config: PersonalizeConfig,
    *,
    samples: int,
    folds: int,
    before: Scores,
    after: Scores,
    seconds: float,
    replay_images: int,
    remembered: int = 0,
) -> ModelCard:
    """The base model's card, updated: the new MNIST figure, and the personalization record."""
    import datetime as dt

    record: dict[str, Any] = {
        "base_model": base.title,
        "base_file": base_file(base.path),  # so the next Personalize can start from it
        "samples": samples,
        "folds": folds,
        "before": asdict(before),
        "after": asdict(after),
        "summary": describe(before, after),
        "replay_images": replay_images,  # MNIST training images replayed from (mnist_root)
        "remembered_drawings": remembered,  # samples with strokes (model.stroke_match)
        "recipe": {k: v for k, v in asdict(config).items() if k not in ("data_dir", "download")},
    }
    return replace(
        base.card,
        # Not the base's: the library would show its name and its real-pen figure,
        # measured on another network, against this one.
        display_name="",
        real_pen={},
        dataset=f"{base.card.dataset} + {samples} samples of the user's handwriting",
        test_accuracy=after.mnist_accuracy,
        train_seconds=round(seconds, 2),
        created=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        torch_version=str(torch.__version__),
        personalization=record,
    )
