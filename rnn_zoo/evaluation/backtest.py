"""Walk-forward backtesting: every forecaster and baseline judged the same way.

For each fold the backtest takes the rows up to a forecast *origin* (the last
observed time step), fits the scaler and the model on those rows only, and
forecasts the next ``horizon`` steps; then the origin moves ``horizon`` steps
forward. The folds come from scikit-learn's ``TimeSeriesSplit`` (with ``gap``
and, for a sliding window, ``max_train_size``)::

    rows:   0 ............................................ n-1
    fold 0: [history (expanding) ....... o] g [h h h]
    fold 1: [history ........................... o] g [h h h]
    sliding:          [window ............. o] g [h h h]

Nothing after the origin reaches the scaler, the model or a baseline, so the
forecasts of a fold cannot change when later rows change (the tests check this
by planting a spike after an origin). Keras is imported only when ``model_fn``
builds a Keras model.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from rnn_zoo._validation import (
    check_int,
    check_one_of,
    check_type,
    error_message,
)
from rnn_zoo.evaluation._forecasters import (
    WindowForecaster,
    check_forecast,
    make_forecaster,
)
from rnn_zoo.evaluation.baselines import BASELINES
from rnn_zoo.evaluation.forecasting import (
    directional_accuracy,
    mae,
    naive_scale,
    rmse,
)

__all__ = ["BacktestResult", "walk_forward_backtest", "summarize_forecasts"]

_TRANSFORMS = (None, "log_returns", "difference")
_SCALERS = ("standard", "minmax", None)


@dataclass(frozen=True)
class BacktestResult:
    """What `walk_forward_backtest` returns.

    Attributes:
        forecasts: Tidy DataFrame, one row per (model, fold, step ahead):
            ``model``, ``fold``, ``origin`` (index label of the last observed
            row), ``step`` (steps after the origin), ``time`` (label of the
            forecast row), ``y_true``, ``y_pred``, ``y_last`` (the target at the
            origin) and ``scale`` (the fold's MASE scale: in-sample naive MAE).
        folds: One row per fold: ``fold``, ``origin``, ``history_start``,
            ``n_history`` (rows the scaler and models saw), ``first_target``.
        summary: One row per model (index ``model``), best MASE first:
            ``mase``, ``mae``, ``rmse``, ``directional_accuracy``, ``n``.
        by_step: The same metrics per model and step ahead (index
            ``(model, step)``).
    """

    forecasts: pd.DataFrame
    folds: pd.DataFrame
    summary: pd.DataFrame
    by_step: pd.DataFrame


# ------------------------------------------------------------------ validation


def _as_frame(series: Any, target: Any) -> tuple[pd.DataFrame, int]:
    """``series`` as a numeric, finite, time-ordered frame; the target position."""
    if isinstance(series, pd.Series):
        series = series.to_frame(name=series.name if series.name is not None else 0)
    if isinstance(series, np.ndarray | list | tuple):
        array = np.asarray(series)
        if array.ndim == 1:
            array = array.reshape(-1, 1)
        if array.ndim != 2:
            raise ValueError(
                error_message("series", "1-D or 2-D (rows = time steps)", array)
            )
        series = pd.DataFrame(array)
    check_type(
        series,
        "series",
        pd.DataFrame,
        "a pandas Series/DataFrame or a 1-D/2-D array (rows = time steps)",
    )
    for column, dtype in series.dtypes.items():
        if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(
            dtype
        ):
            raise TypeError(
                f"`series` must hold numbers only. Received: column {column!r} of "
                f"dtype {dtype}. Convert it with pd.to_numeric or drop it"
            )
    values = series.to_numpy(dtype=np.float64, na_value=np.nan)
    bad = ~np.isfinite(values)
    if bad.any():
        row, col = (int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"`series` must contain only finite values (no NaN gaps). Received: "
            f"NaN/inf in column {series.columns[col]!r} at {series.index[row]!r} "
            f"({int(bad.any(axis=1).sum())} row(s) in all). Fill or drop them "
            "first, e.g. `df.ffill()`"
        )
    index = series.index
    if index.hasnans:
        raise ValueError(
            error_message("series", "an index without missing (NaT) labels", index)
        )
    if index.has_duplicates:
        raise ValueError(
            f"`series` must have one row per time step. Received: repeated index "
            f"labels such as {index[index.duplicated()][0]!r}"
        )
    if not index.is_monotonic_increasing:
        raise ValueError(
            "`series` must be sorted by time (increasing index). Received: an "
            "unsorted index. Use `series.sort_index()`"
        )
    if target is None:
        if series.shape[1] != 1:
            raise ValueError(
                error_message(
                    "target",
                    "the label or position of the column to forecast when `series` "
                    f"has several columns {list(series.columns)}",
                    target,
                )
            )
        return series, 0
    columns = list(series.columns)
    if target in columns:
        return series, columns.index(target)
    if isinstance(target, int) and not isinstance(target, bool):
        if 0 <= target < len(columns):
            return series, target
    raise ValueError(
        error_message("target", f"a column of `series`: {columns}", target)
    )


def _fold_indices(
    n_rows: int,
    first: int,
    *,
    folds: Any,
    start: Any,
    index: pd.Index,
    horizon: int,
    gap: int,
    window: int | None,
    min_history: int,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """``(history rows, target rows)`` per fold, from ``TimeSeriesSplit``."""
    from sklearn.model_selection import TimeSeriesSplit

    usable = n_rows - first
    most = (usable - min_history - gap) // horizon
    if (folds is None) == (start is None):
        raise ValueError(
            "Pass exactly one of `folds` (how many origins) or `start` (the first "
            f"origin). Received: folds={folds!r}, start={start!r}"
        )
    if start is not None:
        if isinstance(start, int | np.integer) and not isinstance(start, bool):
            position = int(start)
        else:
            try:
                position = int(index.get_loc(start))
            except (KeyError, TypeError):
                raise ValueError(
                    error_message("start", "a position or a label of `series`", start)
                ) from None
        n_after = n_rows - position - 1 - gap
        if not 0 <= position < n_rows or n_after < horizon:
            raise ValueError(
                f"`horizon` must fit in the test part after `start`: horizon="
                f"{horizon} (+ gap={gap}) rows after origin {start!r}. Received: "
                f"{max(n_after, 0)} row(s) after it. Use an earlier `start` or a "
                "shorter horizon"
            )
        folds = n_after // horizon
        if position + 1 - first < min_history:
            raise ValueError(
                f"`start` must leave at least {min_history} rows of history "
                f"(lookback + gap + horizon for one training window). Received: "
                f"start={start!r}, {position + 1 - first} row(s) of history"
            )
    folds = check_int(folds, "folds", minimum=1)
    if folds > most:
        raise ValueError(
            f"`folds` must leave at least {min_history} rows of history before the "
            f"first origin: at most {max(most, 0)} fold(s) of horizon={horizon} "
            f"(gap={gap}) fit in {usable} usable rows. Received: folds={folds}. "
            "Use fewer folds, a shorter lookback or a longer series"
        )
    splitter = TimeSeriesSplit(
        n_splits=folds, test_size=horizon, gap=gap, max_train_size=window
    )
    positions = np.arange(first, n_rows)
    return [
        (positions[train], positions[test]) for train, test in splitter.split(positions)
    ]


# ------------------------------------------------------------------ per model


def _make_scaler(scaler: Any) -> Any:
    if scaler is None:
        return None
    if isinstance(scaler, str):
        from rnn_zoo.preprocessing import SeriesScaler

        return SeriesScaler(scaler)
    return scaler()


def _model_forecasts(
    name: str,
    model_fn: Any,
    inputs: pd.DataFrame,
    target: int,
    plan: list[tuple[np.ndarray, np.ndarray]],
    *,
    lookback: int,
    steps: int,
    refit: int,
    scaler: Any,
    seed: int | None,
    fit_kwargs: dict[str, Any],
    progress: Callable[[str], None] | None,
) -> list[np.ndarray]:
    """Forecasts in the target's (transformed) units, ``(steps,)`` per fold."""
    from rnn_zoo.preprocessing import make_windows
    from rnn_zoo.training import set_seed

    who = f"model_fn[{name!r}]"
    out: list[np.ndarray] = [np.empty(0)] * len(plan)
    forecaster = fitted_scaler = None
    pending: list[tuple[int, np.ndarray]] = []  # (fold, scaled window) to predict
    for k, (history, _) in enumerate(plan):
        rows = inputs.iloc[history[0] : history[-1] + 1]
        if forecaster is None or (refit and k % refit == 0):
            _predict_pending(forecaster, fitted_scaler, pending, out, steps, target)
            if seed is not None:
                set_seed(seed)  # the package's one seeding call
            fitted_scaler = _make_scaler(scaler)
            scaled = (
                rows
                if fitted_scaler is None
                else fitted_scaler.fit(rows).transform(rows)
            )
            forecaster = make_forecaster(
                model_fn,
                lookback=lookback,
                n_features=inputs.shape[1],
                steps=steps,
                who=who,
                fit_kwargs=fit_kwargs,
            )
            if isinstance(forecaster, WindowForecaster):
                X, y = make_windows(
                    scaled, lookback, horizon=steps, target_columns=[target]
                )
                forecaster.fit(X, y[:, :, 0])
                if progress is not None:
                    progress(
                        f"{name}: fold {k + 1}/{len(plan)} fitted on {len(X)} "
                        f"windows ending {rows.index[-1]}"
                    )
        if not isinstance(forecaster, WindowForecaster):  # a rule
            forecast = forecaster(rows.iloc[:, target].to_numpy(np.float64), steps)
            out[k] = check_forecast(forecast, 1, steps, who)[0]
            continue
        recent = rows.iloc[-lookback:]
        if fitted_scaler is not None:
            recent = fitted_scaler.transform(recent)
        pending.append((k, np.asarray(recent, dtype=np.float32)))
    _predict_pending(forecaster, fitted_scaler, pending, out, steps, target)
    return out


def _predict_pending(
    forecaster: Any,
    scaler: Any,
    pending: list[tuple[int, np.ndarray]],
    out: list[np.ndarray],
    steps: int,
    target: int,
) -> None:
    """Forecast every pending window with one model call; empty ``pending``."""
    if not pending:
        return
    predictions = forecaster.predict(np.stack([w for _, w in pending]), steps)
    if scaler is not None:
        predictions = np.asarray(
            scaler.inverse_transform(predictions.reshape(-1, 1), columns=[target]),
            dtype=np.float64,
        ).reshape(len(pending), steps)
    for (k, _), prediction in zip(pending, predictions, strict=True):
        out[k] = prediction
    pending.clear()


def _to_levels(values: np.ndarray, last: float, transform: str | None) -> np.ndarray:
    if transform == "log_returns":
        return last * np.exp(np.cumsum(values))
    if transform == "difference":
        return last + np.cumsum(values)
    return values


# ------------------------------------------------------------------ summaries


def _metrics(group: pd.DataFrame) -> pd.Series:
    y_true, y_pred = group["y_true"].to_numpy(), group["y_pred"].to_numpy()
    scale = group["scale"].to_numpy()
    return pd.Series(
        {
            "mase": mae(y_true / scale, y_pred / scale),
            "mae": mae(y_true, y_pred),
            "rmse": rmse(y_true, y_pred),
            "directional_accuracy": directional_accuracy(
                y_true, y_pred, reference=group["y_last"].to_numpy()
            ),
            "n": len(group),
        }
    )


def summarize_forecasts(
    forecasts: pd.DataFrame, by: str | list[str] = "model"
) -> pd.DataFrame:
    """MASE, MAE, RMSE and directional accuracy of backtest forecasts per group.

    MASE divides each error by its own fold's in-sample naive MAE (column
    ``scale``); directional accuracy compares the move from ``y_last`` (the value
    at the origin) predicted with the one that happened.

    Args:
        forecasts: The ``forecasts`` table of a `BacktestResult` (or rows of it).
        by: Column(s) to group by. Defaults to ``"model"``.

    Returns:
        DataFrame indexed by ``by`` with columns ``mase``, ``mae``, ``rmse``,
        ``directional_accuracy`` and ``n``; per model, best MASE first.

    Raises:
        ValueError: If a required column is missing.

    Example:
        >>> rows = pd.DataFrame({"model": ["a", "a"], "y_true": [11.0, 9.0],
        ...                      "y_pred": [12.0, 10.0], "y_last": [10.0, 10.0],
        ...                      "scale": [2.0, 2.0]})
        >>> summarize_forecasts(rows).loc["a", ["mase", "mae", "directional_accuracy"]]
        mase                    0.5
        mae                     1.0
        directional_accuracy    0.5
        Name: a, dtype: float64
    """
    needed = {"y_true", "y_pred", "y_last", "scale", *np.atleast_1d(by)}
    missing = sorted(needed - set(forecasts.columns))
    if missing:
        raise ValueError(
            error_message(
                "forecasts",
                "a BacktestResult.forecasts table",
                list(forecasts.columns),
                f"Missing columns: {missing}",
            )
        )
    table = forecasts.groupby(by, sort=False)[
        ["y_true", "y_pred", "y_last", "scale"]
    ].apply(_metrics)
    table["n"] = table["n"].astype(int)
    return table.sort_values("mase", kind="stable") if by == "model" else table


# ------------------------------------------------------------------ public


def walk_forward_backtest(
    model_fn: Any,
    series: Any,
    *,
    lookback: int,
    horizon: int = 1,
    folds: int | None = None,
    start: Any = None,
    mode: str = "expanding",
    window: int | None = None,
    gap: int = 0,
    refit: bool | int = True,
    scaler: Any = "standard",
    target: Any = None,
    target_transform: str | None = None,
    baselines: Any = ("naive", "drift", "mean"),
    epochs: int = 10,
    fit_kwargs: Mapping[str, Any] | None = None,
    seed: int | None = 0,
    name: str = "model",
    progress: Callable[[str], None] | None = None,
) -> BacktestResult:
    """Backtest forecasters and baselines over rolling forecast origins.

    For each fold: take the history up to the origin (all of it, or the last
    ``window`` rows with ``mode="sliding"``); fit a fresh scaler on it; build a
    model with ``model_fn``, train it on the windows of that history (targets
    inside the history too); forecast the ``horizon`` rows after the origin (and
    ``gap``); score in the units of the target column. Baselines forecast from
    the same raw history. Every forecaster is handled the same way:

    - a **Keras** builder, called ``model_fn(lookback, n_features,
      horizon=gap + horizon)`` (``build_forecaster`` and ``functools.partial``
      of it fit), trained with `rnn_zoo.training.fit` (MSE unless compiled);
    - a **scikit-learn** regressor (an instance, cloned per fold, or a class),
      trained on windows flattened to ``(n, lookback * features)``;
    - a **rule** ``(history, horizon) -> forecast``, returned by a factory with
      no arguments (e.g. ``lambda: naive_forecast``), fitted on nothing.

    With ``target_transform="log_returns"`` the models learn and predict the log
    returns of the target column (other columns are used as given: make them
    stationary yourself), and their forecasts are turned back into levels from
    the value at the origin, so the naive baseline is the random walk and every
    score is in price units.

    Args:
        model_fn: A factory as above, a dict ``{name: factory}`` to backtest
            several, or None for baselines only.
        series: pandas Series/DataFrame (rows = time steps, index = time) or a
            1-D/2-D array; numeric, finite, index unique and increasing.
        lookback: int, input rows per window (>= 1).
        horizon: int, steps forecast per origin (>= 1). Defaults to 1.
        folds: int, number of origins, the last ``folds * horizon`` rows being
            forecast (``TimeSeriesSplit(n_splits=folds, test_size=horizon)``).
        start: Alternative to ``folds``: the earliest origin, a position or index
            label; origins then step by ``horizon`` and end with the series (so
            the first may be up to ``horizon - 1`` rows after ``start``).
        mode: ``"expanding"`` (history from the first row) or ``"sliding"`` (the
            last ``window`` rows). Defaults to ``"expanding"``.
        window: int, history rows in sliding mode (>= lookback + gap + horizon).
        gap: int, rows skipped between the origin and the first forecast row
            (``TimeSeriesSplit``'s ``gap``); steps are then ``gap + 1 ..``.
            Defaults to 0.
        refit: True to build and train a new model at every fold, False to train
            once (first fold) and reuse it, or an int k to retrain every k folds.
            The scaler is refitted with the model. Defaults to True.
        scaler: ``"standard"``, ``"minmax"`` (a `SeriesScaler`), None, or a
            factory returning an object with ``fit``, ``transform`` and
            ``inverse_transform(data, columns=[position])``. Defaults to
            ``"standard"``.
        target: label or position of the column to forecast; required when
            ``series`` has several columns. Defaults to None.
        target_transform: None, ``"log_returns"`` (target must be > 0) or
            ``"difference"``. Defaults to None.
        baselines: names from ``BASELINES`` (``"naive"``, ``"drift"``,
            ``"mean"``) and/or a dict ``{name: rule(history, horizon)}``.
            Defaults to ``("naive", "drift", "mean")``.
        epochs: int, epochs per Keras training. Defaults to 10.
        fit_kwargs: Extra arguments for `rnn_zoo.training.fit` (batch_size,
            learning_rate, early_stopping...). Defaults to verbose=0, no early
            stopping.
        seed: int or None, seeds Python, NumPy and Keras before each model is
            built. Defaults to 0.
        name: Name of ``model_fn``'s model in the tables. Defaults to "model".
        progress: Optional callable receiving one line per trained model.

    Returns:
        A `BacktestResult` (``forecasts``, ``folds``, ``summary``, ``by_step``).

    Raises:
        TypeError: If an argument has the wrong type, a column is not numeric or
            ``model_fn`` builds something that cannot forecast.
        ValueError: If ``series`` has NaN, repeated or unsorted times; if both or
            neither of ``folds``/``start`` are given; if the folds (or
            ``horizon`` after ``start``) do not fit in the series; if a model or
            rule returns the wrong number of values.

    Example:
        >>> from sklearn.linear_model import Ridge
        >>> series = np.sin(np.arange(120) * 0.3)
        >>> result = walk_forward_backtest(Ridge(alpha=1e-3), series, lookback=8,
        ...                                horizon=2, folds=5, name="ridge")
        >>> result.summary.index.tolist()
        ['ridge', 'naive', 'drift', 'mean']
        >>> bool(result.summary.loc["ridge", "mase"] < 0.1)
        True
        >>> result.forecasts.columns.tolist()  # doctest: +NORMALIZE_WHITESPACE
        ['model', 'fold', 'origin', 'step', 'time', 'y_true', 'y_pred', 'y_last',
         'scale']
    """
    lookback = check_int(lookback, "lookback", minimum=1)
    horizon = check_int(horizon, "horizon", minimum=1)
    gap = check_int(gap, "gap", minimum=0)
    epochs = check_int(epochs, "epochs", minimum=1)
    seed = check_int(seed, "seed", minimum=0, allow_none=True)
    check_one_of(mode, "mode", ("expanding", "sliding"))
    check_one_of(target_transform, "target_transform", _TRANSFORMS)
    if not (isinstance(scaler, str | type(None)) or callable(scaler)):
        raise TypeError(
            error_message(
                "scaler", "'standard', 'minmax', None or a scaler factory", scaler
            )
        )
    if isinstance(scaler, str):
        check_one_of(scaler, "scaler", _SCALERS)
    if isinstance(refit, bool):
        refit_every = 1 if refit else 0
    else:
        refit_every = check_int(refit, "refit", minimum=1)
    models = _named(model_fn, name, "model_fn")
    rules = _baselines(baselines)
    steps = gap + horizon
    min_history = lookback + steps if models else 2
    if mode == "sliding":
        window = check_int(window, "window", minimum=min_history)
    elif window is not None:
        raise ValueError(error_message("window", "None unless mode='sliding'", window))

    frame, target_pos = _as_frame(series, target)
    level = frame.iloc[:, target_pos].to_numpy(np.float64)
    inputs, first = frame, 0
    if target_transform is not None:
        if target_transform == "log_returns" and (level <= 0).any():
            raise ValueError(
                error_message(
                    "target_transform",
                    "'log_returns' only for a target that is > 0 everywhere",
                    target_transform,
                    "Use 'difference' instead",
                )
            )
        moved = np.log(level) if target_transform == "log_returns" else level
        inputs = frame.astype(np.float64).copy()
        inputs.iloc[1:, target_pos] = np.diff(moved)
        first = 1
    plan = _fold_indices(
        len(frame),
        first,
        folds=folds,
        start=start,
        index=frame.index,
        horizon=horizon,
        gap=gap,
        window=window,
        min_history=min_history,
    )
    fit_kwargs = {"epochs": epochs, "verbose": 0, "early_stopping": None} | dict(
        fit_kwargs or {}
    )
    predictions: dict[str, list[np.ndarray]] = {}
    for model_name, factory in models.items():
        raw = _model_forecasts(
            model_name,
            factory,
            inputs,
            target_pos,
            plan,
            lookback=lookback,
            steps=steps,
            refit=refit_every,
            scaler=scaler,
            seed=seed,
            fit_kwargs=fit_kwargs,
            progress=progress,
        )
        predictions[model_name] = [
            _to_levels(values, level[history[-1]], target_transform)[gap:]
            for values, (history, _) in zip(raw, plan, strict=True)
        ]
    for rule_name, rule in rules.items():
        predictions[rule_name] = []
        for history, _ in plan:
            forecast = rule(level[history[0] : history[-1] + 1], steps)
            who = f"baselines[{rule_name!r}]"
            predictions[rule_name].append(
                check_forecast(forecast, 1, steps, who)[0][gap:]
            )
    return _result(frame, level, plan, predictions)


def _named(model_fn: Any, name: str, arg: str) -> dict[str, Any]:
    check_type(name, "name", str, "a string")
    if model_fn is None:
        return {}
    if isinstance(model_fn, Mapping):
        if not all(isinstance(key, str) for key in model_fn):
            raise TypeError(error_message(arg, "a dict with string keys", model_fn))
        return dict(model_fn)
    return {name: model_fn}


def _baselines(baselines: Any) -> dict[str, Callable[..., Any]]:
    if baselines is None:
        return {}
    if isinstance(baselines, Mapping):
        items = dict(baselines)
    elif isinstance(baselines, str):
        items = {baselines: None}
    else:
        items = {key: None for key in baselines}
    rules = {}
    for key, rule in items.items():
        if rule is None:
            check_one_of(key, "baselines", tuple(BASELINES))
            rule = BASELINES[key]
        if not callable(rule):
            raise TypeError(
                error_message(
                    "baselines", "names or a dict of rules (history, horizon)", rule
                )
            )
        rules[key] = rule
    return rules


def _result(
    frame: pd.DataFrame,
    level: np.ndarray,
    plan: list[tuple[np.ndarray, np.ndarray]],
    predictions: dict[str, list[np.ndarray]],
) -> BacktestResult:
    index = frame.index
    fold_rows, parts = [], []
    for k, (history, test) in enumerate(plan):
        origin = history[-1]
        fold_rows.append(
            {
                "fold": k,
                "origin": index[origin],
                "history_start": index[history[0]],
                "n_history": len(history),
                "first_target": index[test[0]],
            }
        )
        scale = naive_scale(level[history[0] : origin + 1])
        for model_name, per_fold in predictions.items():
            parts.append(
                pd.DataFrame(
                    {
                        "model": model_name,
                        "fold": k,
                        "origin": index[origin],
                        "step": test - origin,
                        "time": index[test],
                        "y_true": level[test],
                        "y_pred": per_fold[k],
                        "y_last": level[origin],
                        "scale": scale,
                    }
                )
            )
    forecasts = pd.concat(parts, ignore_index=True)
    forecasts = forecasts.sort_values(["model", "fold", "step"], kind="stable")
    order = {m: i for i, m in enumerate(predictions)}
    forecasts = forecasts.sort_values(
        "model", key=lambda s: s.map(order), kind="stable"
    ).reset_index(drop=True)
    return BacktestResult(
        forecasts=forecasts,
        folds=pd.DataFrame(fold_rows),
        summary=summarize_forecasts(forecasts),
        by_step=summarize_forecasts(forecasts, ["model", "step"]),
    )
