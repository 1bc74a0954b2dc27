"""What augmentation costs: an augmented training epoch against a plain one, and the
augmentation itself against its version before issue 11, in the same run.

    .venv/bin/python bench/augment_speed.py --data ../shared/data [--limit N] [--network cnn]
    .venv/bin/python bench/augment_speed.py --data ../shared/data --no-epochs --threads 1

Trains one epoch of the network's recommended recipe with and without
``augment`` (alternating, ``--repeats`` times each, the fastest of each kept, so a
busy machine disturbs both alike) and prints the ratio of their epoch times.

Then times ``augment_batch`` alone on one batch, as a share of the plain epoch,
against the version before issue 11 split it into ``draw`` and ``distort`` (seven
draws from the generator and ``torch.linalg.inv``; read from git at ``--before``),
interleaved, the fastest of ``--rounds`` kept for each, on every device this
machine has. On the CPU both give the same batch for the same seed (one draw
yields the numbers the seven did); the largest difference is printed too.

With CUDA, last, the recipe's augmented training step three ways, as seconds per
epoch of full batches: eager; the step captured in a CUDA graph with the
distortion eager before each replay (before issue 11); the step and the
distortion captured together, only the draw eager (now).
"""

from __future__ import annotations

import argparse
import dataclasses
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path

import torch

from model.augment import augment_batch, distort, draw
from model.config import RECOMMENDED, TrainConfig
from model.data import Mnist, Split, load_mnist
from model.devices import available_devices
from model.events import EpochEnd
from model.networks import build_network
from model.schedule import schedule
from model.steps import AutogradStep
from model.training import train

BEFORE = "ef91404"  # main just before issue 11's split: model/augment.py drew seven times


def epoch_seconds(config, data: Mnist) -> float:
    ends = [e for e in train(config, data=data) if isinstance(e, EpochEnd)]
    return ends[0].epoch_seconds


def module_at(commit: str, path: str) -> types.ModuleType | None:
    """``path`` as it was at ``commit`` in this repository, imported under another name;
    None (said why) where there is no git history, e.g. a copy of the tree on a GPU machine."""
    root = Path(__file__).resolve().parents[1]
    try:
        source = subprocess.run(
            ["git", "show", f"{commit}:{path}"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"(no {path} at {commit} to compare with: {exc})")
        return None
    module = types.ModuleType(f"before_{commit}")
    sys.modules[module.__name__] = module  # dataclasses look their module up there
    exec(compile(source, f"{commit}:{path}", "exec"), module.__dict__)
    return module


def seconds_per_call(run: Callable[[], object], device: torch.device, calls: int) -> float:
    if device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(calls):
        run()
    if device.type == "cuda":
        torch.cuda.synchronize()
    return (time.perf_counter() - start) / calls


def variants(
    old: types.ModuleType | None, batch: torch.Tensor, generator: torch.Generator
) -> dict[str, Callable[[], object]]:
    """What is timed: the old ``augment_batch`` (if any), the new one, and the new one's halves."""
    n = len(batch)
    uniforms = draw(n, generator)
    out = torch.empty_like(batch)
    runs: dict[str, Callable[[], object]] = {}
    if old is not None:
        runs["before"] = lambda: old.augment_batch(batch, generator=generator)
    runs["now"] = lambda: augment_batch(batch, generator=generator)
    runs["draw alone"] = lambda: draw(n, generator, out=uniforms)
    runs["distort alone"] = lambda: distort(batch, uniforms, out=out)
    return runs


def compare_augmentations(
    images: torch.Tensor, batch_size: int, rounds: int, calls: int, before: str
) -> dict[str, float]:
    """Seconds per batch of the new ``augment_batch`` on each device, after printing the table."""
    old = module_at(before, "model/augment.py")
    results: dict[str, float] = {}
    for name in [d for d in available_devices() if d != "auto"]:
        device = torch.device(name)
        batch = images[:batch_size].to(device)
        runs = variants(old, batch, torch.Generator(device=device).manual_seed(0))
        best = {key: float("inf") for key in runs}
        for run in runs.values():
            run()  # warm caches (the upsampler, kernels) before any clock starts
        for _ in range(rounds):
            for key, run in runs.items():
                best[key] = min(best[key], seconds_per_call(run, device, calls))
        print(f"augment_batch on {name}, batch of {batch_size}, fastest of {rounds} x {calls}:")
        for key, seconds in best.items():
            print(f"  {key:<14} {seconds * 1000:8.3f} ms per batch")
        if old is not None:
            same = torch.Generator(device=device).manual_seed(1)
            a = old.augment_batch(batch, generator=same)
            same.manual_seed(1)
            b = augment_batch(batch, generator=same)
            print(
                f"  now / before: {best['now'] / best['before']:.2f}x; largest difference on "
                f"the same seed: {(a - b).abs().max().item():.2e} (normalised units)"
            )
        results[name] = best["now"]
    return results


def cuda_epoch_seconds(
    config: TrainConfig, train_set: Split, *, capture: bool, capture_distortion: bool
) -> tuple[float, bool]:
    """Seconds for one epoch's full batches of augmented steps on CUDA, after the warm-up and
    the capture; and whether the distortion ended up in the graph."""
    torch.manual_seed(config.seed)
    network = build_network(config.network).to("cuda")
    bs, every = config.batch_size, config.report_every
    batches = len(train_set) // bs
    stepper = AutogradStep(
        config,
        network,
        train_set,
        schedule(config, batches + every),
        report_every=every,
        capture=capture,
        capture_distortion=capture_distortion,
    )
    perm = torch.randperm(len(train_set), device="cuda")
    ids = [perm[i * bs : (i + 1) * bs] for i in range(batches)]
    # The warm-up, the capture (model.steps.WARMUP_STEPS steps in) and a few replays.
    for i in range(every):
        stepper.step(ids[i % batches], i)
    stepper.losses(every)
    torch.cuda.synchronize()
    start = time.perf_counter()
    done = 0
    for i, rows in enumerate(ids):
        stepper.step(rows, every + i)
        done += 1
        if done == every:
            stepper.losses(done)  # the loop's one sync per report
            done = 0
    if done:
        stepper.losses(done)
    torch.cuda.synchronize()
    return time.perf_counter() - start, stepper.augmentation_captured


def compare_captures(recipe: TrainConfig, data: Mnist, repeats: int) -> None:
    config = dataclasses.replace(recipe, augment=True, device="cuda")
    train_set = data.train.to("cuda")
    modes = {
        "eager": (False, False),
        "step captured, distortion eager": (True, False),
        "step and distortion captured": (True, True),
    }
    best = {name: float("inf") for name in modes}
    for _ in range(repeats):
        for name, (capture, capture_distortion) in modes.items():
            seconds, in_graph = cuda_epoch_seconds(
                config, train_set, capture=capture, capture_distortion=capture_distortion
            )
            best[name] = min(best[name], seconds)
            if capture_distortion and not in_graph:
                print("  the distortion could not be captured: the graph holds the step alone")
    print(
        f"augmented {config.network} steps on cuda, one epoch of full batches, fastest of {repeats}:"
    )
    for name, seconds in best.items():
        print(f"  {name:<32} {seconds:7.3f} s per epoch")
    before = best["step captured, distortion eager"]
    print(f"  now / before: {best['step and distortion captured'] / before:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--network", default="cnn", choices=sorted(RECOMMENDED))
    parser.add_argument("--limit", type=int, default=60000, help="training images per epoch")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds of timing")
    parser.add_argument("--calls", type=int, default=50, help="augment_batch calls per round")
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: its default)")
    parser.add_argument("--no-epochs", action="store_true", help="time augment_batch only")
    parser.add_argument("--before", default=BEFORE, help="the commit to compare against")
    parser.add_argument("--device", default="auto", help="the device of the epoch comparison")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    full = load_mnist(args.data, download=False)
    data = Mnist(
        Split(full.train.images[: args.limit], full.train.labels[: args.limit]),
        Split(full.test.images[:1000], full.test.labels[:1000]),
        full.root,
    )
    # Augmentation alone: the shipped pen digits would add the same images to both runs.
    recipe = dataclasses.replace(
        RECOMMENDED[args.network], epochs=1, pen_digits=False, device=args.device
    )
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} threads; "
        f"{args.network}, batch {recipe.batch_size}, {len(data.train):,} images per epoch"
    )
    p = None
    if not args.no_epochs:
        plain, augmented = [], []
        for _ in range(args.repeats):
            plain.append(epoch_seconds(dataclasses.replace(recipe, augment=False), data))
            augmented.append(epoch_seconds(dataclasses.replace(recipe, augment=True), data))
        p, a = min(plain), min(augmented)
        print(f"plain epoch     {p:7.2f} s   (runs: {', '.join(f'{x:.2f}' for x in plain)})")
        print(f"augmented epoch {a:7.2f} s   (runs: {', '.join(f'{x:.2f}' for x in augmented)})")
        print(f"augmented / plain: {a / p:.2f}x")

    per_batch = compare_augmentations(
        data.train.images, recipe.batch_size, args.rounds, args.calls, args.before
    )
    if torch.cuda.is_available():
        compare_captures(recipe, data, args.repeats)
    if p is not None:
        steps = -(-len(data.train) // recipe.batch_size)
        print(
            f"augment_batch alone on the cpu: {per_batch['cpu'] * steps / p:.1%} of a plain "
            "epoch's time"
        )


if __name__ == "__main__":
    main()
