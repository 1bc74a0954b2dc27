"""Model files: bit-for-bit round trips, atomic saves, one clear error for every bad file."""

from __future__ import annotations

import math
import os
import pickle
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest
import torch

from model.checkpoints import (
    FORMAT,
    ModelCard,
    file_checksum,
    load_model,
    save_model,
    update_card,
    weights_checksum,
)
from model.errors import ModelFileError
from model.networks import build_network
from model.paths import shipped_models_dir
from model.prediction import predict_probabilities
from model.stroke_match import StrokeMemory


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


# -- forged and damaged contents: refused before anything big is built ---------


def _save_payload(path: Path, version: int, network: str = "mlp", **changes) -> Path:
    """A file as ``save_model`` writes it, with ``changes`` made before the checksum."""
    net = build_network(network, **changes.pop("build_args", {}))
    weights = changes.pop("state_dict", net.state_dict())
    payload = {
        "format": FORMAT,
        "format_version": version,
        "network": network,
        "network_args": dict(getattr(net, "args", {})),
        "state_dict": weights,
        "normalization": {"mean": 0.1307, "std": 0.3081},
        "card": asdict(ModelCard(network=network, train_size=60000, test_size=10000)),
        **changes,
    }
    payload["checksum"] = weights_checksum(weights) if version == 1 else file_checksum(payload)
    torch.save(payload, path)
    return path


@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize(
    ("changes", "phrase"),
    [
        ({"network_args": {"channels": 1.5, "hidden": 128}}, "channels must be an integer"),
        ({"network_args": {"channels": 0, "hidden": 128}}, "channels must be an integer"),
        ({"network_args": {"channels": True, "hidden": 128}}, "channels must be an integer"),
        ({"network_args": {"channels": 16, "hidden": 320000}}, "hidden must be an integer"),
        ({"network_args": {"channels": 16, "hidden": 2**70}}, "hidden must be an integer"),
        ({"network_args": {"channels": 16, "hidden": 1000}}, "do not fit"),
        ({"network_args": "cnn"}, "do not fit"),
        ({"card": {"network": "cnn", "train_size": math.inf}}, "model card is malformed"),
        ({"card": {"network": "cnn", "train_size": 10**30}}, "model card is malformed"),
        ({"card": {"network": "cnn", "test_accuracy": 7.0}}, "model card is malformed"),
        ({"card": {"network": "cnn", "train_seconds": -math.inf}}, "model card is malformed"),
        ({"card": {"network": "cnn", "per_class_accuracy": [0.5] * 11}}, "malformed"),
        ({"card": {"network": "cnn", "hyperparameters": {"f": torch.zeros(1)}}}, "malformed"),
        ({"card": {"network": "x" * 5000}}, "model card is malformed"),
    ],
)
def test_forged_arguments_and_cards_are_refused(
    tmp_path: Path, version: int, changes: dict, phrase: str
) -> None:
    path = _save_payload(tmp_path / "forged.pt", version, "cnn", **changes)
    with pytest.raises(ModelFileError, match=phrase) as caught:
        load_model(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_weights_are_refused(tmp_path: Path, version: int, bad: float) -> None:
    weights = build_network("mlp").state_dict()
    weights["fc2.weight"][3, 4] = bad
    path = _save_payload(tmp_path / "nan.pt", version, state_dict=weights)
    with pytest.raises(ModelFileError, match="NaN or infinite"):
        load_model(path)


def test_files_of_format_1_still_load(tmp_path: Path) -> None:
    path = _save_payload(tmp_path / "old.pt", 1)
    assert load_model(path).card.train_size == 60000
    for shipped in (shipped_models_dir() / "mlp.pt", shipped_models_dir() / "cnn.pt"):
        assert load_model(shipped).card.test_accuracy > 0.97


def test_forged_huge_network_is_refused_before_it_is_allocated(tmp_path: Path) -> None:
    """Arguments within bounds but not matching the weights: refused from the shapes alone.

    (hidden=320000, 2.8 GB if built, is refused by the bounds already.)
    """
    path = _save_payload(tmp_path / "huge.pt", 2, "cnn", build_args={"channels": 2, "hidden": 8})
    payload = torch.load(path, weights_only=True)
    payload["network_args"] = {"channels": 1024, "hidden": 1024}  # about 490 MB if built
    payload["checksum"] = file_checksum(payload)
    torch.save(payload, path)
    code = (
        "import resource, sys\n"
        "import torch\n"
        "from model.checkpoints import load_model\n"
        "from model.errors import ModelFileError\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "try:\n"
        "    load_model(sys.argv[1])\n"
        "except ModelFileError as exc:\n"
        "    print(exc)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    message, grown_kib = done.stdout.strip().splitlines()
    assert "do not fit" in message
    assert int(grown_kib) < 50 * 1024


def test_a_flipped_byte_in_the_card_never_loads_as_a_different_card(tmp_path: Path) -> None:
    good = save_model(
        tmp_path / "good.pt",
        build_network("mlp"),
        ModelCard(network="mlp", train_size=60000, test_size=10000, test_accuracy=0.98),
    )
    data = good.read_bytes()
    card = load_model(good).card
    start = data.index(b"train_size")
    flipped = tmp_path / "flipped.pt"
    for offset in range(start - 20, start + 60):
        damaged = bytearray(data)
        damaged[offset] ^= 0x01
        flipped.write_bytes(bytes(damaged))
        try:
            loaded = load_model(flipped)
        except ModelFileError:
            continue
        assert loaded.card == card, offset


def test_payload_edited_after_saving_fails_the_checksum(tmp_path: Path) -> None:
    path = save_model(tmp_path / "m.pt", build_network("mlp"), ModelCard(network="mlp"))
    payload = torch.load(path, weights_only=True)
    payload["card"]["train_size"] = 60063
    torch.save(payload, path)
    with pytest.raises(ModelFileError, match="checksum"):
        load_model(path)


def test_out_names_keep_their_suffix(tmp_path: Path) -> None:
    net, card = build_network("mlp"), ModelCard(network="mlp")
    assert save_model(tmp_path / "model.bin", net, card) == tmp_path / "model.bin"
    assert save_model(tmp_path / "model", net, card) == tmp_path / "model.pt"
    assert load_model(tmp_path / "model.bin").network_name == "mlp"


@pytest.mark.parametrize("name", ["mlp", "cnn"])
def test_shipped_model_cards_are_what_the_files_say(name: str, capsys) -> None:
    """The card shipped beside each model is the one ``digitpad info`` writes from its file."""
    from tests.cli_helpers import run_cli

    code, out, _ = run_cli(capsys, "info", shipped_models_dir() / f"{name}.pt")
    assert code == 0
    assert out == (shipped_models_dir() / f"{name}.md").read_text(encoding="utf-8")


# -- the drawings a personalized model remembers (format 3) --------------------


def _memory() -> StrokeMemory:
    one = [[(0.4, 0.3), (0.55, 0.2), (0.55, 0.8)]]
    seven = [[(0.3, 0.2), (0.7, 0.2), (0.45, 0.8)], [(0.4, 0.5), (0.6, 0.5)]]
    memory = StrokeMemory.of([(one, 1), (seven, 7), (one, 1)])
    assert memory is not None
    return memory


def test_remembered_drawings_survive_the_file_and_its_rewrites(tmp_path: Path) -> None:
    from model.library import rename

    memory = _memory()
    path = save_model(tmp_path / "mine.pt", build_network("mlp"), ModelCard(network="mlp"), memory)
    assert torch.load(path, weights_only=True)["format_version"] == 3
    loaded = load_model(path)
    assert loaded.memory is not None
    np.testing.assert_array_equal(loaded.memory.traces, memory.traces)
    np.testing.assert_array_equal(loaded.memory.labels, [1, 7, 1])
    update_card(path, real_pen={"normal": 0.9})
    rename(path, "my model")
    again = load_model(path)
    assert again.card.display_name == "my model" and again.memory is not None
    np.testing.assert_array_equal(again.memory.traces, memory.traces)
    # Without a memory a file stays format 2, as before.
    plain = save_model(tmp_path / "plain.pt", build_network("mlp"), ModelCard(network="mlp"))
    assert torch.load(plain, weights_only=True)["format_version"] == 2
    assert load_model(plain).memory is None


@pytest.mark.parametrize(
    "memory",
    [
        {"traces": torch.zeros(2, 32, 3), "labels": torch.tensor([1, 10])},
        {"traces": torch.full((1, 32, 3), math.nan), "labels": torch.tensor([1])},
        {"traces": torch.zeros(1, 16, 3), "labels": torch.tensor([1])},
        {"traces": torch.zeros(1, 32, 3, dtype=torch.float64), "labels": torch.tensor([1])},
        {"traces": torch.zeros(0, 32, 3), "labels": torch.zeros(0, dtype=torch.int64)},
        {"traces": torch.zeros(1, 32, 3)},
        {"traces": "lots", "labels": torch.tensor([1])},
        "drawings",
    ],
)
def test_malformed_remembered_drawings_are_refused(tmp_path: Path, memory: object) -> None:
    path = _save_payload(tmp_path / "forged.pt", 3, stroke_memory=memory)
    with pytest.raises(ModelFileError, match="remembered drawings are malformed") as caught:
        load_model(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_edited_remembered_drawings_fail_the_checksum(tmp_path: Path) -> None:
    path = save_model(tmp_path / "m.pt", build_network("mlp"), ModelCard(network="mlp"), _memory())
    payload = torch.load(path, weights_only=True)
    payload["stroke_memory"]["labels"][0] = 7
    torch.save(payload, path)
    with pytest.raises(ModelFileError, match="checksum"):
        load_model(path)
