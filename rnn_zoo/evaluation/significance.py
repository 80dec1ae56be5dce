"""Is one forecaster really better than another? A paired test of their errors.

`diebold_mariano` tests whether two forecasts of the same targets have equal
expected loss (Diebold & Mariano, 1995), with the small-sample correction of
Harvey, Leybourne & Newbold (1997) and Student-t p-values. `compare_forecasts`
runs it on two models of a `walk_forward_backtest`, pairing their errors fold by
fold. A small MASE difference over a few dozen forecasts is usually noise; this
is how a notebook tells the reader whether an edge is real.

The test is defined from 3 pairs, but its p-value leans on a t approximation of
the mean loss difference, which a handful of pairs cannot check: one lucky fold
decides it. ``MIN_PAIRS_FOR_P_VALUE`` (10) is the house rule of thumb below
which a p-value is not reported (``python -m rnn_zoo forecast`` says how many
folds it needs instead); `DieboldMarianoResult.enough_pairs` tells the same.

Pure NumPy/SciPy: importing this module imports neither TensorFlow nor matplotlib.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from rnn_zoo._validation import check_int, check_one_of, error_message
from rnn_zoo.evaluation.forecasting import _pair

__all__ = [
    "DieboldMarianoResult",
    "diebold_mariano",
    "compare_forecasts",
    "MIN_PAIRS_FOR_P_VALUE",
]

#: Fewest paired losses from which a p-value is worth reporting (rule of thumb).
MIN_PAIRS_FOR_P_VALUE = 10


class DieboldMarianoResult(NamedTuple):
    """Result of `diebold_mariano`.

    Attributes:
        statistic: The (HLN-corrected) DM statistic; negative when the first
            forecast has the smaller loss.
        p_value: Two-sided p-value (Student t with ``n - 1`` degrees of freedom).
        mean_difference: Mean of ``loss_a - loss_b``.
        n: Number of paired losses.
    """

    statistic: float
    p_value: float
    mean_difference: float
    n: int

    @property
    def enough_pairs(self) -> bool:
        """Whether ``n >= MIN_PAIRS_FOR_P_VALUE``, so the p-value is worth reporting.

        Example:
            >>> DieboldMarianoResult(-2.0, 0.015, -0.1, 3).enough_pairs
            False
        """
        return self.n >= MIN_PAIRS_FOR_P_VALUE


def diebold_mariano(
    loss_a: Any, loss_b: Any, *, horizon: int = 1
) -> DieboldMarianoResult:
    """Diebold-Mariano test of equal expected loss for two paired forecasts.

    With ``d = loss_a - loss_b`` (e.g. squared or absolute errors of the same
    targets), ``DM = mean(d) / sqrt(V / n)`` where ``V`` is the variance of ``d``
    plus twice its first ``horizon - 1`` autocovariances (h-step forecasts made
    at consecutive origins overlap, so their errors correlate). The statistic is
    multiplied by the Harvey-Leybourne-Newbold factor
    ``sqrt((n + 1 - 2h + h(h - 1) / n) / n)`` and compared with Student's t with
    ``n - 1`` degrees of freedom.

    Args:
        loss_a: 1-D array-like of the first forecast's losses, in time order.
        loss_b: 1-D array-like of the second forecast's losses, same length.
        horizon: int, the forecast horizon h of the paired losses (>= 1): 1 when
            the forecasts do not overlap. Defaults to 1.

    Returns:
        A `DieboldMarianoResult` ``(statistic, p_value, mean_difference, n)``;
        with fewer than ``MIN_PAIRS_FOR_P_VALUE`` pairs its ``enough_pairs`` is
        False: report the statistic, not the p-value.

    Raises:
        ValueError: If the lengths differ, a loss is NaN/inf, there are fewer
            than 3 pairs or fewer than ``horizon + 1``, or the loss differences
            do not vary (e.g. identical forecasts), so the test is undefined.
        TypeError: If ``horizon`` is not an int.

    Example:
        >>> a = [1.0, 2.0, 1.0, 2.0, 1.0, 2.0]
        >>> b = [2.0, 2.5, 2.0, 3.0, 1.5, 3.0]
        >>> result = diebold_mariano(a, b)
        >>> round(result.statistic, 3), round(result.p_value, 4), result.n
        (-7.906, 0.0005, 6)
    """
    horizon = check_int(horizon, "horizon", minimum=1)
    a, b = _pair(loss_a, loss_b)
    d = (a - b).reshape(-1)
    n = len(d)
    if n < max(3, horizon + 1):
        raise ValueError(
            f"`loss_a` must have at least {max(3, horizon + 1)} paired losses for "
            f"the test (horizon={horizon}). Received: {n}. Backtest more folds"
        )
    mean = float(d.mean())
    centred = d - mean
    autocov = [float(centred[k:] @ centred[: n - k]) / n for k in range(horizon)]
    variance = autocov[0] + 2.0 * sum(autocov[1:])
    if not variance > 0:
        raise ValueError(
            "`loss_a` and `loss_b` must differ by more than a constant: the loss "
            "differences have no (or negative long-run) variance, so the "
            "Diebold-Mariano test is undefined. Received: loss differences with "
            f"mean {mean!r} and variance {variance!r}"
        )
    from scipy import stats

    correction = np.sqrt((n + 1 - 2 * horizon + horizon * (horizon - 1) / n) / n)
    statistic = float(correction * mean / np.sqrt(variance / n))
    p_value = float(2.0 * stats.t.sf(abs(statistic), df=n - 1))
    return DieboldMarianoResult(statistic, p_value, mean, n)


def compare_forecasts(
    forecasts: pd.DataFrame,
    model_a: str,
    model_b: str,
    *,
    loss: str = "absolute",
    step: int | None = None,
) -> DieboldMarianoResult:
    """Diebold-Mariano test of two models from a backtest's ``forecasts`` table.

    Pairs the two models' errors on the same (fold, step). With ``step`` given,
    tests that step ahead alone; with ``step=None`` it averages each fold's loss
    difference over its steps first. Either way the paired values come from
    non-overlapping folds, so the test uses ``horizon=1``.

    Args:
        forecasts: ``BacktestResult.forecasts`` (columns ``model``, ``fold``,
            ``step``, ``y_true``, ``y_pred``).
        model_a: Name of the first model (negative statistic: it is better).
        model_b: Name of the second model.
        loss: ``"absolute"`` (as MAE/MASE) or ``"squared"``. Defaults to
            ``"absolute"``.
        step: int step ahead to test, or None for all steps. Defaults to None.

    Returns:
        A `DieboldMarianoResult`.

    Raises:
        ValueError: If a model or step is not in the table, the two models were
            not scored on the same (fold, step) pairs, or as `diebold_mariano`.

    Example:
        >>> rows = pd.DataFrame({
        ...     "model": ["a"] * 4 + ["b"] * 4, "fold": [0, 1, 2, 3] * 2,
        ...     "step": [1] * 8, "y_true": [0.0] * 8,
        ...     "y_pred": [1.0, 2.0, 1.0, 2.0, 2.0, 2.5, 2.0, 3.0]})
        >>> round(compare_forecasts(rows, "a", "b").mean_difference, 3)
        -0.875
    """
    check_one_of(loss, "loss", ("absolute", "squared"))
    models = list(pd.unique(forecasts["model"]))
    for arg, name in (("model_a", model_a), ("model_b", model_b)):
        check_one_of(name, arg, models)
    rows = forecasts
    if step is not None:
        steps = sorted(pd.unique(forecasts["step"]).tolist())
        check_one_of(step, "step", steps)
        rows = forecasts[forecasts["step"] == step]
    error = rows["y_pred"] - rows["y_true"]
    rows = rows.assign(loss=error.abs() if loss == "absolute" else error**2)
    wide = rows.pivot_table(index=["fold", "step"], columns="model", values="loss")
    paired = wide[[model_a, model_b]]
    if paired.isna().any().any():
        raise ValueError(
            error_message(
                "forecasts",
                f"forecasts of {model_a!r} and {model_b!r} for the same folds and "
                "steps",
                f"{paired.isna().any(axis=1).sum()} unpaired (fold, step) rows",
            )
        )
    per_fold = paired.groupby(level="fold").mean()
    return diebold_mariano(per_fold[model_a], per_fold[model_b])
