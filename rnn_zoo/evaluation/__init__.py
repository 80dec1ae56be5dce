"""Evaluation: metrics, baselines and backtests, one module per task.

- ``language``: bits/char and perplexity of a model over a whole text, and the
  reference models (uniform, unigram, smoothed character n-gram).
- ``forecasting``: point-forecast metrics (``mae``, ``rmse``, ``mape``, ``smape``,
  ``mase``, ``directional_accuracy``).
- ``baselines``: ``naive_forecast``, ``seasonal_naive_forecast``,
  ``drift_forecast``, ``mean_forecast``.
- ``backtest``: ``walk_forward_backtest`` (Keras, scikit-learn and rule
  forecasters, per-fold scaler) and ``summarize_forecasts``.
- ``significance``: ``diebold_mariano``, ``compare_forecasts`` (paired test).
- ``sequences``: ``exact_match``, ``token_accuracy``,
  ``attention_alignment_accuracy``.
- ``per_step``: ``tag_accuracy``, ``padding_gap``, ``prefix_predictions`` (models
  with an output at every step: tagging, and the leak of a bidirectional one).
- ``arithmetic``: ``accuracy_by_digits``, ``no_carry_answers`` (scoring models
  that add numbers written as text: exact match by number of digits, the
  no-carry baseline).

Importing this package imports neither TensorFlow nor matplotlib; each name loads
its module on first use.
"""

from __future__ import annotations

from rnn_zoo._lazy import lazy_exports

# public name -> module that defines it (one block per module)
_LAZY: dict[str, str | None] = {
    # forecasting
    "mae": "forecasting",
    "rmse": "forecasting",
    "mape": "forecasting",
    "smape": "forecasting",
    "naive_scale": "forecasting",
    "mase": "forecasting",
    "directional_accuracy": "forecasting",
    # baselines
    "naive_forecast": "baselines",
    "seasonal_naive_forecast": "baselines",
    "drift_forecast": "baselines",
    "mean_forecast": "baselines",
    "BASELINES": "baselines",
    # backtest
    "BacktestResult": "backtest",
    "walk_forward_backtest": "backtest",
    "summarize_forecasts": "backtest",
    # significance
    "DieboldMarianoResult": "significance",
    "diebold_mariano": "significance",
    "compare_forecasts": "significance",
    # multistep
    "recursive_forecast": "multistep",
    "direct_forecast": "multistep",
    # language
    "bits_per_char": "language",
    "perplexity": "language",
    "uniform_bits_per_char": "language",
    "CharNGramModel": "language",
    "language_baselines": "language",
    # sequences
    "exact_match": "sequences",
    "token_accuracy": "sequences",
    "attention_alignment_accuracy": "sequences",
    # per_step
    "tag_accuracy": "per_step",
    "padding_gap": "per_step",
    "prefix_predictions": "per_step",
    # arithmetic
    "accuracy_by_digits": "arithmetic",
    "no_carry_answers": "arithmetic",
}

__all__ = list(_LAZY)


__getattr__, __dir__ = lazy_exports(__name__, globals(), _LAZY)
