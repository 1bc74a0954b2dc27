"""Bad input found early and named plainly: output paths, data files, seeds, signals."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from model.checkpoints import ModelCard, load_model, save_model
from model.files import atomic_writer, remove_stale_temps
from model.networks import build_network
from tests.cli_helpers import one_line_error, run_cli


def _cli(*args: object) -> list[str]:
    return [sys.executable, "-m", "model", *map(str, args)]


# -- --out: checked before training, saved where asked ---------------------------


@pytest.mark.parametrize(
    ("make_out", "phrase"),
    [
        (lambda tmp: tmp, "it is a folder"),
        (
            lambda tmp: (tmp / "file.txt").write_text("x") and tmp / "file.txt" / "m.pt",
            "not a folder",
        ),
    ],
)
def test_unusable_out_fails_before_training(capsys, test_data: Path, tmp_path, make_out, phrase):
    out = make_out(tmp_path)
    code, stdout, err = run_cli(capsys, "train", "--data", test_data, "--epochs", 1, "--out", out)
    assert code == 2 and "epoch" not in stdout
    one_line_error(err, phrase)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_out_folder_fails_before_training(capsys, test_data: Path, tmp_path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        code, stdout, err = run_cli(
            capsys, "train", "--data", test_data, "--epochs", 1, "--out", folder / "m.pt"
        )
    finally:
        folder.chmod(0o755)
    assert code == 2 and "epoch" not in stdout
    one_line_error(err, "Permission denied")


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A 256 KiB file system (tmpfs): needs root and mount rights, else the test skips."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tiny file system needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def test_disk_full_is_named(capsys, test_data: Path, tiny_disk: Path) -> None:
    code, _, err = run_cli(
        capsys, "train", "--data", test_data, "--epochs", 1, "--out", tiny_disk / "m.pt"
    )
    assert code == 2
    one_line_error(err, "disk full")
    assert list(tiny_disk.iterdir()) == []  # no temp file left behind


def test_out_keeps_the_name_given(capsys, test_data: Path, tmp_path: Path) -> None:
    folder = tmp_path / "models"
    code, _, _ = run_cli(
        capsys, "train", "--data", test_data, "--epochs", 1, "--out", folder / "model.bin"
    )
    assert code == 0 and sorted(p.name for p in folder.iterdir()) == ["model.bin"]


def test_seed_out_of_range_is_a_usage_error(capsys, test_data: Path) -> None:
    code, _, err = run_cli(capsys, "train", "--data", test_data, "--seed", 2**70)
    assert code == 2
    one_line_error(err, "seed must be")


# -- MNIST files: checked when loaded, before any training -------------------------


def _damaged_copy(test_data: Path, tmp_path: Path, name: str, change) -> Path:
    root = tmp_path / "data"
    shutil.copytree(test_data / "MNIST", root / "MNIST")
    path = root / "MNIST" / "raw" / name
    path.write_bytes(change(bytearray(path.read_bytes())))
    return root


def _fewer_labels(data: bytearray) -> bytes:
    count = int.from_bytes(data[4:8], "big") * 3 // 4
    data[4:8] = count.to_bytes(4, "big")
    return bytes(data[: 8 + count])


def _label_200(data: bytearray) -> bytes:
    data[20] = 200
    return bytes(data)


def _images_32x32(data: bytearray) -> bytes:
    count = (len(data) - 16) // 1024
    data[4:16] = count.to_bytes(4, "big") + (32).to_bytes(4, "big") + (32).to_bytes(4, "big")
    return bytes(data[: 16 + count * 1024])


def _bad_magic(data: bytearray) -> bytes:
    data[3] = 9
    return bytes(data)


def _truncated(data: bytearray) -> bytes:
    return bytes(data[:-100])


@pytest.mark.parametrize(
    ("name", "change", "phrase"),
    [
        ("train-labels-idx1-ubyte", _fewer_labels, "do not match (4,000 images, 3,000 labels)"),
        ("t10k-labels-idx1-ubyte", _fewer_labels, "do not match"),
        ("t10k-labels-idx1-ubyte", _label_200, "the label 200"),
        ("t10k-images-idx3-ubyte", _images_32x32, "32x32 images, not 28x28"),
        ("train-images-idx3-ubyte", _bad_magic, "magic number 00000809"),
        ("train-images-idx3-ubyte", _truncated, "truncated"),
    ],
)
def test_damaged_mnist_is_refused_before_training(
    capsys, test_data: Path, tmp_path: Path, name: str, change, phrase: str
) -> None:
    root = _damaged_copy(test_data, tmp_path, name, change)
    code, stdout, err = run_cli(
        capsys, "train", "--data", root, "--epochs", 1, "--out", tmp_path / "m.pt"
    )
    assert code == 2 and "epoch" not in stdout
    one_line_error(err, phrase)
    assert not (tmp_path / "m.pt").exists()


# -- JSON is JSON ----------------------------------------------------------------------


def test_json_never_prints_bare_nan(capsys) -> None:
    from model.cli import _print_json

    _print_json({"a": float("nan"), "b": [1.0, float("inf")]})
    assert json.loads(capsys.readouterr().out) == {"a": None, "b": [1.0, None]}


# -- signals ---------------------------------------------------------------------------


def test_a_killed_save_leaves_a_temp_file_that_the_next_save_removes(tmp_path: Path) -> None:
    tmp_path = tmp_path / "models"
    tmp_path.mkdir()
    target = tmp_path / "model.pt"
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from model.files import atomic_writer\n"
        "with atomic_writer(Path(sys.argv[1])) as f:\n"
        "    f.write(b'half a model')\n"
        "    print('writing', flush=True)\n"
        "    time.sleep(120)\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(target)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "writing"
    child.kill()  # SIGKILL: no handler runs, the temp file stays
    child.communicate()
    left = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(left) == 1 and not target.exists()
    (tmp_path / ".other.pt.0123456789ab.tmp").write_bytes(b"old naming")  # from before pids
    os.utime(tmp_path / ".other.pt.0123456789ab.tmp", (0, 0))
    (tmp_path / ".mine.pt.notours.tmp").write_bytes(b"not our naming")

    save_model(target, build_network("mlp"), ModelCard(network="mlp"))
    assert sorted(p.name for p in tmp_path.iterdir()) == [".mine.pt.notours.tmp", "model.pt"]
    load_model(target)


def test_a_live_saves_temp_file_is_kept(tmp_path: Path) -> None:
    with atomic_writer(tmp_path / "a.pt") as f:
        f.write(b"in progress")
        assert remove_stale_temps(tmp_path) == []  # our own pid: alive


def _train_process(test_data: Path, out: Path, epochs: int) -> subprocess.Popen:
    return subprocess.Popen(
        _cli("train", "--data", test_data, "--epochs", epochs, "--out", out),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def test_sigterm_stops_training_like_ctrl_c(test_data: Path, tmp_path: Path) -> None:
    tmp_path = tmp_path / "models"
    tmp_path.mkdir()
    out = tmp_path / "keep.pt"
    out.write_bytes(b"previous")
    proc = _train_process(test_data, out, 200)
    assert proc.stdout is not None
    for line in proc.stdout:
        if "epoch 1/200" in line:
            break
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "Traceback" not in err and "nothing saved" in err
    assert out.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.pt"]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_after_the_save_keeps_the_success(test_data: Path, tmp_path: Path, sig) -> None:
    out = tmp_path / "new.pt"
    proc = _train_process(test_data, out, 1)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("saved "):
            break
    for _ in range(5):  # however late it comes
        with_process = proc.poll() is None
        if with_process:
            proc.send_signal(sig)
        time.sleep(0.01)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "interrupted" not in err
    load_model(out)


@pytest.mark.parametrize("verb", ["predict", "evaluate"])
def test_ctrl_c_in_predict_and_evaluate_says_so(test_data: Path, tmp_path: Path, verb) -> None:
    from tests.model.big_png import write_png

    if verb == "predict":
        big = write_png(tmp_path / "big.png", 6000)
        args = ("predict", "mlp", *[big] * 20)
    else:
        args = ("evaluate", "mlp", "--data", test_data)
    proc = subprocess.Popen(_cli(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3)  # inside the verb or still importing torch: both must end cleanly
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert "Traceback" not in err
    if proc.returncode != 0:  # it may have finished first on a fast machine
        assert proc.returncode == 130 and "interrupted" in err, (proc.returncode, err)


def test_damaged_mnist_is_refused_by_evaluate(capsys, test_data: Path, tmp_path: Path) -> None:
    root = _damaged_copy(test_data, tmp_path, "t10k-labels-idx1-ubyte", _label_200)
    code, _, err = run_cli(capsys, "evaluate", "mlp", "--data", root)
    assert code == 2
    one_line_error(err, "the label 200")
