"""Hyperparameter search with KerasTuner: grid search, random search, Bayesian.

`search_hyperparameters` runs one KerasTuner search (``keras_tuner.GridSearch``,
``keras_tuner.RandomSearch`` or ``keras_tuner.BayesianOptimization``) quietly in
a temporary folder and returns
its trials as a tidy ``pandas.DataFrame``, in the order they ran, with the best
score so far. `compare_searches` runs several methods with several seeds, the
same number of trials each, and returns one row per search in the shape of
:func:`rnn_zoo.training.experiments.compare_runs` (``config``, ``seed``,
``best_val_loss``, a ``history`` with the best score after each trial), so
`rnn_zoo.training.experiments.summarize_runs` and `rnn_zoo.plotting.plot_runs` apply.

Needs the ``tuner`` extra (``pip install rnn_zoo[tuner]``, i.e. keras-tuner);
imports it, and TensorFlow, when this module is imported.
"""

from __future__ import annotations

import shutil
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import keras
import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning

try:
    import keras_tuner
except ImportError as error:  # pragma: no cover - the pinned requirements have it
    raise ImportError(
        "rnn_zoo.training.tuning needs KerasTuner: pip install 'keras-tuner==1.4.8' "
        "(or `pip install rnn_zoo[tuner]`)"
    ) from error

from rnn_zoo._quiet import quiet_retracing_warnings
from rnn_zoo._validation import check_int, check_one_of, check_type, error_message
from rnn_zoo.training import build_optimizer, set_seed

__all__ = ["SEARCH_METHODS", "search_hyperparameters", "compare_searches"]


class _PlainTrials:
    """Train a trial with a plain ``model.fit`` and score it by its best epoch.

    KerasTuner's own ``Tuner.run_trial`` imports TensorBoard on the TensorFlow
    backend (to configure a TensorBoard callback if one is given), and
    TensorFlow 2.21 no longer installs TensorBoard. Overriding ``run_trial`` is
    KerasTuner's documented way to customise training; returning a float makes
    it the trial's score.
    """

    def run_trial(self, trial, x, y, *, validation_data, epochs, batch_size, verbose):
        model = self.hypermodel.build(trial.hyperparameters)
        build_optimizer(model)  # one trace of the train step, not two
        history = model.fit(
            x,
            y,
            validation_data=validation_data,
            epochs=epochs,
            batch_size=batch_size,
            verbose=verbose,
        )
        values = np.asarray(history.history[self.oracle.objective.name], float)
        return float(np.nanmin(values)) if np.isfinite(values).any() else np.inf


class _RandomSearch(_PlainTrials, keras_tuner.RandomSearch):
    pass


class _BayesianOptimization(_PlainTrials, keras_tuner.BayesianOptimization):
    pass


class _GridSearch(_PlainTrials, keras_tuner.GridSearch):
    pass


SEARCH_METHODS = {
    "grid": _GridSearch,
    "random": _RandomSearch,
    "bayesian": _BayesianOptimization,
}


def _trial_rows(tuner: Any) -> pd.DataFrame:
    trials = sorted(tuner.oracle.trials.values(), key=lambda t: int(t.trial_id))
    rows = []
    for trial in trials:
        score = trial.score
        rows.append(
            {
                "trial": int(trial.trial_id) + 1,
                **trial.hyperparameters.values,
                "score": float(score) if score is not None else np.nan,
            }
        )
    table = pd.DataFrame(rows)
    table["best_so_far"] = table["score"].cummin()
    return table


def search_hyperparameters(
    build: Callable[[Any], keras.Model],
    train: tuple[Any, Any],
    validation: tuple[Any, Any],
    *,
    method: str = "random",
    trials: int = 8,
    epochs: int = 5,
    batch_size: int = 32,
    seed: int = 0,
    objective: str = "val_loss",
    initial_points: int | None = None,
) -> pd.DataFrame:
    """Run one KerasTuner search quietly and return its trials, in order.

    Seeds Keras with ``seed`` (`rnn_zoo.set_seed`) and the tuner's sampler with
    the same seed. Each trial builds a model with ``build(hp)`` and trains it for
    ``epochs`` epochs; its score is the lowest ``objective`` over those epochs
    (KerasTuner's rule). The tuner works in a temporary folder, deleted after.

    Args:
        build: ``build(hp) -> compiled keras.Model``, declaring its search space
            with ``hp.Int``, ``hp.Float``, ``hp.Choice`` (a KerasTuner
            hypermodel function).
        train: ``(X, y)`` training arrays, X ``(samples, timesteps, features)``.
        validation: ``(X, y)`` validation arrays.
        method: ``"grid"`` (``GridSearch``: every combination of the
            ``hp.Choice`` values, in order; the space must be discrete),
            ``"random"`` (``RandomSearch``) or ``"bayesian"``
            (``BayesianOptimization``, a Gaussian process that proposes the
            next point from the trials so far). Defaults to ``"random"``.
        trials: int. Number of trials (models trained), at most. A grid search
            stops early once every combination has run, so ``trials`` equal to
            the grid's size tries exactly the grid. Defaults to 8.
        epochs: int. Epochs per trial. Defaults to 5.
        batch_size: int. Defaults to 32.
        seed: int. Seed of the weights and of the sampler. Defaults to 0.
        objective: str. The logged number to minimise. Defaults to
            ``"val_loss"``.
        initial_points: int or None. Bayesian optimisation only: how many
            random trials come before the Gaussian process proposes points.
            None means KerasTuner's default, 3 per hyperparameter, which with
            few trials leaves nothing for the model to do. Defaults to None.

    Returns:
        A ``pandas.DataFrame``, one row per trial in the order run, with
        columns ``trial`` (1-based), one column per hyperparameter, ``score``
        and ``best_so_far`` (the lowest score up to that trial).

    Raises:
        TypeError: If ``build`` is not callable or a count is not an integer.
        ValueError: If ``method`` is unknown or a count is not positive.

    Example:
        A grid of two learning rates, tried in order:

        >>> import numpy as np
        >>> def build(hp):
        ...     inputs = keras.Input((1,))
        ...     model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
        ...     model.compile(keras.optimizers.SGD(hp.Choice("lr", [0.01, 0.1])),
        ...                   "mse")
        ...     return model
        >>> data = (np.ones((4, 1)), np.ones((4, 1)))
        >>> table = search_hyperparameters(build, data, data, method="grid",
        ...                                trials=5, epochs=1)
        >>> table.columns.tolist(), table["lr"].tolist()
        (['trial', 'lr', 'score', 'best_so_far'], [0.01, 0.1])
        >>> bool(table["score"].notna().all())
        True
    """
    if not callable(build):
        raise TypeError(error_message("build", "a callable build(hp) -> model", build))
    check_one_of(method, "method", tuple(SEARCH_METHODS))
    trials = check_int(trials, "trials", minimum=1)
    epochs = check_int(epochs, "epochs", minimum=1)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    seed = check_int(seed, "seed", minimum=0)
    check_type(objective, "objective", str, "a string")
    initial_points = check_int(
        initial_points, "initial_points", minimum=1, allow_none=True
    )
    if initial_points is not None and method != "bayesian":
        raise ValueError(
            error_message(
                "initial_points",
                "None unless `method='bayesian'`",
                initial_points,
            )
        )
    extra = {} if initial_points is None else {"num_initial_points": initial_points}
    for name, data in (("train", train), ("validation", validation)):
        if not isinstance(data, (tuple, list)) or len(data) != 2:
            raise TypeError(error_message(name, "an (X, y) pair of arrays", data))
    set_seed(seed)
    folder = tempfile.mkdtemp(prefix="rnn_zoo_tuner_")
    try:
        tuner = SEARCH_METHODS[method](
            hypermodel=build,
            objective=keras_tuner.Objective(objective, direction="min"),
            max_trials=trials,
            seed=seed,
            directory=folder,
            project_name=method,
            overwrite=True,
            **extra,
        )
        # each trial is a new model, which retraces; verbose=0 also keeps
        # KerasTuner from printing (and, in a notebook, clearing) per trial; the
        # Gaussian process (scikit-learn) warns when a length scale reaches its
        # bound, which with a handful of trials is expected and harmless
        with quiet_retracing_warnings(), warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            tuner.search(
                *train,
                validation_data=tuple(validation),
                epochs=epochs,
                batch_size=batch_size,
                verbose=0,
            )
        return _trial_rows(tuner)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def compare_searches(
    build: Callable[[Any], keras.Model],
    train: tuple[Any, Any],
    validation: tuple[Any, Any],
    *,
    methods: Sequence[str] = ("random", "bayesian"),
    seeds: Sequence[int] = (0, 1, 2),
    trials: int = 8,
    epochs: int = 5,
    batch_size: int = 32,
    initial_points: int | None = None,
    progress: bool = True,
) -> pd.DataFrame:
    """Run each search method with each seed, the same number of trials each.

    Args:
        build: The hypermodel function, as in `search_hyperparameters`.
        train: ``(X, y)`` training arrays.
        validation: ``(X, y)`` validation arrays.
        methods: Search methods to compare, among ``"grid"``, ``"random"``
            and ``"bayesian"``. Defaults to ``("random", "bayesian")``.
        seeds: Seeds; each method runs once per seed. Defaults to (0, 1, 2).
        trials: int. Trials per search. Defaults to 8.
        epochs: int. Epochs per trial. Defaults to 5.
        batch_size: int. Defaults to 32.
        initial_points: int or None. Random trials before Bayesian
            optimisation models the results (`search_hyperparameters`); used
            for ``"bayesian"`` only. Defaults to None.
        progress: bool. Print one line per search. Defaults to True.

    Returns:
        A ``pandas.DataFrame``, one row per method and seed, with columns
        ``config`` (the method), ``seed``, ``best_val_loss`` (best score of
        the search), ``best_trial`` (1-based trial that found it), ``best``
        (its hyperparameters, a dict), ``seconds``, ``history``
        (``{"best_so_far": [...]}``, one value per trial) and ``trials`` (the
        trial table of `search_hyperparameters` as a list of dicts).

    Raises:
        TypeError / ValueError: As `search_hyperparameters`, or if ``methods``
            or ``seeds`` is empty.

    Example:
        >>> import numpy as np
        >>> def build(hp):
        ...     inputs = keras.Input((1,))
        ...     model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
        ...     model.compile(keras.optimizers.SGD(hp.Choice("lr", [0.01, 0.1])),
        ...                   "mse")
        ...     return model
        >>> data = (np.ones((4, 1)), np.ones((4, 1)))
        >>> runs = compare_searches(build, data, data, seeds=[0], trials=2,
        ...                         epochs=1, progress=False)
        >>> runs[["config", "seed"]].values.tolist()
        [['random', 0], ['bayesian', 0]]
    """
    methods, seeds = list(methods), list(seeds)
    for name, values in (("methods", methods), ("seeds", seeds)):
        if not values:
            raise ValueError(error_message(name, "a non-empty list", values))
    check_type(progress, "progress", bool, "a bool")
    rows = []
    for method in methods:
        for seed in seeds:
            start = time.perf_counter()
            table = search_hyperparameters(
                build,
                train,
                validation,
                method=method,
                trials=trials,
                epochs=epochs,
                batch_size=batch_size,
                seed=seed,
                initial_points=initial_points if method == "bayesian" else None,
            )
            best = int(table["score"].idxmin()) if table["score"].notna().any() else 0
            hyper = table.drop(columns=["trial", "score", "best_so_far"])
            row = {
                "config": method,
                "seed": seed,
                "best_val_loss": float(table["score"].min()),
                "best_trial": int(table["trial"][best]),
                "best": hyper.iloc[best].to_dict(),
                "seconds": time.perf_counter() - start,
                "history": {"best_so_far": table["best_so_far"].tolist()},
                "trials": table.to_dict("records"),
            }
            rows.append(row)
            if progress:
                print(
                    f"{method:>9s} search, seed {seed}: best val_loss "
                    f"{row['best_val_loss']:.4g} at trial {row['best_trial']} of "
                    f"{len(table)} ({row['seconds']:.0f} s)",
                    flush=True,
                )
    return pd.DataFrame(rows)
