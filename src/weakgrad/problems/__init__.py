"""Benchmark problems: batched f with exact Gaussian-smoothed objectives where they exist.

``get(name, dim)`` returns a :class:`Problem` by the name used on the command line; ``names()`` lists
them. BBOB functions are named ``bbob_f<k>`` or ``bbob_f<k>_i<instance>`` (k = 1..24).
"""

from __future__ import annotations

import re

from weakgrad.problems.base import Problem
from weakgrad.problems.bbob import bbob
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


_BBOB_NAME = re.compile(r"bbob_f(\d+)(?:_i(\d+))?$")


def names() -> list[str]:
    """Names of the built-in problems; :func:`get` also takes ``bbob_f<1..24>[_i<instance>]``."""
    return sorted(_BY_NAME)


def get(name: str, dim: int | None = None) -> Problem:
    """The problem called ``name`` (BBOB functions need ``dim``); ``ValueError`` listing valid names."""
    match = _BBOB_NAME.match(name)
    if match:
        if dim is None:
            raise ValueError(f"{name} needs a dimension")
        return bbob(int(match.group(1)), dim, int(match.group(2) or 1))
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ValueError(f"unknown problem {name!r}; valid: {', '.join(names())}, bbob_f<1..24>[_i<instance>]"
                         ) from None
