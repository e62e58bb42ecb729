"""Named optimiser configurations for equal-budget comparisons, including the peers people would pick.

All search-gradient peers use the same update (natural gradient, centred ranks, the same step sizes), so
they differ only in the gradient estimator:

- ``mvd``: stratified coupled MVD of loc and scale.
- ``mvd-loc``: stratified coupled MVD of the loc only, σ fixed (half the evaluations per step).
- ``openai-es``: antithetic score function (mirrored pairs; Salimans et al. 2017).
- ``pgpe``: symmetric (antithetic) sampling with the per-coordinate optimal baseline (Sehnke et al. 2010).
- ``auto``: the Auto hybrid.
- ``cma``: CMA-ES from pycma (``pip install cma``), an outside reference.

Every name maps to an object with ``ask``/``tell``/``stop``/``result``-like use through :func:`make_optimizer`.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from weakgrad.estimators import Auto, MeasureValued, ScoreFunction
from weakgrad.optim.search_gradient import SearchGradient

__all__ = ["PEERS", "CMAAdapter", "make_optimizer"]


def _search(estimator_factory, **fixed):
    def build(x0, sigma0, seed: int, max_evaluations: int, target: float | None, **options):
        return SearchGradient(x0, sigma0, estimator_factory(), seed=seed, max_evaluations=max_evaluations,
                              target=target, **fixed, **options)

    return build


class CMAAdapter:
    """pycma's CMA-ES behind the same ask/tell/stop/result interface (torch tensors in and out)."""

    def __init__(self, x0, sigma0, seed: int, max_evaluations: int, target: float | None,
                 popsize: int | None = None) -> None:
        try:
            import cma
        except ImportError as error:  # pragma: no cover - depends on the environment
            raise ImportError("the cma peer needs pycma: pip install cma") from error
        options = {"seed": seed + 1, "maxfevals": max_evaluations, "verbose": -9, "verb_log": 0,
                   "verb_disp": 0, "tolflatfitness": 10**9}
        if target is not None:
            options["ftarget"] = target
        if popsize is not None:
            options["popsize"] = popsize
        x0 = np.asarray(torch.as_tensor(x0, dtype=torch.float64), dtype=float)
        self._es = cma.CMAEvolutionStrategy(x0, float(np.mean(sigma0)), options)
        self._points: list | None = None

    def ask(self) -> torch.Tensor:
        self._points = self._es.ask()
        return torch.as_tensor(np.asarray(self._points), dtype=torch.float64)

    def tell(self, points: torch.Tensor, values) -> None:
        self._es.tell(self._points, [float(v) for v in torch.as_tensor(values)])

    def stop(self) -> dict:
        return dict(self._es.stop())

    @property
    def evaluations(self) -> int:
        return int(self._es.countevals)

    @property
    def mean(self) -> torch.Tensor:
        return torch.as_tensor(np.asarray(self._es.mean), dtype=torch.float64)

    @property
    def best_f(self) -> float:
        best = self._es.result.fbest
        return math.inf if best is None else float(best)


PEERS = {
    "mvd": _search(lambda: MeasureValued(stratified=True)),
    "mvd-loc": _search(lambda: MeasureValued(stratified=True, parameters=["loc"]), learn_sigma=False),
    "openai-es": _search(lambda: ScoreFunction(antithetic=True)),
    "pgpe": _search(lambda: ScoreFunction(baseline="optimal", antithetic=True)),
    "auto": _search(lambda: Auto()),
    "cma": CMAAdapter,
}


def make_optimizer(name: str, x0, sigma0, seed: int = 0, max_evaluations: int = 10_000,
                   target: float | None = None, **options):
    """The optimiser called ``name`` (one of ``PEERS``), minimising from ``x0`` with step size ``sigma0``."""
    if name not in PEERS:
        raise ValueError(f"unknown optimizer {name!r}; valid: {', '.join(PEERS)}")
    return PEERS[name](x0, sigma0, seed=seed, max_evaluations=max_evaluations, target=target, **options)
