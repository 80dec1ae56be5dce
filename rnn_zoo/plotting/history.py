"""Training curves: loss and metrics per epoch, training next to validation.

`plot_history` takes what ``model.fit`` / `rnn_zoo.fit` returns (a Keras
``History``) or a plain ``{"loss": [...], "val_loss": [...]}`` dict (e.g. read back
from a run's ``history.csv``) and draws one panel per metric.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from rnn_zoo._validation import check_type, error_message

__all__ = ["plot_history"]

_VAL = "val_"


def plot_history(
    history: Any,
    *,
    metrics: str | Sequence[str] | None = None,
    log_scale: bool = False,
    labels: Mapping[str, str] | None = None,
    title: str | None = "Training history",
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Plot training (and validation) curves per epoch, one panel per metric.

    Each panel shows the training values as a solid line and, where the history
    has a ``val_<metric>`` entry, the validation values as a dashed line, with
    epochs (counted from 1) on the x axis. A history resumed from a backup keeps
    its true epoch numbers (taken from ``History.epoch``).

    Args:
        history: A ``keras.callbacks.History`` (what ``model.fit`` and
            `rnn_zoo.fit` return) or a mapping ``name -> per-epoch values``, e.g.
            ``{"loss": [...], "val_loss": [...]}``.
        metrics: str, list of str or None. The metrics to plot, by their training
            name (``"loss"``, ``"mae"``). Defaults to every non-validation entry
            except ``learning_rate`` ("lr"), ``loss`` first.
        log_scale: bool. Whether to use a logarithmic y axis (useful when the
            loss falls by orders of magnitude). Defaults to False.
        labels: Optional mapping ``metric -> y-axis label`` to give units, e.g.
            ``{"loss": "MSE (scaled units²)"}``. Defaults to the metric's name.
        title: Figure title (suptitle), or None for none. Defaults to
            ``"Training history"``.
        figsize: (width, height) in inches. Defaults to 7 x 3.5 for one panel
            and 9 x 3.5 for several, readable at notebook width.

    Returns:
        The matplotlib ``Figure``; ``fig.axes`` holds one ``Axes`` per metric.

    Raises:
        TypeError: If ``history`` is neither a History nor a mapping, or a value
            is not a sequence of numbers.
        ValueError: If the history is empty, a curve's length differs from the
            others, a requested metric is missing, or ``log_scale`` is set and a
            plotted value is not positive.

    Example:
        >>> fig = plot_history({"loss": [1.0, 0.5, 0.25], "val_loss": [1.1, 0.7, 0.6]})
        >>> ax = fig.axes[0]
        >>> [line.get_label() for line in ax.get_lines()]
        ['training', 'validation']
        >>> ax.get_lines()[0].get_xdata().tolist(), ax.get_xlabel()
        ([1, 2, 3], 'epoch')
        >>> plt.close(fig)
    """
    curves, epochs = _curves(history)
    names = _select(curves, metrics)
    check_type(log_scale, "log_scale", bool, "a bool")
    labels = {} if labels is None else check_type(labels, "labels", Mapping, "a dict")
    if log_scale:
        for name in names:
            for key in (name, _VAL + name):
                if key in curves and not np.all(
                    curves[key][np.isfinite(curves[key])] > 0
                ):
                    raise ValueError(
                        error_message(
                            "log_scale",
                            "False when a plotted value is zero or negative",
                            log_scale,
                            f"`{key}` has values <= 0",
                        )
                    )
    if figsize is None:
        figsize = (7.0 if len(names) == 1 else 9.0, 3.5)
    fig, axes = plt.subplots(1, len(names), figsize=figsize, squeeze=False)
    for ax, name in zip(axes[0], names, strict=True):
        ax.plot(epochs, curves[name], "-", marker=".", label="training")
        if _VAL + name in curves:
            ax.plot(epochs, curves[_VAL + name], "--", marker=".", label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(labels.get(name, name))
        ax.set_title(name)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if log_scale:
            ax.set_yscale("log")
        ax.legend()
    if title is not None:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def _curves(history: Any) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Per-epoch arrays from a History or mapping, and the epoch numbers (from 1)."""
    raw = getattr(history, "history", history)
    if not isinstance(raw, Mapping):
        raise TypeError(
            error_message(
                "history",
                "a keras.callbacks.History or a dict of per-epoch values",
                history,
            )
        )
    if not raw:
        raise ValueError(
            error_message(
                "history",
                "non-empty",
                history,
                "Train for at least one epoch before plotting",
            )
        )
    curves = {}
    for key, values in raw.items():
        try:
            array = np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(
                error_message(f"history[{key!r}]", "a sequence of numbers", values)
            ) from None
        if array.ndim != 1:
            raise TypeError(
                error_message(f"history[{key!r}]", "a 1-D sequence of numbers", values)
            )
        curves[str(key)] = array
    lengths = {key: len(v) for key, v in curves.items()}
    n = max(lengths.values())
    if n == 0 or len(set(lengths.values())) != 1:
        raise ValueError(
            error_message(
                "history",
                "curves of one common, non-zero length (one value per epoch)",
                lengths,
            )
        )
    epoch = getattr(history, "epoch", None)
    if epoch is not None and len(epoch) == n:
        epochs = np.asarray(epoch, dtype=int) + 1
    else:
        epochs = np.arange(1, n + 1)
    return curves, epochs


def _select(curves: Mapping[str, np.ndarray], metrics: Any) -> list[str]:
    """The training-metric names to plot, validated against the history."""
    available = [
        k for k in curves if not k.startswith(_VAL) and k not in ("learning_rate", "lr")
    ]
    available.sort(key=lambda k: k != "loss")  # loss first, others in fit order
    if metrics is None:
        if not available:
            raise ValueError(
                error_message(
                    "history",
                    "at least one training curve (a key not starting with 'val_')",
                    sorted(curves),
                )
            )
        return available
    names = [metrics] if isinstance(metrics, str) else metrics
    if not isinstance(names, Sequence) or not all(isinstance(m, str) for m in names):
        raise TypeError(
            error_message("metrics", "a string, a list of strings or None", metrics)
        )
    if not names:
        raise ValueError(error_message("metrics", "a non-empty list", metrics))
    for name in names:
        if name not in curves:
            raise ValueError(
                error_message(
                    "metrics",
                    "names present in the history: " + ", ".join(map(repr, available)),
                    metrics,
                )
            )
    return list(names)
