"""CLI smoke runs with tiny budgets, and one-line errors with exit status 2."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from weakgrad import lab
from weakgrad.cli import app

runner = CliRunner()


def test_compare_writes_table_csv_json_and_figures(tmp_path):
    result = runner.invoke(app, ["compare", "--problem", "rosenbrock", "--dim", "2", "--loc=-1,1", "--scale", "0.1",
                                 "--estimators", "sf-rloo,mvd", "--budgets", "8,16", "--repeats", "3",
                                 "--seed", "1", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "exact gradient: -16, -2" in result.output
    rows = lab.read_csv(tmp_path / "results.csv")
    assert {(r["estimator"], r["budget"]) for r in rows} == {("sf-rloo", "8"), ("sf-rloo", "16"), ("mvd", "8"),
                                                            ("mvd", "16")}
    config = json.loads((tmp_path / "config.json").read_text())
    assert config["seed"] == 1 and "torch" in config["versions"]
    assert (tmp_path / "rel_mse_vs_budget.png").stat().st_size > 1000
    assert (tmp_path / "coordinate_variance.png").stat().st_size > 1000


def test_same_seed_same_csv(tmp_path):
    args = ["compare", "--estimators", "sf,mvd", "--budgets", "8", "--repeats", "3"]
    runner.invoke(app, [*args, "--out", str(tmp_path / "a")])
    runner.invoke(app, [*args, "--out", str(tmp_path / "b")])
    assert (tmp_path / "a" / "results.csv").read_text() == (tmp_path / "b" / "results.csv").read_text()


def test_figures(tmp_path):
    result = runner.invoke(app, ["figure", "rosenbrock", "--steps", "5", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "rosenbrock_descent.png").stat().st_size > 1000


@pytest.mark.parametrize(("args", "message"), [
    (["compare", "--problem", "rosenbrok"], "unknown problem 'rosenbrok'; valid:"),
    (["compare", "--estimators", "sf,mdv"], "unknown estimator 'mdv'; valid:"),
    (["compare", "--budgets", "2", "--estimators", "mvd"], "budget 2 is too small for one estimate of mvd"),
    (["compare", "--dim", "3", "--loc=-1,1"], "--loc has 2 values; give 1 (broadcast) or --dim=3"),
    (["compare", "--scale", "-1"], "--scale must be > 0"),
    (["compare", "--budgets", "8,x"], "--budgets must be comma-separated integers"),
    (["compare", "--problem", "bbob_f1", "--estimators", "pathwise"], "pathwise needs a differentiable f"),
    (["figure", "nothing"], "unknown figure 'nothing'; valid: rosenbrock, dimension"),
])
def test_bad_input_is_one_line_and_exit_2(args, message, tmp_path):
    result = runner.invoke(app, [*args, "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert message in result.output.replace("\n", " ")


@pytest.mark.parametrize("script", ["quickstart.py", "minimize_ellipsoid.py"])
def test_examples_run(script):
    import runpy
    from pathlib import Path

    runpy.run_path(str(Path(__file__).resolve().parents[1] / "examples" / script), run_name="__main__")


def test_bench_bbob_tiny_and_resume(tmp_path):
    pytest.importorskip("cocoex")
    args = ["bench", "bbob", "--functions", "1", "--dims", "2", "--instances", "6", "--optimizers", "mvd",
            "--budget-multiplier", "50", "--workers", "1", "--out", str(tmp_path)]
    assert runner.invoke(app, args).exit_code == 0
    first = (tmp_path / "runs.jsonl").read_text()
    assert runner.invoke(app, [*args[:7], "6-7", *args[8:]]).exit_code == 0  # one more instance: resumed
    # (instances above 5 are outside cocoex's default suite: the bench asks for each problem explicitly)
    lines = (tmp_path / "runs.jsonl").read_text().splitlines()
    assert lines[0] == first.strip() and len(lines) == 2
    assert (tmp_path / "coco" / "mvd" / "bbobexp_f1.info").exists() and (tmp_path / "ecdf.png").exists()
    result = runner.invoke(app, ["bench", "bbob", "--functions", "25", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "BBOB functions are 1..24" in result.output


def test_rl_commands(tmp_path):
    pytest.importorskip("gymnasium")
    result = runner.invoke(app, ["rl", "lqr", "--sizes", "2x1", "--budgets", "1,2", "--seeds", "2", "--steps", "3",
                                 "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "lqr_accuracy.csv").exists() and (tmp_path / "lqr_learning.png").exists()
    result = runner.invoke(app, ["rl", "episodic", "--optimizers", "mvd", "--budget", "40", "--seeds", "0",
                                 "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "episodic.csv").exists() and (tmp_path / "episodic_curves.png").exists()
    for args, message in ((["rl", "episodic", "--env", "Nope-v0"], "unknown environment 'Nope-v0'"),
                          (["rl", "episodic", "--optimizers", "sgd"], "unknown optimizer(s) ['sgd']"),
                          (["rl", "lqr", "--sizes", "4by4"], "--sizes must look like 2x1,4x4")):
        result = runner.invoke(app, [*args, "--out", str(tmp_path)])
        assert result.exit_code == 2 and message in result.output.replace("\n", " "), result.output
