"""Peak memory (max RSS) of a 10-epoch mlp run, next to a process that only loads the data.

    .venv/bin/python bench/memory.py --data ../shared/data

Each measurement runs in its own child process; the figure is the child's
ru_maxrss from wait4, so nothing of this script's own memory is counted.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

BASELINE = """
import sys
from model.data import load_mnist
load_mnist(sys.argv[1], download=False)
"""

RUN = """
import sys
from model.config import TrainConfig
from model.training import train
for _ in train(TrainConfig(epochs=int(sys.argv[2]), data_dir=sys.argv[1], download=False)):
    pass
"""


def peak_rss_mib(code: str, *args: str) -> float:
    proc = subprocess.Popen([sys.executable, "-c", code, *args])
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"child failed with status {status}")
    return usage.ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--epochs", default="10")
    args = parser.parse_args()
    base = peak_rss_mib(BASELINE, args.data)
    run = peak_rss_mib(RUN, args.data, args.epochs)
    print(f"load MNIST only:        peak RSS {base:7.1f} MiB")
    print(
        f"{args.epochs}-epoch mlp training: peak RSS {run:7.1f} MiB  (ratio {run / base:.2f}, +{run - base:.1f} MiB)"
    )


if __name__ == "__main__":
    main()
