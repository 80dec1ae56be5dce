"""Notebook 02 runs with small parameters; its table and its gate reading add up."""

from __future__ import annotations

import numpy as np
import pytest

UNITS = 8  # quick_parameters.json


def test_notebook_02_records_consistent_results(run_notebook):
    results, _ = run_notebook("02_gates_and_long_memory")
    comparison_table(results["runs"])
    gate_reading(results)


def comparison_table(runs):
    assert [(r["task"], r["cell"]) for r in runs] == [
        (task, cell) for task in ("adding", "copy") for cell in ("rnn", "lstm", "gru")
    ]
    u = UNITS
    recurrent_adding = {
        "rnn": u * (2 + u + 1),
        "lstm": 4 * u * (2 + u + 1),
        "gru": 3 * u * (2 + u + 2),
    }
    for run in runs:
        assert 1 <= run["epochs"] <= 2 and run["seconds"] > 0
        if run["task"] == "adding":
            assert run["params"] == recurrent_adding[run["cell"]] + u + 1
            assert run["baseline"] == pytest.approx(1 / 6, rel=0.35)
            assert np.isfinite(run["score"]) and run["score"] >= 0
        else:
            assert run["baseline"] == 0.25  # 1 / N_SYMBOLS
            assert 0.0 <= run["score"] <= 1.0
    copy_rnn = next(r for r in runs if r["task"] == "copy" and r["cell"] == "rnn")
    # embedding 6 x 16, SimpleRNN on 16 features, Dense to 6 logits
    assert copy_rnn["params"] == 6 * 16 + u * (16 + u + 1) + (u * 6 + 6)


def gate_reading(results):
    gates = {k: np.array(v) for k, v in results["gates_of_unit"].items()}
    assert set(gates) == {"input", "forget", "candidate", "output"}
    for name in ("input", "forget", "output"):
        assert np.all((gates[name] > 0) & (gates[name] < 1))
    assert np.all(np.abs(gates["candidate"]) < 1)
    # the recorded cell state follows c_t = f_t c_{t-1} + i_t c~_t from c_0 = 0
    cell = np.array(results["cell_of_unit"])
    previous = np.concatenate([[0.0], cell[:-1]])
    expected = gates["forget"] * previous + gates["input"] * gates["candidate"]
    np.testing.assert_allclose(cell, expected, atol=1e-9)
    # the words are the plotted numbers
    marked = results["marked_steps"]
    length = results["gate_length"]
    assert len(marked) == 2 and marked[0] < length // 2 <= marked[1]
    at = gates["input"][marked].mean()
    elsewhere = np.delete(gates["input"], marked).mean()
    assert results["input_gate_at_markers"] == pytest.approx(at)
    assert results["input_gate_elsewhere"] == pytest.approx(elsewhere)
    forget_between = gates["forget"][marked[0] + 1 : marked[1]]
    between, kept = forget_between.mean(), forget_between.prod()
    assert results["forget_gate_between"] == pytest.approx(between)
    assert results["forget_kept_between"] == pytest.approx(kept)
    assert results["forget_gate_at_markers"] == pytest.approx(
        gates["forget"][marked].mean()
    )
    words = results["gate_words"]
    assert f"unit {results['gate_unit']}'s input gate averages **{at:.2f}**" in words
    assert f"**{elsewhere:.2f}** elsewhere" in words
    assert f"**{between:.3f}**" in words
    assert f"keeps {kept:.0%} of what the cell held" in words
    assert np.isfinite(results["prediction"])
