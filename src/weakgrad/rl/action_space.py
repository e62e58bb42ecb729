"""Step-based (action-space) policy gradients with a critic, through ``weakgrad.surrogate``.

For a policy a ~ N(−Kx, Σ) and a critic Q(x, a), on a batch of m visited states x_i ~ ρ,

    ĝ = ∇_K (1/(1 − γ)) (1/m) Σ_i E_{a ~ π(·|x_i)} [Q(x_i, a) − V(x_i)],

with the inner gradient estimated per state by any weakgrad estimator of the action distribution's loc:
the score function (the advantage Q − V as its baseline), MVD (± actions per state; every state of the batch
goes through one critic call), or the pathwise gradient through ∇_a Q. ``surrogate().backward()`` carries
the loc estimate through loc = −Kx into K.
"""

from __future__ import annotations

import torch
from torch.distributions import Normal

from weakgrad.api import surrogate
from weakgrad.estimators import Estimator, MeasureValued, Pathwise, RandomBasisMVD, ScoreFunction
from weakgrad.rl.lqr import LQR

__all__ = ["action_gradient", "critic_evaluations_per_state"]


def critic_evaluations_per_state(estimator: Estimator, actions: int, num_samples: int) -> int:
    """Critic evaluations each state costs: n for the score function and pathwise, 2·k·n for MVD on the loc."""
    if isinstance(estimator, MeasureValued):
        return 2 * actions * num_samples if estimator.coordinates is None else 2 * estimator.coordinates * num_samples
    if isinstance(estimator, RandomBasisMVD):
        return 2 * (estimator.directions or actions) * num_samples
    if isinstance(estimator, ScoreFunction | Pathwise):
        return num_samples
    raise ValueError(f"no critic-evaluation count for {estimator!r}")


def action_gradient(system: LQR, k: torch.Tensor, estimator: Estimator, states: torch.Tensor, num_samples: int,
                    generator: torch.Generator) -> torch.Tensor:
    """An estimate of ∇_K J from the critic on ``states`` ``(m, n)``, with ``num_samples`` per state."""
    n, m_actions = system.sizes
    if states.dim() != 2 or states.shape[1] != n:
        raise ValueError(f"states must have shape (m, {n}), got {tuple(states.shape)}")
    gain = k.detach().clone().requires_grad_(True)
    values = system.value(gain, states)  # (m,) the baseline V(x_i)
    weight = 1.0 / ((1 - system.gamma) * states.shape[0])

    def advantage_sum(actions: torch.Tensor) -> torch.Tensor:  # (N, m, k) -> (N,)
        return weight * (system.q_function(gain, states, actions) - values).sum(-1)

    scale = torch.diagonal(system.exploration).sqrt().expand(states.shape[0], m_actions)
    dist = Normal(-states @ gain.T, scale)
    surrogate(advantage_sum, dist, estimator, num_samples=num_samples, generator=generator).backward()
    return gain.grad.detach()
