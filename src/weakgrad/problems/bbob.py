"""The 24 noiseless COCO BBOB functions as batched weakgrad problems (extra ``[bbob]``: coco-experiment).

Hansen et al., "COCO: a platform for comparing continuous optimizers in a black-box setting" (2021).
Each function is evaluated by cocoex's ``BareProblem`` (no logging); f_opt and x_opt come from it.
"""

from __future__ import annotations

import numpy as np
import torch

from weakgrad.problems.base import Problem

__all__ = ["BBOB_FUNCTIONS", "bbob"]

BBOB_FUNCTIONS = range(1, 25)
#: cocoex's C code crashes (segfault) above about 50 dimensions for the rotated functions (f10, f15, f24 at
#: d = 60); 40 is bbob's largest standard dimension
MAX_DIMENSION = 40


def _cocoex():
    try:
        import cocoex
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError("BBOB problems need coco-experiment: pip install 'weakgrad[bbob]'") from error
    return cocoex


def bbob(function: int, dim: int, instance: int = 1) -> Problem:
    """BBOB function ``function`` (1–24) in dimension ``dim``, instance ``instance`` (≥ 1)."""
    # cocoex aborts the whole process on an unknown function, so check first
    if function not in BBOB_FUNCTIONS:
        raise ValueError(f"BBOB function must be an integer in 1..24, got {function!r}")
    if isinstance(dim, bool) or not isinstance(dim, int) or not 1 <= dim <= MAX_DIMENSION:
        raise ValueError(f"BBOB dimension must be an int in 1..{MAX_DIMENSION} (cocoex crashes on larger rotated "
                         f"functions), got {dim!r}")
    if not isinstance(instance, int) or instance < 1:
        raise ValueError(f"BBOB instance must be a positive int, got {instance!r}")
    bare = _cocoex().BareProblem("bbob", function, dim, instance)
    x_opt = torch.as_tensor(np.asarray(bare.best_parameter(), dtype=np.float64))

    def f(x: torch.Tensor) -> torch.Tensor:
        if x.shape[-1] != dim:
            raise ValueError(f"{bare} takes points of dimension {dim}; got shape {tuple(x.shape)}")
        rows = x.detach().cpu().double().numpy()
        return torch.tensor([bare(row) for row in rows], dtype=torch.float64)

    def minimum(d: int) -> torch.Tensor:
        if d != dim:
            raise ValueError(f"{bare} is {dim}-dimensional, asked for d={d}")
        return x_opt

    return Problem(str(bare), f, None, minimum, float(bare.best_value()), differentiable=False)
