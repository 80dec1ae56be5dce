"""Notebook 06 with small parameters: its lessons hold in its own numbers.

- all-zero weights get no gradient but the output bias;
- each optimiser is judged at the best rate of its own sweep;
- `LSTM(dropout=)` keeps one mask for the whole sequence, a Dropout layer does
  not; recurrent dropout rules out the fused kernel;
- grid search tries exactly its grid, the other searches as many trials;
- a winner is named only where the ranges over seeds do not overlap;
- the TensorBoard logs of its one `fit(run_dir=...)` say what history.csv says.
"""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rnn_zoo.training.experiments import describe_difference

pytestmark = pytest.mark.slow  # notebook run

QUICK = json.loads(
    (Path(__file__).parents[2] / "notebooks" / "quick_parameters.json").read_text()
)["06_training_craft"]
SEEDS = QUICK["SEEDS"]


def frame(records, metric):
    runs = pd.DataFrame(records)
    runs[metric] = runs[metric].astype(float)
    return runs


def test_notebook_06_records_consistent_results(run_notebook, tmp_path):
    run_dir = tmp_path / "runs" / "06"  # not the notebook's own runs/ folder
    results, nb = run_notebook("06_training_craft", RUN_DIR=str(run_dir))
    # not even a deliberate warning: KerasTuner's Gaussian process is kept quiet
    streams = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in streams if o.get("name") == "stderr"]
    zeros_cannot_learn(results)
    comparisons_have_one_row_per_config_and_seed(results["runs"])
    verdicts_are_the_numbers(results)
    clipping_example_and_fused_kernels(results)
    dropout_masks(results)
    optimisers_at_their_best_rate(results)
    search_used_the_same_trials(results)
    assert results["builder_same"] is True  # build_sequence_regressor == build
    tensorboard_logs(results["tensorboard"], run_dir)


def tensorboard_logs(logs, run_dir):
    assert logs["match_history"] is True
    assert logs["tags"] == [
        "epoch_grad_norm",
        "epoch_learning_rate",
        "epoch_loss",
    ]
    assert logs["epochs"] == list(range(QUICK["EPOCHS"]))
    assert logs["learning_rate"] == [pytest.approx(0.01)]  # LEARNING_RATE, Adam
    assert len(list((run_dir / "logs" / "train").iterdir())) == 1


def zeros_cannot_learn(results):
    grads = results["zero_gradients"]
    moving = [name for name, norm in grads.items() if norm != 0.0]
    # all weights zero: only the output bias gets a gradient
    assert moving == ["prediction/bias"], grads
    assert grads["prediction/bias"] > 0
    assert 0.05 < results["baseline"] < 0.4  # about 1/6


def comparisons_have_one_row_per_config_and_seed(runs):
    sweep_size = sum(len(rates) for rates in QUICK["LR_SWEEP"].values())
    sizes = {"init": 4, "clip": 4, "optimizers": 4, "dropout": 4}
    sizes["lr_sweep"] = sweep_size
    for section, n_configs in sizes.items():
        rows = runs[section]
        configs = list(dict.fromkeys(r["config"] for r in rows))
        assert len(configs) == n_configs
        assert [(r["config"], r["seed"]) for r in rows] == [
            (c, s) for c in configs for s in SEEDS
        ]
        for row in rows:
            if row["diverged"]:
                assert row["test_loss"] is None
            else:
                assert row["test_loss"] >= 0 and math.isfinite(row["test_loss"])
    for row in runs["init"]:
        assert 0 <= row["directions used"] <= QUICK["UNITS"]
    for row in runs["clip"]:
        assert row["max_grad_norm"] is None or row["max_grad_norm"] > 0
    for row in runs["early_stopping"]:
        assert 1 <= row["best_epoch"] <= row["epochs"] <= QUICK["DROP_EPOCHS"]
    for row in runs["dropout"]:  # the time cap only stops a run on a slow machine
        assert row["epochs"] == QUICK["DROP_EPOCHS"] or row["stopped_by_time"]
    assert all(r["seconds_per_epoch"] > 0 for r in runs["dropout"])


def verdicts_are_the_numbers(results):
    runs, words = results["runs"], results["words"]
    init = frame(runs["init"], "test_loss")
    best = init.groupby("config", sort=False)["test_loss"].mean().idxmin()
    for other in dict.fromkeys(init["config"]):
        if other != best:
            assert describe_difference(init, "test_loss", best, other) in words["init"]
    drop = frame(runs["dropout"], "test_loss")
    names = list(dict.fromkeys(drop["config"]))
    for other in names[1:]:
        sentence = describe_difference(drop, "test_loss", names[0], other)
        assert sentence in words["dropout"]
    for section, metric in (("optimizers", "test_loss"), ("search", "best_val_loss")):
        table = frame(runs[section], metric)
        best = table.groupby("config", sort=False)[metric].mean().idxmin()
        for other in dict.fromkeys(table["config"]):
            if other != best:
                sentence = describe_difference(table, metric, best, other)
                assert sentence in words[section]
    last_vs_best = frame(runs["early_stopping"], "test_loss")
    assert words["early_stopping"] == describe_difference(
        last_vs_best, "test_loss", *dict.fromkeys(last_vs_best["config"])
    )
    for section in ("init", "clip", "optimizers", "dropout", "early_stopping"):
        text = words[section]
        assert "beat" in text or "the difference is not shown" in text


def clipping_example_and_fused_kernels(results):
    example = results["clipped_example"]
    np.testing.assert_allclose(example["by_norm"], [0.6, 0.8])  # (3, 4) to norm 1
    np.testing.assert_allclose(example["by_value"], [0.1, 0.1])
    assert results["fused"] == {
        "no dropout": True,
        "Dropout layer 0.3": True,
        "LSTM(dropout=0.3)": True,
        "LSTM(recurrent_dropout=0.3)": False,
    }


def dropout_masks(results):
    # LSTM(dropout=) drops the same input features at every step of a sequence;
    # a Dropout layer draws a new mask for every step
    assert results["same_mask_every_step"] == {
        "LSTM(dropout=)": True,
        "Dropout layer": False,
    }


def optimisers_at_their_best_rate(results):
    sweep = pd.DataFrame(results["runs"]["lr_sweep"])
    sweep["val_mse"] = sweep["final_val_loss"].astype(float).fillna(np.inf)
    assert list(dict.fromkeys(sweep["optimizer"])) == list(QUICK["LR_SWEEP"])
    chosen = results["runs"]["optimizers"]
    for name, rates in QUICK["LR_SWEEP"].items():
        rows = sweep[sweep["optimizer"] == name]
        assert sorted(set(rows["learning_rate"])) == sorted(rates)
        mean = rows.groupby("learning_rate")["val_mse"].mean()
        assert results["best_lr"][name] == mean.idxmin()  # the best of its sweep
        at_best = rows[rows["learning_rate"] == mean.idxmin()]
        compared = [r for r in chosen if r["config"].startswith(f"{name} (lr ")]
        assert [r["test_loss"] for r in compared] == at_best["test_loss"].tolist()


def search_used_the_same_trials(results):
    grid = list(itertools.product(QUICK["GRID_UNITS"], QUICK["GRID_LEARNING_RATES"]))
    assert results["grid"] == {
        "units": QUICK["GRID_UNITS"],
        "learning_rate": QUICK["GRID_LEARNING_RATES"],
    }
    methods = ["grid", "random", "bayesian"]
    rows = results["runs"]["search"]
    assert [r["config"] for r in rows] == [m for m in methods for _ in SEEDS]
    # every search gets as many trials as the grid has points
    assert results["search_trials"] == [len(grid)] * (3 * len(SEEDS))
    for row, tried in zip(rows, results["search_tried"], strict=True):
        if row["config"] == "grid":  # exactly the grid, each point once
            assert sorted(tuple(point) for point in tried) == sorted(grid)
        else:  # the continuous space
            for units, rate in tried:
                assert units in (8, 16, 32) and 1e-3 <= rate <= 3e-2
    for row, curve in zip(rows, results["search_best_so_far"], strict=True):
        assert np.all(np.diff(curve) <= 0)  # best so far never gets worse
        assert row["best_val_loss"] == pytest.approx(curve[-1])
        assert set(row["best"]) == {"units", "learning_rate"}
