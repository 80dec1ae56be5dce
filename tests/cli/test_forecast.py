"""``python -m rnn_zoo forecast``: a real run, and every bad input as one line + exit 2.

A subprocess call exercises the real entry point (a bad input's exit code from the
shell); the real run and the many bad-input cases call ``rnn_zoo.cli.main``
in-process (what ``python -m rnn_zoo`` runs; most fail before TensorFlow is
imported).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rnn_zoo.cli import UsageError, main
from rnn_zoo.cli.forecast import _diebold_mariano_line, plot_path, read_series

ROOT = Path(__file__).resolve().parents[2]
N_ROWS = 60


def _prices(n: int = N_ROWS) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    close = 100 * np.exp(np.cumsum(rng.normal(0, 0.01, n)))
    return pd.DataFrame(
        {
            "Date": pd.bdate_range("2021-01-04", periods=n).strftime("%Y-%m-%d"),
            "Open": close,
            "High": close * 1.01,
            "Low": close * 0.99,
            "Close": close,
            "Adj Close": close,
            "Volume": rng.integers(1_000, 2_000, n),
        }
    )


def _csv(tmp_path, frame=None, name="prices.csv", text=None) -> str:
    path = tmp_path / name
    if text is not None:
        path.write_text(text)
    else:
        (_prices() if frame is None else frame).to_csv(path, index=False)
    return str(path)


def _cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "rnn_zoo", "forecast", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


QUICK = ["--lookback", "5", "--units", "4", "--epochs", "1"]


def test_backtest_table_plot_and_ffill_end_to_end(tmp_path, capsys):
    frame = _prices()
    frame.loc[20, "Close"] = np.nan  # one NaN gap, filled on request
    csv = _csv(tmp_path, frame)
    plot = tmp_path / "mase_by_step.png"  # --plot FOLDER writes this file
    args = [
        "--csv", csv, "--horizon", "2", "--backtest-folds", "10",
        "--refit-every", "10", "--plot", str(tmp_path), "--fill", "ffill", *QUICK,
    ]  # fmt: skip
    code = main(["forecast", *args])  # what `python -m rnn_zoo forecast` runs
    stdout, stderr = capsys.readouterr()
    assert code == 0, stderr
    lines = stdout.splitlines()
    assert lines[1].split() == ["MASE", "MAE", "RMSE", "dir_acc", "n"]
    table = {line.split()[0]: line.split()[1:] for line in lines[3:7]}
    assert set(table) == {"lstm", "naive", "drift", "mean"}
    assert all(row[-1] == "20" for row in table.values())  # 10 folds x 2 steps
    assert "Diebold-Mariano lstm vs naive" in lines[7] and "(10 folds)" in lines[7]
    assert "filled 1 empty cell(s)" in stderr
    assert plot.stat().st_size > 0 and plot.read_bytes()[:4] == b"\x89PNG"
    assert f"wrote {plot}" in stderr  # the file written, not the folder


@pytest.mark.slow  # a child process
def test_missing_file_is_one_line_and_exit_2_from_the_shell(tmp_path):
    result = _cli("--csv", str(tmp_path / "nope.csv"))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"rnn_zoo forecast: error: --csv file '{tmp_path / 'nope.csv'}' does not exist"
    ]


def _bad(capsys, *args) -> str:
    code = main(["forecast", *args])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("rnn_zoo forecast: error: ")
    return err


def test_no_date_column(tmp_path, capsys):
    csv = _csv(tmp_path, _prices().drop(columns="Date"))
    assert "no date column" in _bad(capsys, "--csv", csv)


def test_unknown_column(tmp_path, capsys):
    err = _bad(capsys, "--csv", _csv(tmp_path), "--column", "Price")
    assert "--column 'Price' not in" in err and "'Close'" in err


def test_unknown_feature(tmp_path, capsys):
    assert "--features 'Vol' not in" in _bad(
        capsys, "--csv", _csv(tmp_path), "--features", "Vol"
    )


def test_non_numeric_values(tmp_path, capsys):
    frame = _prices().astype({"Close": object})
    frame.loc[7, "Close"] = "n/a!"
    err = _bad(capsys, "--csv", _csv(tmp_path, frame))
    assert "column 'Close' has non-numeric values" in err and "'n/a!'" in err


def test_duplicate_dates(tmp_path, capsys):
    frame = _prices()
    frame.loc[5, "Date"] = frame.loc[4, "Date"]
    assert "appears more than once" in _bad(capsys, "--csv", _csv(tmp_path, frame))


def test_unsorted_dates(tmp_path, capsys):
    frame = _prices().iloc[::-1]
    assert "are not sorted" in _bad(capsys, "--csv", _csv(tmp_path, frame))


def test_unreadable_date(tmp_path, capsys):
    frame = _prices()
    frame.loc[3, "Date"] = "someday"
    assert "unreadable date on data row 4" in _bad(
        capsys, "--csv", _csv(tmp_path, frame)
    )


def test_nan_gap_without_fill(tmp_path, capsys):
    frame = _prices()
    frame.loc[10, "Volume"] = np.nan
    err = _bad(capsys, "--csv", _csv(tmp_path, frame))
    assert "NaN gaps" in err and "'Volume'" in err and "--fill ffill" in err


def test_leading_gap_cannot_be_filled(tmp_path, capsys):
    frame = _prices()
    frame.loc[0, "Close"] = np.nan
    err = _bad(capsys, "--csv", _csv(tmp_path, frame), "--fill", "ffill")
    assert "no earlier value" in err


def test_series_too_short(tmp_path, capsys):
    err = _bad(
        capsys, "--csv", _csv(tmp_path), "--lookback", "30", "--horizon", "5",
        "--backtest-folds", "6",
    )  # fmt: skip
    assert f"has {N_ROWS} rows, too short" in err and "= 66 rows" in err


def _parser_error(capsys, *args) -> str:
    with pytest.raises(SystemExit) as info:
        main(["forecast", *args])
    err = capsys.readouterr().err
    assert info.value.code == 2
    assert len(err.strip().splitlines()) == 1, err
    return err


@pytest.mark.parametrize(
    ("flag", "value", "fragment"),
    [
        ("--horizon", "0", "must be a positive integer, got '0'"),
        ("--backtest-folds", "1", "must be an integer >= 2, got '1'"),
        ("--seed", "-1", "must be a non-negative integer"),
        ("--refit-every", "x", "must be a positive integer, got 'x'"),
    ],
)
def test_bad_numbers_name_the_flag_before_reading_the_csv(
    flag, value, fragment, capsys
):
    err = _parser_error(capsys, "--csv", "no/such.csv", flag, value)
    assert f"argument {flag}: {fragment}" in err and "k-fold" not in err


def test_day_first_dates_get_a_hint(tmp_path, capsys):
    frame = _prices()
    dates = pd.to_datetime(frame["Date"])
    frame["Date"] = dates.dt.strftime("%d/%m/%Y")  # starts 04/01/2021
    csv = _csv(tmp_path, frame)
    err = _bad(capsys, "--csv", csv)
    assert "unreadable date" in err and "look day-first" in err
    assert "--day-first" in err
    # every day <= 12: month-first reads them all, out of order
    small = frame[dates.dt.day <= 12].reset_index(drop=True)
    err = _bad(capsys, "--csv", _csv(tmp_path, small, name="small.csv"))
    assert "are not sorted" in err and "pass --day-first" in err
    read, _ = read_series(csv, day_first=True)
    assert list(read.index) == list(dates)
    # and the other way round: a month-first file read with --day-first
    frame["Date"] = dates.dt.strftime("%m/%d/%Y")
    err = _bad(capsys, "--csv", _csv(tmp_path, frame, "us.csv"), "--day-first")
    assert "drop --day-first" in err


def test_constant_column_is_refused_before_the_backtest(tmp_path, capsys):
    frame = _prices()
    frame["Close"] = 42.0
    err = _bad(capsys, "--csv", _csv(tmp_path, frame))
    assert "--column 'Close' is constant (42)" in err and "MASE" in err
    assert "`mae`" not in err


def test_plot_path_folder_suffix_and_unwritable(tmp_path):
    assert plot_path(str(tmp_path)) == tmp_path / "mase_by_step.png"
    assert plot_path(str(tmp_path / "goog")) == tmp_path / "goog.png"
    assert plot_path(str(tmp_path / "a.svg")) == tmp_path / "a.svg"
    with pytest.raises(UsageError, match="must end in .png"):
        plot_path(str(tmp_path / "a.txt"))
    # /proc takes no new files, even for root (chmod would not stop root)
    with pytest.raises(UsageError, match="cannot write into the folder of --plot"):
        plot_path("/proc/mase.png")


def test_unwritable_plot_fails_before_the_backtest(tmp_path, capsys):
    err = _bad(capsys, "--csv", _csv(tmp_path), "--plot", "/proc/mase.png")
    assert "cannot write into the folder of --plot '/proc'" in err


def test_diebold_mariano_needs_ten_folds():
    import argparse

    args = argparse.Namespace(cell="gru", backtest_folds=3)
    line = _diebold_mariano_line(args, result=None)
    assert "p-value" not in line.replace("for a p-value", "")
    assert "not computed: 3 folds" in line and "--backtest-folds 10" in line


def test_log_returns_of_non_positive_values(tmp_path, capsys):
    frame = _prices()
    frame["Close"] -= 200
    err = _bad(capsys, "--csv", _csv(tmp_path, frame))
    assert "no log returns" in err and "--transform difference" in err


def test_unknown_symbol(capsys):
    assert "AAPL" in _bad(capsys, "--symbol", "AAPL")


def test_plot_folder_missing(tmp_path, capsys):
    err = _bad(capsys, "--csv", _csv(tmp_path), "--plot", str(tmp_path / "x" / "p.png"))
    assert "the folder of --plot" in err and "does not exist" in err


def test_not_a_csv(tmp_path, capsys):
    path = tmp_path / "bin.csv"
    path.write_bytes(b"\xff\xfe\x00\x01garbage")
    assert "cannot read" in _bad(capsys, "--csv", str(path))


def test_argparse_errors_exit_2(capsys):
    err = _parser_error(capsys, "--symbol", "GOOG", "--cell", "tcn")
    assert err.startswith("rnn_zoo forecast: error: argument --cell")


def test_read_series_any_csv_with_a_date_column(tmp_path):
    text = "when,a,b\n2024-01-01,1,x\n2024-01-02,,y\n2024-01-03,3,z\n"
    frame, filled = read_series(
        _csv(tmp_path, text=text), date_column="when", fill="ffill"
    )
    assert filled == 1
    assert frame["a"].tolist() == [1.0, 1.0, 3.0]
    assert str(frame.index[0].date()) == "2024-01-01"
