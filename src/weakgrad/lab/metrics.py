"""Error metrics of repeated gradient estimates against a known gradient.

For R independent estimates ĝ_r ∈ R^P of g:
    bias        ‖mean_r ĝ_r − g‖
    variance    trace of the sample covariance of ĝ_r (unbiased, divisor R − 1)
    mse         mean_r ‖ĝ_r − g‖²,   with its standard error over repetitions
    rel_mse     mse / ‖g‖²
    cosine      mean_r cos(ĝ_r, g)
"""

from __future__ import annotations

import math

import torch

__all__ = ["error_metrics"]


def error_metrics(estimates: torch.Tensor, truth: torch.Tensor) -> dict[str, float]:
    """Metrics of ``estimates`` ``(R, P)`` against ``truth`` ``(P,)``; R ≥ 2."""
    if estimates.dim() != 2 or truth.shape != estimates.shape[1:]:
        raise ValueError(f"estimates must be (R, P) and truth (P,); got {tuple(estimates.shape)}, {tuple(truth.shape)}")
    if estimates.shape[0] < 2:
        raise ValueError("error metrics need at least 2 repetitions")
    estimates, truth = estimates.double(), truth.double()
    repeats = estimates.shape[0]
    squared_errors = (estimates - truth).square().sum(1)
    truth_norm2 = float(truth.square().sum())
    mse = float(squared_errors.mean())
    mse_se = float(squared_errors.std()) / math.sqrt(repeats)
    norms = estimates.norm(dim=1) * truth.norm()
    cosine = torch.where(norms > 0, (estimates @ truth) / norms.clamp_min(1e-300), torch.zeros(()))
    scale = truth_norm2 if truth_norm2 > 0 else math.nan
    return {
        "bias": float((estimates.mean(0) - truth).norm()),
        "variance": float(estimates.var(0).sum()),
        "mse": mse,
        "mse_se": mse_se,
        "rel_mse": mse / scale,
        "rel_mse_se": mse_se / scale,
        "cosine": float(cosine.mean()),
    }
