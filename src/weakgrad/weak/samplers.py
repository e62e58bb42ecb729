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


def chi3_icdf(u: torch.Tensor, newton_steps: int = 8) -> torch.Tensor:
    """Inverse CDF of the chi distribution with 3 degrees of freedom (the Maxwell magnitude), by Newton's method.

    F(m) = erf(m/√2) − √(2/π)·m·e^{−m²/2}, density f(m) = √(2/π)·m²·e^{−m²/2}. Below the median we solve
    log F(m) = log u, above it log S(m) = log(1 − u) with the survival function S computed by erfc (so the tails
    keep their digits); Newton in log space, from the Wilson–Hilferty chi-square quantile (or, for u < 1e-3,
    from F(m) ≈ √(2/π)m³/3).
    """
    x = u.double()
    upper = x > 0.5
    z = torch.special.ndtri(x)
    m = (3 * (1 - 2 / 27 + z * (2 / 27) ** 0.5).clamp_min(1e-3) ** 3).sqrt()
    m = torch.where(x < 1e-3, (3 * x * (torch.pi / 2) ** 0.5) ** (1 / 3), m)
    target = torch.where(upper, 1 - x, x)
    root = (2 / torch.pi) ** 0.5
    log_target = target.log()
    for _ in range(newton_steps):
        tail = root * m * torch.exp(-(m**2) / 2)
        value = torch.where(upper, torch.erfc(m / 2**0.5) + tail, torch.erf(m / 2**0.5) - tail).clamp_min(1e-300)
        density = (root * m**2 * torch.exp(-(m**2) / 2)).clamp_min(1e-300)
        step = (value.log() - log_target) * value / density  # Newton on log F (or log S, whose slope is −f/S)
        m = (m + torch.where(upper, step, -step)).clamp(1e-12, 40.0)
    return m.to(u.dtype)


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
