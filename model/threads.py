"""How many threads torch may use, and how they wait: set once, before torch loads.

torch's OpenMP threads spin (burn a core) while they wait for each other at
the end of every operation. Alone on a machine that is fastest; but when two
runs share two cores, each waits for a thread the other run has pushed off
its core, and an epoch of 1.2 s took 30 s. With ``OMP_WAIT_POLICY=PASSIVE``
a waiting thread sleeps instead, and two runs share the cores about fairly
(bench/concurrent_training.py). The policy is read once, when torch loads
OpenMP, so this must run before ``import torch``; a user's own setting wins.
"""

from __future__ import annotations

import os


def configure_threads(environ: dict[str, str] | None = None) -> None:
    """Before ``import torch``: waiting threads sleep rather than spin."""
    env = os.environ if environ is None else environ
    env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
