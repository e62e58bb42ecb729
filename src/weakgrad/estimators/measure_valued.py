"""The measure-valued derivative (MVD, weak derivative) for factorised distributions.

For parameter θ_i of coordinate i with weak derivative (c_i, p⁺_i, p⁻_i),

    ∂J/∂θ_i = c_i (E[f(x with x_i ~ p⁺_i)] − E[f(x with x_i ~ p⁻_i)]),   x ~ p_θ,

(Pflug 1989; Mohamed et al. 2020, §6). One sample of the estimator draws a base point x and, for each
coordinate i, evaluates f at x with x_i replaced by a draw from p⁺_i and from p⁻_i: 2 evaluations per
coordinate, per parameter (per component, for the K logits of a Categorical). With ``coordinates=k``
each sample uses an unbiased random subset of k of the d coordinates, scaled by d/k.

Points are produced in chunks of ``max_batch`` by :meth:`Query.chunks`: memory is O(n·d), never
an n × d × d tensor.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch.distributions import Distribution

from weakgrad.distributions import parameters, point_shape, sample, unwrap
from weakgrad.estimators.base import Estimator, Gradient, Query
from weakgrad.weak import weak_derivative

__all__ = ["MeasureValued", "checked_names", "components", "coordinate_gradient", "coordinate_query"]


@dataclass(frozen=True)
class _Block:
    """The ± points of one parameter: ``values`` ``(n, C, P, 2)`` replace coordinate ``coords[j, c]``."""

    name: str
    constant: torch.Tensor  # (D, P)
    values: torch.Tensor  # (n, C, P, 2)
    param_shape: torch.Size

    @property
    def size(self) -> int:
        return self.values.numel()


@dataclass(frozen=True)
class _State:
    base: torch.Tensor  # (n, D) base points, flattened
    coords: torch.Tensor  # (n, C) the coordinates each sample differentiates
    blocks: tuple[_Block, ...]
    shape: torch.Size  # point shape
    scale: float  # d / C for a uniformly random subset of C coordinates, 1 otherwise


def check_factorised(base: Distribution, who: str) -> int:
    """The number of coordinates d of a factorised distribution of scalar coordinates, else ``ValueError``."""
    if base.event_shape != torch.Size():
        raise ValueError(
            f"{who} needs a factorised distribution of scalar coordinates; {type(base).__name__} has "
            f"event_shape {tuple(base.event_shape)}. Wrap a univariate family in Independent instead."
        )
    return max(1, math.prod(base.batch_shape))


def coordinate_query(dist: Distribution, names: Sequence[str], coords: torch.Tensor, generator: torch.Generator,
                     coupled: bool = True, stratified: bool = False, scale: float = 1.0) -> Query:
    """The MVD query for the coordinates ``coords`` ``(n, C)`` of each of n base samples.

    Per sample j, parameter and coordinate i = coords[j, c]: two points, x_j with x_{j,i} replaced by a
    draw from p⁺_i and from p⁻_i. Read the estimate with :func:`coordinate_gradient`, which multiplies
    by ``scale`` (d/C when the coordinates are a uniformly random subset).
    """
    base = unwrap(dist)
    d = check_factorised(base, "the measure-valued derivative")
    n = coords.shape[0]
    x = sample(base, n, generator).reshape(n, d)
    rows = torch.arange(n).unsqueeze(1)
    options = {"stratified": True} if stratified else {}
    blocks = []
    for name in names:
        sampler = weak_derivative(type(base), name)
        try:
            triple = sampler(base, n, generator, coupled, **options)
        except TypeError:
            if not stratified:
                raise
            raise ValueError(f"stratified draws are implemented for the Normal only, not {type(base).__name__}.{name}"
                             ) from None
        constant = triple.constant.detach().reshape(d, -1)
        p = constant.shape[1]
        pair = torch.stack([triple.plus.reshape(n, d, p), triple.minus.reshape(n, d, p)], -1)
        blocks.append(_Block(name, constant, pair[rows, coords], parameters(base)[name].shape))
    state = _State(x, coords, tuple(blocks), point_shape(dist), scale)
    total = sum(b.size for b in blocks)
    return Query(total, state.shape, lambda start, stop: _points(state, start, stop), state,
                 fill_points=lambda start, stop, out: _points(state, start, stop, out))


def coordinate_gradient(query: Query, values: torch.Tensor) -> Gradient:
    """The MVD estimate from the values at a :func:`coordinate_query`'s points; zero off the chosen coordinates."""
    state: _State = query.state
    values = values.detach()
    n, d = state.base.shape
    per_sample, offset = {}, 0
    for block in state.blocks:
        v = values[offset: offset + block.size].reshape(block.values.shape).to(block.constant.dtype)
        offset += block.size
        contribution = block.constant[state.coords] * (v[..., 0] - v[..., 1]) * state.scale  # (n, C, P)
        full = torch.zeros((n, d, block.constant.shape[1]), dtype=contribution.dtype)
        full.scatter_(1, state.coords.unsqueeze(-1).expand_as(contribution), contribution)
        per_sample[block.name] = full.reshape((n, *block.param_shape))
    return Gradient.from_per_sample(per_sample, query.num_points, values)


class MeasureValued(Estimator):
    """Measure-valued derivative estimator.

    Args:
        coupled: draw p⁺ and p⁻ from common random numbers (see the registry entries).
        coordinates: ``None`` for all d coordinates, or an int k ≤ d: a uniformly random subset of k
            coordinates per sample, the estimate scaled by d/k (unbiased, 2k evaluations per sample).
        parameters: names of the parameters to differentiate (default: all of the family's).
        stratified: Normal only: stratify the Rayleigh and Maxwell draws across the n samples (one
            uniform per stratum [j/n, (j+1)/n), randomly permuted per coordinate). Each draw keeps its law,
            so the mean stays unbiased; the per-sample estimates are then not independent.

    Cost: ``2 · n · C · Σ_params P`` evaluations (C = d or k, P = 1 except K for Categorical logits).
    """

    def __init__(self, coupled: bool = True, coordinates: int | None = None,
                 parameters: Sequence[str] | None = None, stratified: bool = False) -> None:
        if coordinates is not None and (isinstance(coordinates, bool) or not isinstance(coordinates, int)
                                        or coordinates < 1):
            raise ValueError(f"coordinates must be None or a positive int, got {coordinates!r}")
        self.coupled = bool(coupled)
        self.coordinates = coordinates
        self.parameters = None if parameters is None else tuple(parameters)
        self.stratified = bool(stratified)
        self.name = ("mvd" + ("" if coupled else "-uncoupled") + ("-stratified" if stratified else "")
                     + ("" if coordinates is None else f"-k{coordinates}"))

    def __repr__(self) -> str:
        return (f"MeasureValued(coupled={self.coupled}, coordinates={self.coordinates}, "
                f"parameters={self.parameters}, stratified={self.stratified})")

    def _names(self, base: Distribution) -> list[str]:
        return checked_names(base, self.parameters)

    def _num_coords(self, base: Distribution) -> int:
        d = max(1, math.prod(base.batch_shape))
        if self.coordinates is None:
            return d
        if self.coordinates > d:
            raise ValueError(f"coordinates={self.coordinates} exceeds the dimension d={d} of the distribution")
        return self.coordinates

    def evaluations(self, dist: Distribution, num_samples: int) -> int:
        base = unwrap(dist)
        return 2 * num_samples * self._num_coords(base) * components(base, self._names(base))

    def _ask(self, dist: Distribution, num_samples: int, generator: torch.Generator) -> Query:
        base = unwrap(dist)
        d = check_factorised(base, "MeasureValued")
        names = self._names(base)
        n, c = num_samples, self._num_coords(base)
        if c == d:
            coords = torch.arange(d).expand(n, d)
        else:
            coords = torch.rand((n, d), generator=generator).argsort(1)[:, :c]
        return coordinate_query(dist, names, coords, generator, self.coupled, self.stratified, d / c)

    def _tell(self, query: Query, values: torch.Tensor) -> Gradient:
        return coordinate_gradient(query, values)


def checked_names(base: Distribution, requested: Sequence[str] | None) -> list[str]:
    """The parameters to differentiate (default: all of the family's), each with a registered weak derivative."""
    available = parameters(base)
    names = list(available) if requested is None else list(requested)
    for name in names:
        if name not in available:
            raise ValueError(f"{type(base).__name__} has no parameter {name!r}; valid: {sorted(available)}")
        weak_derivative(type(base), name)  # raises the registry's error early
    return names


def components(base: Distribution, names: Sequence[str]) -> int:
    """Parameter components per coordinate, summed over ``names`` (1 each, K for Categorical logits)."""
    params = parameters(base)
    batch = max(1, math.prod(base.batch_shape))
    return sum(max(1, params[k].numel() // batch) for k in names)


def _points(state: _State, start: int, stop: int, out: torch.Tensor | None = None) -> torch.Tensor:
    """Points ``start:stop`` of the query: base rows with one coordinate replaced. ``(m, *shape)``.

    Written into ``out`` (at least ``m`` points, reused across chunks) when given, else into new memory.
    """
    m, d = stop - start, state.base.shape[1]
    if out is None:
        rows = torch.empty((m, d), dtype=state.base.dtype)
    else:
        rows = out.reshape(-1)[: m * d].view(m, d)
    offset = filled = 0
    for block in state.blocks:
        lo, hi = max(start, offset), min(stop, offset + block.size)
        if lo < hi:
            index = torch.arange(lo - offset, hi - offset)
            _, c, p, _ = block.values.shape
            sample_index = index // (c * p * 2)
            coord = state.coords[sample_index, (index // (p * 2)) % c]
            target = rows[filled: filled + hi - lo]
            torch.index_select(state.base, 0, sample_index, out=target)
            target[torch.arange(hi - lo), coord] = block.values.reshape(-1)[index].to(rows.dtype)
            filled += hi - lo
        offset += block.size
    return rows.view((m, *state.shape))
