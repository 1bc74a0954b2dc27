"""Personalize, simulated on real people: does learning k samples per digit fix a handwriting?

The people of the UNIPEN pen digits (``../shared/data/unipen``, grouped by
``person``) stand in for users. For each person with more than k digits of
every kind, k of each are drawn on the canvas (``model.pen_benchmark.replay``:
the strokes as the Draw tab records them), saved through the sample store as
the Draw tab's buttons save them, read back as PNGs, and a copy of the base
model is fine-tuned on them (``model.personalize.fine_tune``: the very fine-tune
of the Personalize button). The person's other digits, drawn the same way and
never trained on, are scored before and after, "after" as the Draw tab reads
them with the personalized model: the fine-tuned network plus the samples'
strokes (``model.stroke_match``; the line also gives the network alone, and
``--no-strokes`` leaves the strokes out). The fine-tuned model is also scored on
MNIST's test set, which has no strokes. People of the collections the base model itself
trained on (``model.pen_training.TRAIN_COLLECTIONS``, for a model trained with
pen digits, as the shipped cnn is) are left out: their "unseen" digits are the
base model's training data, not a new user's (``--include-trained`` keeps them,
to compare with figures from before that rule).

Then one full ``personalize`` run (cross-validation and all, as the button runs
it) on 50 samples of one person is timed.

    python bench/personalize.py --data ../shared/data [--pen ../shared/data/unipen] [--k 1 2 5]
        [--strangers] [--no-strokes] [--misreads sheet.png]

``--strangers`` also applies each person's remembered drawings to everyone
else's digits: what a personalized app does to another writer.
``--misreads`` draws every unseen digit misread before or after, beside the
person's taught samples of its label and of the answer after: what is left to
fix, to look at by eye.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from model.checkpoints import LoadedModel, load_model  # noqa: E402
from model.data import load_mnist  # noqa: E402
from model.evaluation import evaluate, predictions  # noqa: E402
from model.normalization import MEAN, STD  # noqa: E402
from model.paths import shipped_models_dir  # noqa: E402
from model.pen_benchmark import SIZES, network_inputs, replay  # noqa: E402
from model.pen_digits import PenDigit, load_pen_digits  # noqa: E402
from model.pen_training import collections_trained_on  # noqa: E402
from model.personalize import (  # noqa: E402
    TUNE_CHOICES,
    PersonalizeConfig,
    PersonalizeFinished,
    fine_tune,
    memory_of,
    personalize,
    read_samples,
    split_scorer,
)
from model.prediction import predict_probabilities  # noqa: E402
from model.progress_steps import result_of  # noqa: E402
from model.samples import SampleStore, load_images  # noqa: E402

HEIGHT = SIZES["normal"]


def by_person(digits: list[PenDigit]) -> dict[str, dict[int, list[PenDigit]]]:
    people: dict[str, dict[int, list[PenDigit]]] = defaultdict(lambda: defaultdict(list))
    for d in digits:
        people[d.person][d.label].append(d)
    return people


def split(person: dict[int, list[PenDigit]], k: int, rng: np.random.Generator):
    """k digits of each kind as the user's corrections, the rest to score; None if too few."""
    if any(len(person.get(d, [])) <= k for d in range(10)):
        return None
    taught, unseen = [], []
    for d in range(10):
        order = rng.permutation(len(person[d]))
        taught += [person[d][i] for i in order[:k]]
        unseen += [person[d][i] for i in order[k:]]
    return taught, unseen


def corrections(person: dict[int, list[PenDigit]], base: LoadedModel, rng: np.random.Generator):
    """The user's corrections: of a random half of the person's digits, those ``base`` misreads.

    What a user of the Draw tab teaches: only the digits it got wrong, often one or
    two kinds of digit. The other half is scored. None if nothing in the first half
    is misread.
    """
    import torch

    digits = [d for label in sorted(person) for d in person[label]]
    order = rng.permutation(len(digits))
    used = [digits[i] for i in order[: len(digits) // 2]]
    unseen = [digits[i] for i in order[len(digits) // 2 :]]
    if not used:
        return None
    read = predictions(base.network, torch.from_numpy(network_inputs(used, HEIGHT)))
    taught = [d for d, r in zip(used, read.tolist(), strict=True) if r != d.label]
    return (taught, unseen) if taught and unseen else None


def ratio_interval(
    before: list[float], after: list[float], seed: int, draws: int = 2000
) -> tuple[float, float]:
    """The error ratio's 90 % bootstrap interval, resampling people.

    A few dozen people with a digit or two misread each: which people the figure
    happens to hold moves it as much as a change of recipe, and this says how much.
    """
    rng = np.random.default_rng(seed)
    b, a = 1 - np.asarray(before), 1 - np.asarray(after)
    pick = rng.integers(len(b), size=(draws, len(b)))
    eb, ea = b[pick].mean(axis=1), a[pick].mean(axis=1)
    ratios = ea[eb > 0] / eb[eb > 0]
    if not len(ratios):
        return math.nan, math.nan
    low, high = np.quantile(ratios, [0.05, 0.95])
    return float(low), float(high)


def as_samples(digits: list[PenDigit], folder: Path):
    """Through the store, exactly as the Draw tab saves a correction, and back."""
    store = SampleStore(folder)
    for d in digits:
        store.add_drawing(replay(d.strokes, HEIGHT), d.label, pen_width=0.085, canvas_size=510)
    return load_images(store.scan().samples)


CELL = 28 * 3  # a digit on the misreads sheet, in pixels
GAP = 12


def _pixels(image: np.ndarray) -> np.ndarray:
    """A normalised (28, 28) network input as 8-bit light ink on dark, three times the size."""
    ink = np.clip(image * STD + MEAN, 0.0, 1.0) * 255
    return np.kron(ink.astype(np.uint8), np.ones((3, 3), np.uint8))


class MisreadSheet:
    """Rows of: the misread digit | the person's taught samples of its label | of the answer."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, list[np.ndarray], list[np.ndarray], list[np.ndarray]]] = []

    def add(
        self,
        title: str,
        digit: np.ndarray,
        taught: np.ndarray,
        taught_labels: list[int],
        label: int,
        answer: int,
    ) -> None:
        same = [taught[i] for i, t in enumerate(taught_labels) if t == label]
        other = [taught[i] for i, t in enumerate(taught_labels) if t == answer and answer != label]
        self.rows.append((title, [digit], same, other))

    def save(self, path: Path) -> None:
        from PIL import Image, ImageDraw

        row_height = CELL + 18
        width = max(
            (sum(len(g) for g in groups) * CELL + 2 * GAP for _, *groups in self.rows), default=1
        )
        sheet = Image.new("L", (max(width, 360), max(1, len(self.rows)) * row_height), 64)
        draw = ImageDraw.Draw(sheet)
        for r, (title, *groups) in enumerate(self.rows):
            y = r * row_height
            draw.text((2, y + 2), title, fill=255)
            x = 0
            for group in groups:
                for image in group:
                    sheet.paste(Image.fromarray(_pixels(image)), (x, y + 16))
                    x += CELL
                x += GAP
        sheet.save(path)


def strangers(kept: list, what: str) -> None:
    """Each person's remembered drawings, applied to everyone else's digits with the base network.

    Someone else drawing on a personalized app (or its user drawing a digit some
    other way) should not be read worse for it: the memory must follow the way
    its own user draws, not pull every digit towards the digits taught.
    """
    wrong_base = wrong_with = total = 0
    for p, (memory, _, _, _) in enumerate(kept):
        if memory is None:
            continue
        for q, (_, probabilities, drawn, truth) in enumerate(kept):
            if q == p:
                continue
            labels = truth.numpy()
            wrong_base += int((probabilities.argmax(axis=1) != labels).sum())
            read = memory.adjust(probabilities, drawn).argmax(axis=1)
            wrong_with += int((read != labels).sum())
            total += len(labels)
    if total:
        print(
            f"{what}: another person's remembered drawings on everyone else's digits "
            f"(base network): error {wrong_base / total:.2%} -> {wrong_with / total:.2%} "
            f"({total:,} digit readings)",
            flush=True,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--pen", default=str(ROOT.parent / "shared" / "data" / "unipen"))
    parser.add_argument("--model", default=str(shipped_models_dir() / "cnn.pt"))
    parser.add_argument("--k", type=int, nargs="+", default=[1, 2, 5])
    parser.add_argument("--people", type=int, default=0, help="at most this many per k (0: all)")
    parser.add_argument(
        "--hardest",
        action="store_true",
        help="with --people: the people whose unseen digits the base model misreads most "
        "(to compare recipes quickly; biased towards a large gain, so not the headline figure)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's choice)")
    parser.add_argument("--skip-timing", action="store_true")
    parser.add_argument("--lr", type=float, help="override the recipe's learning rate")
    parser.add_argument("--replay-batch", type=int, help="override MNIST images per step")
    parser.add_argument("--min-steps", type=int, help="override the recipe's minimum steps")
    parser.add_argument("--tune", choices=TUNE_CHOICES, help="override what the fine-tune trains")
    parser.add_argument("--copies", type=int, help="override augmented copies per sample")
    parser.add_argument("--max-epochs", type=int, help="override the most passes over the samples")
    parser.add_argument("--sample-pool", type=int, help="override the most sample images pooled")
    parser.add_argument(
        "--corrections",
        action="store_true",
        help="instead of k of every digit, teach only the digits the base model misreads "
        "in a random half of each person's digits, and score the other half",
    )
    parser.add_argument(
        "--include-trained",
        action="store_true",
        help="keep the people of the collections the base model trained on",
    )
    parser.add_argument(
        "--strangers",
        action="store_true",
        help="also apply each person's remembered drawings to everyone else's digits",
    )
    parser.add_argument(
        "--no-strokes",
        action="store_true",
        help="score the fine-tuned network alone, without the samples' strokes",
    )
    parser.add_argument(
        "--misreads", type=Path, help="write a PNG of the unseen digits misread before or after"
    )
    args = parser.parse_args()

    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    base = load_model(args.model)
    mnist = load_mnist(args.data, download=False)
    base_mnist = evaluate(base.network, mnist.test).accuracy
    people = by_person(load_pen_digits(args.pen))
    excluded = () if args.include_trained else collections_trained_on(base.card)
    if excluded:
        people = {p: d for p, d in people.items() if p.split("/")[0] not in excluded}
    overrides = {
        k: v
        for k, v in (
            ("lr", args.lr),
            ("replay_batch", args.replay_batch),
            ("min_steps", args.min_steps),
            ("tune", args.tune),
            ("copies", args.copies),
            ("max_auto_epochs", args.max_epochs),
            ("sample_pool", args.sample_pool),
        )
        if v is not None
    }
    config = PersonalizeConfig(seed=args.seed, **overrides)
    # As Personalize scores: from the test set's frozen features when only the classifiers
    # learn (k=2, 31 people, one thread: 125 s instead of 242 s, the same figures).
    mnist_scorer = result_of(split_scorer(base.network, mnist.test, config))
    print(f"base model {base.title}: MNIST test {base_mnist:.2%}; {len(people)} people")
    if excluded:
        print(f"left out: the people of {', '.join(excluded)} (the base model trained on them)")
    print(
        f"recipe: lr {config.lr:g}, {config.user_batch} samples + {config.replay_batch} MNIST a step, "
        f"at least {config.min_steps} steps, augmentation {'on' if config.augment else 'off'}, "
        f"tuning {config.tune}"
    )

    sheet = MisreadSheet()
    for k in [0] if args.corrections else args.k:
        rng = np.random.default_rng(args.seed)
        what = "corrections" if args.corrections else f"k={k}"
        before_acc, after_acc, tuned_acc, drops, secs = [], [], [], [], []
        kept = []  # per person: memory, the base network's probabilities, strokes, truth
        chosen = [
            (p, corrections(people[p], base, rng) if args.corrections else split(people[p], k, rng))
            for p in sorted(people)
        ]
        chosen = [(p, s) for p, s in chosen if s is not None]
        if args.people and args.hardest:
            misread = {
                p: float(
                    (
                        predictions(base.network, torch.from_numpy(network_inputs(u, HEIGHT)))
                        != torch.tensor([d.label for d in u])
                    )
                    .double()
                    .mean()
                )
                for p, (_, u) in chosen
            }
            chosen = sorted(chosen, key=lambda c: -misread[c[0]])[: args.people]
        elif args.people:
            chosen = chosen[: args.people]
        for name, (taught, unseen) in chosen:
            with tempfile.TemporaryDirectory() as tmp:
                samples = as_samples(taught, Path(tmp) / "samples")
            inputs = torch.from_numpy(network_inputs(unseen, HEIGHT))
            truth = torch.tensor([d.label for d in unseen])
            start = time.perf_counter()
            tuned = fine_tune(base.network, samples, mnist.train, config, seed=args.seed)
            secs.append(time.perf_counter() - start)
            read_before, read_tuned = predictions(base.network, inputs), predictions(tuned, inputs)
            # As the Draw tab reads with the personalized model: the fine-tuned network,
            # adjusted by the strokes of the samples (the .json the store wrote beside them).
            memory = None if args.no_strokes else memory_of(samples, np.arange(len(samples)))
            drawn = [replay(d.strokes, HEIGHT) for d in unseen]
            read_after = read_samples(tuned, memory, inputs, drawn)
            if args.strangers:
                kept.append((memory, predict_probabilities(base.network, inputs), drawn, truth))
            before_acc.append(float((read_before == truth).double().mean()))
            after_acc.append(float((read_after == truth).double().mean()))
            tuned_acc.append(float((read_tuned == truth).double().mean()))
            if args.misreads:
                shown = network_inputs(taught, HEIGHT)
                for i in np.flatnonzero(((read_before != truth) | (read_after != truth)).numpy()):
                    t, b, a = int(truth[i]), int(read_before[i]), int(read_after[i])
                    sheet.add(
                        f"{what} {name}: a {t}, read {b} before, {a} after",
                        inputs[i].numpy(),
                        shown,
                        [d.label for d in taught],
                        t,
                        a if a != t else b,
                    )
            drops.append(base_mnist - mnist_scorer.evaluate(tuned).accuracy)
            print(
                f"  {what} {name:<16} {len(taught):>3} taught, {len(unseen):>3} unseen: "
                f"{before_acc[-1]:.1%} -> {after_acc[-1]:.1%}, MNIST drop {drops[-1] * 100:+.2f} pt,"
                f" {secs[-1]:.1f} s",
                flush=True,
            )
        if not chosen:
            print(f"{what}: nobody to teach")
            continue
        b, a = float(np.mean(before_acc)), float(np.mean(after_acc))
        ratio = (1 - a) / (1 - b) if b < 1 else math.nan
        alone = (1 - float(np.mean(tuned_acc))) / (1 - b) if b < 1 else math.nan
        low, high = ratio_interval(before_acc, after_acc, args.seed)
        spread = "" if math.isnan(low) else f", x{low:.2f}-x{high:.2f} over resampled people"
        print(
            f"{what}: {len(chosen)} people; mean per-person accuracy on unseen digits "
            f"{b:.2%} -> {a:.2%} (error {1 - b:.2%} -> {1 - a:.2%}, x{ratio:.2f}{spread}; "
            f"the fine-tuned network alone x{alone:.2f}); "
            f"MNIST drop mean {np.mean(drops) * 100:.2f} pt, worst {np.max(drops) * 100:.2f} pt; "
            f"fine-tune {np.mean(secs):.1f} s mean",
            flush=True,
        )

        if args.strangers:
            strangers(kept, what)

    if args.misreads:
        sheet.save(args.misreads)
        print(f"{len(sheet.rows)} misread digits drawn in {args.misreads}")

    if not args.skip_timing:
        rng = np.random.default_rng(args.seed)
        name, (taught, _) = next(
            (p, s) for p in sorted(people) if (s := split(people[p], 5, rng)) is not None
        )
        with tempfile.TemporaryDirectory() as tmp:
            samples = as_samples(taught, Path(tmp) / "samples")
            start = time.perf_counter()
            events = list(
                personalize(base, samples, config, data=mnist, out=Path(tmp) / "personal.pt")
            )
            seconds = time.perf_counter() - start
        done = events[-1]
        assert isinstance(done, PersonalizeFinished) and not done.stopped
        print(
            f"full personalize run ({name}, {done.samples} samples, {config.folds}-fold "
            f"cross-validation + final model, {torch.get_num_threads()} threads): {seconds:.1f} s "
            f"wall; samples {done.before.samples_accuracy:.1%} -> {done.after.samples_accuracy:.1%}"
            f" (cross-validated), MNIST {done.before.mnist_accuracy:.2%} -> "
            f"{done.after.mnist_accuracy:.2%}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
