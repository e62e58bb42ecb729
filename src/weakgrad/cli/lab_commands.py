"""``weakgrad compare`` and ``weakgrad figure``: equal-budget comparisons and the lab's figures."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import torch
import typer
from rich.table import Table

from weakgrad import lab, plots, problems
from weakgrad.cli.common import (
    UsageError,
    app,
    console,
    fail,
    parse_floats,
    parse_ints,
    progress_bar,
    save_figure,
)


@app.command()
def compare(
    problem: Annotated[str, typer.Option(help=f"one of: {', '.join(problems.names())}, bbob_f<1..24>[_i<k>]")]
    = "rosenbrock",
    dim: Annotated[int, typer.Option(min=1, help="dimension d")] = 2,
    loc: Annotated[str, typer.Option(help="comma-separated loc (or one value for every coordinate)")] = "-1,1",
    scale: Annotated[str, typer.Option(help="comma-separated scale (or one value)")] = "0.1",
    estimators: Annotated[str, typer.Option(help="comma-separated names, e.g. sf,sf-rloo,antithetic,mvd")]
    = "sf,sf-rloo,sf-optimal,antithetic,mvd,pathwise",
    budgets: Annotated[str, typer.Option(help="evaluations per estimate")] = "8,16,32,64,128,256",
    repeats: Annotated[int, typer.Option(min=2, help="independent estimates per (estimator, budget)")] = 200,
    params: Annotated[str, typer.Option(help="gradient blocks compared: loc, scale or loc,scale")] = "loc",
    seed: Annotated[int, typer.Option(help="seed of the one torch.Generator used")] = 0,
    out: Annotated[Path, typer.Option(help="output folder")] = Path("results/compare"),
) -> None:
    """Equal-budget comparison: bias, variance, MSE, relative MSE and cosine per estimator and budget."""
    try:
        chosen = problems.get(problem, dim)
        loc_t, scale_t = parse_floats(loc, dim, "loc"), parse_floats(scale, dim, "scale")
        if not bool((scale_t > 0).all()):
            raise UsageError("--scale must be > 0")
        blocks = [p.strip() for p in params.split(",") if p.strip()]
        if not blocks or any(p not in ("loc", "scale") for p in blocks):
            raise UsageError(f"--params must be loc, scale or loc,scale; got {params!r}")
        named = {name.strip(): lab.make_estimator(name.strip(), blocks) for name in estimators.split(",") if name}
        if "pathwise" in named and not chosen.differentiable:
            raise UsageError(f"pathwise needs a differentiable f; {chosen.name} is a black box")
        budget_list = parse_ints(budgets, "budgets")
        generator = torch.Generator().manual_seed(seed)
        truth = lab.true_gradient(chosen, loc_t, scale_t, blocks, generator)
        with progress_bar() as progress:
            task = progress.add_task(f"{problem} d={dim}", total=len(named) * len(budget_list))
            records = lab.compare(chosen, loc_t, scale_t, named, budget_list, repeats, generator, blocks, truth,
                                  on_step=lambda: progress.advance(task))
    except ValueError as error:
        raise fail(str(error)) from None
    table = Table(title=f"{problem}, d={dim}, ∇ w.r.t. {'+'.join(blocks)}; ‖g‖ = {float(truth.gradient.norm()):.4g}"
                  f" ({'exact' if truth.exact else 'reference run'}); {repeats} repeats")
    for column in ("estimator", "evaluations", "samples", "rel. MSE", "±se", "bias", "cosine"):
        table.add_column(column, justify="right")
    for r in records:
        table.add_row(r["estimator"], str(r["evaluations"]), str(r["num_samples"]), f"{r['rel_mse']:.4g}",
                      f"{r['rel_mse_se']:.2g}", f"{r['bias']:.3g}", f"{r['cosine']:.3f}")
    console.print(table)
    if truth.exact:
        console.print("exact gradient: " + ", ".join(f"{v:.4g}" for v in truth.gradient.tolist()))
    else:
        console.print("reference gradient (± se): " + ", ".join(
            f"{v:.4g} ± {s:.2g}" for v, s in zip(truth.gradient.tolist(), truth.se.tolist(), strict=True)))
    config = {"command": "compare", "problem": problem, "dim": dim, "loc": loc_t.tolist(), "scale": scale_t.tolist(),
              "estimators": list(named), "budgets": budget_list, "repeats": repeats, "params": blocks, "seed": seed}
    written = [lab.write_csv(records, out / "results.csv"), lab.write_config(config, out / "config.json"),
               save_figure(plots.rel_mse_vs_budget(records, f"{problem}, d={dim}"), out / "rel_mse_vs_budget.png")]
    largest = max(budget_list)
    at_largest = [r for r in records if r["budget"] == largest]
    written.append(save_figure(plots.coordinate_variance(at_largest, f"per-coordinate variance, budget {largest}"),
                         out / "coordinate_variance.png"))
    console.print("wrote " + ", ".join(str(p) for p in written))


@app.command()
def figure(
    name: Annotated[str, typer.Argument(help="rosenbrock (the founding figure) or dimension")],
    estimators: Annotated[str, typer.Option(help="two or more estimator names")] = "sf-rloo,mvd",
    budget: Annotated[int, typer.Option(min=1, help="evaluations per gradient step (rosenbrock) or per dimension")]
    = 16,
    steps: Annotated[int, typer.Option(min=1, help="descent steps")] = 1000,
    lr: Annotated[float, typer.Option(help="step size")] = 4e-3,
    scale: Annotated[float, typer.Option(help="search scale σ")] = 0.1,
    repeats: Annotated[int, typer.Option(min=2, help="repetitions (dimension figure)")] = 100,
    seed: Annotated[int, typer.Option(help="seed")] = 0,
    out: Annotated[Path, typer.Option(help="output folder")] = Path("results/figures"),
) -> None:
    """Draw the founding Rosenbrock figure, or relative MSE against dimension."""
    try:
        names = [n.strip() for n in estimators.split(",") if n.strip()]
        named = {n: lab.make_estimator(n, ["loc"]) for n in names}
        generator = torch.Generator().manual_seed(seed)
        if name == "rosenbrock":
            path = _founding(named, budget, steps, lr, scale, generator, out)
        elif name == "dimension":
            path = _dimension(named, budget, scale, repeats, generator, out)
        else:
            raise UsageError(f"unknown figure {name!r}; valid: rosenbrock, dimension")
    except ValueError as error:
        raise fail(str(error)) from None
    console.print(f"wrote {path}")


def _founding(named, budget, steps, lr, scale, generator, out: Path) -> Path:
    start = torch.tensor([-1.0, 1.0], dtype=torch.float64)
    sigma = torch.full((2,), scale, dtype=torch.float64)
    with console.status("gradient descent with each estimator"):
        runs = lab.founding_runs(problems.rosenbrock, named, start, sigma, budget, steps, lr, generator)
    title = f"gradient descent on the loc of N(loc, {scale}²I), Rosenbrock, equal budgets"
    return save_figure(plots.founding_figure(problems.rosenbrock, runs, title), out / "rosenbrock_descent.png")


def _dimension(named, budget_per_dim, scale, repeats, generator, out: Path) -> Path:
    dims = [2, 5, 10, 20, 50, 100, 200, 500, 1000]
    records = []
    with progress_bar() as progress:
        task = progress.add_task("dimensions", total=len(dims))
        for d in dims:
            loc = torch.zeros(d, dtype=torch.float64)
            loc[::2] = -1.0
            loc[1::2] = 1.0
            sigma = torch.full((d,), scale, dtype=torch.float64)
            records += lab.compare(problems.rosenbrock, loc, sigma, named, [budget_per_dim * d], repeats, generator)
            progress.advance(task)
    lab.write_csv(records, out / "rel_mse_vs_dimension.csv")
    title = f"Rosenbrock, loc = (−1, 1, −1, …), σ = {scale}, budget {budget_per_dim}·d evaluations"
    return save_figure(plots.rel_mse_vs_dimension(records, title), out / "rel_mse_vs_dimension.png")
