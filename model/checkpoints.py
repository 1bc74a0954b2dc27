"""Model files: save atomically, load safely, each with its model card.

A file is a plain dict that ``torch.load(weights_only=True)`` can read without
running any code: format tag and version, network name and arguments, the
``state_dict``, the normalisation constants and the model card. Everything that
can go wrong on load surfaces as one ``ModelFileError`` with a clear message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import pickle
import re
import warnings
import zipfile
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import torch
from torch import nn

from model.errors import ConfigError, ModelFileError
from model.evaluation import Evaluation
from model.files import atomic_writer
from model.networks import LOADABLE, build_network
from model.normalization import MEAN, STD
from model.paths import shipped_model

FORMAT = "digitpad-model"
FORMAT_VERSION = 1
SUFFIX = ".pt"


# Settings of a run that do not describe the model it made: where the data was
# (a path on the machine that trained it), whether it was downloaded, how often
# the loop reported progress.
_NOT_RECIPE = ("data_dir", "download", "report_every", "data")


def recipe_of(hyperparameters: dict[str, Any]) -> dict[str, Any]:
    """The settings that describe how a model was made, as a card shows them.

    Momentum means something only to SGD, so an Adam run does not list it.
    """
    recipe = {k: v for k, v in hyperparameters.items() if k not in _NOT_RECIPE}
    if recipe.get("optimizer", "sgd") != "sgd":
        recipe.pop("momentum", None)
    return recipe


@dataclass(frozen=True)
class ModelCard:
    """What a model is and how it was made, shown in the GUI and ``digitpad info``."""

    network: str
    dataset: str = "MNIST"
    train_size: int = 0
    test_size: int = 0
    hyperparameters: dict[str, Any] = field(default_factory=dict)
    test_accuracy: float = float("nan")
    per_class_accuracy: tuple[float, ...] = ()
    train_seconds: float = 0.0
    created: str = ""  # ISO 8601, UTC
    torch_version: str = ""
    display_name: str = ""  # the user's name for it (the library's Rename); "" = the file's
    # Accuracy on real pen digits through the drawing path (bench/real_handwriting.py):
    # {"normal": 0.98, "small": 0.97, ...} by drawing size, plus "digits", "collections"
    # (those scored) and "trained_on" (collections the model saw; never among those scored).
    # Empty for models made before it existed; older apps ignore it.
    real_pen: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def for_run(
        cls,
        *,
        network: str,
        hyperparameters: dict[str, Any],
        train_size: int,
        test_size: int,
        evaluation: Evaluation,
        train_seconds: float,
        dataset: str = "MNIST",
    ) -> ModelCard:
        return cls(
            network=network,
            dataset=dataset,
            train_size=train_size,
            test_size=test_size,
            hyperparameters=recipe_of(hyperparameters),
            test_accuracy=evaluation.accuracy,
            per_class_accuracy=evaluation.per_class_accuracy,
            train_seconds=round(train_seconds, 2),
            created=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            torch_version=str(torch.__version__),  # TorchVersion is not a plain str
        )

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> ModelCard:
        """Rebuild a card from a file, checking types (a file is untrusted input).

        Raises TypeError or ValueError for a card that is not what we write.
        """
        if not isinstance(raw, dict):
            raise TypeError(f"expected a dict, found {type(raw).__name__}")
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in raw.items() if k in known}
        for key in ("test_accuracy", "train_seconds"):
            if key in values:
                values[key] = float(values[key])
        for key in ("train_size", "test_size"):
            if key in values:
                values[key] = int(values[key])
        for key in ("network", "dataset", "created", "torch_version", "display_name"):
            if key in values and not isinstance(values[key], str):
                raise TypeError(f"{key} must be text")
        if not isinstance(values.get("hyperparameters", {}), dict):
            raise TypeError("hyperparameters must be a mapping")
        if "per_class_accuracy" in values:
            values["per_class_accuracy"] = tuple(float(a) for a in values["per_class_accuracy"])
        if "real_pen" in values:
            values["real_pen"] = _real_pen(values["real_pen"])
        return cls(**values)

    def accuracy_text(self) -> str:
        """``99.31 % test accuracy``, or "" for a card without a test run."""
        if math.isnan(self.test_accuracy):
            return ""
        return f"{self.test_accuracy:.2%} test accuracy".replace("%", " %")

    def real_pen_lines(self) -> list[str]:
        """The real-pen figures as Markdown lines, or none for a card without them."""
        pen = self.real_pen
        sizes = [k for k in ("normal", "small", "large") if k in pen]
        if not sizes:
            return []
        held_out = ", ".join(pen.get("collections", ())) or "all"
        trained = ", ".join(pen.get("trained_on", ())) or "none"
        return [
            "## Real pen digits",
            "",
            f"UNIPEN 1a digits replayed through the drawing path (bench/real_handwriting.py): "
            f"{pen.get('digits', 0):,} digits from the collections {held_out}, none of them "
            f"trained on (collections trained on: {trained}).",
            "",
            "| drawing size | accuracy |",
            "|---|---|",
            *(f"| {k} | {float(pen[k]):.2%} |" for k in sizes),
            "",
            "UNIPEN: International Unipen Foundation, train_r01_v07 (1999); CC BY 4.0.",
            "",
        ]

    def markdown(self, title: str) -> str:
        hp = self.hyperparameters
        lines = [
            f"# Model card: {title}",
            "",
            f"- Network: `{self.network}`",
            f"- Data set: {self.dataset} ({self.train_size} training, {self.test_size} test images)",
            f"- Test accuracy: {self.test_accuracy:.2%}",
            f"- Training time: {self.train_seconds:.1f} s",
            f"- Created: {self.created} with torch {self.torch_version}",
            "",
            "## Hyper-parameters",
            "",
            *(f"- {k}: {v}" for k, v in recipe_of(hp).items()),
            "",
            "## Per-class test accuracy",
            "",
            "| digit | accuracy |",
            "|---|---|",
            *(f"| {d} | {a:.2%} |" for d, a in enumerate(self.per_class_accuracy)),
            "",
            *self.real_pen_lines(),
            "MNIST: Yann LeCun, Corinna Cortes, Christopher J.C. Burges; CC BY-SA 3.0.",
        ]
        return "\n".join(lines) + "\n"


def _real_pen(raw: object) -> dict[str, Any]:
    """A card's ``real_pen`` mapping, checked: fractions by size, counts, collection codes."""
    if not isinstance(raw, dict):
        raise TypeError("real_pen must be a mapping")
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key in ("normal", "small", "large"):
            out[key] = float(value)
        elif key == "digits":
            out[key] = int(value)
        elif key in ("collections", "trained_on"):
            if not isinstance(value, list | tuple) or not all(isinstance(c, str) for c in value):
                raise TypeError(f"real_pen {key} must be a list of names")
            out[key] = list(value)
    return out


@dataclass(frozen=True)
class LoadedModel:
    """A network ready for inference, with where it came from and its card."""

    network: nn.Module
    network_name: str
    card: ModelCard
    path: Path | None

    @property
    def title(self) -> str:
        """The user's name for the model, else its file name, else its network."""
        if self.card.display_name:
            return self.card.display_name
        return self.path.stem if self.path else self.network_name


def _network_name(network: nn.Module) -> str:
    for name, factory in LOADABLE.items():
        if type(network) is factory:
            return name
    raise ConfigError(f"{type(network).__name__} is not a registered network")


def weights_checksum(state_dict: dict[str, torch.Tensor]) -> str:
    """SHA-256 over names, dtypes, shapes and bytes of every tensor.

    torch does not verify the zip's CRCs, so flipped bytes inside a tensor would
    otherwise load silently as wrong weights.
    """
    digest = hashlib.sha256()
    for key in sorted(state_dict):
        tensor = state_dict[key].detach().cpu().contiguous()
        digest.update(f"{key}|{tensor.dtype}|{tuple(tensor.shape)}|".encode())
        digest.update(tensor.reshape(-1).view(torch.uint8).numpy().tobytes())
    return digest.hexdigest()


def save_model(path: Path | str, network: nn.Module, card: ModelCard) -> Path:
    """Write atomically: a temp file in the same folder, fsync, then ``os.replace``.

    A crash at any point leaves either the old file or the new one, never half of one.
    """
    path = Path(path).expanduser()
    if path.suffix != SUFFIX:
        path = path.with_name(path.name + SUFFIX)
    state_dict = {k: v.detach().cpu() for k, v in network.state_dict().items()}
    payload = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "network": _network_name(network),
        "network_args": dict(getattr(network, "args", {})),
        "state_dict": state_dict,
        "checksum": weights_checksum(state_dict),
        "normalization": {"mean": MEAN, "std": STD},
        "card": asdict(card),
    }
    with atomic_writer(path) as f:
        torch.save(payload, f)
    return path


def update_card(path: Path | str, **changes: Any) -> ModelCard:
    """Rewrite a model file's card with ``changes`` (e.g. ``real_pen``); the weights stay.

    For figures measured after training, such as the real-pen benchmark's. Atomic
    like ``save_model``.
    """
    loaded = load_model(path)
    card = replace(loaded.card, **changes)
    save_model(loaded.path or path, loaded.network, card)
    return card


def _bad(path: Path, why: str) -> ModelFileError:
    return ModelFileError(f"{path} is not a usable digitpad model: {why}")


def load_model(path: Path | str) -> LoadedModel:
    """Read a model file without executing anything in it (``weights_only=True``).

    A shipped model's name (``cnn``, ``mlp``) stands for its file when no file of
    that name exists, so ``digitpad predict cnn digit.png`` works from anywhere.
    """
    path = shipped_model(path) or Path(path).expanduser()
    if not path.exists():
        raise ModelFileError(f"model file not found: {path}")
    if not path.is_file():
        raise _bad(path, "it is not a file")
    if path.stat().st_size == 0:
        raise _bad(path, "the file is empty")
    try:
        with warnings.catch_warnings():  # torch warns about foreign pickle protocols
            warnings.simplefilter("ignore")
            payload = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        found = re.search(r"GLOBAL (\S+)", str(exc))
        if found:
            why = f"it asks to run {found.group(1)}; refused without executing anything"
        else:
            why = "the file is corrupt or in another format"
        raise _bad(path, why) from None
    except (zipfile.BadZipFile, EOFError, RuntimeError, ValueError, OSError, KeyError):
        raise _bad(path, "the file is truncated or corrupt") from None
    except Exception:  # torch raises many types (IndexError, ...) for foreign bytes
        raise _bad(path, "the file is corrupt or in another format") from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise _bad(
            path, "it is not a digitpad model file (only weights, or another program's data)"
        )
    version = payload.get("format_version")
    if version != FORMAT_VERSION:
        raise _bad(path, f"format version {version!r} is not supported (expected {FORMAT_VERSION})")
    state_dict = payload.get("state_dict")
    if not isinstance(state_dict, dict) or not all(
        isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in state_dict.items()
    ):
        raise _bad(path, "it holds no weights")
    if payload.get("checksum") != weights_checksum(state_dict):
        raise _bad(path, "the weights are corrupt (checksum mismatch)")
    try:
        name = payload["network"]
        network = build_network(name, **payload.get("network_args", {}))
        network.load_state_dict(state_dict, strict=True)
    except ConfigError as exc:
        # "unknown network 'x' (known: ...)" is a sentence; bad arguments carry Python's text.
        why = (
            str(exc)
            if str(exc).startswith("unknown network")
            else "its network settings are invalid"
        )
        raise _bad(path, why) from None
    except (KeyError, TypeError, RuntimeError):  # torch's own text lists tensor names
        raise _bad(path, f"its weights do not fit the {payload.get('network')} network") from None
    try:
        card = ModelCard.from_dict(payload.get("card") or {"network": name})
    except (TypeError, ValueError, AttributeError):
        raise _bad(path, "its model card is malformed") from None
    network.eval()
    return LoadedModel(network=network, network_name=name, card=card, path=path)
