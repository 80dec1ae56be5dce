"""Notebook 05 at quick size: runs clean, and its recorded numbers are consistent."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_zoo.datasets import make_date_pairs
from tools.run_tutorials import quick_parameters

NAME = "05_attention_seq2seq"
MODELS = ("no attention", "Bahdanau", "Luong")


@pytest.fixture(scope="module")
def params():
    return quick_parameters(NAME)


def test_attention_seq2seq(run_notebook, params):
    results, nb = run_notebook(NAME)
    n_test = params["N_TEST"]
    assert results["n_test"] == n_test

    for table in ("exact_match", "token_accuracy"):
        assert set(results[table]) == set(MODELS)
        assert all(0.0 <= v <= 1.0 for v in results[table].values())
    # exact match implies every character right: never above token accuracy
    for name in MODELS:
        assert results["exact_match"][name] <= results["token_accuracy"][name] + 1e-12
    assert set(results["alignment_accuracy"]) == {"Bahdanau", "Luong"}
    assert all(0.0 <= v <= 1.0 for v in results["alignment_accuracy"].values())

    # the length bins partition the test set, recomputed from the same generator
    pairs = make_date_pairs(
        n_test, seed=1, case="random", weekday_prefix=0.2
    )  # SEED + 1 and the notebook's defaults
    assert sum(results["examples_by_length"].values()) == n_test
    lengths = np.array([len(s) for s in pairs.sources])
    assert results["examples_by_length"].get("<=10", 0) == int((lengths <= 10).sum())
    # per-bin exact match averages back to the overall exact match
    for name in MODELS:
        per_bin = results["exact_match_by_length"][name]
        total = sum(per_bin[b] * results["examples_by_length"][b] for b in per_bin)
        assert total / n_test == pytest.approx(results["exact_match"][name])

    # beam search never lowers the model's log-probability of its answers
    for name, row in results["beam"].items():
        assert row["mean log-prob beam"] >= row["mean log-prob greedy"] - 1e-9
        assert row["greedy exact match"] == pytest.approx(results["exact_match"][name])

    # every model trained, and the wrong answers counted for the best one
    assert all(steps > 0 for steps in results["train_steps"].values())
    reviewed = results["reviewed"]
    assert results["exact_match"][reviewed] == min(
        results["exact_match"][name] for name in ("Bahdanau", "Luong")
    )
    wrong = round((1 - results["exact_match"][reviewed]) * n_test)
    assert results["n_wrong_reviewed"] == wrong
    # heatmaps were drawn (one per attention model and example)
    images = [
        output
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    ]
    assert len(images) >= 1 + 2 * params["N_HEATMAPS"]
