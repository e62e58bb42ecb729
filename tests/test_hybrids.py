"""The hybrid and structured estimators: unbiased on exact smoothed problems, exact evaluation counts, seeds.

Estimators whose per-sample rows are not independent (stratified draws, orthogonal directions, hybrids)
are judged over independent calls: the mean of R call-level estimates against the exact gradient, in
standard errors of that mean.
"""

from __future__ import annotations

import zlib

import pytest
import torch
from torch.distributions import Normal

import weakgrad as wg
from conftest import assert_within_se, generator
from weakgrad import lab

D = 6
LOC = torch.linspace(-1.2, 0.9, D, dtype=torch.float64)
SCALE = torch.linspace(0.2, 0.6, D, dtype=torch.float64)
PROBLEMS = [wg.problems.rosenbrock, wg.problems.rastrigin, wg.problems.ellipsoid]


def _hybrids():
    return {
        "auto": (wg.Auto(parameters=["loc"], explore_every=3), 48),
        "convex": (wg.ConvexCombined(top_k=2, mvd_samples=2, parameters=["loc"]), 16),
        "convex-antithetic": (wg.ConvexCombined(top_k=2, score_function=wg.ScoreFunction(
            "leave_one_out", antithetic=True), parameters=["loc"]), 16),
        "mvd-basis": (wg.RandomBasisMVD(), 4),
        "mvd-basis-k2": (wg.RandomBasisMVD(directions=2), 4),
        "antithetic-orthogonal": (wg.ScoreFunction(antithetic=True, orthogonal=True), 16),
        "antithetic-orthogonal-blocks": (wg.ScoreFunction(antithetic=True, orthogonal=True), 30),
        "mvd-stratified": (wg.MeasureValued(parameters=["loc", "scale"], stratified=True), 5),
    }


@pytest.mark.parametrize("problem", PROBLEMS, ids=lambda p: p.name)
@pytest.mark.parametrize("label", list(_hybrids()))
def test_unbiased_over_independent_calls(label, problem):
    estimator, n = _hybrids()[label]
    exact = problem.smoothed_gradient(LOC, SCALE)
    gen = generator(zlib.crc32(f"{label}/{problem.name}".encode()))
    calls = [wg.grad(problem, Normal(LOC, SCALE), estimator, num_samples=n, generator=gen) for _ in range(1500)]
    for name in calls[0]:
        assert_within_se(torch.stack([g[name] for g in calls]), exact[name], what=f"{label} {name}")


@pytest.mark.parametrize("label", list(_hybrids()))
def test_reported_evaluations_equal_points_received(label):
    estimator, n = _hybrids()[label]
    received = []

    def counting(x):
        received.append(x.shape[0])
        return wg.problems.rosenbrock(x)

    gen = generator(1)
    for _ in range(4):  # later calls of the adaptive hybrids use other allocations
        received.clear()
        g = wg.grad(counting, Normal(LOC, SCALE), estimator, num_samples=n, generator=gen, max_batch=7)
        assert sum(received) == g.evaluations
        assert g.evaluations <= estimator.evaluations(Normal(LOC, SCALE), n)


@pytest.mark.parametrize("label", list(_hybrids()))
def test_same_seed_same_result(label):
    def run():
        estimator, n = _hybrids()[label]  # fresh state for each run
        gen = generator(2)
        return [wg.grad(wg.problems.rastrigin, Normal(LOC, SCALE), estimator, num_samples=n, generator=gen)["loc"]
                for _ in range(3)]

    for a, b in zip(run(), run(), strict=True):
        assert torch.equal(a, b)


def test_auto_learns_to_spend_on_mvd_where_it_pays():
    """On Rastrigin at σ = 0.1 (stratified MVD far less noisy per evaluation than the score functions), Auto's
    leader becomes MVD and its exploit calls spend the whole budget there."""
    auto = wg.Auto(parameters=["loc"])
    dist = Normal(LOC, torch.full((D,), 0.1, dtype=torch.float64))
    gen = generator(3)
    for _ in range(10):
        query = auto.ask(dist, 96, gen)
        auto.tell(query, wg.evaluate(wg.problems.rastrigin, query))
    assert auto.leader(dist) == "mvd"
    parts = auto.ask(dist, 96, gen).state[0]
    assert [p.name for p in parts] == ["mvd"] and len(parts[0].halves) == 1


def test_orthogonal_directions_are_orthogonal():
    from weakgrad.estimators.score_function import orthogonal_gaussians

    eps = orthogonal_gaussians(5, torch.Size([5]), generator(4), torch.float64)
    gram = eps @ eps.T
    assert torch.allclose(gram - torch.diag(torch.diagonal(gram)), torch.zeros(5, 5, dtype=torch.float64), atol=1e-10)


def test_bad_arguments():
    with pytest.raises(ValueError, match="antithetic=True"):
        wg.ScoreFunction(orthogonal=True)
    with pytest.raises(ValueError, match="makes dependent"):
        wg.ScoreFunction("leave_one_out", antithetic=True, orthogonal=True)
    with pytest.raises(ValueError, match="mvd_samples must be an int ≥ 2"):
        wg.ConvexCombined(mvd_samples=1)
    with pytest.raises(ValueError, match="top_k=9 exceeds the dimension d=6"):
        wg.grad(wg.problems.sphere, Normal(LOC, SCALE), wg.ConvexCombined(top_k=9), num_samples=4,
                generator=generator())
    with pytest.raises(ValueError, match="needs a \\(diagonal\\) Normal"):
        wg.grad(lambda x: x.sum(-1), torch.distributions.Laplace(LOC, SCALE), wg.RandomBasisMVD(), num_samples=1,
                generator=generator())
    with pytest.raises(ValueError, match="stratified draws are implemented for the Normal only"):
        wg.grad(lambda x: x.sum(-1), torch.distributions.Laplace(LOC, SCALE), wg.MeasureValued(stratified=True),
                num_samples=2, generator=generator())


def test_catalogue_builds_every_name():
    for name in ("antithetic-orthogonal", "mvd-stratified", "mvd-basis", "mvd-basis-k3", "convex-k2", "auto"):
        assert isinstance(lab.make_estimator(name, ["loc"]), wg.Estimator)


def test_stratification_cuts_the_variance_on_linear_f():
    """Coupled MVD on a·x: the loc estimate is a·2·mean(R)/√(2π); stratifying R across 8 samples shrinks the
    variance of mean(R) far below Var(R)/8 (the bound 0.25× has ample room: measured about 0.02×)."""
    a = torch.tensor([1.0, -2.0, 0.5, 3.0, -1.0, 2.0], dtype=torch.float64)
    dist = Normal(LOC, SCALE)

    def spread(estimator):
        gen = generator(5)
        calls = torch.stack([wg.grad(lambda x: x @ a, dist, estimator, num_samples=8, generator=gen)["loc"]
                             for _ in range(2000)])
        return calls.var(0)

    plain = spread(wg.MeasureValued(parameters=["loc"]))
    stratified = spread(wg.MeasureValued(parameters=["loc"], stratified=True))
    assert bool((stratified < 0.25 * plain).all()), (stratified / plain)


def test_chi3_quantile_matches_scipy_including_tails():
    stats = pytest.importorskip("scipy.stats")
    from weakgrad.weak.samplers import chi3_icdf

    u = torch.tensor([1e-12, 1e-6, 1e-3, 0.1, 0.5, 0.9, 0.999, 1 - 1e-9, 1 - 1e-13], dtype=torch.float64)
    u = torch.cat([u, torch.rand(10_000, generator=generator(6), dtype=torch.float64)])
    expected = torch.as_tensor(stats.chi.ppf(u.numpy(), 3))
    assert torch.allclose(chi3_icdf(u), expected, rtol=1e-8, atol=0)
