"""Our training loop against the tutorial's and against a minimal eager loop, in one run.

    .venv/bin/python bench/train_speed.py --data ../shared/data [--epochs 10] [--threads 1]

Three baselines, each timed in this same process:

- the classic tutorial loop (a torchvision DataLoader with ToTensor + Normalize,
  which builds a PIL image per sample per epoch), on the CPU;
- a minimal eager loop of the same step on every device: the batches sliced
  before the clock starts, then forward, loss, backward, SGD step, nothing
  else (no loss read back, no evaluation);
- our loop (``model.training.train``) as it runs, its per-epoch test
  evaluation included, and with its faster step switched off (````fast_step=False``:
  autograd on the CPU, eager steps on CUDA) to show what the step adds.

The variants run interleaved ``--repeats`` times and each figure is the median
epoch, so a neighbour's burst on a shared machine hits all of them alike. The
last line says which device ``auto`` picks for the recipe, and why.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

import torch
from torch import nn

from model.config import TrainConfig
from model.data import Mnist, load_mnist
from model.devices import available_devices, choose_device
from model.events import EpochEnd, RunFinished, RunStarted
from model.networks import Net
from model.normalization import MEAN, STD
from model.training import train


def tutorial(root: str, epochs: int, seed: int) -> tuple[list[float], float]:
    """The PyTorch tutorial's loop, as users know it."""
    from torch.utils.data import DataLoader
    from torchvision import datasets, transforms

    torch.manual_seed(seed)
    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((MEAN,), (STD,))])
    train_set = datasets.MNIST(root, train=True, download=False, transform=transform)
    test_set = datasets.MNIST(root, train=False, download=False, transform=transform)
    train_loader = DataLoader(train_set, batch_size=32, shuffle=True)
    test_loader = DataLoader(test_set, batch_size=1000)
    net = Net()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    criterion = nn.CrossEntropyLoss()
    seconds = []
    for _ in range(epochs):
        start = time.perf_counter()
        net.train()
        for images, labels in train_loader:
            optimizer.zero_grad()
            loss = criterion(net(images), labels)
            loss.backward()
            optimizer.step()
        seconds.append(time.perf_counter() - start)
    net.eval()
    correct = 0
    with torch.no_grad():
        for images, labels in test_loader:
            correct += (net(images).argmax(1) == labels).sum().item()
    return seconds, correct / len(test_set)


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def minimal(data: Mnist, device: torch.device, epochs: int, seed: int) -> tuple[list[float], float]:
    """The same step and recipe with nothing else: pre-sliced batches, no loss read, no evaluation."""
    torch.manual_seed(seed)
    images, labels = data.train.images.to(device), data.train.labels.to(device)
    net = Net().to(device)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    criterion = nn.CrossEntropyLoss()
    shuffle = torch.Generator().manual_seed(seed)
    seconds = []
    for _ in range(epochs):
        perm = torch.randperm(len(labels), generator=shuffle).to(device)
        batches = [(images[i], labels[i]) for i in perm.split(32)]
        _sync(device)
        start = time.perf_counter()
        for x, y in batches:
            optimizer.zero_grad()
            loss = criterion(net(x), y)
            loss.backward()
            optimizer.step()
        _sync(device)
        seconds.append(time.perf_counter() - start)
    net.eval()
    with torch.no_grad():
        predicted = net(data.test.images.to(device)).argmax(1).cpu()
    return seconds, (predicted == data.test.labels).float().mean().item()


def ours(
    data: Mnist, device: str, epochs: int, seed: int, *, fast: bool
) -> tuple[list[float], float, str]:
    """``train`` as the app runs it; ``fast=False``: the plain autograd step on every device."""
    config = TrainConfig(epochs=epochs, seed=seed, device=device)
    seconds, accuracy, step = [], 0.0, ""
    events = train(config, data=data, fast_step=fast)
    for event in events:
        if isinstance(event, RunStarted):
            step = event.step
        elif isinstance(event, EpochEnd):
            seconds.append(event.epoch_seconds)
        elif isinstance(event, RunFinished):
            accuracy = event.test_accuracy
    return seconds, accuracy, step


def median_epoch(runs: list[list[float]]) -> float:
    return statistics.median(s for run in runs for s in run)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=1, help="interleaved runs of each variant")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: its default)")
    parser.add_argument("--no-tutorial", action="store_true", help="skip the slow DataLoader loop")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} threads, {os.cpu_count()} CPUs "
        f"(load {load:.1f}), {args.epochs} epochs x {args.repeats}, mlp, batch 32, SGD 0.01/0.9"
    )
    data = load_mnist(args.data, download=False)

    if not args.no_tutorial:
        base_s, base_acc = tutorial(args.data, args.epochs, args.seed)
        base = statistics.median(base_s)
        print(f"tutorial DataLoader loop (cpu): {base:6.3f} s/epoch, test accuracy {base_acc:.2%}")

    for device in [d for d in available_devices() if d != "auto"]:
        variants: dict[str, Callable[[], tuple[list[float], float, str]]] = {
            "minimal": lambda d=device: (
                *minimal(data, torch.device(d), args.epochs, args.seed),
                "eager",
            ),
            "ours, plain step": lambda d=device: ours(data, d, args.epochs, args.seed, fast=False),
            "ours": lambda d=device: ours(data, d, args.epochs, args.seed, fast=True),
        }
        seconds: dict[str, list[list[float]]] = {name: [] for name in variants}
        results: dict[str, tuple[float, str]] = {}
        for _ in range(args.repeats):
            for name, run in variants.items():
                s, accuracy, step = run()
                seconds[name].append(s)
                results[name] = (accuracy, step)
        floor = median_epoch(seconds["minimal"])
        print(f"{device}:")
        for name in variants:
            epoch = median_epoch(seconds[name])
            accuracy, step = results[name]
            extra = "" if name == "minimal" else " (its test evaluation included)"
            print(
                f"  {name + ' (' + step + ')':<42} {epoch:6.3f} s/epoch, {epoch / floor:5.2f}x the "
                f"minimal loop, test accuracy {accuracy:.2%}{extra}"
            )
        if not args.no_tutorial and device == "cpu":
            ours_epoch = median_epoch(seconds["ours"])
            print(f"  speed-up over the tutorial loop: {base / ours_epoch:.1f}x per epoch")

    steps = choose_device(TrainConfig(), data)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            choice = done.value
            break
    print(f"device chosen by auto: {choice.device} ({choice.reason})")


if __name__ == "__main__":
    main()
