"""Hybrids of the score function and the measure-valued derivative, kept unbiased.

The score function (SF) costs one evaluation per sample for every coordinate but is noisy; MVD costs two
evaluations per coordinate and sample and is often much less noisy on that coordinate. A hybrid spends
part of the budget on SF samples and part on MVD for a set S of coordinates, and on S mixes the two:

    ĝ_i = w_i ĝ^SF_i + (1 − w_i) ĝ^MVD_i,   w_i = (n/s_i) / (n/s_i + m/v_i)   (inverse-variance weights)

with n SF samples of per-sample variance s_i and m MVD samples of per-sample variance v_i. A convex
combination of two unbiased estimates with weights that do not depend on them is unbiased; so S, the
weights and the allocation are computed **only from statistics of earlier calls** (exponential moving
averages kept in the estimator), never from the samples being combined. The published "convex combined
MVD" chose coordinates and weights on the same samples (which biases the result) and weighted the
*noisier* estimator more; both are fixed here. Off S the estimate is the SF one.

For the Normal the MVD part uses stratified draws by default (see ``MeasureValued(stratified=True)``),
which cut its variance by an order of magnitude on smooth f. Its rows are then dependent, so the MVD
variance is estimated from two independently stratified halves A, B: Var(mean) ≈ (A − B)²/4, kept as the
per-sample-equivalent v = m·Var(mean) (which assumes the 1/m rate of plain sampling — conservative).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch.distributions import Distribution, Normal

from weakgrad.distributions import unwrap
from weakgrad.estimators.base import Estimator, Gradient, Query
from weakgrad.estimators.measure_valued import (
    check_factorised,
    checked_names,
    components,
    coordinate_gradient,
    coordinate_query,
)
from weakgrad.estimators.score_function import ScoreFunction

__all__ = ["ConvexCombined", "CoordinateStatistics"]


class CoordinateStatistics:
    """Exponential moving averages of per-sample, per-coordinate variances of the SF and MVD estimates.

    ``sf[name]``, ``mvd[name]``: ``(d,)`` tensors, NaN where nothing has been seen yet.
    """

    def __init__(self, decay: float) -> None:
        if not 0.0 <= decay < 1.0:
            raise ValueError(f"decay must lie in [0, 1), got {decay}")
        self.decay = decay
        self.sf: dict[str, torch.Tensor] = {}
        self.mvd: dict[str, torch.Tensor] = {}

    def _update(self, table: dict[str, torch.Tensor], name: str, variance: torch.Tensor, seen: torch.Tensor) -> None:
        old = table.get(name, torch.full_like(variance, math.nan))
        blended = torch.where(torch.isnan(old), variance, self.decay * old + (1 - self.decay) * variance)
        table[name] = torch.where(seen, blended, old)

    def update_sf(self, name: str, per_sample: torch.Tensor) -> None:
        if per_sample.shape[0] >= 2:
            flat = per_sample.reshape(per_sample.shape[0], -1)
            self._update(self.sf, name, flat.var(0), torch.ones(flat.shape[1], dtype=torch.bool))

    def update_mvd(self, name: str, variance: torch.Tensor, coords: torch.Tensor) -> None:
        """``variance``: ``(d,)`` per-sample(-equivalent) variance of the MVD estimate on ``coords``."""
        seen = torch.zeros(variance.numel(), dtype=torch.bool)
        seen[coords] = True
        self._update(self.mvd, name, variance.reshape(-1), seen)

    def ready(self, names: Sequence[str]) -> bool:
        return all(name in self.sf and name in self.mvd for name in names)

    def filled_mvd(self, name: str) -> torch.Tensor:
        """MVD variances, with unseen coordinates set to the mean of the seen ones."""
        v = self.mvd[name]
        known = v[~torch.isnan(v)]
        return torch.where(torch.isnan(v), known.mean() if known.numel() else torch.tensor(math.inf), v)


@dataclass(frozen=True)
class _Plan:
    sf_samples: int
    mvd_samples: int
    coords: torch.Tensor  # (k,) coordinates that get MVD


@dataclass(frozen=True)
class _State:
    sf: Query | None
    mvd: tuple[Query, ...]  # one query, or two independently stratified halves
    plan: _Plan
    names: tuple[str, ...]
    sf_weight: dict[str, torch.Tensor]  # name -> (d,) weight of the SF estimate on each coordinate


class ConvexCombined(Estimator):
    """SF on every coordinate plus MVD on the ``top_k`` coordinates where SF was noisiest, mixed by inverse variance.

    Args:
        top_k: coordinates that get MVD each call (chosen from earlier calls' SF variances; at random
            on the first call).
        mvd_samples: MVD samples per call (≥ 2, so its variance can be tracked).
        score_function: the SF part (default: leave-one-out baseline).
        coupled: coupled MVD draws.
        parameters: parameters to differentiate (default: all of the family's).
        decay: of the moving averages of the variances.
        stratified: stratified MVD draws (default: for the Normal), run as two independently stratified
            halves so the variance of the MVD part can still be estimated.

    ``num_samples`` is the number of SF samples; cost = num_samples + 2 · mvd_samples · top_k · #parameters.
    The per-sample rows of the result are rescaled so their mean is the estimate; SF rows and MVD rows are
    not identically distributed, so their spread is not the estimate's variance.
    """

    def __init__(self, top_k: int = 1, mvd_samples: int = 2, score_function: ScoreFunction | None = None,
                 coupled: bool = True, parameters: Sequence[str] | None = None, decay: float = 0.8,
                 stratified: bool | None = None) -> None:
        if isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1:
            raise ValueError(f"top_k must be a positive int, got {top_k!r}")
        if isinstance(mvd_samples, bool) or not isinstance(mvd_samples, int) or mvd_samples < 2:
            raise ValueError(f"mvd_samples must be an int ≥ 2, got {mvd_samples!r}")
        self.score_function = score_function or ScoreFunction(baseline="leave_one_out")
        if not isinstance(self.score_function, ScoreFunction):
            raise TypeError(f"score_function must be a weakgrad.ScoreFunction, got {self.score_function!r}")
        self.coupled, self.stratified = coupled, stratified
        self.parameters = None if parameters is None else tuple(parameters)
        self.statistics = CoordinateStatistics(decay)
        self.top_k, self.mvd_samples = top_k, mvd_samples
        self.name = f"convex-k{top_k}-m{mvd_samples}"

    def evaluations(self, dist: Distribution, num_samples: int) -> int:
        names = self._names(dist)
        return num_samples + 2 * self.mvd_samples * self.top_k * len(names)

    def valid_num_samples(self, num_samples: int) -> bool:
        return self.score_function.valid_num_samples(num_samples)

    def _plan(self, dist, num_samples, generator, d, per_coordinate) -> _Plan:
        if self.top_k > d:
            raise ValueError(f"top_k={self.top_k} exceeds the dimension d={d}")
        names = self._names(dist)
        if self.statistics.ready(names):
            noise = sum(self.statistics.sf[name] for name in names)
            coords = noise.argsort(descending=True)[: self.top_k]
        else:
            coords = torch.rand(d, generator=generator).argsort()[: self.top_k]
        return _Plan(num_samples, self.mvd_samples, coords.sort().values)

    def _names(self, dist: Distribution) -> list[str]:
        base = unwrap(dist)
        names = checked_names(base, self.parameters)
        if components(base, names) != len(names):
            raise ValueError("hybrid estimators need parameters with one component per coordinate")
        return names

    def _ask(self, dist: Distribution, num_samples: int, generator: torch.Generator) -> Query:
        base = unwrap(dist)
        d = check_factorised(base, type(self).__name__)
        names = self._names(dist)
        plan = self._plan(dist, num_samples, generator, d, len(names))
        sf = self.score_function.ask(dist, plan.sf_samples, generator) if plan.sf_samples else None
        mvd: tuple[Query, ...] = ()
        if plan.mvd_samples and plan.coords.numel():
            stratified = isinstance(base, Normal) if self.stratified is None else self.stratified
            # stratified draws make the rows dependent: two independently stratified halves give the variance
            halves = (plan.mvd_samples // 2, plan.mvd_samples - plan.mvd_samples // 2) if stratified \
                else (plan.mvd_samples,)
            mvd = tuple(coordinate_query(dist, names, plan.coords.expand(size, -1), generator, self.coupled,
                                         stratified) for size in halves)
        weights = {}
        for name in names:
            w = torch.ones(d, dtype=torch.float64)
            if mvd:
                if sf is None:
                    w[plan.coords] = 0.0
                elif self.statistics.ready([name]):
                    s, v = self.statistics.sf[name], self.statistics.filled_mvd(name)
                    precision_sf = plan.sf_samples / s.clamp_min(1e-300)
                    precision_mvd = plan.mvd_samples / v.clamp_min(1e-300)
                    w[plan.coords] = (precision_sf / (precision_sf + precision_mvd))[plan.coords]
                else:
                    w[plan.coords] = 0.5  # no statistics yet: equal weights are still unbiased
            weights[name] = w
        parts = ([sf] if sf is not None else []) + list(mvd)
        return Query.concat(parts, _State(sf, mvd, plan, tuple(names), weights))

    def _tell(self, query: Query, values: torch.Tensor) -> Gradient:
        state: _State = query.state
        plan = state.plan
        pieces = Query.split(([state.sf] if state.sf is not None else []) + list(state.mvd), values)
        sf = self.score_function.tell(state.sf, pieces.pop(0)) if state.sf is not None else None
        halves = [coordinate_gradient(q, v) for q, v in zip(state.mvd, pieces, strict=True)]
        n, m = plan.sf_samples, (plan.mvd_samples if halves else 0)
        total = n + m
        per_sample = {}
        for name in state.names:
            w = state.sf_weight[name]
            rows = []
            if sf is not None:
                rows.append(sf.per_sample[name] * (w.reshape(sf.per_sample[name].shape[1:]) * total / n))
                self.statistics.update_sf(name, sf.per_sample[name])
            if halves:
                mvd_rows = torch.cat([h.per_sample[name] for h in halves])
                rows.append(mvd_rows * ((1 - w).reshape(mvd_rows.shape[1:]) * total / m))
                if len(halves) == 2:  # E[(A − B)²] = 2·Var(half mean); the m-sample mean has half that
                    difference = (halves[0][name] - halves[1][name]).reshape(-1).double()
                    self.statistics.update_mvd(name, m * difference.square() / 4, plan.coords)
                elif m >= 2:
                    self.statistics.update_mvd(name, mvd_rows.reshape(m, -1).double().var(0), plan.coords)
            per_sample[name] = torch.cat([r.to(rows[0].dtype) for r in rows])
        return Gradient.from_per_sample(per_sample, query.num_points, values)
