"""Daily stock prices as a validated pandas DataFrame.

``load_stock_prices("GOOG")`` reads the daily Google prices that ship with
matplotlib (no download); any other argument is the path of a Yahoo-style CSV.
Whatever the source, the result has the same columns, dtypes and index, and bad
data (gaps, duplicates, disorder, impossible prices) raises instead of flowing on.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from rnn_zoo._validation import check_type, error_message

__all__ = ["STOCK_COLUMNS", "STOCK_SYMBOLS", "load_stock_prices"]

#: Columns of every frame ``load_stock_prices`` returns, in this order.
STOCK_COLUMNS = ("Open", "High", "Low", "Close", "Adj Close", "Volume")
#: Symbols bundled with a dependency (no file or download needed).
STOCK_SYMBOLS = ("GOOG",)

_PRICE_COLUMNS = STOCK_COLUMNS[:5]
_REQUIRED_CSV_COLUMNS = ("Date", "Open", "High", "Low", "Close", "Volume")
_ARG = "symbol_or_path"
_SHOW = 5  # how many offending dates a message lists


def _load_goog() -> pd.DataFrame:
    import matplotlib.cbook

    npz_path = matplotlib.cbook.get_sample_data("goog.npz", asfileobj=False)
    with np.load(npz_path, allow_pickle=False) as archive:
        records = archive["price_data"]
    frame = pd.DataFrame(
        {
            "Open": records["open"],
            "High": records["high"],
            "Low": records["low"],
            "Close": records["close"],
            "Adj Close": records["adj_close"],
            "Volume": records["volume"],
        },
        index=pd.DatetimeIndex(records["date"], name="Date"),
    )
    return frame


def _read_csv(path: Path, received: object) -> pd.DataFrame:
    raw = pd.read_csv(path)
    raw.columns = [str(column).strip() for column in raw.columns]
    missing = [c for c in _REQUIRED_CSV_COLUMNS if c not in raw.columns]
    if missing:
        raise ValueError(
            error_message(
                _ARG,
                "a CSV with columns "
                + ", ".join(_REQUIRED_CSV_COLUMNS)
                + " (and optionally Adj Close)",
                received,
                f"The file lacks {', '.join(missing)}; it has {', '.join(raw.columns)}",
            )
        )
    if len(raw) == 0:
        raise ValueError(error_message(_ARG, "a CSV with at least one row", received))
    try:
        dates = pd.to_datetime(raw["Date"])
    except (ValueError, TypeError) as err:
        raise ValueError(
            error_message(
                _ARG,
                "a CSV whose Date column holds dates such as 2004-08-19",
                received,
                f"Parsing failed: {err}",
            )
        ) from err
    if dates.isna().any():
        row = int(np.flatnonzero(dates.isna().to_numpy())[0])
        raise ValueError(
            error_message(
                _ARG,
                "a CSV without missing dates",
                received,
                f"Date is empty in data row {row} (0-based)",
            )
        )
    if "Adj Close" not in raw.columns:
        raw["Adj Close"] = raw["Close"]
    frame = pd.DataFrame(
        {c: pd.to_numeric(raw[c], errors="coerce") for c in STOCK_COLUMNS}
    )
    frame.index = pd.DatetimeIndex(dates, name="Date")
    return frame


def _dates(index: pd.Index, mask: np.ndarray) -> str:
    shown = [str(d.date()) for d in index[mask][:_SHOW]]
    more = int(mask.sum()) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _validated(frame: pd.DataFrame, received: object) -> pd.DataFrame:
    for column in STOCK_COLUMNS:
        bad = frame[column].isna().to_numpy()
        if bad.any():
            raise ValueError(
                error_message(
                    _ARG,
                    "stock data without missing values",
                    received,
                    f"Column '{column}' is missing or non-numeric on "
                    f"{_dates(frame.index, bad)}. Fill or drop those rows in the "
                    "file first, e.g. with `df.ffill()` or `df.dropna()`",
                )
            )
    duplicated = frame.index.duplicated(keep="first")
    if duplicated.any():
        raise ValueError(
            error_message(
                _ARG,
                "stock data with one row per date",
                received,
                f"These dates appear more than once: "
                f"{_dates(frame.index, duplicated)}. Keep one row per date, e.g. "
                "`df[~df.index.duplicated()]`",
            )
        )
    if not frame.index.is_monotonic_increasing:
        steps = np.diff(frame.index.to_numpy())
        first = int(np.flatnonzero(steps < np.timedelta64(0))[0]) + 1
        raise ValueError(
            error_message(
                _ARG,
                "stock data sorted by ascending date",
                received,
                f"Row {first} ({frame.index[first].date()}) comes after "
                f"{frame.index[first - 1].date()}. Sort the rows by date first, "
                "e.g. `df.sort_index()` or `df.sort_values('Date')`",
            )
        )
    for column in _PRICE_COLUMNS:
        bad = (frame[column] <= 0).to_numpy()
        if bad.any():
            raise ValueError(
                error_message(
                    _ARG,
                    "stock data with positive prices",
                    received,
                    f"Column '{column}' is zero or negative on "
                    f"{_dates(frame.index, bad)}",
                )
            )
    volume = frame["Volume"].to_numpy()
    bad = (volume < 0) | (volume != np.round(volume))
    if bad.any():
        raise ValueError(
            error_message(
                _ARG,
                "stock data with whole, non-negative volumes",
                received,
                f"Column 'Volume' is negative or fractional on "
                f"{_dates(frame.index, bad)}",
            )
        )
    frame = frame.astype({c: "float64" for c in _PRICE_COLUMNS} | {"Volume": "int64"})
    frame.index = frame.index.as_unit("ns")
    return frame


def load_stock_prices(symbol_or_path: str | os.PathLike = "GOOG") -> pd.DataFrame:
    """Load daily stock prices as a validated DataFrame.

    ``"GOOG"`` (case-insensitive) is the daily Google (Alphabet class A) sample that
    ships with matplotlib, ``matplotlib.cbook.get_sample_data("goog.npz")``: 1,047
    trading days from 2004-08-19 to 2008-10-14, no download. Any other value is the
    path of a Yahoo-Finance-style CSV with a header row and the columns ``Date,
    Open, High, Low, Close, Adj Close, Volume`` (any order; extra columns are
    dropped). ``Adj Close`` is optional: when absent it is filled with ``Close``
    (i.e. no split/dividend adjustment). Values such as ``null`` count as missing.

    Args:
        symbol_or_path: ``"GOOG"`` or the path (str or ``os.PathLike``) of a CSV
            file. Default ``"GOOG"``.

    Returns:
        A DataFrame with a ``DatetimeIndex`` named ``"Date"`` (datetime64[ns],
        strictly increasing, unique) and exactly these columns, in this order:
        ``Open``, ``High``, ``Low``, ``Close``, ``Adj Close`` (float64, prices in
        the listing currency, all > 0) and ``Volume`` (int64, shares traded, >= 0).

    Raises:
        TypeError: If ``symbol_or_path`` is not a str or path.
        ValueError: Naming ``symbol_or_path``, if it is neither a known symbol nor
            an existing file (the message lists the symbols), a required column is
            missing, a value is missing or non-numeric (the message gives the
            column and dates), a date is repeated, the dates are not in ascending
            order, or a price is <= 0 or a volume negative or fractional.

    Example:
        >>> prices = load_stock_prices("GOOG")
        >>> prices.shape, list(prices.columns)
        ((1047, 6), ['Open', 'High', 'Low', 'Close', 'Adj Close', 'Volume'])
        >>> str(prices.index[0].date()), str(prices.index[-1].date())
        ('2004-08-19', '2008-10-14')
        >>> float(prices["Close"].iloc[0])
        100.34
    """
    check_type(
        symbol_or_path,
        _ARG,
        (str, os.PathLike),
        f"a symbol ({', '.join(STOCK_SYMBOLS)}) or a path to a CSV file",
    )
    if isinstance(symbol_or_path, str) and symbol_or_path.upper() in STOCK_SYMBOLS:
        return _validated(_load_goog(), symbol_or_path)
    path = Path(symbol_or_path).expanduser()
    if not path.is_file():
        raise ValueError(
            error_message(
                _ARG,
                "one of the bundled symbols "
                + ", ".join(repr(s) for s in STOCK_SYMBOLS)
                + " or the path of an existing CSV file",
                str(symbol_or_path),
                f"No file '{path}' exists",
            )
        )
    return _validated(_read_csv(path, str(symbol_or_path)), str(symbol_or_path))
