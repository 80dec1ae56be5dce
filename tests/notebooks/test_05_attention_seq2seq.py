"""Notebook 05 at quick size: the lesson's claims hold for its recorded numbers.

- One attention step computed in NumPy (score -> masked softmax -> context) equals
  the trained layer: recomputed here from the recorded weights.
- A winner is named only where the seed ranges of exact match do not overlap:
  recomputed here from the recorded per-seed runs.
- The running example's weekday is the real one.
"""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest

from rnn_zoo.datasets import make_date_pairs
from tools.run_tutorials import quick_parameters

pytestmark = pytest.mark.slow  # notebook run

NAME = "05_attention_seq2seq"
MODELS = (
    "no attention",
    "additive, Luong wiring",
    "additive, Bahdanau wiring",
    "Luong",
)
ATTENTION = MODELS[1:]


@pytest.fixture(scope="module")
def params():
    return quick_parameters(NAME)


def test_attention_seq2seq(run_notebook, params):
    results, nb = run_notebook(NAME)
    check_numpy_attention_step_equals_the_layer(results)
    check_winner_only_where_seed_ranges_do_not_overlap(results, params)
    check_tables_weekday_beam_and_review(results, nb, params)


def check_numpy_attention_step_equals_the_layer(results):
    step = results["numpy_step"]
    q, keys = np.array(step["query"]), np.array(step["keys"])
    mask = np.array(step["mask"], dtype=bool)
    assert mask.any() and not mask.all()  # real positions and padding
    w_q, w_k = np.array(step["query_kernel"]), np.array(step["key_kernel"])
    scores = np.tanh(q @ w_q + keys @ w_k) @ np.array(step["score_vector"])
    scores = np.where(mask, scores, -np.inf)
    expected = np.exp(scores - scores.max())
    expected /= expected.sum()
    layer = np.array(step["layer_weights"])
    np.testing.assert_allclose(layer, expected, atol=1e-5)
    np.testing.assert_allclose(step["numpy_weights"], expected, atol=1e-6)
    assert np.all(layer[~mask] == 0) and layer.sum() == pytest.approx(1.0, abs=1e-5)
    assert step["gap"] < 1e-5


def check_winner_only_where_seed_ranges_do_not_overlap(results, params):
    runs = pd.DataFrame(results["runs"])
    assert sorted(runs["seed"].unique()) == sorted(params["SEEDS"]) == results["seeds"]
    assert len(params["SEEDS"]) >= 2
    assert set(runs["config"]) == set(MODELS)
    per_config = runs.groupby("config")["exact match"]
    low, high = per_config.min(), per_config.max()
    clear = [a for a in MODELS if all(low[a] > high[b] for b in MODELS if b != a)]
    assert results["winner"] == (clear[0] if clear else None)
    for name in MODELS:
        assert results["exact_match"][name] == pytest.approx(per_config.mean()[name])
    wiring = results["verdicts"]["wiring"]
    a, b = "additive, Luong wiring", "additive, Bahdanau wiring"
    if low[a] > high[b] or low[b] > high[a]:
        assert "on every seed" in wiring
    else:
        assert "not shown" in wiring and "beat" not in wiring
    assert all(steps > 0 for steps in runs["steps"])


def check_tables_weekday_beam_and_review(results, nb, params):
    n_test = params["N_TEST"]
    assert results["n_test"] == n_test
    assert results["example_weekday"] == f"{datetime.date(2021, 3, 3):%A}"
    assert results["example"].startswith("Wednesday,")

    runs = pd.DataFrame(results["runs"])
    # exact match implies every character right: never above token accuracy
    assert (runs["exact match"] <= runs["token accuracy"] + 1e-12).all()

    # the length bins partition the test set, recomputed from the same generator
    pairs = make_date_pairs(n_test, seed=1, case="random", weekday_prefix=0.2)
    assert sum(results["examples_by_length"].values()) == n_test
    lengths = np.array([len(s) for s in pairs.sources])
    assert results["examples_by_length"].get("<=10", 0) == int((lengths <= 10).sum())
    first = results["first_seed_exact_match"]
    for name in MODELS:  # per-bin exact match averages back to the first seed's
        per_bin = results["exact_match_by_length"][name]
        total = sum(per_bin[b] * results["examples_by_length"][b] for b in per_bin)
        assert total / n_test == pytest.approx(first[name])

    # beam search never lowers the model's log-probability of its answers
    assert set(results["beam"]) == set(ATTENTION)
    for name, row in results["beam"].items():
        assert row["mean log-prob beam"] >= row["mean log-prob greedy"] - 1e-9
        assert row["greedy exact match"] == pytest.approx(first[name])

    reviewed = results["reviewed"]
    assert first[reviewed] == min(first[name] for name in ATTENTION)
    assert results["n_wrong_reviewed"] == round((1 - first[reviewed]) * n_test)
    images = [
        output
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    ]
    assert len(images) >= 1 + 2 * params["N_HEATMAPS"]
