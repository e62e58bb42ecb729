"""Regenerate docs/optimisation.md: search-gradient optimisers against OpenAI-ES, PGPE and CMA-ES on COCO bbob.

    python benchmarks/optimisation.py [--functions 1-24] [--dims 2,5,10] [--instances 1-3]
                                      [--budget-multiplier 2000] [--workers 2]

Runs (or resumes) the sweep with `weakgrad bench bbob`'s machinery into docs/data/bbob/ (runs.jsonl plus
COCO-format data for cocopp), then writes ERT tables, an ECDF figure and the optimisers' own overhead per
evaluation next to pycma's, measured in the same process.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from pathlib import Path

import torch

import weakgrad as wg
from weakgrad import plots
from weakgrad.cli.common import parse_ranges
from weakgrad.optim import bbob_bench, make_optimizer

ROOT = Path(__file__).resolve().parents[1]
OPTIMIZERS = ("mvd", "auto", "openai-es", "pgpe", "cma")
SEPARABLE_SMOOTH = (1, 2, 5)  # sphere, separable ellipsoid, linear slope


def overhead(dims=(10, 100), population: int = 20, steps: int = 200) -> list[tuple]:
    """Median seconds of ask + tell per evaluation (f excluded), ours next to pycma's."""
    rows = []
    torch.set_num_threads(1)
    for d in dims:
        for name in ("cma", "openai-es", "pgpe", "mvd"):
            if name == "cma":
                options = {"popsize": population}
            else:
                options = {"budget_per_step": max(population, 4 * d if name == "mvd" else 0)}
            es = make_optimizer(name, torch.ones(d), 1.0, seed=0, max_evaluations=10**9, **options)
            times = []
            for _ in range(steps):
                start = time.perf_counter()
                x = es.ask()
                asked = time.perf_counter()
                values = wg.problems.sphere(x)
                told = time.perf_counter()
                es.tell(x, values)
                end = time.perf_counter()
                times.append(((asked - start) + (end - told)) / x.shape[0])
            rows.append((d, name, x.shape[0], statistics.median(times[steps // 5:])))
    return rows


def bitstrings(d: int = 50, seeds: int = 5, budget: int = 200_000) -> list[tuple]:
    """Evaluations to the optimum of OneMax and LeadingOnes with BernoulliSearch (median over seeds)."""
    problems = {"OneMax": lambda x: -x.sum(-1), "LeadingOnes": lambda x: -torch.cumprod(x, -1).sum(-1)}
    estimators = {"mvd (δ₁ − δ₀, exact)": lambda: wg.MeasureValued(),
                  "sf-rloo": lambda: wg.ScoreFunction(baseline="leave_one_out")}
    rows = []
    for pname, f in problems.items():
        for ename, make in estimators.items():
            runs = []
            for seed in range(seeds):
                es = wg.optim.BernoulliSearch(d, make(), seed=seed, target=-d, max_evaluations=budget)
                while not es.stop():
                    x = es.ask()
                    es.tell(x, f(x))
                runs.append(es.evaluations if es.best_f <= -d else None)
            solved = [r for r in runs if r is not None]
            rows.append((pname, ename, len(solved), seeds, statistics.median(solved) if solved else None))
    return rows


def _fmt_ert(ert: float, successes: int, runs: int) -> str:
    return "—" if math.isinf(ert) else f"{ert:,.0f}" + ("" if successes == runs else f" ({successes}/{runs})")


def report(runs: list[dict], args, timings: list[tuple], bits: list[tuple]) -> str:
    table = bbob_bench.ert_table(runs)
    optimizers = [o for o in OPTIMIZERS if any(r["optimizer"] == o for r in runs)]
    dims = sorted({r["dim"] for r in runs})
    functions = sorted({r["function"] for r in runs})
    lines = [
        "# Black-box optimisation on COCO bbob",
        "",
        f"Regenerate with `make optimisation` (`python benchmarks/optimisation.py --functions {args.functions} "
        f"--dims {args.dims} --instances {args.instances} --budget-multiplier {args.budget_multiplier:g}`); "
        "the runs and COCO-format data (for `cocopp`) are in `docs/data/bbob/`. Every run starts at the suite's "
        f"initial solution with σ₀ = 2 and stops at {args.budget_multiplier:g}·d evaluations or f − f_opt ≤ 1e-8. "
        "The search-gradient optimisers share one update (natural gradient of a diagonal Normal, centred ranks, "
        "step sizes 4 and 0.5) and differ only in the gradient estimator: `mvd` (stratified coupled MVD of loc "
        "and scale), `auto` (the Auto hybrid), `openai-es` (antithetic score function), `pgpe` (antithetic with "
        "the optimal baseline); `cma` is pycma's CMA-ES without restarts.",
        "",
        f"This sweep is smaller than the issue's (instances {args.instances} rather than 1–15, "
        f"budget {args.budget_multiplier:g}·d rather than 1e4·d) to fit this session's time; the command above "
        "with `--instances 1-15 --budget-multiplier 10000` runs the full one (and resumes if interrupted).",
        "",
        "ERT = evaluations summed over runs / successes; `—`: no run reached the target; (s/r): s of r runs did.",
        "",
    ]
    for d in dims:
        for target in (1e-8, 1e-2):
            lines += [f"## d = {d}: ERT to f − f_opt ≤ {target:g}", "",
                      "| f | " + " | ".join(optimizers) + " | best search gradient / CMA-ES |",
                      "|---:|" + "---:|" * (len(optimizers) + 1)]
            for f in functions:
                cells = [table.get((o, f, d), {}).get(target, (math.inf, 0, 0)) for o in optimizers]
                ours = [c[0] for o, c in zip(optimizers, cells, strict=True) if o != "cma"]
                cma = next((c[0] for o, c in zip(optimizers, cells, strict=True) if o == "cma"), math.inf)
                best = min(ours) if ours else math.inf
                ratio = "—" if math.isinf(best) or math.isinf(cma) else f"{best / cma:.2f}"
                lines.append(f"| f{f} | " + " | ".join(_fmt_ert(*c) for c in cells) + f" | {ratio} |")
            lines.append("")
    wins = {o: 0 for o in optimizers if o != "cma"}
    for d in dims:
        for f in functions:
            cells = {o: table.get((o, f, d), {}).get(1e-2, (math.inf, 0, 0))[0] for o in wins}
            if not all(math.isinf(v) for v in cells.values()):
                wins[min(cells, key=cells.get)] += 1
    lines += ["![ECDF](data/bbob/ecdf.png)", "",
              "## Summary", "",
              "Best search-gradient optimiser per (function, d) at target 1e-2 (fewest evaluations): "
              + ", ".join(f"{k} {v}" for k, v in wins.items()) + ".", ""]
    sep = []
    for d in dims:
        for f in SEPARABLE_SMOOTH:
            cma = table.get(("cma", f, d), {}).get(1e-8, (math.inf, 0, 0))[0]
            for o in ("mvd", "auto"):
                ours = table.get((o, f, d), {}).get(1e-8, (math.inf, 0, 0))[0]
                if not math.isinf(cma):
                    sep.append(f"{o} f{f} d={d}: {ours / cma:.2f}×")
    ahead = {o: [0, 0] for o in ("mvd", "auto")}
    for d in dims:
        for f in functions:
            peers = [table.get((p, f, d), {}).get(1e-2, (math.inf, 0, 0))[0] for p in ("openai-es", "pgpe")]
            for o in ahead:
                ours = table.get((o, f, d), {}).get(1e-2, (math.inf, 0, 0))[0]
                if not (math.isinf(ours) and all(math.isinf(p) for p in peers)):
                    ahead[o][1] += 1
                    ahead[o][0] += ours < min(peers)
    lines += ["On the separable smooth functions (f1, f2, f5), ERT to 1e-8 relative to CMA-ES: " + "; ".join(sep)
              + ".", "",
              "The aims were: ahead of OpenAI-ES and PGPE everywhere, and within 2× of CMA-ES on the separable and "
              "smooth unimodal functions. Measured (target 1e-2, over the (function, d) pairs where any of the three "
              "reached it): " + "; ".join(f"`{o}` is ahead of both in {a} of {n}" for o, (a, n) in ahead.items())
              + ". Where the ratios above exceed 2, the aim is missed; on the non-separable functions (f8–f14) only "
              "CMA-ES, which learns a full covariance, gets anywhere near 1e-8 within this budget — a diagonal "
              "search distribution cannot follow a rotated valley whatever its gradient estimator.", "",
              "## The optimisers' own overhead (ask + tell, f excluded)", "",
              "Median seconds per evaluation over 160 steps after 40 of warm-up, one thread, sphere, measured in the "
              "same process (`overhead()` in this script). Population 20 (MVD: one sample of loc and scale, 4·d "
              "evaluations, since it cannot use fewer).", "",
              "| d | optimiser | evaluations per step | µs per evaluation |", "|---:|---|---:|---:|"]
    lines += [f"| {d} | {name} | {pop} | {t * 1e6:.1f} |" for d, name, pop, t in timings]
    lines += ["", "## Bit strings (BernoulliSearch, d = 50, 5 seeds, Adam on the logits, lr 0.3)", "",
              "| problem | estimator | solved | median evaluations to the optimum |", "|---|---|---:|---:|"]
    lines += [f"| {p} | {e} | {k}/{n} | {m if m is not None else '—'} |" for p, e, k, n, m in bits]
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--functions", default="1-24")
    parser.add_argument("--dims", default="2,5,10")
    parser.add_argument("--instances", default="1-3")
    parser.add_argument("--budget-multiplier", type=float, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    data = args.out / "data" / "bbob"
    dims = [int(d) for d in args.dims.split(",")]
    functions, instances = parse_ranges(args.functions, "functions"), parse_ranges(args.instances, "instances")
    bbob_bench.run_sweep(OPTIMIZERS, functions, dims, instances, args.budget_multiplier, data, args.seed, args.workers)
    runs = bbob_bench.read_runs(data)
    plots.bbob_ecdf(runs, dims).savefig(data / "ecdf.png", dpi=130)
    timings = overhead()
    bits = bitstrings()
    (args.out / "optimisation.md").write_text(report(runs, args, timings, bits))
    print(f"wrote {args.out / 'optimisation.md'}")


if __name__ == "__main__":
    main()
