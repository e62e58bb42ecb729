"""Minimise a 10-D ellipsoid with the MVD search gradient, then compare with OpenAI-ES at the same budget.

    python examples/minimize_ellipsoid.py
"""

import torch

import weakgrad as wg

for name, estimator in (("mvd", wg.MeasureValued(stratified=True)), ("openai-es", wg.ScoreFunction(antithetic=True))):
    result = wg.optim.minimize(wg.problems.ellipsoid, torch.ones(10), 1.0, budget=20_000, estimator=estimator,
                               seed=0, target=1e-8, progress=False)
    print(f"{name:10s} best f = {result.f:.3g} after {result.evaluations} evaluations ({', '.join(result.stop)})")
