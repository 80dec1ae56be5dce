"""Training: `fit`, seeds, callbacks, experiments over seeds, tuning, gradient logs.

- ``loop``: `fit` (compile with clipping, early stopping, NaN guard, resumable
  ``run_dir`` with TensorBoard logs, ``tf.distribute`` strategies),
  `build_optimizer` (one trace of the train step instead of two).
- ``multiworker``: `multiworker_strategy` (several machines, ``TF_CONFIG``),
  `is_chief`.
- ``seeding``: `set_seed`, the one seeding call of the package.
- ``callbacks``: `StopOnNaN`, `TimeBudget`, `WallClockDecay`, `BudgetProgbar`,
  `RunCheckpoint`, `seed_early_stopping`.
- ``run_state``: the files of a resumable run (backup, best model, history).
- ``experiments``: `compare_runs` (configs x seeds), `summarize_runs`,
  `clearly_better`, `describe_difference`.
- ``tuning``: KerasTuner grid, random and Bayesian searches.
- ``gradient_log``: `GradientNormLog` and gradient norms per weight.

Importing this package does not import TensorFlow; each name loads its module on
first use.

Example:
    >>> from rnn_zoo.training import fit, set_seed
    >>> fit.__module__, set_seed.__module__
    ('rnn_zoo.training.loop', 'rnn_zoo.training.seeding')
"""

from __future__ import annotations

from rnn_zoo._lazy import lazy_exports

_LAZY: dict[str, str | None] = {
    # loop / seeding
    "fit": "loop",
    "build_optimizer": "loop",
    "set_seed": "seeding",
    # multiworker
    "multiworker_strategy": "multiworker",
    "is_chief": "multiworker",
    # callbacks
    "BudgetProgbar": "callbacks",
    "StopOnNaN": "callbacks",
    "TimeBudget": "callbacks",
    "TrainingDivergedError": "callbacks",
    "WallClockDecay": "callbacks",
    "RunCheckpoint": "callbacks",
    "seed_early_stopping": "callbacks",
    # experiments
    "FIT_OPTIONS": "experiments",
    "compare_runs": "experiments",
    "summarize_runs": "experiments",
    "clearly_better": "experiments",
    "describe_difference": "experiments",
    # tuning
    "SEARCH_METHODS": "tuning",
    "search_hyperparameters": "tuning",
    "compare_searches": "tuning",
    # gradient_log
    "GradientNormLog": "gradient_log",
    "gradient_norm": "gradient_log",
    "gradient_norms_by_weight": "gradient_log",
}

__all__ = list(_LAZY)


__getattr__, __dir__ = lazy_exports(__name__, globals(), _LAZY)
