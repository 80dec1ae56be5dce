"""load_stock_prices: the bundled GOOG sample, Yahoo-style CSVs, every data error."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rnn_zoo.datasets.stocks import STOCK_COLUMNS, STOCK_SYMBOLS, load_stock_prices

HEADER = "Date,Open,High,Low,Close,Adj Close,Volume"
ROWS = [
    "2020-01-02,10.0,11.0,9.5,10.5,10.4,1000",
    "2020-01-03,10.5,11.5,10.0,11.0,10.9,1200",
    "2020-01-06,11.0,12.0,10.5,11.5,11.4,900",
]


def write_csv(tmp_path: Path, rows=ROWS, header=HEADER) -> Path:
    path = tmp_path / "prices.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


def test_goog_sample_golden_values():
    prices = load_stock_prices()
    assert prices.shape == (1047, 6)
    assert tuple(prices.columns) == STOCK_COLUMNS
    assert prices.index.name == "Date"
    assert isinstance(prices.index, pd.DatetimeIndex)
    assert str(prices.index.dtype) == "datetime64[ns]"
    assert prices.index[0] == pd.Timestamp("2004-08-19")
    assert prices.index[-1] == pd.Timestamp("2008-10-14")
    assert prices.index.is_monotonic_increasing and prices.index.is_unique
    first, last = prices.iloc[0], prices.iloc[-1]
    assert (first["Open"], first["High"], first["Low"], first["Close"]) == (
        100.0,
        104.06,
        95.96,
        100.34,
    )
    assert first["Volume"] == 22_351_900
    assert last["Close"] == 362.71
    assert [str(t) for t in prices.dtypes] == ["float64"] * 5 + ["int64"]
    assert (prices["High"] >= prices["Low"]).all()


def test_symbol_is_case_insensitive():
    assert STOCK_SYMBOLS == ("GOOG",)
    pd.testing.assert_frame_equal(load_stock_prices("goog"), load_stock_prices("GOOG"))


def test_csv_round_trip(tmp_path):
    goog = load_stock_prices("GOOG")
    path = tmp_path / "goog.csv"
    goog.to_csv(path)
    pd.testing.assert_frame_equal(load_stock_prices(path), goog)
    pd.testing.assert_frame_equal(load_stock_prices(str(path)), goog)


def test_csv_values_columns_and_order(tmp_path):
    header = "Volume,Close,Date,Open,Low,High,Ticker"  # any order; extras dropped
    rows = [
        "1000,10.5,2020-01-02,10.0,9.5,11.0,XYZ",
        "1200,11,2020-01-03,10.5,10,11.5,XYZ",
    ]
    prices = load_stock_prices(write_csv(tmp_path, rows, header))
    assert tuple(prices.columns) == STOCK_COLUMNS
    assert prices["Close"].tolist() == [10.5, 11.0]
    # no "Adj Close" column: it is filled from Close
    assert prices["Adj Close"].tolist() == prices["Close"].tolist()
    assert prices["Volume"].tolist() == [1000, 1200]
    assert prices.index.tolist() == [
        pd.Timestamp("2020-01-02"),
        pd.Timestamp("2020-01-03"),
    ]


def test_unknown_symbol_lists_the_available_ones():
    with pytest.raises(
        ValueError,
        match="`symbol_or_path` must be one of the bundled "
        "symbols 'GOOG' or the path of an existing CSV file. "
        "Received: symbol_or_path='AAPL'",
    ):
        load_stock_prices("AAPL")


def test_missing_file(tmp_path):
    with pytest.raises(ValueError, match="No file .*missing.csv' exists"):
        load_stock_prices(tmp_path / "missing.csv")


def test_wrong_type():
    with pytest.raises(TypeError, match="`symbol_or_path` must be a symbol"):
        load_stock_prices(3)


def test_missing_columns(tmp_path):
    path = write_csv(tmp_path, ["2020-01-02,10,11"], "Date,Open,High")
    with pytest.raises(ValueError, match="lacks Low, Close, Volume; it has Date, Open"):
        load_stock_prices(path)


def test_header_only(tmp_path):
    with pytest.raises(ValueError, match="at least one row"):
        load_stock_prices(write_csv(tmp_path, []))


@pytest.mark.parametrize("value", ["", "null", "n/a"])
def test_missing_value_names_column_and_date(tmp_path, value):
    rows = [*ROWS]
    rows[1] = f"2020-01-03,10.5,11.5,10.0,{value},10.9,1200"
    with pytest.raises(
        ValueError,
        match=r"Column 'Close' is missing or non-numeric on 2020-01-03\. .*df.ffill",
    ):
        load_stock_prices(write_csv(tmp_path, rows))


def test_many_missing_values_are_summarised(tmp_path):
    rows = [f"2020-02-{d:02d},1,1,1,1,1," for d in range(1, 10)]
    with pytest.raises(ValueError, match="'Volume' .* 2020-02-05 and 4 more"):
        load_stock_prices(write_csv(tmp_path, rows))


def test_unparseable_and_empty_dates(tmp_path):
    rows = [*ROWS]
    rows[1] = "yesterday" + ROWS[1][10:]
    with pytest.raises(ValueError, match="Date column holds dates"):
        load_stock_prices(write_csv(tmp_path, rows))
    rows[1] = ROWS[1][10:]
    with pytest.raises(ValueError, match="Date is empty in data row 1"):
        load_stock_prices(write_csv(tmp_path, rows))


def test_duplicate_dates(tmp_path):
    rows = [ROWS[0], ROWS[1], ROWS[1], ROWS[2]]
    with pytest.raises(
        ValueError, match="appear more than once: 2020-01-03. .*duplicated"
    ):
        load_stock_prices(write_csv(tmp_path, rows))


def test_unsorted_dates(tmp_path):
    rows = [ROWS[0], ROWS[2], ROWS[1]]
    with pytest.raises(
        ValueError,
        match=r"sorted by ascending date.*Row 2 \(2020-01-03\) comes after "
        r"2020-01-06\. .*sort_index",
    ):
        load_stock_prices(write_csv(tmp_path, rows))


@pytest.mark.parametrize(
    ("row", "match"),
    [
        (
            "2020-01-03,10.5,11.5,0,11.0,10.9,1200",
            "'Low' is zero or negative on 2020-01-03",
        ),
        ("2020-01-03,-1,11.5,10,11.0,10.9,1200", "'Open' is zero or negative"),
        ("2020-01-03,10.5,11.5,10,11.0,10.9,-5", "'Volume' is negative or fractional"),
        ("2020-01-03,10.5,11.5,10,11.0,10.9,1.5", "'Volume' is negative or fractional"),
    ],
)
def test_impossible_values(tmp_path, row, match):
    rows = [ROWS[0], row, ROWS[2]]
    with pytest.raises(ValueError, match=match):
        load_stock_prices(write_csv(tmp_path, rows))


def test_volume_is_integer_and_prices_float(tmp_path):
    prices = load_stock_prices(write_csv(tmp_path))
    assert prices["Volume"].dtype == np.int64
    assert prices["Open"].dtype == np.float64
