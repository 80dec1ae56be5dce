"""The life of a ``train --out`` folder (issue 17): ``lm train`` and ``dates train``.

A finished run is never restarted silently (``--continue`` / ``--overwrite``),
another kind of bundle or unrelated files are refused, an unwritable ``--out``
or an impossible ``--minutes`` fails in one line before any training, and a
bundle cut short is reported in one line instead of loading or scoring it.
One tiny ``lm train`` run (module fixture) is copied for each test.
"""

from __future__ import annotations

import csv
import os
import shutil
import sys

import pytest

from rnn_zoo.cli import main

pytestmark = pytest.mark.slow  # resume: trains a run twice

TINY = ["--units", "8", "--embedding-dim", "4", "--seq-len", "10"]
TINY += ["--batch-size", "8", "--order", "2"]


def _call(capsys, *argv):
    """Run the CLI in process; return (exit code, stdout, stderr)."""
    try:
        code = main(list(argv))
    except SystemExit as exit_info:  # argparse's own errors
        code = exit_info.code
    out, err = capsys.readouterr()
    return code, out, err


def _one_line(err: str, command: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"rnn_zoo {command}: error: "), err
    return lines[0]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "tiny.txt"
    path.write_text("To be, or not to be, that is the question:\n" * 24)
    return path


@pytest.fixture(scope="module")
def finished(corpus, tmp_path_factory):
    """A finished one-epoch ``lm train`` run."""
    out = tmp_path_factory.mktemp("lm") / "lm"
    argv = ["lm", "train", "--corpus", str(corpus), "--out", str(out), *TINY]
    code = main([*argv, "--epochs", "1"])
    assert code == 0
    return out


def _lm_train(capsys, corpus, out, *options):
    argv = ["lm", "train", "--corpus", str(corpus), "--out", str(out), *TINY]
    return _call(capsys, *argv, "--epochs", "1", *options)


def _history(out):
    with open(out / "run" / "history.csv", newline="") as f:
        return [int(row["epoch"]) for row in csv.DictReader(f)]


def test_a_finished_run_is_refused_then_continued_or_overwritten(
    finished, corpus, tmp_path, capsys
):
    out = tmp_path / "lm"
    shutil.copytree(finished, out)
    model_bytes = (out / "model.keras").read_bytes()
    code, stdout, err = _lm_train(capsys, corpus, out)
    assert code == 2 and stdout == ""
    line = _one_line(err, "lm train")
    assert "holds a finished run (1 epochs)" in line
    assert "--continue" in line and "--overwrite" in line
    assert (out / "model.keras").read_bytes() == model_bytes  # the model survives

    code, stdout, err = _lm_train(capsys, corpus, out, "--continue")
    assert code == 0, err
    assert "continuing the finished run" in err and "after 1 epochs" in err
    assert "epoch 2: validation bits/char" in err  # counts on from the finished run
    assert _history(out) == [0, 1]  # appended

    code, stdout, err = _lm_train(capsys, corpus, out, "--overwrite")
    assert code == 0, err
    assert "epoch 1: validation bits/char" in err
    assert _history(out) == [0]  # started over


def test_continue_and_overwrite_exclude_each_other(finished, corpus, capsys):
    code, _, err = _lm_train(capsys, corpus, finished, "--continue", "--overwrite")
    assert code == 2 and "not allowed with argument" in err


@pytest.mark.parametrize(
    ("command", "present", "problem"),
    [
        ("lm", "translator.json", "holds a date-translator bundle (translator.json)"),
        ("dates", "tokenizer.json", "holds a language-model bundle (tokenizer.json)"),
        ("lm", "notes.txt", "holds files that `lm train` did not write (notes.txt)"),
        ("dates", "notes.txt", "`dates train` did not write (notes.txt)"),
    ],
)
def test_another_bundle_or_unrelated_files_are_refused(
    command, present, problem, corpus, tmp_path, capsys
):
    out = tmp_path / "out"
    out.mkdir()
    (out / present).write_text("{}")
    argv = [command, "train", "--out", str(out), "--epochs", "1"]
    if command == "lm":
        argv += ["--corpus", str(corpus), *TINY]
    for extra in ([], ["--overwrite"]):  # --overwrite deletes only its own kind
        code, stdout, err = _call(capsys, *argv, *extra)
        assert code == 2 and stdout == ""
        assert problem in _one_line(err, f"{command} train")
        assert sorted(p.name for p in out.iterdir()) == [present]


@pytest.mark.parametrize("command", ["lm", "dates"])
def test_unwritable_out_is_one_line_before_training(command, corpus, tmp_path, capsys):
    argv = [command, "train", "--epochs", "1"]
    if command == "lm":
        argv += ["--corpus", str(corpus), *TINY]
    # /proc refuses new folders even to root
    code, stdout, err = _call(capsys, *argv, "--out", "/proc/rnn_zoo_out")
    assert code == 2 and stdout == ""
    assert "--out '/proc/rnn_zoo_out' cannot be created" in _one_line(
        err, f"{command} train"
    )
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o555)
        code, _, err = _call(capsys, *argv, "--out", str(locked / "m"))
        assert code == 2 and "cannot be" in _one_line(err, f"{command} train")


@pytest.mark.parametrize("command", ["lm", "dates"])
@pytest.mark.parametrize("minutes", ["inf", "1e308"])
def test_impossible_minutes_are_one_line_before_training(
    command, minutes, corpus, tmp_path, capsys
):
    out = tmp_path / "out"
    argv = [command, "train", "--out", str(out), "--minutes", minutes]
    if command == "lm":
        argv += ["--corpus", str(corpus), *TINY]
    tensorflow_before = "tensorflow" in sys.modules
    code, stdout, err = _call(capsys, *argv)
    assert code == 2 and stdout == ""
    line = _one_line(err, f"{command} train")
    assert "--minutes" in line and ("finite" in line or "at most" in line)
    assert not out.exists()  # nothing written
    assert ("tensorflow" in sys.modules) == tensorflow_before  # nothing trained


def test_a_bundle_cut_short_is_reported_not_scored(finished, corpus, tmp_path, capsys):
    from rnn_zoo.tasks.lm_bundle import load_lm_bundle
    from rnn_zoo.tasks.manifest import TornBundleError

    out = tmp_path / "lm"
    shutil.copytree(finished, out)
    model = out / "model.keras"
    model.write_bytes(model.read_bytes()[: model.stat().st_size // 2])
    with pytest.raises(TornBundleError, match="model.keras has .* bytes"):
        load_lm_bundle(out)
    code, stdout, err = _call(capsys, "lm", "generate", str(out), "--length", "5")
    assert code == 2 and stdout == ""
    assert "is torn: model.keras has" in _one_line(err, "lm generate")
    # the training command does not trust it either
    code, stdout, err = _lm_train(capsys, corpus, out)
    assert code == 2 and stdout == ""
    assert "--overwrite" in _one_line(err, "lm train")


def test_a_cut_short_backup_is_one_line(finished, corpus, tmp_path, capsys):
    out = tmp_path / "lm"
    shutil.copytree(finished, out)
    shutil.move(out / "run" / "final", out / "run" / "backup")  # "interrupted"
    weights = out / "run" / "backup" / "latest.weights.h5"
    weights.write_bytes(weights.read_bytes()[:100])
    code, stdout, err = _lm_train(capsys, corpus, out)
    assert code == 2 and stdout == ""
    line = _one_line(err, "lm train")
    assert "does not match the SHA-256" in line and "h5py" not in line
    assert f"Delete {str(out / 'run' / 'backup')!r}" in line
