"""Episodic returns of a Gymnasium environment as a batched weakgrad objective (parameter-space RL).

``EpisodicReturn(env_id, policy)`` maps policy-parameter vectors ``(n, P)`` to mean episode returns
``(n,)``. With ``common_random_numbers=True`` the points are seeded in consecutive pairs: point 2k and
2k + 1 of the stream run with the same environment seeds. weakgrad's MVD queries list every ± pair
consecutively, and so do antithetic pairs, so the environment noise (initial states, stochastic
transitions) is shared within a pair and cancels in its difference. The stream position persists across
calls (and chunks), and every query has an even number of points, so pairs never straddle a boundary.
"""

from __future__ import annotations

import numpy as np
import torch

from weakgrad.rl.policies import LinearPolicy, MLPPolicy

__all__ = ["EpisodicReturn", "make_env"]


def make_env(env_id: str):
    """``gymnasium.make(env_id)`` with a clear error for a missing extra or an unknown id."""
    try:
        import gymnasium
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError("episodic RL needs gymnasium: pip install 'weakgrad[rl]'") from error
    try:
        return gymnasium.make(env_id)
    except gymnasium.error.Error as error:
        known = ", ".join(sorted(k for k in gymnasium.registry if "/" not in k)[:25])
        raise ValueError(f"unknown environment {env_id!r} ({error}); e.g. {known}, …") from None


class EpisodicReturn:
    """Batched objective: the mean return over ``episodes`` episodes of each parameter vector.

    Args:
        env_id: a Gymnasium id (CartPole-v1, Pendulum-v1, MountainCarContinuous-v0, …).
        policy: a :class:`LinearPolicy`/:class:`MLPPolicy` (default: linear, sized for the environment).
        episodes: episodes per evaluation (their mean is the value).
        seed: seeds the stream of environment seeds.
        common_random_numbers: give points 2k and 2k + 1 the same environment seeds.
        negate: return −return (a cost to minimise).

    ``episodes_run`` counts every episode played.
    """

    def __init__(self, env_id: str, policy: LinearPolicy | MLPPolicy | None = None, episodes: int = 1,
                 seed: int = 0, common_random_numbers: bool = True, negate: bool = False,
                 max_steps: int | None = None) -> None:
        self.env = make_env(env_id)
        self.env_id = env_id
        obs_space, act_space = self.env.observation_space, self.env.action_space
        obs_dim = int(np.prod(obs_space.shape))
        if policy is None:
            if hasattr(act_space, "n"):
                policy = LinearPolicy(obs_dim, num_actions=int(act_space.n))
            else:
                policy = LinearPolicy(obs_dim, act_dim=int(np.prod(act_space.shape)), low=act_space.low,
                                      high=act_space.high)
        if policy.obs_dim != obs_dim:
            raise ValueError(f"the policy expects {policy.obs_dim} observations but {env_id} gives {obs_dim}")
        if hasattr(act_space, "n") != policy.discrete:
            kind = "discrete" if hasattr(act_space, "n") else "continuous"
            raise ValueError(f"{env_id} has {kind} actions; the policy does not")
        if isinstance(episodes, bool) or not isinstance(episodes, int) or episodes < 1:
            raise ValueError(f"episodes must be a positive int, got {episodes!r}")
        self.policy, self.episodes, self.negate, self.max_steps = policy, episodes, negate, max_steps
        self.common_random_numbers = common_random_numbers
        self._rng = np.random.default_rng(seed)
        self._position = 0  # points evaluated so far (the pairing runs across calls)
        self._pair_seed = 0
        self.episodes_run = 0

    @property
    def num_params(self) -> int:
        return self.policy.num_params

    def _next_seed(self) -> int:
        if not self.common_random_numbers or self._position % 2 == 0:
            self._pair_seed = int(self._rng.integers(2**31 - 1))
        self._position += 1
        return self._pair_seed

    def episode(self, theta: np.ndarray, seed: int) -> float:
        obs, _ = self.env.reset(seed=seed)
        self.env.action_space.seed(seed)
        total, steps, done = 0.0, 0, False
        while not done:
            obs, reward, terminated, truncated, _ = self.env.step(self.policy.act(theta, obs))
            total += float(reward)
            steps += 1
            done = terminated or truncated or (self.max_steps is not None and steps >= self.max_steps)
        self.episodes_run += 1
        return total

    def __call__(self, thetas: torch.Tensor) -> torch.Tensor:
        thetas = torch.as_tensor(thetas)
        if thetas.dim() != 2 or thetas.shape[1] != self.num_params:
            raise ValueError(f"expected policy parameters of shape (n, {self.num_params}); got {tuple(thetas.shape)}")
        values = []
        for theta in thetas.detach().double().numpy():
            seed = self._next_seed()
            mean = np.mean([self.episode(theta, seed * 1000 + k) for k in range(self.episodes)])
            values.append(-mean if self.negate else mean)
        return torch.tensor(values, dtype=torch.float64)

    def evaluate(self, theta, episodes: int = 10, seed: int = 123_456) -> float:
        """Mean return of one parameter vector over fresh evaluation episodes (not counted in ``episodes_run``)."""
        before = self.episodes_run
        mean = float(np.mean([self.episode(np.asarray(theta, dtype=np.float64), seed + k) for k in range(episodes)]))
        self.episodes_run = before
        return mean
