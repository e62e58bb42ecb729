"""What weakgrad needs to know about a torch distribution: its parameters and how to rebuild it.

The estimators differentiate with respect to one *canonical* parameterisation per family
(``loc``/``scale`` for the Normal, ``probs`` for the Bernoulli, ``logits`` for the Categorical ...).
Whatever the user built the distribution from (logits, a log-scale, a network's output) is
reached by the chain rule through :func:`weakgrad.surrogate`: the canonical attribute of a torch
distribution is a differentiable function of the tensors it was made from.

Batch dimensions of a torch distribution are independent by definition. We use that to get
per-sample score functions in one backward pass: rebuilding the distribution from parameters
expanded to ``(n, *param_shape)`` makes sample ``j`` depend on its own copy of the parameters only.
"""

from __future__ import annotations

from collections.abc import Mapping

import torch
from torch.distributions import (
    Bernoulli,
    Beta,
    Binomial,
    Categorical,
    Cauchy,
    Distribution,
    Exponential,
    Gamma,
    Geometric,
    Independent,
    Laplace,
    LogNormal,
    Normal,
    Poisson,
    StudentT,
    Uniform,
    Weibull,
)

from weakgrad._random import forked_rng

__all__ = ["CANONICAL_PARAMETERS", "parameters", "point_shape", "rebuild", "sample", "unwrap"]

#: family -> (differentiable parameters, fixed constructor arguments)
CANONICAL_PARAMETERS: Mapping[type[Distribution], tuple[tuple[str, ...], tuple[str, ...]]] = {
    Normal: (("loc", "scale"), ()),
    LogNormal: (("loc", "scale"), ()),
    Laplace: (("loc", "scale"), ()),
    Cauchy: (("loc", "scale"), ()),
    StudentT: (("df", "loc", "scale"), ()),
    Uniform: (("low", "high"), ()),
    Exponential: (("rate",), ()),
    Gamma: (("concentration", "rate"), ()),
    Weibull: (("scale", "concentration"), ()),
    Beta: (("concentration1", "concentration0"), ()),
    Bernoulli: (("probs",), ()),
    Geometric: (("probs",), ()),
    Binomial: (("probs",), ("total_count",)),
    Categorical: (("logits",), ()),
    Poisson: (("rate",), ()),
}


def unwrap(dist: Distribution) -> Distribution:
    """Strip ``Independent`` wrappers: weakgrad treats every batch dimension as part of the point."""
    if not isinstance(dist, Distribution):
        raise TypeError(f"dist must be a torch.distributions.Distribution, got {type(dist).__name__}")
    while isinstance(dist, Independent):
        dist = dist.base_dist
    return dist


def point_shape(dist: Distribution) -> torch.Size:
    """Shape of one point x handed to f: ``batch_shape + event_shape``."""
    return dist.batch_shape + dist.event_shape


def _family(dist: Distribution) -> tuple[tuple[str, ...], tuple[str, ...]]:
    for cls in type(dist).__mro__:
        if cls in CANONICAL_PARAMETERS:
            return CANONICAL_PARAMETERS[cls]
    names = tuple(n for n in dist.arg_constraints if n in vars(dist))
    if not names:
        supported = ", ".join(sorted(c.__name__ for c in CANONICAL_PARAMETERS))
        raise NotImplementedError(
            f"weakgrad does not know the parameters of {type(dist).__name__}; supported families: "
            f"{supported}, or any distribution whose arg_constraints names are its constructor arguments."
        )
    return names, ()


def parameters(dist: Distribution) -> dict[str, torch.Tensor]:
    """The canonical parameters of ``dist`` (after :func:`unwrap`), as the distribution holds them.

    Each tensor has shape ``batch_shape + extra`` (``extra = (K,)`` for Categorical logits).
    """
    dist = unwrap(dist)
    names, _ = _family(dist)
    return {name: getattr(dist, name) for name in names}


def rebuild(dist: Distribution, params: Mapping[str, torch.Tensor]) -> Distribution:
    """A distribution of the same family as ``unwrap(dist)`` made from ``params``.

    Parameters not in ``params`` and the fixed constructor arguments are taken from ``dist``;
    fixed arguments are expanded to the leading shape of the new parameters when needed.
    """
    dist = unwrap(dist)
    names, fixed = _family(dist)
    kwargs = {name: params.get(name, getattr(dist, name)) for name in names}
    lead = next(iter(params.values())).shape
    for name in fixed:
        value = getattr(dist, name)
        if isinstance(value, torch.Tensor):
            value = value.expand(lead[: len(lead) - value.dim()] + value.shape)
        kwargs[name] = value
    return type(dist)(**kwargs, validate_args=False)  # copies of parameters the caller's distribution validated


def expanded_leaves(dist: Distribution, num_samples: int) -> tuple[dict[str, torch.Tensor], Distribution]:
    """Per-sample copies of the canonical parameters as autograd leaves, and the rebuilt distribution.

    Each leaf has shape ``(num_samples, *param_shape)``; ``log_prob`` of sample ``j`` under the returned
    distribution depends on row ``j`` only, so one backward pass yields per-sample gradients.
    """
    leaves = {
        name: value.detach().expand((num_samples, *value.shape)).clone().requires_grad_(True)
        for name, value in parameters(dist).items()
    }
    return leaves, rebuild(dist, leaves)


def sample(dist: Distribution, num_samples: int, generator: torch.Generator) -> torch.Tensor:
    """``num_samples`` draws of shape ``(num_samples, *point_shape(dist))``, from ``generator`` only."""
    with forked_rng(generator), torch.no_grad():
        return dist.sample((num_samples,))


def rsample(dist: Distribution, generator: torch.Generator,
            sample_shape: torch.Size | tuple[int, ...] = ()) -> torch.Tensor:
    """A reparameterised draw (differentiable in the parameters), from ``generator`` only."""
    with forked_rng(generator):
        return dist.rsample(sample_shape)
