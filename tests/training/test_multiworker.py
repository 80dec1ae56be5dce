"""`fit(strategy="multiworker")` with two worker processes on 127.0.0.1.

Two launches of `tests.training.multiworker_worker` (ports picked free at run
time, every launch bounded by a timeout, one TensorFlow thread per worker):

1. both workers train a run in which worker 1 kills itself (SIGKILL) mid-epoch
   3, after two epochs were committed; the chief must then stop with an error
   instead of waiting forever (it notices within the worker's 2-second
   heartbeat timeout);
2. both workers are started again on the same run: they must resume from the
   chief's backup (epochs 2 and 3 only) and finish it.

This process trains the same model alone with the same global batch: the
finished run's four epochs (two before the kill, two after the restart) must
agree with it, and the chief's saved model must load without any strategy. (A
separate uninterrupted two-worker run would only repeat this comparison.)
"""

from __future__ import annotations

import csv
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import keras
import numpy as np
import pytest

from rnn_zoo.training import fit, set_seed
from tests.training.multiworker_worker import (
    FIT_OPTIONS,
    build,
    data,
    free_ports,
    worker_env,
)

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
LAUNCH_TIMEOUT = 90  # seconds for one launch (about 25 and 20 on 2 busy cores)
KEYS = ("loss", "mae", "val_loss", "val_mae")


def _launch(folder, run_dirs, *, kill=None):
    """Start two workers; wait (bounded) for both; return [(code, output), ...]."""
    hosts = [f"127.0.0.1:{port}" for port in free_ports(2)]
    workers = []
    for index in range(2):
        env = worker_env(hosts, index, str(folder / "tmp"))
        command = [
            sys.executable,
            "-m",
            "tests.training.multiworker_worker",
            str(folder / f"worker{index}.jsonl"),
            *map(str, run_dirs),
        ]
        if kill is not None and index == 1:
            command += ["--kill", kill]
        workers.append(
            subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
        )
    deadline = time.monotonic() + LAUNCH_TIMEOUT
    results = []
    try:
        for worker in workers:
            output, _ = worker.communicate(timeout=max(1, deadline - time.monotonic()))
            results.append((worker.returncode, output))
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.communicate()
    return results


def _records(folder, index):
    """The runs worker ``index`` finished so far (none before its first)."""
    path = folder / f"worker{index}.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


def _history_csv(run_dir):
    with open(run_dir / "history.csv", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    folder = tmp_path_factory.mktemp("multiworker")
    (folder / "tmp").mkdir()
    run = folder / "run"
    first = _launch(folder, [run], kill="0:2:1")
    records_first = [_records(folder, i) for i in range(2)]
    second = _launch(folder, [run])
    records = [_records(folder, i) for i in range(2)]
    return {
        "folder": folder,
        "run": run,
        "first": first,
        "second": second,
        "first_records": records_first,
        "resumed": [
            worker[len(records_first[i]) :] for i, worker in enumerate(records)
        ],
    }


@pytest.fixture(scope="module")
def one_process():
    """The same training in this process: no strategy, the same global batch."""
    set_seed(0)
    X, y = data()
    history = fit(build, (X, y), validation=(X[:8], y[:8]), **FIT_OPTIONS)
    return history


def test_killed_worker_stops_the_chief_with_an_error(cluster):
    (chief_code, chief_output), (worker_code, _) = cluster["first"]
    assert worker_code == -signal.SIGKILL
    assert chief_code != 0  # it did not wait forever: the launch was bounded
    assert "UnavailableError" in chief_output or "unhealthy" in chief_output
    # Neither worker finished the run (the restart resumes from its backup).
    assert cluster["first_records"] == [[], []]


def test_restarted_workers_resume_from_the_backup_and_finish(cluster):
    assert [code for code, _ in cluster["second"]] == [0, 0], cluster["second"]
    resumed = [records[0] for records in cluster["resumed"]]
    assert [r["task"] for r in resumed] == ["worker 0", "worker 1"]
    assert [r["chief"] for r in resumed] == [True, False]
    # Both continue after the two committed epochs instead of starting over.
    assert [r["epoch"] for r in resumed] == [[2, 3], [2, 3]]
    assert resumed[0]["prediction"] == resumed[1]["prediction"]  # in sync
    rows = _history_csv(cluster["run"])
    assert [int(row["epoch"]) for row in rows] == [0, 1, 2, 3]


def test_two_workers_train_like_one_process_with_the_same_global_batch(
    cluster, one_process
):
    rows = _history_csv(cluster["run"])
    for key in KEYS:  # epochs 0-1 before the kill, 2-3 after the restart
        np.testing.assert_allclose(
            [float(row[key]) for row in rows],
            one_process.history[key],
            rtol=0,
            atol=1e-5,
            err_msg=key,
        )
    for record in (records[0] for records in cluster["resumed"]):
        for key in KEYS:
            np.testing.assert_allclose(
                record["history"][key],
                one_process.history[key][2:],
                rtol=0,
                atol=1e-5,
                err_msg=key,
            )
    X, _ = data()
    alone = one_process.model.predict(X, verbose=0).ravel()
    chief = cluster["resumed"][0][0]
    np.testing.assert_allclose(chief["prediction"], alone, rtol=0, atol=1e-5)


def test_only_the_chief_keeps_files(cluster):
    assert sorted(p.name for p in cluster["run"].iterdir()) == [
        "best.keras",
        "final",
        "history.csv",
        "logs",
    ]
    # The other worker wrote into $TMPDIR; nothing of it is left.
    assert list((cluster["folder"] / "tmp").iterdir()) == []


def test_saved_model_loads_without_the_strategy(cluster, one_process):
    X, _ = data()
    loaded = keras.saving.load_model(cluster["run"] / "best.keras", safe_mode=True)
    chief = cluster["resumed"][0][0]
    prediction = loaded.predict(X, verbose=0).ravel()
    # val_loss falls every epoch, so the best model is the last one
    np.testing.assert_allclose(prediction, chief["prediction"], rtol=0, atol=1e-6)
