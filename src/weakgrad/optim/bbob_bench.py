"""Benchmarking optimisers on the COCO ``bbob`` suite: ERT, success rates, ECDFs, COCO-format data.

One run = one optimiser on one (function, dimension, instance) from ``problem.initial_solution`` with
σ₀ = 2 (the domain is [−5, 5]^d), until ``budget_multiplier · d`` evaluations or f − f_opt ≤ 1e-8.
For every target 10^k, k = 2 … −8, a run records the evaluations at which it first reached f − f_opt ≤ 10^k.

    ERT(target) = Σ_runs evals_r / #successes      (Hansen et al. 2021; evals_r: to success, or the whole run)

Runs are independent: they go to a process pool one function at a time per process (cocoex observers
write per-function files, so two processes never write the same file), and each finished run is appended
to ``runs.jsonl``; a rerun skips finished runs (``resume``). COCO-format data for ``cocopp`` is written
by cocoex's Observer under ``coco/<optimizer>/``.
"""

from __future__ import annotations

import json
import math
import os
import shutil
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import numpy as np
import torch

from weakgrad.optim.peers import PEERS, make_optimizer

__all__ = ["TARGETS", "ecdf", "ert_table", "read_runs", "run_one", "run_sweep"]

TARGETS = tuple(10.0**k for k in range(2, -9, -1))


def _key(optimizer: str, function: int, dim: int, instance: int) -> str:
    return f"{optimizer}/f{function}/d{dim}/i{instance}"


def run_one(optimizer: str, function: int, dim: int, instance: int, budget_multiplier: float, seed: int,
            observer_folder: Path | None = None) -> dict:
    """One run; returns a JSON-able record with the evaluations to reach each of ``TARGETS`` (None if never)."""
    import cocoex

    torch.set_num_threads(1)
    # the default suite holds instances 1-5 only; ask for exactly this problem
    suite = cocoex.Suite("bbob", f"instances: {instance}", f"dimensions: {dim} function_indices: {function}")
    problem = suite.get_problem_by_function_dimension_instance(function, dim, instance)
    if observer_folder is not None:
        observer = cocoex.Observer("bbob", f"result_folder: {observer_folder} algorithm_name: {optimizer}")
        problem.observe_with(observer)
    f_opt = float(cocoex.BareProblem("bbob", function, dim, instance).best_value())
    budget = int(budget_multiplier * dim)
    run_seed = seed * 1_000_003 + function * 10_007 + dim * 101 + instance
    es = make_optimizer(optimizer, torch.as_tensor(np.asarray(problem.initial_solution), dtype=torch.float64),
                        2.0, seed=run_seed, max_evaluations=budget, target=f_opt + 1e-8)
    hits: list[int | None] = [None] * len(TARGETS)
    evaluations, best = 0, math.inf
    try:
        while evaluations < budget:
            points = es.ask()
            values = []
            for row in points.numpy():
                value = float(problem(row))
                evaluations += 1
                values.append(value)
                if value < best:
                    best = value
                    for k, target in enumerate(TARGETS):
                        if hits[k] is None and best - f_opt <= target:
                            hits[k] = evaluations
            es.tell(points, torch.tensor(values, dtype=torch.float64))
            if hits[-1] is not None or es.stop():
                break
    finally:
        problem.free()
    return {"key": _key(optimizer, function, dim, instance), "optimizer": optimizer, "function": function,
            "dim": dim, "instance": instance, "evaluations": evaluations, "budget": budget,
            "best_delta": best - f_opt, "hits": hits}


def read_runs(out: Path) -> list[dict]:
    path = Path(out) / "runs.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _function_batch(jobs: Sequence[tuple], budget_multiplier: float, seed: int, out: str) -> list[dict]:
    """All jobs of one (optimizer, function), sequentially in one process, with one observer folder."""
    optimizer, function = jobs[0][0], jobs[0][1]
    work = Path(out).resolve() / "coco_parts"
    work.mkdir(parents=True, exist_ok=True)
    os.chdir(work)  # cocoex writes under ./exdata/<result_folder>; this worker process owns its cwd
    folder = Path(f"{optimizer}_f{function:02d}")
    return [run_one(o, f, d, i, budget_multiplier, seed, folder) for o, f, d, i in jobs]


def run_sweep(optimizers: Sequence[str], functions: Sequence[int], dims: Sequence[int], instances: Sequence[int],
              budget_multiplier: float, out: Path, seed: int = 0, workers: int | None = None,
              on_run: Callable[[dict], None] | None = None) -> list[dict]:
    """Run every missing (optimizer, function, dim, instance) and append it to ``out/runs.jsonl``."""
    unknown = [o for o in optimizers if o not in PEERS]
    if unknown:
        raise ValueError(f"unknown optimizer(s) {unknown}; valid: {', '.join(PEERS)}")
    bad = [f for f in functions if f not in range(1, 25)]
    if bad:
        raise ValueError(f"BBOB functions are 1..24; got {bad}")
    from weakgrad.problems.bbob import MAX_DIMENSION

    if any(not 1 <= d <= MAX_DIMENSION for d in dims):
        raise ValueError(f"BBOB dimensions must lie in 1..{MAX_DIMENSION}; got {list(dims)}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    done = {r["key"] for r in read_runs(out)}
    batches: dict[tuple[str, int], list[tuple]] = defaultdict(list)
    for o in optimizers:
        for f in functions:
            for d in dims:
                for i in instances:
                    if _key(o, f, d, i) not in done:
                        batches[o, f].append((o, f, d, i))
    records = []
    with (out / "runs.jsonl").open("a") as log, ProcessPoolExecutor(workers or os.cpu_count() or 1) as pool:
        futures = [pool.submit(_function_batch, jobs, budget_multiplier, seed, str(out)) for jobs in batches.values()]
        for future in as_completed(futures):
            for record in future.result():
                log.write(json.dumps(record) + "\n")
                log.flush()
                records.append(record)
                if on_run is not None:
                    on_run(record)
    _merge_coco(out)
    return records


def _merge_coco(out: Path) -> None:
    """Gather the per-function observer folders into ``coco/<optimizer>/`` (files never collide: per function)."""
    parts = out / "coco_parts" / "exdata"
    if not parts.exists():
        return
    for part in sorted(parts.iterdir()):
        optimizer = part.name.rsplit("_f", 1)[0]  # cocoex appends -001 … to a folder that exists
        target = out / "coco" / optimizer
        for source in part.rglob("*"):
            if source.is_file():
                destination = target / source.relative_to(part)
                destination.parent.mkdir(parents=True, exist_ok=True)
                if destination.exists() and destination.suffix in (".info", ".dat", ".tdat", ".mdat", ".rdat"):
                    with destination.open("a") as handle:  # a resumed sweep appends to the same function's files
                        handle.write(source.read_text())
                else:
                    shutil.copy2(source, destination)
    shutil.rmtree(out / "coco_parts")


def ert_table(runs: Sequence[dict]) -> dict[tuple[str, int, int], dict[float, tuple[float, int, int]]]:
    """(optimizer, function, dim) -> target -> (ERT, successes, runs); ERT is inf without a success."""
    groups: dict[tuple[str, int, int], list[dict]] = defaultdict(list)
    for r in runs:
        groups[r["optimizer"], r["function"], r["dim"]].append(r)
    table = {}
    for key, rs in groups.items():
        row = {}
        for k, target in enumerate(TARGETS):
            successes = [r for r in rs if r["hits"][k] is not None]
            spent = sum(r["hits"][k] if r["hits"][k] is not None else r["evaluations"] for r in rs)
            row[target] = (spent / len(successes) if successes else math.inf, len(successes), len(rs))
        table[key] = row
    return table


def ecdf(runs: Sequence[dict], optimizer: str, dim: int, grid: np.ndarray) -> np.ndarray:
    """Fraction of (function, instance, target) triples solved within ``grid · dim`` evaluations."""
    rs = [r for r in runs if r["optimizer"] == optimizer and r["dim"] == dim]
    if not rs:
        return np.zeros_like(grid, dtype=float)
    hits = np.array([[h if h is not None else np.inf for h in r["hits"]] for r in rs], dtype=float).reshape(-1)
    return np.array([(hits <= g * dim).mean() for g in grid])
