"""How many threads torch may use, and how they wait: decided once, before torch loads.

torch's OpenMP threads spin (keep a core busy) while they wait for each other
at the end of every parallel operation. Alone on a machine that is fastest; but
when two runs share two cores, each waits for a thread the other run has pushed
off its core, and an epoch of 1.2 s took about 30 s. So a run here asks for
only the cores that other work leaves idle (the load average says how many),
and its waiting threads sleep (``OMP_WAIT_POLICY=PASSIVE``) rather than spin,
so a second run started later still shares the cores about fairly
(bench/concurrent_training.py). OpenMP reads both settings once, when torch
loads it: this must run before ``import torch``. A user's own settings win.
"""

from __future__ import annotations

import math
import os


def usable_cpus() -> int:
    """The CPUs this process may run on (taskset, cgroup cpusets), not the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # macOS, Windows
        return os.cpu_count() or 1


def idle_cpus(cpus: int, load: float) -> int:
    """The cores that ``load`` (runnable processes, averaged) leaves idle, at least one."""
    return max(1, min(cpus, math.floor(cpus - load + 0.5)))


def configure_threads(environ: dict[str, str] | None = None) -> None:
    """Before ``import torch``: use the idle cores, and let waiting threads sleep."""
    env = os.environ if environ is None else environ
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # Windows
        load = 0.0
    env.setdefault("OMP_NUM_THREADS", str(idle_cpus(usable_cpus(), load)))
    env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
