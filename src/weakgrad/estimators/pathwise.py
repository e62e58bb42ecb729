"""The pathwise (reparameterisation) gradient.

    ∇_θ E_{p_θ}[f] = E_ε[∇_x f(g(ε, θ)) ∇_θ g(ε, θ)],   x = g(ε, θ)

(Glasserman 1991; Kingma & Welling 2014; Mohamed et al. 2020, §5). Needs a distribution with
``rsample`` and an f that torch can differentiate, evaluated in process: the values handed to ``tell``
must still carry their graph back to ``query.points``.
"""

from __future__ import annotations

import torch
from torch.distributions import Distribution

from weakgrad.distributions import expanded_leaves, rsample, unwrap
from weakgrad.estimators.base import Estimator, Gradient, Query, materialised_query

__all__ = ["Pathwise"]


class Pathwise(Estimator):
    """Pathwise gradient: one evaluation of f (and its backward pass) per sample."""

    name = "pathwise"

    def evaluations(self, dist: Distribution, num_samples: int) -> int:
        return num_samples

    def _ask(self, dist: Distribution, num_samples: int, generator: torch.Generator) -> Query:
        base = unwrap(dist)
        if not base.has_rsample:
            raise ValueError(
                f"the pathwise gradient needs a reparameterisable distribution; {type(base).__name__} has no "
                "rsample. Use weakgrad.MeasureValued() or weakgrad.ScoreFunction()."
            )
        leaves, rebuilt = expanded_leaves(base, num_samples)
        points = rsample(rebuilt, generator).reshape((num_samples, *dist.batch_shape, *dist.event_shape))
        return materialised_query(points, leaves)

    def _tell(self, query: Query, values: torch.Tensor) -> Gradient:
        leaves: dict[str, torch.Tensor] = query.state
        if not values.requires_grad:
            raise ValueError(
                "the pathwise gradient needs values that torch can differentiate with respect to query.points: "
                "f must be a torch function evaluated in process (not NumPy, not detached)."
            )
        names = list(leaves)
        grads = torch.autograd.grad(values.sum(), [leaves[k] for k in names], allow_unused=True)
        per_sample = {k: torch.zeros_like(leaves[k]) if g is None else g for k, g in zip(names, grads, strict=True)}
        return Gradient.from_per_sample(per_sample, query.num_points, values)
