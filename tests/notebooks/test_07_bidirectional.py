"""Notebook 07 runs with small parameters; its counts, ceiling and leak check out."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_zoo.datasets import forward_only_ceiling, make_sine_waves

# quick_parameters.json
UNITS, EMBEDDING_DIM, N_SYMBOLS, N_TAGS = 12, 8, 8, 5
MIN_LENGTH, MAX_LENGTH, N_TEST = 8, 12, 100
SERIES_LENGTH, N_SERIES, NOISE = 20, 64, 0.1


def gru_tagger_params(units, bidirectional, merge_mode="concat"):
    """Embedding, GRU (reset_after: two bias rows) per direction, Dense logits."""
    gru = 3 * units * (EMBEDDING_DIM + units + 2)
    width = 2 * units if bidirectional and merge_mode == "concat" else units
    directions = 2 if bidirectional else 1
    return (N_SYMBOLS + 1) * EMBEDDING_DIM + directions * gru + width * N_TAGS + N_TAGS


def test_notebook_07(run_notebook):
    results, _ = run_notebook("07_bidirectional")
    same_budget(results)
    tagging_scores(results)
    masking(results)
    forecasting(results)


def same_budget(results):
    params, bi_units = results["params"], results["bi_units"]
    assert params["unidirectional"] == gru_tagger_params(UNITS, False) == 929
    assert params["bidirectional"] == gru_tagger_params(bi_units, True)
    # the nearest width to the unidirectional budget, within 10 %
    misses = {
        u: abs(gru_tagger_params(u, True) - params["unidirectional"])
        for u in (bi_units - 1, bi_units, bi_units + 1)
    }
    assert min(misses, key=misses.get) == bi_units
    assert misses[bi_units] < 0.1 * params["unidirectional"]
    merge = {row["config"]: row for row in results["merge"]}
    assert list(merge) == ["bi-concat", "bi-sum"]
    assert merge["bi-sum"]["params"] == gru_tagger_params(bi_units, True, "sum")


def tagging_scores(results):
    ceiling = forward_only_ceiling(
        min_length=MIN_LENGTH, max_length=MAX_LENGTH, n_symbols=N_SYMBOLS
    )
    assert results["ceiling"] == pytest.approx(ceiling)
    assert 0.3 < results["majority"] < 0.5  # "higher" or "lower", about 7/16
    for run in results["direction_runs"]:
        assert 0.0 <= run["final_val_accuracy"] <= 1.0
        if run["config"] == "unidirectional":
            # ~1,000 test tags: 0.05 is more than three standard errors
            assert run["final_val_accuracy"] <= ceiling + 0.05
    rows = {row["config"]: row for row in results["directions"]}
    assert set(rows) == {"unidirectional", "bidirectional"}
    for config, row in rows.items():
        values = [
            r["final_val_accuracy"]
            for r in results["direction_runs"]
            if r["config"] == config
        ]
        assert row["mean"] == pytest.approx(np.mean(values))
    merge_words = results["merge_words"]
    best = max(results["merge"], key=lambda row: row["mean"])
    assert f"Best mean: **{best['config']}** ({best['mean']:.4f}" in merge_words


def masking(results):
    assert results["gap_masked"] < 1e-5
    assert results["gap_unmasked"] > 1e-3  # negative control: no mask, padding leaks
    # our masked accuracy equals Keras' masked metric for the same model
    bi_seed0 = next(
        r
        for r in results["direction_runs"]
        if r["config"] == "bidirectional" and r["seed"] == 0
    )
    assert results["accuracy_masked"] == pytest.approx(
        bi_seed0["final_val_accuracy"], abs=1e-6
    )


def forecasting(results):
    forecast = results["forecast"]
    # a unidirectional model cannot see the future: honest == leaky
    assert forecast["unidirectional, honest"] == pytest.approx(
        forecast["unidirectional, leaky"], rel=1e-5
    )
    test = make_sine_waves(N_SERIES // 4, length=SERIES_LENGTH + 1, noise=NOISE, seed=1)
    persistence = np.mean((test[:, :-1] - test[:, 1:]) ** 2)
    assert forecast["persistence"] == pytest.approx(persistence, rel=1e-6)
    assert results["noise_floor"] == pytest.approx(NOISE**2)
    words = results["leak_words"]
    assert f"MSE is **{forecast['bidirectional, leaky']:.4f}**" in words
    assert f"scores **{forecast['bidirectional, honest']:.4f}**" in words
