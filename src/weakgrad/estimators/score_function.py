"""The score-function (REINFORCE, likelihood-ratio) estimator with baselines and antithetic pairs.

    ∇_θ E_{p_θ}[f] = E[(f(x) − b) ∇_θ log p_θ(x)],   x ~ p_θ

(Williams 1992; Mohamed et al. 2020, §4). With ``antithetic=True`` (Normal only) the samples come in
mirrored pairs μ ± σε (Salimans et al. 2017); for the loc this gives the OpenAI-ES estimator
(f(μ+σε) − f(μ−σε)) ε / (2σ). Baselines are computed leaving out the sample's own pair, so they
stay unbiased (see :mod:`weakgrad.estimators.baselines`).

With ``orthogonal=True`` the directions ε of a call are orthogonal in blocks of d, each scaled by an
independent chi_d norm, so every ε is still N(0, I) in law (structured ES, Choromanski et al. 2018) but the
directions cover the space evenly. Pairs are then dependent, so only baselines that do not look at the
current batch (None, MovingAverage) keep the estimate unbiased.
"""

from __future__ import annotations

import math

import torch
from torch.distributions import Distribution, Normal

from weakgrad.distributions import expanded_leaves, parameters, sample, unwrap
from weakgrad.estimators.base import Estimator, Gradient, Query, materialised_query
from weakgrad.estimators.baselines import BASELINES, MovingAverage, baseline_values

__all__ = ["ScoreFunction"]


def orthogonal_gaussians(m: int, shape: torch.Size, generator: torch.Generator, dtype: torch.dtype) -> torch.Tensor:
    """``(m, *shape)`` draws, each N(0, I) in law, orthogonal within blocks of d = prod(shape) rows."""
    d = max(1, math.prod(shape))
    blocks = []
    for start in range(0, m, d):
        rows = min(d, m - start)
        q, r = torch.linalg.qr(torch.randn((d, d), generator=generator, dtype=dtype))
        q = q * torch.where(torch.diagonal(r) < 0, -1.0, 1.0)  # Haar-distributed rotation
        norms = torch.randn((rows, d), generator=generator, dtype=dtype).norm(dim=1, keepdim=True)  # chi_d
        blocks.append(q.T[:rows] * norms)
    return torch.cat(blocks).reshape((m, *shape))


def _support_depends_on_parameters(dist: Distribution) -> bool:
    """Whether a bound of the support is one of the differentiable parameters (Uniform, Pareto ...)."""
    support = dist.support
    bounds = [getattr(support, name, None) for name in ("lower_bound", "upper_bound")]
    return any(b is p for b in bounds if isinstance(b, torch.Tensor) for p in parameters(dist).values())


class ScoreFunction(Estimator):
    """Score-function estimator; one evaluation of f per sample, for all parameters at once.

    Args:
        baseline: ``None``, ``"mean"``, ``"leave_one_out"`` (RLOO), ``"optimal"`` (per coordinate) or a
            :class:`~weakgrad.MovingAverage`.
        antithetic: draw mirrored pairs μ ± σε (Normal distributions only; ``num_samples`` must be even).
        orthogonal: with ``antithetic``, orthogonal directions within blocks of d (structured ES).

    Example:
        >>> import torch, weakgrad as wg
        >>> dist = torch.distributions.Normal(torch.zeros(3), torch.ones(3))
        >>> g = wg.grad(lambda x: x.sum(-1), dist, wg.ScoreFunction(baseline="leave_one_out"),
        ...             num_samples=64, generator=torch.Generator().manual_seed(0))
        >>> g["loc"].shape, g.evaluations
        (torch.Size([3]), 64)
    """

    def __init__(self, baseline: str | MovingAverage | None = None, antithetic: bool = False,
                 orthogonal: bool = False) -> None:
        if not (isinstance(baseline, MovingAverage) or baseline in BASELINES):
            raise ValueError(
                f"unknown baseline {baseline!r}; valid: None, 'mean', 'leave_one_out', 'optimal', MovingAverage(decay)"
            )
        if orthogonal and not antithetic:
            raise ValueError("orthogonal directions are drawn as antithetic pairs: pass antithetic=True")
        if orthogonal and baseline in ("mean", "leave_one_out", "optimal"):
            raise ValueError(f"baseline {baseline!r} uses the other pairs of the batch, which orthogonal sampling "
                             "makes dependent (biased); use None or MovingAverage(decay)")
        self.baseline = baseline
        self.antithetic = bool(antithetic)
        self.orthogonal = bool(orthogonal)
        suffix = {None: "", "mean": "-mean", "leave_one_out": "-rloo", "optimal": "-optimal"}
        self.name = ("antithetic" + ("-orthogonal" if orthogonal else "") if antithetic else "sf") + (
            "-ma" if isinstance(baseline, MovingAverage) else suffix[baseline]  # type: ignore[index]
        )

    def __repr__(self) -> str:
        return f"ScoreFunction(baseline={self.baseline!r}, antithetic={self.antithetic}, orthogonal={self.orthogonal})"

    def evaluations(self, dist: Distribution, num_samples: int) -> int:
        return num_samples

    def valid_num_samples(self, num_samples: int) -> bool:
        group = 2 if self.antithetic else 1
        least = 2 * group if self.baseline in ("leave_one_out", "optimal") else group
        return num_samples >= least and num_samples % group == 0

    def _ask(self, dist: Distribution, num_samples: int, generator: torch.Generator) -> Query:
        base = unwrap(dist)
        if _support_depends_on_parameters(base):
            raise ValueError(
                f"the score function is biased for {type(base).__name__}: its support depends on its parameters "
                "(the boundary term is missing). Use weakgrad.MeasureValued() instead."
            )
        if self.antithetic and not isinstance(base, Normal):
            raise ValueError(f"antithetic sampling mirrors around the mean of a Normal; got {type(base).__name__}")
        if not self.valid_num_samples(num_samples):
            raise ValueError(
                f"{self!r} cannot use num_samples={num_samples}: "
                + ("antithetic sampling needs an even number of samples; " if self.antithetic else "")
                + ("a leave-one-out or optimal baseline needs at least two independent groups of samples"
                   if self.baseline in ("leave_one_out", "optimal") else "")
            )
        if self.antithetic:
            loc, scale = base.loc.detach(), base.scale.detach()
            if self.orthogonal:
                eps = orthogonal_gaussians(num_samples // 2, loc.shape, generator, loc.dtype)
            else:
                eps = torch.randn((num_samples // 2, *loc.shape), generator=generator, dtype=loc.dtype)
            points = torch.stack([loc + scale * eps, loc - scale * eps], 1).reshape(num_samples, *loc.shape)
            points = points.reshape((num_samples, *dist.batch_shape, *dist.event_shape))
        else:
            points = sample(dist, num_samples, generator)
        return materialised_query(points, dist)

    def _tell(self, query: Query, values: torch.Tensor) -> Gradient:
        dist: Distribution = query.state
        points = query.points
        n = points.shape[0]
        values = values.detach().to(next(iter(parameters(dist).values())).dtype)
        leaves, rebuilt = expanded_leaves(dist, n)
        log_prob = rebuilt.log_prob(points)  # (n, *batch_shape): Independent only regroups these dimensions
        names = list(leaves)
        scores = dict(zip(names, torch.autograd.grad(log_prob.sum(), [leaves[k] for k in names]), strict=True))
        group_size = 2 if self.antithetic else 1
        groups = torch.arange(n) // group_size
        per_sample = {}
        for name, score in scores.items():
            b = baseline_values(self.baseline, values, score, groups, n // group_size)
            column = values.reshape((n,) + (1,) * (score.dim() - 1))
            per_sample[name] = (column - b) * score
        if isinstance(self.baseline, MovingAverage):
            self.baseline.update(float(values.mean()))
        return Gradient.from_per_sample(per_sample, n, values)
