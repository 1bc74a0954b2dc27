"""Personalize: honest before/after figures, stop keeps the old model, the CLI contract."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from model.checkpoints import load_model
from model.evaluation import predictions
from model.pen_benchmark import replay
from model.pen_digits import load_pen_digits
from model.personalize import (
    REMEMBERED_PER_DIGIT,
    PersonalizeConfig,
    PersonalizeFinished,
    PersonalizeProgress,
    PersonalizeStarted,
    describe,
    fold_of,
    memory_of,
    origin_of,
    personalize,
    read_samples,
)
from model.preprocess import normalize
from model.samples import LoadedSamples, Sample, SampleStore, load_images
from model.stroke_match import WEIGHT, StrokeMemory
from tests.cli_helpers import one_line_error, run_cli

FAST = PersonalizeConfig(epochs=2, replay_batch=16, folds=3)


pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def samples_folder(tmp_path_factory: pytest.TempPathFactory, test_data: Path) -> Path:
    """Three real pen digits of each kind, saved through the store as the Draw tab saves them."""
    folder = tmp_path_factory.mktemp("user") / "samples"
    store = SampleStore(folder)
    digits = load_pen_digits(test_data / "unipen")
    for label in range(10):
        for d in [d for d in digits if d.label == label][:3]:
            store.add_drawing(replay(d.strokes, 330), label, pen_width=0.085, canvas_size=510)
    return folder


def run(*args: object, **kwargs: object) -> list[object]:
    return list(personalize(*args, **kwargs))


def test_fold_of_spreads_each_digit_over_the_folds() -> None:
    labels = np.repeat(np.arange(10), 7)
    folds = fold_of(labels, 5, seed=0)
    assert sorted(set(folds.tolist())) == [0, 1, 2, 3, 4]
    sizes = np.bincount(folds)
    assert sizes.max() - sizes.min() <= 1
    for digit in range(10):
        assert len(set(folds[labels == digit].tolist())) == 5


def test_events_figures_and_the_saved_card(
    samples_folder: Path, base_mlp: Path, mnist_small, tmp_path: Path
) -> None:
    base = load_model(base_mlp)
    samples = load_images(SampleStore(samples_folder).scan().samples)
    out = tmp_path / "mine.pt"
    events = run(base, samples, FAST, data=mnist_small, out=out)
    started = next(e for e in events if isinstance(e, PersonalizeStarted))
    assert (started.samples, started.folds, started.runs) == (30, 3, 4)
    progress = [e for e in events if isinstance(e, PersonalizeProgress)]
    assert progress and progress[-1].step == started.total_steps
    assert [p.step for p in progress] == sorted(p.step for p in progress)
    done = events[-1]
    assert isinstance(done, PersonalizeFinished) and not done.stopped
    assert done.model_path == str(out) and done.samples == 30
    # "before" is the base model, as is, on every sample and on the test set.
    x = torch.from_numpy(normalize(samples.images))
    expected = float((predictions(base.network, x).numpy() == samples.labels).mean())
    assert done.before.samples_accuracy == pytest.approx(expected)
    assert done.before.mnist_accuracy == pytest.approx(base.card.test_accuracy, abs=0.02)
    assert 0 <= done.after.samples_accuracy <= 1 and 0.5 < done.after.mnist_accuracy <= 1
    saved = load_model(out)
    assert saved.card.test_accuracy == done.after.mnist_accuracy
    record = saved.card.personalization
    assert record["samples"] == 30 and record["folds"] == 3
    assert record["before"] == {
        "samples_accuracy": done.before.samples_accuracy,
        "mnist_accuracy": done.before.mnist_accuracy,
    }
    assert record["summary"] == describe(done.before, done.after)
    assert "Personalization" in saved.card.markdown("mine")


def test_after_is_scored_on_held_out_samples_only(
    samples_folder: Path, base_mlp: Path, mnist_small, tmp_path: Path
) -> None:
    """With labels shuffled, the saved model fits its own samples; the reported figure can't.

    A model scored on samples it trained on would report the memorised labels;
    cross-validation scores each sample with a model that never saw it, so on
    labels that carry no information it stays near chance.
    """
    base = load_model(base_mlp)
    real = load_images(SampleStore(samples_folder).scan().samples)
    shuffled = np.random.default_rng(1).permutation(real.labels)
    noisy = type(real)(real.images, shuffled, real.samples)
    config = PersonalizeConfig(epochs=60, replay_batch=0, augment=False, lr=3e-3, folds=3)
    out = tmp_path / "noise.pt"
    done = run(base, noisy, config, data=mnist_small, out=out)[-1]
    x = torch.from_numpy(normalize(noisy.images))
    memorised = float((predictions(load_model(out).network, x).numpy() == shuffled).mean())
    assert memorised >= 0.9
    assert done.after.samples_accuracy <= 0.4


def test_the_new_model_remembers_the_samples_strokes(
    samples_folder: Path, base_mlp: Path, mnist_small, tmp_path: Path
) -> None:
    """The saved model carries the drawings (model/stroke_match.py); its card says so."""
    samples = load_images(SampleStore(samples_folder).scan().samples)
    assert all(s is not None for s in samples.strokes)  # the .json beside each PNG
    out = tmp_path / "mine.pt"
    run(load_model(base_mlp), samples, FAST, data=mnist_small, out=out)
    saved = load_model(out)
    assert saved.memory is not None and len(saved.memory) == 30
    assert sorted(saved.memory.labels.tolist()) == sorted(samples.labels.tolist())
    assert saved.card.personalization["remembered_drawings"] == 30
    assert "Remembers 30 of the user's drawings" in saved.card.markdown("mine")


def test_with_strokes_after_is_still_scored_on_held_out_samples_only(
    samples_folder: Path, base_mlp: Path, mnist_small, tmp_path: Path
) -> None:
    """Labels shuffled, strokes kept: each drawing is its own nearest neighbour, so the
    saved model's memory pulls it towards its shuffled label as hard as it can; the
    cross-validated figure, whose folds never remember the drawings they score,
    stays near chance."""
    base = load_model(base_mlp)
    real = load_images(SampleStore(samples_folder).scan().samples)
    shuffled = np.random.default_rng(1).permutation(real.labels)
    noisy = replace(real, labels=shuffled)
    config = PersonalizeConfig(epochs=60, replay_batch=0, augment=False, lr=3e-3, folds=3)
    out = tmp_path / "noise.pt"
    done = run(base, noisy, config, data=mnist_small, out=out)[-1]
    saved = load_model(out)
    assert saved.memory is not None
    bonus = saved.memory.bonus(list(noisy.strokes))
    assert (bonus[np.arange(len(shuffled)), shuffled] == WEIGHT).all()
    x = torch.from_numpy(normalize(noisy.images))
    remembered = read_samples(saved.network, saved.memory, x, list(noisy.strokes))
    assert float((remembered.numpy() == shuffled).mean()) >= 0.9
    assert done.after.samples_accuracy <= 0.4


def test_a_model_remembers_the_newest_200_drawings_of_each_digit(tmp_path: Path) -> None:
    """Every drawing on the Draw tab is compared with all it remembers: bounded."""
    n = REMEMBERED_PER_DIGIT + 30
    strokes = [[[(0.5, 0.2), (0.5 + 0.001 * i, 0.8)]] for i in range(n)] + [
        [[(0.2, 0.5), (0.8, 0.5)]]
    ]
    labels = np.array([3] * n + [4])
    ids = [f"20261127-{i:06d}" for i in range(n + 1)]
    order = np.random.default_rng(0).permutation(n + 1)  # the store's order is not time's
    samples = LoadedSamples(
        np.zeros((n + 1, 28, 28), np.float32)[order],
        labels[order],
        tuple(Sample(int(labels[i]), ids[i], tmp_path / f"{ids[i]}.png") for i in order),
        strokes=tuple(strokes[i] for i in order),
    )
    memory = memory_of(samples, np.arange(n + 1))
    assert memory is not None and len(memory) == REMEMBERED_PER_DIGIT + 1
    newest = StrokeMemory.of([(strokes[i], 3) for i in range(30, n)])
    assert newest is not None
    threes = memory.traces[memory.labels == 3]
    np.testing.assert_allclose(
        np.sort(threes[:, -1, 0]), np.sort(newest.traces[:, -1, 0]), rtol=1e-6
    )


def test_samples_without_strokes_are_read_by_the_network_alone(
    base_mlp: Path, mnist_small, tmp_path: Path
) -> None:
    """A scanned digit (a PNG with no .json) teaches the network but nothing to remember."""
    store = SampleStore(tmp_path / "samples")
    digits = load_pen_digits(Path(__file__).resolve().parents[1] / "data" / "unipen")
    for label in (1, 7):
        for d in [d for d in digits if d.label == label][:3]:
            sample = store.add_drawing(
                replay(d.strokes, 330), label, pen_width=0.085, canvas_size=510
            )
    sample.meta_path.write_text("{damaged", encoding="utf-8")
    for s in store.scan().samples[:2]:
        s.meta_path.unlink()
    samples = load_images(store.scan().samples)
    assert sum(s is None for s in samples.strokes) == 3
    out = tmp_path / "mine.pt"
    run(load_model(base_mlp), samples, FAST, data=mnist_small, out=out)
    saved = load_model(out)
    assert saved.memory is not None and len(saved.memory) == 3
    assert saved.card.personalization["remembered_drawings"] == 3


def test_stop_midway_saves_nothing_and_keeps_the_file(
    samples_folder: Path, base_mlp: Path, mnist_small, tmp_path: Path
) -> None:
    base = load_model(base_mlp)
    samples = load_images(SampleStore(samples_folder).scan().samples)
    out = tmp_path / "active.pt"
    out.write_bytes(base_mlp.read_bytes())
    before = out.read_bytes()
    stop = threading.Event()
    events = []
    for event in personalize(base, samples, FAST, data=mnist_small, out=out, stop=stop):
        events.append(event)
        if isinstance(event, PersonalizeProgress) and event.run == 2:
            stop.set()
    done = events[-1]
    assert isinstance(done, PersonalizeFinished)
    assert done.stopped and done.after is None and done.model_path is None
    assert not done.not_worse
    assert out.read_bytes() == before


def test_one_sample_is_enough(base_mlp: Path, mnist_small, tmp_path: Path) -> None:
    store = SampleStore(tmp_path / "one")
    store.add_drawing([[(0.5, 0.2), (0.5, 0.8)]], 1, pen_width=0.085, canvas_size=360)
    samples = load_images(store.scan().samples)
    done = run(load_model(base_mlp), samples, FAST, data=mnist_small)[-1]
    assert not done.stopped and done.samples == 1
    assert done.after.samples_accuracy == done.before.samples_accuracy  # nothing to hold out


def test_not_worse_allows_noise_on_mnist_only() -> None:
    from model.personalize import Scores

    def finished(before: Scores, after: Scores) -> PersonalizeFinished:
        return PersonalizeFinished(False, 10, before, after, 1.0, None)

    assert finished(Scores(0.8, 0.994), Scores(0.97, 0.993)).not_worse
    assert not finished(Scores(0.8, 0.994), Scores(0.97, 0.989)).not_worse
    assert not finished(Scores(0.8, 0.99), Scores(0.7, 0.995)).not_worse
    text = describe(Scores(0.82, 0.994), Scores(0.97, 0.993))
    assert text == "Your handwriting: 82 % → 97 % · MNIST: 99.4 % → 99.3 %"


# -- the CLI ------------------------------------------------------------------------------


def test_cli_personalize_json(
    capsys, samples_folder: Path, base_mlp: Path, test_data: Path, tmp_path: Path
) -> None:
    out = tmp_path / "personal.pt"
    code, stdout, _ = run_cli(
        capsys, "personalize", base_mlp, samples_folder, "--out", out, "--data", test_data,
        "--epochs", "1", "--seed", "3", "--json",
    )  # fmt: skip
    assert code == 0
    result = json.loads(stdout.strip().splitlines()[-1])
    assert set(result) >= {"before", "after", "samples", "train_seconds", "model_path"}
    for key in ("before", "after"):
        assert set(result[key]) == {"samples_accuracy", "mnist_accuracy"}
        assert all(0 <= v <= 1 for v in result[key].values())
    assert result["samples"] == 30 and result["train_seconds"] > 0
    assert result["model_path"] == str(out) and load_model(out).card.personalization


def test_cli_personalize_skips_a_damaged_file_with_a_warning(
    capsys, samples_folder: Path, base_mlp: Path, test_data: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "mixed"
    (folder / "4").mkdir(parents=True)
    (folder / "4" / "broken.png").write_bytes(b"\x89PNG\r\n broken")
    (folder / "4" / "good.png").write_bytes(next((samples_folder / "4").glob("*.png")).read_bytes())
    code, stdout, err = run_cli(
        capsys, "personalize", base_mlp, folder, "--out", tmp_path / "m.pt",
        "--data", test_data, "--epochs", "1",
    )  # fmt: skip
    assert code == 0, err
    assert "warning" in err and "broken.png" in err
    assert "Your handwriting:" in stdout


@pytest.mark.parametrize("case", ["empty", "missing", "not-a-digit", "only-damaged", "file"])
def test_cli_personalize_bad_folders_exit_2(
    capsys, case: str, base_mlp: Path, test_data: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "samples"
    if case == "empty":
        folder.mkdir()
    elif case == "not-a-digit":
        (folder / "12").mkdir(parents=True)
    elif case == "only-damaged":
        (folder / "3").mkdir(parents=True)
        (folder / "3" / "x.png").write_bytes(b"garbage")
    elif case == "file":
        folder.write_text("not a folder")
    out = tmp_path / "m.pt"
    code, _, err = run_cli(
        capsys, "personalize", base_mlp, folder, "--out", out, "--data", test_data
    )
    assert code == 2
    phrase = {
        "empty": "no usable samples",
        "missing": "not found",
        "not-a-digit": "not named after a digit",
        "only-damaged": "no usable samples",
        "file": "cannot read",
    }[case]
    one_line_error(err, phrase)
    assert not out.exists()


def test_cli_personalize_needs_out(capsys, samples_folder: Path, base_mlp: Path) -> None:
    code, _, err = run_cli(capsys, "personalize", base_mlp, samples_folder)
    assert code == 2
    one_line_error(err, "--out")


def test_cli_predict_reads_a_folder(capsys, samples_folder: Path, tmp_path: Path) -> None:
    from model.paths import shipped_models_dir

    model = shipped_models_dir() / "cnn.pt"
    code, stdout, _ = run_cli(capsys, "predict", model, samples_folder, "--json")
    assert code == 0
    results = json.loads(stdout.strip().splitlines()[-1])
    assert len(results) == 30
    assert all(Path(r["image"]).parent.parent == samples_folder for r in results)
    right = sum(int(Path(r["image"]).parent.name) == r["digit"] for r in results)
    assert right >= 24  # real pen digits, read by the shipped cnn
    (tmp_path / "nothing").mkdir()
    code, _, err = run_cli(capsys, "predict", model, tmp_path / "nothing")
    assert code == 2
    one_line_error(err, "no images")


def test_training_can_include_the_samples(
    capsys, samples_folder: Path, test_data: Path, tmp_path: Path
) -> None:
    """``digitpad train --samples DIR`` (the Train tab's checkbox): 4,000 + 30 images."""
    out = tmp_path / "with-mine.pt"
    code, _, _ = run_cli(
        capsys, "train", "--data", test_data, "--epochs", "1", "--samples", samples_folder,
        "--out", out, "--json",
    )  # fmt: skip
    assert code == 0
    card = load_model(out).card
    assert card.train_size == 4_030
    assert card.hyperparameters["include_samples"] is True
    # Scored on those samples afterwards, it reads its own lessons: the CLI says so.
    code, _, err = run_cli(capsys, "evaluate", out, "--samples", samples_folder)
    assert code == 0
    assert "digitpad: note: with-mine was trained on your samples too, so this is not a test" in err
    code, _, err = run_cli(capsys, "train", "--data", test_data, "--samples", tmp_path / "nope")
    assert code == 2
    one_line_error(err, "not found")


def test_a_cnn_ensemble_learns_in_its_classifiers_only(samples_folder: Path, mnist_small) -> None:
    """The shipped cnn (two members): conv features stay as shipped, the classifiers move."""
    from model.paths import shipped_models_dir
    from model.personalize import fine_tune

    base = load_model(shipped_models_dir() / "cnn.pt")
    samples = load_images(SampleStore(samples_folder).scan().samples)
    tuned = fine_tune(base.network, samples, mnist_small.train, FAST, seed=0)
    before, after = base.network.state_dict(), tuned.state_dict()
    features = [k for k in before if ".features." in k]
    classifier = [k for k in before if ".classifier." in k]
    assert len(features) > 0 and len(classifier) == 8  # 2 members x 2 linear layers x (w, b)
    assert all(torch.equal(before[k], after[k]) for k in features)
    assert all(not torch.equal(before[k], after[k]) for k in classifier)
    assert all(p.requires_grad for p in tuned.parameters())  # handed back whole
    everything = fine_tune(base.network, samples, mnist_small.train, replace(FAST, tune="all"))
    changed = everything.state_dict()
    assert any(not torch.equal(before[k], changed[k]) for k in features if "weight" in k)


def test_unknown_tune_is_a_config_error() -> None:
    from model.errors import ConfigError

    with pytest.raises(ConfigError, match="tune must be one of classifier, all"):
        PersonalizeConfig(tune="features")


def _personalized(base: Path, samples_root: Path, out: Path, mnist_small) -> Path:
    """A real Personalize run from the model file ``base`` on one sample; the saved file."""
    store = SampleStore(samples_root)
    if not store.scan().samples:
        store.add_drawing([[(0.5, 0.2), (0.5, 0.8)]], 1, pen_width=0.085, canvas_size=360)
    samples = load_images(store.scan().samples)
    done = run(load_model(base), samples, FAST, data=mnist_small, out=out)[-1]
    assert done.model_path == str(out)
    return out


def test_personalizing_again_starts_from_the_original_model(
    base_mlp: Path, mnist_small, tmp_path: Path
) -> None:
    """Not from the personalized one: each round would lose MNIST again, "within the allowance"."""
    first = _personalized(base_mlp, tmp_path / "s", tmp_path / "first.pt", mnist_small)
    assert load_model(first).card.personalization["base_file"] == {"shipped": "mlp.pt"}
    assert origin_of(load_model(first)).path == base_mlp
    # A model personalized from a personalized one (made before this rule) leads back too.
    second = _personalized(first, tmp_path / "s", tmp_path / "second.pt", mnist_small)
    assert load_model(second).card.personalization["base_file"] == {"path": str(first)}
    assert origin_of(load_model(second)).path == base_mlp
    plain = load_model(base_mlp)
    assert origin_of(plain) is plain


def test_the_origin_falls_back_when_its_file_is_gone(
    base_mlp: Path, mnist_small, tmp_path: Path
) -> None:
    import shutil

    from model.checkpoints import save_model
    from model.paths import models_dir

    in_library = models_dir() / "my-mlp.pt"
    in_library.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(base_mlp, in_library)
    mine = _personalized(in_library, tmp_path / "s", tmp_path / "mine.pt", mnist_small)
    loaded = load_model(mine)
    # Named by its folder's role, not by a path with the user's home in it.
    assert loaded.card.personalization["base_file"] == {"library": "my-mlp.pt"}
    assert origin_of(loaded).path == in_library
    in_library.unlink()  # deleted from the library
    assert origin_of(load_model(mine)).path == mine

    def with_base(name: str, where: object) -> Path:
        record = {**loaded.card.personalization, "base_file": where}
        card = replace(loaded.card, personalization=record)
        return save_model(tmp_path / name, loaded.network, card)

    # A damaged base file is passed over like a missing one.
    broken = tmp_path / "broken.pt"
    broken.write_bytes(b"not a model")
    damaged = with_base("damaged.pt", {"path": str(broken)})
    assert origin_of(load_model(damaged)).path == damaged
    # A record that names a file outside its folder, or makes no sense, leads nowhere.
    for where in ({"shipped": "../models/mlp.pt"}, {"elsewhere": "mlp.pt"}, "mlp.pt", {}):
        odd = with_base("odd.pt", where)
        assert origin_of(load_model(odd)).path == odd


def test_the_new_card_keeps_nothing_measured_on_the_base_alone(
    base_mlp: Path, mnist_small, tmp_path: Path
) -> None:
    """The base's name (a library rename) and real-pen figures are not the new model's."""
    from model.checkpoints import save_model

    base = load_model(base_mlp)
    pen = {"normal": 0.97, "small": 0.95, "digits": 4040, "collections": ["aga"]}
    card = replace(base.card, display_name="My mlp", real_pen=pen)
    renamed = save_model(tmp_path / "renamed.pt", base.network, card)
    mine = load_model(_personalized(renamed, tmp_path / "s", tmp_path / "mine.pt", mnist_small))
    assert mine.card.display_name == "" and mine.title == "mine"
    assert mine.card.real_pen == {}
    assert mine.card.personalization["base_model"] == "My mlp"
    assert mine.card.hyperparameters == base.card.hyperparameters  # how the base was made


def test_mnist_comes_from_the_data_folder_else_from_the_shipped_part(
    samples_folder: Path, base_mlp: Path, test_data: Path, tmp_path: Path
) -> None:
    """Offline, on first launch (no MNIST downloaded yet), Personalize still runs."""
    from model.data import load_mnist
    from model.evaluation import evaluate
    from model.paths import shipped_mnist_dir

    samples = load_images(SampleStore(samples_folder).scan().samples)
    base = load_model(base_mlp)
    replayed = {}
    for name, folder in (("data folder", test_data), ("none", tmp_path / "no-mnist")):
        config = replace(FAST, data_dir=str(folder), download=False)
        out = tmp_path / f"{name}.pt"
        done = run(base, samples, config, out=out)[-1]
        assert not done.stopped and done.model_path == str(out)
        replayed[name] = load_model(out).card.personalization["replay_images"], done.before
    assert replayed["data folder"][0] == 4_000  # tests/data's training images
    assert replayed["none"][0] == 6_000
    # The shipped part's test set is MNIST's whole one: the figure every card gives.
    shipped_test = load_mnist(shipped_mnist_dir(), download=False).test
    assert len(shipped_test) == 10_000
    assert replayed["none"][1].mnist_accuracy == evaluate(base.network, shipped_test).accuracy


def test_cli_personalize_without_mnist_says_it_uses_the_shipped_part(
    capsys, samples_folder: Path, base_mlp: Path, tmp_path: Path
) -> None:
    out = tmp_path / "m.pt"
    code, stdout, err = run_cli(
        capsys, "personalize", base_mlp, samples_folder, "--out", out,
        "--data", tmp_path / "empty", "--epochs", "1",
    )  # fmt: skip
    assert code == 0, err
    assert f"no MNIST in {tmp_path / 'empty'}: using the part shipped with digitpad" in err
    assert "Your handwriting:" in stdout
    assert load_model(out).card.personalization["replay_images"] == 6_000
