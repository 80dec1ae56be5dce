"""Notebook 01 runs with small parameters and its recorded numbers are right."""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.slow  # notebook run


def test_notebook_01_records_the_right_numbers(run_notebook):
    results, _ = run_notebook("01_rnn_from_scratch")
    for check in (
        numpy_cells_equal_keras,
        worked_example_values,
        worked_example_source_errors,
        exercise_2_solution,
        parameter_counts_follow_the_formulas,
        bptt_equals_gradient_tape,
        spectral_radius_decides_vanishing_or_exploding,
        forget_gate_bias_carries_the_gradient,
    ):
        check(results)


def numpy_cells_equal_keras(results):
    diffs = results["max_abs_diff"]
    assert set(diffs) >= {
        "simple_rnn",
        "simple_rnn_output",
        "simple_rnn_concatenated",
        "lstm",
        "gru",
        "gru_reset_before",
    }
    assert max(diffs.values()) < 1e-5


def worked_example_values(results):
    # hand-checked: forget z = W_f x + b_f with x = [0.5, 1.0]
    np.testing.assert_allclose(
        results["worked_forget_preactivation"], [-0.05, 0.4, -0.15], atol=1e-12
    )
    gates = results["worked_gates"]
    np.testing.assert_allclose(gates["forget"], [0.4875, 0.5987, 0.4626], atol=1e-4)
    np.testing.assert_allclose(gates["input"], [0.5250, 0.5744, 0.6106], atol=1e-4)
    np.testing.assert_allclose(gates["candidate"], [0.4621, 0.0500, -0.0500], atol=1e-4)
    np.testing.assert_allclose(gates["output"], [0.4502, 0.5866, 0.5374], atol=1e-4)
    np.testing.assert_allclose(
        results["worked_c1"], [0.2426, 0.0287, -0.0305], atol=1e-4
    )
    np.testing.assert_allclose(
        results["worked_h1"], [0.1071, 0.0168, -0.0164], atol=1e-4
    )
    assert results["worked_keras_max_abs_diff"] < 1e-6


def parameter_counts_follow_the_formulas(results):
    assert results["params_match"] is True
    rows = {
        (r["cell"], r["features f"], r["units u"]): r for r in results["param_counts"]
    }
    assert rows[("LSTM", 2, 32)]["count_params(), 1000 steps"] == 4 * 32 * (2 + 32 + 1)
    assert rows[("GRU", 1, 8)]["formula"] == 3 * 8 * (1 + 8 + 2)


def bptt_equals_gradient_tape(results):
    assert results["bptt_max_abs_diff"] < 1e-5
    assert results["bptt_cells"] == [
        "SimpleRNN",
        "LSTM",
        "GRU (reset_after=True)",
        "GRU (reset_after=False)",
    ]


def worked_example_source_errors(results):
    # each careless reading of x_1, recomputed here: z_f = W_f x + b_f
    W_f = np.array([[0.1, -0.3], [-0.2, 0.4], [0.5, -0.1]])
    b_f = np.array([0.2, 0.1, -0.3])
    careless = results["worked_careless_forget_preactivation"]
    expected = {"[0.5, 1.0]": [0.5, 1.0], "[0, 1.0]": [0, 1.0], "[0, 0.5]": [0, 0.5]}
    assert len(careless) == 3
    for ending, x in expected.items():
        (label,) = [k for k in careless if k.endswith(ending)]
        np.testing.assert_allclose(careless[label], W_f @ x + b_f, atol=1e-12)
    # x = [0, 0.5] is where the source's sigma(0.05) comes from; it is 0.512
    assert results["worked_sigmoid_at_source_argument"] == pytest.approx(
        1 / (1 + np.exp(-0.05))
    )
    assert abs(results["worked_sigmoid_at_source_argument"] - 0.38) > 0.1


def exercise_2_solution(results):
    # x_1 = [1.0, 0.5]: candidate unit 1 changes most (0.05 -> -0.30 through tanh)
    assert results["exercise2_largest_change"] == ["candidate", "unit 1"]
    # the forget gate moved, yet h_1 did not: c_0 = 0
    assert results["exercise2_forget_gate_moved"] > 0.05
    assert results["exercise2_forget_effect_on_h1"] == 0.0


def spectral_radius_decides_vanishing_or_exploding(results):
    small, one, big = (
        np.array(results["radius_norms"][r]) for r in ("0.5", "1.0", "1.5")
    )
    assert small[-1] < 1e-3 * small[0]  # vanishes
    assert np.all(np.diff(small) < 0)  # and falls at every step
    assert big[-1] > 2 * big[0]  # explodes
    assert small[-1] < one[-1] < big[-1]
    summary = results["radius_summary"]
    assert summary["0.5"]["factor_per_step"] < 0.6
    assert summary["1.5"]["factor_per_step"] > 1.0


def forget_gate_bias_carries_the_gradient(results):
    relative = results["forget_bias_relative_norm"]
    assert relative["6.0"] > 10 * relative["1.0"]
    lstm = np.array(results["cell_norms"]["LSTM"])
    assert lstm[-1] < lstm[0]  # at initialisation it forgets too
