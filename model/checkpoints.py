"""Model files: save atomically, load safely, each with its model card.

A file is a plain dict that ``torch.load(weights_only=True)`` can read without
running any code: format tag and version, network name and arguments, the
``state_dict``, the normalisation constants and the model card. Everything that
can go wrong on load surfaces as one ``ModelFileError`` with a clear message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
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
from model.files import atomic_writer, output_error
from model.messages import Message
from model.networks import LOADABLE, build_network
from model.normalization import MEAN, STD
from model.paths import shipped_model
from model.stroke_match import MAX_TRACES, POINTS, StrokeMemory

FORMAT = "digitpad-model"
# 1: the checksum covers the weights only. 2: it covers the network, its
# arguments, the normalisation and the card too. Files of version 1 still load.
# 3: as 2, plus the user's drawings a personalized model remembers
# (``model.stroke_match``), covered by the checksum too. Only such files are
# written as 3, so an older app refuses them by their version, not as corrupt.
FORMAT_VERSION = 2
MEMORY_VERSION = 3
SUPPORTED_VERSIONS = (1, 2, 3)
SUFFIX = ".pt"
MAX_TEXT = 1000  # characters in a card's text field
MAX_ENTRIES = 100  # hyper-parameters in a card


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


# The data sets our code writes into cards (model.pen_training.PEN_DATASET, and
# model.personalize's "<base> + N samples ..."), read back so the GUI can translate them.
_PEN_DATASET = re.compile(r"MNIST \+ real pen digits \(UNIPEN 1a: (?P<collections>[^()]*)\)")
_PERSONAL_DATASET = re.compile(r"(?P<base>.+) \+ (?P<count>\d+) samples of the user's handwriting")


def dataset_text(dataset: str) -> str:
    """A card's data set as a ``Message`` when our code wrote it, else as it is."""
    if found := _PERSONAL_DATASET.fullmatch(dataset):
        return Message(
            "{base} + {count} samples of the user's handwriting",
            base=dataset_text(found["base"]),
            count=int(found["count"]),
        )
    if found := _PEN_DATASET.fullmatch(dataset):
        return Message(
            "MNIST + real pen digits (UNIPEN 1a: {collections})",
            collections=found["collections"],
        )
    return dataset


# The drawing sizes of a card's real-pen figures, as its table names them.
PEN_SIZES = {"normal": Message("normal"), "small": Message("small"), "large": Message("large")}


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
    # Set by model.personalize: base model, sample count, before/after figures.
    personalization: dict[str, Any] = field(default_factory=dict)
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
        """Rebuild a card from a file, checking types and ranges (a file is untrusted input).

        Raises TypeError or ValueError for a card that is not what we write.
        """
        if not isinstance(raw, dict):
            raise TypeError(f"expected a dict, found {type(raw).__name__}")
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in raw.items() if k in known}
        for key in ("test_accuracy", "train_seconds"):
            if key in values:
                values[key] = _number(key, values[key])
        accuracy = values.get("test_accuracy", math.nan)
        if not (math.isnan(accuracy) or 0 <= accuracy <= 1):
            raise ValueError(f"test_accuracy must be in 0..1, not {accuracy}")
        seconds = values.get("train_seconds", 0.0)
        if not 0 <= seconds < math.inf:
            raise ValueError(f"train_seconds must be >= 0, not {seconds}")
        for key in ("train_size", "test_size"):
            if key in values:
                value = values[key]
                if type(value) is not int or not 0 <= value <= 10**9:
                    raise ValueError(f"{key} must be a whole number in 0..10^9, not {value!r}")
        for key in ("network", "dataset", "created", "torch_version", "display_name"):
            if key in values and not isinstance(values[key], str):
                raise TypeError(f"{key} must be text")
            if len(values.get(key, "")) > MAX_TEXT:
                raise ValueError(f"{key} is longer than {MAX_TEXT} characters")
        hp = values.get("hyperparameters", {})
        if not isinstance(hp, dict) or len(hp) > MAX_ENTRIES:
            raise TypeError(f"hyperparameters must be a mapping of at most {MAX_ENTRIES} entries")
        for key, value in hp.items():
            items = value if isinstance(value, list | tuple) else [value]
            plain = all(v is None or isinstance(v, bool | int | float | str) for v in items)
            if not isinstance(key, str) or not plain or len(str(value)) > MAX_TEXT:
                raise TypeError(f"hyperparameter {key!r} is not a plain value")
        if "personalization" in values:
            _check_plain("personalization", values["personalization"])
            if not isinstance(values["personalization"], dict):
                raise TypeError("personalization must be a mapping")
        if "per_class_accuracy" in values:
            accuracies = tuple(
                _number("per_class_accuracy", a) for a in values["per_class_accuracy"]
            )
            if len(accuracies) > 10 or not all(math.isnan(a) or 0 <= a <= 1 for a in accuracies):
                raise ValueError("per_class_accuracy must be at most 10 fractions in 0..1")
            values["per_class_accuracy"] = accuracies
        if "real_pen" in values:
            values["real_pen"] = _real_pen(values["real_pen"])
        return cls(**values)

    def accuracy_text(self) -> str:
        """``99.31 % test accuracy``, or "" for a card without a test run."""
        if math.isnan(self.test_accuracy):
            return ""
        return f"{self.test_accuracy:.2%} test accuracy".replace("%", " %")

    def _personalization_lines(self) -> list[str]:
        p = self.personalization
        if not p:
            return []
        lines: list[str] = [Message("## Personalization"), ""]
        if "summary" in p:
            lines += [f"{p['summary']}", ""]
        lines += [
            Message("- Fine-tuned from: {model}", model=p.get("base_model", "?")),
            Message(
                "- The user's samples: {samples} (before/after on them by {folds}-fold "
                "cross-validation)",
                samples=p.get("samples", "?"),
                folds=p.get("folds", "?"),
            ),
        ]
        if p.get("remembered_drawings"):
            lines.append(
                Message(
                    "- Remembers {count} of the user's drawings and reads one drawn the same "
                    "way as its label (matched stroke by stroke)",
                    count=p["remembered_drawings"],
                )
            )
        return [*lines, ""]

    def real_pen_lines(self) -> list[str]:
        """The real-pen figures as Markdown lines, or none for a card without them."""
        pen = self.real_pen
        sizes = [k for k in PEN_SIZES if k in pen]
        if not sizes:
            return []
        held_out = ", ".join(pen.get("collections", ())) or Message("all")
        trained = ", ".join(pen.get("trained_on", ())) or Message("none")
        return [
            Message("## Real pen digits"),
            "",
            Message(
                "UNIPEN 1a digits replayed through the drawing path (bench/real_handwriting.py): "
                "{digits:,} digits from the collections {held_out}, none of them "
                "trained on (collections trained on: {trained}).",
                digits=pen.get("digits", 0),
                held_out=held_out,
                trained=trained,
            ),
            "",
            Message("| drawing size | accuracy |"),
            "|---|---|",
            *(
                Message("| {size} | {accuracy:.2%} |", size=PEN_SIZES[k], accuracy=float(pen[k]))
                for k in sizes
            ),
            "",
            "UNIPEN: International Unipen Foundation, train_r01_v07 (1999); CC BY 4.0.",
            "",
        ]

    def markdown_lines(self, title: str) -> list[str]:
        """The card as Markdown lines; the GUI translates the ``Message`` ones.

        Figures and names stay as they are (a user's own model name, the
        hyper-parameters' keys), and so do the data sets' attributions.
        """
        return [
            Message("# Model card: {title}", title=title),
            "",
            Message("- Network: `{network}`", network=self.network),
            Message(
                "- Data set: {dataset} ({train} training, {test} test images)",
                dataset=dataset_text(self.dataset),
                train=self.train_size,
                test=self.test_size,
            ),
            Message("- Test accuracy: {accuracy:.2%}", accuracy=self.test_accuracy),
            Message("- Training time: {seconds:.1f} s", seconds=self.train_seconds),
            Message(
                "- Created: {created} with torch {torch}",
                created=self.created,
                torch=self.torch_version,
            ),
            "",
            Message("## Hyper-parameters"),
            "",
            *(f"- {k}: {v}" for k, v in recipe_of(self.hyperparameters).items()),
            "",
            Message("## Per-class test accuracy"),
            "",
            Message("| digit | accuracy |"),
            "|---|---|",
            *(
                Message("| {digit} | {accuracy:.2%} |", digit=d, accuracy=a)
                for d, a in enumerate(self.per_class_accuracy)
            ),
            "",
            *self._personalization_lines(),
            *self.real_pen_lines(),
            "MNIST: Yann LeCun, Corinna Cortes, Christopher J.C. Burges; CC BY-SA 3.0.",
        ]

    def markdown(self, title: str) -> str:
        return "\n".join(self.markdown_lines(title)) + "\n"


def _check_plain(key: str, value: object, depth: int = 0) -> None:
    """A JSON-like value of bounded size: what ``model.personalize`` writes, nothing else."""
    if depth > 3:
        raise TypeError(f"{key} is nested too deeply")
    if isinstance(value, dict):
        if len(value) > MAX_ENTRIES or not all(isinstance(k, str) for k in value):
            raise TypeError(f"{key} must be a mapping of at most {MAX_ENTRIES} named entries")
        for k, v in value.items():
            _check_plain(f"{key}.{k}", v, depth + 1)
    elif isinstance(value, list | tuple):
        if len(value) > MAX_ENTRIES:
            raise TypeError(f"{key} has more than {MAX_ENTRIES} items")
        for v in value:
            _check_plain(key, v, depth + 1)
    elif isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise ValueError(f"{key} is longer than {MAX_TEXT} characters")
    elif not (value is None or isinstance(value, bool | int | float)):
        raise TypeError(f"{key} is not a plain value")


def _real_pen(raw: object) -> dict[str, Any]:
    """A card's ``real_pen`` mapping, checked: fractions by size, counts, collection codes."""
    if not isinstance(raw, dict) or len(raw) > MAX_ENTRIES:
        raise TypeError("real_pen must be a small mapping")
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key in ("normal", "small", "large"):
            fraction = _number(f"real_pen {key}", value)
            if not 0 <= fraction <= 1:
                raise ValueError(f"real_pen {key} must be a fraction in 0..1")
            out[key] = fraction
        elif key == "digits":
            out[key] = int(_number("real_pen digits", value))
        elif key in ("collections", "trained_on"):
            names = value if isinstance(value, list | tuple) else None
            if (
                names is None
                or len(names) > MAX_ENTRIES
                or not all(isinstance(c, str) and len(c) <= MAX_TEXT for c in names)
            ):
                raise TypeError(f"real_pen {key} must be a list of names")
            out[key] = list(names)
    return out


def _number(key: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{key} must be a number, not {value!r}")
    return float(value)


@dataclass(frozen=True)
class LoadedModel:
    """A network ready for inference, with where it came from and its card."""

    network: nn.Module
    network_name: str
    card: ModelCard
    path: Path | None
    memory: StrokeMemory | None = None  # the user's drawings, for a personalized model

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
    raise ConfigError("{name} is not a registered network", name=type(network).__name__)


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


def file_checksum(payload: dict[str, Any]) -> str:
    """Format 2's checksum: the weights' plus everything else a file says about itself.

    A flipped byte in the card (say ``train_size`` 60000 -> 60063) would
    otherwise load as a silently different card.
    """
    described = {
        key: payload.get(key) for key in ("network", "network_args", "normalization", "card")
    }
    text = json.dumps(described, sort_keys=True, allow_nan=True, default=repr)
    digest = hashlib.sha256(weights_checksum(payload["state_dict"]).encode())
    digest.update(text.encode())
    if "stroke_memory" in payload:  # format 3
        memory = payload["stroke_memory"]
        if isinstance(memory, dict) and all(
            isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in memory.items()
        ):
            digest.update(weights_checksum(memory).encode())
        else:
            digest.update(b"not tensors")
    return digest.hexdigest()


def _memory_tensors(memory: StrokeMemory) -> dict[str, torch.Tensor]:
    return {
        "traces": torch.from_numpy(memory.traces.astype("float32")),
        "labels": torch.from_numpy(memory.labels.astype("int64")),
    }


def _memory_of(raw: object) -> StrokeMemory:
    """A file's stroke memory, checked: shapes, labels 0-9, finite traces, at most MAX_TRACES."""
    if not isinstance(raw, dict) or set(raw) != {"traces", "labels"}:
        raise ValueError("not a stroke memory")
    traces, labels = raw["traces"], raw["labels"]
    if not isinstance(traces, torch.Tensor) or not isinstance(labels, torch.Tensor):
        raise ValueError("not tensors")
    k = labels.shape[0] if labels.dim() == 1 else -1
    if (
        not 1 <= k <= MAX_TRACES
        or traces.dtype != torch.float32
        or labels.dtype != torch.int64
        or tuple(traces.shape) != (k, POINTS, 3)
        or not torch.isfinite(traces).all()
        or not ((labels >= 0) & (labels <= 9)).all()
    ):
        raise ValueError("bad stroke memory")
    return StrokeMemory(traces.numpy().copy(), labels.numpy().copy())


def model_path(path: Path | str) -> Path:
    """Where ``save_model(path, ...)`` writes: ``path``, with ``.pt`` added only if it has no suffix."""
    path = Path(path).expanduser()
    if path.suffix or path.is_dir():  # a folder stays itself, to be refused as one
        return path
    return path.with_name(path.name + SUFFIX)


def save_model(
    path: Path | str, network: nn.Module, card: ModelCard, memory: StrokeMemory | None = None
) -> Path:
    """Write atomically: a temp file in the same folder, fsync, then ``os.replace``.

    A crash at any point leaves either the old file or the new one, never half of one.
    ``memory``: the drawings a personalized model remembers (format 3).
    """
    path = model_path(path)
    state_dict = {k: v.detach().cpu() for k, v in network.state_dict().items()}
    payload = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "network": _network_name(network),
        "network_args": dict(getattr(network, "args", {})),
        "state_dict": state_dict,
        "normalization": {"mean": MEAN, "std": STD},
        "card": asdict(card),
    }
    if memory is not None:
        payload["format_version"] = MEMORY_VERSION
        payload["stroke_memory"] = _memory_tensors(memory)
    payload["checksum"] = file_checksum(payload)
    needed = sum(t.numel() * t.element_size() for t in state_dict.values()) + 2**20
    try:
        with atomic_writer(path) as f:
            torch.save(payload, f)
    except (OSError, RuntimeError) as exc:
        error = output_error(path, exc, needed)
        if error is None:
            raise
        raise error from None
    return path


def update_card(path: Path | str, **changes: Any) -> ModelCard:
    """Rewrite a model file's card with ``changes`` (e.g. ``real_pen``); the weights stay.

    For figures measured after training, such as the real-pen benchmark's. Atomic
    like ``save_model``.
    """
    loaded = load_model(path)
    card = replace(loaded.card, **changes)
    save_model(loaded.path or path, loaded.network, card, loaded.memory)
    return card


def _build_checked(name: object, args: object, state_dict: dict[str, torch.Tensor]) -> nn.Module:
    """Build the network only once its shapes match the weights.

    The shapes come from a copy built on the ``meta`` device, which allocates
    nothing: forged arguments such as ``hidden=320000`` are refused before the
    gigabytes they ask for.
    """
    if not isinstance(name, str) or not isinstance(args, dict):
        raise TypeError("network name or arguments missing")
    with torch.device("meta"):
        skeleton = build_network(name, **args)
    wanted = {k: (tuple(v.shape), v.dtype) for k, v in skeleton.state_dict().items()}
    found = {k: (tuple(v.shape), v.dtype) for k, v in state_dict.items()}
    if wanted.keys() != found.keys():
        missing = sorted(wanted.keys() - found.keys())
        extra = sorted(found.keys() - wanted.keys())
        raise ValueError(f"missing {missing[:3]}, unexpected {extra[:3]}")
    for key, (shape, dtype) in wanted.items():
        if found[key] != (shape, dtype):
            raise ValueError(f"{key} is {found[key][0]} {found[key][1]}, expected {shape} {dtype}")
    network = build_network(name, **args)
    network.load_state_dict(state_dict, strict=True)
    return network


def _bad(path: Path, why: Message) -> ModelFileError:
    return ModelFileError("{path} is not a usable digitpad model: {why}", path=path, why=why)


def load_model(path: Path | str) -> LoadedModel:
    """Read a model file without executing anything in it (``weights_only=True``).

    A shipped model's name (``cnn``, ``mlp``) stands for its file when no file of
    that name exists, so ``digitpad predict cnn digit.png`` works from anywhere.
    """
    path = shipped_model(path) or Path(path).expanduser()
    if not path.exists():
        raise ModelFileError("model file not found: {path}", path=path)
    if not path.is_file():
        raise _bad(path, Message("it is not a file"))
    if path.stat().st_size == 0:
        raise _bad(path, Message("the file is empty"))
    try:
        with warnings.catch_warnings():  # torch warns about foreign pickle protocols
            warnings.simplefilter("ignore")
            payload = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        found = re.search(r"GLOBAL (\S+)", str(exc))
        if found:
            why = Message(
                "it asks to run {name}; refused without executing anything", name=found.group(1)
            )
        else:
            why = Message("the file is corrupt or in another format")
        raise _bad(path, why) from None
    except (zipfile.BadZipFile, EOFError, RuntimeError, ValueError, OSError, KeyError):
        raise _bad(path, Message("the file is truncated or corrupt")) from None
    except Exception:  # torch raises many types (IndexError, ...) for foreign bytes
        raise _bad(path, Message("the file is corrupt or in another format")) from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise _bad(
            path,
            Message("it is not a digitpad model file (only weights, or another program's data)"),
        )
    version = payload.get("format_version")
    if version not in SUPPORTED_VERSIONS:
        why = Message(
            "format version {version!r} is not supported (expected {expected})",
            version=version,
            expected=FORMAT_VERSION,
        )
        raise _bad(path, why)
    state_dict = payload.get("state_dict")
    if not isinstance(state_dict, dict) or not all(
        isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in state_dict.items()
    ):
        raise _bad(path, Message("it holds no weights"))
    expected = weights_checksum(state_dict) if version == 1 else file_checksum(payload)
    if payload.get("checksum") != expected:
        if version == 1:
            raise _bad(path, Message("the weights are corrupt (checksum mismatch)"))
        raise _bad(path, Message("the file is corrupt (checksum mismatch)"))
    if not all(torch.isfinite(v).all() for v in state_dict.values() if v.is_floating_point()):
        raise _bad(path, Message("its weights contain NaN or infinite values"))
    memory = None
    if version == MEMORY_VERSION:
        try:
            memory = _memory_of(payload.get("stroke_memory"))
        except ValueError:
            raise _bad(path, Message("its remembered drawings are malformed")) from None
    name = payload.get("network")
    try:
        network = _build_checked(name, payload.get("network_args", {}), state_dict)
    except ConfigError as exc:
        # "unknown network 'x' (known: ...)" is a sentence, and so is an argument
        # out of bounds; anything else carries Python's text.
        if exc.template.startswith("unknown network"):
            why = exc.message
        elif isinstance(detail := exc.params.get("why"), Message):
            why = Message("its network settings are invalid ({why})", why=detail)
        else:
            why = Message("its network settings are invalid")
        raise _bad(path, why) from None
    except (TypeError, ValueError, RuntimeError):  # torch's own text lists tensor names
        raise _bad(path, Message("its weights do not fit the {name} network", name=name)) from None
    try:
        card = ModelCard.from_dict(payload.get("card") or {"network": name})
    except (TypeError, ValueError, AttributeError, OverflowError):
        raise _bad(path, Message("its model card is malformed")) from None
    network.eval()
    return LoadedModel(network=network, network_name=name, card=card, path=path, memory=memory)
