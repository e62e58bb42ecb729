"""Fitness shaping: monotone transformations of f's values applied before estimating the gradient."""

from __future__ import annotations

import torch

__all__ = ["SHAPINGS", "centered_ranks"]


def centered_ranks(values: torch.Tensor) -> torch.Tensor:
    """Ranks scaled to [−0.5, 0.5] (Salimans et al. 2017): invariant to any increasing transformation of f.

    Ties get the mean of their ranks. ``values``: ``(n,)``.
    """
    n = values.numel()
    if n == 1:
        return torch.zeros_like(values, dtype=torch.float64)
    order = values.argsort()
    ranks = torch.empty(n, dtype=torch.float64)
    ranks[order] = torch.arange(n, dtype=torch.float64)
    sorted_values = values[order]
    # average the ranks of ties so equal values are treated equally
    _, inverse, counts = torch.unique_consecutive(sorted_values, return_inverse=True, return_counts=True)
    sums = torch.zeros(counts.numel(), dtype=torch.float64).index_add_(0, inverse, torch.arange(n, dtype=torch.float64))
    ranks[order] = (sums / counts)[inverse]
    return ranks / (n - 1) - 0.5


SHAPINGS = {None: None, "centered_ranks": centered_ranks}
