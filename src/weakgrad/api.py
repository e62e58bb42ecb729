"""``grad`` and ``surrogate``: ask → evaluate → tell in one call."""

from __future__ import annotations

import torch
from torch.distributions import Distribution

from weakgrad.distributions import parameters
from weakgrad.estimators.base import Estimator, Gradient
from weakgrad.evaluation import Objective, evaluate

__all__ = ["grad", "surrogate"]


def grad(f: Objective, dist: Distribution, estimator: Estimator, *, num_samples: int,
         generator: torch.Generator, max_batch: int | None = None, check_finite: bool = True,
         reuse_buffer: bool = False) -> Gradient:
    """Estimate ∇_ψ E_{x ~ dist}[f(x)] with respect to the distribution's parameters.

    Args:
        f: maps points ``(m, *point_shape)`` to values ``(m,)``; ``point_shape = batch_shape + event_shape``.
        dist: a torch distribution (``Independent`` wrappers are unwrapped).
        estimator: e.g. ``MeasureValued()``, ``ScoreFunction(baseline="leave_one_out")``, ``Pathwise()``.
        num_samples: samples of the estimator (its cost in evaluations is ``estimator.evaluations``).
        generator: the only source of randomness.
        max_batch: at most this many points are built and passed to f at once (``None``: about 8 MiB).
        check_finite: raise if f returns NaN or inf.
        reuse_buffer: build every chunk in one reused buffer (faster at large d; f must not keep its input).

    Returns:
        A :class:`Gradient`: ``g[name]`` shaped like the parameter, ``g.per_sample``, ``g.evaluations``.
    """
    if not isinstance(estimator, Estimator):
        raise TypeError(f"estimator must be a weakgrad Estimator (e.g. MeasureValued()), got {estimator!r}")
    query = estimator.ask(dist, num_samples, generator)
    values = evaluate(f, query, max_batch=max_batch, check_finite=check_finite, reuse_buffer=reuse_buffer)
    return estimator.tell(query, values)


def surrogate(f: Objective, dist: Distribution, estimator: Estimator, *, num_samples: int,
              generator: torch.Generator, max_batch: int | None = None, check_finite: bool = True,
              reuse_buffer: bool = False) -> torch.Tensor:
    """A scalar whose ``backward()`` puts the estimated gradient into the distribution's parameters.

    ``L = v + Σ_θ ⟨ĝ_θ, θ − stop_grad(θ)⟩`` where v is ``Gradient.value``: ∂L/∂θ = ĝ_θ exactly, and autograd
    chains it into whatever produced θ (a network, a log-scale, logits). Arguments as :func:`grad`.
    """
    g = grad(f, dist, estimator, num_samples=num_samples, generator=generator, max_batch=max_batch,
             check_finite=check_finite, reuse_buffer=reuse_buffer)
    loss = g.value.clone()
    for name, theta in parameters(dist).items():
        if name in g.estimates:
            loss = loss + (g[name].to(theta.dtype) * (theta - theta.detach())).sum()
    return loss
