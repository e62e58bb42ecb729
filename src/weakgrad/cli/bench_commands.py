"""``weakgrad bench bbob``: optimisers on COCO bbob (ERT, ECDF, COCO data; rerun to resume)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from weakgrad import plots
from weakgrad.cli.common import bench_app, console, fail, parse_ints, parse_ranges, progress_bar, save_figure


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
        function_list, dim_list = parse_ranges(functions, "functions"), parse_ints(dims, "dims")
        instance_list = parse_ranges(instances, "instances")
        total = len(names) * len(function_list) * len(dim_list) * len(instance_list)
        with progress_bar() as progress:
            task = progress.add_task("bbob runs", total=total)
            progress.advance(task, len(bbob_bench.read_runs(out)))
            bbob_bench.run_sweep(names, function_list, dim_list, instance_list, budget_multiplier, out, seed, workers,
                                 on_run=lambda record: progress.advance(task))
    except ValueError as error:
        raise fail(str(error)) from None
    runs = bbob_bench.read_runs(out)
    console.print(f"{len(runs)} runs in {out / 'runs.jsonl'}; COCO data for cocopp in {out / 'coco'}")
    written = [save_figure(plots.bbob_ecdf(runs, dim_list), out / "ecdf.png")]
    console.print("wrote " + ", ".join(str(p) for p in written))
