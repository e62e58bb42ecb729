"""Each closed-form smoothed objective against a numerical derivative and a large-sample estimate."""

from __future__ import annotations

import pytest
import torch
from torch.distributions import Normal

import weakgrad as wg
from conftest import assert_within_se, generator

SMOOTHED = [p for p in (wg.problems.get(n) for n in wg.problems.names()) if p.smoothed is not None]
LOC = torch.tensor([-0.7, 0.4, 1.3], dtype=torch.float64)
SCALE = torch.tensor([0.2, 0.5, 1.0], dtype=torch.float64)


@pytest.mark.parametrize("problem", SMOOTHED, ids=lambda p: p.name)
def test_smoothed_gradient_matches_central_differences(problem):
    exact = problem.smoothed_gradient(LOC, SCALE)
    h = 1e-5
    for name, base in (("loc", LOC), ("scale", SCALE)):
        numeric = torch.zeros(3, dtype=torch.float64)
        for i in range(3):
            up, down = base.clone(), base.clone()
            up[i] += h
            down[i] -= h
            args_up = (up, SCALE) if name == "loc" else (LOC, up)
            args_down = (down, SCALE) if name == "loc" else (LOC, down)
            numeric[i] = (problem.smoothed(*args_up) - problem.smoothed(*args_down)) / (2 * h)
        atol = 1e-6 + 1e-9 * float(problem.smoothed(LOC, SCALE).abs())  # cancellation in the difference
        assert torch.allclose(exact[name], numeric, rtol=1e-6, atol=atol), (name, exact[name], numeric)


@pytest.mark.parametrize("problem", SMOOTHED, ids=lambda p: p.name)
def test_smoothed_objective_and_gradient_match_monte_carlo(problem):
    gen = generator(0)
    points = LOC + SCALE * torch.randn((200_000, 3), generator=gen, dtype=torch.float64)
    values = problem(points)
    assert_within_se(values.unsqueeze(1), problem.smoothed(LOC, SCALE).reshape(1), what="E[f]")
    g = wg.grad(problem, Normal(LOC, SCALE), wg.Pathwise(), num_samples=100_000, generator=gen)
    exact = problem.smoothed_gradient(LOC, SCALE)
    for name in ("loc", "scale"):
        assert_within_se(g.per_sample[name], exact[name], what=name)


def test_unknown_problem_lists_valid_names():
    with pytest.raises(ValueError, match="unknown problem 'rosenbrok'; valid: .*rosenbrock"):
        wg.problems.get("rosenbrok")


def test_problem_checks_point_shape():
    with pytest.raises(ValueError, match=r"shape \(n, d\)"):
        wg.problems.sphere(torch.zeros(3))
