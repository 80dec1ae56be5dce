"""make_windows, windows_dataset and time_split: golden values, properties, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from rnn_zoo.preprocessing.windows import make_windows, time_split, windows_dataset

PROPERTY = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def _rows(values: np.ndarray, n_features: int) -> np.ndarray:
    """Row numbers of a table built as ``np.arange(rows * n_features)``."""
    return (values[..., 0] // n_features).astype(int)


def _dataset_arrays(ds) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = zip(*[(x.numpy(), y.numpy()) for x, y in ds], strict=True)
    return np.concatenate(xs), np.concatenate(ys)


# --------------------------------------------------------------------------- golden


def test_make_windows_golden_arange():
    X, y = make_windows(np.arange(7), 3, horizon=2, stride=2)
    np.testing.assert_array_equal(X[:, :, 0], [[0, 1, 2], [2, 3, 4]])
    np.testing.assert_array_equal(y[:, :, 0], [[3, 4], [5, 6]])
    assert X.shape == (2, 3, 1) and y.shape == (2, 2, 1)


def test_make_windows_drops_incomplete_trailing_rows():
    X, y = make_windows(np.arange(8), 3, horizon=2, stride=2)
    # starts 0 and 2 fit (rows 0..4, 2..6); start 4 would need row 8
    np.testing.assert_array_equal(X[:, 0, 0], [0, 2])
    np.testing.assert_array_equal(y[-1, :, 0], [5, 6])


def test_make_windows_exact_length_gives_one_window_and_large_stride():
    X, y = make_windows([1.0, 2.0, 3.0], 2, stride=100)
    np.testing.assert_array_equal(X, [[[1.0], [2.0]]])
    np.testing.assert_array_equal(y, [[[3.0]]])


def test_make_windows_multivariate_target_subset():
    data = np.arange(24).reshape(8, 3)  # row r = [3r, 3r+1, 3r+2]
    X, y = make_windows(data, 2, horizon=2, target_columns=[2, 0])
    assert X.shape == (5, 2, 3) and y.shape == (5, 2, 2)
    np.testing.assert_array_equal(X[1], [[3, 4, 5], [6, 7, 8]])
    np.testing.assert_array_equal(y[1], [[11, 9], [14, 12]])


DF_TARGETS = [
    ("price", [[20.0], [30.0]]),
    (["price", "volume"], [[20.0, 2.0], [30.0, 3.0]]),
    (1, [[20.0], [30.0]]),
    (-2, [[2.0], [3.0]]),
    (np.array([0]), [[2.0], [3.0]]),
    (pd.Index(["volume"]), [[2.0], [3.0]]),
]


def test_make_windows_dataframe_target_columns(subtests):
    df = pd.DataFrame(
        {"volume": np.arange(5.0), "price": np.arange(5.0) * 10},
        index=pd.date_range("2024-01-01", periods=5),
    )
    for target_columns, expected in DF_TARGETS:
        with subtests.test(target_columns=target_columns):
            X, y = make_windows(df, 2, target_columns=target_columns)
            assert X.shape == (3, 2, 2)
            np.testing.assert_array_equal(y[:2, 0, :], expected)


def test_make_windows_series_name_and_integer_labels():
    s = pd.Series([1.0, 2.0, 3.0], name="load")
    _, y = make_windows(s, 2, target_columns="load")
    np.testing.assert_array_equal(y, [[[3.0]]])
    # An integer that is a DataFrame label is the label, not the position.
    df = pd.DataFrame({5: [0.0, 1.0, 2.0], 0: [10.0, 11.0, 12.0]})
    _, y = make_windows(df, 2, target_columns=0)
    np.testing.assert_array_equal(y, [[[12.0]]])
    _, y = make_windows(df, 2, target_columns=5)
    np.testing.assert_array_equal(y, [[[2.0]]])


DTYPE_CASES = [
    (np.arange(5, dtype=np.float32), np.float32),
    (np.arange(5, dtype=np.float64), np.float64),
    (np.arange(5, dtype=np.int64), np.float32),
    (np.array([True, False, True, True, False]), np.float32),
    ([1, 2, 3, 4, 5], np.float32),
    ([1.0, 2.0, 3.0, 4.0, 5.0], np.float64),
    (
        pd.DataFrame({"a": np.arange(5.0, dtype="float32"), "b": range(5)}),
        np.float32,
    ),
    (pd.Series([1, 2, 3, 4, 5], dtype="Int64"), np.float32),
]


def test_make_windows_dtype(subtests):
    for data, dtype in DTYPE_CASES:
        with subtests.test(data=data):
            X, y = make_windows(data, 2)
            assert X.dtype == dtype and y.dtype == dtype


def test_make_windows_returns_copies():
    data = np.arange(6.0)
    X, y = make_windows(data, 2)
    X[:] = -1
    y[:] = -1
    np.testing.assert_array_equal(data, np.arange(6.0))


# --------------------------------------------------------------------------- properties


@PROPERTY
@given(
    length=st.integers(2, 40),
    lookback=st.integers(1, 8),
    horizon=st.integers(1, 4),
    stride=st.integers(1, 6),
    n_features=st.integers(1, 3),
)
def test_make_windows_property(length, lookback, horizon, stride, n_features):
    assume(length >= lookback + horizon)
    series = np.arange(length * n_features, dtype=np.float64).reshape(
        length, n_features
    )
    X, y = make_windows(series, lookback, horizon=horizon, stride=stride)
    n = (length - lookback - horizon) // stride + 1
    assert X.shape == (n, lookback, n_features)
    assert y.shape == (n, horizon, n_features)
    for i in range(n):
        start = i * stride
        np.testing.assert_array_equal(X[i], series[start : start + lookback])
        np.testing.assert_array_equal(
            y[i], series[start + lookback : start + lookback + horizon]
        )
    # the target is strictly after the inputs, in every window
    assert (_rows(X, n_features).max(axis=1) < _rows(y, n_features).min(axis=1)).all()
    # no complete window was dropped
    last_row_used = (n - 1) * stride + lookback + horizon - 1
    assert last_row_used < length <= last_row_used + stride


@st.composite
def _split_case(draw):
    weights = draw(st.lists(st.integers(1, 10), min_size=1, max_size=4))
    length = draw(st.integers(2 * sum(weights), 2 * sum(weights) + 40))
    fractions = tuple(w / sum(weights) for w in weights)
    return length, fractions


@PROPERTY
@given(case=_split_case(), lookback=st.integers(1, 3), horizon=st.integers(1, 2))
def test_time_split_property(case, lookback, horizon):
    length, fractions = case
    data = np.arange(length)
    parts = time_split(data, fractions)
    assert len(parts) == len(fractions)
    np.testing.assert_array_equal(np.concatenate(parts), data)  # ordered, complete
    for part, fraction in zip(parts, fractions, strict=True):
        assert len(part) >= 1
        assert abs(len(part) - fraction * length) <= 1
    # windows of a part only ever contain that part's rows
    for part in parts:
        if len(part) < lookback + horizon:
            continue
        X, y = make_windows(part, lookback, horizon=horizon)
        rows = np.concatenate([X[..., 0].ravel(), y[..., 0].ravel()])
        assert rows.min() >= part[0] and rows.max() <= part[-1]


def test_time_split_golden_and_types():
    train, val, test = time_split(np.arange(100))
    assert (len(train), len(val), len(test)) == (70, 15, 15)
    assert (train[-1], val[0], test[0]) == (69, 70, 85)
    (whole,) = time_split([1, 2, 3], [1.0])
    assert whole == [1, 2, 3]
    df = pd.DataFrame({"x": range(10)}, index=pd.date_range("2024-01-01", periods=10))
    first, second = time_split(df, np.array([0.6, 0.4]))
    assert isinstance(first, pd.DataFrame) and isinstance(second, pd.DataFrame)
    pd.testing.assert_frame_equal(pd.concat([first, second]), df)
    assert second.index[0] == pd.Timestamp("2024-01-07")
    a, b = time_split(("a", "b", "c", "d"), (0.5, 0.5))
    assert (a, b) == (("a", "b"), ("c", "d"))


def test_time_split_then_windows_never_straddle():
    df = pd.DataFrame({"row": np.arange(30), "value": np.arange(30) * 2.0})
    for part in time_split(df, (0.5, 0.25, 0.25)):
        X, y = make_windows(part, 3, horizon=2)
        used = set(X[..., 0].ravel()) | set(y[..., 0].ravel())
        assert used <= set(part["row"])


# --------------------------------------------------------------------------- errors

# (series, kwargs, error, match)
MAKE_WINDOWS_ERRORS = [
    (np.arange(9), {"lookback": 0}, ValueError, "`lookback` must be a positive"),
    (np.arange(9), {"lookback": -2}, ValueError, "Received: lookback=-2"),
    (np.arange(9), {"lookback": 2.0}, TypeError, "`lookback` must be a positive"),
    (np.arange(9), {"lookback": True}, TypeError, "`lookback` must be"),
    (np.arange(9), {"lookback": 2, "horizon": 0}, ValueError, "`horizon` must"),
    (np.arange(9), {"lookback": 2, "stride": 0}, ValueError, "`stride` must"),
    (
        np.arange(4),
        {"lookback": 3, "horizon": 2},
        ValueError,
        r"at least lookback \+ horizon = 5 rows .*Received: series with 4 rows",
    ),
    ([], {"lookback": 1}, ValueError, "Received: series with 0 rows"),
    (
        [1.0, np.nan, 3.0],
        {"lookback": 1},
        ValueError,
        r"`series` must contain only finite values.*index \(1, 0\)",
    ),
    ([1.0, np.inf, 3.0], {"lookback": 1}, ValueError, "only finite values"),
    (
        pd.Series([1, None, 3], dtype="Int64"),
        {"lookback": 1},
        ValueError,
        "only finite values",
    ),
    (np.zeros((4, 2, 2)), {"lookback": 1}, ValueError, "`series` must be a 1-D"),
    (np.float64(3.0), {"lookback": 1}, ValueError, "`series` must be a 1-D"),
    (np.zeros((4, 0)), {"lookback": 1}, ValueError, "at least one column"),
    ([[1, 2], [3]], {"lookback": 1}, ValueError, "must be a rectangular"),
    (["a", "b", "c"], {"lookback": 1}, TypeError, "`series` must be numeric"),
    (np.zeros(4, complex), {"lookback": 1}, TypeError, "`series` must be numeric"),
    (
        pd.DataFrame({"x": [1.0, 2.0, 3.0], "name": ["a", "b", "c"]}),
        {"lookback": 1},
        TypeError,
        "numeric.*column 'name'",
    ),
    (
        pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [4.0, 5.0, 6.0]}),
        {"lookback": 1, "target_columns": "z"},
        ValueError,
        r"`target_columns` must name existing columns: column labels \['x', 'y'\]"
        r".*Received: target_columns entry 'z'",
    ),
    (
        np.zeros((5, 2)),
        {"lookback": 1, "target_columns": 2},
        ValueError,
        "positions 0 to 1.*entry 2",
    ),
    (
        np.zeros((5, 2)),
        {"lookback": 1, "target_columns": ["x"]},
        ValueError,
        "positions 0 to 1.*entry 'x'",
    ),
    (
        np.zeros((5, 2)),
        {"lookback": 1, "target_columns": [True]},
        ValueError,
        "entry True",
    ),
    (
        np.zeros((5, 2)),
        {"lookback": 1, "target_columns": []},
        ValueError,
        "`target_columns` must be a non-empty list",
    ),
    (
        np.zeros((5, 2)),
        {"lookback": 1, "target_columns": [1, -1]},
        ValueError,
        "`target_columns` must be distinct columns",
    ),
    (
        np.zeros((5, 2)),
        {"lookback": 1, "target_columns": {0}},
        TypeError,
        "`target_columns` must be None, a column",
    ),
]


def test_make_windows_errors(subtests):
    for series, kwargs, error, match in MAKE_WINDOWS_ERRORS:
        with subtests.test(match=match), pytest.raises(error, match=match):
            make_windows(series, **kwargs)


# (data, fractions, error, match)
TIME_SPLIT_ERRORS = [
    (np.arange(10), (0.5, 0.6), ValueError, "`fractions` must be a sequence of"),
    (np.arange(10), (0.5, 0.5 + 1e-6), ValueError, "sum to 1"),
    (np.arange(10), (1.0, 0.0), ValueError, r"numbers > 0.*fractions=\(1.0, 0.0\)"),
    (np.arange(10), (1.2, -0.2), ValueError, "`fractions` must be"),
    (np.arange(10), (), ValueError, "`fractions` must be"),
    (np.arange(10), (float("nan"), 1.0), ValueError, "`fractions` must be"),
    (np.arange(10), 0.8, TypeError, "`fractions` must be a sequence"),
    (np.arange(10), ("a", "b"), TypeError, "`fractions` must be a sequence"),
    (np.arange(10), (True,), TypeError, "`fractions` must be a sequence"),
    (
        np.arange(3),
        (0.2,) * 5,
        ValueError,
        r"must give every part at least 1 row.*parts of \[1, 0, 1, 0, 1\]",
    ),
    (np.arange(0), (1.0,), ValueError, "at least 1 row"),
    (np.array(3), (1.0,), ValueError, "`data` must be an array with a time axis"),
    ({"a": 1}, (1.0,), TypeError, "`data` must be a NumPy array, list"),
]


def test_time_split_errors(subtests):
    for data, fractions, error, match in TIME_SPLIT_ERRORS:
        with subtests.test(match=match), pytest.raises(error, match=match):
            time_split(data, fractions)


# --------------------------------------------------------------------------- tf.data


# Tests below build tf.data pipelines (they import TensorFlow); they come last so
# that running this file alone keeps the pure-NumPy tests fast.


def test_windows_dataset_equals_make_windows(subtests):
    data = np.arange(30.0).reshape(10, 3)
    combos = [(1, 1, 1), (3, 1, 1), (3, 2, 2), (4, 3, 3), (2, 4, 5), (5, 1, 50)]
    for lookback, horizon, stride in combos:
        with subtests.test(lookback=lookback, horizon=horizon, stride=stride):
            X, y = make_windows(data, lookback, horizon=horizon, stride=stride)
            ds = windows_dataset(
                data, lookback, horizon=horizon, stride=stride, batch_size=2
            )
            Xd, yd = _dataset_arrays(ds)
            np.testing.assert_array_equal(Xd, X)
            np.testing.assert_array_equal(yd, y)
            assert Xd.dtype == X.dtype


def test_windows_dataset_target_columns_batches_and_unbatched():
    df = pd.DataFrame({"a": np.arange(8.0, dtype="float32"), "b": np.arange(8) * 10})
    ds = windows_dataset(df, 3, horizon=2, target_columns="b", batch_size=3)
    shapes = [(tuple(x.shape), tuple(y.shape)) for x, y in ds]
    assert shapes == [((3, 3, 2), (3, 2, 1)), ((1, 3, 2), (1, 2, 1))]
    _, y = make_windows(df, 3, horizon=2, target_columns="b")
    np.testing.assert_array_equal(_dataset_arrays(ds)[1], y)
    single = list(windows_dataset(df, 3, horizon=2, batch_size=None))
    assert len(single) == 4 and tuple(single[0][0].shape) == (3, 2)


def test_windows_dataset_prefetches_without_autotuning():
    # an autotuned iterator can take seconds to delete (rnn_zoo/preprocessing/_prefetch)
    ds = windows_dataset(np.arange(20.0), 3, horizon=2, batch_size=4)
    assert ds.options().autotune.enabled is False


def test_windows_dataset_shuffle_is_a_seeded_permutation():
    data = np.arange(40.0)
    X, y = make_windows(data, 3, horizon=2, stride=2)

    def first_rows(seed):
        ds = windows_dataset(
            data, 3, horizon=2, stride=2, shuffle=True, seed=seed, batch_size=4
        )
        Xd, yd = _dataset_arrays(ds)
        np.testing.assert_array_equal(yd[:, :, 0], Xd[:, -1:, 0] + [1, 2])
        return Xd[:, 0, 0]

    order = first_rows(7)
    assert sorted(order) == sorted(X[:, 0, 0])
    assert not np.array_equal(order, X[:, 0, 0])
    np.testing.assert_array_equal(first_rows(7), order)
    unseeded = windows_dataset(data, 3, horizon=2, stride=2, shuffle=True)
    assert sorted(_dataset_arrays(unseeded)[0][:, 0, 0]) == sorted(X[:, 0, 0])


WINDOWS_DATASET_ERRORS = [
    ({"batch_size": 0}, ValueError, "`batch_size` must be a positive integer"),
    ({"batch_size": 2.0}, TypeError, "`batch_size` must be"),
    ({"shuffle": "yes"}, TypeError, "`shuffle` must be a bool"),
    ({"seed": -1}, ValueError, "`seed` must be a non-negative integer"),
    ({"lookback": 0}, ValueError, "`lookback` must be a positive integer"),
]


def test_windows_dataset_errors(subtests):
    for kwargs, error, match in WINDOWS_DATASET_ERRORS:
        with subtests.test(match=match), pytest.raises(error, match=match):
            windows_dataset(np.arange(10.0), **{"lookback": 2, **kwargs})


# ----------------------------------- issue 11 row 3: integers above 2**24 stay exact


@pytest.mark.parametrize("as_frame", [False, True])
def test_large_integers_are_windowed_exactly(as_frame):
    values = np.array([16_777_217, 16_777_218, 16_777_219, 16_777_220], dtype="int64")
    series = pd.DataFrame({"t": values}) if as_frame else values
    X, y = make_windows(series, 2)
    assert X.dtype == np.float64  # float32 would round 16777217 to 16777216
    assert X[0, 0, 0] == 16_777_217 and y[-1, 0, 0] == 16_777_220


def test_small_integers_still_become_float32():
    X, _ = make_windows(np.arange(6, dtype="int64"), 3)
    assert X.dtype == np.float32


# ------------------------------- issue 11 row 6: one rule for integer column labels


def test_integer_label_means_the_label_in_windows_and_scaler():
    from rnn_zoo.preprocessing import SeriesScaler

    frame = pd.DataFrame({10: [0.0, 1.0, 2.0, 3.0], 20: [0.0, 10.0, 20.0, 30.0]})
    _, y = make_windows(frame, 2, target_columns=[20])
    np.testing.assert_array_equal(y[:, 0, 0], [20.0, 30.0])
    scaler = SeriesScaler("minmax").fit(frame)
    # label 20 is the second column (0..30), not an out-of-range position
    np.testing.assert_allclose(scaler.inverse_transform([[1.0]], columns=[20]), [[30]])
    # an int that is not a label is a position, in both
    _, y1 = make_windows(frame, 2, target_columns=[1])
    np.testing.assert_array_equal(y1, y)
    np.testing.assert_allclose(scaler.inverse_transform([[1.0]], columns=[1]), [[30]])
