"""Weak derivatives of families on (0, ∞): Exponential, Gamma (rate), Weibull (torch's scale).

Exponential(λ) rate: c = 1/λ, p⁺ = Exp(λ), p⁻ = Gamma(2, λ); coupled x⁺ = U·G, x⁻ = G, G ~ Gamma(2, λ)
    (U·G ~ Exp(λ) for U ~ U(0, 1) independent of G).
Gamma(a, λ) rate:    c = a/λ, p⁺ = Gamma(a, λ), p⁻ = Gamma(a+1, λ); coupled x⁻ = x⁺ + E/λ, E ~ Exp(1).
Weibull: torch's density is (k/λ)(x/λ)^{k−1} exp(−(x/λ)^k). In rate form θ = λ^{−k} the triple is
    c = 1/θ, p⁺ = W, p⁻ = Gamma(2, θ)^{1/k}; by the chain rule (dθ/dλ = −kλ^{−k−1}) the triple for
    the scale λ is c = k/λ, p⁺ = Gamma(2, θ)^{1/k} = λ·G^{1/k}, p⁻ = W = λ·(U·G)^{1/k}, G ~ Gamma(2, 1).
"""

from __future__ import annotations

import torch
from torch.distributions import Exponential, Gamma, Weibull

from weakgrad._random import standard_gamma, uniform
from weakgrad.weak.registry import WeakTriple, register_weak_derivative
from weakgrad.weak.samplers import standard_exponential


def _gamma2(shape: tuple[int, ...], generator: torch.Generator, dtype: torch.dtype) -> torch.Tensor:
    return standard_exponential(shape, generator, dtype) + standard_exponential(shape, generator, dtype)


@register_weak_derivative(Exponential, "rate")
def _exponential_rate(dist: Exponential, n: int, generator: torch.Generator, coupled: bool) -> WeakTriple:
    rate = dist.rate.detach()
    shape = (n, *rate.shape)
    g = _gamma2(shape, generator, rate.dtype) / rate
    if coupled:
        plus = uniform(shape, generator, rate.dtype) * g
    else:
        plus = standard_exponential(shape, generator, rate.dtype) / rate
    return WeakTriple(1.0 / rate, plus, g)


@register_weak_derivative(Gamma, "rate")
def _gamma_rate(dist: Gamma, n: int, generator: torch.Generator, coupled: bool) -> WeakTriple:
    a, rate = dist.concentration.detach(), dist.rate.detach()
    shape = (n, *rate.shape)
    plus = standard_gamma(a.expand(shape).contiguous(), generator) / rate
    if coupled:
        minus = plus + standard_exponential(shape, generator, rate.dtype) / rate
    else:
        minus = standard_gamma((a + 1.0).expand(shape).contiguous(), generator) / rate
    return WeakTriple(a / rate, plus, minus)


@register_weak_derivative(Weibull, "scale")
def _weibull_scale(dist: Weibull, n: int, generator: torch.Generator, coupled: bool) -> WeakTriple:
    scale, k = dist.scale.detach(), dist.concentration.detach()
    shape = (n, *scale.shape)
    g = _gamma2(shape, generator, scale.dtype)
    if coupled:
        exponential = uniform(shape, generator, scale.dtype) * g
    else:
        exponential = standard_exponential(shape, generator, scale.dtype)
    return WeakTriple(k / scale, scale * g.pow(1.0 / k), scale * exponential.pow(1.0 / k))
