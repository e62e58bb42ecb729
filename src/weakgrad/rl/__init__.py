"""Reinforcement learning with weakgrad's estimators.

- Episodic (parameter space): :class:`EpisodicReturn` turns a Gymnasium environment and a policy into a
  batched objective, with common random numbers across ± pairs; :func:`train_episodic` trains with any
  optimiser of ``weakgrad.optim``.
- Step-based (action space): :mod:`weakgrad.rl.lqr` has an LQR with exact cost, Q-function and policy
  gradient; :func:`action_gradient` estimates ∇_K J from the critic with SF, MVD or pathwise.
"""

from weakgrad.rl.action_space import action_gradient, critic_evaluations_per_state
from weakgrad.rl.episodic import EpisodicReturn, make_env
from weakgrad.rl.experiments import ACTION_ESTIMATORS, episodic_study, lqr_accuracy, lqr_learning
from weakgrad.rl.lqr import LQR
from weakgrad.rl.policies import LinearPolicy, MLPPolicy
from weakgrad.rl.training import TrainingRun, train_episodic

__all__ = [
           "ACTION_ESTIMATORS",
           "LQR",
           "EpisodicReturn",
           "LinearPolicy",
           "MLPPolicy",
           "TrainingRun",
           "action_gradient",
           "critic_evaluations_per_state",
           "episodic_study",
           "lqr_accuracy",
           "lqr_learning",
           "make_env",
           "train_episodic",
]
