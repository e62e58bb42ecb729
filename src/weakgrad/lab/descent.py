"""Gradient descent on the loc of a diagonal Normal, driven by a gradient estimator (the founding figure)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import torch
from torch.distributions import Normal

from weakgrad.api import grad
from weakgrad.estimators import Estimator
from weakgrad.problems import Problem

__all__ = ["FoundingRuns", "descend", "founding_runs"]


def descend(problem: Problem, loc: torch.Tensor, scale: torch.Tensor, estimator: Estimator, budget_per_step: int,
            steps: int, lr: float, generator: torch.Generator, max_step: float | None = None) -> torch.Tensor:
    """Path of ``loc ← loc − lr · ĝ_loc`` for ``steps`` steps at ``budget_per_step`` evaluations each.

    ``max_step`` clips the length of each step (plain SGD on Rosenbrock otherwise diverges for noisy
    estimators; the clip is the same for every estimator). Returns the path ``(steps + 1, d)``.
    """
    dist = Normal(loc, scale)
    n = estimator.samples_for_budget(dist, budget_per_step)
    if n == 0:
        raise ValueError(f"budget_per_step={budget_per_step} is too small for one sample of {estimator!r}")
    path = [loc.clone()]
    current = loc.clone()
    for _ in range(steps):
        step = lr * grad(problem, Normal(current, scale), estimator, num_samples=n, generator=generator)["loc"]
        if max_step is not None and float(step.norm()) > max_step:
            step = step * (max_step / float(step.norm()))
        current = current - step
        path.append(current.clone())
    return torch.stack(path)


@dataclass(frozen=True)
class FoundingRuns:
    """What the founding figure draws (see :func:`weakgrad.plots.founding_figure`)."""

    paths: dict[str, torch.Tensor]  # label -> (steps + 1, 2)
    inset_point: torch.Tensor  # (2,)
    inset_vectors: dict[str, torch.Tensor]  # label -> (n, 2) per-sample estimates at inset_point
    true_gradient: torch.Tensor  # (2,)


def founding_runs(problem: Problem, estimators: Mapping[str, Estimator], start: torch.Tensor, scale: torch.Tensor,
                  budget: int, steps: int, lr: float, generator: torch.Generator,
                  max_step: float = 0.05) -> FoundingRuns:
    """Descent paths of every estimator from ``start`` at ``budget`` evaluations per step, and the per-sample
    estimates each produces at ``start`` with that budget, next to the exact gradient there."""
    paths, vectors = {}, {}
    for label, est in estimators.items():
        path = descend(problem, start, scale, est, budget, steps, lr, generator, max_step=max_step)
        final = float(problem.smoothed(path[-1], scale)) if problem.smoothed else float("nan")
        paths[f"{label}: {budget} evals/step, final E[f] = {final:.3g}"] = path
        dist = Normal(start, scale)
        n = est.samples_for_budget(dist, budget)
        vectors[label] = grad(problem, dist, est, num_samples=n, generator=generator).per_sample["loc"]
    return FoundingRuns(paths, start, vectors, problem.smoothed_gradient(start, scale)["loc"])
