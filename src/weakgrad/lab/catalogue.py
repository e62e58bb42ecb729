"""Estimators by the short names used in tables and on the command line."""

from __future__ import annotations

import re
from collections.abc import Sequence

from weakgrad.estimators import Estimator, MeasureValued, Pathwise, ScoreFunction

__all__ = ["estimator_names", "make_estimator"]

_FIXED = {
    "sf": lambda params: ScoreFunction(),
    "sf-mean": lambda params: ScoreFunction(baseline="mean"),
    "sf-rloo": lambda params: ScoreFunction(baseline="leave_one_out"),
    "sf-optimal": lambda params: ScoreFunction(baseline="optimal"),
    "antithetic": lambda params: ScoreFunction(baseline="leave_one_out", antithetic=True),
    "mvd": lambda params: MeasureValued(parameters=params),
    "mvd-uncoupled": lambda params: MeasureValued(coupled=False, parameters=params),
    "pathwise": lambda params: Pathwise(),
}
_RANDOM_COORDINATES = re.compile(r"mvd-k(\d+)$")


def estimator_names() -> list[str]:
    """Valid names; ``mvd-k<k>`` stands for MVD on k random coordinates per sample."""
    return [*_FIXED, "mvd-k<k>"]


def make_estimator(name: str, params: Sequence[str] | None = None) -> Estimator:
    """The estimator called ``name``, differentiating ``params`` (MVD spends evaluations only on those).

    ``antithetic`` is the OpenAI-ES sampling (mirrored pairs) with a leave-one-pair-out baseline.
    """
    params = None if params is None else list(params)
    if name in _FIXED:
        return _FIXED[name](params)
    match = _RANDOM_COORDINATES.match(name)
    if match and int(match.group(1)) >= 1:
        return MeasureValued(coordinates=int(match.group(1)), parameters=params)
    raise ValueError(f"unknown estimator {name!r}; valid: {', '.join(estimator_names())}")
