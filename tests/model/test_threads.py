"""Thread settings for torch: the idle cores, passive waiting, the user's own choice first."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from model.threads import configure_threads, idle_cpus, usable_cpus


@pytest.mark.parametrize(
    ("cpus", "load", "threads"),
    [(2, 0.0, 2), (2, 0.4, 2), (2, 1.2, 1), (2, 17.9, 1), (16, 3.4, 13), (1, 0.0, 1)],
)
def test_a_run_takes_the_idle_cores(cpus: int, load: float, threads: int) -> None:
    assert idle_cpus(cpus, load) == threads


def test_the_users_settings_win() -> None:
    env = {"OMP_NUM_THREADS": "7", "OMP_WAIT_POLICY": "ACTIVE"}
    configure_threads(env)
    assert env == {"OMP_NUM_THREADS": "7", "OMP_WAIT_POLICY": "ACTIVE"}
    fresh: dict[str, str] = {}
    configure_threads(fresh)
    assert fresh["OMP_WAIT_POLICY"] == "PASSIVE"
    assert 1 <= int(fresh["OMP_NUM_THREADS"]) <= usable_cpus()


def test_torch_takes_the_setting_when_loaded_after_it() -> None:
    code = (
        "from model.threads import configure_threads\n"
        "env = {}\n"
        "configure_threads(env)\n"
        "import os\n"
        "os.environ.update(env)\n"
        "import torch\n"
        "print(env['OMP_NUM_THREADS'], torch.get_num_threads())\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMP_")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    wanted, got = done.stdout.split()
    assert wanted == got
