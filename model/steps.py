"""One training step on the device, three ways; the loop in ``model.training`` drives any of them.

Every stepper keeps the batch in static input tensors (rows gathered from the
training set on the device with ``index_select(out=...)``) and records each
batch's loss into a small device buffer, so the loop syncs with the device only
when it reports (``losses(count)``), never per batch.

- ``AutogradStep``: forward, loss, ``backward()``, a torch optimizer. On CUDA
  the whole step is captured in a CUDA graph after a few warm-up steps and
  replayed per batch: at this network size the GPU waits on the host launching
  ~40 small kernels per step, and a replay launches them all at once (measured
  on an H200 in issue 11: 1.7 s an epoch eagerly, 0.21 s captured). An
  augmented batch's distortion (another ~40 kernels) is captured with the step;
  only its random draw, one launch, runs eagerly before each replay. With the
  capture off it is the plain eager loop, which every other device runs.
- ``FusedMlpStep``: the tutorial MLP with SGD on the CPU, forward and backward
  written out by hand. Autograd's bookkeeping costs as much as the arithmetic
  of this tiny network; the hand-written step does the same math in half the
  time (bench/train_speed.py) with plain ATen ops, so it needs no compiler.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import torch
from torch import nn
from torch.nn import functional

from model.augment import augment_batch, distort, draw, draws_per_image
from model.config import TrainConfig
from model.data import Split
from model.graph_adam import GraphAdam
from model.messages import Message
from model.schedule import ADAM_BETA2, Hyper, OneCycle, constant

WARMUP_STEPS = 3  # eager steps on a side stream before the capture, as torch's docs advise


class Stepper(Protocol):
    """What the training loop needs of a step."""

    description: str  # e.g. "captured CUDA graph", for the log

    def step(self, ids: torch.Tensor, index: int) -> None:
        """Train on the training rows ``ids``; ``index`` is the 0-based step of the run."""

    def losses(self, count: int) -> list[float]:
        """The losses of the last ``count`` steps, read off the device (the sync point)."""

    def take_notice(self) -> str | None:
        """A message for the user that appeared since the last call (e.g. a fallback), once."""


def capture_plan(config: TrainConfig, device: torch.device) -> tuple[bool, str | None]:
    """Whether the step can be captured on ``device``, and if not on CUDA, why (said once)."""
    if device.type != "cuda":
        return False, None
    if config.schedule == "onecycle" and config.optimizer == "sgd":
        # SGD reads its momentum as a Python number: a replay would keep the
        # value it was captured with while the schedule moves it every step.
        return False, Message(
            "training eagerly: SGD's momentum follows the one-cycle schedule, which a "
            "captured CUDA graph cannot change between steps"
        )
    return True, None


class _Losses:
    """A device buffer with one slot per batch since the last report, and its fill count.

    The count is a device tensor so the write can sit inside a captured graph.
    """

    def __init__(self, size: int, device: torch.device) -> None:
        self.values = torch.zeros(size, device=device)
        self.position = torch.zeros(1, dtype=torch.long, device=device)

    def record(self, loss: torch.Tensor) -> None:
        self.values.index_copy_(0, self.position, loss.detach().view(1))
        self.position.add_(1)

    def read(self, count: int) -> list[float]:
        values = self.values[:count].tolist()  # the sync point
        self.position.zero_()
        return values


class _LossList:
    """Eagerly, each batch's loss is a fresh tensor: keep them and stack them once per report.

    Two fewer ops a step than writing each into a buffer (``_Losses``), which only
    a captured graph needs.
    """

    def __init__(self) -> None:
        self._items: list[torch.Tensor] = []

    def record(self, loss: torch.Tensor) -> None:
        self._items.append(loss.detach())

    def read(self, count: int) -> list[float]:
        items, self._items = self._items[-count:], []
        return torch.stack(items).tolist()  # the sync point


class _Batch:
    """Static input tensors for full batches; a partial last batch gets its own tensors.

    With ``config.augment`` every batch is distorted (``model.augment``) in two
    halves: ``gather`` copies the rows into ``images`` and draws the batch's
    uniforms into ``uniforms`` (one call to the generator), then ``distort``
    writes the distorted batch into ``x`` with device arithmetic alone. A
    captured CUDA graph can hold ``distort`` with the step and read fresh
    uniforms on every replay. The distortions have their own random stream:
    turning augmentation on does not change the batches' order.
    """

    def __init__(self, data: Split, config: TrainConfig) -> None:
        self.data = data
        self.size = config.batch_size
        self.x = data.images.new_empty((self.size, *data.images.shape[1:]))
        self.y = data.labels.new_empty(self.size)
        # On the data's device: on a GPU the distortions' random draws and math stay
        # there, instead of being drawn on the host and copied in every batch.
        self._generator = (
            torch.Generator(device=data.images.device).manual_seed(config.seed + 1)
            if config.augment
            else None
        )
        # Without augmentation the rows go straight into the network's input.
        self.images = data.images.new_empty(self.x.shape) if config.augment else self.x
        self.uniforms = (
            torch.empty(self.size * draws_per_image(), device=data.images.device)
            if config.augment
            else None
        )

    @property
    def augments(self) -> bool:
        return self.uniforms is not None

    def fill(self, ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The batch of rows ``ids``, distorted if augmenting: ``gather`` then ``distort``."""
        if len(ids) != self.size:
            x, y = self.data.images[ids], self.data.labels[ids]
            if self._generator is not None:
                x = augment_batch(x, generator=self._generator)
            return x, y
        self.gather(ids)
        self.distort()
        return self.x, self.y

    def gather(self, ids: torch.Tensor) -> None:
        """A full batch's rows into the static tensors and, if augmenting, its fresh uniforms."""
        torch.index_select(self.data.images, 0, ids, out=self.images)
        torch.index_select(self.data.labels, 0, ids, out=self.y)
        if self._generator is not None:
            draw(self.size, self._generator, out=self.uniforms)

    def distort(self) -> None:
        """``images`` distorted as ``uniforms`` say, into ``x``; nothing to do without augmenting.

        No random draw, no host sync, no allocation on the host: a CUDA graph can
        capture it (once an eager call has cached its constants on the device).
        """
        if self.uniforms is not None:
            distort(self.images, self.uniforms, out=self.x)


class AutogradStep:
    """Forward, loss, backward, optimizer step; captured in a CUDA graph when ``capture``."""

    def __init__(
        self,
        config: TrainConfig,
        network: nn.Module,
        train: Split,
        schedule: OneCycle | None,
        *,
        report_every: int,
        capture: bool,
        capture_distortion: bool = True,
    ) -> None:
        """``capture_distortion=False`` keeps an augmented batch's distortion out of the graph,
        eager before each replay as before issue 11 (bench/augment_speed.py compares the two)."""
        device = train.images.device
        self._network = network
        self._schedule = schedule
        self.batch = _Batch(train, config)  # public: tests and benchmarks read its tensors
        self._loss_fn = nn.CrossEntropyLoss()
        self._losses: _Losses | _LossList = (
            _Losses(report_every, device) if capture else _LossList()
        )
        self._capture = capture
        self._capture_distortion = capture_distortion
        self._graph: torch.cuda.CUDAGraph | None = None
        self._full_steps = 0
        self._notice: str | None = None
        start = schedule.at(0) if schedule else constant(config)
        self._is_adam = config.optimizer == "adam"
        # Adam (ours, model/graph_adam.py) and a captured step read lr and beta1 from
        # device tensors that are updated in place; eager SGD gets plain floats.
        self._lr: torch.Tensor | None = None
        self._beta1: torch.Tensor | None = None
        if self._is_adam or (capture and schedule is not None):
            self._lr = torch.tensor(start.lr, device=device)
            self._beta1 = torch.tensor(start.momentum, device=device)
        self.optimizer: torch.optim.Optimizer | GraphAdam
        if self._is_adam and self._lr is not None and self._beta1 is not None:
            # Not torch's Adam: it cannot capture a tensor beta1, and building any
            # torch.optim optimizer first imports torch._dynamo (seconds).
            self.optimizer = GraphAdam(
                network.parameters(), lr=self._lr, beta1=self._beta1, beta2=ADAM_BETA2
            )
        else:
            lr: float | torch.Tensor = self._lr if self._lr is not None else start.lr
            self.optimizer = torch.optim.SGD(network.parameters(), lr=lr, momentum=start.momentum)
        self._side_stream = torch.cuda.Stream() if capture else None
        self.description = Message("captured CUDA graph") if capture else Message("eager")
        # Whether the captured graph distorts the batch too (``_capture_and_replay``).
        self.augmentation_captured = False

    def step(self, ids: torch.Tensor, index: int) -> None:
        batch = self.batch
        if self._schedule is not None:
            self._set_hyper(self._schedule.at(index))
        if len(ids) != batch.size:  # the last, partial batch of an epoch
            self._eager(*batch.fill(ids))
        elif self._graph is not None:
            # Eagerly only what a graph cannot hold: the rows and the one random draw.
            batch.gather(ids)
            if not self.augmentation_captured:
                batch.distort()
            self._graph.replay()
        elif not self._capture:
            self._eager(*batch.fill(ids))
        elif self._full_steps < WARMUP_STEPS:
            self._full_steps += 1
            batch.gather(ids)
            self._on_side_stream(self._distort_and_step)
        else:
            batch.gather(ids)
            self._capture_and_replay()

    def losses(self, count: int) -> list[float]:
        return self._losses.read(count)

    def take_notice(self) -> str | None:
        notice, self._notice = self._notice, None
        return notice

    def _set_hyper(self, hyper: Hyper) -> None:
        if self._lr is not None and self._beta1 is not None:
            self._lr.fill_(hyper.lr)  # in place: the captured graph reads these tensors
            self._beta1.fill_(hyper.momentum)
            return
        for group in self.optimizer.param_groups:
            group["lr"] = hyper.lr
            if self._is_adam:
                group["betas"] = (hyper.momentum, group["betas"][1])
            else:
                group["momentum"] = hyper.momentum

    def _eager(self, x: torch.Tensor, y: torch.Tensor) -> None:
        loss = self._loss_fn(self._network(x), y)
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()
        self._losses.record(loss)

    def _distort_and_step(self) -> None:
        self.batch.distort()
        self._eager(self.batch.x, self.batch.y)

    def _on_side_stream(self, work: Callable[[], None]) -> None:
        stream = self._side_stream
        assert stream is not None
        stream.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(stream):
            work()
        torch.cuda.current_stream().wait_stream(stream)

    def _capture_and_replay(self) -> None:
        """Capture the step (and the distortion, if any) on the gathered batch, then replay it.

        Three tries, each kept if it works: the distortion and the step in one graph;
        the step alone, the distortion staying eager (as before issue 11); no graph,
        said once to the user.
        """
        batch = self.batch
        if batch.augments and self._capture_distortion:
            graph, _ = self._try_capture(with_distortion=True)
            if graph is not None:
                self._graph, self.augmentation_captured = graph, True
                graph.replay()  # capturing records the kernels without running them
                return
        batch.distort()  # eagerly, as the step alone reads it (nothing to do unaugmented)
        graph, error = self._try_capture(with_distortion=False)
        if graph is None:
            self._capture = False
            self._notice = Message(
                "training eagerly: capturing the step in a CUDA graph failed ({error})", error=error
            )
            self.description = Message("eager")
            self._eager(batch.x, batch.y)
            return
        self._graph = graph
        graph.replay()

    def _try_capture(
        self, *, with_distortion: bool
    ) -> tuple[torch.cuda.CUDAGraph | None, Exception | None]:
        """A graph of the step on the static batch (distorting it first if asked), or the error."""
        batch = self.batch
        graph = torch.cuda.CUDAGraph()
        stream = torch.cuda.current_stream()
        self.optimizer.zero_grad(set_to_none=True)
        try:
            with torch.cuda.graph(graph):
                if with_distortion:
                    batch.distort()
                # Gradients are allocated inside the graph's memory pool, so
                # every replay writes them to the same place the step reads.
                loss = self._loss_fn(self._network(batch.x), batch.y)
                loss.backward()
                self.optimizer.step()
                self._losses.record(loss)
        except Exception as exc:  # an op that cannot be captured on this torch/driver
            # When CUDA itself refused an op, ``torch.cuda.graph`` raises from its exit
            # before restoring the stream it made current: restore it here. The
            # gradients may live in the failed capture's memory: drop them.
            torch.cuda.set_stream(stream)
            self.optimizer.zero_grad(set_to_none=True)
            return None, exc
        return graph, None


class FusedMlpStep:
    """The tutorial MLP with SGD and momentum, forward and backward by hand, on the CPU.

    The same math as autograd with ``CrossEntropyLoss`` and ``torch.optim.SGD``
    (no dampening, no Nesterov): tests/model/test_steps.py checks the weights
    against that path after several steps. Activations and gradients live in
    buffers reused every batch.
    """

    description = Message("hand-written mlp step")

    def __init__(
        self,
        config: TrainConfig,
        network: nn.Module,
        train: Split,
        schedule: OneCycle | None,
    ) -> None:
        self._params = [p.detach() for p in network.parameters()]
        if [p.shape for p in self._params] != [
            (128, 784),
            (128,),
            (64, 128),
            (64,),
            (10, 64),
            (10,),
        ]:
            raise ValueError("FusedMlpStep needs the tutorial's 784-128-64-10 Net")
        self._grads = [torch.zeros_like(p) for p in self._params]
        self._momentum_buffers = [torch.zeros_like(p) for p in self._params]
        self._schedule = schedule
        self._hyper = constant(config)
        self._batch = _Batch(train, config)
        self._losses = _LossList()
        self._buffers: dict[int, tuple[torch.Tensor, ...]] = {}

    def step(self, ids: torch.Tensor, index: int) -> None:
        x, y = self._batch.fill(ids)
        hyper = self._schedule.at(index) if self._schedule is not None else self._hyper
        with torch.no_grad():
            self._step(x.view(len(x), -1), y, hyper)

    def losses(self, count: int) -> list[float]:
        return self._losses.read(count)

    def take_notice(self) -> str | None:
        return None

    def _activations(self, n: int) -> tuple[torch.Tensor, ...]:
        buffers = self._buffers.get(n)
        if buffers is None:
            like = self._params[0]
            buffers = (
                like.new_empty(n, 128),
                like.new_empty(n, 64),
                like.new_empty(n, 10),
                like.new_full((n, 1), -1.0 / n),
            )
            self._buffers[n] = buffers
        return buffers

    def _step(self, x: torch.Tensor, y: torch.Tensor, hyper: Hyper) -> None:
        w1, b1, w2, b2, w3, b3 = self._params
        gw1, gb1, gw2, gb2, gw3, gb3 = self._grads
        h1, h2, logits, minus_one_over_n = self._activations(len(x))
        n = len(x)
        torch.addmm(b1, x, w1.t(), out=h1).relu_()
        torch.addmm(b2, h1, w2.t(), out=h2).relu_()
        torch.addmm(b3, h2, w3.t(), out=logits)
        log_p = torch.log_softmax(logits, 1)
        self._losses.record(functional.nll_loss(log_p, y))
        # d(mean cross-entropy)/d(logits) = (softmax - one_hot) / n
        g3 = log_p.exp_().mul_(1.0 / n)
        g3.scatter_add_(1, y.view(n, 1), minus_one_over_n)
        torch.mm(g3.t(), h2, out=gw3)
        torch.sum(g3, 0, out=gb3)
        g2 = torch.ops.aten.threshold_backward(g3 @ w3, h2, 0)  # ReLU's backward
        torch.mm(g2.t(), h1, out=gw2)
        torch.sum(g2, 0, out=gb2)
        g1 = torch.ops.aten.threshold_backward(g2 @ w2, h1, 0)
        torch.mm(g1.t(), x, out=gw1)
        torch.sum(g1, 0, out=gb1)
        # torch.optim.SGD: buf = momentum * buf + grad; param -= lr * buf (buf starts at grad,
        # which a zero buffer gives exactly).
        torch._foreach_mul_(self._momentum_buffers, hyper.momentum)
        torch._foreach_add_(self._momentum_buffers, self._grads)
        torch._foreach_add_(self._params, self._momentum_buffers, alpha=-hyper.lr)


def build_stepper(
    config: TrainConfig,
    network: nn.Module,
    train: Split,
    schedule: OneCycle | None,
    *,
    report_every: int,
    fast: bool = True,
) -> tuple[Stepper, str | None]:
    """The fastest stepper that fits ``config`` on ``train``'s device, and a notice if any.

    ``fast=False`` gives the plain eager autograd step everywhere (no capture,
    no hand-written step): tests and benchmarks compare the two.
    """
    device = train.images.device
    if fast and device.type == "cpu" and config.network == "mlp" and config.optimizer == "sgd":
        return FusedMlpStep(config, network, train, schedule), None
    can_capture, notice = capture_plan(config, device) if fast else (False, None)
    stepper = AutogradStep(
        config, network, train, schedule, report_every=report_every, capture=can_capture
    )
    return stepper, notice
