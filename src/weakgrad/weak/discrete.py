"""Weak derivatives of discrete families (derivations in docs/maths.md).

Bernoulli(p) probs:       c = 1,          p⁺ = δ₁, p⁻ = δ₀.
Categorical logits z_k:   c = p_k(1−p_k), p⁺ = δ_k, p⁻ = Cat(p restricted to j ≠ k).
Poisson(λ) rate:          c = 1,          p⁺ = X + 1, p⁻ = X, X ~ Poisson(λ) (a shift, not Poisson(λ+1)).
Binomial(m, p) probs:     c = m,          p⁺ = 1 + Bin(m−1, p), p⁻ = Bin(m−1, p).
Geometric(p) probs, support {0, 1, …}: c = 1/p, p⁺ = Geom(p), p⁻ = 1 + NegBin(2, p);
                          coupled p⁻ = 1 + G₁ + G₂ with p⁺ = G₁.
"""

from __future__ import annotations

import torch
from torch.distributions import Bernoulli, Binomial, Categorical, Geometric, Poisson

from weakgrad._random import uniform
from weakgrad.weak.registry import WeakTriple, register_weak_derivative


@register_weak_derivative(Bernoulli, "probs")
def _bernoulli_probs(dist: Bernoulli, n: int, generator: torch.Generator, coupled: bool) -> WeakTriple:
    p = dist.probs.detach()
    shape = (n, *p.shape)
    return WeakTriple(torch.ones_like(p), torch.ones(shape, dtype=p.dtype), torch.zeros(shape, dtype=p.dtype))


@register_weak_derivative(Categorical, "logits")
def _categorical_logits(dist: Categorical, n: int, generator: torch.Generator, coupled: bool) -> WeakTriple:
    p = dist.probs.detach()  # (*B, K)
    k = p.shape[-1]
    eye = torch.eye(k, dtype=torch.bool)
    others = p.unsqueeze(-2).masked_fill(eye, 0.0)  # (*B, K, K): row k is p with class k removed
    total = others.sum(-1, keepdim=True)
    cdf = (others / total.clamp_min(torch.finfo(p.dtype).tiny)).cumsum(-1)
    u_shape = (n, *p.shape[:-1], 1 if coupled else k)
    u = uniform(u_shape, generator, p.dtype).expand((n, *p.shape))
    cdf = cdf.expand((n, *cdf.shape)).contiguous()
    minus = torch.searchsorted(cdf, u.unsqueeze(-1).contiguous()).squeeze(-1).clamp_max(k - 1)
    plus = torch.arange(k).expand((n, *p.shape))
    # where p_k = 1 there is no other class; c = 0 there, so any value is fine
    minus = torch.where(total.squeeze(-1) > 0, minus, plus)
    return WeakTriple(p * (1.0 - p), plus, minus)


@register_weak_derivative(Poisson, "rate")
def _poisson_rate(dist: Poisson, n: int, generator: torch.Generator, coupled: bool) -> WeakTriple:
    rate = dist.rate.detach()
    rates = rate.expand((n, *rate.shape)).contiguous()
    x = torch.poisson(rates, generator=generator)
    x_minus = x if coupled else torch.poisson(rates, generator=generator)
    return WeakTriple(torch.ones_like(rate), x + 1.0, x_minus)


@register_weak_derivative(Binomial, "probs")
def _binomial_probs(dist: Binomial, n: int, generator: torch.Generator, coupled: bool) -> WeakTriple:
    p = dist.probs.detach()
    m = dist.total_count.detach().to(p.dtype).expand(p.shape)
    if bool((m < 1).any()):
        raise ValueError("the measure-valued derivative of Binomial(total_count, probs) needs total_count >= 1")
    counts = (m - 1.0).expand((n, *p.shape)).contiguous()
    probs = p.expand((n, *p.shape)).contiguous()
    x = torch.binomial(counts, probs, generator=generator)
    x_minus = x if coupled else torch.binomial(counts, probs, generator=generator)
    return WeakTriple(m.clone(), x + 1.0, x_minus)


def _geometric(p: torch.Tensor, shape: tuple[int, ...], generator: torch.Generator) -> torch.Tensor:
    """Failures before the first success: floor(log U / log(1 − p))."""
    u = uniform(shape, generator, p.dtype)
    return torch.floor(torch.log(u) / torch.log1p(-p))


@register_weak_derivative(Geometric, "probs")
def _geometric_probs(dist: Geometric, n: int, generator: torch.Generator, coupled: bool) -> WeakTriple:
    p = dist.probs.detach()
    shape = (n, *p.shape)
    g1 = _geometric(p, shape, generator)
    base = g1 if coupled else _geometric(p, shape, generator)
    minus = 1.0 + base + _geometric(p, shape, generator)
    return WeakTriple(1.0 / p, g1, minus)
