"""Same generator seed ⇒ same numbers; torch's global RNG is never read or advanced."""

from __future__ import annotations

import pytest
import torch
from torch.distributions import Bernoulli, Gamma, Normal, Poisson

import weakgrad as wg
from conftest import generator

CASES = [
    (wg.MeasureValued(), Normal(torch.zeros(3), torch.ones(3))),
    (wg.MeasureValued(coordinates=1), Normal(torch.zeros(3), torch.ones(3))),
    (wg.MeasureValued(parameters=["rate"]), Gamma(torch.ones(3), torch.ones(3))),
    (wg.MeasureValued(coupled=False), Poisson(torch.ones(3))),
    (wg.ScoreFunction(baseline="optimal"), Gamma(torch.ones(3), torch.ones(3))),
    (wg.ScoreFunction(antithetic=True), Normal(torch.zeros(3), torch.ones(3))),
    (wg.ScoreFunction(), Bernoulli(torch.full((3,), 0.4))),
    (wg.Pathwise(), Gamma(torch.ones(3), torch.ones(3))),
]


def f(x: torch.Tensor) -> torch.Tensor:
    return torch.sin(x.float()).sum(-1)


@pytest.mark.parametrize(("estimator", "dist"), CASES, ids=lambda c: repr(c) if isinstance(c, wg.Estimator) else "")
def test_same_seed_same_result_and_global_rng_untouched(estimator, dist):
    before = torch.get_rng_state()
    first = wg.grad(f, dist, estimator, num_samples=6, generator=generator(42))
    second = wg.grad(f, dist, estimator, num_samples=6, generator=generator(42))
    other = wg.grad(f, dist, estimator, num_samples=6, generator=generator(43))
    assert torch.equal(torch.get_rng_state(), before)
    for name in first:
        assert torch.equal(first[name], second[name])
    assert any(not torch.equal(first[name], other[name]) for name in first)


def test_chunk_size_does_not_change_the_result():
    dist = Normal(torch.linspace(-1, 1, 7), torch.full((7,), 0.5))
    results = [wg.grad(f, dist, wg.MeasureValued(), num_samples=3, generator=generator(0), max_batch=m)
               for m in (1, 5, 10_000)]
    for r in results[1:]:
        assert torch.equal(r["loc"], results[0]["loc"]) and torch.equal(r["scale"], results[0]["scale"])


def test_chunks_never_exceed_max_batch_and_count_matches_evaluations():
    seen = []

    def counting(x: torch.Tensor) -> torch.Tensor:
        seen.append(x.shape[0])
        return f(x)

    dist = Normal(torch.zeros(50), torch.ones(50))
    g = wg.grad(counting, dist, wg.MeasureValued(), num_samples=2, generator=generator(0), max_batch=33)
    assert max(seen) <= 33 and sum(seen) == g.evaluations == 2 * 2 * 50 * 2


def test_reused_buffer_gives_the_same_points_and_result():
    dist = Normal(torch.linspace(-1, 1, 9), torch.full((9,), 0.5))
    est = wg.MeasureValued()
    query = est.ask(dist, 3, generator(0))
    fresh = torch.cat([c.clone() for c in query.chunks(7)])
    reused = torch.cat([c.clone() for c in query.chunks(7, reuse_buffer=True)])
    assert torch.equal(fresh, reused) and torch.equal(fresh, query.points)
    a = wg.grad(f, dist, est, num_samples=3, generator=generator(0), max_batch=7)
    b = wg.grad(f, dist, est, num_samples=3, generator=generator(0), max_batch=7, reuse_buffer=True)
    assert torch.equal(a["scale"], b["scale"])
