"""Weak derivatives of θ-free pushforwards T(X): the triple of X, mapped through T.

If x = T(y) with y ~ q_θ and T free of θ, then E_{p_θ}[f] = E_{q_θ}[f∘T], so (c, T#q⁺, T#q⁻) is a
weak derivative of p_θ. LogNormal(μ, σ) = exp of Normal(μ, σ).
"""

from __future__ import annotations

import torch
from torch.distributions import LogNormal, TransformedDistribution

from weakgrad.weak.registry import WeakTriple, register_weak_derivative, weak_derivative


def _pushforward(dist: TransformedDistribution, param: str, n: int, generator: torch.Generator,
                 coupled: bool) -> WeakTriple:
    base = dist.base_dist
    triple = weak_derivative(type(base), param)(base, n, generator, coupled)
    plus, minus = triple.plus, triple.minus
    for transform in dist.transforms:
        plus, minus = transform(plus), transform(minus)
    return WeakTriple(triple.constant, plus, minus)


@register_weak_derivative(LogNormal, "loc")
def _lognormal_loc(dist: LogNormal, n: int, generator: torch.Generator, coupled: bool) -> WeakTriple:
    return _pushforward(dist, "loc", n, generator, coupled)


@register_weak_derivative(LogNormal, "scale")
def _lognormal_scale(dist: LogNormal, n: int, generator: torch.Generator, coupled: bool) -> WeakTriple:
    return _pushforward(dist, "scale", n, generator, coupled)
