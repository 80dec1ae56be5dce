"""plot_backtest: one line per model by step, bars for one step, labels, bad input."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from rnn_zoo.evaluation import walk_forward_backtest  # noqa: E402
from rnn_zoo.plotting import plot_backtest  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _result(horizon):
    series = pd.Series(np.sin(np.arange(80) * 0.4) + np.arange(80) * 0.01)
    return walk_forward_backtest(
        {"ar": lambda: lambda history, h: np.full(h, history[-2])},
        series,
        lookback=3,
        horizon=horizon,
        folds=5,
    )


def test_lines_by_step_with_values_from_the_table():
    result = _result(3)
    fig = plot_backtest(result, step_unit="days")
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines)[:4] == ["ar", "naive", "drift", "mean"]
    np.testing.assert_allclose(lines["ar"].get_xdata(), [1, 2, 3])
    np.testing.assert_allclose(
        lines["naive"].get_ydata(), result.by_step.loc["naive", "mase"]
    )
    assert lines["naive"].get_linestyle() == "--" and lines["ar"].get_linestyle() == "-"
    assert "in-sample naive error" in lines
    assert ax.get_xlabel() == "days ahead"
    assert "MASE" in ax.get_ylabel() and ax.get_title()
    assert ax.get_legend() is not None


def test_one_step_draws_bars_and_metric_units():
    result = _result(1)
    fig = plot_backtest(result, metric="mae", units="USD", models=["naive", "ar"])
    ax = fig.axes[0]
    heights = [patch.get_height() for patch in ax.patches]
    np.testing.assert_allclose(
        heights, result.by_step.loc[[("naive", 1), ("ar", 1)], "mae"]
    )
    assert ax.get_ylabel() == "MAE (USD)"


def test_draws_on_given_axes():
    fig, ax = plt.subplots()
    assert plot_backtest(_result(2), ax=ax, metric="directional_accuracy") is fig
    assert "coin flip" in [line.get_label() for line in ax.get_lines()]


def test_bad_input():
    result = _result(2)
    with pytest.raises(ValueError, match="`metric` must be one of"):
        plot_backtest(result, metric="r2")
    with pytest.raises(ValueError, match="`models` must be one of"):
        plot_backtest(result, models=["gru"])
    with pytest.raises(TypeError, match="`result` must be a BacktestResult"):
        plot_backtest(result.forecasts)
