"""Safe activation: which runs may replace the active model by themselves."""

from __future__ import annotations

import math

import pytest

from model.activation import TOLERANCE, Verdict, decide, divergence, learned_too_little


@pytest.mark.parametrize(
    ("candidate", "active", "verdict"),
    [
        (0.9938, 0.9938, Verdict.ACTIVATE),
        (0.9925, 0.9938, Verdict.ACTIVATE),  # 0.13 points worse: within the tolerance
        (0.9788, 0.9938, Verdict.KEEP),  # the case: 1.5 points worse, never silently
        (0.9950, 0.9788, Verdict.ACTIVATE),
        (0.9700, None, Verdict.ACTIVATE),  # nothing active yet
        (0.9700, math.nan, Verdict.ACTIVATE),  # the active card has no figure
    ],
)
def test_decide_by_accuracy(candidate: float, active: float | None, verdict: Verdict) -> None:
    assert decide(candidate, active).verdict is verdict


def test_keep_message_names_both_figures() -> None:
    decision = decide(0.9788, 0.9938)
    assert "97.88 %" in decision.message and "99.38 %" in decision.message
    assert "1.50 points" in decision.message


def test_tolerance_is_a_fifth_of_a_point() -> None:
    assert decide(0.99 - TOLERANCE, 0.99).verdict is Verdict.ACTIVATE
    assert decide(0.99 - TOLERANCE - 1e-4, 0.99).verdict is Verdict.KEEP


@pytest.mark.parametrize(
    ("accuracy", "first", "last", "diverged"),
    [
        (0.0982, 2.3, 2.3, True),  # lr 0.5: stuck at chance with a flat loss
        (0.085, 2.3, 1e27, True),  # adam at 1e6: enormous but finite loss
        (0.97, 2.3, 1e27, True),  # loss blew up even if an early epoch was fine
        (0.97, 2.3, math.inf, True),
        (0.97, 2.3, 0.1, False),
        (0.51, 2.3, 1.8, False),
        (0.97, None, None, False),
    ],
)
def test_divergence_whatever_the_optimizer(
    accuracy: float, first: float | None, last: float | None, diverged: bool
) -> None:
    assert bool(divergence(accuracy, first, last)) is diverged


@pytest.mark.parametrize(
    ("accuracy", "first", "last", "too_little"),
    [
        (0.40, 2.275, 2.247, True),  # sgd at lr 0.002: the loss fell a little, 40 %
        (0.0982, 2.3, 2.3, True),  # stuck at chance, but the loss did not blow up
        (0.085, 2.3, 1e27, False),  # adam at 1e6: the loss blew up
        (0.085, 0.01, 1.0, False),  # a hundred times its start: blew up, though under ln 10
        (0.085, None, 30.0, False),  # no first report: measured against ln 10 alone
        (0.085, 2.3, math.nan, False),
        (math.nan, 2.3, 2.0, False),  # NaN accuracy: the weights are gone
        (0.97, 2.3, 1e27, False),  # refused for its loss alone
    ],
)
def test_learned_too_little_or_blew_up(
    accuracy: float, first: float | None, last: float | None, too_little: bool
) -> None:
    assert learned_too_little(accuracy, first, last) is too_little


def test_a_diverged_run_is_never_activated() -> None:
    reason = divergence(0.0982, 2.3, 2.3)
    decision = decide(0.0982, None, reason)
    assert decision.verdict is Verdict.DIVERGED
    assert "9.82 %" in decision.message
