"""MVD of a diagonal Normal's loc along random orthonormal directions in whitened coordinates.

With z = (x − μ)/σ ~ N(0, I) and a unit vector u, z = (u·z) u + z_⊥ where u·z ~ N(0, 1) is independent
of z_⊥. The weak derivative of the Normal loc along u (Rayleigh R, constant 1/√(2π)) therefore gives

    δ_u = (f(μ + σ⊙(z_⊥ + R u)) − f(μ + σ⊙(z_⊥ − R u))) / √(2π),   E[δ_u] = u · (σ ⊙ ∇_μ J).

For k random orthonormal directions U = (u_1 … u_k) (Haar, so E[U Uᵀ] = (k/d) I),
(d/k) Σ_l δ_{u_l} u_l is unbiased for σ ⊙ ∇_μ J; dividing by σ gives ∇_μ J. The coordinate basis is one
choice of U; a random basis spreads every direction's information over all coordinates.
"""

from __future__ import annotations

import math

import torch
from torch.distributions import Distribution, Normal

from weakgrad.distributions import unwrap
from weakgrad.estimators.base import Estimator, Gradient, Query
from weakgrad.weak.samplers import rayleigh

__all__ = ["RandomBasisMVD", "haar_orthonormal"]


def haar_orthonormal(batch: int, d: int, k: int, generator: torch.Generator, dtype: torch.dtype) -> torch.Tensor:
    """``(batch, d, k)``: k orthonormal columns, uniformly distributed (QR of a Gaussian matrix, signs fixed)."""
    q, r = torch.linalg.qr(torch.randn((batch, d, k), generator=generator, dtype=dtype))
    signs = torch.sign(torch.diagonal(r, dim1=-2, dim2=-1))
    return q * torch.where(signs == 0, 1.0, signs).unsqueeze(-2)


class RandomBasisMVD(Estimator):
    """Coupled MVD of a diagonal Normal's loc along k random orthonormal directions per sample.

    Args:
        directions: k ≤ d directions per sample (``None``: k = d, a random rotation of the coordinate basis).

    Cost: 2·k evaluations per sample. Memory: the directions, n·d·k numbers. Estimates ``loc`` only.
    """

    def __init__(self, directions: int | None = None) -> None:
        if directions is not None and (isinstance(directions, bool) or not isinstance(directions, int)
                                       or directions < 1):
            raise ValueError(f"directions must be None or a positive int, got {directions!r}")
        self.directions = directions
        self.name = "mvd-basis" + ("" if directions is None else f"-k{directions}")

    def __repr__(self) -> str:
        return f"RandomBasisMVD(directions={self.directions})"

    def _k(self, dist: Distribution) -> tuple[Normal, int, int]:
        base = unwrap(dist)
        if not isinstance(base, Normal):
            raise ValueError(f"RandomBasisMVD needs a (diagonal) Normal; got {type(base).__name__}")
        d = max(1, math.prod(base.batch_shape))
        k = d if self.directions is None else self.directions
        if k > d:
            raise ValueError(f"directions={k} exceeds the dimension d={d}")
        return base, d, k

    def evaluations(self, dist: Distribution, num_samples: int) -> int:
        return 2 * num_samples * self._k(dist)[2]

    def _ask(self, dist: Distribution, num_samples: int, generator: torch.Generator) -> Query:
        base, d, k = self._k(dist)
        n = num_samples
        loc, scale = base.loc.detach().reshape(d), base.scale.detach().reshape(d)
        z = torch.randn((n, d), generator=generator, dtype=loc.dtype)
        u = haar_orthonormal(n, d, k, generator, loc.dtype)  # (n, d, k)
        radius = rayleigh((n, k), generator, loc.dtype)
        projection = torch.einsum("nd,ndk->nk", z, u)
        shape = dist.batch_shape + dist.event_shape

        def make(start: int, stop: int) -> torch.Tensor:
            index = torch.arange(start, stop)
            j, direction, sign = index // (2 * k), (index // 2) % k, 1.0 - 2.0 * (index % 2).to(loc.dtype)
            coefficient = sign * radius[j, direction] - projection[j, direction]
            points = loc + scale * (z[j] + coefficient.unsqueeze(1) * u[j, :, direction])
            return points.reshape((stop - start, *shape))

        return Query(2 * n * k, shape, make, (u, scale, d, k, base.loc.shape))

    def _tell(self, query: Query, values: torch.Tensor) -> Gradient:
        u, scale, d, k, loc_shape = query.state
        pairs = values.detach().to(u.dtype).reshape(u.shape[0], k, 2)
        delta = (pairs[..., 0] - pairs[..., 1]) / math.sqrt(2 * math.pi)  # (n, k)
        whitened = (d / k) * torch.einsum("nk,ndk->nd", delta, u)
        per_sample = (whitened / scale).reshape((u.shape[0], *loc_shape))
        return Gradient.from_per_sample({"loc": per_sample}, query.num_points, values)
