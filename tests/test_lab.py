"""The lab's metrics on cases with known answers, equal budgets, and the BBOB adapter."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import weakgrad as wg
from conftest import Z, generator
from weakgrad import lab

LINEAR = wg.problems.Problem("linear", lambda x: x @ torch.tensor([1.0, -2.0], dtype=x.dtype),
                             lambda m, s: m @ torch.tensor([1.0, -2.0], dtype=m.dtype))


def test_error_metrics_by_hand():
    estimates = torch.tensor([[1.0, 0.0], [3.0, 0.0]])
    m = lab.error_metrics(estimates, torch.tensor([1.0, 0.0]))
    assert m["bias"] == pytest.approx(1.0)
    assert m["variance"] == pytest.approx(2.0)  # var of (1, 3) with divisor R − 1
    assert m["mse"] == pytest.approx(2.0)  # (0 + 4) / 2
    assert m["rel_mse"] == pytest.approx(2.0)
    assert m["cosine"] == pytest.approx(1.0)


def test_lab_variance_of_coupled_mvd_on_linear_f_matches_theory():
    """One sample per estimate (budget 4 in 2-D): variance = (4/π − 1)·‖a‖², bias = 0."""
    loc, scale = torch.zeros(2, dtype=torch.float64), torch.ones(2, dtype=torch.float64)
    repeats = 4000
    (record,) = lab.compare(LINEAR, loc, scale, {"mvd": lab.make_estimator("mvd", ["loc"])}, [4], repeats,
                            generator(0))
    assert record["num_samples"] == 1 and record["evaluations"] == 4
    theory = (4 / math.pi - 1) * 5.0
    # the variance estimate's standard error: a sum of two independent coordinates' sample variances
    per_coordinate = (4 / math.pi - 1) * torch.tensor([1.0, 4.0])
    kurtosis_r = 3.245  # E[(R − E R)⁴] / Var(R)², Rayleigh
    se = math.sqrt(float(((kurtosis_r - 1) * per_coordinate**2).sum()) / repeats)
    assert abs(record["variance"] - theory) <= Z * se
    assert record["bias"] <= Z * math.sqrt(theory / repeats)
    assert record["rel_mse"] == pytest.approx(record["mse"] / 5.0)


def test_equal_budgets_and_too_small_budget():
    loc, scale = torch.zeros(3, dtype=torch.float64), torch.ones(3, dtype=torch.float64)
    ests = {n: lab.make_estimator(n, ["loc"]) for n in ("sf-rloo", "antithetic", "mvd", "mvd-k1")}
    records = lab.compare(wg.problems.sphere, loc, scale, ests, [12, 25], 3, generator(1))
    for r in records:
        assert r["evaluations"] <= r["budget"]
    by = {(r["estimator"], r["budget"]): r for r in records}
    assert by["mvd", 12]["num_samples"] == 2 and by["mvd", 25]["num_samples"] == 4
    assert by["antithetic", 25]["num_samples"] == 24  # pairs: the largest even number that fits
    assert by["mvd-k1", 25]["num_samples"] == 12
    with pytest.raises(ValueError, match="budget 5 is too small for one estimate of mvd at d=3; it needs at least 6"):
        lab.compare(wg.problems.sphere, loc, scale, ests, [5], 3, generator(1))


def test_reference_gradient_without_closed_form_has_a_standard_error():
    loc, scale = torch.full((3,), 0.5, dtype=torch.float64), torch.full((3,), 0.3, dtype=torch.float64)
    truth = lab.true_gradient(wg.problems.ackley, loc, scale, ["loc"], generator(2), reference_evaluations=50_000)
    assert not truth.exact and bool((truth.se > 0).all())
    g = wg.grad(wg.problems.ackley, torch.distributions.Normal(loc, scale), wg.MeasureValued(parameters=["loc"]),
                num_samples=20_000, generator=generator(3))
    combined_se = (g.per_sample["loc"].std(0) ** 2 / 20_000 + truth.se**2).sqrt()
    assert bool(((g["loc"] - truth.gradient).abs() <= Z * combined_se).all())


def test_unknown_estimator_lists_valid_names():
    with pytest.raises(ValueError, match="unknown estimator 'mvd2'; valid: sf, sf-mean"):
        lab.make_estimator("mvd2")


def test_bbob_matches_cocoex():
    cocoex = pytest.importorskip("cocoex")
    problem = wg.problems.get("bbob_f8_i2", 4)
    bare = cocoex.BareProblem("bbob", 8, 4, 2)
    points = torch.randn((5, 4), generator=generator(4), dtype=torch.float64)
    expected = [bare(row) for row in points.numpy()]
    assert np.allclose(problem(points).numpy(), expected, rtol=0, atol=0)
    assert problem.f_opt == bare.best_value()
    assert float(problem(problem.minimum(4).reshape(1, 4))[0]) == pytest.approx(problem.f_opt)
    with pytest.raises(ValueError, match="BBOB function must be an integer in 1..24"):
        wg.problems.bbob(25, 2)
    with pytest.raises(ValueError, match="needs a dimension"):
        wg.problems.get("bbob_f1")


def test_bbob_dimension_limit():
    with pytest.raises(ValueError, match=r"BBOB dimension must be an int in 1..40"):
        wg.problems.bbob(15, 100)
