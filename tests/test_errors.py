"""Bad input gets an error that names the problem and what would be valid."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch.distributions import Bernoulli, Beta, Gamma, MultivariateNormal, Normal

import weakgrad as wg
from conftest import generator

NORMAL = Normal(torch.zeros(2), torch.ones(2))


def test_nan_values_name_the_count_and_first_point():
    def f(x):
        out = x.sum(-1)
        out[3] = float("nan")
        out[5] = float("inf")
        return out

    with pytest.raises(wg.NonFiniteValueError, match=r"2 non-finite value\(s\).*at point 3"):
        wg.grad(f, NORMAL, wg.ScoreFunction(), num_samples=8, generator=generator())
    g = wg.grad(f, NORMAL, wg.ScoreFunction(), num_samples=8, generator=generator(), check_finite=False)
    assert not torch.isfinite(g["loc"]).all()


def test_wrong_shape_states_the_expected_shape():
    with pytest.raises(ValueError, match=r"values of shape \(8,\); it returned shape \(8, 1\)"):
        wg.grad(lambda x: x.sum(-1, keepdim=True), NORMAL, wg.ScoreFunction(), num_samples=8, generator=generator())


def test_tell_checks_value_count():
    est = wg.ScoreFunction()
    query = est.ask(NORMAL, 4, generator())
    with pytest.raises(ValueError, match=r"values must have shape \(4,\)"):
        est.tell(query, torch.zeros(3))


@pytest.mark.parametrize("dist", [Gamma(torch.ones(2), torch.ones(2)), Beta(torch.ones(2), torch.ones(2))])
def test_unsupported_mvd_pair_lists_the_supported_ones(dist):
    with pytest.raises(NotImplementedError, match=r"Supported: .*Normal.loc.*ScoreFunction"):
        wg.grad(lambda x: x.sum(-1), dist, wg.MeasureValued(), num_samples=2, generator=generator())


def test_mvd_on_a_joint_distribution_says_why():
    mvn = MultivariateNormal(torch.zeros(2), torch.eye(2))
    with pytest.raises((ValueError, NotImplementedError), match="MultivariateNormal"):
        wg.grad(lambda x: x.sum(-1), mvn, wg.MeasureValued(), num_samples=2, generator=generator())


def test_estimator_arguments():
    with pytest.raises(ValueError, match="leave-one-out or optimal baseline needs at least two"):
        wg.grad(lambda x: x.sum(-1), NORMAL, wg.ScoreFunction(baseline="leave_one_out"), num_samples=1,
                generator=generator())
    with pytest.raises(ValueError, match="mirrors around the mean of a Normal"):
        wg.grad(lambda x: x.sum(-1), Bernoulli(torch.full((2,), 0.5)), wg.ScoreFunction(antithetic=True),
                num_samples=4, generator=generator())
    with pytest.raises(ValueError, match="even number"):
        wg.grad(lambda x: x.sum(-1), NORMAL, wg.ScoreFunction(antithetic=True), num_samples=3, generator=generator())
    with pytest.raises(ValueError, match="no rsample"):
        wg.grad(lambda x: x.sum(-1), Bernoulli(torch.full((2,), 0.5)), wg.Pathwise(), num_samples=2,
                generator=generator())
    with pytest.raises(ValueError, match="unknown baseline 'rloo'; valid"):
        wg.ScoreFunction(baseline="rloo")
    with pytest.raises(ValueError, match="coordinates must be None or a positive int"):
        wg.MeasureValued(coordinates=0)
    with pytest.raises(ValueError, match="exceeds the dimension d=2"):
        wg.grad(lambda x: x.sum(-1), NORMAL, wg.MeasureValued(coordinates=3), num_samples=1, generator=generator())
    with pytest.raises(ValueError, match="has no parameter 'rate'; valid"):
        wg.MeasureValued(parameters=["rate"]).ask(NORMAL, 1, generator())
    with pytest.raises(ValueError, match="num_samples must be a positive int"):
        wg.grad(lambda x: x.sum(-1), NORMAL, wg.MeasureValued(), num_samples=0, generator=generator())


def test_score_function_refuses_parameter_dependent_support():
    with pytest.raises(ValueError, match="support depends on its parameters"):
        wg.grad(lambda x: x.sum(-1), torch.distributions.Uniform(torch.zeros(2), torch.ones(2)), wg.ScoreFunction(),
                num_samples=4, generator=generator())


def test_pathwise_needs_a_differentiable_f():
    with pytest.raises(ValueError, match="torch function evaluated in process"):
        wg.grad(lambda x: x.detach().sum(-1), NORMAL, wg.Pathwise(), num_samples=4, generator=generator())


def test_generator_is_required_and_checked():
    with pytest.raises(TypeError, match="generator must be a torch.Generator"):
        wg.grad(lambda x: x.sum(-1), NORMAL, wg.MeasureValued(), num_samples=2, generator=0)


def test_invalid_parameters_are_rejected_by_torch_validation():
    with pytest.raises(ValueError, match="scale"):
        Normal(torch.zeros(2), torch.tensor([1.0, -1.0]))


def test_numpy_objective_is_wrapped():
    f = wg.numpy_objective(lambda x: np.sum(x**2, axis=1))
    g = wg.grad(f, NORMAL, wg.MeasureValued(), num_samples=4, generator=generator())
    assert g["loc"].shape == (2,)
