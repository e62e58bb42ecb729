"""Evaluating f on a query: in process, in chunks of ``max_batch`` points, in index order.

f maps a batch ``(m, *point_shape)`` to values ``(m,)``. A NumPy f is wrapped with
:func:`numpy_objective`. Values that are NaN or ±inf are an error naming the first offending point,
unless the caller passes ``check_finite=False``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from weakgrad.estimators.base import Query

__all__ = ["NonFiniteValueError", "Objective", "evaluate", "numpy_objective"]

Objective = Callable[[torch.Tensor], torch.Tensor]


class NonFiniteValueError(ValueError):
    """f returned NaN or ±inf."""


def numpy_objective(f: Callable[[np.ndarray], np.ndarray]) -> Objective:
    """Wrap a NumPy f (``(m, *shape) ndarray -> (m,) ndarray``) as a torch objective."""

    def wrapped(x: torch.Tensor) -> torch.Tensor:
        return torch.as_tensor(np.asarray(f(x.detach().cpu().numpy())))

    wrapped.__name__ = getattr(f, "__name__", "numpy_objective")
    return wrapped


def evaluate(f: Objective, query: Query, max_batch: int | None = None, check_finite: bool = True,
             reuse_buffer: bool = False) -> torch.Tensor:
    """Values of f at every point of ``query``, ``(query.num_points,)``, evaluated in chunks.

    ``max_batch=None`` sizes chunks to about 8 MiB; ``reuse_buffer=True`` writes every chunk into one
    buffer, which is faster at large d but only safe if f keeps no reference to its input.
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    values = []
    for chunk in query.chunks(max_batch, reuse_buffer):
        out = f(chunk)
        if not isinstance(out, torch.Tensor):
            out = torch.as_tensor(np.asarray(out))
        if out.shape != (chunk.shape[0],):
            raise ValueError(
                f"f must map a batch of shape (m, *point_shape) = {tuple(chunk.shape)} to values of shape "
                f"({chunk.shape[0]},); it returned shape {tuple(out.shape)}"
            )
        values.append(out)
    result = torch.cat(values) if values else torch.zeros(0)
    if check_finite:
        bad = ~torch.isfinite(result.detach())
        if bool(bad.any()):
            first = int(bad.nonzero()[0, 0])
            point = query.make_points(first, first + 1)[0].detach()
            raise NonFiniteValueError(
                f"f returned {int(bad.sum())} non-finite value(s) (NaN or inf) out of {result.numel()}; the first, "
                f"{result[first].item()}, at point {first}: {point.tolist()}. Pass check_finite=False to allow them."
            )
    return result
