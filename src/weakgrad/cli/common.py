"""Shared pieces of the command line: the Typer apps, console, input parsing, progress bars, saving figures."""

from __future__ import annotations

from pathlib import Path

import torch
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

__all__ = ["UsageError", "app", "bench_app", "console", "fail", "parse_floats", "parse_ints", "parse_ranges",
           "progress_bar", "rl_app", "save_figure"]

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="weakgrad: which gradient estimator is best for a budget of evaluations of f.")
bench_app = typer.Typer(no_args_is_help=True, help="Benchmark optimisers.")
rl_app = typer.Typer(no_args_is_help=True, help="Reinforcement learning experiments.")
app.add_typer(bench_app, name="bench")
app.add_typer(rl_app, name="rl")
console = Console()


class UsageError(ValueError):
    """Bad command-line input: reported in one line, exit status 2."""


def fail(message: str) -> typer.Exit:
    Console(stderr=True).print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(2)


def parse_floats(text: str, dim: int, what: str) -> torch.Tensor:
    try:
        values = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise UsageError(f"--{what} must be comma-separated numbers, got {text!r}") from None
    if len(values) == 1:
        values = values * dim
    if len(values) != dim:
        raise UsageError(f"--{what} has {len(values)} values; give 1 (broadcast) or --dim={dim}")
    return torch.tensor(values, dtype=torch.float64)


def parse_ints(text: str, what: str) -> list[int]:
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise UsageError(f"--{what} must be comma-separated integers, got {text!r}") from None
    if not values or min(values) < 1:
        raise UsageError(f"--{what} must be positive integers, got {text!r}")
    return values


def progress_bar() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console, transient=True)


def save_figure(fig, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=130)
    return path


def parse_ranges(text: str, what: str) -> list[int]:
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
