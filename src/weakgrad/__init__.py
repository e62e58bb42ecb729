"""weakgrad: gradients of expectations of black-box functions, with measure-valued derivatives.

    ∇_ψ E_{x ~ p_ψ}[f(x)]

The public surface is exactly what this module imports.
"""

from weakgrad import lab, optim, problems, rl, weak
from weakgrad.api import grad, surrogate
from weakgrad.estimators import (
    Auto,
    ConvexCombined,
    Estimator,
    Gradient,
    MeasureValued,
    MovingAverage,
    Pathwise,
    Query,
    RandomBasisMVD,
    ScoreFunction,
)
from weakgrad.evaluation import NonFiniteValueError, evaluate, numpy_objective
from weakgrad.weak import register_weak_derivative, supported_pairs

__version__ = "0.1.0"

__all__ = [
    "Auto",
    "ConvexCombined",
    "Estimator",
    "Gradient",
    "MeasureValued",
    "MovingAverage",
    "NonFiniteValueError",
    "Pathwise",
    "Query",
    "RandomBasisMVD",
    "ScoreFunction",
    "evaluate",
    "grad",
    "lab",
    "numpy_objective",
    "optim",
    "problems",
    "register_weak_derivative",
    "rl",
    "supported_pairs",
    "surrogate",
    "weak",
]
