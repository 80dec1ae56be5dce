"""tools/run_tutorials.py (``make tutorials``) on tiny notebooks written in tmp_path."""

from __future__ import annotations

import json
import time
from pathlib import Path

import nbformat
import pytest

from tools.run_tutorials import Outcome, main, summary_table

RECORD = 'from rnn_zoo.notebook import record_results\nrecord_results(f"X is {X}", x=X)'


def _notebook(folder: Path, name: str, *sources: str, parameters: str = "X = 1"):
    """Write ``folder/name.ipynb``: a ``parameters`` cell, then one cell per source."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    params = nbformat.v4.new_code_cell(parameters)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, *(nbformat.v4.new_code_cell(s) for s in sources)]
    nbformat.write(nb, folder / f"{name}.ipynb")


@pytest.fixture
def folder(tmp_path):
    """Three notebooks, the middle one failing, with quick parameters for one."""
    nbdir = tmp_path / "notebooks"
    nbdir.mkdir()
    _notebook(nbdir, "01_ok", RECORD)
    _notebook(nbdir, "02_fails", 'raise ValueError("boom")', RECORD)
    _notebook(nbdir, "03_also_ok", RECORD, parameters="X = 3")
    (nbdir / "quick_parameters.json").write_text(json.dumps({"01_ok": {"X": 5}}))
    return nbdir


def test_a_failure_does_not_stop_the_others_and_is_named(folder, tmp_path, capfd):
    out = tmp_path / "out"
    code = main(["--notebooks", str(folder), "--out", str(out), "--quick"])
    captured = capfd.readouterr()

    assert code == 1
    assert "Failed: 02_fails" in captured.err
    for i, name in enumerate(("01_ok", "02_fails", "03_also_ok"), 1):
        assert f"[{i}/3] {name} ..." in captured.out
        assert (out / f"{name}.ipynb").exists() and (out / f"{name}.html").exists()
    summary = (out / "summary.md").read_text()
    assert summary.startswith("# Tutorials run (quick test parameters)")
    rows = {line.split("|")[1].strip(): line for line in summary.splitlines()[4:]}
    assert "| ok | X is 5 |" in rows["01_ok"]  # the quick parameter was injected
    assert "| FAILED (ValueError: boom) |" in rows["02_fails"]
    assert "| ok | X is 3 |" in rows["03_also_ok"]  # no quick entry: defaults
    assert "**total**" in rows
    assert summary.split("\n", 2)[2] in captured.out  # the printed table
    # kernels connect over IPC, so ipykernel does not warn about plain TCP
    assert "without encryption" not in captured.out + captured.err


def test_only_runs_the_selected_notebook_with_default_parameters(folder, tmp_path):
    out = tmp_path / "out"
    assert main(["--notebooks", str(folder), "--out", str(out), "--only", "01"]) == 0
    summary = (out / "summary.md").read_text()
    assert summary.startswith("# Tutorials run (default parameters)")
    assert "| ok | X is 1 |" in summary
    assert "02_fails" not in summary and "03_also_ok" not in summary
    assert sorted(p.name for p in out.iterdir()) == [
        "01_ok.html",
        "01_ok.ipynb",
        "summary.md",
    ]


def test_only_matching_nothing_exits_non_zero(folder, tmp_path, capsys):
    assert (
        main(["--notebooks", str(folder), "--out", str(tmp_path), "--only", "9"]) == 1
    )
    assert "No notebooks matching '9'" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["--notebooks", str(empty), "--out", str(tmp_path)]) == 0


def test_timeout_stops_a_slow_notebook(tmp_path, capsys):
    nbdir = tmp_path / "notebooks"
    nbdir.mkdir()
    _notebook(nbdir, "01_slow", "import time\ntime.sleep(120)", RECORD)
    start = time.perf_counter()
    code = main(["--notebooks", str(nbdir), "--out", str(tmp_path), "--timeout", "2"])
    assert code == 1
    assert time.perf_counter() - start < 60
    summary = (tmp_path / "summary.md").read_text()
    assert "FAILED (timed out after" in summary and "(--timeout 2)" in summary


def test_timeout_must_be_positive(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--timeout", "0"])
    assert exit_info.value.code == 2
    assert "--timeout must be positive" in capsys.readouterr().err


def test_summary_table_by_hand():
    outcomes = [
        Outcome("01_a", 61.4, True, "MSE 0.01"),
        Outcome("02_b", 5.0, False, "", error="KeyError: 'x'"),
    ]
    assert summary_table(outcomes).splitlines() == [
        "| notebook | wall time | status | key result |",
        "|---|---|---|---|",
        "| 01_a | 1:01 | ok | MSE 0.01 |",
        "| 02_b | 0:05 | FAILED (KeyError: 'x') |  |",
        "| **total** | 1:06 | | |",
    ]


@pytest.mark.parametrize(
    "path",
    sorted(Path(__file__).resolve().parents[2].glob("notebooks/[0-9][0-9]_*.ipynb")),
    ids=lambda p: p.stem,
)
def test_papermill_can_override_every_knob(path):
    # papermill reads `NAME = value  # help`; a line it cannot parse (e.g. an "="
    # in the comment) is left out of `--quick` and warned about on stderr
    from papermill.translators import PythonTranslator

    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assigned = {
        line.split("=")[0].strip()
        for line in cell.source.splitlines()
        if "=" in line and line[:1].isalpha()
    }
    parsed = {p.name for p in PythonTranslator.inspect(cell)}
    assert parsed == assigned
