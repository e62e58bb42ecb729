"""The weak-derivative registry, keyed by (distribution class, parameter name).

A weak derivative (Pflug 1989) of p_θ with respect to a scalar θ is a triple (c, p⁺, p⁻) with
∇_θ p_θ(x) = c_θ (p⁺_θ(x) − p⁻_θ(x)), so that

    ∇_θ E_{p_θ}[f] = c_θ (E_{p⁺}[f] − E_{p⁻}[f]).

For a factorised distribution, θ_i only touches coordinate x_i; an entry therefore returns, for each
coordinate (and each extra parameter component, e.g. the K logits of a Categorical), the constant and
draws of the replacement value of that coordinate under p⁺ and p⁻. Registration and lookup follow
``torch.distributions.kl``: lookup walks the class hierarchy and is cached; a miss raises
``NotImplementedError`` naming every supported pair.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch.distributions import Distribution

__all__ = ["WeakTriple", "register_weak_derivative", "supported_pairs", "weak_derivative"]


@dataclass(frozen=True)
class WeakTriple:
    """Samples of one weak derivative for every coordinate of a factorised distribution.

    Attributes:
        constant: c, shape ``(*batch_shape, *extra)``; ``extra`` is ``()`` except for parameters
            with a trailing dimension (Categorical logits: ``(K,)``).
        plus: draws of the coordinate under p⁺, shape ``(n, *batch_shape, *extra)``.
        minus: draws of the coordinate under p⁻, same shape as ``plus``.
    """

    constant: torch.Tensor
    plus: torch.Tensor
    minus: torch.Tensor


#: (dist, num_samples, generator, coupled) -> WeakTriple
WeakSampler = Callable[[Distribution, int, torch.Generator, bool], WeakTriple]

_REGISTRY: dict[tuple[type[Distribution], str], WeakSampler] = {}


def register_weak_derivative(dist_class: type[Distribution], param: str) -> Callable[[WeakSampler], WeakSampler]:
    """Decorator registering the weak derivative of ``dist_class`` with respect to ``param``.

    The decorated function takes ``(dist, num_samples, generator, coupled)`` and returns a
    :class:`WeakTriple`. With ``coupled=True`` the draws under p⁺ and p⁻ share randomness (common
    random numbers); with ``coupled=False`` they are independent.
    """
    if not (isinstance(dist_class, type) and issubclass(dist_class, Distribution)):
        raise TypeError(f"dist_class must be a subclass of torch Distribution, got {dist_class!r}")

    def decorator(fn: WeakSampler) -> WeakSampler:
        _REGISTRY[dist_class, param] = fn
        _lookup.cache_clear()
        return fn

    return decorator


def supported_pairs() -> list[tuple[str, str]]:
    """Every registered (family, parameter) pair, sorted."""
    return sorted((cls.__name__, param) for cls, param in _REGISTRY)


@functools.cache
def _lookup(dist_class: type[Distribution], param: str) -> WeakSampler | None:
    for cls in dist_class.__mro__:
        if (cls, param) in _REGISTRY:
            return _REGISTRY[cls, param]
    return None


def weak_derivative(dist_class: type[Distribution], param: str) -> WeakSampler:
    """The registered weak derivative for ``(dist_class, param)``, searching base classes too."""
    fn = _lookup(dist_class, param)
    if fn is None:
        pairs = ", ".join(f"{family}.{name}" for family, name in supported_pairs())
        raise NotImplementedError(
            f"No measure-valued derivative is registered for {dist_class.__name__}.{param}. "
            f"Supported: {pairs}. For other parameters (Gamma concentration, Beta, Dirichlet, "
            "StudentT have no known closed-form triple) use weakgrad.ScoreFunction."
        )
    return fn
