"""weakgrad's own overhead in ``wg.grad`` with MVD, against evaluating f directly on as many points.

For d in {10, 100, 1000, 10000}: one MVD sample over all coordinates of loc and scale (4·d points),
with a cheap vectorised f (sphere, and Rosenbrock). Reports median wall times over repeats, the
overhead fraction 1 − t_f / t_grad, and the peak extra resident memory of each call measured in a
fresh subprocess, next to the size of one chunk of ``max_batch`` points. Writes docs/benchmarks.md.

    python benchmarks/overhead.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import torch

import weakgrad as wg
from weakgrad.estimators.base import auto_batch

DIMS = (10, 100, 1000, 10_000)
FUNCTIONS = {"sphere": wg.problems.sphere, "rosenbrock": wg.problems.rosenbrock}


def _dist(d: int) -> torch.distributions.Normal:
    return torch.distributions.Normal(torch.zeros(d), torch.ones(d))


def _time_pair(f, d: int, repeats: int, reuse_buffer: bool) -> tuple[float, float]:
    gen = torch.Generator().manual_seed(0)
    est = wg.MeasureValued()
    total = est.evaluations(_dist(d), 1)
    max_batch = auto_batch(torch.Size([d]))
    points = torch.randn((min(max_batch, total), d), generator=gen)
    sizes = [min(max_batch, total - s) for s in range(0, total, max_batch)]
    grad_times, f_times = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        wg.grad(f, _dist(d), est, num_samples=1, generator=gen, reuse_buffer=reuse_buffer)
        grad_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        for size in sizes:
            f(points[:size])
        f_times.append(time.perf_counter() - start)
    return statistics.median(grad_times), statistics.median(f_times)


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as handle:
        line = next(line for line in handle if line.startswith(field + ":"))
    return int(line.split()[1]) / 1024


def _peak_child(d: int, max_batch: int) -> None:
    """Run in a subprocess: print the peak extra memory of one wg.grad call, in MiB."""
    f = wg.problems.sphere
    gen = torch.Generator().manual_seed(0)
    wg.grad(f, _dist(10), wg.MeasureValued(), num_samples=1, generator=gen)  # warm up the allocator paths
    dist = _dist(d)
    before = _status_mb("VmRSS")
    with open("/proc/self/clear_refs", "w") as handle:  # reset the peak-RSS high-water mark (Linux)
        handle.write("5")
    wg.grad(f, dist, wg.MeasureValued(), num_samples=1, generator=gen, max_batch=max_batch)
    print(json.dumps({"peak_extra_mb": max(0.0, _status_mb("VmHWM") - before)}))


def _peak(d: int, max_batch: int, runs: int = 3) -> float:
    """Median over ``runs`` fresh processes (a single reading is occasionally far off on a shared machine)."""
    readings = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, __file__, "--peak-child", str(d), str(max_batch)], check=True,
                             capture_output=True, text=True).stdout
        readings.append(json.loads(out.strip().splitlines()[-1])["peak_extra_mb"])
    return statistics.median(readings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--peak-child", nargs=2, type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md")
    args = parser.parse_args()
    if args.peak_child:
        _peak_child(*args.peak_child)
        return
    torch.set_num_threads(1)
    rows = []
    for name, f in FUNCTIONS.items():
        for d in DIMS:
            for reuse in (False, True):
                repeats = 3 if args.quick else (7 if d == 10_000 else 25)
                t_grad, t_f = _time_pair(f, d, repeats, reuse)
                rows.append((name, d, 4 * d, reuse, t_grad, t_f, 1 - t_f / t_grad))
                print(f"{name:10s} d={d:6d} reuse={reuse!s:5s} grad {t_grad * 1e3:9.2f} ms  f {t_f * 1e3:9.2f} ms  "
                      f"overhead {rows[-1][-1]:.0%}")
    memory = []
    for max_batch in (256, 4096):
        for d in DIMS:
            memory.append((max_batch, d, _peak(d, max_batch), max_batch * d * 4 / 2**20, (4 * d) * d * 4 / 2**20))
            print(f"max_batch={max_batch} d={d}: peak extra {memory[-1][2]:.1f} MiB")
    lines = [
        "# Benchmarks",
        "",
        "Regenerate with `make benchmarks` (`python benchmarks/overhead.py`). One thread "
        "(`torch.set_num_threads(1)`), medians over repeats; this machine is shared, so read ratios, not "
        "absolute times.",
        "",
        "## `wg.grad` overhead with MVD (one sample, all coordinates of loc and scale: 4·d points)",
        "",
        "`f time` evaluates f on the same number of points, in the same chunk sizes (the default `max_batch=None`: "
        "about 8 MiB of points per chunk), on points that already exist; `overhead` = 1 − f time / grad time is "
        "what weakgrad itself adds (sampling, building the ± points, the estimate). `reuse` is "
        "`wg.grad(..., reuse_buffer=True)`: every chunk is built in one buffer (f must not keep its input).",
        "",
        "| f | d | points | reuse | grad time (ms) | f time (ms) | overhead |",
        "|---|---:|---:|:---:|---:|---:|---:|",
    ]
    lines += [f"| {n} | {d} | {p} | {'yes' if r else 'no'} | {tg * 1e3:.2f} | {tf * 1e3:.2f} | {o:.0%} |"
              for n, d, p, r, tg, tf, o in rows]
    lines += [
        "",
        "## Peak extra memory of one call (sphere, fresh process, median of 3)",
        "",
        "The MVD query holds O(d) numbers per sample and builds points a chunk at a time, so peak memory is "
        "bounded by a few chunks of `max_batch` points (the chunk itself, f's temporaries), not by the "
        "4·d × d points of the whole query.",
        "",
        "| max_batch | d | peak extra (MiB) | one chunk (MiB) | all 4·d points at once (MiB) |",
        "|---:|---:|---:|---:|---:|",
    ]
    lines += [f"| {b} | {d} | {p:.1f} | {c:.1f} | {a:.1f} |" for b, d, p, c, a in memory]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
