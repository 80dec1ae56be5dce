"""Backtest error by step ahead: every model next to every baseline.

`plot_backtest` draws one line per model (baselines dashed) of a metric from
`walk_forward_backtest` against the number of steps ahead, so the reader sees
how fast each forecaster's error grows and whether the model ever gets below the
naive forecast. With a single step ahead it draws one bar per model instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from rnn_zoo._validation import check_one_of, check_type, error_message

__all__ = ["plot_backtest"]

_METRICS = {
    "mase": "MASE (error / in-sample naive error)",
    "mae": "MAE",
    "rmse": "RMSE",
    "directional_accuracy": "directional accuracy (share of moves called)",
}
_BASELINE_NAMES = ("naive", "seasonal_naive", "drift", "mean")


def _by_step(result: Any) -> pd.DataFrame:
    """The per-(model, step) table of a BacktestResult, or the table itself."""
    table = getattr(result, "by_step", result)
    if isinstance(table, pd.DataFrame) and list(table.index.names) == [
        "model",
        "step",
    ]:
        return table
    raise TypeError(
        error_message(
            "result",
            "a BacktestResult or its `by_step` table (index: model, step)",
            result,
        )
    )


def plot_backtest(
    result: Any,
    *,
    metric: str = "mase",
    models: Sequence[str] | None = None,
    units: str | None = None,
    step_unit: str = "steps",
    title: str | None = None,
    ax: plt.Axes | None = None,
) -> Figure:
    """Plot a backtest metric against the number of steps ahead, per model.

    Baselines (``naive``, ``seasonal_naive``, ``drift``, ``mean``) are drawn
    dashed, models solid. For MASE a dotted line marks 1 (the in-sample naive
    error); for directional accuracy it marks 0.5 (a coin flip).

    Args:
        result: A `BacktestResult` or its ``by_step`` DataFrame.
        metric: ``"mase"``, ``"mae"``, ``"rmse"`` or ``"directional_accuracy"``.
            Defaults to ``"mase"``.
        models: Names to draw, in this order. Defaults to all, as in the table.
        units: Units of the target for MAE/RMSE labels (e.g. ``"USD"``).
            Defaults to None.
        step_unit: What one step is, for the x label (e.g. ``"trading days"``).
            Defaults to ``"steps"``.
        title: Axes title. Defaults to ``"<metric> by steps ahead"``.
        ax: Axes to draw on; None makes a new figure. Defaults to None.

    Returns:
        The matplotlib ``Figure``.

    Raises:
        TypeError: If ``result`` is neither a BacktestResult nor a by-step table.
        ValueError: If ``metric`` or a name in ``models`` is unknown.

    Example:
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> table = pd.DataFrame(
        ...     {"mase": [0.5, 0.8, 1.0, 1.4]},
        ...     index=pd.MultiIndex.from_product(
        ...         [["lstm", "naive"], [1, 2]], names=["model", "step"]))
        >>> fig = plot_backtest(table, step_unit="days")
        >>> fig.axes[0].get_xlabel()
        'days ahead'
        >>> [line.get_label() for line in fig.axes[0].get_lines()][:2]
        ['lstm', 'naive']
    """
    table = _by_step(result)
    check_one_of(metric, "metric", tuple(_METRICS))
    check_type(step_unit, "step_unit", str, "a string")
    available = list(pd.unique(table.index.get_level_values("model")))
    names = available if models is None else list(models)
    for name in names:
        check_one_of(name, "models", available)
    if metric not in table.columns:
        raise ValueError(
            error_message(
                "metric", f"a column of the table {list(table.columns)}", metric
            )
        )
    if ax is None:
        fig, ax = plt.subplots(figsize=(9, 4))
    else:
        fig = ax.figure
    steps = sorted(pd.unique(table.index.get_level_values("step")).tolist())
    label = _METRICS[metric]
    if units and metric in ("mae", "rmse"):
        label = f"{label} ({units})"
    if len(steps) == 1:
        values = [table.loc[(name, steps[0]), metric] for name in names]
        colors = [
            "0.6" if n in _BASELINE_NAMES else f"C{i}" for i, n in enumerate(names)
        ]
        ax.bar(names, values, color=colors, label=label)
        ax.set_xlabel(f"forecaster (step {steps[0]} ahead; steps in {step_unit})")
    else:
        for i, name in enumerate(names):
            rows = table.loc[name].reindex(steps)
            baseline = name in _BASELINE_NAMES
            ax.plot(
                steps,
                rows[metric].to_numpy(),
                linestyle="--" if baseline else "-",
                marker="o",
                color=f"C{i}",
                linewidth=1.2 if baseline else 2.0,
                label=name,
            )
        ax.set_xlabel(f"{step_unit} ahead")
        ax.set_xticks(
            steps if len(steps) <= 20 else np.linspace(1, steps[-1], 10, dtype=int)
        )
    reference = {"mase": 1.0, "directional_accuracy": 0.5}.get(metric)
    if reference is not None:
        ax.axhline(
            reference,
            color="black",
            linestyle=":",
            linewidth=1,
            label="in-sample naive error" if metric == "mase" else "coin flip",
        )
    ax.set_ylabel(label)
    ax.set_title(
        title if title is not None else f"{metric.upper()} by {step_unit} ahead"
    )
    ax.legend(loc="best", fontsize="small")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig
