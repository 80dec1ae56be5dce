"""``python -m rnn_zoo forecast``: walk-forward backtest of an RNN on a CSV column.

Example::

    python -m rnn_zoo forecast --symbol GOOG --horizon 5 --lookback 20 \\
        --backtest-folds 5 --cell gru --plot goog.png
    python -m rnn_zoo forecast --csv prices.csv --column Close --horizon 1 \\
        --lookback 30 --backtest-folds 10 --fill ffill

Prints a table (MASE, MAE, RMSE, directional accuracy per forecaster: the RNN and
the naive, drift and mean baselines) on stdout, a Diebold-Mariano test of the RNN
against the naive forecast, and progress on stderr. By default the RNN learns log
returns and is scored on the price level, so ``naive`` is the random walk.

Input: a Yahoo-style CSV (Date, Open, High, Low, Close, Adj Close, Volume) or any
CSV with a date column and numeric columns, one row per date, sorted, with no
duplicates. Empty cells (NaN gaps) are an error unless ``--fill ffill`` is given,
which carries the last observed value forward (and says how many it filled).
Every problem is reported as one line with exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from rnn_zoo.cli import UsageError

__all__ = ["register", "run", "read_series"]

_DATE_NAMES = ("date", "datetime", "timestamp", "time")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``forecast`` command to ``python -m rnn_zoo``.

    Args:
        subparsers: The top-level parser's sub-parsers.

    Example:
        >>> parser = argparse.ArgumentParser(prog="rnn_zoo")
        >>> register(parser.add_subparsers(dest="group"))
        >>> args = parser.parse_args(["forecast", "--symbol", "GOOG"])
        >>> args.horizon, args.lookback, args.backtest_folds, args.cell
        (1, 20, 5, 'lstm')
    """
    parser = subparsers.add_parser(
        "forecast",
        help="walk-forward backtest of an LSTM/GRU forecaster against baselines",
        description=__doc__.split("\n\n")[0].split(": ", 1)[1],
        epilog="Empty cells are an error; --fill ffill carries the last value "
        "forward instead (the number filled is printed on stderr).",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--csv", metavar="PATH", help="CSV file with a date column")
    source.add_argument(
        "--symbol", metavar="SYMBOL", help="bundled prices: GOOG (daily, 2004-2008)"
    )
    parser.add_argument("--column", default="Close", help="column to forecast")
    parser.add_argument(
        "--date-column",
        metavar="NAME",
        help="date column (default: the one named Date/date/Datetime/Timestamp)",
    )
    parser.add_argument(
        "--features",
        default="",
        metavar="A,B",
        help="extra input columns, comma-separated (default: none)",
    )
    parser.add_argument("--horizon", type=int, default=1, help="steps ahead (1)")
    parser.add_argument("--lookback", type=int, default=20, help="input rows (20)")
    parser.add_argument(
        "--backtest-folds", type=int, default=5, help="forecast origins (5)"
    )
    parser.add_argument("--cell", choices=("lstm", "gru"), default="lstm")
    parser.add_argument("--units", type=int, default=16, help="RNN width (16)")
    parser.add_argument("--epochs", type=int, default=10, help="epochs per fit (10)")
    parser.add_argument(
        "--refit-every",
        type=int,
        default=1,
        metavar="K",
        help="retrain every K folds (1: every fold)",
    )
    parser.add_argument(
        "--transform",
        choices=("log_returns", "difference", "none"),
        default="log_returns",
        help="what the RNN learns; scores are always on the column's level",
    )
    parser.add_argument(
        "--fill",
        choices=("none", "ffill"),
        default="none",
        help="NaN gaps: error (none) or carry the last value forward (ffill)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--plot", metavar="PNG", help="write MASE by step here")
    parser.set_defaults(run=run)


def _date_column(frame: Any, wanted: str | None, path: str) -> str:
    columns = list(frame.columns)
    if wanted is not None:
        if wanted not in columns:
            raise UsageError(
                f"date column {wanted!r} not in {path}; its columns are {columns}"
            )
        return wanted
    for column in columns:
        if str(column).strip().lower() in _DATE_NAMES:
            return column
    raise UsageError(
        f"no date column in {path}: expected one named Date (or pass --date-column);"
        f" its columns are {columns}"
    )


def read_series(path: str, *, date_column: str | None = None, fill: str = "none"):
    """Read a CSV into a numeric DataFrame indexed by its dates, or raise UsageError.

    Args:
        path: CSV file with a header row, a date column and numeric columns.
        date_column: Name of the date column; None finds Date/date/Datetime/...
        fill: ``"none"`` (NaN gaps are an error) or ``"ffill"`` (carry the last
            value forward; leading gaps remain an error).

    Returns:
        ``(frame, n_filled)``: a DataFrame with a sorted, unique DatetimeIndex and
        the numeric columns (non-numeric ones are kept out only if they are not
        asked for later), and the number of cells filled.

    Raises:
        UsageError: For a missing file, no date column, bad or repeated or unsorted
            dates, and NaN gaps without ``fill="ffill"``.

    Example:
        >>> read_series("no/such.csv")
        Traceback (most recent call last):
        ...
        rnn_zoo.cli.UsageError: CSV file 'no/such.csv' does not exist
    """
    import pandas as pd

    if not Path(path).is_file():
        raise UsageError(f"CSV file {path!r} does not exist")
    try:
        raw = pd.read_csv(path)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise UsageError(f"cannot read {path!r} as CSV: {reason}") from None
    raw.columns = [str(c).strip() for c in raw.columns]
    date_col = _date_column(raw, date_column, repr(path))
    dates = pd.to_datetime(raw[date_col], errors="coerce")
    bad = dates.isna()
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0])
        raise UsageError(
            f"date column {date_col!r} has a missing or unreadable date on data row "
            f"{row + 1}: {raw[date_col].iloc[row]!r}"
        )
    frame = raw.drop(columns=[date_col])
    frame.index = pd.DatetimeIndex(dates, name=date_col)
    if frame.index.has_duplicates:
        first = frame.index[frame.index.duplicated()][0]
        raise UsageError(f"date {first.date()} appears more than once in {path!r}")
    if not frame.index.is_monotonic_increasing:
        steps = (frame.index[1:] < frame.index[:-1]).nonzero()[0]
        row = int(steps[0]) + 1
        raise UsageError(
            f"dates in {path!r} are not sorted: {frame.index[row].date()} comes after "
            f"{frame.index[row - 1].date()}; sort the file by date"
        )
    n_filled = 0
    gaps = frame.isna()
    if gaps.any().any():
        column = gaps.any().idxmax()
        first = frame.index[gaps[column].to_numpy().nonzero()[0][0]].date()
        if fill != "ffill":
            raise UsageError(
                f"{int(gaps.to_numpy().sum())} empty cell(s) (NaN gaps) in {path!r}, "
                f"first in column {column!r} on {first}; fix the file or pass "
                "--fill ffill to carry the last value forward"
            )
        if gaps.iloc[0].any():
            raise UsageError(
                f"column {gaps.iloc[0][gaps.iloc[0]].index[0]!r} is empty on the "
                f"first date {frame.index[0].date()}; --fill ffill has no earlier "
                "value to carry forward: drop the leading rows"
            )
        n_filled = int(gaps.to_numpy().sum())
        frame = frame.ffill()
    return frame, n_filled


def _numeric(frame: Any, columns: list[str], where: str) -> Any:
    import pandas as pd

    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
    for column in columns:
        if column not in frame.columns:
            raise UsageError(
                f"column {column!r} not in {where}; numeric columns: {numeric}"
            )
        if column not in numeric:
            values = pd.to_numeric(frame[column], errors="coerce")
            row = int(values.isna().to_numpy().nonzero()[0][0])
            raise UsageError(
                f"column {column!r} has non-numeric values, e.g. "
                f"{frame[column].iloc[row]!r} on {frame.index[row].date()}"
            )
    return frame[columns].astype("float64")


def _load(args: argparse.Namespace) -> tuple[Any, str]:
    if args.symbol is not None:
        from rnn_zoo.datasets import STOCK_SYMBOLS, load_stock_prices

        try:
            return load_stock_prices(args.symbol), f"symbol {args.symbol}"
        except (ValueError, TypeError) as err:
            raise UsageError(
                f"unknown symbol {args.symbol!r}: bundled symbols are "
                f"{', '.join(STOCK_SYMBOLS)}; for other data pass --csv PATH"
            ) from err
    frame, n_filled = read_series(
        args.csv, date_column=args.date_column, fill=args.fill
    )
    if n_filled:
        print(
            f"filled {n_filled} empty cell(s) forward (--fill ffill)", file=sys.stderr
        )
    return frame, repr(args.csv)


def _check_sizes(args: argparse.Namespace, n_rows: int) -> None:
    for name in ("horizon", "lookback", "backtest_folds", "units", "epochs"):
        if getattr(args, name) < 1:
            flag = "--" + name.replace("_", "-")
            raise UsageError(
                f"{flag} must be a positive integer, got {getattr(args, name)}"
            )
    if args.refit_every < 1:
        raise UsageError(
            f"--refit-every must be a positive integer, got {args.refit_every}"
        )
    first = 0 if args.transform == "none" else 1
    needed = first + args.lookback + args.horizon + args.backtest_folds * args.horizon
    if n_rows < needed:
        raise UsageError(
            f"the series has {n_rows} rows, too short for lookback {args.lookback} + "
            f"horizon {args.horizon} x (folds {args.backtest_folds} + 1)"
            f"{' + 1 (returns)' if first else ''} = {needed} rows; use fewer folds, a "
            "shorter lookback or a longer series"
        )


def run(args: argparse.Namespace) -> int:
    """Run the backtest described by ``args``; print the table; write the plot.

    Args:
        args: Parsed arguments of the ``forecast`` command.

    Returns:
        0 on success.

    Raises:
        UsageError: For any problem with the input (see the module docstring).
    """
    frame, where = _load(args)
    features = [c.strip() for c in args.features.split(",") if c.strip()]
    columns = [args.column, *[c for c in features if c != args.column]]
    series = _numeric(frame, columns, where)
    _check_sizes(args, len(series))
    transform = None if args.transform == "none" else args.transform
    if transform == "log_returns" and (series[args.column] <= 0).any():
        raise UsageError(
            f"column {args.column!r} has values <= 0, so it has no log returns; "
            "pass --transform difference"
        )
    if args.plot is not None and not Path(args.plot).parent.is_dir():
        raise UsageError(f"folder of --plot {args.plot!r} does not exist")

    import functools

    from rnn_zoo.evaluation import compare_forecasts, walk_forward_backtest
    from rnn_zoo.notebook import quiet_import_tensorflow

    quiet_import_tensorflow()
    from rnn_zoo.models import build_forecaster

    try:
        result = walk_forward_backtest(
            functools.partial(build_forecaster, cell=args.cell, units=args.units),
            series,
            lookback=args.lookback,
            horizon=args.horizon,
            folds=args.backtest_folds,
            refit=args.refit_every,
            target=args.column,
            target_transform=transform,
            epochs=args.epochs,
            seed=args.seed,
            name=args.cell,
            progress=lambda line: print(line, file=sys.stderr),
        )
    except ValueError as err:
        raise UsageError(str(err)) from None
    table = result.summary.rename(
        columns={
            "mase": "MASE",
            "mae": "MAE",
            "rmse": "RMSE",
            "directional_accuracy": "dir_acc",
        }
    )
    print(
        f"{args.column} of {where}: {args.backtest_folds} folds x horizon "
        f"{args.horizon}, lookback {args.lookback}, {args.cell} on {args.transform}"
    )
    print(table.to_string(float_format=lambda v: f"{v:.4f}"))
    if args.backtest_folds >= 3:
        try:
            dm = compare_forecasts(result.forecasts, args.cell, "naive")
            print(
                f"Diebold-Mariano {args.cell} vs naive (absolute errors): "
                f"statistic {dm.statistic:.3f}, p-value {dm.p_value:.3f}"
            )
        except ValueError as err:
            print(f"Diebold-Mariano test not possible: {err}", file=sys.stderr)
    if args.plot is not None:
        import matplotlib

        matplotlib.use("Agg")
        from rnn_zoo.plotting import plot_backtest

        fig = plot_backtest(result, title=f"{args.column}: MASE by steps ahead")
        fig.savefig(args.plot, dpi=100)
        print(f"wrote {args.plot}", file=sys.stderr)
    return 0
