"""Fine-tuning only the classifiers of a cnn, over features computed once.

Personalize fine-tunes the active model several times on the same few samples
(one run per cross-validation fold, then the final one). When only the layers
after the convolutions learn, the convolutional features of an image never
change, so they are computed once for the whole personalize call: for a few
augmented copies of each of the user's samples, and for a pool of augmented
MNIST images to replay, together with the base model's answers on those (the
distillation targets). Each step is then two small matrix products per member
instead of a forward and backward pass through both convolutions, and every run
reuses the same pool.

On the 2-core machine that took a 50-sample personalize run from about 50 s
(the whole network tuned) to about 10 s, and on the people of the real pen
digits the error on their unseen digits fell about as much (bench/personalize.py
``--tune``). Networks without convolutional features (mlp) are tuned whole.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass

import torch
from torch import nn

from model.data import Split
from model.events import DataProgress
from model.messages import Message
from model.networks import ConvNet, Ensemble

CHUNK = 512  # images per forward pass while the pool is built
# Progress messages (gui/i18n.py's CORE_MESSAGES translates them).
PREPARING = Message("Preparing your samples")
SCORING = Message("Scoring the model on MNIST")


def conv_members(network: nn.Module) -> list[ConvNet]:
    """The cnns a network is made of (one, or an ensemble's members); [] for anything else."""
    members = list(network.members) if isinstance(network, Ensemble) else [network]
    return members if all(isinstance(m, ConvNet) for m in members) else []


def combine(logits: list[torch.Tensor]) -> torch.Tensor:
    """What ``Ensemble.forward`` answers for its members' logits (one member: its logits)."""
    if len(logits) == 1:
        return logits[0]
    logs = torch.stack([torch.log_softmax(z, dim=1) for z in logits])
    return torch.logsumexp(logs, dim=0) - math.log(len(logits))


@dataclass(frozen=True)
class FeaturePool:
    """Per member of the base network: features of the samples' copies and of the replay pool."""

    samples: tuple[torch.Tensor, ...]  # per member (copies, n, d): copy c of sample i
    replay: tuple[torch.Tensor, ...]  # per member (r, d)
    teacher: torch.Tensor  # (r, 10): the base model's log-probabilities on the replay pool

    @property
    def copies(self) -> int:
        return self.samples[0].shape[0]


def build_pool(
    base: nn.Module,
    images: torch.Tensor,
    replay: Split,
    *,
    copies: int,
    replay_size: int,
    augment: bool,
    generator: torch.Generator,
) -> Generator[DataProgress, None, FeaturePool]:
    """Compute the pool; yields progress between chunks, returns the pool.

    ``images`` are the user's samples (n, 28, 28), normalised. Without augmentation
    there is one copy of each, the sample itself.
    """
    from model.augment import augment_batch

    members = conv_members(base)
    for m in members:
        m.eval()  # batch norm with its running statistics, as the model answers
    copies = copies if augment else 1
    replay_size = replay_size if len(replay) else 0
    total = copies * len(images) + replay_size
    done = 0

    def features(x: torch.Tensor) -> list[torch.Tensor]:
        x = x.unsqueeze(1)
        if augment:
            x = augment_batch(x, generator=generator)
        with torch.no_grad():
            return [m.features(x).flatten(1) for m in members]

    per_copy: list[list[torch.Tensor]] = [[] for _ in members]
    for _ in range(copies):
        parts: list[list[torch.Tensor]] = [[] for _ in members]
        for first in range(0, len(images), CHUNK):
            for k, f in enumerate(features(images[first : first + CHUNK])):
                parts[k].append(f)
            done += len(images[first : first + CHUNK])
            yield DataProgress(PREPARING, done, total)
        for k in range(len(members)):
            per_copy[k].append(torch.cat(parts[k]))
    replayed: list[list[torch.Tensor]] = [[] for _ in members]
    ids = torch.randint(max(len(replay), 1), (replay_size,), generator=generator)
    for first in range(0, replay_size, CHUNK):
        for k, f in enumerate(features(replay.images[ids[first : first + CHUNK]])):
            replayed[k].append(f)
        done += len(ids[first : first + CHUNK])
        yield DataProgress(PREPARING, done, total)
    replay_features = tuple(
        torch.cat(r) if r else torch.zeros(0, per_copy[k][0].shape[1])
        for k, r in enumerate(replayed)
    )
    with torch.no_grad():
        teacher = torch.log_softmax(
            combine([m.classifier(f) for m, f in zip(members, replay_features, strict=True)]),
            dim=1,
        )
    return FeaturePool(
        samples=tuple(torch.stack(c) for c in per_copy),
        replay=replay_features,
        teacher=teacher,
    )


def classifier_loss(
    members: list[ConvNet],
    pool: FeaturePool,
    sample_ids: torch.Tensor,
    labels: torch.Tensor,
    replay_batch: int,
    generator: torch.Generator,
    loss_fn: nn.Module,
) -> torch.Tensor:
    """One step's loss: the samples' labels, and the base model's answers on replayed images.

    Each sample is one of its augmented copies, drawn at random; the replayed images
    are drawn from the pool, and their loss is the divergence from the base model's
    probabilities (what must not change is the function on MNIST).
    """
    pick = torch.randint(pool.copies, (len(sample_ids),), generator=generator)
    mine = len(sample_ids)
    if len(pool.teacher) and replay_batch:
        r = torch.randint(len(pool.teacher), (replay_batch,), generator=generator)
    else:
        r = torch.zeros(0, dtype=torch.long)
    inputs = [
        torch.cat([samples[pick, sample_ids], replay[r]])
        for samples, replay in zip(pool.samples, pool.replay, strict=True)
    ]
    output = combine([m.classifier(x) for m, x in zip(members, inputs, strict=True)])
    loss = loss_fn(output[:mine], labels)
    if len(r):
        student = torch.log_softmax(output[mine:], dim=1)
        replayed = nn.functional.kl_div(
            student, pool.teacher[r], log_target=True, reduction="batchmean"
        )
        share = len(r) / (len(r) + mine)
        loss = (1 - share) * loss + share * replayed
    return loss


def features_of(
    members: list[ConvNet], images: torch.Tensor
) -> Generator[DataProgress, None, tuple[torch.Tensor, ...]]:
    """Each member's features of ``images`` as they are (no augmentation); yields progress.

    Personalize scores MNIST's test set before and after: with the features frozen
    they are the same both times, so the second score costs two small matrix
    products instead of a pass through the convolutions.
    """
    parts: list[list[torch.Tensor]] = [[] for _ in members]
    for m in members:
        m.eval()
    with torch.no_grad():
        for first in range(0, len(images), CHUNK):
            x = images[first : first + CHUNK].unsqueeze(1)
            for k, m in enumerate(members):
                parts[k].append(m.features(x).flatten(1))
            yield DataProgress(SCORING, min(first + CHUNK, len(images)), len(images))
    return tuple(torch.cat(p) if p else torch.zeros(0) for p in parts)


@torch.no_grad()
def classify(members: list[ConvNet], features: tuple[torch.Tensor, ...]) -> torch.Tensor:
    """The digits ``members`` (a network's cnns, in eval mode) read from their features."""
    return combine([m.classifier(f) for m, f in zip(members, features, strict=True)]).argmax(1)
