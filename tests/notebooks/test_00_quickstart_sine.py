"""Notebook 00 at quick size: the model beats naive, shapes hold, numbers recompute."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_zoo.datasets.synthetic import make_sine_waves
from rnn_zoo.evaluation import mase, naive_scale
from rnn_zoo.preprocessing import make_windows, time_split
from tools.run_tutorials import quick_parameters

NAME = "00_quickstart_sine"
# pinned here (not only in the notebook) so the test can recompute from them
FIXED = {"SEED": 0, "NOISE": 0.1, "PERIOD": 6.283185}


@pytest.fixture(scope="module")
def params():
    return {**quick_parameters(NAME), **FIXED}


def test_quickstart_sine(run_notebook, params):
    results, _ = run_notebook(NAME, **FIXED)
    horizon = params["HORIZON"]

    # the baseline, recomputed outside the notebook from the same series
    wave = make_sine_waves(
        1,
        length=params["LENGTH"],
        noise=params["NOISE"],
        freq_range=(1 / params["PERIOD"],) * 2,
        phase_range=(0.0, 0.0),
        seed=params["SEED"],
    )[0, :, 0]
    train, _, test = time_split(wave, (0.7, 0.15, 0.15))
    X, y = make_windows(test, params["LOOKBACK"], horizon=horizon)
    naive = np.repeat(X[:, -1, :], horizon, axis=1)  # last value, every step
    expected = [mase(y[:, h, 0], naive[:, h], train) for h in range(horizon)]
    np.testing.assert_allclose(results["mase_naive"], expected, rtol=1e-5)
    assert results["naive_scale"] == pytest.approx(naive_scale(train))
    floor = params["NOISE"] * np.sqrt(2 / np.pi) / naive_scale(train)
    assert results["mase_floor"] == pytest.approx(floor)
    assert results["test_windows"] == len(X)

    # multi-step forecasts: one value per test window and step, both methods
    assert results["recursive_shape"] == [len(X), horizon]
    assert results["direct_shape"] == [len(X), horizon]
    assert len(results["mase_recursive"]) == len(results["mase_direct"]) == horizon

    # the LSTMs beat the naive forecast one step ahead, even at quick size
    assert results["mase_recursive"][0] < 0.8 * results["mase_naive"][0]
    assert results["mase_direct"][0] < 0.8 * results["mase_naive"][0]
    # and the classic mistake (a window of one step) is worse than a real window
    assert results["mase_window_of_one"] > results["mase_recursive"][0]
    assert (
        results["directional_accuracy_lstm"]
        > results["directional_accuracy_window_of_one"]
    )

    # shuffling leaks nearly every test target; the time-ordered split none
    assert results["leak_shuffled"] > 0.9
    assert results["leak_ordered"] == 0
    assert 1 <= results["epochs_one_step"] <= params["EPOCHS"]
    assert "LSTM MASE" in results["headline"]
