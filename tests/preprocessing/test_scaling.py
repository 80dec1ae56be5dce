"""Tests for rnn_zoo.preprocessing.scaling: SeriesScaler, returns and differencing."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from rnn_zoo.preprocessing import (
    SeriesScaler,
    difference,
    from_log_returns,
    from_returns,
    to_log_returns,
    to_returns,
    undifference,
)

KINDS = ["standard", "minmax"]


def _frame(n: int = 6) -> pd.DataFrame:
    index = pd.date_range("2024-01-01", periods=n, freq="D")
    return pd.DataFrame(
        {"Open": np.arange(1.0, n + 1), "Close": 10.0 * np.arange(1, n + 1)},
        index=index,
    )


# ------------------------------------------------------------------ golden values


def test_standard_golden_values_on_arange():
    scaler = SeriesScaler("standard").fit(np.arange(4.0))
    assert scaler.n_features_ == 1
    assert scaler.feature_names_ is None
    np.testing.assert_allclose(scaler.center_, [1.5], rtol=0)
    np.testing.assert_allclose(scaler.scale_, [np.sqrt(1.25)], rtol=1e-15)
    assert scaler.offset_ == 0.0
    expected = (np.arange(4.0) - 1.5) / np.sqrt(1.25)
    np.testing.assert_allclose(scaler.transform(np.arange(4.0)), expected, rtol=1e-15)


def test_minmax_golden_values_on_arange():
    scaler = SeriesScaler("minmax").fit(np.arange(4.0))
    np.testing.assert_array_equal(scaler.center_, [0.0])
    np.testing.assert_array_equal(scaler.scale_, [3.0])
    np.testing.assert_allclose(
        scaler.transform(np.arange(4.0)), [0.0, 1 / 3, 2 / 3, 1.0], rtol=1e-15
    )


def test_minmax_custom_feature_range_maps_train_range_onto_it():
    data = np.arange(10.0).reshape(5, 2)  # columns 0,2,..8 and 1,3,..9
    scaler = SeriesScaler("minmax", feature_range=(-1, 1)).fit(data)
    out = scaler.transform(data)
    np.testing.assert_allclose(out[0], [-1.0, -1.0])
    np.testing.assert_allclose(out[-1], [1.0, 1.0])
    np.testing.assert_allclose(out[2], [0.0, 0.0], atol=1e-15)
    assert scaler.offset_ == -1.0


@pytest.mark.parametrize(
    ("kind", "reference"), [("standard", StandardScaler), ("minmax", MinMaxScaler)]
)
def test_matches_scikit_learn_on_2d(kind, reference, rng):
    data = rng.normal(size=(7, 3)) * [1.0, 10.0, 100.0]
    ours = SeriesScaler(kind).fit_transform(data)
    np.testing.assert_allclose(ours, reference().fit_transform(data), rtol=1e-12)


def test_3d_windows_pool_windows_and_timesteps_as_rows():
    windows = np.arange(24.0).reshape(2, 4, 3)  # (windows, timesteps, features)
    scaler = SeriesScaler("standard").fit(windows)
    flat = windows.reshape(-1, 3)
    np.testing.assert_allclose(scaler.center_, flat.mean(axis=0))
    np.testing.assert_allclose(scaler.scale_, flat.std(axis=0))
    out = scaler.transform(windows)
    assert out.shape == (2, 4, 3)
    np.testing.assert_allclose(out.reshape(-1, 3).mean(axis=0), 0.0, atol=1e-15)


# ------------------------------------------------------------------ round trips


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("shape", [(5,), (5, 2), (2, 5, 3)])
def test_inverse_of_transform_is_identity_on_arrays(kind, shape, rng):
    data = rng.normal(size=shape) * 50 + 7
    scaler = SeriesScaler(kind, feature_range=(-2, 3)).fit(data)
    scaled = scaler.transform(data)
    assert scaled.shape == shape
    np.testing.assert_allclose(scaler.inverse_transform(scaled), data, rtol=1e-12)


@pytest.mark.parametrize("kind", KINDS)
def test_dataframe_in_dataframe_out_with_same_index_and_columns(kind):
    frame = _frame()
    scaler = SeriesScaler(kind).fit(frame)
    assert scaler.feature_names_ == ["Open", "Close"]
    scaled = scaler.transform(frame)
    assert isinstance(scaled, pd.DataFrame)
    pd.testing.assert_index_equal(scaled.index, frame.index)
    pd.testing.assert_index_equal(scaled.columns, frame.columns)
    back = scaler.inverse_transform(scaled)
    np.testing.assert_allclose(back.to_numpy(), frame.to_numpy(), rtol=1e-12)
    pd.testing.assert_index_equal(back.index, frame.index)


def test_series_in_series_out():
    series = pd.Series([1.0, 2.0, 3.0], index=[10, 20, 30], name="Close")
    scaler = SeriesScaler("minmax").fit(series)
    scaled = scaler.transform(series)
    assert isinstance(scaled, pd.Series)
    assert scaled.name == "Close"
    assert scaled.index.tolist() == [10, 20, 30]
    assert scaled.tolist() == [0.0, 0.5, 1.0]
    np.testing.assert_allclose(scaler.inverse_transform(scaled), series, rtol=1e-12)


def test_dtypes_follow_the_package_float_rule():
    scaler = SeriesScaler().fit([1, 2, 3])
    assert scaler.transform(np.array([1, 2, 3])).dtype == np.float32
    assert scaler.transform(np.array([1, 2, 3], dtype=np.float32)).dtype == np.float32
    assert scaler.transform(np.array([1.0, 2.0, 3.0])).dtype == np.float64
    # integers float32 would round give float64, as in make_windows
    assert scaler.transform(np.array([2**24 + 1])).dtype == np.float64
    with pytest.raises(ValueError, match="`data` must hold integers that float64"):
        scaler.transform(np.array([2**53 + 1]))


# ------------------------------------------------------------------ leakage


@pytest.mark.parametrize("kind", KINDS)
def test_fit_on_train_rows_uses_train_statistics_only(kind):
    series = np.arange(10.0).reshape(-1, 1) ** 2
    train, test = series[:6], series[6:]
    scaler = SeriesScaler(kind).fit(train)
    whole = SeriesScaler(kind).fit(series)
    if kind == "standard":
        np.testing.assert_allclose(scaler.center_, [train.mean()])
        np.testing.assert_allclose(scaler.scale_, [train.std()])
    else:
        np.testing.assert_allclose(scaler.center_, [0.0])
        np.testing.assert_allclose(scaler.scale_, [25.0])  # train max 25, min 0
        # Test values beyond the train range land outside [0, 1]: no peeking.
        assert scaler.transform(test).min() > 1.0
    assert not np.allclose(scaler.scale_, whole.scale_)


# ------------------------------------------------------------------ target columns


def test_inverse_of_target_column_predictions_3d():
    frame = _frame()  # Close = 10, 20, ..., 60
    scaler = SeriesScaler("minmax").fit(frame)
    y_pred = np.array([[[0.0], [0.5]], [[1.0], [0.2]]])  # (batch, horizon, 1)
    by_name = scaler.inverse_transform(y_pred, columns=["Close"])
    by_position = scaler.inverse_transform(y_pred, columns=1)
    assert by_name.shape == (2, 2, 1)
    np.testing.assert_allclose(by_name[..., 0], [[10.0, 35.0], [60.0, 20.0]])
    np.testing.assert_array_equal(by_name, by_position)
    # Transform with the same columns is the forward map.
    np.testing.assert_allclose(
        scaler.transform(by_name, columns="Close"), y_pred, atol=1e-15
    )


def test_target_columns_in_a_different_order_use_their_own_statistics():
    frame = _frame()
    scaler = SeriesScaler("standard").fit(frame)
    both = scaler.transform(frame).to_numpy()
    swapped = scaler.inverse_transform(both[:, ::-1], columns=["Close", "Open"])
    np.testing.assert_allclose(swapped, frame.to_numpy()[:, ::-1], rtol=1e-12)


def test_dataframe_with_target_columns_subset():
    frame = _frame()
    scaler = SeriesScaler("minmax").fit(frame)
    close = scaler.transform(frame[["Close"]], columns=["Close"])
    np.testing.assert_allclose(close["Close"], np.linspace(0, 1, 6))
    back = scaler.inverse_transform(close, columns=["Close"])
    np.testing.assert_allclose(back["Close"], frame["Close"], rtol=1e-12)


# ------------------------------------------------------------------ constant columns


@pytest.mark.parametrize(("kind", "expected"), [("standard", 0.0), ("minmax", -1.0)])
def test_constant_column_warns_and_maps_to_offset(kind, expected):
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0], "flat": [0.1, 0.1, 0.1]})
    scaler = SeriesScaler(kind, feature_range=(-1, 1))
    with pytest.warns(UserWarning, match=r"Constant feature\(s\) \['flat'\]"):
        scaler.fit(frame)
    out = scaler.transform(frame).to_numpy()
    assert np.isfinite(out).all()
    np.testing.assert_allclose(out[:, 1], expected, rtol=0, atol=1e-15)
    np.testing.assert_allclose(scaler.inverse_transform(out), frame, rtol=1e-12)


def test_constant_column_of_array_named_by_position():
    data = np.column_stack([np.full(4, 5.0), np.arange(4.0)])
    with pytest.warns(UserWarning, match=r"Constant feature\(s\) \[0\]"):
        SeriesScaler().fit(data)


def test_no_warning_for_non_constant_data():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        SeriesScaler().fit(np.arange(4.0))


# ------------------------------------------------------------------ serialization


@pytest.mark.parametrize("kind", KINDS)
def test_json_round_trip_is_exact(kind, tmp_path, rng):
    frame = pd.DataFrame(rng.normal(size=(6, 2)), columns=["x", "y"])
    scaler = SeriesScaler(kind, feature_range=(-1, 2)).fit(frame)
    for clone in (
        SeriesScaler.from_json(scaler.to_json()),
        SeriesScaler.from_config(json.loads(json.dumps(scaler.get_config()))),
    ):
        assert clone.get_config() == scaler.get_config()
        np.testing.assert_array_equal(clone.center_, scaler.center_)
        np.testing.assert_array_equal(clone.scale_, scaler.scale_)
        assert clone.offset_ == scaler.offset_
        assert clone.feature_names_ == ["x", "y"]
        pd.testing.assert_frame_equal(clone.transform(frame), scaler.transform(frame))
    path = tmp_path / "scaler.json"
    scaler.save(path)
    assert json.loads(path.read_text())["kind"] == kind
    loaded = SeriesScaler.load(str(path))
    np.testing.assert_array_equal(loaded.transform(frame), scaler.transform(frame))


def test_unfitted_config_round_trip_and_repr():
    scaler = SeriesScaler("minmax", feature_range=(np.int64(-1), 1))
    config = scaler.get_config()
    assert config == {"kind": "minmax", "feature_range": [-1, 1], "state": None}
    clone = SeriesScaler.from_json(scaler.to_json())
    assert repr(clone) == "SeriesScaler(kind='minmax', feature_range=(-1, 1))"
    assert getattr(clone, "scale_", None) is None


def test_get_config_rejects_column_names_json_cannot_hold():
    frame = pd.DataFrame(np.arange(4.0).reshape(2, 2), columns=[("a", 1), ("b", 2)])
    scaler = SeriesScaler().fit(frame)
    with pytest.raises(TypeError, match="`feature_names_` must be a list of strings"):
        scaler.get_config()


@pytest.mark.parametrize(
    "config",
    [
        {"kind": "standard"},
        {"kind": "standard", "feature_range": [0, 1], "state": None, "extra": 1},
        ["kind"],
    ],
)
def test_from_config_rejects_wrong_keys(config):
    with pytest.raises(ValueError, match="`config` must be a dict with keys"):
        SeriesScaler.from_config(config)


@pytest.mark.parametrize(
    "state",
    [
        {"n_features": 2, "center": [0.0], "scale": [1.0], "feature_names": None},
        {"n_features": 1, "center": [0.0], "scale": [0.0], "feature_names": None},
        {"n_features": 1, "center": [None], "scale": [1.0], "feature_names": None},
        {"n_features": 1, "center": [0.0], "scale": [1.0], "feature_names": ["a", "b"]},
        {"n_features": 1, "center": [0.0], "scale": [1.0]},
        "fitted",
    ],
)
def test_from_config_rejects_inconsistent_state(state):
    config = {"kind": "standard", "feature_range": [0, 1], "state": state}
    with pytest.raises(ValueError, match=r"`config\['state'\]` must be None or a dict"):
        SeriesScaler.from_config(config)


def test_from_config_validates_kind():
    config = {"kind": "maxabs", "feature_range": [0, 1], "state": None}
    with pytest.raises(ValueError, match="`kind` must be one of 'standard', 'minmax'"):
        SeriesScaler.from_config(config)


def test_from_json_errors():
    with pytest.raises(ValueError, match="`text` must be valid JSON"):
        SeriesScaler.from_json("{not json")
    with pytest.raises(TypeError, match="`text` must be a JSON string"):
        SeriesScaler.from_json({"kind": "standard"})


# ------------------------------------------------------------------ scaler errors


def test_unfitted_scaler_raises():
    for method in ("transform", "inverse_transform"):
        with pytest.raises(
            ValueError, match="This SeriesScaler instance is not fitted"
        ):
            getattr(SeriesScaler(), method)([1.0])


def test_unknown_kind():
    with pytest.raises(
        ValueError,
        match="`kind` must be one of 'standard', 'minmax', 'robust'. Received: kind=",
    ):
        SeriesScaler("maxabs").fit([1.0, 2.0])


@pytest.mark.parametrize(
    "feature_range", [(1, 0), (0, 0), (0,), (0, 1, 2), "01", (0, np.inf), (False, 1)]
)
def test_bad_feature_range(feature_range):
    with pytest.raises(ValueError, match="`feature_range` must be a pair of finite"):
        SeriesScaler("minmax", feature_range=feature_range).fit([1.0, 2.0])


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ([], "`data` must be non-empty"),
        (np.zeros((3, 0)), "`data` must be non-empty"),
        (5.0, "`data` must be a 1-D or 2-D or 3-D array"),
        (np.zeros((1, 2, 3, 4)), "`data` must be a 1-D or 2-D or 3-D array"),
        ([1.0, np.nan], r"`data` must contain only finite values.*index \(1,\)"),
        ([1.0, np.inf], "`data` must contain only finite values"),
        ([-1e308, 1e308], "`data` must be within float64 range"),
    ],
)
def test_bad_fit_data(data, match):
    with pytest.raises(ValueError, match=match):
        SeriesScaler("minmax").fit(data)


def test_non_numeric_data_is_a_type_error():
    with pytest.raises(TypeError, match="`data` must be numeric"):
        SeriesScaler().fit(["a", "b"])
    frame = pd.DataFrame({"date": ["2024-01-01", "2024-01-02"], "x": [1.0, 2.0]})
    with pytest.raises(TypeError, match="`data` must be numeric"):
        SeriesScaler().fit(frame)


def test_nan_in_nullable_dataframe_is_reported():
    frame = pd.DataFrame({"x": pd.array([1, None, 3], dtype="Int64")})
    with pytest.raises(ValueError, match=r"finite values.*index \(1, 0\)"):
        SeriesScaler().fit(frame)


@pytest.mark.parametrize(
    ("data", "columns", "match"),
    [
        (
            np.zeros((2, 3)),
            None,
            r"`data` must have 2 feature\(s\) on its last axis \(the scaler was "
            r"fitted on 2\)\. Received: data with 3 feature\(s\)",
        ),
        (np.zeros(4), None, r"must have 2 feature\(s\).*Received: data with 1"),
        (
            np.zeros((2, 5, 2)),
            ["Close"],
            r"`data` must have 1 feature\(s\) on its last axis \(one per entry of "
            r"`columns`\)\. Received: data with 2 feature\(s\), shape \(2, 5, 2\)",
        ),
    ],
)
def test_wrong_number_of_features(data, columns, match):
    scaler = SeriesScaler().fit(_frame())
    for method in (scaler.transform, scaler.inverse_transform):
        with pytest.raises(ValueError, match=match):
            method(data, columns=columns)


@pytest.mark.parametrize("columns", [["Volume"], [2], [-3], [True], [1.5]])
def test_unknown_column_lists_known_columns(columns):
    scaler = SeriesScaler().fit(_frame())
    with pytest.raises(
        ValueError,
        match=r"`columns` must name existing columns: column labels "
        r"\['Open', 'Close'\] or positions 0 to 1 .*Received: columns entry",
    ):
        scaler.inverse_transform(np.zeros((2, 1)), columns=columns)


def test_column_names_need_a_dataframe_fit():
    scaler = SeriesScaler().fit(np.arange(6.0).reshape(3, 2))
    with pytest.raises(ValueError, match=r"columns: positions 0 to 1 .*Received"):
        scaler.transform(np.zeros(3), columns="Close")


def test_bad_columns_type_and_empty_columns():
    scaler = SeriesScaler().fit(_frame())
    with pytest.raises(TypeError, match="`columns` must be a column label or position"):
        scaler.transform(np.zeros((2, 1)), columns={"Close"})
    with pytest.raises(ValueError, match="`columns` must be a non-empty list"):
        scaler.transform(np.zeros((2, 1)), columns=[])


def test_dataframe_columns_must_match_fitted_names():
    frame = _frame()
    scaler = SeriesScaler().fit(frame)
    with pytest.raises(
        ValueError, match=r"`data` must have the columns \['Open', 'Close'\]"
    ):
        scaler.transform(frame[["Close", "Open"]])
    # Plain arrays carry no names and are accepted.
    assert scaler.transform(frame.to_numpy()).shape == (6, 2)


def test_nan_in_transform_input():
    scaler = SeriesScaler().fit([1.0, 2.0])
    with pytest.raises(ValueError, match="`data` must contain only finite values"):
        scaler.inverse_transform([np.nan])


# ------------------------------------------------------------------ returns


def test_returns_golden_values_and_inverse():
    prices = np.array([100.0, 110.0, 99.0, 99.0])
    returns = to_returns(prices)
    np.testing.assert_allclose(returns, [0.1, -0.1, 0.0], atol=1e-15)
    np.testing.assert_allclose(from_returns(returns, prices[0]), prices, rtol=1e-14)


def test_predicted_return_maps_to_next_price():
    history = np.array([40.0, 50.0])
    next_prices = from_returns([0.02, -0.5], initial=history[-1])
    np.testing.assert_allclose(next_prices, [50.0, 51.0, 25.5])


def test_log_returns_golden_values_and_inverse():
    prices = np.exp(np.arange(5.0) ** 2)  # log returns 1, 3, 5, 7
    log_returns = to_log_returns(prices)
    np.testing.assert_allclose(log_returns, [1.0, 3.0, 5.0, 7.0], rtol=1e-12)
    np.testing.assert_allclose(
        from_log_returns(log_returns, prices[0]), prices, rtol=1e-12
    )


@pytest.mark.parametrize(
    ("forward", "backward"),
    [(to_returns, from_returns), (to_log_returns, from_log_returns)],
)
def test_returns_2d_are_column_wise(forward, backward):
    prices = np.array([[1.0, 10.0], [2.0, 5.0], [4.0, 20.0]])
    changes = forward(prices)
    assert changes.shape == (2, 2)
    np.testing.assert_allclose(forward(prices[:, 1]), changes[:, 1])
    for initial in (prices[0], prices[:1]):
        np.testing.assert_allclose(backward(changes, initial), prices, rtol=1e-14)


def test_returns_pandas_keep_index():
    frame = _frame(4)
    returns = to_returns(frame)
    assert isinstance(returns, pd.DataFrame)
    pd.testing.assert_index_equal(returns.index, frame.index[1:])
    np.testing.assert_allclose(returns["Close"], [1.0, 0.5, 1 / 3])
    # An initial row sliced from the prices brings back the first label.
    back = from_returns(returns, frame.iloc[:1])
    pd.testing.assert_frame_equal(back, frame, check_freq=False)
    # A plain initial row cannot know the label: fresh RangeIndex.
    back = from_returns(returns, frame.iloc[0])
    pd.testing.assert_index_equal(back.index, pd.RangeIndex(4))
    np.testing.assert_allclose(back.to_numpy(), frame.to_numpy())


def test_log_returns_series_keep_index_and_name():
    prices = pd.Series([1.0, np.e, np.e**3], index=list("abc"), name="Close")
    log_returns = to_log_returns(prices)
    assert log_returns.index.tolist() == ["b", "c"]
    assert log_returns.name == "Close"
    back = from_log_returns(log_returns, prices.iloc[:1])
    pd.testing.assert_series_equal(back, prices, rtol=1e-12)


@pytest.mark.parametrize("forward", [to_returns, to_log_returns])
@pytest.mark.parametrize(
    ("prices", "match"),
    [
        (
            [1.0, 2.0, 0.0],
            r"`prices` must contain only values > 0 \(.*\)\. Received: prices with "
            r"0\.0 at index \(2,\)",
        ),
        ([[1.0, 2.0], [-3.0, 4.0]], r"values > 0.*-3\.0 at index \(1, 0\)"),
        ([1.0], r"`prices` must be an array with at least 2 row\(s\)"),
        ([1.0, np.nan], "`prices` must contain only finite values"),
        (np.ones((2, 2, 2)), "`prices` must be a 1-D or 2-D array"),
    ],
)
def test_bad_prices(forward, prices, match):
    with pytest.raises(ValueError, match=match):
        forward(prices)


@pytest.mark.parametrize("backward", [from_returns, from_log_returns])
@pytest.mark.parametrize(
    ("changes", "initial", "match"),
    [
        ([], 1.0, r"at least 1 row\(s\)"),
        ([0.1, np.inf], 1.0, "must contain only finite values"),
        ([0.1], 0.0, r"`initial` must contain only values > 0.*index \(0,\)"),
        ([0.1], np.nan, "`initial` must contain only finite values"),
        ([0.1], [1.0, 2.0], "`initial` must be a single row of prices"),
        ([[0.1, 0.2]], [1.0, 2.0, 3.0], r"`initial` must be the rows before"),
        ([[0.1, 0.2]], 1.0, r"shape \(rows, \*\(2,\)\)"),
        ([0.1], [[1.0]], r"`initial` must be the rows before `\w+` starts"),
    ],
)
def test_bad_returns_or_initial(backward, changes, initial, match):
    with pytest.raises(ValueError, match=match):
        backward(changes, initial)


def test_returns_of_minus_one_or_less_are_rejected():
    with pytest.raises(
        ValueError,
        match=r"`returns` must contain only values > -1 \(a return of -1 would mean "
        r"a price of 0\)\. Received: returns with -1\.5 at index \(1,\)",
    ):
        from_returns([0.1, -1.5], 10.0)


# ------------------------------------------------------------------ differencing


def test_difference_golden_values_and_inverse():
    x = np.arange(6.0) ** 2  # 0 1 4 9 16 25
    np.testing.assert_array_equal(difference(x), [1, 3, 5, 7, 9])
    np.testing.assert_array_equal(difference(x, order=2), [2, 2, 2, 2])
    np.testing.assert_array_equal(difference(x, order=3), [0, 0, 0])
    for order in (1, 2, 3):
        np.testing.assert_array_equal(
            undifference(difference(x, order=order), x[:order]), x
        )


def test_undifference_continues_a_series_from_its_last_values():
    x = np.arange(5.0) ** 2  # next squares: 25, 36
    np.testing.assert_array_equal(undifference([9.0, 11.0], x[-1:]), [16, 25, 36])
    np.testing.assert_array_equal(undifference([2.0, 2.0], x[-2:]), [9, 16, 25, 36])
    np.testing.assert_array_equal(undifference([9.0], 16.0), [16, 25])


def test_difference_2d_and_pandas():
    frame = _frame(5)
    diffs = difference(frame, order=2)
    assert isinstance(diffs, pd.DataFrame)
    pd.testing.assert_index_equal(diffs.index, frame.index[2:])
    np.testing.assert_array_equal(diffs.to_numpy(), np.zeros((3, 2)))
    back = undifference(diffs, frame.iloc[:2])
    pd.testing.assert_frame_equal(back, frame, check_freq=False)
    arr = frame.to_numpy()
    np.testing.assert_array_equal(undifference(difference(arr), arr[0]), arr)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        (
            {"order": 0},
            ValueError,
            "`order` must be a positive integer. Received: order=0",
        ),
        ({"order": 1.0}, TypeError, "`order` must be a positive integer"),
        ({"order": 4}, ValueError, r"`series` must be an array with at least 5 row"),
    ],
)
def test_bad_difference_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        difference([1.0, 2.0, 3.0, 4.0], **kwargs)


def test_difference_rejects_nan():
    with pytest.raises(ValueError, match=r"`series` must contain only finite.*\(2,\)"):
        difference([1.0, 2.0, np.nan])


@pytest.mark.parametrize(
    ("diffs", "initial", "match"),
    [
        ([1.0], [], "`initial` must be the rows before `diffs` starts"),
        ([[1.0, 2.0]], [[1.0, 2.0, 3.0]], r"shape \(rows, \*\(2,\)\)"),
        ([1.0], [[1.0]], "`initial` must be the rows before `diffs` starts"),
        ([1.0], [np.nan], "`initial` must contain only finite values"),
        ([], [1.0], r"`diffs` must be an array with at least 1 row"),
    ],
)
def test_bad_undifference_arguments(diffs, initial, match):
    with pytest.raises(ValueError, match=match):
        undifference(diffs, initial)


# ------------------------------------------------------------------ properties

_positive_prices = hnp.arrays(
    np.float64,
    st.tuples(st.integers(2, 30), st.integers(1, 3)),
    elements=st.floats(1.0, 1000.0),
)


@settings(max_examples=40, deadline=None)
@given(prices=_positive_prices)
def test_property_returns_round_trip(prices):
    np.testing.assert_allclose(
        from_returns(to_returns(prices), prices[0]), prices, rtol=1e-10
    )
    np.testing.assert_allclose(
        from_log_returns(to_log_returns(prices), prices[0]), prices, rtol=1e-10
    )


@settings(max_examples=40, deadline=None)
@given(x=_positive_prices, order=st.integers(1, 2))
def test_property_difference_round_trip(x, order):
    if len(x) <= order:
        x = np.concatenate([x, x])
    np.testing.assert_allclose(
        undifference(difference(x, order=order), x[:order]), x, rtol=1e-9, atol=1e-9
    )
    np.testing.assert_allclose(
        undifference(difference(x[:, 0], order=order), x[:order, 0]),
        x[:, 0],
        rtol=1e-9,
        atol=1e-9,
    )


@settings(max_examples=30, deadline=None)
@given(
    data=hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=1, max_dims=3, min_side=2, max_side=5),
        elements=st.floats(-1e6, 1e6),
    ),
    kind=st.sampled_from(KINDS),
)
def test_property_scaler_round_trip(data, kind):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # constant columns
        scaler = SeriesScaler(kind).fit(data)
    back = scaler.inverse_transform(scaler.transform(data))
    np.testing.assert_allclose(back, data, rtol=1e-9, atol=1e-6)


# --------------------------- issue 11 row 2: built on scikit-learn's scalers


def test_near_constant_feature_is_treated_as_constant_like_scikit_learn():
    data = [[1.0], [1.0 + 2.2e-16], [1.0]]
    with pytest.warns(UserWarning, match="Constant feature"):
        scaler = SeriesScaler("standard").fit(data)
    expected = StandardScaler().fit(data).transform([[1.1]])
    np.testing.assert_allclose(scaler.transform([[1.1]]), expected, rtol=1e-12)
    assert abs(scaler.transform([[1.1]])[0, 0] - 0.1) < 1e-9  # not 7.8e14


def test_robust_kind_matches_scikit_learn(rng):
    from sklearn.preprocessing import RobustScaler

    data = rng.normal(size=(9, 2)) * [1.0, 50.0]
    data[0, 0] = 100.0  # an outlier the robust scaler shrugs off
    scaler = SeriesScaler("robust").fit(data)
    np.testing.assert_allclose(
        scaler.transform(data), RobustScaler().fit_transform(data), rtol=1e-12
    )
    clone = SeriesScaler.from_json(scaler.to_json())
    np.testing.assert_array_equal(clone.transform(data), scaler.transform(data))
    np.testing.assert_allclose(
        clone.inverse_transform(clone.transform(data)[:, 1:], columns=[1]),
        data[:, 1:],
        rtol=1e-12,
    )
