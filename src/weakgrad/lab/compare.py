"""Equal-budget comparisons of gradient estimators on problems with known gradients.

Every estimator gets, per repetition, as many samples as fit in the evaluation budget
(``Estimator.samples_for_budget``), so rows with the same budget compare equal numbers of
evaluations of f. The search distribution is a diagonal Normal N(loc, diag(scale²)).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import torch
from torch.distributions import Normal

from weakgrad.api import grad
from weakgrad.estimators import Estimator, MeasureValued, Pathwise
from weakgrad.lab.metrics import error_metrics
from weakgrad.problems import Problem

__all__ = ["Truth", "compare", "flat_estimate", "true_gradient"]

PARAMETERS = ("loc", "scale")


@dataclass(frozen=True)
class Truth:
    """The gradient compared against, flattened over ``params``; ``se`` is 0 for a closed form."""

    gradient: torch.Tensor
    se: torch.Tensor
    exact: bool


def _check(loc: torch.Tensor, scale: torch.Tensor, params: Sequence[str]) -> None:
    if loc.dim() != 1 or scale.shape != loc.shape:
        raise ValueError(f"loc and scale must be vectors of the same length d; got {tuple(loc.shape)}, "
                         f"{tuple(scale.shape)}")
    if not bool((scale > 0).all()):
        raise ValueError("every scale must be > 0")
    bad = [p for p in params if p not in PARAMETERS]
    if bad or not params:
        raise ValueError(f"params must be a non-empty subset of {PARAMETERS}; got {list(params)}")


def flat_estimate(estimate: Mapping[str, torch.Tensor], params: Sequence[str]) -> torch.Tensor:
    """Concatenate the estimates of ``params`` into one vector."""
    return torch.cat([estimate[p].reshape(-1) for p in params])


def true_gradient(problem: Problem, loc: torch.Tensor, scale: torch.Tensor, params: Sequence[str] = ("loc",),
                  generator: torch.Generator | None = None, reference_evaluations: int = 2_000_000) -> Truth:
    """The exact smoothed gradient, or (no closed form) a large reference run with its standard error.

    The reference is the pathwise gradient when f is differentiable, else coupled MVD (unbiased for any f),
    with about ``reference_evaluations`` evaluations of f.
    """
    _check(loc, scale, params)
    if problem.smoothed is not None:
        exact = problem.smoothed_gradient(loc, scale)
        g = flat_estimate(exact, params)
        return Truth(g, torch.zeros_like(g), True)
    if generator is None:
        raise ValueError(f"{problem.name} has no closed form; a generator is needed for the reference run")
    dist = Normal(loc, scale)
    reference = Pathwise() if problem.differentiable else MeasureValued(parameters=params)
    n = max(2, reference.samples_for_budget(dist, reference_evaluations))
    # in batches of about 2^21 numbers of points, so memory stays bounded whatever d is
    batch = max(2, 2**21 // (loc.numel() * reference.evaluations(dist, 1)))
    total = total_sq = 0.0
    done = 0
    while done < n:
        size = min(batch, n - done)
        g = grad(problem, dist, reference, num_samples=size, generator=generator)
        per_sample = torch.cat([g.per_sample[p].reshape(size, -1) for p in params], 1).double()
        total, total_sq, done = total + per_sample.sum(0), total_sq + per_sample.square().sum(0), done + size
    mean = total / n
    variance = (total_sq - n * mean.square()).clamp_min(0) / (n - 1)
    return Truth(mean, variance.sqrt() / math.sqrt(n), False)


def compare(problem: Problem, loc: torch.Tensor, scale: torch.Tensor, estimators: Mapping[str, Estimator],
            budgets: Sequence[int], repeats: int, generator: torch.Generator, params: Sequence[str] = ("loc",),
            truth: Truth | None = None, on_step: Callable[[], None] | None = None,
            skip_unfit: bool = False, warmup: int = 0) -> list[dict]:
    """Run ``repeats`` estimates per (estimator, budget); one tidy record per pair.

    Args:
        problem: the objective (batched).
        loc, scale: the diagonal Normal search distribution, vectors of length d.
        estimators: label -> estimator; an estimator's cost decides how many samples fit in a budget.
        budgets: evaluation budgets per estimate.
        repeats: independent estimates per (estimator, budget), at least 2.
        generator: the only source of randomness.
        params: which gradient blocks are compared (``loc``, ``scale``).
        truth: the gradient to compare with (default: :func:`true_gradient`).
        on_step: called after each (estimator, budget) pair, for progress bars.
        skip_unfit: leave out (estimator, budget) pairs where the budget is too small for one estimate,
            instead of raising.
        warmup: calls per (estimator, budget) run first and not scored, for estimators that learn from their
            earlier calls (``Auto``, ``ConvexCombined``, ``MovingAverage`` baselines) — as they would be mid-run in
            an optimiser. Stateless estimators are unaffected (beyond the random numbers consumed).

    Raises:
        ValueError: a budget too small for one estimate of some estimator (the message names the minimum).
    """
    _check(loc, scale, params)
    if repeats < 2:
        raise ValueError(f"repeats must be at least 2, got {repeats}")
    dist = Normal(loc, scale)
    truth = truth if truth is not None else true_gradient(problem, loc, scale, params, generator)
    for label, est in estimators.items():
        if not skip_unfit and est.samples_for_budget(dist, min(budgets)) == 0:
            least = next(b for b in range(1, 10 * est.evaluations(dist, 2) + 10) if est.samples_for_budget(dist, b))
            raise ValueError(f"budget {min(budgets)} is too small for one estimate of {label} at d={loc.numel()}; "
                             f"it needs at least {least} evaluations")
    records = []
    for label, est in estimators.items():
        for budget in budgets:
            n = est.samples_for_budget(dist, budget)
            if n == 0:  # only reachable with skip_unfit
                if on_step is not None:
                    on_step()
                continue
            for _ in range(warmup):
                grad(problem, dist, est, num_samples=n, generator=generator)
            estimates, spent = [], 0
            for _ in range(repeats):
                g = grad(problem, dist, est, num_samples=n, generator=generator)
                estimates.append(flat_estimate(g, params))
                spent = g.evaluations
            stacked = torch.stack(estimates)
            records.append({
                "problem": problem.name, "dim": loc.numel(), "sigma": float(scale.mean()),
                "params": "+".join(params), "estimator": label, "budget": budget, "num_samples": n,
                "evaluations": spent, "repeats": repeats, "warmup": warmup,
                **error_metrics(stacked, truth.gradient),
                "truth_exact": truth.exact, "truth_norm": float(truth.gradient.norm()),
                "coordinate_variance": stacked.double().var(0).tolist(),
            })
            if on_step is not None:
                on_step()
    return records
