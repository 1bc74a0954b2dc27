"""Whether a finished run may replace the active model: pure decisions, no Qt, no torch.

A new model becomes active by itself only when that cannot surprise the user:
a run that learned nothing (near chance, or a loss that climbed instead of
falling) is *diverged* whatever the optimizer, and a run that is clearly worse
than the model in use is kept in the library but not activated. The GUI's
Train tab, the personalize flow and the CLI all ask these functions, so the
thresholds live in one place.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

from model.messages import Message

TOLERANCE = 0.002  # 0.2 accuracy points: less than that is noise between two seeds
CHANCE_LIMIT = 0.5  # under 50 % on ten balanced classes, a network has not learned digits
LOSS_RISE = 10.0  # an epoch's mean loss ten times its first batches': the run blew up
UNTRAINED_LOSS = math.log(10)  # the loss of a network that knows nothing: 1/10 on every digit


class Verdict(Enum):
    ACTIVATE = "activate"  # not worse than the active model: use it now
    KEEP = "keep"  # worse: keep it in the library, tell the user, offer to activate it
    DIVERGED = "diverged"  # learned nothing: not saved unless the user asks


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    message: str  # one or two sentences for the user


def percent(accuracy: float) -> str:
    """``0.9938`` -> ``99.38 %`` (the app's one way of writing an accuracy)."""
    return f"{100 * accuracy:.2f} %"


def divergence(test_accuracy: float, first_loss: float | None, last_loss: float | None) -> str:
    """Why a finished run counts as diverged, or "" if it learned.

    ``first_loss`` is the mean loss of the run's first reported batches and
    ``last_loss`` the mean training loss of its last epoch. Either test alone
    misses cases: Adam at a huge learning rate can keep a finite, enormous loss
    while SGD at 0.5 sits at chance with a flat loss.
    """
    if math.isnan(test_accuracy) or test_accuracy < CHANCE_LIMIT:
        return Message(
            "its test accuracy is {accuracy:.2f} %, under 50 %: too low to read "
            "digits with (guessing gets 10 %)",
            accuracy=100 * test_accuracy,
        )
    if (
        first_loss is not None
        and last_loss is not None
        and math.isfinite(first_loss)
        and first_loss > 0
        and not last_loss <= LOSS_RISE * first_loss  # NaN and inf count as risen
    ):
        return Message(
            "its loss rose from {first:.3g} to {last:.3g} instead of falling",
            first=first_loss,
            last=last_loss,
        )
    return ""


def learned_too_little(
    test_accuracy: float, first_loss: float | None, last_loss: float | None
) -> bool:
    """Whether a run that ``divergence`` refuses learned, only not enough, rather than blew up.

    ``divergence`` names the accuracy first, so a run at 40 % whose loss fell and
    Adam at a huge learning rate with a loss of 1e13 get the same reason; the
    user needs different advice (train longer, against lower the learning rate).
    The loss decides: a NaN accuracy, a run refused for its loss alone (50 % or
    more), or a last epoch's mean loss over ``LOSS_RISE`` times its first
    batches' or an untrained network's (ln 10) blew up; anything else learned
    too little.
    """
    if not math.isfinite(test_accuracy) or test_accuracy >= CHANCE_LIMIT:
        return False
    first = math.inf if first_loss is None else first_loss
    last = math.nan if last_loss is None else last_loss
    return last <= LOSS_RISE * min(first, UNTRAINED_LOSS)  # NaN and inf count as risen


def decide(candidate: float, active: float | None, diverged: str = "") -> Decision:
    """Activate, keep-but-tell, or diverged, for a run of accuracy ``candidate``.

    ``active`` is the active model's test accuracy (None or NaN when there is no
    active model or its card has no figure: then any run that learned wins).
    """
    if diverged:
        return Decision(Verdict.DIVERGED, Message("The run diverged: {why}.", why=diverged))
    if active is None or math.isnan(active) or candidate >= active - TOLERANCE:
        return Decision(
            Verdict.ACTIVATE,
            Message(
                "The new model ({accuracy:.2f} %) is now the active model.",
                accuracy=100 * candidate,
            ),
        )
    gap = 100 * (active - candidate)
    return Decision(
        Verdict.KEEP,
        Message(
            "The new model reached {new:.2f} %, {gap:.2f} points below the active "
            "model's {active:.2f} %. It was kept in the library; the active model stays.",
            new=100 * candidate,
            gap=gap,
            active=100 * active,
        ),
    )
