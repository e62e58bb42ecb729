"""The estimator protocol: ``ask(dist, num_samples, generator) -> Query``, ``tell(query, values) -> Gradient``.

``weakgrad.grad`` is ask → evaluate → tell. The split lets f run anywhere (another process, a cluster)
and lets optimisers drive any estimator. A :class:`Query` produces its points lazily in chunks so an
estimator that needs many points (the measure-valued derivative: 2·d per sample) never holds them all.
"""

from __future__ import annotations

import abc
import itertools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch
from torch.distributions import Distribution

from weakgrad._random import check_generator

__all__ = ["Estimator", "Gradient", "Query"]


@dataclass(frozen=True)
class Query:
    """The points an estimator wants f evaluated at, plus what it needs afterwards.

    Attributes:
        num_points: how many points f must be evaluated at (the evaluations this call spends).
        point_shape: shape of one point; a chunk of m points has shape ``(m, *point_shape)``.
        make_points: ``(start, stop) -> (stop − start, *point_shape)``, points in index order.
        state: estimator-private data read by ``tell``.
        fill_points: optional ``(start, stop, out) -> points`` writing into a buffer ``out`` that is
            reused across chunks (see :meth:`chunks`).
    """

    num_points: int
    point_shape: torch.Size
    make_points: Callable[[int, int], torch.Tensor]
    state: Any = None
    fill_points: Callable[[int, int, torch.Tensor], torch.Tensor] | None = None

    def chunks(self, max_batch: int | None = None, reuse_buffer: bool = False) -> Iterator[torch.Tensor]:
        """The points in order, at most ``max_batch`` at a time.

        Args:
            max_batch: points per chunk; ``None`` picks enough points for about 8 MiB (cache- and
                allocator-friendly: chunks above glibc's 32 MiB mmap threshold are page-faulted afresh
                on every allocation, which costs more than f itself for cheap f).
            reuse_buffer: write every chunk into one buffer (faster for large d). Only safe when the
                consumer does not keep a chunk after the next one is requested.
        """
        if max_batch is None:
            max_batch = auto_batch(self.point_shape)
        if isinstance(max_batch, bool) or not isinstance(max_batch, int) or max_batch < 1:
            raise ValueError(f"max_batch must be a positive int or None, got {max_batch!r}")
        buffer = None
        for start in range(0, self.num_points, max_batch):
            stop = min(start + max_batch, self.num_points)
            if reuse_buffer and self.fill_points is not None:
                if buffer is None:
                    first = self.make_points(start, stop)
                    buffer = torch.empty((max_batch, *self.point_shape), dtype=first.dtype)
                    yield first
                    continue
                yield self.fill_points(start, stop, buffer)
            else:
                yield self.make_points(start, stop)

    @staticmethod
    def concat(queries: Sequence[Query], state: Any = None) -> Query:
        """One query whose points are those of ``queries`` in order (``split`` undoes it on the values)."""
        sizes = [q.num_points for q in queries]
        offsets = [0, *itertools.accumulate(sizes)]
        shape = queries[0].point_shape

        def make(start: int, stop: int) -> torch.Tensor:
            parts = [q.make_points(max(start, lo) - lo, min(stop, hi) - lo)
                     for q, lo, hi in zip(queries, offsets, offsets[1:], strict=False)
                     if max(start, lo) < min(stop, hi)]
            return parts[0] if len(parts) == 1 else torch.cat(parts)

        return Query(offsets[-1], shape, make, state)

    @staticmethod
    def split(queries: Sequence[Query], values: torch.Tensor) -> list[torch.Tensor]:
        """The values of a :meth:`concat` query, cut back into one tensor per part."""
        return list(torch.split(values, [q.num_points for q in queries]))

    @property
    def points(self) -> torch.Tensor:
        """All points at once, ``(num_points, *point_shape)``; prefer :meth:`chunks` for large queries."""
        return self.make_points(0, self.num_points)


@dataclass(frozen=True)
class Gradient(Mapping[str, torch.Tensor]):
    """A gradient estimate: ``g["loc"]`` is the estimate for parameter ``loc``.

    Attributes:
        estimates: parameter name -> estimate, shaped like the distribution's parameter.
        per_sample: parameter name -> ``(num_samples, *param_shape)`` per-sample estimates, whose mean
            is the estimate (for variance diagnostics).
        evaluations: number of points f was evaluated at.
        value: mean of the values f returned (an estimate of E[f] for the score function and the
            pathwise gradient; only a tracking figure for the measure-valued derivative).
    """

    estimates: dict[str, torch.Tensor]
    per_sample: dict[str, torch.Tensor] = field(repr=False)
    evaluations: int
    value: torch.Tensor

    def __getitem__(self, name: str) -> torch.Tensor:
        try:
            return self.estimates[name]
        except KeyError:
            raise KeyError(f"no estimate for parameter {name!r}; estimated: {sorted(self.estimates)}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.estimates)

    def __len__(self) -> int:
        return len(self.estimates)

    @classmethod
    def from_per_sample(cls, per_sample: Mapping[str, torch.Tensor], evaluations: int,
                        values: torch.Tensor) -> Gradient:
        per_sample = {k: v.detach() for k, v in per_sample.items()}
        return cls({k: v.mean(0) for k, v in per_sample.items()}, per_sample, evaluations, values.detach().mean())


class Estimator(abc.ABC):
    """Base class: validates the public boundary once and leaves three small hooks to subclasses."""

    #: a short name used in tables and on the command line
    name: str = "estimator"

    def ask(self, dist: Distribution, num_samples: int, generator: torch.Generator) -> Query:
        """The points to evaluate for ``num_samples`` samples of ``dist``, drawn from ``generator``."""
        if not isinstance(dist, Distribution):
            raise TypeError(f"dist must be a torch.distributions.Distribution, got {type(dist).__name__}")
        if isinstance(num_samples, bool) or not isinstance(num_samples, int) or num_samples < 1:
            raise ValueError(f"num_samples must be a positive int, got {num_samples!r}")
        return self._ask(dist, num_samples, check_generator(generator))

    def tell(self, query: Query, values: torch.Tensor) -> Gradient:
        """The gradient estimate from f's ``values`` at ``query``'s points, shape ``(query.num_points,)``."""
        values = torch.as_tensor(values)
        if values.shape != (query.num_points,):
            raise ValueError(
                f"values must have shape ({query.num_points},), one per point of the query; got {tuple(values.shape)}"
            )
        return self._tell(query, values)

    @abc.abstractmethod
    def evaluations(self, dist: Distribution, num_samples: int) -> int:
        """How many evaluations of f ``num_samples`` samples cost (for equal-budget comparisons)."""

    def samples_for_budget(self, dist: Distribution, budget: int) -> int:
        """The largest valid ``num_samples`` whose cost fits in ``budget`` evaluations (0 if none fits)."""
        low, high = 0, max(0, budget)  # every sample costs at least one evaluation
        while low < high:  # the largest n with evaluations(n) <= budget (cost grows with n)
            mid = (low + high + 1) // 2
            low, high = (mid, high) if self.evaluations(dist, mid) <= budget else (low, mid - 1)
        n = low
        while n > 0 and not self.valid_num_samples(n):
            n -= 1
        return n

    def valid_num_samples(self, num_samples: int) -> bool:
        """Whether ``num_samples`` is acceptable (e.g. even for antithetic pairs)."""
        return num_samples >= 1

    @abc.abstractmethod
    def _ask(self, dist: Distribution, num_samples: int, generator: torch.Generator) -> Query: ...

    @abc.abstractmethod
    def _tell(self, query: Query, values: torch.Tensor) -> Gradient: ...

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def auto_batch(point_shape: torch.Size, target_bytes: int = 8 * 2**20, itemsize: int = 4) -> int:
    """Points per chunk for about ``target_bytes`` of points (between 1 and 65,536)."""
    per_point = max(1, math.prod(point_shape)) * itemsize
    return max(1, min(65_536, target_bytes // per_point))


def materialised_query(points: torch.Tensor, state: Any) -> Query:
    """A query over points already held in memory, ``(n, *point_shape)``."""
    return Query(points.shape[0], points.shape[1:], lambda start, stop: points[start:stop], state)
