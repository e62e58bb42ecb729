"""The RL experiments behind ``weakgrad rl`` and docs/rl.md: tidy records, one function per study."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch

from weakgrad.estimators import Estimator, MeasureValued, Pathwise, ScoreFunction
from weakgrad.rl.action_space import action_gradient, critic_evaluations_per_state
from weakgrad.rl.lqr import LQR
from weakgrad.rl.training import train_episodic

__all__ = ["ACTION_ESTIMATORS", "episodic_study", "lqr_accuracy", "lqr_learning"]

#: action-space estimators: name -> factory (their cost per state: critic_evaluations_per_state)
ACTION_ESTIMATORS: dict[str, Callable[[], Estimator]] = {
    "sf-advantage": lambda: ScoreFunction(),
    "mvd": lambda: MeasureValued(parameters=["loc"]),
    "mvd-stratified": lambda: MeasureValued(parameters=["loc"], stratified=True),
    "pathwise": lambda: Pathwise(),
}


def episodic_study(env_id: str, optimizers: Sequence[str], budget: int, seeds: Sequence[int],
                   target: float | None, common_random_numbers: bool = True, sigma0: float = 0.5,
                   on_run: Callable[[], None] | None = None, eval_episodes: int = 10) -> list[dict]:
    """One record per (optimizer, seed): episodes to solve (or None), final and best evaluation return, curve."""
    records = []
    for name in optimizers:
        for seed in seeds:
            run = train_episodic(env_id, name, budget, seed=seed, target=target, sigma0=sigma0,
                                 common_random_numbers=common_random_numbers, eval_episodes=eval_episodes)
            returns = [r for _, r in run.curve]
            records.append({"env": env_id, "optimizer": name, "seed": seed, "crn": common_random_numbers,
                            "solved_at": run.solved_at, "final_return": returns[-1] if returns else None,
                            "best_return": max(returns) if returns else None,
                            "curve": [list(p) for p in run.curve]})
            if on_run is not None:
                on_run()
    return records


def lqr_accuracy(sizes: Sequence[tuple[int, int]], per_state_budgets: Sequence[int], seeds: int, states: int = 20,
                 system_seed: int = 0, on_step: Callable[[], None] | None = None) -> list[dict]:
    """Relative norm error |‖ĝ‖ − ‖g‖|/‖g‖ and cosine to the exact ∇_K J, per critic evaluations per state.

    Budgets are multiples of 2k (k actions) so every estimator fits; each seed draws its own states and noise.
    """
    records = []
    for n_states, k_actions in sizes:
        system = LQR.random(n_states, k_actions, torch.Generator().manual_seed(system_seed + 7 * n_states + k_actions))
        gain = torch.zeros((k_actions, n_states), dtype=torch.float64)
        exact = system.gradient(gain)
        for multiple in per_state_budgets:
            budget = multiple * 2 * k_actions
            for name, factory in ACTION_ESTIMATORS.items():
                n = budget // critic_evaluations_per_state(factory(), k_actions, 1)
                for seed in range(seeds):
                    gen = torch.Generator().manual_seed(1000 * seed + budget)
                    estimate = action_gradient(system, gain, factory(), system.sample_states(gain, states, gen), n, gen)
                    records.append({
                        "states": n_states, "actions": k_actions, "estimator": name, "critic_per_state": budget,
                        "samples": n, "seed": seed,
                        "rel_norm_error": float((estimate.norm() - exact.norm()).abs() / exact.norm()),
                        "cosine": float((estimate * exact).sum() / (estimate.norm() * exact.norm())),
                    })
                if on_step is not None:
                    on_step()
    return records


def _stepper(system: LQR, factory: Callable[[], Estimator], num_samples: int,
             states: int) -> Callable[[torch.Tensor, torch.Generator], torch.Tensor]:
    def estimate(gain: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
        return action_gradient(system, gain, factory(), system.sample_states(gain, states, gen), num_samples, gen)

    return estimate


def lqr_learning(size: tuple[int, int], per_state_budget: int, steps: int, lr: float, seeds: int,
                 states: int = 20, system_seed: int = 0) -> list[dict]:
    """J(K) along gradient descent K ← K − lr·ĝ from K = 0, for each estimator and seed (and the exact gradient)."""
    n_states, k_actions = size
    system = LQR.random(n_states, k_actions, torch.Generator().manual_seed(system_seed + 7 * n_states + k_actions))
    records = []
    runs: dict[str, Callable[[torch.Tensor, torch.Generator], torch.Tensor]] = {
        "exact": lambda gain, gen: system.gradient(gain)}
    for name, factory in ACTION_ESTIMATORS.items():
        n = per_state_budget // critic_evaluations_per_state(factory(), k_actions, 1)
        runs[name] = _stepper(system, factory, n, states)
    for name, step in runs.items():
        for seed in range(seeds if name != "exact" else 1):
            gen = torch.Generator().manual_seed(seed)
            gain = torch.zeros((k_actions, n_states), dtype=torch.float64)
            costs = [float(system.cost(gain))]
            for _ in range(steps):
                candidate = gain - lr * step(gain, gen)
                try:
                    costs.append(float(system.cost(candidate)))
                    gain = candidate
                except ValueError:  # the step left the stable set: keep K, record the cost it has
                    costs.append(costs[-1])
            records.append({"estimator": name, "seed": seed, "costs": costs})
    return records
