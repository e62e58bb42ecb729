"""Figures: each function takes results and returns a matplotlib Figure (extra ``[plot]``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import torch

__all__ = ["coordinate_variance", "founding_figure", "rel_mse_vs_budget", "rel_mse_vs_dimension"]


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError("plots need matplotlib: pip install 'weakgrad[plot]'") from error
    return plt


def _groups(records: Sequence[Mapping], key: str) -> dict[str, list[Mapping]]:
    groups: dict[str, list[Mapping]] = {}
    for r in records:
        groups.setdefault(str(r["estimator"]), []).append(r)
    return {k: sorted(v, key=lambda r: float(r[key])) for k, v in groups.items()}


def _error_band_plot(records: Sequence[Mapping], x_key: str, xlabel: str, title: str):
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 4.4), constrained_layout=True)
    for label, rows in _groups(records, x_key).items():
        x = [float(r[x_key]) for r in rows]
        y = [float(r["rel_mse"]) for r in rows]
        se = [float(r["rel_mse_se"]) for r in rows]
        (line,) = ax.plot(x, y, marker="o", ms=3, label=label)
        ax.fill_between(x, [max(a - 2 * s, a * 1e-3) for a, s in zip(y, se, strict=True)],
                        [a + 2 * s for a, s in zip(y, se, strict=True)], color=line.get_color(), alpha=0.2, lw=0)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("relative MSE  E‖ĝ − g‖² / ‖g‖²")
    ax.set_title(title, fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    return fig


def rel_mse_vs_budget(records: Sequence[Mapping], title: str = ""):
    """Relative MSE against evaluations per estimate (log–log), bands ±2 standard errors over repetitions."""
    return _error_band_plot(records, "evaluations", "evaluations of f per estimate", title)


def rel_mse_vs_dimension(records: Sequence[Mapping], title: str = ""):
    """Relative MSE against dimension d at a fixed budget per dimension, bands ±2 standard errors."""
    return _error_band_plot(records, "dim", "dimension d", title)


def coordinate_variance(records: Sequence[Mapping], title: str = ""):
    """Per-coordinate variance of each estimator's estimate (one record per estimator), as grouped bars."""
    import json

    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 4.0), constrained_layout=True)
    width = 0.8 / max(1, len(records))
    for k, r in enumerate(records):
        var = r["coordinate_variance"]
        var = json.loads(var) if isinstance(var, str) else var
        positions = [i + k * width for i in range(len(var))]
        ax.bar(positions, var, width=width, label=f"{r['estimator']} (n={r['num_samples']})")
    ax.set_yscale("log")
    ax.set_xlabel("coordinate of the gradient (loc first, then scale)")
    ax.set_ylabel("variance of the estimate")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)
    return fig


def founding_figure(problem, runs, title: str = ""):
    """Contours of a 2-D problem, descent paths per estimator, and insets of per-sample gradient vectors.

    Args:
        problem: a 2-D problem (its f is drawn as log-contours).
        runs: a :class:`weakgrad.lab.FoundingRuns`: paths ``(T + 1, 2)`` per estimator, the inset iterate,
            per-sample estimates ``(n, 2)`` there, and the exact gradient there (drawn in green).
    """
    plt = _pyplot()
    paths, inset_point, inset_vectors, true_gradient = runs.paths, runs.inset_point, runs.inset_vectors, \
        runs.true_gradient
    everything = torch.cat([*paths.values()] + ([problem.minimum(2).reshape(1, 2)] if problem.minimum else []))
    lo, hi = everything.min(0).values, everything.max(0).values
    pad = 0.25 * (hi - lo).clamp_min(0.5)
    xs = torch.linspace(float(lo[0] - pad[0]), float(hi[0] + pad[0]), 300)
    ys = torch.linspace(float(lo[1] - pad[1]), float(hi[1] + pad[1]), 300)
    gx, gy = torch.meshgrid(xs, ys, indexing="xy")
    z = problem(torch.stack([gx.reshape(-1), gy.reshape(-1)], 1)).reshape(gx.shape)
    fig = plt.figure(figsize=(11, 5.2), constrained_layout=True)
    grid = fig.add_gridspec(2, 2, width_ratios=[1.6, 1])
    ax = fig.add_subplot(grid[:, 0])
    ax.contourf(gx, gy, torch.log1p(z), levels=30, cmap="Greys")
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for colour, (label, path) in zip(colours, paths.items(), strict=False):
        ax.plot(path[:, 0], path[:, 1], "-", color=colour, lw=1.2, label=label)
        ax.plot(path[-1, 0], path[-1, 1], "o", color=colour, ms=5)
    start = next(iter(paths.values()))[0]
    ax.plot(start[0], start[1], "k*", ms=10, label="start")
    ax.plot(inset_point[0], inset_point[1], "s", mfc="none", mec="green", ms=9, label="inset iterate")
    if problem.minimum is not None:
        optimum = problem.minimum(2)
        ax.plot(optimum[0], optimum[1], "P", color="green", ms=9, label="minimum of f")
    ax.set_xlabel("loc₁")
    ax.set_ylabel("loc₂")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc="lower left")
    norm = float(true_gradient.norm())
    for row, (colour, (label, vectors)) in enumerate(zip(colours, inset_vectors.items(), strict=False)):
        inset = fig.add_subplot(grid[row, 1])
        v = vectors / norm
        inset.quiver([0] * len(v), [0] * len(v), v[:, 0], v[:, 1], angles="xy", scale_units="xy", scale=1,
                     color=colour, alpha=0.6, width=0.006)
        g = true_gradient / norm
        inset.quiver([0], [0], [g[0]], [g[1]], angles="xy", scale_units="xy", scale=1, color="green", width=0.012)
        inset.set_xlim(-3, 3)
        inset.set_ylim(-3, 3)
        inset.set_aspect("equal")
        inset.axhline(0, color="0.8", lw=0.5)
        inset.axvline(0, color="0.8", lw=0.5)
        inset.set_title(f"{label}: {len(v)} per-sample estimates (÷‖g‖); true g in green", fontsize=9)
    return fig


def episodic_curves(records: Sequence[Mapping], title: str = ""):
    """Evaluation return against training episodes: median over seeds per optimiser, 25–75% band."""
    import numpy as np

    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 4.2), constrained_layout=True)
    by: dict[str, list] = {}
    for r in records:
        by.setdefault(str(r["optimizer"]) + ("" if r.get("crn", True) else " (no CRN)"), []).append(r["curve"])
    for label, curves in by.items():
        horizon = max(c[-1][0] for c in curves if c)
        grid = np.linspace(0, horizon, 100)
        # a solved run keeps its last score after it stops
        values = np.array([np.interp(grid, [p[0] for p in c], [p[1] for p in c]) for c in curves if c])
        (line,) = ax.plot(grid, np.median(values, 0), label=f"{label} ({len(values)} seeds)")
        ax.fill_between(grid, np.percentile(values, 25, 0), np.percentile(values, 75, 0), color=line.get_color(),
                        alpha=0.2, lw=0)
    ax.set_xlabel("training episodes")
    ax.set_ylabel("evaluation return (10 episodes)")
    ax.set_title(title, fontsize=10)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    return fig


def lqr_accuracy(records: Sequence[Mapping], metric: str = "cosine"):
    """``metric`` (cosine or rel_norm_error) against critic evaluations per state, one panel per LQR size."""
    import numpy as np

    plt = _pyplot()
    sizes = sorted({(r["states"], r["actions"]) for r in records})
    fig, axes = plt.subplots(1, len(sizes), figsize=(3.6 * len(sizes), 3.4), constrained_layout=True, squeeze=False)
    for ax, size in zip(axes[0], sizes, strict=True):
        rows = [r for r in records if (r["states"], r["actions"]) == size]
        for name in dict.fromkeys(r["estimator"] for r in rows):
            budgets = sorted({r["critic_per_state"] for r in rows if r["estimator"] == name})
            values = [[r[metric] for r in rows if r["estimator"] == name and r["critic_per_state"] == b]
                      for b in budgets]
            mean = [float(np.mean(v)) for v in values]
            se = [float(np.std(v, ddof=1) / np.sqrt(len(v))) for v in values]
            ax.errorbar(budgets, mean, yerr=se, marker="o", ms=3, capsize=2, label=name)
        ax.set_xscale("log", base=2)
        if metric == "rel_norm_error":
            ax.set_yscale("log")
        ax.set_title(f"LQR {size[0]} states, {size[1]} actions", fontsize=9)
        ax.set_xlabel("critic evaluations per state")
        ax.grid(True, alpha=0.3)
    axes[0][0].set_ylabel(metric.replace("_", " "))
    axes[0][-1].legend(fontsize=7)
    return fig


def lqr_learning_curves(records: Sequence[Mapping], title: str = ""):
    """J(K) along gradient descent, median over seeds per estimator."""
    import numpy as np

    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 4.2), constrained_layout=True)
    for name in dict.fromkeys(r["estimator"] for r in records):
        costs = np.array([r["costs"] for r in records if r["estimator"] == name])
        ax.plot(np.median(costs, 0), label=name, lw=2.5 if name == "exact" else 1.3,
                color="black" if name == "exact" else None)
    ax.set_yscale("log")
    ax.set_xlabel("gradient step")
    ax.set_ylabel("J(K)")
    ax.set_title(title, fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    return fig


def bbob_ecdf(runs: Sequence[Mapping], dims: Sequence[int]):
    """ECDF of (function, instance, target) triples solved against evaluations / d, one panel per d."""
    import numpy as np

    from weakgrad.optim import bbob_bench

    plt = _pyplot()
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
    return fig
