"""Two cnn files -> one cnn-ensemble file: its answer is the members' mean probability."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from model.checkpoints import ModelCard, load_model, save_model
from model.ensemble import main
from model.errors import ConfigError
from model.networks import ConvNet, Ensemble, build_network
from model.prediction import predict_probabilities


def cnn_file(tmp_path: Path, seed: int, **card: object) -> Path:
    torch.manual_seed(seed)
    net = build_network("cnn", channels=4, hidden=16)
    recipe = {"epochs": 4, "seed": seed, "augment": True}
    return save_model(
        tmp_path / f"cnn-{seed}.pt",
        net,
        ModelCard(network="cnn", hyperparameters=recipe, train_seconds=10.0 + seed, **card),
    )


def test_the_ensemble_answers_with_the_mean_probability(
    tmp_path: Path, test_data: Path, mnist_small, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = cnn_file(tmp_path, 1), cnn_file(tmp_path, 2)
    out = tmp_path / "both.pt"
    assert main([str(a), str(b), "--out", str(out), "--data", str(test_data)]) == 0
    assert "saved" in capsys.readouterr().out
    loaded = load_model(out)
    assert loaded.network_name == "cnn-ensemble" and isinstance(loaded.network, Ensemble)
    images = mnist_small.test.images[:64].numpy()
    mean = (
        predict_probabilities(load_model(a).network, images)
        + predict_probabilities(load_model(b).network, images)
    ) / 2
    together = predict_probabilities(loaded.network, images)
    assert together == pytest.approx(mean, abs=1e-5)
    card = loaded.card
    assert card.network == "cnn-ensemble" and card.test_size == 1000
    assert card.hyperparameters["seed"] == [1, 2] and card.hyperparameters["members"] == 2
    assert card.hyperparameters["augment"] is True
    assert card.train_seconds == pytest.approx(23.0)
    assert 0 <= card.test_accuracy <= 1 and len(card.per_class_accuracy) == 10


def test_only_same_shaped_cnns_combine(
    tmp_path: Path, trained_mlp: Path, test_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = cnn_file(tmp_path, 1)
    wide = save_model(tmp_path / "wide.pt", ConvNet(8, 16), ModelCard(network="cnn"))
    out = str(tmp_path / "x.pt")
    for models, phrase in (
        ([a, trained_mlp], "not a cnn"),
        ([a, wide], "different sizes"),
        ([a], "at least two"),
    ):
        assert main([*map(str, models), "--out", out, "--data", str(test_data)]) == 2
        err = capsys.readouterr().err
        assert phrase in err and len(err.strip().splitlines()) == 1
    assert not Path(out).exists()
    with pytest.raises(ConfigError):
        build_network("cnn-ensemble", members=2, width=3)


def test_an_ensemble_maps_images_to_ten_log_probabilities() -> None:
    net = build_network("cnn-ensemble", members=3, channels=4, hidden=8).eval()
    with torch.no_grad():
        out = net(torch.zeros(5, 28, 28))
    assert out.shape == (5, 10)
    assert torch.exp(out).sum(1).tolist() == pytest.approx([1.0] * 5, abs=1e-5)
