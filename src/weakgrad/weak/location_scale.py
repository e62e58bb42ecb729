"""Weak derivatives of the Laplace, Cauchy and Uniform families (derivations in docs/maths.md).

Laplace(μ, b) loc:   c = 1/(2b), p⁺ = μ + E, p⁻ = μ − E,  E ~ Exp(scale b) (the same E when coupled)
Laplace(μ, b) scale: c = 1/b,    p⁺ = μ + S·G, G ~ Gamma(2, scale b), S = ±1;  p⁻ = Laplace(μ, b),
                     coupled p⁻ = μ + S·U·G (U·G ~ Exp(scale b)).
Cauchy(μ, γ) loc:    c = 1/(πγ), p⁺ = μ + γT, p⁻ = μ − γT,  T = √(U/(1−U)), density 2t/(1+t²)² on t > 0.
Uniform(a, b) high:  c = 1/(b−a), p⁺ = δ_b, p⁻ = U(a, b).
Uniform(a, b) low:   c = 1/(b−a), p⁺ = U(a, b), p⁻ = δ_a.
"""

from __future__ import annotations

import math

import torch
from torch.distributions import Cauchy, Laplace, Uniform

from weakgrad._random import uniform
from weakgrad.weak.registry import WeakTriple, register_weak_derivative
from weakgrad.weak.samplers import random_sign, standard_exponential


@register_weak_derivative(Laplace, "loc")
def _laplace_loc(dist: Laplace, n: int, generator: torch.Generator, coupled: bool) -> WeakTriple:
    loc, b = dist.loc.detach(), dist.scale.detach()
    shape = (n, *loc.shape)
    e_plus = b * standard_exponential(shape, generator, loc.dtype)
    e_minus = e_plus if coupled else b * standard_exponential(shape, generator, loc.dtype)
    return WeakTriple(1.0 / (2.0 * b), loc + e_plus, loc - e_minus)


@register_weak_derivative(Laplace, "scale")
def _laplace_scale(dist: Laplace, n: int, generator: torch.Generator, coupled: bool) -> WeakTriple:
    loc, b = dist.loc.detach(), dist.scale.detach()
    shape = (n, *loc.shape)
    sign = random_sign(shape, generator, loc.dtype)
    gamma2 = b * (standard_exponential(shape, generator, loc.dtype) + standard_exponential(shape, generator, loc.dtype))
    if coupled:
        minus = loc + sign * uniform(shape, generator, loc.dtype) * gamma2
    else:
        minus = loc + random_sign(shape, generator, loc.dtype) * b * standard_exponential(shape, generator, loc.dtype)
    return WeakTriple(1.0 / b, loc + sign * gamma2, minus)


@register_weak_derivative(Cauchy, "loc")
def _cauchy_loc(dist: Cauchy, n: int, generator: torch.Generator, coupled: bool) -> WeakTriple:
    loc, gamma = dist.loc.detach(), dist.scale.detach()
    shape = (n, *loc.shape)

    def half() -> torch.Tensor:
        u = uniform(shape, generator, loc.dtype)
        return gamma * torch.sqrt(u / (1.0 - u))

    t_plus = half()
    t_minus = t_plus if coupled else half()
    return WeakTriple(1.0 / (math.pi * gamma), loc + t_plus, loc - t_minus)


def _uniform_inside(dist: Uniform, n: int, generator: torch.Generator) -> torch.Tensor:
    low, high = dist.low.detach(), dist.high.detach()
    return low + (high - low) * torch.rand((n, *low.shape), generator=generator, dtype=low.dtype)


@register_weak_derivative(Uniform, "high")
def _uniform_high(dist: Uniform, n: int, generator: torch.Generator, coupled: bool) -> WeakTriple:
    low, high = dist.low.detach(), dist.high.detach()
    return WeakTriple(1.0 / (high - low), high.expand((n, *high.shape)), _uniform_inside(dist, n, generator))


@register_weak_derivative(Uniform, "low")
def _uniform_low(dist: Uniform, n: int, generator: torch.Generator, coupled: bool) -> WeakTriple:
    low, high = dist.low.detach(), dist.high.detach()
    return WeakTriple(1.0 / (high - low), _uniform_inside(dist, n, generator), low.expand((n, *low.shape)))
