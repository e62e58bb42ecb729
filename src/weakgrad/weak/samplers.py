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


def stratified_uniform(shape: Shape, generator: torch.Generator, dtype: torch.dtype) -> torch.Tensor:
    """U(0, 1) draws stratified along dim 0: with n = shape[0], each column holds one draw from every stratum
    [j/n, (j+1)/n), in a random order. Every draw is U(0, 1) in law (so estimates stay unbiased) while the
    column covers [0, 1) evenly (Latin hypercube sampling, McKay et al. 1979)."""
    n = shape[0]
    strata = torch.rand(shape, generator=generator).argsort(0).to(dtype)
    u = (strata + torch.rand(shape, generator=generator, dtype=dtype)) / n
    return u.clamp_(min=torch.finfo(dtype).tiny, max=1.0 - torch.finfo(dtype).eps)


def chi3_icdf(u: torch.Tensor, iterations: int = 64) -> torch.Tensor:
    """Inverse CDF of the chi distribution with 3 degrees of freedom (the Maxwell magnitude), by bisection.

    F(m) = erf(m/√2) − √(2/π)·m·e^{−m²/2}; 64 halvings of [0, 12] reach double precision.
    """
    x = u.double()
    low, high = torch.zeros_like(x), torch.full_like(x, 12.0)
    for _ in range(iterations):
        mid = (low + high) / 2
        cdf = torch.erf(mid / 2**0.5) - (2 / torch.pi) ** 0.5 * mid * torch.exp(-(mid**2) / 2)
        below = cdf < x
        low, high = torch.where(below, mid, low), torch.where(below, high, mid)
    return ((low + high) / 2).to(u.dtype)


def rayleigh(shape: Shape, generator: torch.Generator, dtype: torch.dtype = torch.float32,
             stratified: bool = False) -> torch.Tensor:
    """Rayleigh(1) draws: sqrt(−2 log U), optionally stratified along dim 0."""
    if stratified:
        return torch.sqrt(-2.0 * torch.log1p(-stratified_uniform(shape, generator, dtype)))
    return torch.sqrt(2.0 * standard_exponential(shape, generator, dtype))


def random_sign(shape: Shape, generator: torch.Generator, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """±1 with probability 1/2 each."""
    return torch.where(torch.rand(shape, generator=generator, dtype=dtype) < 0.5, -1.0, 1.0).to(dtype)


def double_sided_maxwell(shape: Shape, generator: torch.Generator, dtype: torch.dtype = torch.float32,
                         stratified: bool = False) -> torch.Tensor:
    """Double-sided Maxwell draws: a random sign times the norm of three standard normals (or, stratified
    along dim 0, times the chi-3 inverse CDF of stratified uniforms)."""
    if stratified:
        magnitude = chi3_icdf(stratified_uniform(shape, generator, dtype))
    else:
        magnitude = torch.randn((3, *shape), generator=generator, dtype=dtype).square().sum(0).sqrt()
    return random_sign(shape, generator, dtype) * magnitude
