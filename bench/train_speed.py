"""Our training loop against the classic tutorial's, same Net, recipe and epochs, in one run.

    .venv/bin/python bench/train_speed.py --data ../shared/data [--epochs 10]

The tutorial feeds a torchvision DataLoader with ToTensor + Normalize, which
builds a PIL image per sample per epoch; ours decodes once and slices tensors.
Prints seconds per epoch for both, the ratio, and both test accuracies.
"""

from __future__ import annotations

import argparse
import time

import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from model.config import TrainConfig
from model.data import load_mnist
from model.events import EpochEnd, RunFinished
from model.networks import Net
from model.normalization import MEAN, STD
from model.training import train


def tutorial(root: str, epochs: int, seed: int) -> tuple[list[float], float]:
    """The PyTorch tutorial's loop, as users know it."""
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


def ours(root: str, epochs: int, seed: int) -> tuple[list[float], float]:
    data = load_mnist(root, download=False)
    seconds, accuracy = [], 0.0
    for event in train(TrainConfig(epochs=epochs, seed=seed), data=data):
        if isinstance(event, EpochEnd):
            seconds.append(event.epoch_seconds)
        elif isinstance(event, RunFinished):
            accuracy = event.test_accuracy
    return seconds, accuracy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} threads, {args.epochs} epochs, mlp, batch 32, SGD 0.01/0.9"
    )
    base_s, base_acc = tutorial(args.data, args.epochs, args.seed)
    our_s, our_acc = ours(args.data, args.epochs, args.seed)
    base_epoch = sum(base_s) / len(base_s)
    our_epoch = sum(our_s) / len(our_s)
    print(f"tutorial DataLoader loop: {base_epoch:6.2f} s/epoch, test accuracy {base_acc:.2%}")
    print(
        f"digitpad training loop:   {our_epoch:6.2f} s/epoch, test accuracy {our_acc:.2%}  (epoch time includes its test-set evaluation)"
    )
    print(
        f"speed-up: {base_epoch / our_epoch:.1f}x per epoch (target >= 6x); our accuracy after {args.epochs} epochs: {our_acc:.2%} (target >= 97.8 %)"
    )


if __name__ == "__main__":
    main()
