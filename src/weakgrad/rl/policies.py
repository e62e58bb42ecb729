"""Deterministic policies given a flat parameter vector θ: linear and small MLPs, discrete or continuous actions.

A policy maps (θ, observation) to an action. Parameters are a flat vector so that any weakgrad
estimator can search over them (parameter-space, episodic policy search).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = ["LinearPolicy", "MLPPolicy"]


class _Policy:
    """Shared shape checks and action post-processing."""

    def __init__(self, obs_dim: int, num_actions: int | None, act_dim: int | None,
                 low: np.ndarray | None = None, high: np.ndarray | None = None) -> None:
        if (num_actions is None) == (act_dim is None):
            raise ValueError("give num_actions (discrete) or act_dim (continuous), not both")
        self.obs_dim = obs_dim
        self.discrete = num_actions is not None
        # two discrete actions need one output (its sign); more need one score per action
        self.outputs = (1 if num_actions == 2 else num_actions) if self.discrete else act_dim
        self.num_actions, self.low, self.high = num_actions, low, high

    num_params: int

    def _forward(self, theta: np.ndarray, obs: np.ndarray) -> np.ndarray: ...

    def act(self, theta: np.ndarray, obs: np.ndarray):
        theta, obs = np.asarray(theta, dtype=np.float64), np.asarray(obs, dtype=np.float64).reshape(-1)
        if theta.shape != (self.num_params,):
            raise ValueError(f"policy parameters must have shape ({self.num_params},), got {theta.shape}")
        if obs.shape != (self.obs_dim,):
            raise ValueError(f"observation must have {self.obs_dim} entries for this policy, got {obs.shape[0]}")
        out = self._forward(theta, obs)
        if self.discrete:
            return int(out[0] > 0) if self.num_actions == 2 else int(np.argmax(out))
        return np.clip(out, self.low, self.high) if self.low is not None else out


class LinearPolicy(_Policy):
    """a = W·[obs, 1] (discrete: the sign for two actions, else the argmax). θ has (obs_dim + 1)·outputs entries."""

    def __init__(self, obs_dim: int, num_actions: int | None = None, act_dim: int | None = None,
                 low=None, high=None) -> None:
        super().__init__(obs_dim, num_actions, act_dim, low, high)
        self.num_params = (obs_dim + 1) * self.outputs

    def _forward(self, theta: np.ndarray, obs: np.ndarray) -> np.ndarray:
        w = theta.reshape(self.outputs, self.obs_dim + 1)
        return w[:, :-1] @ obs + w[:, -1]


class MLPPolicy(_Policy):
    """tanh hidden layers, linear output; θ concatenates each layer's weights and biases."""

    def __init__(self, obs_dim: int, num_actions: int | None = None, act_dim: int | None = None,
                 hidden: Sequence[int] = (16,), low=None, high=None) -> None:
        super().__init__(obs_dim, num_actions, act_dim, low, high)
        self.sizes = [obs_dim, *hidden, self.outputs]
        self.num_params = sum((a + 1) * b for a, b in zip(self.sizes, self.sizes[1:], strict=False))

    def _forward(self, theta: np.ndarray, obs: np.ndarray) -> np.ndarray:
        h, offset = obs, 0
        for k, (a, b) in enumerate(zip(self.sizes, self.sizes[1:], strict=False)):
            w = theta[offset: offset + a * b].reshape(b, a)
            bias = theta[offset + a * b: offset + (a + 1) * b]
            offset += (a + 1) * b
            h = w @ h + bias
            if k < len(self.sizes) - 2:
                h = np.tanh(h)
        return h

    def init(self, rng: np.random.Generator) -> np.ndarray:
        """Glorot-scaled initial parameters (zero biases)."""
        parts = []
        for a, b in zip(self.sizes, self.sizes[1:], strict=False):
            parts += [rng.normal(0, 1 / math.sqrt(a), a * b), np.zeros(b)]
        return np.concatenate(parts)
