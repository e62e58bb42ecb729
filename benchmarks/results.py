"""Regenerate docs/results.md: which estimator has the lowest relative MSE per evaluation, and by how much.

    python benchmarks/results.py [--quick] [--seed 0]

1. The founding comparison: 2-D Rosenbrock, loc (−1, 1), σ = 0.1, budgets 8 … 256.
2. The suite: {rosenbrock, sphere, ellipsoid, rastrigin, styblinski_tang, ackley} × d ∈ {2, 10, 100}
   × σ ∈ {0.1, 1}, budgets 4d, 16d and 64d evaluations, gradient with respect to the loc.
3. Relative MSE against dimension at a budget of 8·d (Rosenbrock), to test whether MVD's advantage
   shrinks as d grows.
Data go to docs/data/*.csv, figures to docs/figures/*.png.
"""

from __future__ import annotations

import argparse
import itertools
from collections import defaultdict
from pathlib import Path

import torch
from rich.progress import Progress

import weakgrad as wg
from weakgrad import lab, plots

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
ESTIMATORS = ("sf", "sf-rloo", "sf-optimal", "antithetic", "mvd", "mvd-uncoupled", "pathwise")
SUITE = ("rosenbrock", "sphere", "ellipsoid", "rastrigin", "styblinski_tang", "ackley")


def _loc(d: int, generator: torch.Generator) -> torch.Tensor:
    """A fixed, seeded starting point: U(−1.5, 1.5)^d (never the optimum, so ‖g‖ > 0)."""
    return (torch.rand(d, generator=generator, dtype=torch.float64) * 3 - 1.5)


def _fmt(x: float) -> str:
    return f"{x:.3g}"


def founding(repeats: int, generator: torch.Generator, progress: Progress) -> list[dict]:
    loc = torch.tensor([-1.0, 1.0], dtype=torch.float64)
    scale = torch.full((2,), 0.1, dtype=torch.float64)
    budgets = [8, 16, 32, 64, 128, 256]
    records = []
    for params in (["loc"], ["loc", "scale"]):
        named = {n: lab.make_estimator(n, params) for n in ESTIMATORS}
        task = progress.add_task(f"founding {'+'.join(params)}", total=len(named) * len(budgets))
        records += lab.compare(wg.problems.rosenbrock, loc, scale, named, budgets, repeats, generator, params,
                               on_step=lambda task=task: progress.advance(task))
    return records


def suite(dims: tuple[int, ...], repeats: int, generator: torch.Generator, progress: Progress) -> list[dict]:
    records = []
    task = progress.add_task("suite", total=len(SUITE) * len(dims) * 2)
    for d in dims:
        loc = _loc(d, generator)
        for sigma in (0.1, 1.0):
            scale = torch.full((d,), sigma, dtype=torch.float64)
            for name in SUITE:
                named = {n: lab.make_estimator(n, ["loc"]) for n in ESTIMATORS}
                budgets = [4 * d, 16 * d, 64 * d]
                records += lab.compare(wg.problems.get(name), loc, scale, named, budgets, repeats, generator)
                progress.advance(task)
    return records


def dimension(dims: tuple[int, ...], repeats: int, generator: torch.Generator, progress: Progress) -> list[dict]:
    named = {n: lab.make_estimator(n, ["loc"]) for n in ("sf-rloo", "sf-optimal", "antithetic", "mvd", "pathwise")}
    records = []
    task = progress.add_task("dimension", total=len(dims))
    for d in dims:
        loc = torch.tensor([-1.0, 1.0] * (d // 2) + [-1.0] * (d % 2), dtype=torch.float64)
        scale = torch.full((d,), 0.1, dtype=torch.float64)
        records += lab.compare(wg.problems.rosenbrock, loc, scale, named, [8 * d], repeats, generator)
        progress.advance(task)
    return records


def _table(records: list[dict], row_key: str, title_cols: list[str]) -> list[str]:
    """Markdown: one row per value of ``row_key``, one column per estimator, relative MSE; best in bold."""
    by_row: dict = defaultdict(dict)
    for r in records:
        by_row[r[row_key]][r["estimator"]] = r["rel_mse"]
    names = list(dict.fromkeys(r["estimator"] for r in records))
    lines = ["| " + " | ".join([*title_cols, *names]) + " |", "|" + "---:|" * (len(title_cols) + len(names))]
    for key, row in by_row.items():
        best = min(row.values())
        cells = [f"**{_fmt(v)}**" if v == best else _fmt(v) for v in (row[n] for n in names)]
        lines.append("| " + " | ".join([str(key), *cells]) + " |")
    return lines


def _winners(records: list[dict]) -> tuple[list[str], dict[str, int]]:
    """Per (problem, d, σ, budget) cell: the winner and its margin over the runner-up."""
    cells: dict = defaultdict(dict)
    for r in records:
        cells[r["problem"], r["dim"], r["sigma"], r["budget"]][r["estimator"]] = r["rel_mse"]
    wins: dict[str, int] = defaultdict(int)
    lines = ["| problem | d | σ | budget | winner | rel. MSE | runner-up | margin (×) | sf-rloo / mvd |",
             "|---|---:|---:|---:|---|---:|---|---:|---:|"]
    for (problem, d, sigma, budget), row in cells.items():
        ranked = sorted(row.items(), key=lambda kv: kv[1])
        (w, wv), (ru, rv) = ranked[0], ranked[1]
        wins[w] += 1
        lines.append(f"| {problem} | {d} | {sigma:g} | {budget} | {w} | {_fmt(wv)} | {ru} | {rv / wv:.2f} | "
                     f"{row['sf-rloo'] / row['mvd']:.2f} |")
    return lines, dict(sorted(wins.items(), key=lambda kv: -kv[1]))


def _black_box_winners(records: list[dict]) -> dict[str, int]:
    """Winners when the pathwise gradient is unavailable (f a black box)."""
    cells: dict = defaultdict(dict)
    for r in records:
        if r["estimator"] != "pathwise":
            cells[r["problem"], r["dim"], r["sigma"], r["budget"]][r["estimator"]] = r["rel_mse"]
    wins: dict[str, int] = defaultdict(int)
    for row in cells.values():
        wins[min(row, key=row.get)] += 1
    return dict(sorted(wins.items(), key=lambda kv: -kv[1]))


def _span(ratios: list[float]) -> str:
    return f"{min(ratios):.2f}–{max(ratios):.2f}"


def _claim_one(vs_sf: list[float], vs_rloo: list[float], vs_anti: list[float], budgets: list[int]) -> str:
    """The verdict on claim 1, worded from the measured ratios (ratio > 1: MVD has the lower relative MSE)."""
    def verdict(ratios: list[float], peer: str) -> str:
        if min(ratios) > 1:
            return f"MVD beats {peer} at every budget (its relative MSE is {_span(ratios)}× lower)"
        if max(ratios) < 1:
            return f"{peer} beats MVD at every budget (MVD's relative MSE is {_span([1 / r for r in ratios])}× higher)"
        return f"neither wins at every budget against {peer} (ratios {_span(ratios)})"

    text = (f"Budgets {budgets[0]}–{budgets[-1]}: {verdict(vs_sf, 'plain REINFORCE')}; {verdict(vs_rloo, 'RLOO')}; "
            f"{verdict(vs_anti, 'antithetic sampling')}.")
    if max(vs_anti) < 1 < min(vs_sf):
        text += (" So the claim holds against REINFORCE but not against antithetic ES sampling. A reading of why: "
                 "at σ = 0.1 the local variation of f is dominated by its odd (linear) part, which antithetic pairs "
                 "keep while cancelling every even part in all coordinates at once; coupled MVD cancels the even "
                 "part only in the coordinate it perturbs, and its per-sample estimate still moves with the other "
                 "coordinates of the base sample (Rosenbrock's x₁·x₂ coupling: ∂₁f varies by about 400·σ ≈ 40 "
                 "across samples, against ‖g‖ = 16).")
    return text


def write_report(found: list[dict], suite_records: list[dict], dims: list[dict], args: argparse.Namespace) -> str:
    loc_only = [r for r in found if r["params"] == "loc"]
    both = [r for r in found if r["params"] == "loc+scale"]
    by = {(r["estimator"], r["budget"]): r["rel_mse"] for r in loc_only}
    budgets = sorted({r["budget"] for r in loc_only})
    mvd_vs_sf = [by["sf", b] / by["mvd", b] for b in budgets]
    mvd_vs_rloo = [by["sf-rloo", b] / by["mvd", b] for b in budgets]
    mvd_vs_anti = [by["antithetic", b] / by["mvd", b] for b in budgets]
    dim_by = {(r["estimator"], r["dim"]): r["rel_mse"] for r in dims}
    dim_values = sorted({r["dim"] for r in dims})
    suite_lines, wins = _winners(suite_records)
    black_box = _black_box_winners(suite_records)
    lines = [
        "# Which gradient estimator wins where",
        "",
        f"Regenerate with `make results` (`python benchmarks/results.py{' --quick' if args.quick else ''} "
        f"--seed {args.seed}`). Every comparison is at equal evaluations of f: an estimator gets as many samples as "
        "fit in the budget (MVD on the loc costs 2d evaluations per sample, the others 1). Relative MSE = "
        "E‖ĝ − g‖² / ‖g‖² against the exact gradient of the Gaussian-smoothed objective (Ackley: a 2-million-"
        "evaluation pathwise reference), over "
        f"{args.repeats} independent estimates per cell. Estimators: `sf` (REINFORCE, no baseline), `sf-rloo` "
        "(leave-one-out baseline), `sf-optimal` (per-coordinate optimal baseline, leave-one-out), `antithetic` "
        "(mirrored pairs, the OpenAI-ES estimator), `mvd` (coupled measure-valued derivative), `mvd-uncoupled`, "
        "`pathwise` (needs a differentiable f; shown for reference). Raw data: `docs/data/*.csv`.",
        "",
        "## 1. The founding comparison: 2-D Rosenbrock, loc (−1, 1), σ = 0.1",
        "",
        "Relative MSE of the loc gradient (‖g‖ = 16.1); lowest in bold.",
        "",
        *_table(loc_only, "budget", ["budget"]),
        "",
        "![relative MSE against budget](figures/rosenbrock_rel_mse_vs_budget.png)",
        "",
        "The same with the gradient of loc and scale together (MVD then spends 4 evaluations per coordinate):",
        "",
        *_table(both, "budget", ["budget"]),
        "",
        "![founding figure](figures/rosenbrock_descent.png)",
        "",
        "### Claim 1: MVD has lower variance than REINFORCE on 2-D Rosenbrock",
        "",
        _claim_one(mvd_vs_sf, mvd_vs_rloo, mvd_vs_anti, budgets),
        "",
        "## 2. The suite",
        "",
        "Loc: a seeded draw from U(−1.5, 1.5)^d (the same for every problem at a given d); gradient of the loc. "
        "Per cell: the winner, its relative MSE, the runner-up and the factor by which the winner beats it, and "
        "the factor by which MVD beats RLOO (< 1: RLOO is better).",
        "",
        *suite_lines,
        "",
        "Wins per estimator over all cells: " + ", ".join(f"{k} {v}" for k, v in wins.items()) + ". "
        "With f a black box (pathwise excluded): " + ", ".join(f"{k} {v}" for k, v in black_box.items()) + ".",
        "",
        "## 3. Relative MSE against dimension (Rosenbrock, σ = 0.1, budget 8·d)",
        "",
        "| d | " + " | ".join(dict.fromkeys(r["estimator"] for r in dims)) + " | sf-rloo / mvd |",
        "|---:|" + "---:|" * (len(dict.fromkeys(r["estimator"] for r in dims)) + 1),
    ]
    for d in dim_values:
        names = list(dict.fromkeys(r["estimator"] for r in dims))
        lines.append(f"| {d} | " + " | ".join(_fmt(dim_by[n, d]) for n in names)
                     + f" | {dim_by['sf-rloo', d] / dim_by['mvd', d]:.2f} |")
    ratios = [dim_by["sf-rloo", d] / dim_by["mvd", d] for d in dim_values]
    trend = "shrinks" if ratios[-1] < ratios[0] else "does not shrink"
    monotone = all(a >= b for a, b in itertools.pairwise(ratios))
    lines += [
        "",
        "![relative MSE against dimension](figures/rosenbrock_rel_mse_vs_dimension.png)",
        "",
        "### Claim 2: MVD's advantage at equal budget shrinks as the dimension grows",
        "",
        f"Against RLOO at a budget of 8·d, MVD's advantage {trend}: the ratio of relative MSEs goes from "
        f"{ratios[0]:.2f} at d = {dim_values[0]} to {ratios[-1]:.2f} at d = {dim_values[-1]} "
        f"({'monotonically' if monotone else 'not monotonically'}: "
        + ", ".join(f"{r:.2f}" for r in ratios) + "). "
        "MVD's cost per sample grows as 2d, so at a budget proportional to d it keeps a fixed number of samples, "
        "while the score function's number of samples grows with d — and its per-sample variance grows with d too.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few repeats and dimensions (a smoke run)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=DOCS)
    args = parser.parse_args()
    args.repeats = 10 if args.quick else 200
    generator = torch.Generator().manual_seed(args.seed)
    suite_dims = (2, 10) if args.quick else (2, 10, 100)
    dim_list = (2, 10, 50) if args.quick else (2, 4, 10, 20, 50, 100, 200, 500, 1000)
    with Progress() as progress:
        found = founding(args.repeats, generator, progress)
        suite_records = suite(suite_dims, max(10, args.repeats // 2), generator, progress)
        dims = dimension(dim_list, max(10, args.repeats // 2), generator, progress)
    data, figures = args.out / "data", args.out / "figures"
    lab.write_csv(found, data / "founding.csv")
    lab.write_csv(suite_records, data / "suite.csv")
    lab.write_csv(dims, data / "dimension.csv")
    lab.write_config({"seed": args.seed, "repeats": args.repeats, "quick": args.quick}, data / "config.json")
    figures.mkdir(parents=True, exist_ok=True)
    loc_only = [r for r in found if r["params"] == "loc"]
    plots.rel_mse_vs_budget(loc_only, "Rosenbrock d=2, loc (−1, 1), σ=0.1: loc gradient").savefig(
        figures / "rosenbrock_rel_mse_vs_budget.png", dpi=130)
    plots.rel_mse_vs_dimension(dims, "Rosenbrock, σ=0.1, budget 8·d").savefig(
        figures / "rosenbrock_rel_mse_vs_dimension.png", dpi=130)
    runs = lab.founding_runs(wg.problems.rosenbrock, {n: lab.make_estimator(n, ["loc"]) for n in ("sf-rloo", "mvd")},
                             torch.tensor([-1.0, 1.0], dtype=torch.float64), torch.full((2,), 0.1, dtype=torch.float64),
                             budget=16, steps=1000, lr=4e-3, generator=generator)
    plots.founding_figure(wg.problems.rosenbrock, runs, "gradient descent on the loc of N(loc, 0.1²I), equal budgets"
                          ).savefig(figures / "rosenbrock_descent.png", dpi=130)
    (args.out / "results.md").write_text(write_report(found, suite_records, dims, args))
    print(f"wrote {args.out / 'results.md'}")


if __name__ == "__main__":
    main()
