"""Seeded comparisons of training set-ups: the same budget, several seeds, a table.

`compare_runs` trains one model per configuration and seed with `rnn_zoo.fit`
(seeded with `rnn_zoo.set_seed` before each model is built) and returns a tidy
``pandas.DataFrame``: one row per run with its final and best validation numbers,
the epochs it ran, its wall time, whether it diverged, and optionally its
per-epoch history. `summarize_runs` reduces the rows to mean and spread per
configuration; `clearly_better` says whether one configuration beat another on
every seed's range (the ranges over seeds do not overlap), so a conclusion drawn
from three seeds says "not shown" when they do.

A run whose loss becomes NaN or inf is not an error here: its row has
``diverged=True``, the epochs it completed, and NaN for the final numbers.
Imports TensorFlow (through `rnn_zoo.training`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import keras
import numpy as np
import pandas as pd

from rnn_zoo._quiet import quiet_retracing_warnings
from rnn_zoo._validation import check_float, check_int, check_type, error_message
from rnn_zoo.training import fit, set_seed
from rnn_zoo.training.callbacks import TimeBudget, TrainingDivergedError
from rnn_zoo.training.gradient_log import GradientNormLog

__all__ = [
    "FIT_OPTIONS",
    "compare_runs",
    "summarize_runs",
    "clearly_better",
    "describe_difference",
]

# Configuration keys passed to `rnn_zoo.fit`; every other key goes to `build`.
FIT_OPTIONS = (
    "optimizer",
    "learning_rate",
    "clipnorm",
    "early_stopping",
    "batch_size",
    "shuffle",
)


class _EpochLog(keras.callbacks.Callback):
    """Keep every epoch's logs, also when training stops with an exception."""

    def __init__(self) -> None:
        super().__init__()
        self.history: dict[str, list[float]] = {}

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(float(value))


def _check_configs(configs: Any) -> dict[str, dict[str, Any]]:
    allowed = "a non-empty mapping of name -> dict of settings"
    if not isinstance(configs, Mapping) or not configs:
        raise (TypeError if not isinstance(configs, Mapping) else ValueError)(
            error_message("configs", allowed, configs)
        )
    checked = {}
    for name, settings in configs.items():
        if not isinstance(name, str) or not isinstance(settings, Mapping):
            raise TypeError(
                error_message(
                    "configs", allowed, configs, f"Entry {name!r} is not str -> dict"
                )
            )
        checked[name] = dict(settings)
    return checked


def _check_seeds(seeds: Any) -> list[int]:
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Sequence) or not seeds:
        raise ValueError(
            error_message("seeds", "a non-empty list of non-negative integers", seeds)
        )
    checked = [check_int(seed, "seeds", minimum=0) for seed in seeds]
    if len(set(checked)) != len(checked):
        raise ValueError(
            error_message("seeds", "a list of distinct seeds", seeds, "Drop repeats")
        )
    return checked


def _fresh_optimizer(optimizer: Any) -> Any:
    """A new optimizer per run: instances are copied, factories are called."""
    if isinstance(optimizer, keras.optimizers.Optimizer):
        return type(optimizer).from_config(optimizer.get_config())
    if callable(optimizer):
        return optimizer()
    return optimizer


def _history_numbers(history: dict[str, list[float]], monitor: str) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for key, values in history.items():
        row[f"final_{key}"] = values[-1] if values else math.nan
    watched = np.asarray(history.get(monitor, []), dtype=float)
    finite = np.isfinite(watched)
    if finite.any():
        best = int(np.nanargmin(np.where(finite, watched, np.nan)))
        row[f"best_{monitor}"] = float(watched[best])
        row["best_epoch"] = best + 1
    else:
        row[f"best_{monitor}"] = math.nan
        row["best_epoch"] = 0
    return row


def _run_one(
    settings: dict[str, Any],
    seed: int,
    epochs: int,
    build: Callable[..., keras.Model],
    common: dict[str, Any],
    options: dict[str, Any],
) -> dict[str, Any]:
    fit_args = {
        **common["fit"],
        **{k: v for k, v in settings.items() if k in FIT_OPTIONS},
    }
    build_args = {k: v for k, v in settings.items() if k not in FIT_OPTIONS}
    if "optimizer" in fit_args:
        fit_args["optimizer"] = _fresh_optimizer(fit_args["optimizer"])
    set_seed(seed)
    model = build(**build_args)
    log = _EpochLog()
    callbacks: list[keras.callbacks.Callback] = []
    budget = None
    if options["seconds"] is not None:
        budget = TimeBudget(options["seconds"])
        callbacks.append(budget)
    probe = None
    if options["gradient_probe"] is not None:
        probe = GradientNormLog(options["gradient_probe"], every=options["every"])
        callbacks.append(probe)
    callbacks.append(log)
    diverged = False
    start = time.perf_counter()
    with quiet_retracing_warnings():  # one new model per run retraces, as expected
        try:
            fit(
                model,
                common["train"],
                validation=common["validation"],
                epochs=epochs,
                callbacks=callbacks,
                verbose=0,
                **fit_args,
            )
        except TrainingDivergedError:
            diverged = True
    seconds = time.perf_counter() - start
    ran = len(next(iter(log.history.values()), []))
    row: dict[str, Any] = {
        "epochs": ran,
        "seconds": seconds,
        "seconds_per_epoch": seconds / ran if ran else math.nan,
        "diverged": diverged,
        "stopped_by_time": bool(budget is not None and budget.stopped),
        "params": int(model.count_params()),
    }
    row.update(_history_numbers(log.history, options["monitor"]))
    if diverged:
        row.update({k: math.nan for k in row if k.startswith("final_")})
    if common["test"] is not None and not diverged:
        row["test_loss"] = _test_loss(model, common["test"])
    elif common["test"] is not None:
        row["test_loss"] = math.nan
    if probe is not None:
        finite = [norm for norm in probe.norms if math.isfinite(norm)]
        row["max_grad_norm"] = max(finite, default=math.nan)
    if options["history"]:
        row["history"] = log.history
        if probe is not None:
            row["grad_norms"] = list(probe.norms)
    if options["keep_models"]:
        row["model"] = model
    return row


def _test_loss(model: keras.Model, test: Any) -> float:
    x, y = test
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    return float(logs["loss"])


def compare_runs(
    configs: Mapping[str, Mapping[str, Any]],
    seeds: Sequence[int],
    budget: int,
    *,
    build: Callable[..., keras.Model],
    train: Any,
    validation: Any = None,
    test: tuple[Any, Any] | None = None,
    seconds: float | None = None,
    gradient_probe: tuple[Any, Any] | None = None,
    gradient_every: int = 1,
    history: bool = False,
    keep_models: bool = False,
    progress: bool = True,
    **fit_options: Any,
) -> pd.DataFrame:
    """Train every configuration with every seed on the same budget; tabulate.

    For each configuration and seed: `rnn_zoo.set_seed` (seed), then
    ``build(**settings)`` with the configuration's settings that are not fit
    options, then `rnn_zoo.fit` for ``budget`` epochs with ``fit_options``
    updated by the configuration's fit options (the keys in `FIT_OPTIONS`:
    ``optimizer``, ``learning_rate``, ``clipnorm``, ``early_stopping``,
    ``batch_size``, ``shuffle``). Early stopping is off unless asked for
    (``early_stopping=None`` by default here, unlike ``fit``), so every run gets
    the same number of epochs. An optimizer instance in a configuration is copied
    for every run (``from_config``), so runs never share optimizer state.

    Args:
        configs: ``{name: settings}``, e.g. ``{"zeros": {"kernel_initializer":
            "zeros"}, "sgd": {"optimizer": "sgd", "learning_rate": 0.1}}``.
        seeds: Distinct non-negative integer seeds, e.g. ``[0, 1, 2]``.
        budget: int. Epochs per run, the same for every configuration.
        build: Callable returning a new uncompiled ``keras.Model`` from keyword
            arguments (a configuration's non-fit settings), e.g.
            ``functools.partial(rnn_zoo.models.build_sequence_regressor, 20, 2)``.
        train: Training data for ``fit``: ``(X, y)`` arrays shaped
            ``(samples, timesteps, features)`` and ``(samples, ...)``.
        validation: Validation data in the same form, or None. With it the
            monitored number is ``val_loss``, else ``loss``. Defaults to None.
        test: ``(X, y)`` scored with ``model.evaluate`` after training (the
            restored best weights when early stopping is on), or None.
        seconds: float or None. Safety cap in seconds per run
            (`rnn_zoo.training.callbacks.TimeBudget`); the row's ``stopped_by_time``
            says whether it cut a run short. Defaults to None (no cap).
        gradient_probe: ``(X, y)`` or None. With it the global L2 norm of the
            loss gradient on this fixed batch is logged every ``gradient_every``
            training batches (`rnn_zoo.training.gradient_log.GradientNormLog`), before
            any clipping. Defaults to None.
        gradient_every: int. See ``gradient_probe``. Defaults to 1.
        history: bool. Add a ``history`` column (``{metric: per-epoch list}``)
            and, with ``gradient_probe``, a ``grad_norms`` column. Defaults to
            False.
        keep_models: bool. Add a ``model`` column with the trained models.
            Defaults to False.
        progress: bool. Print one line per run. Defaults to True.
        **fit_options: Options of `rnn_zoo.fit` shared by all runs (``loss``,
            ``metrics``, ``optimizer``, ``learning_rate``, ``clipnorm``,
            ``batch_size``, ...). ``loss`` is required.

    Returns:
        A ``pandas.DataFrame`` with one row per configuration and seed (in the
        order given) and columns ``config``, ``seed``, ``epochs`` (epochs
        completed), ``seconds``, ``seconds_per_epoch``, ``diverged``,
        ``stopped_by_time``, ``params``, ``final_<metric>`` for every logged
        metric (``final_loss``, ``final_val_loss``, ...; NaN for a diverged
        run), ``best_<monitor>`` and ``best_epoch`` (1-based; 0 if no finite
        value), plus ``test_loss``, ``max_grad_norm`` (the largest finite
        norm measured), ``history``,
        ``grad_norms`` and ``model`` when asked for.

    Raises:
        TypeError: If ``configs`` is not a mapping of names to dicts, ``build``
            is not callable, or an option has the wrong type.
        ValueError: If ``configs`` or ``seeds`` is empty, seeds repeat, a
            number is out of range, ``loss`` is missing, or a configuration
            uses a key reserved for ``compare_runs`` itself.

    Example:
        >>> import functools, numpy as np
        >>> from rnn_zoo.models import build_sequence_regressor
        >>> X, y = np.ones((8, 3, 1), "float32"), np.ones((8, 1), "float32")
        >>> runs = compare_runs(
        ...     {"sgd": {"optimizer": "sgd"}, "adam": {"optimizer": "adam"}},
        ...     [0, 1], 2, build=functools.partial(build_sequence_regressor,
        ...     3, 1, units=2), train=(X, y), validation=(X, y), loss="mse",
        ...     progress=False)
        >>> runs[["config", "seed", "epochs", "diverged"]].values.tolist()
        [['sgd', 0, 2, False], ['sgd', 1, 2, False],
         ['adam', 0, 2, False], ['adam', 1, 2, False]]
        >>> compare_runs({}, [0], 2, build=None, train=(X, y), loss="mse")
        Traceback (most recent call last):
        ...
        ValueError: `configs` must be a non-empty mapping of name -> dict of ...
    """
    configs = _check_configs(configs)
    seeds = _check_seeds(seeds)
    budget = check_int(budget, "budget", minimum=1)
    if not callable(build):
        raise TypeError(error_message("build", "a callable returning a model", build))
    seconds = check_float(
        seconds, "seconds", low=0.0, low_inclusive=False, allow_none=True
    )
    gradient_every = check_int(gradient_every, "gradient_every", minimum=1)
    for flag, name in (
        (history, "history"),
        (keep_models, "keep_models"),
        (progress, "progress"),
    ):
        check_type(flag, name, bool, "a bool")
    if fit_options.get("loss") is None:
        raise ValueError(
            error_message(
                "loss", "a loss name or keras.losses.Loss", None, "Pass e.g. loss='mse'"
            )
        )
    reserved = {"model", "train", "validation", "epochs", "callbacks", "verbose"}
    for name, settings in [("fit_options", fit_options), *configs.items()]:
        clash = sorted(reserved & set(settings))
        if clash:
            raise ValueError(
                error_message(
                    "configs" if name != "fit_options" else "fit_options",
                    f"free of the keys compare_runs sets itself ({sorted(reserved)})",
                    clash,
                    f"Entry {name!r} sets them",
                )
            )
    fit_options.setdefault("early_stopping", None)
    common = {"fit": fit_options, "train": train, "validation": validation}
    common["test"] = test
    options = {
        "seconds": seconds,
        "gradient_probe": gradient_probe,
        "every": gradient_every,
        "history": history,
        "keep_models": keep_models,
        "monitor": "val_loss" if validation is not None else "loss",
    }
    rows = []
    for name, settings in configs.items():
        for seed in seeds:
            row = {"config": name, "seed": seed}
            row.update(_run_one(settings, seed, budget, build, common, options))
            rows.append(row)
            if progress:
                print(_progress_line(row, options["monitor"]), flush=True)
    return pd.DataFrame(rows)


def _progress_line(row: Mapping[str, Any], monitor: str) -> str:
    state = (
        "DIVERGED"
        if row["diverged"]
        else f"best {monitor} {row[f'best_{monitor}']:.4g}"
    )
    return (
        f"{row['config']:>24s}  seed {row['seed']}: {row['epochs']:3d} epochs in "
        f"{row['seconds']:5.1f} s, {state}"
    )


def _check_runs(runs: Any, metric: str) -> pd.DataFrame:
    check_type(runs, "runs", pd.DataFrame, "a DataFrame from compare_runs")
    missing = sorted({"config", metric} - set(runs.columns))
    if missing:
        raise ValueError(
            error_message(
                "metric",
                f"a column of `runs` (one of {sorted(map(str, runs.columns))})",
                metric,
            )
        )
    return runs


def summarize_runs(runs: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Mean and spread over seeds of one column, per configuration.

    Args:
        runs: A DataFrame from `compare_runs`.
        metric: A numeric column, e.g. ``"best_val_loss"`` or ``"test_loss"``.
            NaN values (diverged runs) are left out of the statistics and
            counted in ``diverged``.

    Returns:
        A DataFrame indexed by configuration (in the order of ``runs``) with
        columns ``mean``, ``std`` (sample standard deviation; NaN for one run),
        ``min``, ``max``, ``runs`` (number of seeds) and ``diverged`` (runs
        whose value is NaN).

    Raises:
        TypeError: If ``runs`` is not a DataFrame.
        ValueError: If ``metric`` is not one of its columns.

    Example:
        >>> runs = pd.DataFrame({"config": ["a", "a", "b", "b"],
        ...                      "test_loss": [1.0, 3.0, 0.5, float("nan")]})
        >>> summarize_runs(runs, "test_loss").round(3).to_dict("index")["a"]
        {'mean': 2.0, 'std': 1.414, 'min': 1.0, 'max': 3.0, 'runs': 2, 'diverged': 0}
        >>> b = summarize_runs(runs, "test_loss").loc["b"]
        >>> float(b["mean"]), int(b["runs"]), int(b["diverged"])
        (0.5, 2, 1)
    """
    _check_runs(runs, metric)
    groups = runs.groupby("config", sort=False)[metric]
    table = groups.agg(["mean", "std", "min", "max"])
    table["runs"] = groups.size()
    table["diverged"] = groups.apply(lambda values: int(values.isna().sum()))
    table.index.name = "config"
    return table


def clearly_better(
    runs: pd.DataFrame,
    metric: str,
    first: str,
    second: str,
    *,
    lower_is_better: bool = True,
) -> str | None:
    """Which of two configurations won on every seed's range, if either did.

    "Clearly" means the ranges over seeds (min to max) do not overlap, and no
    seed of the winner diverged. With three seeds this is a modest bar; where
    the ranges overlap, the honest conclusion is that the difference is not
    shown.

    Args:
        runs: A DataFrame from `compare_runs`.
        metric: The column to compare, e.g. ``"test_loss"``.
        first: Name of one configuration.
        second: Name of the other.
        lower_is_better: bool. Whether a lower value wins. Defaults to True.
            A diverged run (NaN) counts as the worst value.

    Returns:
        ``first`` or ``second`` (the clear winner), or None when the ranges
        overlap.

    Raises:
        TypeError: If ``runs`` is not a DataFrame.
        ValueError: If ``metric`` is not a column or a name is not a
            configuration of ``runs``.

    Example:
        >>> runs = pd.DataFrame({"config": ["a", "a", "b", "b"],
        ...                      "loss": [1.0, 1.2, 0.5, 0.7]})
        >>> clearly_better(runs, "loss", "a", "b")
        'b'
        >>> clearly_better(runs.assign(loss=[1.0, 1.2, 0.9, 1.1]), "loss", "a", "b")
    """
    _check_runs(runs, metric)
    names = list(dict.fromkeys(runs["config"]))
    for argument, name in (("first", first), ("second", second)):
        if name not in names:
            raise ValueError(error_message(argument, f"one of {names}", name))
    worst = math.inf if lower_is_better else -math.inf
    sign = 1.0 if lower_is_better else -1.0

    def values(name: str) -> np.ndarray:
        column = runs.loc[runs["config"] == name, metric].astype(float).to_numpy()
        return sign * np.where(np.isnan(column), worst, column)

    a, b = values(first), values(second)
    if a.max() < b.min():
        return first
    if b.max() < a.min():
        return second
    return None


def describe_difference(
    runs: pd.DataFrame,
    metric: str,
    first: str,
    second: str,
    *,
    lower_is_better: bool = True,
    digits: int = 4,
) -> str:
    """One Markdown sentence comparing two configurations, true to the spread.

    The sentence gives each configuration's mean and range over seeds and says
    either that one beat the other on every seed (`clearly_better`) or that
    the ranges overlap, so the difference is not shown. With a single seed of
    either configuration there is no spread, so it says the difference is not
    shown. Diverged runs are counted in the sentence.

    Args:
        runs: A DataFrame from `compare_runs`.
        metric: The column to compare, e.g. ``"test_loss"``.
        first: Name of one configuration.
        second: Name of the other.
        lower_is_better: bool. Whether a lower value wins. Defaults to True.
        digits: int. Significant digits of the numbers. Defaults to 4.

    Returns:
        The sentence, e.g. ``"**b** (test_loss 0.6, range 0.5-0.7 over 3
        seeds) beat **a** (1.1, range 1-1.2) on every seed."``

    Raises:
        TypeError: If ``runs`` is not a DataFrame.
        ValueError: As `clearly_better`, or if ``digits`` is not positive.

    Example:
        >>> runs = pd.DataFrame({"config": ["a", "a", "b", "b"],
        ...                      "loss": [1.0, 1.2, 0.5, 0.7]})
        >>> print(describe_difference(runs, "loss", "a", "b"))
        **b** (loss 0.6, range 0.5–0.7 over 2 seeds) beat **a** (1.1, range
        1–1.2) on every seed.
        >>> close = runs.assign(loss=[1.0, 1.2, 0.9, 1.1])
        >>> print(describe_difference(close, "loss", "a", "b"))
        **a** (loss 1.1, range 1–1.2 over 2 seeds) and **b** (1, range 0.9–1.1):
        the ranges overlap, so the difference is not shown.
    """
    digits = check_int(digits, "digits", minimum=1)
    winner = clearly_better(
        runs, metric, first, second, lower_is_better=lower_is_better
    )
    summary = summarize_runs(runs, metric)

    def numbers(name: str, with_metric: bool) -> str:
        row = summary.loc[name]
        seeds = int(row["runs"])
        text = (
            (f"{metric} " if with_metric else "")
            + f"{row['mean']:.{digits}g}, range {row['min']:.{digits}g}–"
            + f"{row['max']:.{digits}g}"
        )
        if with_metric:
            text += f" over {seeds} seed{'s' if seeds != 1 else ''}"
        if row["diverged"]:
            text += f"; {int(row['diverged'])} diverged"
        return text

    if min(summary.loc[[first, second], "runs"]) < 2:
        return (
            f"**{first}** ({numbers(first, True)}) and **{second}** "
            f"({numbers(second, False)}): with one seed there is no spread to "
            "judge by, so the difference is not shown."
        )
    if winner is None:
        return (
            f"**{first}** ({numbers(first, True)}) and **{second}** "
            f"({numbers(second, False)}): the ranges overlap, so the difference "
            "is not shown."
        )
    loser = second if winner == first else first
    return (
        f"**{winner}** ({numbers(winner, True)}) beat **{loser}** "
        f"({numbers(loser, False)}) on every seed."
    )
