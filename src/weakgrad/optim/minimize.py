"""``minimize``: run an ask/tell optimiser to a budget, with a progress bar."""

from __future__ import annotations

from collections.abc import Callable

import torch
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from weakgrad.estimators import Estimator
from weakgrad.optim.search_gradient import Result, SearchGradient

__all__ = ["minimize"]

Evaluator = Callable[[Callable[[torch.Tensor], torch.Tensor], torch.Tensor], torch.Tensor]


def _in_process(f: Callable[[torch.Tensor], torch.Tensor], points: torch.Tensor) -> torch.Tensor:
    return torch.as_tensor(f(points))


def minimize(f: Callable[[torch.Tensor], torch.Tensor], x0, sigma0, budget: int, estimator: Estimator | None = None,
             evaluator: Evaluator | None = None, callback: Callable[[SearchGradient], None] | None = None,
             progress: bool = True, **options) -> Result:
    """Minimise f from ``x0`` with a :class:`SearchGradient` until ``budget`` evaluations or another stop.

    Args:
        f: batched objective ``(m, d) -> (m,)``.
        x0, sigma0: initial mean and standard deviation(s).
        budget: evaluations of f.
        estimator: any weakgrad estimator (default: stratified coupled MVD).
        evaluator: ``(f, points) -> values`` (default: f called in process on the whole batch).
        callback: called with the optimiser after every step.
        progress: show a rich progress bar with the best value and evaluations.
        options: passed on to :class:`SearchGradient` (lr, seed, target, fitness_shaping, ...).
    """
    if isinstance(budget, bool) or not isinstance(budget, int) or budget < 1:
        raise ValueError(f"budget must be a positive int, got {budget!r}")
    es = SearchGradient(x0, sigma0, estimator, max_evaluations=budget, **options)
    evaluate = evaluator or _in_process
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total} evals"),
               TextColumn("best {task.fields[best]}"), TimeElapsedColumn())
    with Progress(*columns, disable=not progress, transient=True) as bar:
        task = bar.add_task("minimize", total=budget, best="-")
        while not es.stop():
            points = es.ask()
            es.tell(points, evaluate(f, points))
            bar.update(task, completed=min(es.evaluations, budget), best=f"{es.best_f:.4g}")
            if callback is not None:
                callback(es)
    return es.result
