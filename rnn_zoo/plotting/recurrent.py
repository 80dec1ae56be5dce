"""Plots that open up recurrent layers: gradient norms across time and gates.

- `plot_gradient_norms`: ``||d y_T / d x_{T-k}||`` against ``k``, one line per
  model, on a log scale (vanishing gradients fall as straight lines).
- `plot_gates`: an LSTM's or GRU's gate activations over time, one panel per gate,
  with the steps that matter (e.g. the markers of the adding problem) shaded.
- `plot_score_by_length`: a memory-task score against the sequence length, one
  line per cell, with the trivial baseline (e.g. the mean over seeds of each
  cell and length, as notebook 02 plots them).

The numbers come from :mod:`rnn_zoo.inspection.diagnostics`. Each function returns the
matplotlib ``Figure``; this module imports matplotlib, not TensorFlow.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from rnn_zoo._validation import check_int, check_type, error_message

__all__ = ["plot_gradient_norms", "plot_gates", "plot_score_by_length"]


def plot_gradient_norms(
    norms: Mapping[str, Any],
    *,
    title: str = "How far back does the gradient reach?",
    ylabel: str = "gradient norm ||∂h_T / ∂x_(T−k)|| (log scale)",
    ax: Any = None,
):
    """Plot gradient norms against the number of steps back, on a log y axis.

    Args:
        norms: ``{label: norms}`` where ``norms[k]`` is the gradient norm for the
            input ``k`` steps before the last output, as returned by
            :func:`rnn_zoo.inspection.diagnostics.gradient_norms_by_lag`. One line
            per entry; the label goes in the legend. Zeros (underflow) are left
            out of the log plot.
        title: Figure title. Defaults to "How far back does the gradient reach?".
        ylabel: y-axis label. Defaults to the norm's formula.
        ax: A matplotlib ``Axes`` to draw on, or None (default) for a new figure.

    Returns:
        The matplotlib ``Figure``.

    Raises:
        TypeError: If ``norms`` is not a mapping.
        ValueError: If ``norms`` is empty or an entry is not a non-empty 1-D array
            of non-negative numbers.

    Example:
        >>> fig = plot_gradient_norms({"rho=0.5": 0.5 ** np.arange(5)})
        >>> ax = fig.axes[0]
        >>> ax.get_yscale(), ax.get_xlabel()
        ('log', 'k: steps between the input and the last output (time steps)')
        >>> ax.lines[0].get_ydata().tolist()
        [1.0, 0.5, 0.25, 0.125, 0.0625]
    """
    series = _check_series(norms, "norms")
    fig, ax = _figure(ax)
    for label, values in series.items():
        k = np.arange(len(values))
        positive = values > 0
        ax.plot(k[positive], values[positive], marker=".", markersize=3, label=label)
    ax.set_yscale("log")
    ax.set_xlabel("k: steps between the input and the last output (time steps)")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend()
    return fig


def plot_gates(
    gates: Mapping[str, Any],
    *,
    example: int = 0,
    units: Sequence[int] | None = None,
    marked_steps: Any = None,
    marked_label: str = "marked step",
    title: str = "Gate activations over time",
):
    """Plot gate activations over time, one panel per gate, one line per unit.

    Args:
        gates: ``{gate name: activations}``, each ``(batch, timesteps, units)``
            (e.g. ``gate_activations(layer, x).gates``) or ``(timesteps,
            units)`` for one sequence.
        example: Which sequence of the batch to plot. Defaults to 0.
        units: The units to draw (indices), or None (default) for up to the
            first 4.
        marked_steps: Time steps to shade in every panel (e.g. where the adding
            problem's marker is 1: ``np.flatnonzero(X[example, :, 1])``), as a
            list of indices, or None.
        marked_label: Legend label of the shaded steps. Defaults to
            "marked step".
        title: Figure title. Defaults to "Gate activations over time".

    Returns:
        The matplotlib ``Figure`` (one row of axes per gate, shared time axis).

    Raises:
        TypeError: If ``gates`` is not a mapping.
        ValueError: If ``gates`` is empty, the arrays differ in shape or are not
            2-D/3-D, or ``example``/``units``/``marked_steps`` are out of range.

    Example:
        >>> gates = {"input": np.full((1, 5, 2), 0.2), "forget": np.ones((1, 5, 2))}
        >>> fig = plot_gates(gates, marked_steps=[2])
        >>> [ax.get_title() for ax in fig.axes]
        ['input gate', 'forget gate']
        >>> fig.axes[-1].get_xlabel(), len(fig.axes[0].lines)
        ('time step', 2)
    """
    arrays = _check_gates(gates, example)
    timesteps, n_units = next(iter(arrays.values())).shape
    if units is None:
        units = list(range(min(4, n_units)))
    units = [check_int(u, "units", minimum=0, maximum=n_units - 1) for u in units]
    marked = [
        check_int(s, "marked_steps", minimum=0, maximum=timesteps - 1)
        for s in ([] if marked_steps is None else np.asarray(marked_steps).tolist())
    ]
    fig, axes = plt.subplots(
        len(arrays), 1, sharex=True, figsize=(9, 1.9 * len(arrays) + 0.8), squeeze=False
    )
    t = np.arange(timesteps)
    for ax, (name, values) in zip(axes[:, 0], arrays.items(), strict=True):
        for step in marked:
            ax.axvspan(step - 0.5, step + 0.5, color="0.85", zorder=0)
        for unit in units:
            ax.plot(t, values[:, unit], linewidth=1.2, label=f"unit {unit}")
        ax.set_title(name if name == "candidate" or "gate" in name else f"{name} gate")
        ax.set_ylabel("activation (0–1)" if name != "candidate" else "value (−1–1)")
    axes[-1, 0].set_xlabel("time step")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    if marked:
        handles.append(plt.Rectangle((0, 0), 1, 1, color="0.85"))
        labels.append(marked_label)
    fig.suptitle(title)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 6))
    return fig


_METRIC_LABELS = {
    "mse": ("test MSE (log scale)", "log"),
    "recall_accuracy": ("recall accuracy (fraction of symbols right)", "linear"),
}
_CELL_NAMES = {"rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}


def plot_score_by_length(
    rows: Sequence[Mapping[str, Any]], *, title: str = "Score against length", ax=None
):
    """Plot a memory-task score against the sequence length, one line per cell.

    Args:
        rows: Records with keys ``cell``, ``length``, ``score``, ``baseline`` and
            ``metric`` (one metric for all; one row per cell and length, e.g.
            the mean score over seeds). The baseline (mean over rows of a
            length) is drawn as a dashed grey line.
        title: Axes title. Defaults to "Score against length".
        ax: A matplotlib ``Axes`` to draw on, or None (default) for a new figure.

    Returns:
        The matplotlib ``Figure``.

    Raises:
        ValueError: If ``rows`` is empty, lacks a key, or mixes metrics.

    Example:
        >>> rows = [dict(cell="lstm", length=n, score=s, baseline=0.17, metric="mse")
        ...         for n, s in [(10, 0.001), (50, 0.01)]]
        >>> ax = plot_score_by_length(rows).axes[0]
        >>> ax.get_xlabel(), [t.get_text() for t in ax.get_legend().get_texts()]
        ('sequence length (time steps)', ['LSTM', 'baseline'])
    """
    keys = ("cell", "length", "score", "baseline", "metric")
    if not rows or any(not isinstance(r, Mapping) or set(keys) - set(r) for r in rows):
        raise ValueError(
            f"`rows` must be a non-empty list of dicts with keys {list(keys)}. "
            f"Received: rows={str(rows)[:80]}"
        )
    metrics = {r["metric"] for r in rows}
    if len(metrics) != 1 or not metrics <= set(_METRIC_LABELS):
        raise ValueError(
            f"`rows` must share one metric out of {sorted(_METRIC_LABELS)}. "
            f"Received: metrics {sorted(map(str, metrics))}"
        )
    ylabel, yscale = _METRIC_LABELS[metrics.pop()]
    fig, ax = _figure(ax)
    for cell in dict.fromkeys(r["cell"] for r in rows):
        mine = sorted((r["length"], r["score"]) for r in rows if r["cell"] == cell)
        ax.plot(*zip(*mine, strict=True), marker="o", label=_CELL_NAMES.get(cell, cell))
    lengths = sorted({r["length"] for r in rows})
    base = [np.mean([r["baseline"] for r in rows if r["length"] == n]) for n in lengths]
    ax.plot(lengths, base, linestyle="--", color="0.5", label="baseline")
    ax.set_yscale(yscale)
    ax.set_xlabel("sequence length (time steps)")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend()
    return fig


def _figure(ax: Any):
    if ax is None:
        return plt.subplots()
    return ax.figure, ax


def _check_series(norms: Any, name: str) -> dict[str, np.ndarray]:
    check_type(norms, name, Mapping, "a dict {label: 1-D array}")
    if not norms:
        raise ValueError(
            error_message(name, "a non-empty dict {label: 1-D array}", norms)
        )
    out = {}
    for label, values in norms.items():
        try:
            array = np.asarray(values, dtype="float64")
        except (TypeError, ValueError):
            raise ValueError(
                error_message(name, "a dict of 1-D arrays of numbers", norms)
            ) from None
        if array.ndim != 1 or array.size == 0 or np.any(array < 0):
            allowed = "a dict of non-empty 1-D arrays of non-negative numbers"
            raise ValueError(
                f"`{name}` must be {allowed}. Received: {name}[{label!r}] of shape "
                f"{array.shape}"
            )
        out[str(label)] = array
    return out


def _check_gates(gates: Any, example: int) -> dict[str, np.ndarray]:
    check_type(gates, "gates", Mapping, "a dict {gate name: array}")
    if not gates:
        raise ValueError(error_message("gates", "a non-empty dict of arrays", gates))
    arrays = {str(k): np.asarray(v, dtype="float64") for k, v in gates.items()}
    shapes = {a.shape for a in arrays.values()}
    shape = next(iter(shapes))
    if len(shapes) != 1 or len(shape) not in (2, 3):
        allowed = "arrays of one shape, (batch, timesteps, units) or (timesteps, units)"
        raise ValueError(
            f"`gates` must hold {allowed}. Received: shapes {sorted(shapes)}"
        )
    if len(shape) == 2:
        return arrays
    example = check_int(example, "example", minimum=0, maximum=shape[0] - 1)
    return {k: a[example] for k, a in arrays.items()}
