"""Ask/tell search-gradient optimisers: a search distribution whose parameters follow an estimated gradient.

Minimise J(θ) = E_{x ~ p_θ}[f(x)] by a torch optimiser on θ, fed with any weakgrad estimator's estimate of
∇_θ J (Wierstra et al., "Natural Evolution Strategies", JMLR 2014; Salimans et al. 2017). The interface
follows pycma: ``ask() -> points``, ``tell(points, values)``, ``stop()``, ``result``.

- :class:`SearchGradient`: a diagonal Normal N(μ, diag(σ²)) on R^d; μ and log σ are the optimised
  parameters (∂J/∂log σ = σ ∂J/∂σ).
- :class:`BernoulliSearch`: independent bits with probabilities sigmoid(z); z is optimised
  (∂J/∂z = p(1 − p) ∂J/∂p; MVD is exact here: δ₁ against δ₀).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch.distributions import Bernoulli, Distribution, Normal

from weakgrad.estimators import Estimator, MeasureValued, Query
from weakgrad.optim.shaping import SHAPINGS

__all__ = ["BernoulliSearch", "Result", "SearchGradient"]

# "natural": SGD on the natural gradient (Fisher-preconditioned), the separable-NES update
_OPTIMIZERS = {"adam": torch.optim.Adam, "sgd": torch.optim.SGD, "natural": torch.optim.SGD}


@dataclass(frozen=True)
class Result:
    """Best point and value seen, what was spent, and why the run stopped (empty while running)."""

    x: torch.Tensor
    f: float
    evaluations: int
    iterations: int
    stop: dict[str, str]
    mean: torch.Tensor


class _AskTell:
    """The shared ask/tell loop; subclasses supply the distribution and how a gradient reaches θ."""

    def __init__(self, estimator: Estimator, num_samples: int | None, budget_per_step: int | None,
                 optimizer: str, lr: float, fitness_shaping: str | None, seed: int,
                 max_evaluations: int | None, target: float | None, patience: int | None) -> None:
        if not isinstance(estimator, Estimator):
            raise TypeError(f"estimator must be a weakgrad Estimator, got {estimator!r}")
        if optimizer not in _OPTIMIZERS:
            raise ValueError(f"unknown optimizer {optimizer!r}; valid: {', '.join(_OPTIMIZERS)}")
        if fitness_shaping not in SHAPINGS:
            raise ValueError(f"unknown fitness_shaping {fitness_shaping!r}; valid: None, 'centered_ranks'")
        if not lr > 0:
            raise ValueError(f"lr must be > 0, got {lr}")
        if num_samples is not None and budget_per_step is not None:
            raise ValueError("give num_samples or budget_per_step, not both")
        self.estimator = estimator
        self.natural = optimizer == "natural"
        self.shaping = SHAPINGS[fitness_shaping]
        self.generator = torch.Generator().manual_seed(seed)
        self.max_evaluations, self.target, self.patience = max_evaluations, target, patience
        dist = self.distribution()
        if num_samples is None:
            least = next(n for n in range(1, 64) if estimator.valid_num_samples(n))
            budget = budget_per_step if budget_per_step is not None else max(
                4 + int(3 * math.log(self.dimension)), estimator.evaluations(dist, least))
            num_samples = estimator.samples_for_budget(dist, budget)
            if num_samples == 0:
                raise ValueError(f"budget_per_step={budget} is too small for one estimate of {estimator!r}")
        self.num_samples = num_samples
        self.optimizer = _OPTIMIZERS[optimizer](self.parameters(), lr=lr)
        self.evaluations = self.iterations = 0
        self.best_x: torch.Tensor | None = None
        self.best_f = math.inf
        self._since_improvement = 0
        self._query: Query | None = None
        self._points: torch.Tensor | None = None

    # hooks
    dimension: int

    def distribution(self) -> Distribution: ...

    def parameters(self) -> list[torch.Tensor]: ...

    def _apply(self, gradient) -> None: ...

    def _collapsed(self) -> bool:
        return False

    def ask(self) -> torch.Tensor:
        """The points to evaluate next, ``(m, d)``."""
        self._query = self.estimator.ask(self.distribution(), self.num_samples, self.generator)
        self._points = self._query.points.detach()
        return self._points.clone()

    def tell(self, points: torch.Tensor, values: torch.Tensor | Sequence[float]) -> None:
        """f's ``values`` ``(m,)`` at the ``points`` of the last :meth:`ask`; one optimiser step."""
        if self._query is None or self._points is None:
            raise RuntimeError("tell() before ask(): call ask() first")
        points = torch.as_tensor(points, dtype=self._points.dtype)
        if points.shape != self._points.shape or not torch.equal(points, self._points):
            raise ValueError(f"tell() must receive the points of the last ask(), shape {tuple(self._points.shape)}; "
                             f"got shape {tuple(points.shape)}" + ("" if points.shape != self._points.shape
                                                                    else " with different values"))
        values = torch.as_tensor(values, dtype=torch.float64).reshape(-1)
        if values.shape != (points.shape[0],):
            raise ValueError(f"values must have shape ({points.shape[0]},), one per point; got {tuple(values.shape)}")
        if not bool(torch.isfinite(values).all()):
            raise ValueError("values contain NaN or inf; minimisation needs finite values")
        best = int(values.argmin())
        if float(values[best]) < self.best_f:
            self.best_f, self.best_x = float(values[best]), points[best].clone()
            self._since_improvement = 0
        else:
            self._since_improvement += 1
        shaped = self.shaping(values) if self.shaping is not None else values
        gradient = self.estimator.tell(self._query, shaped)
        self.optimizer.zero_grad()
        self._apply(gradient)
        self.optimizer.step()
        self.evaluations += points.shape[0]
        self.iterations += 1
        self._query = self._points = None

    def stop(self) -> dict[str, str]:
        """Why to stop, if at all: ``budget``, ``target``, ``sigma`` (collapse) or ``stagnation``."""
        reasons = {}
        if self.max_evaluations is not None and self.evaluations >= self.max_evaluations:
            reasons["budget"] = f"{self.evaluations} evaluations ≥ max_evaluations={self.max_evaluations}"
        if self.target is not None and self.best_f <= self.target:
            reasons["target"] = f"best f {self.best_f:.6g} ≤ target {self.target:.6g}"
        if self._collapsed():
            reasons["sigma"] = "the search distribution collapsed"
        if self.patience is not None and self._since_improvement >= self.patience:
            reasons["stagnation"] = f"no improvement of the best f in {self.patience} iterations"
        return reasons

    @property
    def result(self) -> Result:
        x = self.best_x if self.best_x is not None else self.mean.clone()
        return Result(x, self.best_f, self.evaluations, self.iterations, self.stop(), self.mean.clone())

    @property
    def mean(self) -> torch.Tensor:
        return self.distribution().mean.detach()


def _vector(value, name: str, d: int | None = None) -> torch.Tensor:
    t = torch.as_tensor(value, dtype=torch.float64).detach().clone().reshape(-1)
    if d is not None and t.numel() == 1:
        t = t.expand(d).clone()
    if t.numel() == 0 or (d is not None and t.numel() != d):
        raise ValueError(f"{name} must have {d if d is not None else 'at least one'} entries, got {t.numel()}")
    if not bool(torch.isfinite(t).all()):
        raise ValueError(f"{name} contains NaN or inf: {t.tolist()}")
    return t


class SearchGradient(_AskTell):
    """Minimise a black box f on R^d with a diagonal Normal search distribution.

    Args:
        x0: the initial mean, ``(d,)``.
        sigma0: the initial standard deviation(s), > 0 (a scalar or ``(d,)``).
        estimator: any weakgrad estimator (default: stratified coupled MVD).
        num_samples / budget_per_step: samples per step, or evaluations per step (default: at least
            4 + 3 ln d evaluations and one estimate).
        optimizer: ``"natural"`` (default: SGD on the natural gradient, σ²·∂J/∂μ and ½·∂J/∂log σ — the
            separable-NES update, scale-free and linearly convergent), ``"adam"`` or ``"sgd"`` (torch.optim
            on μ and log σ directly).
        lr: step size of μ (default 4 for natural, measured on sphere/ellipsoid/BBOB f1 in 10-D, else 0.1);
            ``sigma_lr``: of log σ (default 0.5 for natural, else lr / 2).
        learn_sigma: update σ too (the estimator must estimate ``scale``).
        fitness_shaping: ``"centered_ranks"`` (default) or ``None`` (raw values).
        seed: of the generator behind every draw.
        max_evaluations, target, sigma_min, patience: stop criteria (see :meth:`stop`).

    Example:
        >>> import weakgrad as wg
        >>> es = wg.optim.SearchGradient([1.0, -1.0], 0.5, seed=0, max_evaluations=2000)
        >>> while not es.stop():
        ...     x = es.ask()
        ...     es.tell(x, wg.problems.sphere(x))
        >>> es.result.f < 1e-3
        True
    """

    def __init__(self, x0, sigma0, estimator: Estimator | None = None, *, num_samples: int | None = None,
                 budget_per_step: int | None = None, optimizer: str = "natural", lr: float | None = None,
                 sigma_lr: float | None = None, learn_sigma: bool = True,
                 fitness_shaping: str | None = "centered_ranks",
                 seed: int = 0, max_evaluations: int | None = None, target: float | None = None,
                 sigma_min: float = 1e-12, patience: int | None = None) -> None:
        self.loc = _vector(x0, "x0").requires_grad_(True)
        self.dimension = self.loc.numel()
        sigma = _vector(sigma0, "sigma0", self.dimension)
        if not bool((sigma > 0).all()):
            raise ValueError(f"sigma0 must be > 0, got {sigma.tolist()}")
        self.log_sigma = sigma.log().requires_grad_(learn_sigma)
        self.learn_sigma = learn_sigma
        self.sigma_min = sigma_min
        natural = optimizer == "natural"
        lr = lr if lr is not None else (4.0 if natural else 0.1)
        self.sigma_lr = sigma_lr if sigma_lr is not None else (0.5 if natural else lr / 2)
        estimator = estimator if estimator is not None else MeasureValued(stratified=True)
        super().__init__(estimator, num_samples, budget_per_step, optimizer, lr, fitness_shaping, seed,
                         max_evaluations, target, patience)

    def distribution(self) -> Normal:
        return Normal(self.loc.detach(), self.log_sigma.detach().exp(), validate_args=False)  # finite by construction

    def parameters(self) -> list:
        groups = [{"params": [self.loc]}]
        if self.learn_sigma:
            groups.append({"params": [self.log_sigma], "lr": self.sigma_lr})
        return groups

    def _apply(self, gradient) -> None:
        sigma = self.log_sigma.detach().exp()
        # natural gradient of a diagonal Normal: Fisher 1/σ² for μ and 2 for log σ (Wierstra et al. 2014)
        self.loc.grad = gradient["loc"].to(self.loc.dtype).reshape(self.loc.shape) * (sigma**2 if self.natural else 1)
        if self.learn_sigma:
            if "scale" not in gradient:
                raise ValueError(f"{self.estimator!r} does not estimate the scale; pass learn_sigma=False")
            grad_log_sigma = (gradient["scale"].to(torch.float64) * sigma).reshape(-1)
            self.log_sigma.grad = grad_log_sigma / 2 if self.natural else grad_log_sigma

    def _collapsed(self) -> bool:
        return float(self.log_sigma.detach().exp().max()) < self.sigma_min

    @property
    def sigma(self) -> torch.Tensor:
        return self.log_sigma.detach().exp()


class BernoulliSearch(_AskTell):
    """Minimise f over bit strings {0, 1}^d with independent Bernoulli(sigmoid(z)) bits.

    The default estimator is MVD, exact per coordinate (f with bit i set minus f with it cleared).
    ``sigma``-collapse becomes: every probability within ``p_min`` of 0 or 1.
    """

    def __init__(self, num_bits: int, estimator: Estimator | None = None, *, p0: float = 0.5,
                 num_samples: int | None = None, budget_per_step: int | None = None, optimizer: str = "adam",
                 lr: float = 0.3, fitness_shaping: str | None = None, seed: int = 0,
                 max_evaluations: int | None = None, target: float | None = None, p_min: float = 1e-3,
                 patience: int | None = None) -> None:
        if isinstance(num_bits, bool) or not isinstance(num_bits, int) or num_bits < 1:
            raise ValueError(f"num_bits must be a positive int, got {num_bits!r}")
        if not 0 < p0 < 1:
            raise ValueError(f"p0 must lie in (0, 1), got {p0}")
        self.dimension = num_bits
        self.logits = torch.full((num_bits,), math.log(p0 / (1 - p0)), dtype=torch.float64, requires_grad=True)
        self.p_min = p_min
        super().__init__(estimator if estimator is not None else MeasureValued(), num_samples, budget_per_step,
                         optimizer, lr, fitness_shaping, seed, max_evaluations, target, patience)

    def distribution(self) -> Bernoulli:
        return Bernoulli(logits=self.logits.detach(), validate_args=False)

    def parameters(self) -> list:
        return [self.logits]

    def _apply(self, gradient) -> None:
        p = torch.sigmoid(self.logits.detach())
        self.logits.grad = gradient["probs"].to(torch.float64) * p * (1 - p)

    def _collapsed(self) -> bool:
        p = torch.sigmoid(self.logits.detach())
        return bool((torch.minimum(p, 1 - p) < self.p_min).all())
