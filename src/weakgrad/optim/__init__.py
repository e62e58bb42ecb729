"""Black-box optimisation with search gradients: ask/tell optimisers, ``minimize``, fitness shaping, peers.

``weakgrad.optim.bbob_bench`` benchmarks them on COCO BBOB (imported on demand: it needs coco-experiment).
"""

from weakgrad.optim.minimize import minimize
from weakgrad.optim.peers import PEERS, make_optimizer
from weakgrad.optim.search_gradient import BernoulliSearch, Result, SearchGradient
from weakgrad.optim.shaping import centered_ranks

__all__ = ["PEERS", "BernoulliSearch", "Result", "SearchGradient", "centered_ranks", "make_optimizer", "minimize"]
