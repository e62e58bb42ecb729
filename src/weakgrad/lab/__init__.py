"""The gradient-quality lab: equal-budget comparisons, metrics, tidy results."""

from weakgrad.lab.catalogue import estimator_names, make_estimator
from weakgrad.lab.compare import Truth, compare, flat_estimate, true_gradient
from weakgrad.lab.descent import descend
from weakgrad.lab.metrics import error_metrics
from weakgrad.lab.results_io import read_csv, versions, write_config, write_csv

__all__ = ["Truth", "compare", "descend", "error_metrics", "estimator_names", "flat_estimate", "make_estimator",
           "read_csv", "true_gradient", "versions", "write_config", "write_csv"]
