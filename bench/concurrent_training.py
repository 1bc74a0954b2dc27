"""Two training runs at once against one alone: does sharing the cores degrade gracefully?

    .venv/bin/python bench/concurrent_training.py --data ../shared/data

Each run is a child process training the mlp for ``--epochs`` epochs on MNIST
(the data decoded before the clock starts); the figure is its mean seconds per
epoch. Two runs sharing N cores should each take about twice as long as one
alone (ratio 2.0); far more means the runs fight (torch's OpenMP threads spin
while they wait for a thread that the other run has pushed off its core).
Compared: torch's defaults (as a bare script gets them), passive waiting alone,
and digitpad's own setting (``model.threads.configure_threads``, what
``digitpad train`` uses: the idle cores, passive waiting).
The load average is printed too: other work on the machine skews every figure
(and decides how many threads digitpad's setting asks for).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

RUN = """
import json, os, sys, time
if sys.argv[3] == "digitpad":
    from model.threads import configure_threads
    configure_threads()
elif sys.argv[3] == "passive-only":
    os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
import torch
from model.config import TrainConfig
from model.data import load_mnist
from model.events import EpochEnd
from model.training import train
from model.data import Mnist, Split
data = load_mnist(sys.argv[1], download=False)
n = int(sys.argv[4])
data = Mnist(Split(data.train.images[:n], data.train.labels[:n]), data.test, data.root)
print("ready", flush=True)
sys.stdin.readline()  # start together
seconds = [
    e.epoch_seconds
    for e in train(TrainConfig(epochs=int(sys.argv[2]), download=False), data=data)
    if isinstance(e, EpochEnd)
]
print(json.dumps({"threads": torch.get_num_threads(), "epoch_seconds": seconds}), flush=True)
"""


def run_together(count: int, data: str, epochs: int, setting: str, train_size: int) -> list[dict]:
    """Start ``count`` children, wait until all have decoded MNIST, then train at once."""
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_WAIT_POLICY", "OMP_NUM_THREADS")}
    children = [
        subprocess.Popen(
            [sys.executable, "-c", RUN, data, str(epochs), setting, str(train_size)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(count)
    ]
    for child in children:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    results = []
    for child in children:
        out, _ = child.communicate()
        if child.returncode != 0:
            raise SystemExit(f"a training child failed ({child.returncode})")
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--train-size", type=int, default=60000, help="first N training images")
    parser.add_argument(
        "--settings",
        nargs="+",
        default=["torch-default", "passive-only", "digitpad"],
        help="torch-default; passive-only (OMP_WAIT_POLICY=PASSIVE, default threads); digitpad",
    )
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs; load average before: {os.getloadavg()[0]:.1f}")
    for setting in args.settings:
        alone = run_together(1, args.data, args.epochs, setting, args.train_size)
        together = run_together(2, args.data, args.epochs, setting, args.train_size)
        one = statistics.mean(alone[0]["epoch_seconds"])
        two = statistics.mean(s for r in together for s in r["epoch_seconds"])
        print(
            f"{setting:>13} ({alone[0]['threads']} thread(s)): one run {one:5.2f} s/epoch, "
            f"two at once {two:5.2f} s/epoch each (ratio {two / one:.2f}; 2.0 = fair sharing)"
        )
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
