"""Notebook 06 runs with small parameters; its tables, verdicts and search add up."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rnn_zoo.experiments import describe_difference

QUICK = json.loads(
    (Path(__file__).parents[2] / "notebooks" / "quick_parameters.json").read_text()
)["06_training_craft"]
SEEDS = QUICK["SEEDS"]


def frame(records, metric):
    runs = pd.DataFrame(records)
    runs[metric] = runs[metric].astype(float)
    return runs


def test_notebook_06_records_consistent_results(run_notebook):
    results, nb = run_notebook("06_training_craft")
    # not even a deliberate warning: KerasTuner's Gaussian process is kept quiet
    streams = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in streams if o.get("name") == "stderr"]
    zeros_cannot_learn(results)
    comparisons_have_one_row_per_config_and_seed(results["runs"])
    verdicts_are_the_numbers(results)
    clipping_example_and_fused_kernels(results)
    search_used_the_same_trials(results)


def zeros_cannot_learn(results):
    grads = results["zero_gradients"]
    moving = [name for name, norm in grads.items() if norm != 0.0]
    # all weights zero: only the output bias gets a gradient
    assert moving == ["prediction/bias"], grads
    assert grads["prediction/bias"] > 0
    assert 0.05 < results["baseline"] < 0.4  # about 1/6


def comparisons_have_one_row_per_config_and_seed(runs):
    sizes = {"init": 4, "clip": 4, "optimizers": 4, "dropout": 3}
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
    search = frame(runs["search"], "best_val_loss")
    assert words["search"] == describe_difference(
        search, "best_val_loss", "random", "bayesian"
    )
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
        "dropout 0.3": True,
        "recurrent dropout 0.3": False,
    }


def search_used_the_same_trials(results):
    assert results["search_trials"] == [QUICK["TUNER_TRIALS"]] * (2 * len(SEEDS))
    rows = results["runs"]["search"]
    assert [r["config"] for r in rows] == ["random"] * len(SEEDS) + ["bayesian"] * len(
        SEEDS
    )
    for row, curve in zip(rows, results["search_best_so_far"], strict=True):
        assert np.all(np.diff(curve) <= 0)  # best so far never gets worse
        assert row["best_val_loss"] == pytest.approx(curve[-1])
        assert set(row["best"]) == {"units", "learning_rate"}
        assert row["best"]["units"] in (8, 16, 32)
        assert 1e-3 <= row["best"]["learning_rate"] <= 3e-2
