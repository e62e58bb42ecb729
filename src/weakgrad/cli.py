"""The ``weakgrad`` command line: equal-budget comparisons and figures (a thin shell over ``weakgrad.lab``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import torch
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from weakgrad import lab, plots, problems

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="weakgrad: which gradient estimator is best for a budget of evaluations of f.")
console = Console()


class UsageError(ValueError):
    """Bad command-line input: reported in one line, exit status 2."""


def _fail(message: str) -> typer.Exit:
    Console(stderr=True).print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(2)


def _floats(text: str, dim: int, what: str) -> torch.Tensor:
    try:
        values = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise UsageError(f"--{what} must be comma-separated numbers, got {text!r}") from None
    if len(values) == 1:
        values = values * dim
    if len(values) != dim:
        raise UsageError(f"--{what} has {len(values)} values; give 1 (broadcast) or --dim={dim}")
    return torch.tensor(values, dtype=torch.float64)


def _ints(text: str, what: str) -> list[int]:
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise UsageError(f"--{what} must be comma-separated integers, got {text!r}") from None
    if not values or min(values) < 1:
        raise UsageError(f"--{what} must be positive integers, got {text!r}")
    return values


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, transient=True)


def _save(fig, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=130)
    return path


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
        loc_t, scale_t = _floats(loc, dim, "loc"), _floats(scale, dim, "scale")
        if not bool((scale_t > 0).all()):
            raise UsageError("--scale must be > 0")
        blocks = [p.strip() for p in params.split(",") if p.strip()]
        if not blocks or any(p not in ("loc", "scale") for p in blocks):
            raise UsageError(f"--params must be loc, scale or loc,scale; got {params!r}")
        named = {name.strip(): lab.make_estimator(name.strip(), blocks) for name in estimators.split(",") if name}
        if "pathwise" in named and not chosen.differentiable:
            raise UsageError(f"pathwise needs a differentiable f; {chosen.name} is a black box")
        budget_list = _ints(budgets, "budgets")
        generator = torch.Generator().manual_seed(seed)
        truth = lab.true_gradient(chosen, loc_t, scale_t, blocks, generator)
        with _progress() as progress:
            task = progress.add_task(f"{problem} d={dim}", total=len(named) * len(budget_list))
            records = lab.compare(chosen, loc_t, scale_t, named, budget_list, repeats, generator, blocks, truth,
                                  on_step=lambda: progress.advance(task))
    except ValueError as error:
        raise _fail(str(error)) from None
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
               _save(plots.rel_mse_vs_budget(records, f"{problem}, d={dim}"), out / "rel_mse_vs_budget.png")]
    largest = max(budget_list)
    at_largest = [r for r in records if r["budget"] == largest]
    written.append(_save(plots.coordinate_variance(at_largest, f"per-coordinate variance, budget {largest}"),
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
        raise _fail(str(error)) from None
    console.print(f"wrote {path}")


def _founding(named, budget, steps, lr, scale, generator, out: Path) -> Path:
    start = torch.tensor([-1.0, 1.0], dtype=torch.float64)
    sigma = torch.full((2,), scale, dtype=torch.float64)
    with console.status("gradient descent with each estimator"):
        runs = lab.founding_runs(problems.rosenbrock, named, start, sigma, budget, steps, lr, generator)
    title = f"gradient descent on the loc of N(loc, {scale}²I), Rosenbrock, equal budgets"
    return _save(plots.founding_figure(problems.rosenbrock, runs, title), out / "rosenbrock_descent.png")


def _dimension(named, budget_per_dim, scale, repeats, generator, out: Path) -> Path:
    dims = [2, 5, 10, 20, 50, 100, 200, 500, 1000]
    records = []
    with _progress() as progress:
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
    return _save(plots.rel_mse_vs_dimension(records, title), out / "rel_mse_vs_dimension.png")


bench_app = typer.Typer(no_args_is_help=True, help="Benchmark optimisers.")
app.add_typer(bench_app, name="bench")


def _ranges(text: str, what: str) -> list[int]:
    """"1-5,8" -> [1, 2, 3, 4, 5, 8]."""
    values: list[int] = []
    try:
        for part in text.split(","):
            low, _, high = part.strip().partition("-")
            values += list(range(int(low), int(high or low) + 1))
    except ValueError:
        raise UsageError(f"--{what} must look like 1-5,8; got {text!r}") from None
    if not values:
        raise UsageError(f"--{what} is empty")
    return values


@bench_app.command("bbob")
def bench_bbob(
    functions: Annotated[str, typer.Option(help="BBOB functions, e.g. 1-24")] = "1-24",
    dims: Annotated[str, typer.Option(help="dimensions")] = "2,5,10",
    instances: Annotated[str, typer.Option(help="instances, e.g. 1-15")] = "1-15",
    optimizers: Annotated[str, typer.Option(help="mvd, openai-es, pgpe, auto, cma")] = "mvd,openai-es,pgpe,cma",
    budget_multiplier: Annotated[float, typer.Option(help="evaluations per dimension per run")] = 1e4,
    workers: Annotated[int, typer.Option(min=1, help="processes")] = 2,
    seed: Annotated[int, typer.Option(help="seed")] = 0,
    out: Annotated[Path, typer.Option(help="output folder (rerunning resumes it)")] = Path("results/bbob"),
) -> None:
    """Run optimisers on COCO bbob; ERT tables, ECDFs and COCO-format data. Rerun to resume."""
    from weakgrad.optim import bbob_bench

    try:
        names = [o.strip() for o in optimizers.split(",") if o.strip()]
        function_list, dim_list = _ranges(functions, "functions"), _ints(dims, "dims")
        instance_list = _ranges(instances, "instances")
        total = len(names) * len(function_list) * len(dim_list) * len(instance_list)
        with _progress() as progress:
            task = progress.add_task("bbob runs", total=total)
            progress.advance(task, len(bbob_bench.read_runs(out)))
            bbob_bench.run_sweep(names, function_list, dim_list, instance_list, budget_multiplier, out, seed, workers,
                                 on_run=lambda record: progress.advance(task))
    except ValueError as error:
        raise _fail(str(error)) from None
    runs = bbob_bench.read_runs(out)
    console.print(f"{len(runs)} runs in {out / 'runs.jsonl'}; COCO data for cocopp in {out / 'coco'}")
    written = [plots_bbob(runs, dim_list, out)]
    console.print("wrote " + ", ".join(str(p) for p in written))


def plots_bbob(runs: list[dict], dims: list[int], out: Path) -> Path:
    """ECDF of (function, instance, target) triples solved against evaluations / d, one panel per d."""
    import numpy as np

    from weakgrad.optim import bbob_bench

    plt = plots._pyplot()
    fig, axes = plt.subplots(1, len(dims), figsize=(4.2 * len(dims), 3.6), constrained_layout=True, squeeze=False)
    grid = np.logspace(0, 5, 200)
    for ax, d in zip(axes[0], dims, strict=True):
        for name in dict.fromkeys(r["optimizer"] for r in runs):
            ax.plot(grid, bbob_bench.ecdf(runs, name, d, grid), label=name)
        ax.set_xscale("log")
        ax.set_ylim(0, 1)
        ax.set_xlabel("evaluations / d")
        ax.set_title(f"bbob, d={d}: targets 1e2…1e-8", fontsize=9)
        ax.grid(True, alpha=0.3)
    axes[0][0].set_ylabel("fraction of (f, instance, target) solved")
    axes[0][-1].legend(fontsize=8)
    return _save(fig, out / "ecdf.png")


rl_app = typer.Typer(no_args_is_help=True, help="Reinforcement learning experiments.")
app.add_typer(rl_app, name="rl")


@rl_app.command("episodic")
def rl_episodic(
    env: Annotated[str, typer.Option(help="Gymnasium id")] = "CartPole-v1",
    optimizers: Annotated[str, typer.Option(help="mvd, mvd-loc, openai-es, pgpe, auto, cma")] = "mvd,openai-es,cma",
    budget: Annotated[int, typer.Option(min=1, help="training episodes per run")] = 3000,
    seeds: Annotated[str, typer.Option(help="seeds, e.g. 0-9")] = "0-4",
    target: Annotated[float | None, typer.Option(help="evaluation return that counts as solved")] = 500.0,
    sigma0: Annotated[float, typer.Option(help="initial search σ")] = 0.5,
    no_crn: Annotated[bool, typer.Option("--no-crn", help="independent environment seeds within ± pairs")] = False,
    out: Annotated[Path, typer.Option(help="output folder")] = Path("results/rl"),
) -> None:
    """Episodic (parameter-space) policy search at equal episode budgets; CSV, JSON and learning curves."""
    from weakgrad import rl
    from weakgrad.optim import PEERS

    try:
        names = [o.strip() for o in optimizers.split(",") if o.strip()]
        unknown = [o for o in names if o not in PEERS]
        if unknown:
            raise UsageError(f"unknown optimizer(s) {unknown}; valid: {', '.join(PEERS)}")
        seed_list = _ranges(seeds, "seeds")
        rl.make_env(env)  # fail early on an unknown id
        with _progress() as progress:
            task = progress.add_task(f"{env}", total=len(names) * len(seed_list))
            records = rl.episodic_study(env, names, budget, seed_list, target, not no_crn, sigma0,
                                        on_run=lambda: progress.advance(task))
    except ValueError as error:
        raise _fail(str(error)) from None
    table = Table(title=f"{env}: {budget} training episodes, target {target}")
    for column in ("optimizer", "solved", "median episodes to solve", "median final return"):
        table.add_column(column, justify="right")
    for name in names:
        rows = [r for r in records if r["optimizer"] == name]
        solved = sorted(r["solved_at"] for r in rows if r["solved_at"] is not None)
        finals = sorted(r["final_return"] for r in rows if r["final_return"] is not None)
        table.add_row(name, f"{len(solved)}/{len(rows)}", str(solved[len(solved) // 2]) if solved else "—",
                      f"{finals[len(finals) // 2]:.1f}" if finals else "—")
    console.print(table)
    config = {"command": "rl episodic", "env": env, "optimizers": names, "budget": budget, "seeds": seed_list,
              "target": target, "sigma0": sigma0, "crn": not no_crn}
    written = [lab.write_csv(records, out / "episodic.csv"), lab.write_config(config, out / "episodic.json"),
               _save(plots.episodic_curves(records, env), out / "episodic_curves.png")]
    console.print("wrote " + ", ".join(str(p) for p in written))


@rl_app.command("lqr")
def rl_lqr(
    sizes: Annotated[str, typer.Option(help="states x actions, e.g. 2x1,2x2,4x4,6x6")] = "2x1,2x2,4x4,6x6",
    budgets: Annotated[str, typer.Option(help="critic evaluations per state, in units of 2·actions")] = "1,2,4,8,16",
    seeds: Annotated[int, typer.Option(min=2, help="seeds per cell")] = 25,
    steps: Annotated[int, typer.Option(min=1, help="gradient steps of the learning curves")] = 100,
    lr: Annotated[float, typer.Option(help="step size of the learning curves")] = 1e-3,
    out: Annotated[Path, typer.Option(help="output folder")] = Path("results/lqr"),
) -> None:
    """Action-space estimators with an exact critic on LQRs: accuracy per critic evaluation, learning curves."""
    from weakgrad import rl

    try:
        size_list = []
        for part in sizes.split(","):
            a, sep, b = part.strip().partition("x")
            if not sep or not a.isdigit() or not b.isdigit() or int(a) < 1 or int(b) < 1:
                raise UsageError(f"--sizes must look like 2x1,4x4; got {sizes!r}")
            size_list.append((int(a), int(b)))
        multiples = _ints(budgets, "budgets")
        with _progress() as progress:
            task = progress.add_task("LQR", total=len(size_list) * len(multiples) * len(rl.ACTION_ESTIMATORS))
            records = rl.lqr_accuracy(size_list, multiples, seeds, on_step=lambda: progress.advance(task))
        with console.status("learning curves"):
            curves = rl.lqr_learning(size_list[-1], 8 * 2 * size_list[-1][1], steps, lr, min(seeds, 5))
    except ValueError as error:
        raise _fail(str(error)) from None
    table = Table(title=f"LQR action-space estimators, {seeds} seeds: mean cosine to the exact ∇J")
    table.add_column("size")
    table.add_column("critic evals / state", justify="right")
    names = list(rl.ACTION_ESTIMATORS)
    for name in names:
        table.add_column(name, justify="right")
    for size in size_list:
        for budget in sorted({r["critic_per_state"] for r in records if (r["states"], r["actions"]) == size}):
            cells = [r for r in records if (r["states"], r["actions"]) == size and r["critic_per_state"] == budget]
            means = [sum(r["cosine"] for r in cells if r["estimator"] == n) / seeds for n in names]
            table.add_row(f"{size[0]}x{size[1]}", str(budget), *[f"{m:.3f}" for m in means])
    console.print(table)
    written = [lab.write_csv(records, out / "lqr_accuracy.csv"), lab.write_csv(curves, out / "lqr_learning.csv"),
               lab.write_config({"command": "rl lqr", "sizes": size_list, "budgets": multiples, "seeds": seeds,
                                 "steps": steps, "lr": lr}, out / "lqr.json"),
               _save(plots.lqr_accuracy(records, "cosine"), out / "lqr_cosine.png"),
               _save(plots.lqr_accuracy(records, "rel_norm_error"), out / "lqr_rel_norm_error.png"),
               _save(plots.lqr_learning_curves(curves, f"LQR {size_list[-1][0]}x{size_list[-1][1]}"),
                     out / "lqr_learning.png")]
    console.print("wrote " + ", ".join(str(p) for p in written))


def main() -> None:
    """Entry point: run the app; ``UsageError`` and bad options exit with status 2."""
    sys.exit(app())


if __name__ == "__main__":  # pragma: no cover
    main()
