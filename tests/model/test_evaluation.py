"""Evaluation: accuracy, per-class accuracy, confusion matrix, misclassified indices agree."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from model.checkpoints import load_model
from model.evaluation import evaluate, predictions


def test_evaluation_is_self_consistent(trained_mlp: Path, mnist_small) -> None:
    network = load_model(trained_mlp).network
    result = evaluate(network, mnist_small.test)
    matrix = np.array(result.confusion)
    labels = mnist_small.test.labels.numpy()
    predicted = predictions(network, mnist_small.test.images).numpy()
    assert matrix.shape == (10, 10) and matrix.sum() == len(labels) == result.size
    assert result.accuracy == np.trace(matrix) / len(labels) == (predicted == labels).mean()
    assert np.array_equal(matrix.sum(1), np.bincount(labels, minlength=10))
    for digit in range(10):
        mask = labels == digit
        assert result.per_class_accuracy[digit] == (predicted[mask] == digit).mean()
    wrong = np.array(result.misclassified)
    assert len(wrong) == len(labels) - np.trace(matrix)
    assert np.all(predicted[wrong] != labels[wrong])


def test_train_split_too(trained_mlp: Path, mnist_small) -> None:
    result = evaluate(load_model(trained_mlp).network, mnist_small.train)
    assert result.size == 4000 and result.accuracy > 0.85


def test_absent_class_is_nan_not_a_crash(trained_mlp: Path, mnist_small) -> None:
    from model.data import Split

    ones = mnist_small.test.labels == 1
    split = Split(mnist_small.test.images[ones], mnist_small.test.labels[ones])
    result = evaluate(load_model(trained_mlp).network, split)
    assert np.isnan(result.per_class_accuracy[0]) and not np.isnan(result.per_class_accuracy[1])
