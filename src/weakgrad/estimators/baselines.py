"""Control-variate baselines for the score function.

With samples grouped so that groups are independent (single samples, or antithetic pairs), a baseline
for sample j built only from *other* groups keeps the estimate unbiased:
E[(f_j − b_j) s_j] = E[f_j s_j] − E[b_j]·E[s_j] = ∇J, since E[s_j] = 0 and b_j ⟂ x_j.

- ``"mean"``: b = mean of all f in the batch. Biased by the factor (n−1)/n (it uses f_j itself);
  kept because it is what many codes use. ``"leave_one_out"`` is its unbiased version (RLOO,
  Kool et al. 2019; Ahmadian et al. 2024): b_j = mean of f over the other groups, which equals
  n/(n−1) × the mean-baseline estimate for single samples.
- ``"optimal"``: the per-coordinate variance-minimising constant b_i = E[f s_i²] / E[s_i²]
  (Greensmith et al. 2004), estimated from the other groups so the estimate stays unbiased.
  (The classic batch version is biased; the leave-one-group-out version is our choice.)
- :class:`MovingAverage`: b = exponential moving average of the mean f of *earlier* calls.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

__all__ = ["BASELINES", "MovingAverage", "leave_group_out_sum"]

BASELINES = (None, "mean", "leave_one_out", "optimal")


@dataclass
class MovingAverage:
    """An exponential moving average of the batch mean of f over earlier calls (state lives here).

    ``b_t = decay · b_{t−1} + (1 − decay) · mean(f_t)``, applied to call t+1; the first call uses b = 0.
    """

    decay: float = 0.9
    value: float | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.decay < 1.0:
            raise ValueError(f"MovingAverage decay must lie in [0, 1), got {self.decay}")

    def current(self) -> float:
        return 0.0 if self.value is None else self.value

    def update(self, batch_mean: float) -> None:
        self.value = batch_mean if self.value is None else self.decay * self.value + (1 - self.decay) * batch_mean


def leave_group_out_sum(x: torch.Tensor, groups: torch.Tensor, num_groups: int) -> torch.Tensor:
    """For each sample j, the sum of ``x`` over samples outside j's group. ``x``: ``(n, ...)``."""
    group_sums = torch.zeros((num_groups, *x.shape[1:]), dtype=x.dtype).index_add_(0, groups, x)
    return x.sum(0, keepdim=True) - group_sums[groups]


def baseline_values(baseline: object, values: torch.Tensor, scores: torch.Tensor,
                    groups: torch.Tensor, num_groups: int) -> torch.Tensor:
    """The baseline for each sample, broadcastable against ``scores`` ``(n, *param_shape)``."""
    n = values.shape[0]
    column = values.reshape((n,) + (1,) * (scores.dim() - 1))
    if baseline is None:
        return torch.zeros_like(column)
    if isinstance(baseline, MovingAverage):
        return torch.full_like(column, baseline.current())
    if baseline == "mean":
        return column.mean(0, keepdim=True).expand_as(column)
    if baseline == "leave_one_out":
        ones = torch.ones_like(column)
        return leave_group_out_sum(column, groups, num_groups) / leave_group_out_sum(ones, groups, num_groups)
    if baseline == "optimal":
        s2 = scores.square()
        numerator = leave_group_out_sum(column * s2, groups, num_groups)
        denominator = leave_group_out_sum(s2, groups, num_groups)
        safe = denominator > 0
        return torch.where(safe, numerator / torch.where(safe, denominator, 1.0), 0.0)
    raise AssertionError(f"unchecked baseline {baseline!r}")
