"""train_memory_task / compare_cells: parameter counts, baselines, learning, errors."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_zoo.evaluation.long_memory import compare_cells, train_memory_task

TINY = dict(units=4, n_train=64, n_test=32, epochs=1, batch_size=32)


def test_compare_cells_counts_parameters_and_prints_one_line_per_run(capsys):
    runs = compare_cells("adding", [6], **TINY)
    recurrent = {"rnn": 4 * (2 + 4 + 1), "lstm": 4 * 4 * (2 + 4 + 1)}
    recurrent["gru"] = 3 * 4 * (2 + 4 + 2)  # reset_after=True: two biases
    for run in runs:
        assert run.params == recurrent[run.cell] + 4 + 1  # + Dense(1) on 4 units
        assert (run.task, run.length, run.metric, run.epochs) == ("adding", 6, "mse", 1)
        assert np.isfinite(run.score) and run.seconds > 0 and run.model is None
    assert [r.cell for r in runs] == ["rnn", "lstm", "gru"]
    # always answering the mean target: about Var(u1 + u2) = 2/12
    assert runs[0].baseline == pytest.approx(1 / 6, rel=0.35)
    assert "model" not in runs[0].as_row()
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and lines[-1].startswith("adding  length    6  gru :")


def test_copy_task_scores_recall_steps_and_time_budget_stops_training():
    run = train_memory_task(
        "copy",
        cell="gru",
        length=7,
        copy_symbols=2,
        n_symbols=4,
        time_budget=1e-6,
        **{**TINY, "epochs": 50},
    )
    assert run.epochs == 1
    assert run.metric == "recall_accuracy"
    assert run.baseline == 0.25
    assert 0.0 <= run.score <= 1.0
    assert run.model.output_shape == (None, 7, 6)  # logits over blank, 4, delimiter


def test_a_gru_learns_a_short_adding_problem():
    import keras

    keras.utils.set_random_seed(0)
    run = train_memory_task(
        "adding", cell="gru", length=4, units=8, n_train=1024, epochs=8, batch_size=32
    )
    assert run.score < 0.25 * run.baseline
    assert run.beats_baseline_by > 4


def test_bad_arguments():
    with pytest.raises(ValueError, match="`task` must be one of 'adding', 'copy'"):
        train_memory_task("sorting", cell="rnn", length=5)
    with pytest.raises(ValueError, match="`cell` must be one of"):
        train_memory_task("adding", cell="tcn", length=5)
    with pytest.raises(
        ValueError, match="`length` must be at least 2 \\* copy_symbols"
    ):
        train_memory_task("copy", cell="rnn", length=6, copy_symbols=3)
    with pytest.raises(ValueError, match="`time_budget` must be a number > 0"):
        train_memory_task("adding", cell="rnn", length=5, time_budget=0)
    with pytest.raises(ValueError, match="`lengths` must not be empty"):
        compare_cells("adding", [])
