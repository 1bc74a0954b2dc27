"""The model library on real model files: listing, names, rename, trash and undo."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from model.checkpoints import load_model
from model.errors import DigitpadError
from model.library import (
    LibraryError,
    keep_spare,
    list_models,
    model_label,
    move_to_trash,
    recipe_line,
    rename,
    restore,
    spare_path,
    trash_dir,
)
from model.paths import models_dir, shipped_models_dir


@pytest.fixture
def my_model(trained_mlp: Path) -> Path:
    models_dir().mkdir(parents=True, exist_ok=True)
    path = models_dir() / "mlp-20261126-070000.pt"
    shutil.copy(trained_mlp, path)
    return path


def test_lists_mine_first_then_shipped_with_their_figures(my_model: Path) -> None:
    broken = models_dir() / "broken.pt"
    broken.write_bytes(b"not a model")
    entries = list_models()
    paths = [e.path for e in entries]
    assert set(paths[:2]) == {my_model, broken}
    assert paths[2:] == [shipped_models_dir() / "cnn.pt", shipped_models_dir() / "mlp.pt"]
    mine = next(e for e in entries if e.path == my_model)
    assert not mine.shipped and mine.network == "mlp" and mine.size_bytes > 0
    assert mine.accuracy == load_model(my_model).card.test_accuracy
    assert mine.recipe.startswith("3 epochs · batch 32 · sgd lr 0.01 momentum 0.9")
    bad = next(e for e in entries if e.path == broken)
    assert bad.card is None and "not a usable digitpad model" in bad.error
    assert entries[2].shipped and entries[2].label.startswith("cnn (shipped) · 99.")


def test_rename_lives_in_the_card_and_the_file_keeps_its_name(my_model: Path) -> None:
    card = rename(my_model, "  my   first model \n")
    assert card.display_name == "my first model"
    loaded = load_model(my_model)  # still loads: the checksum was rewritten with it
    assert loaded.card.display_name == "my first model" and loaded.title == "my first model"
    assert model_label(loaded.card, my_model).startswith("my first model · ")
    assert my_model.exists()
    with pytest.raises(LibraryError, match="empty"):
        rename(my_model, "   ")
    with pytest.raises(LibraryError, match="shipped"):
        rename(shipped_models_dir() / "cnn.pt", "mine now")


def test_delete_goes_to_the_trash_and_undo_brings_it_back(my_model: Path) -> None:
    data = my_model.read_bytes()
    item = move_to_trash(my_model)
    assert not my_model.exists() and item.trashed.parent == trash_dir()
    assert my_model not in [e.path for e in list_models()]
    assert restore(item) == my_model
    assert my_model.read_bytes() == data
    with pytest.raises(LibraryError):
        restore(item)  # already restored
    with pytest.raises(LibraryError, match="cannot be deleted"):
        move_to_trash(shipped_models_dir() / "mlp.pt")


def test_restore_never_overwrites_a_newer_file(my_model: Path) -> None:
    item = move_to_trash(my_model)
    my_model.write_bytes(b"a new file took the name")
    back = restore(item)
    assert back != my_model and back.parent == models_dir()
    assert my_model.read_bytes() == b"a new file took the name"


def test_a_spare_model_is_kept_on_request(trained_mlp: Path) -> None:
    spare = spare_path("mlp")
    assert spare.parent == trash_dir()
    spare.parent.mkdir(parents=True)
    shutil.copy(trained_mlp, spare)
    kept = keep_spare(spare, "mlp")
    assert kept.parent == models_dir() and kept.name.startswith("mlp-")
    assert not spare.exists()
    with pytest.raises(DigitpadError):
        keep_spare(spare, "mlp")


def test_recipe_line_shows_only_what_applies() -> None:
    adam = {"epochs": 4, "batch_size": 128, "optimizer": "adam", "lr": 0.005}
    assert recipe_line({**adam, "schedule": "onecycle", "seed": 0}) == (
        "4 epochs · batch 128 · adam lr 0.005 · onecycle · seed 0"
    )
    assert recipe_line({**adam, "epochs_trained": 1}).startswith("1 epoch · ")
