"""plot_forecast: line data, labels, legend, interval, origins and date axes
(headless Agg)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from rnn_zoo.plotting import plot_forecast  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def lines_by_label(ax):
    return {line.get_label(): line for line in ax.get_lines()}


def test_history_truth_and_named_predictions_on_steps():
    fig = plot_forecast(
        [1.0, 2.0, 3.0],
        [4.0, 5.0],
        {"naive": [3.0, 3.0], "LSTM direct": [4.1, 4.9]},
        units="m",
        ylabel="height",
        title="Two forecasts",
    )
    assert isinstance(fig, matplotlib.figure.Figure)
    (ax,) = fig.axes
    assert ax.get_title() == "Two forecasts"
    assert ax.get_xlabel() == "time step"
    assert ax.get_ylabel() == "height (m)"
    assert legend_texts(ax) == [
        "history",
        "actual",
        "naive",
        "LSTM direct",
        "forecast origin",
    ]
    lines = lines_by_label(ax)
    np.testing.assert_array_equal(lines["history"].get_xdata(), [0, 1, 2])
    np.testing.assert_array_equal(lines["actual"].get_xdata(), [3, 4])
    np.testing.assert_array_equal(lines["actual"].get_ydata(), [4, 5])
    np.testing.assert_array_equal(lines["naive"].get_ydata(), [3, 3])
    np.testing.assert_allclose(lines["LSTM direct"].get_ydata(), [4.1, 4.9])
    # the origin line sits at the last history step
    assert lines["forecast origin"].get_xdata()[0] == 2
    # the two forecasts are told apart by colour
    assert lines["naive"].get_color() != lines["LSTM direct"].get_color()


def test_single_prediction_interval_and_explicit_origins():
    fig = plot_forecast(
        np.zeros((4, 1)),  # (n, 1) is accepted
        prediction=[1.0, 2.0],
        interval=([0.5, 1.0], [1.5, 3.0]),
        interval_label="80% interval",
        origins=[1, 3],
        title=None,
    )
    ax = fig.axes[0]
    assert ax.get_title() == ""
    assert legend_texts(ax) == [
        "history",
        "80% interval",
        "forecast",
        "forecast origin",
    ]
    origins = [line for line in ax.get_lines() if line.get_linestyle() == ":"]
    assert [line.get_xdata()[0] for line in origins] == [1, 3]
    (band,) = ax.collections
    vertices = band.get_paths()[0].vertices
    assert vertices[:, 1].min() == pytest.approx(0.5)
    assert vertices[:, 1].max() == pytest.approx(3.0)


def test_history_only_has_no_origin():
    fig = plot_forecast([1.0, 2.0])
    assert legend_texts(fig.axes[0]) == ["history"]


def test_dates_from_series_index_extended_at_its_frequency():
    index = pd.date_range("2024-01-01", periods=5, freq="D")
    history = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0], index=index)
    fig = plot_forecast(history, prediction={"naive": [5.0, 5.0]}, units="USD")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "date"
    assert ax.get_ylabel() == "value (USD)"
    assert isinstance(ax.xaxis.get_major_formatter(), mdates.ConciseDateFormatter)
    naive = lines_by_label(ax)["naive"].get_xdata()
    assert pd.DatetimeIndex(naive).strftime("%Y-%m-%d").tolist() == [
        "2024-01-06",
        "2024-01-07",
    ]
    fig.canvas.draw()  # the date ticks render
    assert any(t.get_text() for t in ax.get_xticklabels())


def test_dates_argument_and_truth_series_index():
    dates = pd.date_range("2024-03-01", periods=5, freq="W")
    fig = plot_forecast([1.0, 2.0, 3.0], [4.0, 5.0], dates=dates)
    actual = lines_by_label(fig.axes[0])["actual"].get_xdata()
    assert pd.DatetimeIndex(actual).equals(dates[3:])

    truth = pd.Series([9.0], index=pd.to_datetime(["2025-01-10"]))
    history = pd.Series([1.0, 2.0], index=pd.to_datetime(["2025-01-02", "2025-01-03"]))
    fig = plot_forecast(history, truth)
    actual = lines_by_label(fig.axes[0])["actual"].get_xdata()
    assert pd.DatetimeIndex(actual)[0] == pd.Timestamp("2025-01-10")


def test_draws_into_given_axes():
    fig, axes = plt.subplots(1, 2)
    out = plot_forecast([1.0, 2.0], [3.0], [2.0], ax=axes[1], title="right")
    assert out is fig
    assert axes[1].get_title() == "right" and not axes[0].get_lines()


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        (([],), {}, ValueError, "`history` must be at least one value"),
        ((["a", "b"],), {}, TypeError, "`history` must be a 1-D sequence of numbers"),
        ((np.ones((3, 2)),), {}, ValueError, "`history` must be 1-D"),
        (([1.0, np.nan],), {}, ValueError, "`history` must contain only finite"),
        (([1.0], [1.0, 2.0], [1.0]), {}, ValueError, "must be the same length"),
        (([1.0], None, {}), {}, ValueError, "`prediction` must be a non-empty"),
        (([1.0], None, {1: [1.0]}), {}, TypeError, "`prediction label` must be"),
        (([1.0], [2.0]), {"interval": [1.0]}, TypeError, "`interval` must be"),
        (([1.0], [2.0]), {"interval": ([3.0], [2.0])}, ValueError, "lower <= upper"),
        (([1.0], [2.0]), {"dates": [1, 2, 3]}, ValueError, "`dates` must be one time"),
        ((pd.Series([1.0], index=["a"]), [2.0]), {}, TypeError, "`history.index`"),
        ((pd.Series([1.0], index=[0.5]), [2.0]), {}, ValueError, "`dates` must be"),
        (([1.0],), {"ax": "axes"}, TypeError, "`ax` must be"),
    ],
)
def test_bad_input(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        plot_forecast(*args, **kwargs)


def test_irregular_dates_without_future_dates_is_an_error():
    index = pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-05"])
    with pytest.raises(ValueError, match="pass `dates`"):
        plot_forecast(pd.Series([1.0, 2.0, 3.0], index=index), prediction=[1.0])
