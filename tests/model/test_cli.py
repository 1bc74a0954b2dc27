"""``digitpad train | evaluate | predict | info``: exit codes, one-line errors, --json."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from model.cli import main
from model.normalization import MEAN, STD


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def last_json(out: str):
    return json.loads(out.strip().splitlines()[-1])


def assert_one_line_error(err: str, *phrases: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("digitpad: error: ")
    assert "Traceback" not in err
    for phrase in phrases:
        assert phrase in lines[0]


def test_train_json_and_saved_model(capsys, test_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "cli.pt"
    code, stdout, _ = run_cli(
        capsys, "train", "--data", test_data, "--epochs", "2", "--out", out, "--json"
    )
    assert code == 0
    result = last_json(stdout)
    assert 0.8 <= result["test_accuracy"] <= 1
    assert result["epochs"] == 2 and result["train_seconds"] > 0
    assert result["model_path"] == str(out) and out.is_file()


def test_train_prints_accuracy_each_epoch(capsys, test_data: Path, tmp_path: Path) -> None:
    code, stdout, stderr = run_cli(
        capsys, "train", "--data", test_data, "--epochs", "2", "--out", tmp_path / "m.pt"
    )
    assert code == 0
    assert "epoch 1/2" in stdout and "epoch 2/2" in stdout and "test accuracy" in stdout
    # The device, why, and how a step runs
    assert "training on cpu (auto: the only device here), hand-written mlp step" in stdout
    # Not a terminal: one line per epoch, no progress bar redrawn per batch.
    assert "\r" not in stderr and "batch/s" not in stderr


def test_train_augment_flag_reaches_the_model_card(capsys, test_data: Path, tmp_path: Path) -> None:
    from model.checkpoints import load_model

    out = tmp_path / "aug.pt"
    code, _, _ = run_cli(
        capsys, "train", "--data", test_data, "--epochs", "1", "--augment", "--out", out
    )
    assert code == 0
    assert load_model(out).card.hyperparameters["augment"] is True


def test_train_defaults_to_the_user_models_folder(
    capsys, test_data: Path, isolated_user_dirs: Path
) -> None:
    code, stdout, _ = run_cli(capsys, "train", "--data", test_data, "--epochs", "1", "--json")
    assert code == 0
    path = Path(last_json(stdout)["model_path"])
    assert path.is_file() and path.is_relative_to(isolated_user_dirs)


def test_evaluate_json(capsys, trained_mlp: Path, test_data: Path) -> None:
    code, stdout, _ = run_cli(capsys, "evaluate", trained_mlp, "--data", test_data, "--json")
    assert code == 0
    result = last_json(stdout)
    matrix = np.array(result["confusion_matrix"])
    assert matrix.shape == (10, 10) and matrix.sum() == 1000
    assert result["test_accuracy"] == pytest.approx(np.trace(matrix) / 1000)
    assert len(result["per_class_accuracy"]) == 10


def test_evaluate_without_mnist_downloaded_reads_the_shipped_test_set(
    capsys, trained_mlp: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """First launch, offline: MNIST's test set ships with digitpad (assets/mnist)."""
    monkeypatch.setenv("DIGITPAD_DATA", str(tmp_path / "not-downloaded"))
    code, stdout, _ = run_cli(capsys, "evaluate", trained_mlp, "--json")
    assert code == 0
    assert np.array(last_json(stdout)["confusion_matrix"]).sum() == 10_000
    # An explicit --data is taken at its word: a folder without MNIST is an error.
    code, _, err = run_cli(capsys, "evaluate", trained_mlp, "--data", tmp_path / "not-downloaded")
    assert code == 2 and "MNIST not found" in err


def test_evaluate_text(capsys, trained_mlp: Path, test_data: Path) -> None:
    code, stdout, _ = run_cli(capsys, "evaluate", trained_mlp, "--data", test_data)
    assert code == 0 and "confusion matrix" in stdout and "test accuracy" in stdout


def _digit_pictures(mnist_small, folder: Path) -> list[tuple[Path, int]]:
    """Real test digits saved as pictures people would have: big, either polarity, RGB or gray."""
    pictures = []
    for i in range(12):
        pixels = (mnist_small.test.images[i].numpy() * STD + MEAN).clip(0, 1)
        label = int(mnist_small.test.labels[i])
        big = Image.fromarray((pixels * 255).astype(np.uint8)).resize(
            (140 + 20 * i, 140 + 20 * i), Image.Resampling.BILINEAR
        )
        if i % 2:  # dark ink on white paper, as a scan or photo would be
            big = Image.fromarray(255 - np.asarray(big))
        path = folder / f"digit{i}.{'png' if i % 3 else 'jpg'}"
        (big.convert("RGB") if i % 4 == 0 else big).save(path)
        pictures.append((path, label))
    return pictures


def test_predict_reads_pictures_of_either_polarity(
    capsys, trained_mlp: Path, mnist_small, tmp_path: Path
) -> None:
    pictures = _digit_pictures(mnist_small, tmp_path)
    code, stdout, _ = run_cli(capsys, "predict", trained_mlp, *(p for p, _ in pictures), "--json")
    assert code == 0
    results = last_json(stdout)
    assert [r["image"] for r in results] == [str(p) for p, _ in pictures]
    correct = sum(r["digit"] == label for r, (_, label) in zip(results, pictures, strict=True))
    assert correct >= 10  # the model scores ~90 % on the originals
    for r in results:
        assert len(r["probabilities"]) == 10 and sum(r["probabilities"]) == pytest.approx(
            1, abs=1e-4
        )


def test_predict_text_output(capsys, trained_mlp: Path, mnist_small, tmp_path: Path) -> None:
    ((path, _),) = _digit_pictures(mnist_small, tmp_path)[:1]
    code, stdout, _ = run_cli(capsys, "predict", trained_mlp, path)
    assert code == 0 and stdout.startswith(f"{path}: ") and "%" in stdout


def test_info_prints_the_card(capsys, trained_mlp: Path) -> None:
    code, stdout, _ = run_cli(capsys, "info", trained_mlp)
    assert code == 0 and stdout.startswith("# Model card") and "Test accuracy" in stdout


@pytest.mark.parametrize(
    ("args", "phrases"),
    [
        (["evaluate", "{missing}"], ["model file not found"]),
        (["evaluate", "{corrupt}"], ["not a usable digitpad model"]),
        (["predict", "{model}", "{missing}"], ["image not found"]),
        (["predict", "{model}", "{not_image}"], ["cannot read"]),
        (
            ["train", "--data", "{empty}", "--no-download", "--out", "{out}"],
            ["MNIST not found", "train-images-idx3-ubyte"],
        ),
        (["evaluate", "{model}", "--data", "{empty}"], ["MNIST not found"]),
        (["train", "--epochs", "0"], ["--epochs"]),
        (["train", "--lr", "-1"], ["--lr"]),
        (["train", "--momentum", "1.5", "--data", "{empty}"], ["momentum"]),
        (["train", "--model", "vgg"], ["--model"]),
        (["fly"], ["invalid choice"]),
    ],
)
def test_bad_input_exits_2_with_one_line(
    capsys, trained_mlp: Path, tmp_path: Path, args, phrases
) -> None:
    corrupt = tmp_path / "corrupt.pt"
    corrupt.write_bytes(trained_mlp.read_bytes()[:1000])
    not_image = tmp_path / "notes.png"
    not_image.write_text("not a picture")
    (tmp_path / "empty").mkdir()
    names = {
        "missing": tmp_path / "missing.pt",
        "corrupt": corrupt,
        "model": trained_mlp,
        "not_image": not_image,
        "empty": tmp_path / "empty",
        "out": tmp_path / "o.pt",
    }
    code, _, err = run_cli(capsys, *(a.format(**names) for a in args))
    assert code == 2
    assert_one_line_error(err, *phrases)


def test_diverging_run_exits_1_and_keeps_the_old_file(
    capsys, test_data: Path, tmp_path: Path
) -> None:
    out = tmp_path / "keep.pt"
    out.write_bytes(b"old")
    code, _, err = run_cli(capsys, "train", "--data", test_data, "--lr", "1e6", "--out", out)
    assert code == 1
    assert_one_line_error(err, "learning rate")
    assert out.read_bytes() == b"old"


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "model", *args]


def test_ctrl_c_stops_cleanly_and_keeps_the_previous_file(test_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "keep.pt"
    out.write_bytes(b"previous")
    proc = subprocess.Popen(
        _cli("train", "--data", str(test_data), "--epochs", "200", "--out", str(out)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    for line in proc.stdout:  # wait for real training progress
        if "epoch 1/200" in line:
            break
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "Traceback" not in err and "nothing saved" in err
    assert out.read_bytes() == b"previous"


def test_no_subcommand_prints_help(capsys) -> None:
    code, stdout, _ = run_cli(capsys)
    assert code == 2 and "train" in stdout and "predict" in stdout


def test_a_shipped_models_name_stands_for_its_file(capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # no file called "cnn" here
    assert main(["info", "cnn"]) == 0
    assert "cnn" in capsys.readouterr().out
    (tmp_path / "cnn").write_bytes(b"not a model")  # a real file of that name wins
    assert main(["info", "cnn"]) == 2
