"""Bad-input tables for preprocessing: windows, splits, pad, tokenizers, scaler,
returns.

Each row is an input a learner plausibly passes and the error type and message
fragment expected: a ValueError/TypeError naming the argument, never a NumPy or
Keras traceback, never a silent wrong answer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnn_zoo.preprocessing import (
    CharTokenizer,
    SeriesScaler,
    WordTokenizer,
    difference,
    from_returns,
    make_windows,
    mask_of,
    pad,
    time_split,
    to_log_returns,
    to_returns,
    undifference,
    windows_dataset,
)
from tests.reliability.table import check_row, row

SERIES = np.arange(10.0)
FRAME = pd.DataFrame({"open": np.arange(6.0), "close": np.arange(6.0) * 2})

WINDOWS = [
    row(
        lambda: make_windows(SERIES, 0),
        ValueError,
        "`lookback` must be a positive",
        "lookback-0",
    ),
    row(
        lambda: make_windows(SERIES, 2.5),
        TypeError,
        "`lookback` must be a positive",
        "lookback-float",
    ),
    row(
        lambda: make_windows(SERIES, 3, horizon=0),
        ValueError,
        "`horizon` must be",
        "horizon-0",
    ),
    row(
        lambda: make_windows(SERIES, 3, stride=-1),
        ValueError,
        "`stride` must be",
        "stride-negative",
    ),
    row(
        lambda: make_windows(SERIES, 9, horizon=2),
        ValueError,
        "at least lookback + horizon = 11 rows",
        "too-short",
    ),
    row(
        lambda: make_windows([1.0, np.nan, 3.0, 4.0], 2),
        ValueError,
        "finite values",
        "nan",
    ),
    row(
        lambda: make_windows(np.zeros((2, 3, 4)), 1),
        ValueError,
        "`series` must be a 1-D",
        "3-d",
    ),
    row(
        lambda: make_windows(["a", "b", "c"], 1),
        TypeError,
        "`series` must be numeric",
        "strings",
    ),
    row(
        lambda: make_windows(FRAME, 2, target_columns="volume"),
        ValueError,
        "`target_columns` must name existing columns",
        "unknown-label",
    ),
    row(
        lambda: make_windows(FRAME, 2, target_columns=[]),
        ValueError,
        "`target_columns` must be a non-empty",
        "empty-targets",
    ),
    row(
        lambda: make_windows(FRAME, 2, target_columns=["close", 1]),
        ValueError,
        "distinct columns",
        "same-column-twice",
    ),
    row(
        lambda: make_windows(np.array([2**53 + 1, 1, 2]), 1),
        ValueError,
        "`series` must hold integers that float64",
        "int-beyond-2**53",
    ),
    row(
        lambda: windows_dataset(SERIES, 3, batch_size=0),
        ValueError,
        "`batch_size` must be",
        "dataset-batch-0",
    ),
    row(
        lambda: windows_dataset(SERIES, 3, shuffle="yes"),
        TypeError,
        "`shuffle` must be a bool",
        "dataset-shuffle-str",
    ),
]

SPLITS = [
    row(
        lambda: time_split(SERIES, (0.8, 0.3)),
        ValueError,
        "`fractions` must be a sequence of numbers > 0 that sum to 1",
        "sum-not-1",
    ),
    row(
        lambda: time_split(SERIES, (1.2, -0.2)),
        ValueError,
        "`fractions` must be",
        "negative-fraction",
    ),
    row(
        lambda: time_split(SERIES, 0.7),
        TypeError,
        "`fractions` must be",
        "scalar-fraction",
    ),
    row(
        lambda: time_split(np.arange(2), (0.4, 0.3, 0.3)),
        ValueError,
        "at least 1 row",
        "empty-part",
    ),
    row(
        lambda: time_split({"a": 1}), TypeError, "`data` must be a NumPy array", "dict"
    ),
    row(
        lambda: time_split(np.float64(3.0)), TypeError, "`data` must be", "scalar-data"
    ),
]

PAD = [
    row(
        lambda: pad([[0.5, 1.5], [2.0]]),
        ValueError,
        'Pass dtype="float32"',
        "fractions-into-int",
    ),
    row(
        lambda: pad([[16_777_217]], dtype="float32"),
        ValueError,
        "too large to be stored exactly in float32",
        "rounds-in-float32",
    ),
    row(
        lambda: pad([[300]], dtype="int8"),
        ValueError,
        "outside [-128, 127]",
        "int8-overflow",
    ),
    row(lambda: pad([]), ValueError, "`sequences` must be a non-empty list", "empty"),
    row(
        lambda: pad("hello"),
        TypeError,
        "`sequences` must be a list of sequences",
        "string",
    ),
    row(
        lambda: pad([[1, 2]], padding="left"),
        ValueError,
        "`padding` must be one of 'pre', 'post'",
        "padding-left",
    ),
    row(lambda: pad([[1, 2]], maxlen=0), ValueError, "`maxlen` must be", "maxlen-0"),
    row(
        lambda: pad([[1, 2]], dtype="str"),
        ValueError,
        "`dtype` must be a NumPy integer or float dtype",
        "dtype-str",
    ),
    row(
        lambda: mask_of([[1, 2, 3], [4]]),
        ValueError,
        "Pad the sequences first",
        "mask-ragged",
    ),
    row(lambda: mask_of([1, 2, 3]), ValueError, "`padded` must be a 2-D", "mask-1d"),
]

TOKENIZERS = [
    row(
        lambda: CharTokenizer(start_token="a").fit("banana"),
        ValueError,
        "`start_token` must not occur in the text",
        "start-in-text",
    ),
    row(
        lambda: CharTokenizer(end_token="n").fit("banana"),
        ValueError,
        "`end_token` must not occur in the text",
        "end-in-text",
    ),
    row(
        lambda: CharTokenizer().encode("abc"),
        ValueError,
        "not fitted yet",
        "encode-before-fit",
    ),
    row(
        lambda: CharTokenizer().fit(""),
        ValueError,
        "`texts` must be a non-empty corpus",
        "empty-corpus",
    ),
    row(lambda: CharTokenizer().fit(123), TypeError, "`texts`", "number-corpus"),
    row(
        lambda: CharTokenizer(min_freq=0).fit("ab"),
        ValueError,
        "`min_freq` must be a positive",
        "min-freq-0",
    ),
    row(
        lambda: CharTokenizer(min_freq=5).fit("ab"),
        ValueError,
        "`min_freq` must be at most",
        "min-freq-too-high",
    ),
    row(
        lambda: CharTokenizer(max_tokens=1).fit("ab"),
        ValueError,
        "`max_tokens` must be",
        "max-tokens-1",
    ),
    row(
        lambda: CharTokenizer(normalize="NFX").fit("ab"),
        ValueError,
        "`normalize` must be one of",
        "normalize",
    ),
    row(
        lambda: CharTokenizer().fit("ab").encode("ab", add_special=True),
        ValueError,
        "`add_special` must be False",
        "add-special-without-tokens",
    ),
    row(
        lambda: CharTokenizer().fit("ab").decode([0, 99]),
        ValueError,
        "`ids`",
        "decode-unknown-id",
    ),
    row(
        lambda: WordTokenizer(start_token="<pad>").fit("a b"),
        ValueError,
        "`start_token` must be different from the other reserved",
        "start-is-pad",
    ),
]

SCALER = [
    row(
        lambda: SeriesScaler("zscore").fit(SERIES),
        ValueError,
        "`kind` must be one of 'standard', 'minmax', 'robust'",
        "kind",
    ),
    row(
        lambda: SeriesScaler("minmax", feature_range=(1, 0)).fit(SERIES),
        ValueError,
        "`feature_range` must be a pair",
        "range-reversed",
    ),
    row(
        lambda: SeriesScaler().transform(SERIES),
        ValueError,
        "not fitted yet",
        "transform-before-fit",
    ),
    row(
        lambda: SeriesScaler().fit([]), ValueError, "`data` must be non-empty", "empty"
    ),
    row(lambda: SeriesScaler().fit([1.0, np.inf]), ValueError, "finite values", "inf"),
    row(
        lambda: SeriesScaler().fit(FRAME).transform(np.zeros((3, 3))),
        ValueError,
        "`data` must have 2 feature(s)",
        "wrong-width",
    ),
    row(
        lambda: (
            SeriesScaler()
            .fit(FRAME)
            .inverse_transform(np.zeros((3, 1)), columns=["volume"])
        ),
        ValueError,
        "`columns` must name existing columns",
        "unknown-column",
    ),
    row(
        lambda: SeriesScaler().fit(FRAME).transform(FRAME[["close", "open"]]),
        ValueError,
        "`data` must have the columns ['open', 'close']",
        "columns-reordered",
    ),
    row(
        lambda: SeriesScaler.from_json("{not json"),
        ValueError,
        "`text` must be valid JSON",
        "bad-json",
    ),
    row(
        lambda: SeriesScaler().fit(np.array([2**53 + 1, 3])),
        ValueError,
        "`data` must hold integers that float64",
        "int-beyond-2**53",
    ),
]

RETURNS = [
    row(lambda: to_returns([1.0, 0.0, 2.0]), ValueError, "`prices`", "zero-price"),
    row(
        lambda: to_log_returns([1.0, -2.0, 3.0]),
        ValueError,
        "`prices`",
        "negative-price-log",
    ),
    row(lambda: to_returns([1.0]), ValueError, "`prices`", "one-price"),
    row(
        lambda: from_returns([0.1, 0.2], initial=0.0),
        ValueError,
        "`initial`",
        "initial-zero",
    ),
    row(
        lambda: from_returns([0.1, -1.5], initial=10.0),
        ValueError,
        "`returns`",
        "return-below-minus-1",
    ),
    row(
        lambda: difference([1.0, 2.0], order=0),
        ValueError,
        "`order` must be a positive",
        "order-0",
    ),
    row(
        lambda: difference([1.0, 2.0], order=2),
        ValueError,
        "`series`",
        "too-short-for-order",
    ),
    row(
        lambda: undifference([1.0, 2.0], initial=[]),
        ValueError,
        "`initial` must be the rows before",
        "initial-empty",
    ),
    row(
        lambda: undifference([1.0, 2.0], initial=[np.nan]),
        ValueError,
        "`initial` must contain only finite",
        "initial-nan",
    ),
]


@pytest.mark.parametrize(("call", "error", "fragment"), WINDOWS)
def test_windows(call, error, fragment):
    check_row(call, error, fragment)


@pytest.mark.parametrize(("call", "error", "fragment"), SPLITS)
def test_splits(call, error, fragment):
    check_row(call, error, fragment)


@pytest.mark.parametrize(("call", "error", "fragment"), PAD)
def test_pad(call, error, fragment):
    check_row(call, error, fragment)


@pytest.mark.parametrize(("call", "error", "fragment"), TOKENIZERS)
def test_tokenizers(call, error, fragment):
    check_row(call, error, fragment)


@pytest.mark.parametrize(("call", "error", "fragment"), SCALER)
def test_scaler(call, error, fragment):
    check_row(call, error, fragment)


@pytest.mark.parametrize(("call", "error", "fragment"), RETURNS)
def test_returns(call, error, fragment):
    check_row(call, error, fragment)
