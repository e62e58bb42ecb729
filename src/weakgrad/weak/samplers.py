"""Samplers for the auxiliary variates of weak derivatives, each driven by a ``torch.Generator``.

- Rayleigh(1): density r·exp(−r²/2) on r > 0, drawn as sqrt(−2 log U). (The literature's
  "Weibull W(2, 0.5)" is this law in *rate* form; in torch/scipy's scale form it is
  Weibull(concentration 2, scale √2).)
- Double-sided Maxwell: density m²·exp(−m²/2)/√(2π) on R, drawn as S·‖(N₁, N₂, N₃)‖ with a
  random sign S. If M is double-sided Maxwell and U ~ U(0, 1) then U·M ~ N(0, 1) (Mohamed et al.
  2020, §6.2), which couples the two halves of the Normal scale derivative.
"""

from __future__ import annotations

import torch

from weakgrad._random import uniform

__all__ = ["double_sided_maxwell", "random_sign", "rayleigh", "standard_exponential"]

Shape = torch.Size | tuple[int, ...]


def standard_exponential(shape: Shape, generator: torch.Generator, dtype: torch.dtype) -> torch.Tensor:
    """Exp(1) draws, as −log U."""
    return -torch.log(uniform(shape, generator, dtype))


def rayleigh(shape: Shape, generator: torch.Generator, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """Rayleigh(1) draws: sqrt(−2 log U)."""
    return torch.sqrt(2.0 * standard_exponential(shape, generator, dtype))


def random_sign(shape: Shape, generator: torch.Generator, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """±1 with probability 1/2 each."""
    return torch.where(torch.rand(shape, generator=generator, dtype=dtype) < 0.5, -1.0, 1.0).to(dtype)


def double_sided_maxwell(shape: Shape, generator: torch.Generator,
                         dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """Double-sided Maxwell draws: a random sign times the norm of three standard normals."""
    normals = torch.randn((3, *shape), generator=generator, dtype=dtype)
    return random_sign(shape, generator, dtype) * normals.square().sum(0).sqrt()
