"""``weakgrad rl episodic`` and ``weakgrad rl lqr``: the RL experiments."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from weakgrad import lab, plots
from weakgrad.cli.common import (
    UsageError,
    console,
    fail,
    parse_ints,
    parse_ranges,
    progress_bar,
    rl_app,
    save_figure,
)


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
        seed_list = parse_ranges(seeds, "seeds")
        rl.make_env(env)  # fail early on an unknown id
        with progress_bar() as progress:
            task = progress.add_task(f"{env}", total=len(names) * len(seed_list))
            records = rl.episodic_study(env, names, budget, seed_list, target, not no_crn, sigma0,
                                        on_run=lambda: progress.advance(task))
    except ValueError as error:
        raise fail(str(error)) from None
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
               save_figure(plots.episodic_curves(records, env), out / "episodic_curves.png")]
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
        multiples = parse_ints(budgets, "budgets")
        with progress_bar() as progress:
            task = progress.add_task("LQR", total=len(size_list) * len(multiples) * len(rl.ACTION_ESTIMATORS))
            records = rl.lqr_accuracy(size_list, multiples, seeds, on_step=lambda: progress.advance(task))
        with console.status("learning curves"):
            curves = rl.lqr_learning(size_list[-1], 8 * 2 * size_list[-1][1], steps, lr, min(seeds, 5))
    except ValueError as error:
        raise fail(str(error)) from None
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
               save_figure(plots.lqr_accuracy(records, "cosine"), out / "lqr_cosine.png"),
               save_figure(plots.lqr_accuracy(records, "rel_norm_error"), out / "lqr_rel_norm_error.png"),
               save_figure(plots.lqr_learning_curves(curves, f"LQR {size_list[-1][0]}x{size_list[-1][1]}"),
                     out / "lqr_learning.png")]
    console.print("wrote " + ", ".join(str(p) for p in written))
