"""Weak (measure-valued) derivatives of torch distributions: the registry and its entries.

Registered pairs: Normal loc/scale; LogNormal loc/scale; Laplace loc/scale; Cauchy loc; Uniform low/high;
Exponential rate; Gamma rate; Weibull scale; Bernoulli probs; Categorical logits; Poisson rate;
Binomial probs; Geometric probs. ``supported_pairs()`` lists them at run time.
"""

from weakgrad.weak import discrete, location_scale, normal, positive, pushforward  # noqa: F401  (registers)
from weakgrad.weak.registry import WeakTriple, register_weak_derivative, supported_pairs, weak_derivative
from weakgrad.weak.samplers import double_sided_maxwell, rayleigh

__all__ = [
    "WeakTriple",
    "double_sided_maxwell",
    "rayleigh",
    "register_weak_derivative",
    "supported_pairs",
    "weak_derivative",
]
