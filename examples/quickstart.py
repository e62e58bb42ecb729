"""Estimate the gradient of the Gaussian-smoothed 2-D Rosenbrock with MVD and REINFORCE at equal budgets.

    python examples/quickstart.py
"""

import torch
from torch.distributions import Normal

import weakgrad as wg

loc, scale = torch.tensor([-1.0, 1.0]), torch.full((2,), 0.1)
exact = wg.problems.rosenbrock.smoothed_gradient(loc, scale)["loc"]
gen = torch.Generator().manual_seed(0)
budget = 64  # evaluations of f for each estimate
for estimator in (wg.MeasureValued(parameters=["loc"]), wg.ScoreFunction(baseline="leave_one_out"),
                  wg.ScoreFunction(antithetic=True)):
    n = estimator.samples_for_budget(Normal(loc, scale), budget)
    g = wg.grad(wg.problems.rosenbrock, Normal(loc, scale), estimator, num_samples=n, generator=gen)
    print(f"{estimator.name:12s} {n:3d} samples, {g.evaluations} evaluations: {g['loc'].tolist()}")
print(f"{'exact':12s} {exact.tolist()}")
