"""Bad-input table for the command line: each row runs ``python -m rnn_zoo`` for real.

Every row is something a newcomer plausibly types. The command must answer with
exactly one line on stderr that names the flag at fault, nothing on stdout, and
exit code 2, before any training or backtest runs. A fake ``tensorflow`` and
``keras`` first on ``PYTHONPATH`` fail loudly if imported, so each row also
proves that the check comes before TensorFlow loads (which keeps every row
about a second long).

The ``--help`` rows check that each command documents its defaults and the
rules its input must follow.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A newcomer's folder: data files, and a TensorFlow that must not load."""
    folder = tmp_path_factory.mktemp("cli")
    for name in ("tensorflow", "keras"):
        package = folder / "blocked" / name
        package.mkdir(parents=True)
        (package / "__init__.py").write_text(
            f"raise ImportError('{name} was imported before the input was checked')\n"
        )
    n = 80
    dates = pd.bdate_range("2021-01-04", periods=n)
    close = 100 * np.exp(np.cumsum(np.random.default_rng(0).normal(0, 0.01, n)))
    frame = pd.DataFrame({"Date": dates.strftime("%Y-%m-%d"), "Close": close})
    frame.to_csv(folder / "prices.csv", index=False)
    day_first = frame.assign(Date=dates.strftime("%d/%m/%Y"))
    day_first.to_csv(folder / "day_first.csv", index=False)
    # every day <= 12: month-first reads each date, but out of order
    day_first[dates.day <= 12].to_csv(folder / "day_first_small.csv", index=False)
    frame.assign(Close=42.0).to_csv(folder / "constant.csv", index=False)
    (folder / "corpus.txt").write_text(
        "to be or not to be, that is the question\n" * 400
    )
    return folder


def _run(workdir: Path, argv: list[str]) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(workdir / "blocked"), str(ROOT)]),
        "TF_CPP_MIN_LOG_LEVEL": "3",
    }
    return subprocess.run(
        [sys.executable, "-m", "rnn_zoo", *argv],
        capture_output=True,
        text=True,
        cwd=workdir,
        env=env,
        timeout=120,
    )


FORECAST = ["forecast", "--csv", "prices.csv"]
TRAIN_LM = ["lm", "train", "--corpus", "corpus.txt", "--out", "lm_out"]
GENERATE = ["lm", "generate", "no_bundle"]
TRAIN_DATES = ["dates", "train", "--out", "dates_out"]

# (arguments, fragments of the one stderr line), named by the reproduction
ROWS = [
    pytest.param(
        [*FORECAST, "--backtest-folds", "1"],
        ["argument --backtest-folds: must be an integer >= 2, got '1'"],
        id="forecast-one-fold-not-sklearn-k-fold",
    ),
    pytest.param(
        [*FORECAST, "--horizon", "0"],
        ["argument --horizon: must be a positive integer"],
        id="forecast-horizon-0",
    ),
    pytest.param(
        [*FORECAST, "--seed", "-1"],
        ["argument --seed: must be a non-negative integer"],
        id="forecast-negative-seed",
    ),
    pytest.param(
        [*FORECAST, "--plot", "/proc/mase.png"],
        ["cannot write into the folder of --plot '/proc'"],
        id="forecast-plot-unwritable-before-backtest",
    ),
    pytest.param(
        [*FORECAST, "--plot", "no_such_folder/mase.png"],
        ["the folder of --plot 'no_such_folder' does not exist"],
        id="forecast-plot-missing-folder",
    ),
    pytest.param(
        [*FORECAST, "--plot", "mase.txt"],
        ["--plot 'mase.txt' must end in .png, .pdf, .svg"],
        id="forecast-plot-bad-suffix",
    ),
    pytest.param(
        ["forecast", "--csv", "day_first.csv"],
        ["unreadable date", "look day-first", "--day-first"],
        id="forecast-day-first-csv-hint",
    ),
    pytest.param(
        ["forecast", "--csv", "day_first_small.csv"],
        ["are not sorted", "look day-first", "--day-first"],
        id="forecast-day-first-false-not-sorted",
    ),
    pytest.param(
        ["forecast", "--csv", "constant.csv"],
        ["--column 'Close' is constant (42)", "MASE"],
        id="forecast-constant-close-before-backtest",
    ),
    pytest.param(
        [*GENERATE, "--top-k", "0"],
        ["argument --top-k: must be a positive integer"],
        id="lm-generate-top-k-flag-name",
    ),
    pytest.param(
        [*GENERATE, "--top-p", "1.5"],
        ["argument --top-p: must be a number in (0, 1]"],
        id="lm-generate-top-p",
    ),
    pytest.param(
        [*GENERATE, "--temperature", "0"],
        ["argument --temperature: must be a positive finite number"],
        id="lm-generate-temperature-0",
    ),
    pytest.param(
        [*GENERATE, "--seed", "-1"],
        ["argument --seed: must be a non-negative integer"],
        id="lm-generate-negative-seed",
    ),
    pytest.param(
        [*GENERATE, "--prompt", ""],
        ["--prompt must be a non-empty string"],
        id="lm-generate-empty-prompt",
    ),
    pytest.param(
        [*TRAIN_LM, "--minutes", "1e308"],
        ["--minutes must be"],
        id="lm-train-minutes-1e308",
    ),
    pytest.param(
        [*TRAIN_LM, "--minutes", "inf"],
        ["--minutes must be"],
        id="lm-train-minutes-inf",
    ),
    pytest.param(
        ["lm", "train", "--corpus", "corpus.txt", "--out", "/proc/lm_out"],
        ["--out '/proc/lm_out'"],
        id="lm-train-out-unwritable",
    ),
    pytest.param(
        [*TRAIN_DATES, "--seed", "-1"],
        ["argument --seed: must be a non-negative integer, got '-1'"],
        id="dates-train-negative-seed",
    ),
    pytest.param(
        [*TRAIN_DATES, "--minutes", "inf"],
        ["argument --minutes: must be a positive finite number"],
        id="dates-train-minutes-inf",
    ),
    pytest.param(
        ["dates", "train", "--out", "/proc/dates_out"],
        ["--out '/proc/dates_out'"],
        id="dates-train-out-unwritable",
    ),
    pytest.param(
        ["dates", "translate", "--model", "no_model", "--beam", "0", "3 may 2001"],
        ["argument --beam: must be a positive integer"],
        id="dates-translate-beam-0",
    ),
    pytest.param(
        ["dates", "translate", "--model", "no_model", "3 may 2001"],
        ["--model 'no_model' does not exist"],
        id="dates-translate-missing-model",
    ),
]


@pytest.mark.slow  # a child process
@pytest.mark.parametrize(("argv", "fragments"), ROWS)
def test_bad_input_is_one_line_naming_the_flag_exit_2(workdir, argv, fragments):
    result = _run(workdir, argv)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr  # no traceback, no progress, no usage
    command = " ".join(a for a in argv[:2] if not a.startswith("-"))
    assert lines[0].startswith(f"rnn_zoo {command}: error: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    # flags, not Python argument names such as `top_k` or `mae`
    assert not re.search(r"`\w+`", lines[0]), lines[0]


HELP = [
    pytest.param(
        ["forecast"],
        [
            "(default: Close)",
            "sorted oldest first, no date repeated",
            "Numeric dates are month-first (MM/DD/YYYY) unless --day-first",
            "the Diebold-Mariano p-value needs >= 10",
            "(default: lstm)",
        ],
        id="forecast-help-csv-rules-and-defaults",
    ),
    pytest.param(["lm", "train"], ["recurrent cell (default: gru)"], id="lm-train"),
    pytest.param(
        ["lm", "generate"],
        [
            "(default: a newline)",
            "divides the logits before sampling",
            "the same seed gives the same text (default: a fresh random seed",
        ],
        id="lm-generate-help-prompt-temperature-seed",
    ),
    pytest.param(
        ["dates", "train"],
        ["years 1000-2999", "(default: gru)", "seed of the data, the weights"],
        id="dates-train-help-trained-years",
    ),
    pytest.param(
        ["dates", "translate"],
        ["years 1000-2999", "Exit code: 0 all answers sure, 1 some unsure"],
        id="dates-translate-help-years-and-exit-codes",
    ),
]


@pytest.mark.slow  # a child process
@pytest.mark.parametrize(("command", "fragments"), HELP)
def test_help_documents_defaults_and_input_rules(workdir, command, fragments):
    result = _run(workdir, [*command, "--help"])
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())  # argparse wraps lines
    for fragment in fragments:
        assert fragment in text, fragment
