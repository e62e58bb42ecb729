"""Episodic policy search: train a policy's parameters with any optimiser of ``weakgrad.optim``."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from weakgrad.optim.peers import make_optimizer
from weakgrad.rl.episodic import EpisodicReturn

__all__ = ["TrainingRun", "train_episodic"]


@dataclass
class TrainingRun:
    """Learning curve ``(training episodes, evaluation return)`` and when the target was first met."""

    optimizer: str
    curve: list[tuple[int, float]] = field(default_factory=list)
    solved_at: int | None = None
    final_mean: np.ndarray | None = None


def _mean(es) -> np.ndarray:
    return es.mean.detach().numpy().astype(np.float64)


def train_episodic(env_id: str, optimizer: str, budget_episodes: int, seed: int = 0, sigma0: float = 0.5,
                   target: float | None = None, eval_episodes: int = 10, common_random_numbers: bool = True,
                   episodes: int = 1, **options) -> TrainingRun:
    """Minimise −return with ``optimizer`` until ``budget_episodes`` training episodes or the target is met.

    After every optimiser step the current mean policy is scored on ``eval_episodes`` fresh episodes (not
    counted as training); the run is solved when that score reaches ``target``.
    """
    objective = EpisodicReturn(env_id, episodes=episodes, seed=seed, common_random_numbers=common_random_numbers,
                               negate=True)
    x0 = torch.zeros(objective.num_params, dtype=torch.float64)
    es = make_optimizer(optimizer, x0, sigma0, seed=seed, max_evaluations=budget_episodes // episodes, **options)
    run = TrainingRun(optimizer)
    while objective.episodes_run < budget_episodes:
        points = es.ask()
        es.tell(points, objective(points))
        score = objective.evaluate(_mean(es), eval_episodes, seed=10_000 + len(run.curve))
        run.curve.append((objective.episodes_run, score))
        if target is not None and score >= target:
            run.solved_at = objective.episodes_run
            break
        if es.stop() and "budget" not in es.stop():
            break
    run.final_mean = _mean(es)
    return run
