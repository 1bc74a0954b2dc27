"""``digitpad train | evaluate | predict | info | personalize``: the core, headless.

Exit codes: 0 success, 2 bad usage or bad input (missing file, unreadable
image, bad model file, missing data), 1 anything else, 130 stopped by Ctrl+C.
Errors are one line on stderr. With ``--json`` the last stdout line is one JSON
object. ``digitpad`` with no subcommand starts the GUI (see gui/launcher.py).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import signal
import sys
import threading
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from model.errors import DataError, DataMissingError, DigitpadError, TrainingDiverged
from model.progress_steps import result_of
from model.threads import configure_threads

if TYPE_CHECKING:
    import numpy as np

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse that reports errors as one line (its default prints the usage too)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {self.prog} --help)")


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, not {text}")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a positive number, not {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    from model.config import DEVICES, NETWORK_NAMES, OPTIMIZERS, SCHEDULES, TrainConfig

    d = TrainConfig()
    from model import __version__

    parser = _Parser(
        prog="digitpad",
        description="Handwritten digit recognizer. With no command, opens the desktop app.",
        epilog="digitpad --install-desktop adds the app to your desktop's menu "
        "(--uninstall-desktop removes it). MODEL is a model file or a shipped model's name (cnn, mlp).",
    )
    parser.add_argument("--version", action="version", version=f"digitpad {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    t = sub.add_parser("train", help="train a network on MNIST and save it")
    t.add_argument("--model", choices=NETWORK_NAMES, default=d.network)
    t.add_argument("--epochs", type=_positive_int, default=d.epochs)
    t.add_argument("--batch-size", type=_positive_int, default=d.batch_size)
    t.add_argument("--optimizer", choices=OPTIMIZERS, default=d.optimizer)
    t.add_argument("--lr", type=_positive_float, default=d.lr)
    t.add_argument("--momentum", type=float, default=d.momentum)
    t.add_argument("--schedule", choices=SCHEDULES, default=d.schedule)
    t.add_argument(
        "--augment",
        action=argparse.BooleanOptionalAction,
        default=d.augment,
        help="distort each batch (rotation, shear, scale, shift, elastic, stroke width) "
        "so the network reads real pen digits better",
    )
    t.add_argument(
        "--pen-digits",
        action=argparse.BooleanOptionalAction,
        default=d.pen_digits,
        help="train on the shipped real pen digits (UNIPEN 1a, 3 collections) next to MNIST",
    )
    t.add_argument("--seed", type=int, default=d.seed)
    t.add_argument("--device", choices=DEVICES, default=d.device)
    t.add_argument(
        "--data",
        metavar="DIR",
        help="folder holding MNIST/raw (default: DIGITPAD_DATA or the user data folder)",
    )
    t.add_argument(
        "--out", metavar="FILE", help="where to save the model (default: the user models folder)"
    )
    t.add_argument("--no-download", action="store_true", help="fail instead of downloading MNIST")
    t.add_argument(
        "--samples",
        metavar="DIR",
        help="also train on the samples in DIR (<digit>/*.png; see digitpad personalize)",
    )
    t.add_argument("--json", action="store_true", help="print the result as JSON on the last line")

    e = sub.add_parser("evaluate", help="accuracy, per-class accuracy and confusion matrix")
    e.add_argument("model_file", metavar="MODEL")
    source = e.add_mutually_exclusive_group()
    source.add_argument("--data", metavar="DIR", help="the folder holding MNIST (its test set)")
    source.add_argument(
        "--samples",
        metavar="DIR",
        help="evaluate on your own samples instead (<digit>/*.png, as digitpad personalize reads them)",
    )
    e.add_argument("--json", action="store_true")
    e.add_argument(
        "--misclassified",
        metavar="DIR",
        help="write each misclassified image there as <index>-true<d>-pred<d>.png",
    )
    e.add_argument(
        "--csv", metavar="FILE", help="write the confusion matrix and per-class figures as CSV"
    )

    p = sub.add_parser("predict", help="read digits from PNG/JPEG pictures or .json stroke files")
    p.add_argument("model_file", metavar="MODEL")
    p.add_argument(
        "images",
        metavar="FILE",
        nargs="+",
        help='a picture, a folder of pictures, or a stroke file: {"strokes": [[[x, y], ...], ...]}',
    )
    p.add_argument(
        "--number",
        action="store_true",
        help="each file holds a whole number: read every digit, left to right",
    )
    p.add_argument("--json", action="store_true")

    z = sub.add_parser(
        "personalize",
        help="fine-tune a model on your own digits; before/after by cross-validation",
    )
    z.add_argument("model_file", metavar="MODEL")
    z.add_argument("samples", metavar="SAMPLES_DIR", help="a folder of <digit>/*.png")
    z.add_argument("--out", metavar="FILE", required=True, help="where to save the new model")
    z.add_argument("--data", metavar="DIR", help="folder holding MNIST/raw (replayed and tested)")
    z.add_argument("--epochs", type=_positive_int, help="passes over the samples (default: auto)")
    z.add_argument("--seed", type=int, default=0)
    z.add_argument("--json", action="store_true")

    i = sub.add_parser("info", help="print a model file's card as Markdown")
    i.add_argument("model_file", metavar="MODEL")
    return parser


def _train(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from model.checkpoints import model_path
    from model.config import TrainConfig
    from model.events import BatchProgress, DataProgress, EpochEnd, Notice, RunFinished, RunStarted
    from model.files import check_writable
    from model.paths import new_model_path
    from model.training import train

    config = TrainConfig(
        network=args.model,
        epochs=args.epochs,
        batch_size=args.batch_size,
        optimizer=args.optimizer,
        lr=args.lr,
        momentum=args.momentum,
        schedule=args.schedule,
        augment=args.augment,
        pen_digits=args.pen_digits,
        seed=args.seed,
        device=args.device,
        data_dir=args.data,
        download=not args.no_download,
        include_samples=args.samples is not None,
        samples_dir=args.samples,
    )
    if args.samples is not None:
        from model.samples import scan_folder

        scan_folder(args.samples, strict=True)  # a bad folder is found now, not after MNIST
    out = model_path(args.out) if args.out else new_model_path(config.network)
    check_writable(out)  # a read-only folder is found now, not after the training
    stop = threading.Event()
    saved = threading.Event()

    def on_sigint(signum: int, frame: object) -> None:
        if saved.is_set():  # the model is in place: nothing is left to interrupt
            return
        if stop.is_set():  # a second Ctrl+C: the user really wants out
            raise KeyboardInterrupt
        stop.set()

    previous = signal.signal(signal.SIGINT, on_sigint)
    previous_term = signal.signal(signal.SIGTERM, on_sigint)  # kill: the same clean stop
    bar: tqdm | None = None
    log = sys.stderr if args.json else sys.stdout
    try:
        for event in train(config, out=out, stop=stop):
            if isinstance(event, DataProgress) and event.message.startswith(("Download", "Timing")):
                print(f"{event.message} ({event.done}/{event.total})", file=sys.stderr)
            elif isinstance(event, RunStarted):
                print(f"training on {event.device} ({event.device_reason}), {event.step}", file=log)
            elif isinstance(event, Notice):
                print(f"digitpad: {event.message}", file=sys.stderr)
            elif isinstance(event, BatchProgress):
                if not sys.stderr.isatty():
                    continue  # a log file gets one line per epoch, not a bar redrawn per batch
                if bar is None:
                    bar = tqdm(
                        total=event.batches_per_epoch,
                        desc=f"epoch {event.epoch}/{config.epochs}",
                        unit="batch",
                        file=sys.stderr,
                        leave=False,
                        dynamic_ncols=True,
                    )
                bar.n = event.batch
                bar.set_postfix(
                    loss=f"{event.loss:.4f}", samples_s=f"{event.samples_per_second:,.0f}"
                )
            elif isinstance(event, EpochEnd):
                if bar is not None:
                    bar.close()
                    bar = None
                print(
                    f"epoch {event.epoch}/{event.epochs}: train loss {event.train_loss:.4f}, "
                    f"test accuracy {event.test_accuracy:.2%}, {event.epoch_seconds:.1f} s, "
                    f"{event.samples_per_second:,.0f} samples/s",
                    file=log,
                    flush=True,
                )
            elif isinstance(event, RunFinished):
                result = event
                if event.model_path is not None:
                    saved.set()
    finally:
        # After the save a late Ctrl+C must not turn the finished run into
        # "interrupted"; main() restores the handlers when the verb returns.
        signal.signal(signal.SIGINT, signal.SIG_IGN if saved.is_set() else previous)
        signal.signal(signal.SIGTERM, signal.SIG_IGN if saved.is_set() else previous_term)
        if bar is not None:
            bar.close()
    if result.stopped:
        kept = f"; {out} was left as it was" if out.exists() else ""
        print(
            f"digitpad: stopped after {result.epochs_completed} "
            f"epoch{'' if result.epochs_completed == 1 else 's'}, nothing saved{kept}",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    if result.diverged:
        kept = f"; {out} was left as it was" if out.exists() else ""
        if result.too_little:
            _error(
                f"the run did not learn enough: {result.diverged}. Nothing was saved{kept}. "
                f"Train for more epochs, or try another learning rate than {config.lr:g}."
            )
        else:
            _error(
                f"the run diverged: {result.diverged}. Nothing was saved{kept}. Try a lower "
                f"learning rate than {config.lr:g}."
            )
        return EXIT_FAILED
    print(
        f"saved {result.model_path} (test accuracy {result.test_accuracy:.2%}, {result.train_seconds:.1f} s)",
        file=log,
    )
    if args.json:
        _print_json(
            {
                "test_accuracy": result.test_accuracy,
                "per_class_accuracy": list(result.per_class_accuracy),
                "train_seconds": result.train_seconds,
                "epochs": result.epochs_completed,
                "model_path": result.model_path,
                "network": config.network,
            }
        )
    return EXIT_OK


def _evaluate(args: argparse.Namespace) -> int:
    from model.checkpoints import load_model
    from model.eval_sets import iter_sample_set, mnist_test_set
    from model.evaluation import report, write_csv, write_misclassified
    from model.mnist_files import or_shipped_part
    from model.paths import default_data_dir

    loaded = load_model(args.model_file)
    if args.samples is not None:
        data = result_of(iter_sample_set(args.samples, strict=True))
        for warning in data.warnings:
            print(f"digitpad: warning: {warning}", file=sys.stderr)
    else:
        # No --data: where MNIST was downloaded, else MNIST's test set shipped with digitpad.
        data = mnist_test_set(Path(args.data) if args.data else or_shipped_part(default_data_dir()))
    result = report(
        loaded.network,
        data.images,
        data.labels,
        model=loaded.title,
        data=data.name,
        strokes=data.strokes,  # samples drawn in the app: read as the Draw tab reads them
        memory=loaded.memory,
    )
    per_class = [f.recall for f in result.per_class()]
    if args.csv:
        try:
            write_csv(result, args.csv)
        except OSError as exc:
            raise DataError(
                "cannot write {path}: {error}", path=args.csv, error=exc.strerror or exc
            ) from None
    if args.misclassified:
        try:
            written = write_misclassified(result, data.images, args.misclassified)
        except OSError as exc:
            raise DataError(
                "cannot write into {path}: {error}",
                path=args.misclassified,
                error=exc.strerror or exc,
            ) from None
        print(f"wrote {len(written)} misclassified images to {args.misclassified}", file=sys.stderr)
    if args.samples is not None:
        from model.eval_sets import not_a_test_note

        note = not_a_test_note(loaded.title, loaded.card)
        if note is not None:  # a model that learned from these samples
            print(f"digitpad: note: {note}", file=sys.stderr)
    if args.json:
        _print_json(
            {
                "test_accuracy": result.accuracy,
                "per_class_accuracy": per_class,
                "confusion_matrix": result.confusion.tolist(),
                "misclassified": len(result.misclassified()),
                "model_path": str(loaded.path),
                "data": data.name,
                "images": result.size,
            }
        )
        return EXIT_OK
    what = "test accuracy" if args.samples is None else f"accuracy on {data.name}"
    print(f"{loaded.path}: {what} {result.accuracy:.2%} on {result.size} images")
    print("per class: " + "  ".join(f"{d}: {a:.1%}" for d, a in enumerate(per_class)))
    print("confusion matrix (rows: true digit, columns: predicted):")
    print("      " + "".join(f"{d:>6}" for d in range(10)))
    for d, row in enumerate(result.confusion.tolist()):
        print(f"{d:>6}" + "".join(f"{v:>6}" for v in row))
    return EXIT_OK


def _read_input(path: str) -> tuple[np.ndarray | None, str | None]:
    """A picture or a stroke file -> (the network's input or None, why it is not a digit).

    Pictures go through ``model.preprocess``; stroke files (``.json``) through
    ``model.strokes``, the Draw tab's path, and the not-a-digit checks.
    """
    from model.images import read_digit_image
    from model.preprocess import has_ink, preprocess
    from model.stroke_files import is_stroke_file, read_stroke_file
    from model.strokes import stroke_arrays, strokes_to_steps
    from model.verdict import not_a_digit

    if is_stroke_file(path):
        drawing = read_stroke_file(path)
        if not stroke_arrays(drawing.strokes):
            return None, "empty drawing"
        steps = strokes_to_steps(drawing.strokes)
        return steps.normalized, not_a_digit(drawing.strokes, steps.placed, drawing.side)
    picture = read_digit_image(path)
    if not has_ink(picture):
        return None, "blank image"
    return preprocess(picture), None


def _predict(args: argparse.Namespace) -> int:
    import numpy as np

    from model.checkpoints import load_model
    from model.images import check_image
    from model.prediction import predict_probabilities
    from model.stroke_files import is_stroke_file, read_stroke_file

    loaded = load_model(args.model_file)
    paths = _image_paths(args.images)  # a folder stands for the pictures in it
    for path in paths:  # fail before any output: headers only, no pixels yet
        if is_stroke_file(path):
            read_stroke_file(path)  # a drawing is kilobytes: parse and check it all
        else:
            check_image(path)
    if args.number:
        return _predict_numbers(args, loaded.network, loaded.memory)
    results = []
    for path in paths:  # one decoded picture in memory at a time
        x, reason = _read_input(path)
        probs = [0.1] * 10 if x is None else predict_probabilities(loaded.network, x).tolist()
        if x is not None and loaded.memory is not None and is_stroke_file(path):
            # A personalized model reads a drawing as the Draw tab does (model/stroke_match.py).
            from model.stroke_match import read_drawing

            strokes = read_stroke_file(path).strokes
            probs = read_drawing(np.asarray(probs), strokes, loaded.memory).probabilities.tolist()
        digit = None if reason is not None else int(np.argmax(probs))
        results.append({"image": path, "digit": digit, "probabilities": probs, "reason": reason})
        if args.json:
            continue
        if x is None:
            print(f"{path}: no digit found ({reason})")
        elif reason is not None:
            print(f"{path}: not a digit ({reason})")
        else:
            print(f"{path}: {digit} ({probs[digit]:.1%})")
    if args.json:
        _print_json(results)
    return EXIT_OK


def _image_paths(arguments: Sequence[str]) -> list[str]:
    """Each argument, with a folder replaced by the images in it (and its subfolders), sorted."""
    from model.errors import ImageError
    from model.samples import IMAGE_SUFFIXES

    paths: list[str] = []
    for argument in arguments:
        folder = Path(argument)
        if not folder.is_dir():
            paths.append(argument)
            continue
        found = sorted(
            str(p)
            for p in folder.rglob("*")
            if p.suffix.lower() in IMAGE_SUFFIXES
            and p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        )
        if not found:
            raise ImageError("no images in the folder {folder}", folder=folder)
        paths += found
    return paths


def _personalize(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from model.checkpoints import load_model
    from model.errors import DataError
    from model.events import DataProgress
    from model.paths import default_data_dir, shipped_mnist_dir
    from model.personalize import (
        PersonalizeConfig,
        PersonalizeFinished,
        PersonalizeProgress,
        describe,
        mnist_root,
        personalize,
    )
    from model.samples import load_images, scan_folder, skipped_note

    base = load_model(args.model_file)
    scan = scan_folder(args.samples, strict=True)
    samples = load_images(scan.samples)
    warnings = (*scan.warnings, *samples.warnings)
    if len(samples) < 1:
        raise DataError(
            "no usable samples in {folder} (expected <digit>/<id>.png files{skipped})",
            folder=args.samples,
            skipped=skipped_note(warnings),
        )
    for warning in warnings:
        print(f"digitpad: warning: {warning}", file=sys.stderr)
    config = PersonalizeConfig(epochs=args.epochs, seed=args.seed, data_dir=args.data)
    if mnist_root(config) == shipped_mnist_dir():
        print(
            f"digitpad: no MNIST in {args.data or default_data_dir()}: using the part shipped "
            "with digitpad (all 10,000 test images, 6,000 training images to replay)",
            file=sys.stderr,
        )
    out = Path(args.out)
    stop = threading.Event()

    def on_sigint(signum: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = signal.signal(signal.SIGINT, on_sigint)
    log = sys.stderr if args.json else sys.stdout
    bar: tqdm | None = None
    result: PersonalizeFinished | None = None
    try:
        for event in personalize(base, samples, config, out=out, stop=stop):
            if isinstance(event, DataProgress) and event.message.startswith("Download"):
                print(f"{event.message} ({event.done}/{event.total})", file=sys.stderr)
            elif isinstance(event, PersonalizeProgress):
                if bar is None:
                    bar = tqdm(
                        total=event.total_steps,
                        unit="step",
                        file=sys.stderr,
                        leave=False,
                        dynamic_ncols=True,
                    )
                bar.set_description(event.stage)
                bar.n = event.step
                bar.refresh()
            elif isinstance(event, PersonalizeFinished):
                result = event
    finally:
        signal.signal(signal.SIGINT, previous)
        if bar is not None:
            bar.close()
    assert result is not None
    if result.stopped:
        kept = f"; {out} was left as it was" if out.exists() else ""
        print(f"digitpad: stopped, nothing saved{kept}", file=sys.stderr)
        return EXIT_INTERRUPTED
    assert result.before is not None and result.after is not None
    print(describe(result.before, result.after), file=log)
    verdict = "not worse on either" if result.not_worse else "worse on one of them"
    print(
        f"saved {result.model_path} ({result.samples} samples, {result.train_seconds:.1f} s; "
        f"{verdict})",
        file=log,
    )
    if args.json:
        _print_json(
            {
                "before": asdict(result.before),
                "after": asdict(result.after),
                "samples": result.samples,
                "train_seconds": result.train_seconds,
                "model_path": result.model_path,
                "not_worse": result.not_worse,
            }
        )
    return EXIT_OK


def _predict_numbers(args: argparse.Namespace, network: Any, memory: Any = None) -> int:
    """``predict --number``: one number per file, each digit with its confidence and box.

    Boxes are in pixels for pictures, in the stroke file's own units for strokes.
    """
    from model.images import read_digit_image
    from model.prediction import predict_probabilities
    from model.segmentation import read_image, read_strokes
    from model.stroke_files import is_stroke_file, read_stroke_file

    def classify(x: Any) -> Any:
        return predict_probabilities(network, x)

    results = []
    for path in args.images:  # one decoded picture in memory at a time
        strokes = is_stroke_file(path)
        if strokes:  # the Draw tab's number mode, on a drawing saved as strokes
            from model.stroke_match import read_number

            # A personalized model reads each digit as the Draw tab does (stroke_match).
            reading = read_number(read_strokes(read_stroke_file(path).strokes, classify), memory)
        else:
            reading = read_image(read_digit_image(path), classify)
        digits = [
            {
                "digit": d.digit,
                "confidence": d.confidence,
                "box": [round(v, 4) if strokes else round(v) for v in d.box.as_list()],
            }
            for d in reading.digits
        ]
        results.append({"image": path, "number": reading.text, "digits": digits})
        if not args.json:
            if not reading.digits:
                print(f"{path}: no digits found (blank image)")
            else:
                detail = ", ".join(f"{d.digit} {d.confidence:.0%}" for d in reading.digits)
                print(f"{path}: {reading.text} ({detail})")
    if args.json:
        _print_json(results)
    return EXIT_OK


def _info(args: argparse.Namespace) -> int:
    from model.checkpoints import load_model

    loaded = load_model(args.model_file)
    sys.stdout.write(loaded.card.markdown(loaded.title))
    return EXIT_OK


def _finite(value: Any) -> Any:
    """NaN and infinities -> null: a bare ``NaN`` is not JSON, and parsers reject it."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _print_json(value: Any) -> None:
    print(json.dumps(_finite(value), allow_nan=False), flush=True)


def _error(message: str) -> None:
    print(f"digitpad: error: {message}", file=sys.stderr)


COMMANDS = {
    "train": _train,
    "evaluate": _evaluate,
    "predict": _predict,
    "info": _info,
    "personalize": _personalize,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; returns the exit code (never raises, never a traceback)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        _error(str(exc))
        return EXIT_USAGE
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    configure_threads()  # before any verb imports torch
    interrupted = threading.Event()

    def on_interrupt(signum: int, frame: object) -> None:
        interrupted.set()
        raise KeyboardInterrupt

    # SIGTERM (kill, a closed terminal, a service manager) stops a verb the way
    # Ctrl+C does: one line, exit 130, no half-written file.
    previous_int = signal.signal(signal.SIGINT, on_interrupt)
    previous_term = signal.signal(signal.SIGTERM, on_interrupt)
    try:
        try:
            return COMMANDS[args.command](args)
        except Exception:
            # A Ctrl+C inside an import (torch's, say) can surface as another error
            # ("cannot load module more than once"): what the user did was stop it.
            if interrupted.is_set():
                raise KeyboardInterrupt from None
            raise
    except TrainingDiverged as exc:
        _error(str(exc))
        return EXIT_FAILED
    except DataMissingError as exc:
        _error(f"{exc} On the command line, --data DIR or DIGITPAD_DATA=DIR chooses that folder.")
        return EXIT_USAGE
    except DigitpadError as exc:
        _error(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("digitpad: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `digitpad evaluate ... | head`: the reader left, not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        if os.environ.get("DIGITPAD_DEBUG"):
            raise
        _error(f"unexpected {type(exc).__name__}: {exc} (set DIGITPAD_DEBUG=1 for details)")
        return EXIT_FAILED
    finally:
        signal.signal(signal.SIGINT, previous_int)
        signal.signal(signal.SIGTERM, previous_term)


def exit_process(code: int) -> NoReturn:
    """End a ``digitpad`` process with ``code``, whatever signal arrives now.

    Signals are ignored from here: a Ctrl+C while Python joins its threads at
    exit would print a ``KeyboardInterrupt`` traceback under a result already
    printed. An interrupted verb ends at once (streams flushed): a Ctrl+C that
    landed inside code torch runs through ``PyRun_String`` while it is imported
    leaves CPython marked as killed by SIGINT, and it would end with -2
    instead of 130 even though the interrupt was handled.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if code == EXIT_INTERRUPTED:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    exit_process(main())
