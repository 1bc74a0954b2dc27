"""Probabilities for preprocessed images, one or a batch."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from model.checkpoints import load_model
from model.prediction import predict_probabilities


def test_single_and_batch(trained_mlp: Path, mnist_small) -> None:
    network = load_model(trained_mlp).network
    images = mnist_small.test.images[:200].numpy()
    batch = predict_probabilities(network, images)
    assert batch.shape == (200, 10)
    assert np.allclose(batch.sum(1), 1, atol=1e-5)
    single = predict_probabilities(network, images[3])
    assert single.shape == (10,) and np.allclose(single, batch[3], atol=1e-6)
    assert (batch.argmax(1) == mnist_small.test.labels[:200].numpy()).mean() > 0.85


def test_wrong_shape_is_refused(trained_mlp: Path) -> None:
    with pytest.raises(ValueError, match="28x28"):
        predict_probabilities(load_model(trained_mlp).network, np.zeros((32, 32)))
