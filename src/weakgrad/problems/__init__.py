"""Benchmark problems: batched f with exact Gaussian-smoothed objectives where they exist.

``get(name)`` returns a :class:`Problem` by the name used on the command line; ``names()`` lists them.
"""

from __future__ import annotations

from weakgrad.problems.base import Problem
from weakgrad.problems.functions import (
    ackley,
    cosine,
    ellipsoid,
    gaussian_bump,
    quadratic,
    rastrigin,
    rosenbrock,
    sphere,
    styblinski_tang,
)

__all__ = [
    "Problem",
    "ackley",
    "cosine",
    "ellipsoid",
    "gaussian_bump",
    "get",
    "names",
    "quadratic",
    "rastrigin",
    "rosenbrock",
    "sphere",
    "styblinski_tang",
]

_BY_NAME = {p.name: p for p in (rosenbrock, sphere, ellipsoid, rastrigin, styblinski_tang, ackley)}
_BY_NAME.update({"quadratic": quadratic(2.0), "gaussian_bump": gaussian_bump(1.0), "cosine": cosine(3.0)})


def names() -> list[str]:
    """Names accepted by :func:`get`."""
    return sorted(_BY_NAME)


def get(name: str) -> Problem:
    """The problem called ``name``; ``ValueError`` listing the valid names otherwise."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ValueError(f"unknown problem {name!r}; valid: {', '.join(names())}") from None
