"""Closed forms for every estimator: constant, linear and quadratic f; known single-sample variances."""

from __future__ import annotations

import math

import pytest
import torch
from torch.distributions import Independent, Normal

import weakgrad as wg
from conftest import Z, assert_within_se, generator

LOC = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64)
SCALE = torch.tensor([0.3, 1.0, 2.0], dtype=torch.float64)
A = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64)

ESTIMATORS = [
    wg.ScoreFunction(),
    wg.ScoreFunction(baseline="mean"),
    wg.ScoreFunction(baseline="leave_one_out"),
    wg.ScoreFunction(baseline="optimal"),
    wg.ScoreFunction(baseline="leave_one_out", antithetic=True),
    wg.ScoreFunction(baseline="optimal", antithetic=True),
    wg.Pathwise(),
    wg.MeasureValued(),
    wg.MeasureValued(coupled=False),
    wg.MeasureValued(coordinates=2),
]
IDS = [repr(e) for e in ESTIMATORS]


def _dist() -> Independent:
    return Independent(Normal(LOC, SCALE), 1)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=IDS)
def test_constant_f_has_zero_gradient(estimator):
    g = wg.grad(lambda x: torch.full((x.shape[0],), 3.0, dtype=x.dtype) + 0 * x.sum(-1), _dist(), estimator,
                num_samples=2000, generator=generator(1))
    for name in ("loc", "scale"):
        assert_within_se(g.per_sample[name], 0.0, what=name)
    if isinstance(estimator, wg.MeasureValued | wg.Pathwise) or estimator.baseline == "leave_one_out":
        assert torch.equal(g["loc"], torch.zeros(3, dtype=torch.float64))  # exactly, not just in expectation


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=IDS)
def test_linear_f(estimator):
    g = wg.grad(lambda x: x @ A, _dist(), estimator, num_samples=4000, generator=generator(2))
    assert_within_se(g.per_sample["loc"], A, what="loc")
    assert_within_se(g.per_sample["scale"], 0.0, what="scale")


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=IDS)
def test_quadratic_f(estimator):
    g = wg.grad(lambda x: (x**2).sum(-1), _dist(), estimator, num_samples=8000, generator=generator(3))
    assert_within_se(g.per_sample["loc"], 2 * LOC, what="loc")
    assert_within_se(g.per_sample["scale"], 2 * SCALE, what="scale")


def test_mean_baseline_is_biased_by_n_minus_one_over_n():
    """The batch-mean baseline shrinks the gradient by (n−1)/n; RLOO removes it (documented, and checked)."""
    n, reps = 2, 3000
    f = lambda x: x @ A  # noqa: E731
    sf = wg.ScoreFunction(baseline="mean")
    gen = generator(4)
    per_call = torch.stack([wg.grad(f, _dist(), sf, num_samples=n, generator=gen)["loc"] for _ in range(reps)])
    assert_within_se(per_call, A * (n - 1) / n, what="mean baseline")
    with pytest.raises(AssertionError):  # and the bias is large enough to be seen at this sample size
        assert_within_se(per_call, A)


def test_pathwise_on_linear_f_is_exact_per_sample():
    g = wg.grad(lambda x: x @ A, _dist(), wg.Pathwise(), num_samples=5, generator=generator(5))
    assert torch.allclose(g.per_sample["loc"], A.expand(5, 3))


def _assert_variance(per_sample: torch.Tensor, theory: torch.Tensor) -> None:
    n = per_sample.shape[0]
    variance = per_sample.var(0)
    centred = per_sample - per_sample.mean(0)
    se_of_variance = ((centred**4).mean(0) - variance**2).sqrt() / math.sqrt(n)
    assert bool(((variance - theory).abs() <= Z * se_of_variance).all()), (variance, theory)


def test_coupled_mvd_single_sample_loc_variance_on_linear_f():
    """Coupled MVD on f = a·x: each per-sample loc estimate is a·2R/√(2π), variance (4/π − 1)·a²."""
    g = wg.grad(lambda x: x @ A, _dist(), wg.MeasureValued(parameters=["loc"]), num_samples=100_000,
                generator=generator(6))
    _assert_variance(g.per_sample["loc"], (4 / math.pi - 1) * A**2)


def test_uncoupled_mvd_single_sample_loc_variance_on_linear_f():
    """Independent R₁, R₂: the estimate is a·(R₁ + R₂)/√(2π), variance (2/π − 1/2)·a² — half the coupled one.

    Common random numbers help the even part of f and hurt the odd part; see the next test.
    """
    g = wg.grad(lambda x: x @ A, _dist(), wg.MeasureValued(coupled=False, parameters=["loc"]), num_samples=100_000,
                generator=generator(7))
    _assert_variance(g.per_sample["loc"], (2 / math.pi - 0.5) * A**2)


def test_coupled_mvd_cancels_the_even_part_exactly():
    """f symmetric about the loc: f(μ + σR) = f(μ − σR), so every coupled per-sample loc estimate is 0."""
    g = wg.grad(lambda x: ((x - LOC) ** 2).sum(-1), _dist(), wg.MeasureValued(parameters=["loc"]), num_samples=50,
                generator=generator(8))
    assert torch.allclose(g.per_sample["loc"], torch.zeros(50, 3, dtype=torch.float64), atol=1e-12)


def test_random_coordinates_cost_and_support():
    """coordinates=k spends 2k evaluations per parameter per sample and touches k coordinates per sample."""
    est = wg.MeasureValued(coordinates=2)
    g = wg.grad(lambda x: x @ A, _dist(), est, num_samples=10, generator=generator(9))
    assert g.evaluations == 10 * 2 * 2 * 2 == est.evaluations(_dist(), 10)
    assert bool(((g.per_sample["loc"] != 0).sum(1) == 2).all())


def test_moving_average_baseline_carries_state_and_stays_unbiased():
    baseline = wg.MovingAverage(decay=0.5)
    est = wg.ScoreFunction(baseline=baseline)
    gen = generator(10)
    per_call = []
    for _ in range(3000):
        per_call.append(wg.grad(lambda x: x @ A + 10.0, _dist(), est, num_samples=4, generator=gen)["loc"])
    assert baseline.value is not None and abs(baseline.value - (10.0 + float(A @ LOC))) < 3.0
    assert_within_se(torch.stack(per_call), A, what="moving average")


def test_cross_estimator_agreement_on_rosenbrock():
    """All estimators agree with the exact smoothed Rosenbrock gradient (non-polynomial in x_i · x_{i+1})."""
    loc, scale = torch.tensor([-1.0, 1.0, 0.5]), torch.tensor([0.1, 0.3, 0.2])
    exact = wg.problems.rosenbrock.smoothed_gradient(loc, scale)
    for seed, est in enumerate(ESTIMATORS):
        g = wg.grad(wg.problems.rosenbrock, Normal(loc, scale), est, num_samples=20_000, generator=generator(seed))
        for name in ("loc", "scale"):
            assert_within_se(g.per_sample[name], exact[name], what=f"{est!r} {name}")
