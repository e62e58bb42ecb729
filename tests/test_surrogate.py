"""``surrogate().backward()`` puts exactly ``grad()`` into the parameters and chains it onwards."""

from __future__ import annotations

import pytest
import torch
from torch.distributions import Bernoulli, Categorical, Normal

import weakgrad as wg
from conftest import generator

ESTIMATORS = [wg.MeasureValued(), wg.ScoreFunction(baseline="leave_one_out"), wg.Pathwise()]


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=repr)
def test_surrogate_backward_equals_grad_through_log_scale(estimator):
    loc = torch.tensor([-1.0, 1.0], requires_grad=True)
    log_scale = torch.tensor([-2.0, -1.0], requires_grad=True)
    g = wg.grad(wg.problems.rosenbrock, Normal(loc, log_scale.exp()), estimator, num_samples=8, generator=generator(0))
    loss = wg.surrogate(wg.problems.rosenbrock, Normal(loc, log_scale.exp()), estimator, num_samples=8,
                        generator=generator(0))
    loss.backward()
    assert torch.allclose(loc.grad, g["loc"])
    assert torch.allclose(log_scale.grad, g["scale"] * log_scale.detach().exp())  # d/d log σ = σ d/dσ
    assert torch.allclose(loss.detach(), g.value)


@pytest.mark.parametrize("estimator", [wg.MeasureValued(), wg.ScoreFunction(baseline="leave_one_out")], ids=repr)
def test_chain_rule_through_bernoulli_logits(estimator):
    logits = torch.tensor([0.3, -1.2, 2.0], requires_grad=True)
    f = lambda x: x @ torch.tensor([1.0, 2.0, -3.0])  # noqa: E731
    g = wg.grad(f, Bernoulli(logits=logits), estimator, num_samples=16, generator=generator(1))
    wg.surrogate(f, Bernoulli(logits=logits), estimator, num_samples=16, generator=generator(1)).backward()
    p = torch.sigmoid(logits.detach())
    assert torch.allclose(logits.grad, g["probs"] * p * (1 - p))
    if isinstance(estimator, wg.MeasureValued):  # δ₁ vs δ₀ on a linear f: exact
        assert torch.allclose(logits.grad, torch.tensor([1.0, 2.0, -3.0]) * p * (1 - p))


def test_chain_rule_into_a_network_producing_categorical_logits():
    torch.manual_seed(0)  # the network's initialisation only; weakgrad itself never touches the global RNG
    net = torch.nn.Linear(4, 3)
    features = torch.ones(2, 4)
    table = torch.tensor([0.0, 1.0, 5.0])
    f = lambda x: table[x].sum(-1)  # noqa: E731
    loss = wg.surrogate(f, Categorical(logits=net(features)), wg.MeasureValued(), num_samples=4,
                        generator=generator(2))
    loss.backward()
    g = wg.grad(f, Categorical(logits=net(features)), wg.MeasureValued(), num_samples=4, generator=generator(2))
    # torch normalises the logits (z − logsumexp z); backward chains through that normalisation too,
    # which removes the estimate's component along (1, …, 1), a direction with zero true gradient
    normalised = Categorical(logits=net(features)).logits
    expected = torch.autograd.grad((g["logits"] * normalised).sum(), net.weight)[0]
    assert torch.allclose(net.weight.grad, expected)
    centred = g["logits"] - g["logits"].sum(-1, keepdim=True) * torch.softmax(net(features), -1).detach()
    assert torch.allclose(net.weight.grad, centred.T @ features)
