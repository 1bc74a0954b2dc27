"""Model files: bit-for-bit round trips, atomic saves, one clear error for every bad file."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import numpy as np
import pytest
import torch

from model.checkpoints import (
    FORMAT,
    ModelCard,
    load_model,
    save_model,
    update_card,
    weights_checksum,
)
from model.errors import ModelFileError
from model.networks import build_network
from model.prediction import predict_probabilities


def test_round_trip_is_bit_for_bit(trained_mlp: Path, tmp_path: Path, mnist_small) -> None:
    loaded = load_model(trained_mlp)
    copy = save_model(tmp_path / "copy.pt", loaded.network, loaded.card)
    again = load_model(copy)
    a, b = loaded.network.state_dict(), again.network.state_dict()
    assert a.keys() == b.keys()
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert again.card == loaded.card
    images = mnist_small.test.images[:50].numpy()
    assert np.array_equal(
        predict_probabilities(loaded.network, images), predict_probabilities(again.network, images)
    )


def test_card_describes_the_run(trained_mlp: Path) -> None:
    card = load_model(trained_mlp).card
    assert card.network == "mlp" and card.dataset == "MNIST"
    assert (card.train_size, card.test_size) == (4000, 1000)
    assert card.hyperparameters["epochs"] == 3 and card.hyperparameters["lr"] == 0.01
    assert 0.85 <= card.test_accuracy <= 1 and len(card.per_class_accuracy) == 10
    assert card.train_seconds > 0 and card.created and card.torch_version == str(torch.__version__)
    markdown = card.markdown("mlp-small")
    assert "Test accuracy" in markdown and "| 9 |" in markdown


def test_real_pen_figures_are_recorded_in_the_card(trained_mlp: Path, tmp_path: Path) -> None:
    path = tmp_path / "pen.pt"
    path.write_bytes(trained_mlp.read_bytes())
    assert load_model(path).card.real_pen == {}  # a card from before the field: no section
    assert "Real pen digits" not in load_model(path).card.markdown("pen")
    before = load_model(path).network.state_dict()
    figures = {
        "normal": 0.9861,
        "small": 0.9772,
        "digits": 5000,
        "collections": ["aga", "ced"],
        "trained_on": ["apb"],
    }
    update_card(path, real_pen=figures)
    loaded = load_model(path)
    assert loaded.card.real_pen == figures
    after = loaded.network.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)  # only the card changed
    markdown = loaded.card.markdown("pen")
    assert "| normal | 98.61% |" in markdown and "| small | 97.72% |" in markdown
    assert "aga, ced" in markdown and "trained on: apb" in markdown


def test_cnn_arguments_survive_the_file(tmp_path: Path) -> None:
    net = build_network("cnn", channels=8, hidden=16)
    path = save_model(tmp_path / "small-cnn", net, ModelCard(network="cnn"))
    assert path.suffix == ".pt"
    assert load_model(path).network.features[0].out_channels == 8


def test_failed_save_keeps_the_previous_file_and_leaves_no_temp(
    trained_mlp: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "models"
    folder.mkdir()
    target = folder / "model.pt"
    target.write_bytes(trained_mlp.read_bytes())
    before = target.read_bytes()
    bad_card = ModelCard(
        network="mlp", hyperparameters={"callback": lambda: None}
    )  # cannot be pickled
    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
        save_model(target, build_network("mlp"), bad_card)
    assert target.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["model.pt"]


def test_saved_file_gets_normal_permissions(tmp_path: Path) -> None:
    path = save_model(tmp_path / "m.pt", build_network("mlp"), ModelCard(network="mlp"))
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


class _Evil:
    """Unpickling this would create a folder: proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (os.mkdir, (self.marker,))


def _bad_files(good: Path, folder: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, a phrase the error must contain)."""
    data = good.read_bytes()
    files: dict[str, tuple[Path, str]] = {}

    def put(name: str, content: bytes, phrase: str) -> None:
        path = folder / name
        path.write_bytes(content)
        files[name] = (path, phrase)

    put("empty.pt", b"", "empty")
    put("truncated.pt", data[: len(data) // 2], "truncated or corrupt")
    corrupt = bytearray(data)
    corrupt[len(data) // 3 : len(data) // 3 + 4096] = os.urandom(4096)
    put("corrupt.pt", bytes(corrupt), "corrupt")
    put("random.pt", os.urandom(5000), "corrupt")
    put("text.pt", b"hello, I am not a model\n", "corrupt")
    put(
        "labels.pt",
        (
            Path(__file__).parents[1] / "data" / "MNIST" / "raw" / "t10k-labels-idx1-ubyte"
        ).read_bytes(),
        "corrupt",
    )
    torch.save(build_network("mlp").state_dict(), folder / "bare_state_dict.pt")
    files["bare_state_dict.pt"] = (folder / "bare_state_dict.pt", "not a digitpad model file")
    torch.save({"format": FORMAT, "format_version": 99}, folder / "future.pt")
    files["future.pt"] = (folder / "future.pt", "format version 99")
    cnn_weights = build_network("cnn").state_dict()
    torch.save(
        {
            "format": FORMAT,
            "format_version": 1,
            "network": "mlp",
            "state_dict": cnn_weights,
            "checksum": weights_checksum(cnn_weights),
        },
        folder / "mismatch.pt",
    )
    files["mismatch.pt"] = (folder / "mismatch.pt", "do not fit")
    torch.save(
        {
            "format": FORMAT,
            "format_version": 1,
            "network": "transformer",
            "state_dict": {},
            "checksum": weights_checksum({}),
        },
        folder / "foreign_net.pt",
    )
    torch.save({"format": FORMAT, "format_version": 1, "network": "mlp"}, folder / "no_weights.pt")
    files["no_weights.pt"] = (folder / "no_weights.pt", "holds no weights")
    files["foreign_net.pt"] = (folder / "foreign_net.pt", "unknown network")
    return files


def test_every_bad_file_gives_the_one_specific_error(trained_mlp: Path, tmp_path: Path) -> None:
    for name, (path, phrase) in _bad_files(trained_mlp, tmp_path).items():
        with pytest.raises(ModelFileError) as caught:
            load_model(path)
            pytest.fail(f"{name} loaded without an error")
        message = str(caught.value)
        assert str(path) in message, name
        assert phrase in message, f"{name}: {message}"
        assert "\n" not in message, name


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="not found"):
        load_model(tmp_path / "nope.pt")
    with pytest.raises(ModelFileError, match="not a file"):
        load_model(tmp_path)


@pytest.mark.parametrize("container", ["torch_zip", "raw_pickle"])
def test_malicious_pickle_is_refused_and_never_runs(tmp_path: Path, container: str) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pt"
    payload = {"format": FORMAT, "format_version": 1, "network": "mlp", "state_dict": _Evil(marker)}
    if container == "torch_zip":
        torch.save(payload, path)
    else:
        path.write_bytes(pickle.dumps(payload, protocol=2))  # torch's own protocol
    with pytest.raises(ModelFileError, match="refused without executing anything"):
        load_model(path)
    assert not marker.exists()
    # The same bytes really are dangerous: an unsafe loader would have run the code.
    if container == "raw_pickle":
        pickle.loads(path.read_bytes())
        assert marker.exists()


@pytest.mark.parametrize(
    ("change", "phrase"),
    [
        ({"card": "hello"}, "model card is malformed"),
        ({"card": {"network": "mlp", "test_accuracy": "high"}}, "model card is malformed"),
        ({"card": {"network": "mlp", "per_class_accuracy": 3}}, "model card is malformed"),
        ({"card": {"network": "mlp", "real_pen": [0.9]}}, "model card is malformed"),
        ({"card": {"network": "mlp", "real_pen": {"normal": "x"}}}, "model card is malformed"),
        ({"state_dict": {1: torch.zeros(1)}}, "holds no weights"),
    ],
)
def test_crafted_contents_are_refused_cleanly(tmp_path: Path, change: dict, phrase: str) -> None:
    weights = build_network("mlp").state_dict()
    payload = {
        "format": FORMAT,
        "format_version": 1,
        "network": "mlp",
        "state_dict": weights,
        "checksum": weights_checksum(weights),
        **change,
    }
    torch.save(payload, tmp_path / "crafted.pt")
    with pytest.raises(ModelFileError, match=phrase):
        load_model(tmp_path / "crafted.pt")
