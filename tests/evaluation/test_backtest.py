"""Tests for rnn_zoo.evaluation.backtest: folds, numbers, leakage guards, bad input.

The leakage guards are future-perturbation tests: plant a huge spike after a
forecast origin and check that nothing computed at or before that origin moves.
Each guard is run against a deliberately leaky pipeline too (a scaler fitted on
all rows), to show that it can fail.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge
from sklearn.model_selection import TimeSeriesSplit

from rnn_zoo.evaluation.backtest import summarize_forecasts, walk_forward_backtest
from rnn_zoo.evaluation.baselines import naive_forecast
from rnn_zoo.preprocessing import SeriesScaler, make_windows

SPIKE = 1e6


def _sine(n: int = 120) -> pd.Series:
    index = pd.date_range("2024-01-01", periods=n, freq="D")
    t = np.arange(n)
    return pd.Series(10 + np.sin(t * 0.3) + 0.01 * t, index=index, name="y")


def _spiked(series, position: int):
    """A copy of ``series`` with every row from ``position`` on moved by SPIKE."""
    out = series.copy()
    out.iloc[position:] = out.iloc[position:] + SPIKE
    return out


# ------------------------------------------------------------------ numbers


def test_baselines_only_by_hand():
    series = pd.Series([1.0, 3.0, 2.0, 5.0, 4.0, 6.0, 8.0, 7.0])
    result = walk_forward_backtest(
        None, series, lookback=1, horizon=2, folds=2, baselines=["naive", "mean"]
    )
    f = result.forecasts
    naive = f[f.model == "naive"]
    # fold 0: origin at row 3 (value 5), targets rows 4, 5; fold 1: origin row 5
    assert naive["origin"].tolist() == [3, 3, 5, 5]
    assert naive["time"].tolist() == [4, 5, 6, 7]
    assert naive["step"].tolist() == [1, 2, 1, 2]
    assert naive["y_true"].tolist() == [4.0, 6.0, 8.0, 7.0]
    assert naive["y_pred"].tolist() == [5.0, 5.0, 6.0, 6.0]
    mean = f[f.model == "mean"]
    assert mean["y_pred"].tolist() == pytest.approx([11 / 4] * 2 + [21 / 6] * 2)
    # MASE scale of fold 0 = in-sample naive MAE of [1, 3, 2, 5] = (2 + 1 + 3) / 3
    assert naive["scale"].iloc[0] == pytest.approx(2.0)
    fold0 = naive.iloc[:2]
    assert summarize_forecasts(fold0).loc["naive", "mase"] == pytest.approx(
        (1 + 1) / 2 / 2.0
    )
    # direction from the origin: 5 -> 4 (down), 5 -> 6 (up); naive calls no move
    assert result.summary.loc["naive", "directional_accuracy"] == 0.0


def test_folds_follow_time_series_split_expanding_and_sliding():
    series = _sine(60)
    expected = list(TimeSeriesSplit(n_splits=4, test_size=3).split(np.arange(60)))
    result = walk_forward_backtest(
        None, series, lookback=5, horizon=3, folds=4, baselines=["naive"]
    )
    origins = [series.index[train[-1]] for train, _ in expected]
    assert result.folds["origin"].tolist() == origins
    assert (result.folds["history_start"] == series.index[0]).all()
    assert result.folds["n_history"].tolist() == [48, 51, 54, 57]
    sliding = walk_forward_backtest(
        None,
        series,
        lookback=5,
        horizon=3,
        folds=4,
        mode="sliding",
        window=20,
        baselines=["naive"],
    )
    assert sliding.folds["n_history"].tolist() == [20] * 4
    assert sliding.folds["origin"].tolist() == origins


def test_gap_skips_rows_after_the_origin():
    series = pd.Series(np.arange(30.0) ** 1.5)
    result = walk_forward_backtest(
        None, series, lookback=3, horizon=2, folds=3, gap=2, baselines=["naive"]
    )
    f = result.forecasts
    assert sorted(set(f["step"])) == [3, 4]
    assert (f["time"] - f["origin"] == f["step"]).all()
    assert (f["y_pred"] == f["y_last"]).all()


def test_start_gives_origins_from_start_to_the_end():
    series = _sine(40)
    result = walk_forward_backtest(
        None, series, lookback=5, horizon=4, start=series.index[20], baselines=["naive"]
    )
    origins = result.folds["origin"]
    assert origins.iloc[0] >= series.index[20]
    assert result.forecasts["time"].max() == series.index[-1]
    assert len(result.folds) == (40 - 21) // 4


def test_ridge_beats_naive_on_a_sine_and_tables_line_up():
    result = walk_forward_backtest(
        Ridge(alpha=1e-3),
        _sine(),
        lookback=10,
        horizon=3,
        folds=6,
        name="ridge",
    )
    s = result.summary
    assert s.index[0] == "ridge"
    assert s.loc["ridge", "mase"] < 0.2 < s.loc["naive", "mase"]
    assert s["n"].tolist() == [18] * 4
    assert result.by_step.loc[("ridge", 1), "n"] == 6
    assert set(result.by_step.index.get_level_values("step")) == {1, 2, 3}


def test_several_models_and_a_rule_factory_are_backtested_alike():
    result = walk_forward_backtest(
        {"ridge": Ridge, "rule": lambda: naive_forecast},
        _sine(),
        lookback=4,
        folds=5,
        baselines=["naive"],
    )
    f = result.forecasts
    np.testing.assert_array_equal(
        f[f.model == "rule"]["y_pred"], f[f.model == "naive"]["y_pred"]
    )
    assert list(result.summary.index).count("ridge") == 1


def test_log_returns_zero_forecast_is_the_random_walk():
    prices = _sine().rename("Close")
    zero = lambda: lambda history, horizon: np.zeros(horizon)  # noqa: E731
    result = walk_forward_backtest(
        zero,
        prices,
        lookback=5,
        horizon=2,
        folds=4,
        target_transform="log_returns",
        name="zero_return",
        baselines=["naive"],
    )
    f = result.forecasts
    np.testing.assert_allclose(
        f[f.model == "zero_return"]["y_pred"], f[f.model == "naive"]["y_pred"]
    )


def test_log_returns_model_sees_returns_not_levels():
    prices = pd.Series(100 * np.exp(0.01 * np.arange(60)), name="Close")
    seen = []

    def spy():
        def rule(history, horizon):
            seen.append(history.copy())
            return np.full(horizon, 0.01)

        return rule

    result = walk_forward_backtest(
        spy, prices, lookback=3, folds=2, target_transform="log_returns", baselines=[]
    )
    np.testing.assert_allclose(seen[0], 0.01)  # constant 1 % log growth
    f = result.forecasts
    np.testing.assert_allclose(f["y_pred"], f["y_true"])  # exact growth forecast


class _CountingRidge(Ridge):
    fits: list[int] = []

    def fit(self, X, y):
        _CountingRidge.fits.append(len(X))
        return super().fit(X, y)


@pytest.mark.parametrize("refit, n_fits", [(True, 5), (False, 1), (2, 3)])
def test_refit_schedule(refit, n_fits):
    _CountingRidge.fits = []
    walk_forward_backtest(
        _CountingRidge(), _sine(), lookback=4, folds=5, refit=refit, baselines=[]
    )
    assert len(_CountingRidge.fits) == n_fits


def test_refit_false_reuses_the_first_model_and_scaler_by_hand():
    series = _sine(60).to_frame()
    result = walk_forward_backtest(
        Ridge(alpha=0.1),
        series,
        lookback=4,
        horizon=2,
        folds=3,
        refit=False,
        baselines=[],
    )
    first_origin = series.index.get_loc(result.folds["origin"].iloc[0])
    history = series.iloc[: first_origin + 1]
    scaler = SeriesScaler("standard").fit(history)
    X, y = make_windows(scaler.transform(history), 4, horizon=2)
    model = Ridge(alpha=0.1).fit(X.reshape(len(X), -1), y[:, :, 0])
    for fold, origin in enumerate(result.folds["origin"]):
        end = series.index.get_loc(origin) + 1
        window = scaler.transform(series.iloc[end - 4 : end]).to_numpy()
        scaled = model.predict(window.reshape(1, -1)).reshape(-1, 1)
        expected = scaler.inverse_transform(scaled).ravel()
        f = result.forecasts
        got = f.loc[f["fold"] == fold, "y_pred"].to_numpy()
        np.testing.assert_allclose(got, expected, rtol=1e-6)


def _fixed_keras_forecaster(lookback, n_features, horizon):
    """A Keras model with frozen weights: 0.5 * the last scaled value + 0.25.

    Its forecasts in price units are known by hand for every fold's scaler, so the
    backtest's inverse scaling of Keras forecasts is checked value by value.
    """
    import keras

    inputs = keras.Input((lookback, n_features))
    head = keras.layers.Dense(horizon, trainable=False, name="head")
    outputs = head(keras.layers.Flatten()(inputs))
    kernel = np.zeros((lookback * n_features, horizon), "float32")
    kernel[-n_features] = 0.5  # the target (column 0) at the last step
    head.set_weights([kernel, np.full(horizon, 0.25, "float32")])
    return keras.Model(inputs, outputs)


@pytest.mark.filterwarnings("ignore:The model does not have any trainable weights")
def test_keras_forecasts_are_inverse_scaled_with_each_folds_scaler():
    series = _sine(60).to_frame()
    result = walk_forward_backtest(
        _fixed_keras_forecaster,
        series,
        lookback=6,
        horizon=2,
        folds=3,
        epochs=1,
        name="keras",
        baselines=["naive"],
    )
    f = result.forecasts
    for fold, origin in enumerate(result.folds["origin"]):
        end = series.index.get_loc(origin) + 1
        scaler = SeriesScaler("standard").fit(series.iloc[:end])  # this fold's past
        last = scaler.transform(series.iloc[end - 1 : end]).to_numpy()[0, 0]
        scaled = np.full((2, 1), 0.5 * last + 0.25)
        expected = scaler.inverse_transform(scaled).ravel()
        rows = f["fold"] == fold
        got = f.loc[rows & (f["model"] == "keras"), "y_pred"].to_numpy()
        np.testing.assert_allclose(got, expected, rtol=1e-5)
        naive = f.loc[rows & (f["model"] == "naive"), "y_pred"].to_numpy()
        assert not np.allclose(got, naive)  # the +0.25 (in scaled units) shows


def test_keras_forecaster_trains_through_the_backtest():
    from rnn_zoo.models import build_forecaster

    builder = functools.partial(build_forecaster, units=4)
    result = walk_forward_backtest(
        builder,
        _sine(60).to_frame(),
        lookback=6,
        horizon=2,
        folds=2,
        epochs=1,
        refit=False,  # one training: Keras fits are the slow part
        name="lstm",
        baselines=["naive"],
    )
    preds = result.forecasts.query("model == 'lstm'")["y_pred"]
    assert len(preds) == 4 and np.isfinite(preds).all()


# ------------------------------------------------------------------ leakage guards


def _assert_unchanged(before, after, what):
    np.testing.assert_allclose(before, after, rtol=0, atol=1e-9, err_msg=what)


def _check_windows_guard(window_fn):
    series = np.arange(40.0)
    spike_at = 25
    X, y = window_fn(series)
    Xs, ys = window_fn(_spiked(pd.Series(series), spike_at).to_numpy())
    last_clean = spike_at - 5 - 1  # windows ending (target included) before the spike
    _assert_unchanged(X[: last_clean + 1], Xs[: last_clean + 1], "windows")
    _assert_unchanged(y[: last_clean + 1], ys[: last_clean + 1], "targets")


def test_guard_windows_unchanged_by_the_future():
    _check_windows_guard(lambda s: make_windows(s, 4, horizon=1))


def test_guard_windows_catches_a_leaky_windowing():
    def leaky(s):  # normalizes every window by the series' overall maximum
        X, y = make_windows(s, 4, horizon=1)
        return X / s.max(), y / s.max()

    with pytest.raises(AssertionError):
        _check_windows_guard(leaky)


def _scaled_past(series, origin, fit_rows):
    scaler = SeriesScaler("standard").fit(fit_rows(series, origin))
    return scaler.transform(series.iloc[: origin + 1])


def _check_scaler_guard(fit_rows):
    series = _sine(50).to_frame()
    origin = 30
    before = _scaled_past(series, origin, fit_rows)
    after = _scaled_past(_spiked(series, origin + 1), origin, fit_rows)
    _assert_unchanged(before, after, "scaled history")


def test_guard_scaler_fitted_on_the_past_is_unchanged_by_the_future():
    _check_scaler_guard(lambda s, origin: s.iloc[: origin + 1])


def test_guard_scaler_catches_a_scaler_fitted_on_all_rows():
    with pytest.raises(AssertionError):
        _check_scaler_guard(lambda s, origin: s)


class _LeakyScaler(SeriesScaler):
    """The classic mistake: statistics from every row, whatever `fit` is given."""

    def __init__(self, all_rows):
        super().__init__("standard")
        self.all_rows = all_rows

    def fit(self, data):
        return super().fit(self.all_rows)


def _ridge_backtest(series, scaler):
    return walk_forward_backtest(
        Ridge(alpha=10.0),
        series,
        lookback=5,
        horizon=2,
        folds=6,
        scaler=scaler(series),
        name="ridge",
    )


def _check_backtest_guard(scaler):
    series = _sine(80).to_frame()
    clean = _ridge_backtest(series, scaler)
    spike_fold = 3
    origin = clean.folds["origin"].iloc[spike_fold]
    position = series.index.get_loc(origin) + 1  # first row after that origin
    spiked = _ridge_backtest(_spiked(series, position), scaler)
    f, g = clean.forecasts, spiked.forecasts
    made_before = f["origin"] <= origin
    assert made_before.sum() == 4 * (spike_fold + 1) * 2  # 4 models, 2 steps
    _assert_unchanged(
        f.loc[made_before, "y_pred"], g.loc[made_before, "y_pred"], "forecasts"
    )


def test_guard_backtest_forecasts_unchanged_by_the_future():
    _check_backtest_guard(lambda series: "standard")


def test_guard_backtest_catches_a_leaky_scaler():
    with pytest.raises(AssertionError):
        _check_backtest_guard(lambda series: lambda: _LeakyScaler(series))


class _SpyScaler(SeriesScaler):
    seen: list = []

    def fit(self, data):
        _SpyScaler.seen.append(data.index.max())
        return super().fit(data)


def _fits_seen(scaler_factory):
    _SpyScaler.seen = []
    series = _sine(80).to_frame()
    result = walk_forward_backtest(
        Ridge(), series, lookback=5, folds=4, scaler=scaler_factory(series)
    )
    return result.folds["origin"].tolist(), list(_SpyScaler.seen)


def test_guard_each_fold_scaler_saw_nothing_after_its_origin():
    origins, seen = _fits_seen(lambda series: _SpyScaler)
    assert len(seen) == len(origins) == 4
    for origin, latest in zip(origins, seen, strict=True):
        assert latest == origin  # the whole history, and nothing after it


def test_guard_timestamps_catch_a_leaky_scaler():
    class LeakySpy(_SpyScaler):
        def __init__(self, all_rows):
            super().__init__()
            self.all_rows = all_rows

        def fit(self, data):
            return super().fit(self.all_rows)

    origins, seen = _fits_seen(lambda series: lambda: LeakySpy(series))
    assert any(latest > origin for origin, latest in zip(origins, seen, strict=True))


# ------------------------------------------------------------------ bad input


def test_horizon_longer_than_the_test_part():
    series = _sine(30)
    with pytest.raises(ValueError, match="`horizon` must fit in the test part"):
        walk_forward_backtest(
            None, series, lookback=3, horizon=5, start=series.index[27]
        )


def test_more_folds_than_the_series_allows():
    with pytest.raises(
        ValueError, match=r"`folds` must leave at least 7 rows.*at most 16 fold"
    ):
        walk_forward_backtest(Ridge(), _sine(40), lookback=5, horizon=2, folds=20)


def test_folds_and_start_exclusive():
    with pytest.raises(ValueError, match="exactly one of `folds`"):
        walk_forward_backtest(None, _sine(), lookback=3)
    with pytest.raises(ValueError, match="exactly one of `folds`"):
        walk_forward_backtest(None, _sine(), lookback=3, folds=2, start=50)


def test_nan_gap_in_the_series():
    series = _sine(40)
    series.iloc[10] = np.nan
    with pytest.raises(ValueError, match="no NaN gaps.*2024-01-11"):
        walk_forward_backtest(None, series, lookback=3, folds=2)


def test_gaps_in_the_dates():
    series = _sine(40)
    series.index = series.index.insert(5, pd.NaT)[:-1]
    with pytest.raises(ValueError, match="without missing \\(NaT\\)"):
        walk_forward_backtest(None, series, lookback=3, folds=2)


def test_unsorted_and_duplicate_dates():
    series = _sine(40)
    with pytest.raises(ValueError, match="sorted by time"):
        walk_forward_backtest(None, series.iloc[::-1], lookback=3, folds=2)
    doubled = series.copy()
    doubled.index = doubled.index.where(np.arange(40) != 3, doubled.index[2])
    with pytest.raises(ValueError, match="one row per time step"):
        walk_forward_backtest(None, doubled, lookback=3, folds=2)


def test_non_numeric_column():
    frame = pd.DataFrame({"y": np.arange(20.0), "note": ["x"] * 20})
    with pytest.raises(TypeError, match="column 'note' of dtype"):
        walk_forward_backtest(None, frame, lookback=3, folds=2, target="y")


def test_target_required_and_checked():
    frame = pd.DataFrame({"a": np.arange(20.0), "b": np.arange(20.0)})
    with pytest.raises(ValueError, match="`target` must be the label"):
        walk_forward_backtest(None, frame, lookback=3, folds=2)
    with pytest.raises(ValueError, match="`target` must be a column of `series`"):
        walk_forward_backtest(None, frame, lookback=3, folds=2, target="Close")


def test_model_fn_with_the_wrong_output_shape():
    with pytest.raises(ValueError, match=r"model_fn\['bad'\]` must forecast 2 value"):
        walk_forward_backtest(
            {"bad": lambda: lambda history, horizon: np.zeros(horizon + 1)},
            _sine(),
            lookback=3,
            horizon=2,
            folds=2,
        )


def test_keras_model_with_the_wrong_output_shape():
    from rnn_zoo.models import build_forecaster

    def wrong(lookback, n_features, horizon):
        return build_forecaster(lookback, n_features, horizon=horizon + 1, units=2)

    with pytest.raises(ValueError, match="must forecast 2 value.*horizon=2"):
        walk_forward_backtest(wrong, _sine(40), lookback=3, horizon=2, folds=2)


def test_model_fn_that_cannot_forecast():
    with pytest.raises(TypeError, match="It returned a str"):
        walk_forward_backtest(lambda: "lstm", _sine(), lookback=3, folds=2)


def test_bad_options():
    with pytest.raises(ValueError, match="`mode` must be one of"):
        walk_forward_backtest(None, _sine(), lookback=3, folds=2, mode="rolling")
    with pytest.raises(TypeError, match="`window` must be an integer"):
        walk_forward_backtest(None, _sine(), lookback=3, folds=2, mode="sliding")
    with pytest.raises(ValueError, match="`baselines` must be one of"):
        walk_forward_backtest(None, _sine(), lookback=3, folds=2, baselines=["arima"])
    with pytest.raises(ValueError, match="`target_transform` must be"):
        walk_forward_backtest(
            None, _sine() - 100, lookback=3, folds=2, target_transform="log_returns"
        )
