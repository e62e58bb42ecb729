"""Gradient estimators sharing one protocol (``ask`` → :class:`Query`, ``tell`` → :class:`Gradient`)."""

from weakgrad.estimators.auto import Auto
from weakgrad.estimators.base import Estimator, Gradient, Query
from weakgrad.estimators.baselines import MovingAverage
from weakgrad.estimators.hybrid import ConvexCombined
from weakgrad.estimators.measure_valued import MeasureValued
from weakgrad.estimators.pathwise import Pathwise
from weakgrad.estimators.random_basis import RandomBasisMVD
from weakgrad.estimators.score_function import ScoreFunction

__all__ = ["Auto", "ConvexCombined", "Estimator", "Gradient", "MeasureValued", "MovingAverage", "Pathwise", "Query",
           "RandomBasisMVD", "ScoreFunction"]
