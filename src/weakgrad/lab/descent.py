"""Gradient descent on the loc of a diagonal Normal, driven by a gradient estimator (the founding figure)."""

from __future__ import annotations

import torch
from torch.distributions import Normal

from weakgrad.api import grad
from weakgrad.estimators import Estimator
from weakgrad.problems import Problem

__all__ = ["descend"]


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
