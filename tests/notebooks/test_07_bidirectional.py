"""Notebook 07 with small parameters: the lessons it teaches hold in its numbers.

- a bidirectional tagger passes the forward-only ceiling, which no
  unidirectional run does (beyond sampling noise), at the same parameter count;
- with the mask, pre- and post-padding leave the outputs of every row as they
  are alone; without it, padding moves them;
- the bidirectional forecaster reads ahead (its prediction at step t moves when
  the future is erased), which is the only reason its leaky score is below the
  noise floor: its honest score is not.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from rnn_zoo.datasets import forward_only_ceiling, make_sine_waves

pytestmark = pytest.mark.slow  # notebook run

QUICK = json.loads(
    (Path(__file__).parents[2] / "notebooks" / "quick_parameters.json").read_text()
)["07_bidirectional"]
UNITS, MAX_LENGTH, N_TEST = QUICK["UNITS"], QUICK["MAX_LENGTH"], QUICK["N_TEST"]
SERIES_LENGTH, N_SERIES = QUICK.get("SERIES_LENGTH", 40), QUICK["N_SERIES"]
EMBEDDING_DIM, N_SYMBOLS, N_TAGS, MIN_LENGTH, NOISE = 8, 8, 5, 8, 0.1


def gru_tagger_params(units, bidirectional, merge_mode="concat"):
    """Embedding, GRU (reset_after: two bias rows) per direction, Dense logits."""
    gru = 3 * units * (EMBEDDING_DIM + units + 2)
    width = 2 * units if bidirectional and merge_mode == "concat" else units
    directions = 2 if bidirectional else 1
    return (N_SYMBOLS + 1) * EMBEDDING_DIM + directions * gru + width * N_TAGS + N_TAGS


def test_notebook_07(run_notebook):
    results, _ = run_notebook("07_bidirectional")
    same_budget(results)
    bidirectional_passes_the_forward_only_ceiling(results)
    merge_modes(results)
    masking(results)
    forecaster_reads_ahead(results)


def same_budget(results):
    params, bi_units = results["params"], results["bi_units"]
    assert params["unidirectional"] == gru_tagger_params(UNITS, False)
    assert params["bidirectional"] == gru_tagger_params(bi_units, True)
    # the nearest width to the unidirectional budget, within 10 %
    misses = {
        u: abs(gru_tagger_params(u, True) - params["unidirectional"])
        for u in (bi_units - 1, bi_units, bi_units + 1)
    }
    assert min(misses, key=misses.get) == bi_units
    assert misses[bi_units] < 0.1 * params["unidirectional"]
    assert results["builder_same"] is True  # build_sequence_tagger == the notebook's


def bidirectional_passes_the_forward_only_ceiling(results):
    ceiling = forward_only_ceiling(
        min_length=MIN_LENGTH, max_length=MAX_LENGTH, n_symbols=N_SYMBOLS
    )
    assert results["ceiling"] == pytest.approx(ceiling)
    assert 0.3 < results["majority"] < 0.5  # "higher" or "lower", about 7/16
    # three standard errors of an accuracy near the ceiling on the test tags
    noise = 3 * np.sqrt(ceiling * (1 - ceiling) / results["n_test_tags"])
    runs = results["direction_runs"]
    uni = [r["final_val_accuracy"] for r in runs if r["config"] == "unidirectional"]
    bi = [r["final_val_accuracy"] for r in runs if r["config"] == "bidirectional"]
    assert max(uni) <= ceiling + noise  # reading forwards only: bounded
    assert min(bi) > ceiling + noise  # only reading ahead gets past it
    assert results["direction_winner"] == "bidirectional"
    for row in results["directions"]:
        values = uni if row["config"] == "unidirectional" else bi
        assert row["mean"] == pytest.approx(np.mean(values))


def merge_modes(results):
    merge = {row["config"]: row for row in results["merge"]}
    assert list(merge) == [f"bi-{mode}" for mode in QUICK["MERGE_MODES"]]
    for mode in QUICK["MERGE_MODES"]:
        expected = gru_tagger_params(results["bi_units"], True, mode)
        assert merge[f"bi-{mode}"]["params"] == expected
    best = max(results["merge"], key=lambda row: row["mean"])
    assert (
        f"Best mean: **{best['config']}** ({best['mean']:.4f}"
        in (results["merge_words"])
    )


def masking(results):
    rows = {(r["model"], r["padding"]): r for r in results["padding"]}
    gap = "largest |padded - alone| logit"
    for side in ("post", "pre"):
        assert rows[("mask_zero=True", side)][gap] < 1e-5  # padding is invisible
        assert rows[("mask_zero=False", side)][gap] > 1e-2  # control: it is not
    # the masked accuracy on the real steps is Keras' masked metric of that model
    bi_seed0 = next(
        r
        for r in results["direction_runs"]
        if r["config"] == "bidirectional" and r["seed"] == QUICK["SEEDS"][0]
    )
    assert results["accuracy_masked"] == pytest.approx(
        bi_seed0["final_val_accuracy"], abs=1e-6
    )


def forecaster_reads_ahead(results):
    forecast, floor = results["forecast"], results["noise_floor"]
    assert floor == pytest.approx(NOISE**2)
    test = make_sine_waves(N_SERIES // 4, length=SERIES_LENGTH + 1, noise=NOISE, seed=1)
    persistence = np.mean((test[:, :-1] - test[:, 1:]) ** 2)
    assert forecast["persistence"] == pytest.approx(persistence, rel=1e-6)
    # erasing the future moves the bidirectional prediction, never the causal one
    assert results["future_change"]["unidirectional"] == 0.0
    assert results["future_change"]["bidirectional"] > 1e-3
    assert forecast["unidirectional, honest"] == pytest.approx(
        forecast["unidirectional, leaky"], rel=1e-5
    )
    # below the noise floor only when reading ahead; honest scores are above it
    assert forecast["bidirectional, leaky"] < floor
    assert forecast["bidirectional, honest"] > floor
    assert forecast["unidirectional, honest"] > floor
    assert forecast["bidirectional, honest"] > forecast["bidirectional, leaky"]
    words = results["leak_words"]
    assert f"MSE is **{forecast['bidirectional, leaky']:.4f}**" in words
