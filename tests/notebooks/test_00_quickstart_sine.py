"""Notebook 00 at quick size: the model beats naive, shapes hold, numbers recompute."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnn_zoo.datasets.synthetic import make_sine_waves
from rnn_zoo.evaluation import mase, naive_scale
from rnn_zoo.preprocessing import make_windows, time_split
from rnn_zoo.training.experiments import clearly_better
from tools.run_tutorials import quick_parameters

pytestmark = pytest.mark.slow  # notebook run

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
    scaler_uses_training_rows_only(results, wave, train)
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
    assert results["same_architecture"] is True
    winners_only_where_seed_ranges_do_not_overlap(results, params)


def scaler_uses_training_rows_only(results, wave, train):
    """The scaler's fitted statistics are those of the training rows, no others.

    Fitting it on the whole series (validation and test rows too) leaks the
    future's level into every scaled input; its mean and spread then differ.
    """
    rows, everything = train.astype("float64"), wave.astype("float64")
    np.testing.assert_allclose(results["scaler_mean"], [rows.mean()], rtol=1e-6)
    np.testing.assert_allclose(results["scaler_scale"], [rows.std()], rtol=1e-6)
    # the check has power: the statistics of all rows differ by far more than rtol
    assert abs(everything.mean() - rows.mean()) > 1e-3 * abs(rows.mean())
    assert abs(everything.std() - rows.std()) > 1e-4 * rows.std()


def winners_only_where_seed_ranges_do_not_overlap(results, params):
    """Each verdict names a winner exactly when it won on every seed."""
    horizon = params["HORIZON"]
    step1 = pd.DataFrame(results["step1_runs"])
    methods = pd.DataFrame(results["horizon_runs"])
    seeds = params["SEEDS"]
    assert results["seeds"] == seeds
    for runs in (step1, methods):
        assert sorted(runs["seed"]) == sorted(seeds * 2)  # two configs, every seed
    # the first seed's rows are the numbers the walkthrough showed
    first = step1[step1["seed"] == seeds[0]].set_index("config")["MASE at step 1"]
    assert first["LSTM, window of 1"] == pytest.approx(results["mase_window_of_one"])
    mean_name = f"mean MASE over {horizon} steps"
    first_methods = methods[methods["seed"] == seeds[0]].set_index("config")
    assert first_methods.loc["LSTM direct", mean_name] == pytest.approx(
        np.mean(results["mase_direct"])
    )
    # a winner only where the ranges over seeds do not overlap
    for runs, metric, key in (
        (step1, "MASE at step 1", "window_winner"),
        (methods, mean_name, "method_winner"),
    ):
        values = {c: g[metric].to_numpy() for c, g in runs.groupby("config")}
        (a, va), (b, vb) = values.items()
        overlap = va.min() <= vb.max() and vb.min() <= va.max()
        if overlap:
            assert results[key] is None
        else:
            assert results[key] == (a if va.max() < vb.min() else b)
        assert results[key] == clearly_better(runs, metric, a, b)
        assert (results[key] or "not shown") in results["headline"]
