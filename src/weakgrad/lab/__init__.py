"""The gradient-quality lab: equal-budget comparisons, metrics, tidy results."""

from weakgrad.lab.catalogue import estimator_names, make_estimator
from weakgrad.lab.compare import Truth, compare, flat_estimate, true_gradient
from weakgrad.lab.descent import FoundingRuns, descend, founding_runs
from weakgrad.lab.metrics import error_metrics
from weakgrad.lab.results_io import read_csv, versions, write_config, write_csv

__all__ = [
           "FoundingRuns",
           "Truth",
           "compare",
           "descend",
           "error_metrics",
           "estimator_names",
           "flat_estimate",
           "founding_runs",
           "make_estimator",
           "read_csv",
           "true_gradient",
           "versions",
           "write_config",
           "write_csv",
]
