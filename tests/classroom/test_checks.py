"""Each check passes the teacher's solution and catches deliberately wrong ones.

A wrong solution is the teacher's answer cell with one line mutated; it must lose
exactly the points of the checks it breaks and get the hint that names the
mistake.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from rnn_zoo.classroom.checks import (
    CHECKS,
    GRADE_LOG_ENV,
    CheckNotPassed,
    _load_assignment_checks,
    check,
    run_check,
)

from .conftest import solution_namespace

# assignment -> (check, function names it takes)
CALLS = {
    "01_rnn_cells": [
        ("q1_rnn_step", ["rnn_step"]),
        ("q1_rnn_step_hidden", ["rnn_step"]),
        ("q2_lstm_step", ["lstm_step"]),
        ("q2_lstm_step_hidden", ["lstm_step"]),
        ("q3_gru_step", ["gru_step"]),
        ("q3_gru_step_hidden", ["gru_step"]),
        ("q4_rnn_backward", ["rnn_step_backward"]),
        ("q5_parameter_count", ["parameter_count"]),
    ],
    "02_char_lm": [
        ("q1_encode", ["encode"]),
        ("q2_make_examples", ["make_examples"]),
        ("q3_build_model", ["build_model"]),
        ("q4_temperature", ["temperature_probs"]),
        ("q5_generate", ["generate"]),
    ],
    "03_attention": [
        ("q1_additive_scores", ["additive_scores"]),
        ("q2_masked_softmax", ["masked_softmax"]),
        ("q2_masked_softmax_hidden", ["masked_softmax"]),
        ("q3_context_vector", ["context_vector"]),
        ("q4_decoder_step", ["decoder_step"]),
    ],
    "04_forecasting_pipeline": [
        ("q1_time_split", ["time_split"]),
        ("q2_make_windows", ["make_windows"]),
        ("q3_naive_and_mase", ["naive_forecast", "mase"]),
        ("q4_pipeline", ["pipeline"]),
        ("q4_pipeline_hidden", ["pipeline"]),
    ],
}


def _scores(assignment: str, namespace: dict) -> dict:
    return {
        name: run_check(name, *(namespace[f] for f in functions))
        for name, functions in CALLS[assignment]
    }


def test_every_registered_check_is_called_by_its_assignment():
    _load_assignment_checks()
    called = {name for calls in CALLS.values() for name, _ in calls}
    assert called == {n for n, c in CHECKS.items() if c.assignment in CALLS}


@pytest.mark.parametrize("assignment", sorted(CALLS))
def test_the_teachers_solutions_score_full_marks(assignment, solutions):
    results = _scores(assignment, solutions(assignment))
    failed = {n: r.message for n, r in results.items() if r.status != "pass"}
    assert not failed
    assert all(r.score == r.max_score > 0 for r in results.values())


def _replace(cell: str, old: str, new: str):
    def edit(grade_id, source):
        if grade_id == cell:
            assert old in source, (cell, old)
            return source.replace(old, new)
        return source

    return edit


# (name, assignment, answer cell, old text, new text, checks that must fail,
#  words the hint must contain)
WRONG = [
    (
        "forgot the bias",
        "01_rnn_cells",
        "a1_rnn_step",
        "h_prev @ recurrent_kernel + bias)",
        "h_prev @ recurrent_kernel)",
        {"q1_rnn_step", "q1_rnn_step_hidden"},
        "forgot the bias",
    ),
    (
        "sigmoid where tanh belongs",
        "01_rnn_cells",
        "a1_rnn_step",
        "return np.tanh(",
        "return sigmoid(",
        {"q1_rnn_step", "q1_rnn_step_hidden"},
        "sigmoid where tanh belongs",
    ),
    (
        "recurrent term ignored",
        "01_rnn_cells",
        "a1_rnn_step",
        " + h_prev @ recurrent_kernel",
        "",
        {"q1_rnn_step", "q1_rnn_step_hidden"},
        "ignores the recurrent term",
    ),
    (
        "wrong gate order",
        "01_rnn_cells",
        "a2_lstm_step",
        "z_i, z_f, z_c, z_o = np.split",
        "z_f, z_i, z_c, z_o = np.split",
        {"q2_lstm_step", "q2_lstm_step_hidden"},
        "wrong gate order",
    ),
    (
        "h = o * c without the tanh",
        "01_rnn_cells",
        "a2_lstm_step",
        "h_next = sigmoid(z_o) * np.tanh(c_next)",
        "h_next = sigmoid(z_o) * c_next",
        {"q2_lstm_step", "q2_lstm_step_hidden"},
        "o * tanh(c)",
    ),
    (
        "GRU update gate reversed",
        "01_rnn_cells",
        "a3_gru_step",
        "return z * h_prev + (1 - z) * candidate",
        "return (1 - z) * h_prev + z * candidate",
        {"q3_gru_step", "q3_gru_step_hidden"},
        "weighs the OLD state",
    ),
    (
        "backward pass without tanh'",
        "01_rnn_cells",
        "a4_rnn_backward",
        "dz = dh * (1.0 - h**2)",
        "dz = dh",
        {"q4_rnn_backward"},
        "tanh'",
    ),
    (
        "GRU with one bias vector counted",
        "01_rnn_cells",
        "a5_parameter_count",
        'biases = 2 if cell == "gru" else 1',
        "biases = 1",
        {"q5_parameter_count"},
        "two bias vectors",
    ),
    (
        "targets shifted by the wrong amount",
        "02_char_lm",
        "a2_make_examples",
        "Y = ids[1 : n * seq_len + 1]",
        "Y = ids[2 : n * seq_len + 2]",
        {"q2_make_examples"},
        "shifted by the wrong amount",
    ),
    (
        "softmax over the wrong axis",
        "02_char_lm",
        "a4_temperature",
        "e / e.sum(axis=-1, keepdims=True)",
        "e / e.sum(axis=0, keepdims=True)",
        {"q4_temperature"},
        "wrong axis",
    ),
    (
        "temperature applied after the softmax",
        "02_char_lm",
        "a4_temperature",
        'z = np.asarray(logits, dtype="float64") / temperature',
        'z = np.asarray(logits, dtype="float64")',
        {"q4_temperature", "q5_generate"},
        "after the softmax",
    ),
    (
        "state not carried while sampling",
        "02_char_lm",
        "a5_generate",
        "logits, state = step(token, state)",
        "logits, _ = step(token, state)",
        {"q5_generate"},
        "state not carried",
    ),
    (
        "a softmax on the logits layer",
        "02_char_lm",
        "a3_build_model",
        "keras.layers.Dense(vocab_size)",
        'keras.layers.Dense(vocab_size, "softmax")',
        {"q3_build_model"},
        "logits",
    ),
    (
        "attention weights not masked",
        "03_attention",
        "a2_masked_softmax",
        "scores = np.where(mask, scores, -np.inf)",
        "scores = np.asarray(scores)",
        {"q2_masked_softmax", "q2_masked_softmax_hidden", "q4_decoder_step"},
        "not masked",
    ),
    (
        "attention softmax over the batch axis",
        "03_attention",
        "a2_masked_softmax",
        "e / e.sum(axis=-1, keepdims=True)",
        "e / e.sum(axis=0, keepdims=True)",
        {"q2_masked_softmax", "q2_masked_softmax_hidden", "q4_decoder_step"},
        "wrong axis",
    ),
    (
        "Luong's query in a Bahdanau step",
        "03_attention",
        "a4_decoder_step",
        'scores = additive_scores(s_prev, keys, p["W_q"], p["W_k"], p["v"])',
        'plain = np.tanh(np.concatenate([y_prev, 0 * keys[:, 0]], -1) @ p["W"] '
        '+ s_prev @ p["U"] + p["b"])\n'
        '    scores = additive_scores(plain, keys, p["W_q"], p["W_k"], p["v"])',
        {"q4_decoder_step"},
        "previous state",
    ),
    (
        "context left out of the RNN input",
        "03_attention",
        "a4_decoder_step",
        "inputs = np.concatenate([y_prev, context], axis=-1)",
        "inputs = np.concatenate([y_prev, 0 * context], axis=-1)",
        {"q4_decoder_step"},
        "feed the context into the RNN",
    ),
    (
        "scaler fitted on all rows",
        "04_forecasting_pipeline",
        "a4_pipeline",
        "mean, std = train.mean(), train.std()",
        "mean, std = np.mean(series), np.std(series)",
        {"q4_pipeline", "q4_pipeline_hidden"},
        "scaler fitted on all rows",
    ),
    (
        "windows that include their own target",
        "04_forecasting_pipeline",
        "a2_make_windows",
        "return X, x[lookback:]",
        "return X, X[:, -1]",
        {"q2_make_windows", "q4_pipeline"},
        "include their own target",
    ),
    (
        "shuffled split",
        "04_forecasting_pipeline",
        "a1_time_split",
        "n = len(series)",
        "series = np.random.default_rng(0).permutation(series)\n    n = len(series)",
        {"q1_time_split", "q4_pipeline", "q4_pipeline_hidden"},
        "shuffled",
    ),
    (
        "MASE scaled on the test targets",
        "04_forecasting_pipeline",
        "a3_naive_and_mase",
        "np.diff(np.asarray(y_train",
        "np.diff(np.asarray(y_true",
        {"q3_naive_and_mase"},
        "TRAINING series",
    ),
]


@pytest.mark.parametrize(
    "assignment, cell, old, new, broken, hint",
    [w[1:] for w in WRONG],
    ids=[w[0] for w in WRONG],
)
def test_a_wrong_solution_loses_its_points_and_gets_the_right_hint(
    assignment, cell, old, new, broken, hint
):
    namespace = solution_namespace(assignment, _replace(cell, old, new))
    results = _scores(assignment, namespace)
    failed = {name for name, r in results.items() if r.status != "pass"}
    assert failed == broken
    first = min(broken)  # the visible check names the mistake
    assert hint in results[first].hint, results[first].hint
    for name, result in results.items():
        expected = 0.0 if name in broken else CHECKS[name].points
        assert result.score == expected


def test_checks_take_the_students_function_explicitly_and_stay_off_stderr(capfd):
    def noisy_rnn_step(x, h, kernel, recurrent_kernel, bias):
        import sys
        import warnings

        print("debug", file=sys.stderr)
        warnings.warn("student warning", stacklevel=1)
        return np.float64(1.0) / 0.0 * x[:, :1] + h  # inf, and a NumPy warning

    with pytest.raises(CheckNotPassed, match=r"\[FAIL\] q1_rnn_step: 0/2"):
        check("q1_rnn_step", noisy_rnn_step)  # a failed check cell raises (nbgrader)
    out, err = capfd.readouterr()
    assert err == ""
    assert out.startswith("[FAIL] q1_rnn_step: 0/2")


def test_under_the_grader_a_failed_check_is_logged_not_raised(tmp_path, monkeypatch):
    log = tmp_path / "checks.jsonl"
    monkeypatch.setenv(GRADE_LOG_ENV, str(log))
    check("q1_rnn_step", lambda x, h, W, U, b: h)
    check("q1_rnn_step_hidden", lambda x, h, W, U, b: h)
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(r["name"], r["status"]) for r in rows] == [
        ("q1_rnn_step", "fail"),
        ("q1_rnn_step_hidden", "fail"),
    ]
    assert rows[1]["observed"] == rows[1]["message"] == ""  # hidden: no values


def test_an_exception_in_the_students_code_is_an_error_with_its_line():
    def broken(x, h, kernel, recurrent_kernel, bias):
        return x @ recurrent_kernel  # shapes do not match

    result = run_check("q1_rnn_step", broken)
    assert result.status == "error" and "ValueError" in result.message
    assert "x @ recurrent_kernel" in result.location


def test_a_hidden_result_keeps_only_its_verdict_and_hint():
    result = run_check("q1_rnn_step_hidden", lambda *a: a[1] * 0)
    public = result.public()
    assert public["status"] == "fail" and public["hint"]
    assert public["observed"] == public["expected"] == public["message"] == ""
    assert "(hidden)" in result.line() and "differs" not in result.line()


def test_unknown_check_is_a_clear_error():
    with pytest.raises(ValueError, match="`name` must be a registered check id"):
        run_check("q9_nothing", print)


def test_the_line_is_found_under_a_folder_named_rnn_zoo(tmp_path):
    # a teacher's checkout is often called rnn_zoo: only the package's own files
    # are the checks' frames, not every path that contains the name
    folder = tmp_path / "rnn_zoo" / "homework"
    folder.mkdir(parents=True)
    source = folder / "answer.py"
    source.write_text(
        "def broken(x, h, kernel, recurrent_kernel, bias):\n"
        "    return x @ recurrent_kernel  # shapes do not match\n"
    )
    namespace: dict = {}
    exec(compile(source.read_text(), str(source), "exec"), namespace)

    result = run_check("q1_rnn_step", namespace["broken"])
    assert result.status == "error"
    line = "return x @ recurrent_kernel  # shapes do not match"
    assert result.location == f"line 2: {line}"
