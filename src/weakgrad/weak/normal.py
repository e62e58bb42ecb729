"""Weak derivatives of the Normal N(μ, σ²) (Mohamed et al. 2020, §6.2, Table 2).

loc μ:    c = 1/(σ√(2π)),  p⁺ = μ + σR,  p⁻ = μ − σR,        R ~ Rayleigh(1) (the same R when coupled)
scale σ:  c = 1/σ,         p⁺ = μ + σM,  p⁻ = N(μ, σ²),      M ~ double-sided Maxwell;
          coupled p⁻ = μ + σ·U·M with U ~ U(0, 1), which is N(μ, σ²) in law.

Both entries accept ``stratified=True``: R (resp. |M|) stratified across the n samples.
"""

from __future__ import annotations

import math

import torch
from torch.distributions import Normal

from weakgrad._random import uniform
from weakgrad.weak.registry import WeakTriple, register_weak_derivative
from weakgrad.weak.samplers import double_sided_maxwell, rayleigh


@register_weak_derivative(Normal, "loc")
def _normal_loc(dist: Normal, n: int, generator: torch.Generator, coupled: bool,
                stratified: bool = False) -> WeakTriple:
    loc, scale = dist.loc.detach(), dist.scale.detach()
    shape = (n, *loc.shape)
    r_plus = rayleigh(shape, generator, loc.dtype, stratified)
    r_minus = r_plus if coupled else rayleigh(shape, generator, loc.dtype, stratified)
    return WeakTriple(1.0 / (scale * math.sqrt(2.0 * math.pi)), loc + scale * r_plus, loc - scale * r_minus)


@register_weak_derivative(Normal, "scale")
def _normal_scale(dist: Normal, n: int, generator: torch.Generator, coupled: bool,
                  stratified: bool = False) -> WeakTriple:
    loc, scale = dist.loc.detach(), dist.scale.detach()
    shape = (n, *loc.shape)
    m = double_sided_maxwell(shape, generator, loc.dtype, stratified)
    if coupled:
        z = uniform(shape, generator, loc.dtype) * m
    else:
        z = torch.randn(shape, generator=generator, dtype=loc.dtype)
    return WeakTriple(1.0 / scale, loc + scale * m, loc + scale * z)
