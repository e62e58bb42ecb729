"""Benchmark functions with exact smoothed objectives under a diagonal Normal N(μ, diag(σ²)).

Gaussian moments used throughout (x ~ N(μ, σ²)):
    E[x²] = μ² + σ²,   E[x⁴] = μ⁴ + 6μ²σ² + 3σ⁴,
    E[cos(kx)] = cos(kμ)·e^{−k²σ²/2},
    E[exp(−k x²)] = (1 + 2kσ²)^{−1/2} · exp(−kμ² / (1 + 2kσ²)).
Coordinates are independent, so sums of one-coordinate terms and products across coordinates
(Rosenbrock's x_{i+1}·x_i²) factor.
"""

from __future__ import annotations

import math

import torch

from weakgrad.problems.base import Problem

__all__ = [
    "ackley",
    "cosine",
    "ellipsoid",
    "gaussian_bump",
    "quadratic",
    "rastrigin",
    "rosenbrock",
    "sphere",
    "styblinski_tang",
]


def _m2(mu: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
    return mu**2 + sigma**2


def _m4(mu: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
    return mu**4 + 6 * mu**2 * sigma**2 + 3 * sigma**4


def _rosenbrock(x: torch.Tensor) -> torch.Tensor:
    head, tail = x[:, :-1], x[:, 1:]
    return (100.0 * (tail - head**2) ** 2 + (1.0 - head) ** 2).sum(-1)


def _rosenbrock_smoothed(mu: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
    m, s = mu[:-1], sigma[:-1]
    nxt, nxt_s = mu[1:], sigma[1:]
    # E[(x_{i+1} − x_i²)²] = E[x_{i+1}²] − 2 E[x_{i+1}] E[x_i²] + E[x_i⁴]
    coupling = _m2(nxt, nxt_s) - 2 * nxt * _m2(m, s) + _m4(m, s)
    return (100.0 * coupling + 1.0 - 2.0 * m + _m2(m, s)).sum()


def _ellipsoid_weights(d: int, dtype: torch.dtype) -> torch.Tensor:
    if d == 1:
        return torch.ones(1, dtype=dtype)
    return 10.0 ** (6.0 * torch.arange(d, dtype=dtype) / (d - 1))


def _rastrigin(x: torch.Tensor) -> torch.Tensor:
    return 10.0 * x.shape[-1] + (x**2 - 10.0 * torch.cos(2 * math.pi * x)).sum(-1)


def _rastrigin_smoothed(mu: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
    damped = torch.cos(2 * math.pi * mu) * torch.exp(-2 * math.pi**2 * sigma**2)
    return 10.0 * mu.shape[-1] + (_m2(mu, sigma) - 10.0 * damped).sum()


def _ackley(x: torch.Tensor) -> torch.Tensor:
    d = x.shape[-1]
    root_mean_square = torch.sqrt((x**2).sum(-1) / d)
    mean_cos = torch.cos(2 * math.pi * x).sum(-1) / d
    return -20.0 * torch.exp(-0.2 * root_mean_square) - torch.exp(mean_cos) + 20.0 + math.e


rosenbrock = Problem("rosenbrock", _rosenbrock, _rosenbrock_smoothed, lambda d: torch.ones(d), 0.0)
sphere = Problem("sphere", lambda x: (x**2).sum(-1), lambda m, s: _m2(m, s).sum(), lambda d: torch.zeros(d), 0.0)
ellipsoid = Problem(
    "ellipsoid",
    lambda x: (_ellipsoid_weights(x.shape[-1], x.dtype) * x**2).sum(-1),
    lambda m, s: (_ellipsoid_weights(m.shape[-1], m.dtype) * _m2(m, s)).sum(),
    lambda d: torch.zeros(d),
    0.0,
)
rastrigin = Problem("rastrigin", _rastrigin, _rastrigin_smoothed, lambda d: torch.zeros(d), 0.0)
styblinski_tang = Problem(
    "styblinski_tang",
    lambda x: 0.5 * (x**4 - 16 * x**2 + 5 * x).sum(-1),
    lambda m, s: 0.5 * (_m4(m, s) - 16 * _m2(m, s) + 5 * m).sum(),
    lambda d: torch.full((d,), -2.903534),
)
ackley = Problem("ackley", _ackley, None, lambda d: torch.zeros(d), 0.0)


def quadratic(k: float = 1.0) -> Problem:
    """Σ_i (x_i − k)²; smoothed: Σ (μ_i − k)² + σ_i²."""
    return Problem(f"quadratic_{k:g}", lambda x: ((x - k) ** 2).sum(-1),
                   lambda m, s: ((m - k) ** 2 + s**2).sum(), lambda d: torch.full((d,), float(k)))


def gaussian_bump(k: float = 1.0) -> Problem:
    """Σ_i exp(−k x_i²); smoothed: Σ (1 + 2kσ²)^{−1/2} exp(−kμ²/(1 + 2kσ²))."""

    def smoothed(m: torch.Tensor, s: torch.Tensor) -> torch.Tensor:
        spread = 1 + 2 * k * s**2
        return (torch.exp(-k * m**2 / spread) / torch.sqrt(spread)).sum()

    return Problem(f"gaussian_bump_{k:g}", lambda x: torch.exp(-k * x**2).sum(-1), smoothed)


def cosine(k: float = 1.0) -> Problem:
    """Σ_i cos(k x_i); smoothed: Σ cos(kμ) e^{−k²σ²/2}."""
    return Problem(f"cosine_{k:g}", lambda x: torch.cos(k * x).sum(-1),
                   lambda m, s: (torch.cos(k * m) * torch.exp(-(k**2) * s**2 / 2)).sum())
