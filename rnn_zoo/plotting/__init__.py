"""Plots for the notebooks: each function returns the matplotlib ``Figure``.

- ``history``: ``plot_history`` (training curves).
- ``forecasts``: ``plot_forecast``.
- ``backtest``: ``plot_backtest`` (error by step ahead per model and baseline).
- ``attention``: ``plot_attention`` (heatmap labelled with the actual characters).
- ``recurrent``: ``plot_gates``, ``plot_gradient_norms``.
- ``runs``: ``plot_runs`` (seeded comparisons from ``rnn_zoo.training.experiments``).

Every figure has a title, axis labels with units and a legend where there is more
than one series. Importing this package does not import matplotlib; the first use
of a function does.
"""

from __future__ import annotations

from rnn_zoo._lazy import lazy_exports

# public name -> module that defines it (one block per module)
_LAZY: dict[str, str | None] = {
    # history
    "plot_history": "history",
    # forecasts
    "plot_forecast": "forecasts",
    # backtest
    "plot_backtest": "backtest",
    # attention
    "plot_attention": "attention",
    # recurrent
    "plot_gradient_norms": "recurrent",
    "plot_gates": "recurrent",
    "plot_score_by_length": "recurrent",
    # runs
    "plot_runs": "runs",
}

__all__ = list(_LAZY)


__getattr__, __dir__ = lazy_exports(__name__, globals(), _LAZY)
