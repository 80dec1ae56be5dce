"""Kill ``lm train`` at every write and commit step, rerun, and check the result.

Issue 17: a save is whole or absent, and a rerun after a kill at *any* point
ends with a bundle that loads, the epoch count of an uninterrupted run, and a
``history.csv`` with each epoch exactly once.

`test_kill_at_every_point_then_rerun` runs one uninterrupted tiny training and,
at each named point of `rnn_zoo._faults` (every bundle file, checkpoint and
history write, each step of an epoch's commit, the report of an epoch before
its commit, the end of the run), copies the output folder: the disk exactly as
``kill -9`` at that point leaves it (at a ``write:`` point the temporary file is
cut to half its size, as a kill during the write leaves it). Each copy is then
resumed with the same command. `test_a_real_kill_then_rerun` does the same with
a real process that ends itself with ``os._exit`` during a bundle write (the
rerun, like every rerun here, calls `rnn_zoo.cli.main` in this process).
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rnn_zoo import _faults
from rnn_zoo.cli import main

pytestmark = pytest.mark.slow  # trains in child processes

ROOT = Path(__file__).resolve().parents[2]
EPOCHS = 2
TINY = ["--units", "8", "--embedding-dim", "4", "--seq-len", "10"]
TINY += ["--batch-size", "8", "--order", "2", "--epochs", str(EPOCHS)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "tiny.txt"
    path.write_text("To be, or not to be, that is the question:\n" * 24)
    return path


def _train(corpus, out, capsys):
    code = main(["lm", "train", "--corpus", str(corpus), "--out", str(out), *TINY])
    out_text, err = capsys.readouterr()
    return code, out_text, err


def _history_epochs(out: Path) -> list[int]:
    with open(out / "run" / "history.csv", newline="") as f:
        return [int(row["epoch"]) for row in csv.DictReader(f)]


def _committed(out: Path) -> int:
    from rnn_zoo.training.run_state import read_run_state

    try:
        state = read_run_state(out / "run")
    except ValueError:
        return -1
    return 0 if state is None else state.epoch


def _bundle_before_rerun(out: Path) -> str:
    from rnn_zoo.tasks.lm_bundle import load_lm_bundle
    from rnn_zoo.tasks.manifest import TornBundleError

    if not (out / "model.keras").exists():
        return "absent"
    try:
        load_lm_bundle(out)
    except TornBundleError:
        return "torn, detected"
    except ValueError:
        return "incomplete, refused"
    return "loads"


def _check_finished(out: Path, stdout: str | None) -> int:
    """The checks after a rerun; returns the bundle's epoch."""
    from rnn_zoo.tasks.lm_bundle import load_lm_bundle

    bundle = load_lm_bundle(out)  # verified against its manifest
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["epoch"] == bundle.config["epoch"]
    assert _history_epochs(out) == list(range(EPOCHS))
    assert (out / "run" / "final").is_dir() and not (out / "run" / "backup").exists()
    if stdout is not None:  # the score printed is the score of the bundle on disk
        printed = float(re.search(r"bits/char (\d+\.\d+)", stdout).group(1))
        expected = bundle.config["validation_bits_per_char"]
        assert printed == pytest.approx(expected, abs=1e-3)
    leftovers = [p.name for p in out.rglob("*") if ".tmp-" in p.name]
    assert leftovers == []
    return bundle.config["epoch"]


def test_kill_at_every_point_then_rerun(corpus, tmp_path, capsys):
    reference = tmp_path / "reference"
    snapshots: list[tuple[str, Path, int]] = []
    counts: dict[str, int] = {}

    def snapshot(name, temp_path):
        counts[name] = counts.get(name, 0) + 1
        copy = tmp_path / "kills" / f"{len(snapshots):02d}"
        shutil.copytree(reference, copy)
        if temp_path is not None:  # killed while writing: the file is cut short
            cut = copy / temp_path.relative_to(reference)
            with open(cut, "r+b") as f:
                f.truncate(cut.stat().st_size // 2)
        trained = counts.get("lm:epoch_trained", 0)
        snapshots.append((f"{name}#{counts[name]}", copy, trained))

    _faults.set_handler(snapshot)
    try:
        code, stdout, _ = _train(corpus, reference, capsys)
    finally:
        _faults.set_handler(None)
    assert code == 0
    reference_epoch = _check_finished(reference, stdout)
    assert reference_epoch == EPOCHS

    # Kill points: every point of epoch 2 and of the run's end (epoch 1 hits the
    # same ones), the first bundle write and the settings write.
    chosen = [
        (label, copy, trained)
        for label, copy, trained in snapshots
        if int(label.split("#")[1]) >= 2
        or counts[label.split("#")[0]] == 1
        or label == "write:model.keras#1"
    ]
    assert len(chosen) >= 20, [label for label, _, _ in snapshots]
    names = {label.split("#")[0] for label, _, _ in chosen}
    assert {
        "lm:epoch_trained",  # trained, not yet reported
        "lm:reported",  # after the epoch's report, before its backup is committed
        "write:model.keras",
        "write:tokenizer.json",
        "write:config.json",
        "write:manifest.json",
        "write:latest.weights.h5",
        "write:best.keras",
        "write:training_metadata.json",
        "write:history.csv",
        "run:committed",
        "run:final_renamed",
    } <= names

    figures = []
    for label, copy, trained in chosen:
        committed, before = _committed(copy), _bundle_before_rerun(copy)
        assert committed >= 0, label  # every state can be resumed
        code, stdout, err = _train(corpus, copy, capsys)
        if code == 2:  # killed after the run's last commit: it is finished
            assert "holds a finished run (2 epochs); pass --continue" in err, label
            stdout = None
        else:
            assert code == 0, (label, err)
        assert _check_finished(copy, stdout) == reference_epoch, label
        figures.append((label, before, trained - committed))
    with capsys.disabled():  # the figures for the closing note of issue 17
        print(f"\nkill points tried: {len(figures)}, bundles loading after the rerun:")
        print(f"{len(figures)}, epochs lost (trained, not committed, so redone):")
        print(f"{sum(lost for _, _, lost in figures)}")
        for label, before, lost in figures:
            print(f"  {label:32s} bundle at the kill: {before:20s} lost {lost}")


def test_a_real_kill_then_rerun(corpus, tmp_path, capsys):
    out = tmp_path / "lm"
    command = [sys.executable, "-m", "rnn_zoo", "lm", "train", "--corpus"]
    command += [str(corpus), "--out", str(out), *TINY]
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    # killed while writing epoch 2's model.keras: the old bundle must survive
    killed = subprocess.run(
        command,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        env={**env, "RNN_ZOO_KILL_AT": "write:model.keras#2"},
    )
    assert killed.returncode == _faults.KILL_EXIT_CODE, killed.stderr
    assert _history_epochs(out) == [0]
    from rnn_zoo.tasks.lm_bundle import load_lm_bundle

    assert load_lm_bundle(out).config["epoch"] == 1  # the old bundle, whole
    # the same command again, in this process (`main` is what `python -m rnn_zoo`
    # runs; a second child would only add TensorFlow's import, ~9 CPU-s)
    code, stdout, err = _train(corpus, out, capsys)
    assert code == 0, err
    assert "resuming the interrupted run" in err
    assert _check_finished(out, stdout) == EPOCHS
