"""Forecast plots: the past, what happened next, and what the models said.

`plot_forecast` draws the history, the truth after the forecast origin, one or
more named predictions (e.g. ``{"naive": ..., "LSTM direct": ...}``), an optional
prediction interval and the forecast origins, on a time-step or date axis.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from rnn_zoo._validation import check_finite, check_type, error_message

__all__ = ["plot_forecast"]

_MARKERS_UP_TO = 24  # draw point markers on forecasts of at most this many steps


def plot_forecast(
    history: Any,
    truth: Any = None,
    prediction: Any = None,
    *,
    interval: tuple[Any, Any] | None = None,
    interval_label: str = "prediction interval",
    origins: Sequence[Any] | None = None,
    dates: Any = None,
    units: str | None = None,
    ylabel: str = "value",
    xlabel: str | None = None,
    title: str | None = "Forecast",
    figsize: tuple[float, float] = (9.0, 4.0),
    ax: Axes | None = None,
) -> Figure:
    """Plot a history, the truth that followed and one or more forecasts of it.

    The forecast steps follow the last history point: ``truth``, every
    prediction and the interval are aligned position by position on the
    ``n_future`` steps after it. The x axis is the time step (0, 1, ...) or the
    dates, taken from ``dates`` or from the pandas index of ``history`` (and
    ``truth``, or extended at the history's own frequency).

    Args:
        history: 1-D array-like or pandas Series of observed values (a ``(n, 1)``
            array is accepted), oldest first, at least one value.
        truth: Optional 1-D values observed after the history ("actual").
        prediction: Optional forecast of the same steps: a 1-D array-like
            (labelled "forecast") or a mapping ``label -> 1-D array-like`` to
            compare several (e.g. naive, recursive and direct forecasts).
        interval: Optional ``(lower, upper)`` bounds per forecast step, shaded.
        interval_label: Legend entry of the interval, e.g. ``"80% interval"``.
            Defaults to ``"prediction interval"``.
        origins: Times at which forecasts were made (x positions: step numbers
            or dates), drawn as dotted vertical lines, e.g. walk-forward fold
            origins. None (default) marks the end of the history when there is
            anything after it; an empty list draws none.
        dates: Optional times of every point, ``len(history) + n_future`` of them
            (a DatetimeIndex, a list of dates or of numbers). Overrides the
            pandas index.
        units: Optional units, shown in the y-axis label, e.g. ``"USD"``.
        ylabel: Name of the quantity on the y axis. Defaults to ``"value"``.
        xlabel: x-axis label. Defaults to ``"date"`` on a date axis, else
            ``"time step"``.
        title: Axes title, or None. Defaults to ``"Forecast"``.
        figsize: (width, height) in inches of a new figure; readable at
            notebook width by default (9 x 4).
        ax: Optional existing ``Axes`` to draw into (e.g. one panel of a grid);
            its figure is returned.

    Returns:
        The matplotlib ``Figure``.

    Raises:
        TypeError: If a series is not numeric, ``prediction`` is neither an
            array-like nor a mapping, or a label/axes argument has a wrong type.
        ValueError: If a series is not 1-D, is empty (history) or holds
            NaN/inf; if ``truth``, the predictions and the interval differ in
            length; if ``lower > upper`` somewhere; if ``dates`` has the wrong
            length; or if the future dates cannot be inferred (pass ``dates``).

    Example:
        >>> fig = plot_forecast([1.0, 2.0, 3.0], [4.0, 5.0],
        ...                     {"naive": [3.0, 3.0], "drift": [4.0, 5.0]},
        ...                     units="°C", ylabel="temperature")
        >>> ax = fig.axes[0]
        >>> [t.get_text() for t in ax.get_legend().get_texts()]
        ['history', 'actual', 'naive', 'drift', 'forecast origin']
        >>> ax.get_ylabel(), ax.get_xlabel()
        ('temperature (°C)', 'time step')
        >>> ax.get_lines()[2].get_xdata().tolist()
        [3, 4]
        >>> plt.close(fig)
    """
    past = _series(history, "history")
    if len(past) == 0:
        raise ValueError(error_message("history", "at least one value", history))
    future = {}
    if truth is not None:
        future["actual"] = _series(truth, "truth")
    forecasts = _predictions(prediction)
    bounds = _interval(interval)
    n_future = _common_length({**future, **forecasts, **bounds})
    x_past, x_future = _time_axis(history, truth, dates, len(past), n_future)
    is_date = np.issubdtype(np.asarray(x_past).dtype, np.datetime64)
    check_type(ylabel, "ylabel", str, "a string")
    check_type(interval_label, "interval_label", str, "a string")

    new_figure = ax is None
    if new_figure:
        fig, ax = plt.subplots(figsize=figsize)
    else:
        check_type(ax, "ax", Axes, "a matplotlib Axes or None")
        fig = ax.figure
    ax.plot(x_past, past, "-", color="0.35", label="history")
    if "actual" in future:
        ax.plot(x_future, future["actual"], "-", color="black", label="actual")
    if bounds:
        ax.fill_between(
            x_future,
            bounds["lower"],
            bounds["upper"],
            color="C0",
            alpha=0.2,
            label=interval_label,
        )
    marker = "." if n_future <= _MARKERS_UP_TO else None
    for i, (label, values) in enumerate(forecasts.items()):
        ax.plot(x_future, values, "--", marker=marker, color=f"C{i}", label=label)
    if origins is None:
        origins = [x_past[-1]] if n_future else []
    for k, origin in enumerate(origins):
        ax.axvline(
            origin,
            color="0.5",
            linestyle=":",
            linewidth=1.2,
            label="forecast origin" if k == 0 else None,
        )
    if is_date:
        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_xlabel(
        xlabel if xlabel is not None else ("date" if is_date else "time step")
    )
    ax.set_ylabel(ylabel if units is None else f"{ylabel} ({units})")
    if title is not None:
        ax.set_title(title)
    ax.legend(loc="best", fontsize="small")
    if new_figure:
        fig.tight_layout()
    return fig


def _series(values: Any, name: str) -> np.ndarray:
    """A finite 1-D float array; ``(n, 1)`` is squeezed."""
    if isinstance(values, pd.DataFrame) and values.shape[1] == 1:
        values = values.iloc[:, 0]
    try:
        array = np.asarray(values)
    except (TypeError, ValueError):
        array = np.asarray(None)
    if array.dtype.kind not in "biuf":
        raise TypeError(error_message(name, "a 1-D sequence of numbers", values))
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise ValueError(
            error_message(
                name,
                "1-D (one value per time step)",
                array,
                "Plot one series (one column, one window) at a time",
            )
        )
    return check_finite(array.astype(float), name)


def _predictions(prediction: Any) -> dict[str, np.ndarray]:
    """``{label: values}`` from None, one array-like or a mapping of them."""
    if prediction is None:
        return {}
    if isinstance(prediction, Mapping):
        if not prediction:
            raise ValueError(
                error_message("prediction", "a non-empty mapping or None", prediction)
            )
        out = {}
        for label, values in prediction.items():
            check_type(label, "prediction label", str, "a string")
            out[label] = _series(values, f"prediction[{label!r}]")
        return out
    return {"forecast": _series(prediction, "prediction")}


def _interval(interval: Any) -> dict[str, np.ndarray]:
    """``{"lower": ..., "upper": ...}`` from an optional pair, lower <= upper."""
    if interval is None:
        return {}
    if not isinstance(interval, tuple | list) or len(interval) != 2:
        raise TypeError(
            error_message("interval", "a (lower, upper) pair or None", interval)
        )
    lower = _series(interval[0], "interval[0]")
    upper = _series(interval[1], "interval[1]")
    if lower.shape == upper.shape and (lower > upper).any():
        raise ValueError(
            error_message(
                "interval",
                "(lower, upper) with lower <= upper at every step",
                interval,
                f"lower > upper at step {int(np.argmax(lower > upper))}",
            )
        )
    return {"lower": lower, "upper": upper}


def _common_length(future: Mapping[str, np.ndarray]) -> int:
    """The one length shared by truth, predictions and interval (0 if none)."""
    lengths = {name: len(values) for name, values in future.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError(
            error_message(
                "truth, prediction and interval",
                "the same length (one value per forecast step)",
                lengths,
            )
        )
    return next(iter(lengths.values()), 0)


def _time_axis(
    history: Any, truth: Any, dates: Any, n_past: int, n_future: int
) -> tuple[np.ndarray, np.ndarray]:
    """x values of the history and of the forecast steps."""
    if dates is not None:
        x = _as_x(dates, "dates")
        if len(x) != n_past + n_future:
            raise ValueError(
                error_message(
                    "dates",
                    f"one time per point: len(history) + forecast steps = "
                    f"{n_past} + {n_future} = {n_past + n_future} values",
                    dates,
                    f"It has {len(x)}",
                )
            )
        return x[:n_past], x[n_past:]
    if not isinstance(history, pd.Series | pd.DataFrame):
        steps = np.arange(n_past + n_future)
        return steps[:n_past], steps[n_past:]
    x_past = _as_x(history.index, "history.index")
    if n_future == 0:
        return x_past, x_past[:0]
    if isinstance(truth, pd.Series | pd.DataFrame):
        return x_past, _as_x(truth.index, "truth.index")
    if isinstance(history.index, pd.DatetimeIndex):
        freq = history.index.freq or (
            pd.infer_freq(history.index) if len(history.index) >= 3 else None
        )
        if freq is None:
            raise ValueError(
                error_message(
                    "dates",
                    "given when the forecast steps' dates cannot be inferred",
                    None,
                    "The history's DatetimeIndex has no regular frequency; pass "
                    "`dates` (history and forecast times) or `truth` as a Series",
                )
            )
        future = pd.date_range(history.index[-1], periods=n_future + 1, freq=freq)
        return x_past, _as_x(future[1:], "dates")
    if x_past.dtype.kind in "iu":  # an integer index continues one step at a time
        return x_past, x_past[-1] + np.arange(1, n_future + 1)
    raise ValueError(
        error_message(
            "dates",
            "given when the forecast steps' times cannot be inferred",
            None,
            "Pass `dates` (history and forecast times) or `truth` as a Series",
        )
    )


def _as_x(values: Any, name: str) -> np.ndarray:
    """Numbers or datetime64 x values for matplotlib."""
    if isinstance(values, pd.DatetimeIndex):
        return values.to_numpy()
    array = np.asarray(values)
    if array.dtype.kind in "OSU":
        try:
            return pd.to_datetime(array).to_numpy()
        except (TypeError, ValueError):
            raise TypeError(error_message(name, "dates or numbers", values)) from None
    return array
