"""Estimators by the short names used in tables and on the command line."""

from __future__ import annotations

import re
from collections.abc import Sequence

from weakgrad.estimators import (
    Auto,
    ConvexCombined,
    Estimator,
    MeasureValued,
    Pathwise,
    RandomBasisMVD,
    ScoreFunction,
)

__all__ = ["estimator_names", "make_estimator"]

_FIXED = {
    "sf": lambda params: ScoreFunction(),
    "sf-mean": lambda params: ScoreFunction(baseline="mean"),
    "sf-rloo": lambda params: ScoreFunction(baseline="leave_one_out"),
    "sf-optimal": lambda params: ScoreFunction(baseline="optimal"),
    "antithetic": lambda params: ScoreFunction(baseline="leave_one_out", antithetic=True),
    "mvd": lambda params: MeasureValued(parameters=params),
    "mvd-uncoupled": lambda params: MeasureValued(coupled=False, parameters=params),
    "mvd-stratified": lambda params: MeasureValued(parameters=params, stratified=True),
    "antithetic-orthogonal": lambda params: ScoreFunction(antithetic=True, orthogonal=True),
    "mvd-basis": lambda params: RandomBasisMVD(),
    "auto": lambda params: Auto(parameters=params),
    "pathwise": lambda params: Pathwise(),
}
_PATTERNS = {
    re.compile(r"mvd-k(\d+)$"): lambda k, params: MeasureValued(coordinates=k, parameters=params),
    re.compile(r"mvd-basis-k(\d+)$"): lambda k, params: RandomBasisMVD(directions=k),
    re.compile(r"convex-k(\d+)$"): lambda k, params: ConvexCombined(top_k=k, parameters=params),
}


def estimator_names() -> list[str]:
    """Valid names; ``<k>`` stands for a positive integer: MVD on k random coordinates per sample, MVD along k
    random orthonormal directions, convex combination with MVD on the k noisiest coordinates."""
    return [*_FIXED, "mvd-k<k>", "mvd-basis-k<k>", "convex-k<k>"]


def make_estimator(name: str, params: Sequence[str] | None = None) -> Estimator:
    """The estimator called ``name``, differentiating ``params`` (MVD spends evaluations only on those).

    ``antithetic`` is the OpenAI-ES sampling (mirrored pairs) with a leave-one-pair-out baseline;
    ``antithetic-orthogonal`` the structured-ES version (orthogonal directions, no baseline).
    ``mvd-basis`` and ``antithetic-orthogonal`` estimate the loc only; ``auto``'s samples are evaluations.
    """
    params = None if params is None else list(params)
    if name in _FIXED:
        return _FIXED[name](params)
    for pattern, build in _PATTERNS.items():
        match = pattern.match(name)
        if match and int(match.group(1)) >= 1:
            return build(int(match.group(1)), params)
    raise ValueError(f"unknown estimator {name!r}; valid: {', '.join(estimator_names())}")
