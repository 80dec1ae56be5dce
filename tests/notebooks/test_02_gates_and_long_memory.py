"""Notebook 02 teaches what its numbers show: parameter counts from the formulas,
an honest baseline, a winner only where the seed ranges do not overlap, and a
gate reading that is the plotted numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnn_zoo.datasets import make_adding_problem
from tools.run_tutorials import quick_parameters

pytestmark = pytest.mark.slow  # notebook run

QUICK = quick_parameters("02_gates_and_long_memory")
CELLS = ("SimpleRNN", "LSTM", "GRU")


def test_notebook_02_teaches_what_its_numbers_show(run_notebook):
    results, _ = run_notebook("02_gates_and_long_memory")
    every_cell_length_and_seed_is_trained_once(results)
    parameter_counts_follow_the_formulas(results)
    baselines_use_training_targets_only(results)
    a_winner_is_named_only_where_seed_ranges_do_not_overlap(results)
    takeaway_claims_a_gated_win_only_where_shown(results)
    gate_reading_is_the_plotted_numbers(results)


def every_cell_length_and_seed_is_trained_once(executed):
    runs = pd.DataFrame(executed["runs"])
    expected = [
        (task, length, cell, seed)
        for task, lengths in (
            ("adding", QUICK["ADD_LENGTHS"]),
            ("copy", QUICK["COPY_LENGTHS"]),
        )
        for length in lengths
        for cell in CELLS
        for seed in QUICK["SEEDS"]
    ]
    assert list(runs[["task", "length", "cell", "seed"]].itertuples(index=False)) == [
        tuple(key) for key in expected
    ]
    # the same number of updates for every cell (the time cap never struck)
    epochs = {"adding": QUICK["EPOCHS"], "copy": QUICK["COPY_EPOCHS"]}
    assert (runs["epochs"] == runs["task"].map(epochs)).all()


def parameter_counts_follow_the_formulas(executed):
    u, vocab = QUICK["UNITS"], 4 + 2  # N_SYMBOLS + blank + delimiter
    layer = {
        "SimpleRNN": lambda f: u * (f + u + 1),
        "LSTM": lambda f: 4 * u * (f + u + 1),
        "GRU": lambda f: 3 * u * (f + u + 2),  # reset_after=True: two biases
    }
    for row in executed["params"]:
        f = 2 if row["task"] == "adding" else 16
        assert row["rnn layer (Keras)"] == layer[row["cell"]](f), row
    for run in executed["runs"]:
        if run["task"] == "adding":  # + Dense(1)
            assert run["params"] == layer[run["cell"]](2) + u + 1
        else:  # + Embedding(6, 16) + Dense(6)
            assert (
                run["params"] == vocab * 16 + layer[run["cell"]](16) + u * vocab + vocab
            )


def baselines_use_training_targets_only(executed):
    for run in executed["runs"]:
        if run["task"] == "copy":
            assert run["baseline"] == 1 / 4  # guessing one of N_SYMBOLS
            continue
        length, n = run["length"], executed["n_train"]
        _, y_train = make_adding_problem(n, length=length, seed=run["seed"])
        _, y_test = make_adding_problem(
            executed["n_test"], length=length, seed=executed["test_seed"]
        )
        # always answer the mean training target; the test set is the shared one
        expected = np.mean((y_train.mean() - y_test) ** 2)
        assert run["baseline"] == pytest.approx(expected, rel=1e-6)
        assert executed["test_seed"] not in QUICK["SEEDS"]


def ranges_overlap_winner(runs, task, length, first, second):
    """The test's own verdict: a winner only where min-max ranges do not meet."""
    mine = runs[(runs["task"] == task) & (runs["length"] == length)]
    sign = 1.0 if task == "adding" else -1.0  # lower MSE / higher accuracy wins
    a = sign * mine.loc[mine["cell"] == first, "score"].to_numpy()
    b = sign * mine.loc[mine["cell"] == second, "score"].to_numpy()
    if len(a) < 2 or len(b) < 2:
        return None
    if a.max() < b.min():
        return first
    if b.max() < a.min():
        return second
    return None


def a_winner_is_named_only_where_seed_ranges_do_not_overlap(executed):
    runs = pd.DataFrame(executed["runs"])
    verdicts = executed["verdicts"]
    pairs = {v["pair"] for v in verdicts}
    assert pairs == {"LSTM vs SimpleRNN", "GRU vs SimpleRNN", "LSTM vs GRU"}
    for verdict in verdicts:
        first, second = verdict["pair"].split(" vs ")
        expected = ranges_overlap_winner(
            runs, verdict["task"], verdict["length"], first, second
        )
        assert verdict["winner"] == (expected or "not shown"), verdict
    # the sentences about the longest adding problem say the same
    long = max(QUICK["ADD_LENGTHS"])
    for pair, words in executed["long_words"].items():
        first, second = pair.split(" vs ")
        expected = ranges_overlap_winner(runs, "adding", long, first, second)
        if expected is None:
            assert "not shown" in words and " beat " not in words, words
        else:
            assert words.startswith(f"**{expected}**") and " beat " in words, words


def takeaway_claims_a_gated_win_only_where_shown(executed):
    runs = pd.DataFrame(executed["runs"])
    lines = executed["takeaway"].splitlines()
    long = {"adding": QUICK["ADD_LENGTHS"][-1], "copy": QUICK["COPY_LENGTHS"][-1]}
    starts = {
        "adding": f"- The same number of updates for every cell, adding problem at "
        f"length {long['adding']}: ",
        "copy": f"- Copy task at length {long['copy']}: ",
    }
    for task, start in starts.items():
        (line,) = [line for line in lines if line.startswith(start)]
        for cell in ("LSTM", "GRU"):
            expected = ranges_overlap_winner(runs, task, long[task], cell, "SimpleRNN")
            phrase = {
                cell: f"{cell} beat the SimpleRNN on every seed",
                "SimpleRNN": f"the SimpleRNN beat {cell} on every seed",
                None: f"{cell} vs SimpleRNN: not shown (the ranges overlap)",
            }[expected]
            assert phrase in line, (phrase, line)
    adding = runs[(runs["task"] == "adding") & (runs["length"] == long["adding"])]
    for cell in CELLS:
        mean = adding.loc[adding["cell"] == cell, "score"].mean()
        assert f"{cell} {mean:.4f}" in executed["takeaway"]


def gate_reading_is_the_plotted_numbers(executed):
    results = executed
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
    marked = results["marked_steps"]
    length = results["gate_length"]
    assert len(marked) == 2 and marked[0] < length // 2 <= marked[1]
    at = gates["input"][marked].mean()
    elsewhere = np.delete(gates["input"], marked).mean()
    assert results["input_gate_at_markers"] == pytest.approx(at)
    assert results["input_gate_elsewhere"] == pytest.approx(elsewhere)
    forget_between = gates["forget"][marked[0] + 1 : marked[1]]
    between, kept = forget_between.mean(), forget_between.prod()
    kept_after = gates["forget"][marked[1] + 1 :].prod()
    assert results["forget_gate_between"] == pytest.approx(between)
    assert results["forget_kept_between"] == pytest.approx(kept)
    assert results["forget_kept_after"] == pytest.approx(kept_after)
    assert results["forget_gate_at_markers"] == pytest.approx(
        gates["forget"][marked].mean()
    )
    words = results["gate_words"]
    assert f"unit {results['gate_unit']}'s input gate averages **{at:.2f}**" in words
    assert f"**{elsewhere:.2f}** elsewhere" in words
    assert f"**{between:.3f}**" in words
    assert f"keeps {kept:.0%} of what the cell held" in words
    assert f"to the end it keeps {kept_after:.0%}" in words
    assert np.isfinite(results["prediction"])
