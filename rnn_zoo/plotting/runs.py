"""Plots of seeded comparisons: the mean over seeds and its spread, per configuration.

`plot_runs` draws a DataFrame from :func:`rnn_zoo.training.compare_runs` in one of
two ways:

- a per-epoch curve (``metric`` is a key of the ``history`` column, e.g.
  ``"val_loss"``, or ``"grad_norms"``): the mean over seeds as a line and the
  range over seeds (min to max) as a shaded band, one colour per configuration;
- a per-run number (``metric`` is a column, e.g. ``"test_loss"``): one dot per
  seed and the mean as a short bar, one column of dots per configuration, with
  diverged runs (NaN) counted under the configuration's name.

Returns the matplotlib ``Figure``; imports matplotlib, not TensorFlow.
"""

from __future__ import annotations

import textwrap
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from rnn_zoo._validation import check_type, error_message

__all__ = ["plot_runs"]


def _series(runs: pd.DataFrame, metric: str) -> dict[str, list[np.ndarray]]:
    """``{config: [per-epoch values of each seed]}`` for a history metric."""
    if metric in runs.columns and metric != "history":
        column = runs[metric]
    elif "history" in runs.columns:
        column = runs["history"].map(lambda h: (h or {}).get(metric))
    else:
        column = None
    if column is None or column.isna().all():
        raise ValueError(
            error_message(
                "metric",
                "a column of `runs` or a key of its `history` column",
                metric,
                "Pass history=True to compare_runs for per-epoch curves",
            )
        )
    curves: dict[str, list[np.ndarray]] = {}
    for config, values in zip(runs["config"], column, strict=True):
        if values is not None and not (np.isscalar(values) and pd.isna(values)):
            curves.setdefault(config, []).append(np.asarray(values, dtype=float))
    return curves


def _stack(curves: list[np.ndarray]) -> np.ndarray:
    """Seeds x epochs, padded with NaN where a run stopped early (diverged)."""
    width = max(len(c) for c in curves)
    out = np.full((len(curves), width), np.nan)
    for i, curve in enumerate(curves):
        out[i, : len(curve)] = np.where(np.isfinite(curve), curve, np.nan)
    return out


def _plot_curves(ax, runs, metric, log_scale):
    for config, curves in _series(runs, metric).items():
        values = _stack(curves)
        x = np.arange(1, values.shape[1] + 1)
        has_any = ~np.all(np.isnan(values), axis=0)
        x, values = x[has_any], values[:, has_any]
        mean = np.nanmean(values, axis=0)
        (line,) = ax.plot(x, mean, label=f"{config} (mean of {len(curves)})")
        if len(curves) > 1:
            low, high = np.nanmin(values, axis=0), np.nanmax(values, axis=0)
            ax.fill_between(x, low, high, color=line.get_color(), alpha=0.2)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs, trials
    if log_scale:
        ax.set_yscale("log")


def _plot_points(ax, runs, metric, log_scale):
    names = list(dict.fromkeys(runs["config"]))
    rng = np.random.default_rng(0)  # horizontal jitter only, so dots do not overlap
    labels = []
    for i, config in enumerate(names):
        values = runs.loc[runs["config"] == config, metric].astype(float).to_numpy()
        finite = values[np.isfinite(values)]
        jitter = rng.uniform(-0.12, 0.12, size=len(finite))
        ax.scatter(
            i + jitter,
            finite,
            color=f"C{i % 10}",
            alpha=0.7,
            label="one seed" if i == 0 else None,
        )
        if len(finite):
            ax.hlines(
                finite.mean(),
                i - 0.3,
                i + 0.3,
                color="black",
                label="mean over seeds" if i == 0 else None,
            )
        failed = len(values) - len(finite)
        name = textwrap.fill(config, 14)  # long names wrap instead of overlapping
        labels.append(name + (f"\n({failed} diverged)" if failed else ""))
    ax.set_xticks(range(len(names)), labels)
    ax.set_xlim(-0.6, len(names) - 0.4)
    if log_scale:
        ax.set_yscale("log")


def plot_runs(
    runs: pd.DataFrame,
    metric: str = "val_loss",
    *,
    title: str | None = None,
    ylabel: str | None = None,
    xlabel: str = "epoch",
    log_scale: bool = False,
    ax: Any = None,
):
    """Plot a comparison over seeds: curves with a min-max band, or dots per run.

    Args:
        runs: A DataFrame from :func:`rnn_zoo.training.experiments.compare_runs`.
        metric: What to plot. A key of the ``history`` column (``"loss"``,
            ``"val_loss"``, ...; needs ``compare_runs(..., history=True)``) or a
            column holding per-run lists (``"grad_norms"``) gives curves against
            the epoch (or measurement, counted from 1); a numeric column
            (``"test_loss"``, ``"best_val_loss"``, ``"seconds_per_epoch"``)
            gives dots per seed. Defaults to ``"val_loss"``.
        title: Axes title. Defaults to ``"<metric> over seeds"``.
        ylabel: y-axis label with units. Defaults to the metric's name.
        xlabel: x-axis label for curves. Defaults to ``"epoch"``.
        log_scale: bool. Logarithmic y axis. Defaults to False.
        ax: A matplotlib ``Axes`` to draw on, or None (default) for a new figure.

    Returns:
        The matplotlib ``Figure``.

    Raises:
        TypeError: If ``runs`` is not a DataFrame.
        ValueError: If ``runs`` has no ``config`` column or ``metric`` is
            neither a column nor a history key.

    Example:
        >>> runs = pd.DataFrame({"config": ["a", "a", "b", "b"], "seed": [0, 1] * 2,
        ...     "test_loss": [1.0, 3.0, 0.5, float("nan")],
        ...     "history": [{"loss": [3.0, 1.0]}, {"loss": [5.0, 3.0]},
        ...                 {"loss": [1.0, 0.5]}, {"loss": [1.0]}]})
        >>> ax = plot_runs(runs, "loss").axes[0]
        >>> ax.lines[0].get_ydata().tolist(), ax.get_xlabel()
        ([4.0, 2.0], 'epoch')
        >>> ax = plot_runs(runs, "test_loss").axes[0]
        >>> [t.get_text() for t in ax.get_xticklabels()]
        ['a', 'b\\n(1 diverged)']
    """
    check_type(runs, "runs", pd.DataFrame, "a DataFrame from compare_runs")
    check_type(metric, "metric", str, "a string")
    if "config" not in runs.columns or runs.empty:
        raise ValueError(
            error_message(
                "runs", "a non-empty DataFrame with a `config` column", runs.shape
            )
        )
    fig, ax = plt.subplots() if ax is None else (ax.figure, ax)
    numeric = metric in runs.columns and pd.api.types.is_numeric_dtype(runs[metric])
    if numeric:
        _plot_points(ax, runs, metric, log_scale)
        ax.set_xlabel("configuration")
    else:
        _plot_curves(ax, runs, metric, log_scale)
        ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel if ylabel is not None else metric)
    ax.set_title(title if title is not None else f"{metric} over seeds")
    ax.legend()
    return fig
