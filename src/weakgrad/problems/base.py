"""A benchmark problem: a batched f and, where one exists, its exact Gaussian-smoothed objective."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch

__all__ = ["Problem"]


@dataclass(frozen=True)
class Problem:
    """A batched objective ``f: (n, d) -> (n,)`` with an optional exact smoothed objective.

    Attributes:
        name: the name used on the command line.
        f: the objective.
        smoothed: ``(loc, scale) -> E_{x ~ N(loc, diag(scale²))}[f(x)]`` in closed form, differentiable
            in torch, or ``None`` where no closed form exists (Ackley).
        minimum: where the unsmoothed minimum lies, as a function of d (for plots), if known.
        f_opt: the minimum value of f, if known.
        differentiable: whether f is a torch function that autograd can differentiate (pathwise).
    """

    name: str
    f: Callable[[torch.Tensor], torch.Tensor]
    smoothed: Callable[[torch.Tensor, torch.Tensor], torch.Tensor] | None = None
    minimum: Callable[[int], torch.Tensor] | None = None
    f_opt: float | None = None
    differentiable: bool = True

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() != 2:
            raise ValueError(f"{self.name} takes a batch of points of shape (n, d); got shape {tuple(x.shape)}")
        return self.f(x)

    def smoothed_gradient(self, loc: torch.Tensor, scale: torch.Tensor) -> dict[str, torch.Tensor]:
        """Exact ∇ of the smoothed objective with respect to loc and scale (autograd on the closed form)."""
        if self.smoothed is None:
            raise ValueError(f"{self.name} has no closed-form smoothed objective; use lab.reference_gradient")
        loc = loc.detach().clone().requires_grad_(True)
        scale = scale.detach().clone().requires_grad_(True)
        g_loc, g_scale = torch.autograd.grad(self.smoothed(loc, scale), [loc, scale], allow_unused=True)
        return {"loc": torch.zeros_like(loc) if g_loc is None else g_loc,
                "scale": torch.zeros_like(scale) if g_scale is None else g_scale}
