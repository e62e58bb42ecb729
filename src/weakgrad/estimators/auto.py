"""``Auto``: spend a budget of evaluations on whichever estimator is currently least noisy, unbiasedly.

Component estimators k (default, for a Normal: RLOO score function, orthogonal antithetic ES and
stratified MVD) are unbiased. On an *exploration* call each gets b_k evaluations, run as two independent
halves A_k, B_k; the per-coordinate variance of its estimate is estimated by (A_k − B_k)²/4 and kept as a
per-evaluation variance v_k = b_k (A_k − B_k)²/4 in a moving average, and the components are combined
coordinate by coordinate with inverse-variance weights w_k ∝ b_k / v_k. Since Σ_k b_k / v_k at a fixed
budget is largest when all of it goes to the component with the smallest v_k, every other call (*exploit*)
spends the whole budget on that leader in one piece (halves would cost stratified MVD much of its gain).
Exploration calls are the first few (one per component, budget split evenly) and then every
``explore_every``-th, where the leader keeps most of the budget and the others get an ``exploration`` share.

Allocation, leader and weights come only from earlier calls, so every estimate is a convex combination of
unbiased estimates with independent weights: unbiased.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import torch
from torch.distributions import Distribution, Normal

from weakgrad.distributions import unwrap
from weakgrad.estimators.base import Estimator, Gradient, Query
from weakgrad.estimators.measure_valued import MeasureValued, checked_names
from weakgrad.estimators.score_function import ScoreFunction

__all__ = ["Auto"]


@dataclass(frozen=True)
class _Part:
    name: str
    budget: int
    halves: tuple[Query, ...]  # two independent halves on exploration calls, one piece otherwise


class Auto(Estimator):
    """Adaptive, unbiased choice and mix of estimators under a budget. ``num_samples`` is the evaluation budget.

    Args:
        components: name -> estimator (default: ``sf-rloo``, ``antithetic-orthogonal`` for a Normal, and
            ``mvd`` — stratified for a Normal — when every parameter has a weak derivative).
        parameters: parameters to estimate (default: all of the family's).
        exploration: share of the budget each non-leading component gets on an exploration call.
        decay: of the moving averages of the variances.
        explore_every: after the first exploration calls, one call in this many explores.
    """

    name = "auto"

    def __init__(self, components: Mapping[str, Estimator] | None = None, parameters: Sequence[str] | None = None,
                 exploration: float = 0.1, decay: float = 0.8, explore_every: int = 20) -> None:
        if not 0 <= exploration < 1:
            raise ValueError(f"exploration must lie in [0, 1), got {exploration}")
        if not 0 <= decay < 1:
            raise ValueError(f"decay must lie in [0, 1), got {decay}")
        self.parameters = None if parameters is None else tuple(parameters)
        self._given = dict(components) if components is not None else None
        if isinstance(explore_every, bool) or not isinstance(explore_every, int) or explore_every < 1:
            raise ValueError(f"explore_every must be a positive int, got {explore_every!r}")
        self.exploration, self.decay, self.explore_every = exploration, decay, explore_every
        self.variance: dict[str, dict[str, torch.Tensor]] = {}  # component -> parameter -> per-evaluation variance
        self.calls = 0
        self._built: dict[type, dict[str, Estimator]] = {}  # default components per distribution family

    def __repr__(self) -> str:
        return f"Auto(parameters={self.parameters}, exploration={self.exploration})"

    def components(self, dist: Distribution) -> dict[str, Estimator]:
        if self._given is not None:
            return self._given
        base = unwrap(dist)
        if type(base) in self._built:
            return self._built[type(base)]
        found: dict[str, Estimator] = {"sf-rloo": ScoreFunction(baseline="leave_one_out")}
        if isinstance(base, Normal):
            found["antithetic-orthogonal"] = ScoreFunction(antithetic=True, orthogonal=True)
        try:
            names = checked_names(base, self.parameters)
            found["mvd"] = MeasureValued(parameters=names, stratified=isinstance(base, Normal))
        except (NotImplementedError, ValueError):
            pass
        self._built[type(base)] = found
        return found

    def _least(self, dist: Distribution, estimator: Estimator) -> int:
        """The smallest budget for two halves of one valid estimate each."""
        n = next(n for n in range(1, 64) if estimator.valid_num_samples(n))
        return 2 * estimator.evaluations(dist, n)

    def evaluations(self, dist: Distribution, num_samples: int) -> int:
        return num_samples

    def samples_for_budget(self, dist: Distribution, budget: int) -> int:
        least = min(self._least(dist, e) for e in self.components(dist).values())
        return budget if budget >= least else 0

    def leader(self, dist: Distribution) -> str | None:
        """The component with the smallest total per-evaluation variance so far (None before any statistics)."""
        known = {k: sum(float(v.sum()) for v in table.values()) for k, table in self.variance.items()
                 if k in self.components(dist)}
        return min(known, key=known.get) if known else None

    def _allocate(self, dist: Distribution, budget: int) -> tuple[dict[str, int], bool]:
        """Evaluations per component, and whether the call explores (runs every part as two halves)."""
        parts = self.components(dist)
        least = {k: self._least(dist, e) for k, e in parts.items()}
        affordable = [k for k in parts if least[k] <= budget // len(parts)] or [min(parts, key=lambda k: least[k])]
        leader = self.leader(dist)
        if leader is None or any(k not in self.variance for k in affordable):
            return {k: budget // len(affordable) for k in affordable}, True
        if self.calls % self.explore_every:
            return {leader: budget}, False
        allocation = {k: max(least[k], int(self.exploration * budget)) for k in parts
                      if k != leader and least[k] <= 2 * self.exploration * budget}
        allocation[leader] = budget - sum(allocation.values())
        if allocation[leader] < least[leader]:
            return {leader: budget}, True
        return allocation, True

    def _ask(self, dist: Distribution, num_samples: int, generator: torch.Generator) -> Query:
        components = self.components(dist)
        allocation, explore = self._allocate(dist, num_samples)
        self.calls += 1
        parts = []
        for name, budget in allocation.items():
            estimator = components[name]
            pieces = 2 if explore else 1
            n = estimator.samples_for_budget(dist, budget // pieces)
            if n == 0:
                continue
            queries = tuple(estimator.ask(dist, n, generator) for _ in range(pieces))
            parts.append(_Part(name, pieces * estimator.evaluations(dist, n), queries))
        if not parts:
            raise ValueError(f"a budget of {num_samples} evaluations is too small for any component of {self!r}")
        names = checked_names(unwrap(dist), self.parameters) if "mvd" in components else None
        return Query.concat([q for part in parts for q in part.halves], (tuple(parts), names, dist))

    def _tell(self, query: Query, values: torch.Tensor) -> Gradient:
        parts, names, dist = query.state
        components = self.components(dist)
        pieces = iter(Query.split([q for part in parts for q in part.halves], values))
        results = {part.name: [components[part.name].tell(q, next(pieces)) for q in part.halves] for part in parts}
        names = list(names) if names is not None else list(next(iter(results.values()))[0])
        # weights from the statistics of earlier calls only; then the statistics are updated
        weights = self._weights(parts, names)
        per_sample = {}
        for name in names:
            rows = []
            for part in parts:
                estimates = [g[name] for g in results[part.name]]
                w = weights[part.name][name]
                w = w.expand_as(estimates[0]) if w.numel() == 1 else w.reshape(estimates[0].shape)
                scale = len(parts) * len(part.halves) / len(estimates)  # rows average to Σ_k w_k · mean_k
                rows += [scale * w * e for e in estimates]
            per_sample[name] = torch.stack(rows)
        for part in parts:
            if len(part.halves) != 2:
                continue
            first, second = results[part.name]
            table = self.variance.setdefault(part.name, {})
            for name in names:
                fresh = part.budget * (first[name] - second[name]).double().square() / 4
                old = table.get(name)
                table[name] = fresh if old is None else self.decay * old + (1 - self.decay) * fresh
        return Gradient.from_per_sample(per_sample, query.num_points, values)

    def _weights(self, parts: Sequence[_Part], names: Sequence[str]) -> dict[str, dict[str, torch.Tensor]]:
        """Per component and parameter, per-coordinate weights summing to 1 over the components of this call."""
        precision: dict[str, dict[str, torch.Tensor]] = {}
        for part in parts:
            table = self.variance.get(part.name, {})
            precision[part.name] = {}
            for name in names:
                known = table.get(name)
                precision[part.name][name] = (part.budget / known.clamp_min(1e-300) if known is not None
                                              else torch.tensor(float(part.budget)))
        if any(not self.variance.get(p.name) for p in parts):  # missing statistics: weight by budget alone
            precision = {p.name: {name: torch.tensor(float(p.budget)) for name in names} for p in parts}
        weights = {}
        for name in names:
            total = sum(precision[p.name][name] for p in parts)
            for p in parts:
                weights.setdefault(p.name, {})[name] = (precision[p.name][name] / total).float()
        return weights
