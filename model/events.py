"""What a training run reports: frozen dataclasses of plain Python numbers.

Events cross threads (the GUI worker re-emits them as Qt signals) and processes
(``--json``), so they never hold tensors, only ints, floats, strings and tuples.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch


@dataclass(frozen=True)
class DataProgress:
    """Work before the first batch: fetching or decoding MNIST, timing the devices."""

    message: str
    done: int
    total: int


@dataclass(frozen=True)
class RunStarted:
    network: str
    device: str
    epochs: int
    batches_per_epoch: int
    train_size: int
    test_size: int
    device_reason: str = ""  # why this device, in a few words (``auto`` explains its choice)
    step: str = ""  # how a step runs, e.g. "captured CUDA graph", "hand-written mlp step"


@dataclass(frozen=True)
class BatchProgress:
    """Sent every ``report_every`` batches with the loss of each batch since the last one.

    Reporting a chunk keeps the chart complete (one point per batch) while the
    loop reads the loss off the device only once per chunk.
    """

    epoch: int  # 1-based
    batch: int  # 1-based, within the epoch
    batches_per_epoch: int
    step: int  # 1-based, over the whole run
    total_steps: int
    losses: tuple[float, ...]
    samples_per_second: float
    elapsed_seconds: float
    eta_seconds: float

    @property
    def loss(self) -> float:
        return sum(self.losses) / len(self.losses)


@dataclass(frozen=True)
class EpochEnd:
    epoch: int
    epochs: int
    train_loss: float
    test_accuracy: float  # a fraction 0..1
    epoch_seconds: float
    samples_per_second: float
    elapsed_seconds: float


@dataclass(frozen=True)
class Notice:
    """Something the user should know once, e.g. that the GPU loop fell back to eager steps."""

    message: str


@dataclass(frozen=True)
class Paused:
    step: int


@dataclass(frozen=True)
class Resumed:
    step: int


@dataclass(frozen=True)
class RunFinished:
    """The last event of every run. ``stopped`` runs save nothing (``model_path`` is None).

    A run that finished but learned nothing has ``diverged`` set to the reason
    (``model.activation.divergence``) and is not saved at ``model_path`` either;
    ``too_little`` tells a run that learned, only not enough, from one that blew
    up (``model.activation.learned_too_little``): they need different advice.
    Either kind may leave a ``spare_path`` (the best finished epoch of a stopped
    run, a diverged run's result) when the caller asked for one.
    """

    stopped: bool
    epochs_completed: int
    test_accuracy: float
    per_class_accuracy: tuple[float, ...]
    train_seconds: float
    model_path: str | None
    diverged: str = ""
    spare_path: str | None = None
    too_little: bool = False


@dataclass(frozen=True, eq=False)
class WeightsSnapshot:
    """A copy of the weights of the run in progress, so the Draw tab can follow it live.

    The one event that holds tensors: plain CPU copies, detached and cloned,
    which the training loop never touches again, so the GUI thread may load
    them into its own network while the loop goes on. Sent only when a caller
    asks (``train(..., snapshot_every=N)``): every ``N`` batches and at each
    epoch's end.
    """

    network: str
    network_args: tuple[tuple[str, int | float | str], ...]
    epoch: int  # 1-based
    epochs: int
    batch: int  # batches done in this epoch
    batches_per_epoch: int
    state_dict: dict[str, torch.Tensor]


@dataclass(frozen=True)
class EvaluationProgress:
    """``done`` of ``total`` images through the network ``model`` (its title)."""

    model: str
    done: int
    total: int


Event = (
    DataProgress
    | RunStarted
    | BatchProgress
    | EpochEnd
    | Notice
    | Paused
    | Resumed
    | RunFinished
    | WeightsSnapshot
)
