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
CSV with a date column and numeric columns, one row per date, sorted oldest
first, with no repeated date. Numeric dates are read month-first (``03/04/2021``
is 4 March) unless ``--day-first`` is given; ISO dates (``2021-03-04``) are read
either way. Empty cells (NaN gaps) are an error unless ``--fill ffill`` is given,
which carries the last observed value forward (and says how many it filled).

Every problem is reported as one line with exit code 2, before the backtest
starts: bad numbers, a CSV that breaks the rules above (with a hint when its
dates look day-first), a forecast column that is constant before the first
forecast (MASE is undefined), a ``--plot`` folder that is missing or not
writable. ``--plot`` takes a file (``.png``, ``.pdf``, ``.svg``; no suffix means
``.png``) or an existing folder (``mase_by_step.png`` is written there); the
path written is printed on stderr. The Diebold-Mariano p-value is printed only
from ``MIN_PAIRS_FOR_P_VALUE`` (10) folds up: fewer paired errors give p-values
that mean little, so the line then says how many folds it needs instead.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from rnn_zoo.cli import UsageError
from rnn_zoo.cli.options import (
    int_at_least,
    non_negative_int,
    positive_int,
    with_flags,
)
from rnn_zoo.tasks.run_folder import RunFolderError, writable_folder

__all__ = ["register", "run", "read_series", "plot_path"]

_DATE_NAMES = ("date", "datetime", "timestamp", "time")
_PLOT_SUFFIXES = (".png", ".pdf", ".svg")
_PLOT_IN_FOLDER = "mase_by_step.png"
# numeric dates: 3/4/2021, 03.04.21, 3-4-2021 (day and month order ambiguous)
_NUMERIC_DATE = r"\d{1,2}([/.-])\d{1,2}\1(\d{4}|\d{2})"
# walk_forward_backtest's arguments -> this command's flags (for its messages)
_FLAGS = {
    "lookback": "--lookback",
    "horizon": "--horizon",
    "folds": "--backtest-folds",
    "refit": "--refit-every",
    "epochs": "--epochs",
    "seed": "--seed",
    "target": "--column",
}


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
        epilog="The CSV needs a header row, a date column and one row per date, "
        "sorted oldest first, no date repeated. Numeric dates are month-first "
        "(MM/DD/YYYY) unless --day-first; ISO dates (YYYY-MM-DD) always work. "
        "Empty cells are an error; --fill ffill carries the last value forward "
        "instead (the number filled is printed on stderr). Every input problem is "
        "one line on stderr with exit code 2, before the backtest starts.",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--csv", metavar="PATH", help="CSV file with a date column")
    source.add_argument(
        "--symbol", metavar="SYMBOL", help="bundled prices: GOOG (daily, 2004-2008)"
    )
    parser.add_argument(
        "--column", default="Close", help="column to forecast (default: Close)"
    )
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
    parser.add_argument(
        "--day-first",
        action="store_true",
        help="numeric dates are DD/MM/YYYY (default: MM/DD/YYYY)",
    )
    parser.add_argument(
        "--horizon", type=positive_int, default=1, help="steps ahead (1)"
    )
    parser.add_argument(
        "--lookback", type=positive_int, default=20, help="input rows (20)"
    )
    parser.add_argument(
        "--backtest-folds",
        type=int_at_least(2),
        default=5,
        help="forecast origins, >= 2 (5); the Diebold-Mariano p-value needs >= 10",
    )
    parser.add_argument(
        "--cell", choices=("lstm", "gru"), default="lstm", help="(default: lstm)"
    )
    parser.add_argument("--units", type=positive_int, default=16, help="RNN width (16)")
    parser.add_argument(
        "--epochs", type=positive_int, default=10, help="epochs per fit (10)"
    )
    parser.add_argument(
        "--refit-every",
        type=positive_int,
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
    parser.add_argument(
        "--seed",
        type=non_negative_int,
        default=0,
        help="seed of the weights and shuffling; same seed, same table (0)",
    )
    parser.add_argument(
        "--plot",
        metavar="PATH",
        help="write the MASE-by-step figure to this .png/.pdf/.svg file, or into "
        f"this existing folder as {_PLOT_IN_FOLDER}",
    )
    parser.set_defaults(run=run)


def _date_column(frame: Any, wanted: str | None, path: str) -> str:
    columns = list(frame.columns)
    if wanted is not None:
        if wanted not in columns:
            raise UsageError(
                f"--date-column {wanted!r} not in {path}; its columns are {columns}"
            )
        return wanted
    for column in columns:
        if str(column).strip().lower() in _DATE_NAMES:
            return column
    raise UsageError(
        f"no date column in {path}: expected one named Date (or pass --date-column);"
        f" its columns are {columns}"
    )


def _parse_dates(values: Any, day_first: bool) -> Any:
    """Dates of a column: numeric ones in the order asked, others by pandas."""
    import warnings

    import pandas as pd

    text = values.astype(str).str.strip()
    parts = text.str.fullmatch(_NUMERIC_DATE)
    if len(text) and parts.all():
        first = re.fullmatch(_NUMERIC_DATE, text.iloc[0])
        sep, year = first.group(1), "%Y" if len(first.group(2)) == 4 else "%y"
        order = ("%d", "%m") if day_first else ("%m", "%d")
        fmt = f"{order[0]}{sep}{order[1]}{sep}{year}"
        return pd.to_datetime(text, format=fmt, errors="coerce")
    with warnings.catch_warnings():  # pandas' "Parsing dates in %d/%m/%Y" note
        warnings.simplefilter("ignore")
        return pd.to_datetime(values, errors="coerce")


def _order_hint(values: Any, day_first: bool) -> str:
    """A hint when the other day/month order reads every date, sorted and unique."""
    other = _parse_dates(values, not day_first)
    if other.isna().any() or not (other.is_monotonic_increasing and other.is_unique):
        return ""
    if day_first:
        return "; they read fine month-first (MM/DD/YYYY): drop --day-first"
    return (
        "; they look day-first (DD/MM/YYYY): pass --day-first, or rewrite them as "
        "YYYY-MM-DD"
    )


def read_series(
    path: str,
    *,
    date_column: str | None = None,
    fill: str = "none",
    day_first: bool = False,
):
    """Read a CSV into a numeric DataFrame indexed by its dates, or raise UsageError.

    Args:
        path: CSV file with a header row, a date column and numeric columns.
        date_column: Name of the date column; None finds Date/date/Datetime/...
        fill: ``"none"`` (NaN gaps are an error) or ``"ffill"`` (carry the last
            value forward; leading gaps remain an error).
        day_first: Read numeric dates (``03/04/2021``) as day/month/year
            instead of month/day/year. ISO dates read the same either way.

    Returns:
        ``(frame, n_filled)``: a DataFrame with a sorted, unique DatetimeIndex and
        the numeric columns (non-numeric ones are kept out only if they are not
        asked for later), and the number of cells filled.

    Raises:
        UsageError: For a missing file, no date column, bad or repeated or unsorted
            dates (with a hint when the other day/month order would read them),
            and NaN gaps without ``fill="ffill"``.

    Example:
        >>> read_series("no/such.csv")
        Traceback (most recent call last):
        ...
        rnn_zoo.cli.UsageError: --csv file 'no/such.csv' does not exist
    """
    import pandas as pd

    if not Path(path).is_file():
        raise UsageError(f"--csv file {path!r} does not exist")
    try:
        raw = pd.read_csv(path)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise UsageError(f"cannot read {path!r} as CSV: {reason}") from None
    raw.columns = [str(c).strip() for c in raw.columns]
    date_col = _date_column(raw, date_column, repr(path))
    dates = _parse_dates(raw[date_col], day_first)
    bad = dates.isna()
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0])
        raise UsageError(
            f"date column {date_col!r} has a missing or unreadable date on data row "
            f"{row + 1}: {raw[date_col].iloc[row]!r}"
            + _order_hint(raw[date_col], day_first)
        )
    frame = raw.drop(columns=[date_col])
    frame.index = pd.DatetimeIndex(dates, name=date_col)
    if frame.index.has_duplicates:
        first = frame.index[frame.index.duplicated()][0]
        raise UsageError(
            f"date {first.date()} appears more than once in {path!r}"
            + _order_hint(raw[date_col], day_first)
        )
    if not frame.index.is_monotonic_increasing:
        steps = (frame.index[1:] < frame.index[:-1]).nonzero()[0]
        row = int(steps[0]) + 1
        raise UsageError(
            f"dates in {path!r} are not sorted: {frame.index[row].date()} comes after "
            f"{frame.index[row - 1].date()}; sort the file by date"
            + _order_hint(raw[date_col], day_first)
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
    for i, column in enumerate(columns):
        if column not in frame.columns:
            flag = "--column" if i == 0 else "--features"  # columns[0] is --column
            raise UsageError(
                f"{flag} {column!r} not in {where}; numeric columns: {numeric}"
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
        args.csv,
        date_column=args.date_column,
        fill=args.fill,
        day_first=args.day_first,
    )
    if n_filled:
        print(
            f"filled {n_filled} empty cell(s) forward (--fill ffill)", file=sys.stderr
        )
    return frame, repr(args.csv)


def _check_sizes(args: argparse.Namespace, n_rows: int) -> None:
    # positivity is checked by the parser (`positive_int`, `int_at_least(2)`)
    first = 0 if args.transform == "none" else 1
    needed = first + args.lookback + args.horizon + args.backtest_folds * args.horizon
    if n_rows < needed:
        raise UsageError(
            f"the series has {n_rows} rows, too short for --lookback {args.lookback}"
            f" + --horizon {args.horizon} x (--backtest-folds {args.backtest_folds} "
            f"+ 1){' + 1 (returns)' if first else ''} = {needed} rows; use fewer "
            "folds, a shorter lookback or a longer series"
        )


def _check_varies(args: argparse.Namespace, series: Any) -> None:
    """MASE divides by the naive forecast's in-sample error: it must not be 0."""
    history = series[args.column].to_numpy()[
        : len(series) - args.backtest_folds * args.horizon
    ]
    if history.min() == history.max():
        raise UsageError(
            f"--column {args.column!r} is constant ({history[0]:g}) in all "
            f"{len(history)} rows before the first forecast, so the naive forecast "
            "has no in-sample error and MASE (the table's first score) is "
            "undefined; forecast a column that varies"
        )


def plot_path(value: str) -> Path:
    """The file ``--plot VALUE`` writes, checked before the backtest runs.

    Args:
        value: The option's value: a file name (``.png``, ``.pdf``, ``.svg``; no
            suffix adds ``.png``) or an existing folder (the figure goes there as
            ``mase_by_step.png``).

    Returns:
        The path of the file to write.

    Raises:
        UsageError: For another suffix, or a folder that is missing or that
            cannot be written to.

    Example:
        >>> import tempfile
        >>> folder = tempfile.mkdtemp()
        >>> plot_path(folder).name, plot_path(folder + "/goog").name
        ('mase_by_step.png', 'goog.png')
    """
    path = Path(value)
    if path.is_dir():
        path = path / _PLOT_IN_FOLDER
    elif path.suffix == "":
        path = path.with_name(path.name + ".png")
    elif path.suffix.lower() not in _PLOT_SUFFIXES:
        raise UsageError(
            f"--plot {value!r} must end in {', '.join(_PLOT_SUFFIXES)} (or name an "
            "existing folder)"
        )
    if path.exists() and not path.is_file():
        raise UsageError(f"--plot {str(path)!r} exists and is not a file")
    try:
        writable_folder(path.parent, "--plot")
    except RunFolderError as exc:
        raise UsageError(str(exc)) from None
    return path


def _diebold_mariano_line(args: argparse.Namespace, result: Any) -> str:
    from rnn_zoo.evaluation import compare_forecasts
    from rnn_zoo.evaluation.significance import MIN_PAIRS_FOR_P_VALUE

    name = f"Diebold-Mariano {args.cell} vs naive (absolute errors)"
    if args.backtest_folds < MIN_PAIRS_FOR_P_VALUE:
        return (
            f"{name}: not computed: {args.backtest_folds} folds give "
            f"{args.backtest_folds} paired errors, too few for a p-value that "
            f"means anything; pass --backtest-folds {MIN_PAIRS_FOR_P_VALUE} or more"
        )
    try:
        dm = compare_forecasts(result.forecasts, args.cell, "naive")
    except ValueError as err:
        return f"{name}: not possible: {with_flags(err, _FLAGS)}"
    return (
        f"{name}: statistic {dm.statistic:.3f}, p-value {dm.p_value:.3f} ({dm.n} folds)"
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
    _check_varies(args, series)
    plot = None if args.plot is None else plot_path(args.plot)

    import functools

    from rnn_zoo._quiet import quiet_import_tensorflow
    from rnn_zoo.evaluation import walk_forward_backtest

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
        raise UsageError(with_flags(err, _FLAGS)) from None
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
    print(_diebold_mariano_line(args, result))
    if plot is not None:
        import matplotlib

        matplotlib.use("Agg")
        from rnn_zoo.plotting import plot_backtest

        fig = plot_backtest(result, title=f"{args.column}: MASE by steps ahead")
        fig.savefig(plot, dpi=100)
        print(f"wrote {plot}", file=sys.stderr)
    return 0
