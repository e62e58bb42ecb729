"""Shared helpers for statistical tests.

Statistical checks use fixed seeds and a z-bound: |estimate − truth| ≤ Z · standard error. With
Z = 4.5 a correct estimator fails one check with probability 6.8e-6 (two-sided normal tail); over the
~150 such checks in this suite the chance of any false failure is below 1e-3. The seeds are fixed,
so the suite is deterministic: if a seed change breaks a test, something is probably wrong.
"""

from __future__ import annotations

import torch

Z = 4.5


def generator(seed: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def assert_within_se(per_sample: torch.Tensor, truth: torch.Tensor, z: float = Z, what: str = "") -> None:
    """Assert each entry of mean(per_sample) lies within z standard errors of ``truth``."""
    per_sample = per_sample.double()
    n = per_sample.shape[0]
    mean = per_sample.mean(0)
    se = per_sample.std(0) / n**0.5
    truth = torch.as_tensor(truth, dtype=torch.float64).expand_as(mean)
    error = (mean - truth).abs()
    # exact-zero-variance cases (e.g. deterministic estimates) must match to float precision
    bound = z * se + 1e-6 * (1 + truth.abs())
    assert bool((error <= bound).all()), f"{what}: estimate {mean.tolist()} vs truth {truth.tolist()}, se {se.tolist()}"
