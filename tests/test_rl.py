"""RL: the LQR's exact gradient, unbiased action-space estimators, common random numbers, CartPole, errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import weakgrad as wg
from conftest import assert_within_se, generator
from weakgrad.rl import LQR, EpisodicReturn, LinearPolicy, MLPPolicy, action_gradient, train_episodic

SIZES = [(2, 1), (2, 2), (4, 4), (6, 6)]


@pytest.mark.parametrize(("states", "actions"), SIZES)
def test_lqr_gradient_matches_finite_differences(states, actions):
    system = LQR.random(states, actions, generator(states * 10 + actions))
    k = 0.05 * torch.randn((actions, states), generator=generator(1), dtype=torch.float64)
    exact = system.gradient(k)
    h = 1e-6
    numeric = torch.zeros_like(k)
    for i in range(actions):
        for j in range(states):
            up, down = k.clone(), k.clone()
            up[i, j] += h
            down[i, j] -= h
            numeric[i, j] = (system.cost(up) - system.cost(down)) / (2 * h)
    assert torch.allclose(exact, numeric, rtol=1e-6, atol=1e-7)


def test_lqr_cost_and_value_match_simulation():
    system = LQR.random(2, 1, generator(0))
    k = torch.tensor([[0.02, -0.01]], dtype=torch.float64)
    n, gen = 20_000, generator(1)
    x = torch.randn((n, 2), generator=gen, dtype=torch.float64)
    total = torch.zeros(n, dtype=torch.float64)
    for t in range(130):  # γ^130 < 1e-5: the truncated tail is far below the standard error
        a = -x @ k.T + torch.randn((n, 1), generator=gen, dtype=torch.float64) * system.exploration[0, 0].sqrt()
        total += system.gamma**t * ((x * x).sum(-1) + (a * a).sum(-1))
        x = x @ system.A.T + a @ system.B.T + torch.randn((n, 2), generator=gen, dtype=torch.float64) * 0.1
    assert_within_se(total.unsqueeze(1), system.cost(k).reshape(1), what="J")
    states = torch.randn((5, 2), generator=gen, dtype=torch.float64)
    actions = torch.randn((20_000, 5, 1), generator=gen, dtype=torch.float64) * 0.1**0.5 - (states @ k.T)
    q = system.q_function(k, states, actions)
    assert_within_se(q, system.value(k, states), what="V = E_a Q")


@pytest.mark.parametrize("estimator", [wg.ScoreFunction(), wg.MeasureValued(parameters=["loc"]), wg.Pathwise(),
                                       wg.MeasureValued(parameters=["loc"], stratified=True)], ids=repr)
@pytest.mark.parametrize(("states", "actions"), [(2, 1), (4, 4)])
def test_action_space_estimators_are_unbiased(estimator, states, actions):
    system = LQR.random(states, actions, generator(3))
    k = torch.full((actions, states), 0.05, dtype=torch.float64)
    gen = generator(4)
    estimates = torch.stack([action_gradient(system, k, estimator, system.sample_states(k, 10, gen), 4, gen)
                             for _ in range(400)])
    assert_within_se(estimates.reshape(400, -1), system.gradient(k).reshape(-1), what=repr(estimator))


def test_common_random_numbers_pair_the_environment_noise():
    theta = torch.tensor([[0.1, 0.5, 0.2, 0.3, 0.0]], dtype=torch.float64).repeat(4, 1)
    paired = EpisodicReturn("CartPole-v1", seed=0)(theta)
    assert paired[0] == paired[1] and paired[2] == paired[3]  # same θ, same seeds within a pair
    independent = EpisodicReturn("CartPole-v1", seed=0, common_random_numbers=False)(theta)
    assert len(set(independent.tolist())) > 1  # the initial states differ


def test_crn_pairs_survive_chunking_and_calls():
    objective = EpisodicReturn("CartPole-v1", seed=1)
    theta = torch.tensor([[0.1, 0.5, 0.2, 0.3, 0.0]], dtype=torch.float64)
    values = torch.cat([objective(theta) for _ in range(6)])  # one point per call
    assert values[0] == values[1] and values[2] == values[3] and values[4] == values[5]


def test_cartpole_solved_by_episodic_mvd():
    run = train_episodic("CartPole-v1", "mvd", 2000, seed=0, target=500)
    assert run.solved_at is not None and run.solved_at <= 2000


def test_policies_and_bad_input():
    assert LinearPolicy(4, num_actions=2).num_params == 5
    assert LinearPolicy(3, act_dim=1).num_params == 4
    mlp = MLPPolicy(4, num_actions=3, hidden=(8,))
    assert mlp.num_params == (4 + 1) * 8 + (8 + 1) * 3
    assert mlp.act(mlp.init(np.random.default_rng(0)), np.zeros(4)) in (0, 1, 2)
    with pytest.raises(ValueError, match="unknown environment 'CartPol-v1'"):
        EpisodicReturn("CartPol-v1")
    with pytest.raises(ValueError, match="the policy expects 3 observations but CartPole-v1 gives 4"):
        EpisodicReturn("CartPole-v1", policy=LinearPolicy(3, num_actions=2))
    with pytest.raises(ValueError, match="continuous actions; the policy does not"):
        EpisodicReturn("Pendulum-v1", policy=LinearPolicy(3, num_actions=2))
    with pytest.raises(ValueError, match=r"shape \(n, 5\)"):
        EpisodicReturn("CartPole-v1")(torch.zeros(2, 4))
    system = LQR.random(2, 1, generator(0))
    with pytest.raises(ValueError, match=r"K must have shape \(actions, states\) = \(1, 2\)"):
        system.cost(torch.zeros(2, 1, dtype=torch.float64))
    with pytest.raises(ValueError, match="does not stabilise"):
        system.cost(torch.tensor([[-50.0, -50.0]], dtype=torch.float64))


def test_critic_evaluation_counts():
    from weakgrad.rl import critic_evaluations_per_state

    assert critic_evaluations_per_state(wg.ScoreFunction(), 3, 5) == 5
    assert critic_evaluations_per_state(wg.Pathwise(), 3, 5) == 5
    assert critic_evaluations_per_state(wg.MeasureValued(parameters=["loc"]), 3, 5) == 30
    assert critic_evaluations_per_state(wg.MeasureValued(coordinates=1), 3, 5) == 10
    with pytest.raises(ValueError, match="no critic-evaluation count"):
        critic_evaluations_per_state(wg.Auto(), 3, 5)
