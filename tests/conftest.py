"""Fixtures shared by the core and GUI tests: real MNIST subset, isolated user folders."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

TEST_DATA = Path(__file__).parent / "data"  # a real MNIST subset: 4000 train, 1000 test


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own user data/config folders, so nothing touches ~/.local."""
    home = tmp_path / "home"
    for var, sub in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        (home / sub).mkdir(parents=True)
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.delenv("DIGITPAD_DATA", raising=False)
    monkeypatch.delenv("DIGITPAD_SAMPLES", raising=False)
    return home


@pytest.fixture(scope="session")
def test_data() -> Path:
    return TEST_DATA


@pytest.fixture(scope="session")
def mnist_small():
    from model.data import load_mnist

    return load_mnist(TEST_DATA, download=False)


@pytest.fixture(scope="session")
def trained_mlp(tmp_path_factory: pytest.TempPathFactory, mnist_small) -> Path:
    """An mlp trained 3 epochs on the subset (about 90 % test accuracy), saved to disk."""
    from model.config import TrainConfig
    from model.training import train

    out = tmp_path_factory.mktemp("models") / "mlp-small.pt"
    events = list(train(TrainConfig(epochs=3), data=mnist_small, out=out))
    assert events[-1].model_path == str(out)
    return out


@pytest.fixture
def one_torch_thread() -> Iterator[None]:
    """One intra-op thread for the test, restored afterwards.

    Batches of a few dozen images: a second thread only spin-waits for the first, and
    on a small shared CI machine that makes a step up to 10x slower at random.
    """
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="session")
def base_mlp() -> Path:
    """The shipped mlp (97.9 % on MNIST): a real model to personalize, with no training first."""
    from model.paths import shipped_models_dir

    return shipped_models_dir() / "mlp.pt"
