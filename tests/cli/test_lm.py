"""``python -m rnn_zoo lm``: train + generate end to end, resume, every bad input.

Child processes run the real entry point where a new process is the point (two
workers; ``lm generate`` in a fresh interpreter is in
``tests/tasks/test_lm_bundle.py``); training, generation, resume and the bad inputs
call ``rnn_zoo.cli.main`` in-process (most fail before TensorFlow is imported).
``lm train --backend jax`` runs in the JAX child of
``tests/training/test_jax_backend.py`` (one JAX start-up for both).
"""

from __future__ import annotations

import csv
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rnn_zoo.cli import main
from tests.training.multiworker_worker import free_ports, worker_env

pytestmark = pytest.mark.slow  # trains in child processes

ROOT = Path(__file__).resolve().parents[2]
TINY = ["--units", "8", "--embedding-dim", "4", "--seq-len", "10", "--batch-size"]
TINY += ["4", "--order", "2"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "tiny.txt"
    text = "To be, or not to be, that is the question:\n" * 40
    path.write_text(text + "Whether 'tis nobler in the mind to suffer\n" * 10)
    return path


def _one_error_line(capsys, command: str) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"rnn_zoo lm {command}: error: ")
    return lines[0]


def test_train_then_generate(corpus, tmp_path, capsys):
    out = tmp_path / "lm"
    # trained in this process (a child would only add TensorFlow's import)
    code = main(
        ["lm", "train", "--corpus", str(corpus), "--epochs", "1", "--out", str(out)]
        + TINY
    )
    train_out, train_err = capsys.readouterr()
    assert code == 0, train_err
    assert "Traceback" not in train_err
    assert train_err.count("baselines, validation bits/char: uniform") == 1
    assert "epoch 1: validation bits/char: " in train_err
    logs = out / "run" / "logs"
    assert f"TensorBoard: tensorboard --logdir {logs}\n" in train_err
    assert (logs / "train").is_dir()
    (summary,) = train_out.strip().splitlines()
    assert "validation bits/char" in summary and "2-gram baseline" in summary
    assert {"model.keras", "tokenizer.json", "config.json", "manifest.json"} <= {
        p.name for p in out.iterdir()
    }

    # the bundle `lm train` wrote generates; the same seed gives the same text
    # (a fresh `python -m rnn_zoo lm generate`: tests/tasks/test_lm_bundle.py)
    generate = ["lm", "generate", str(out), "--prompt", "To be", "--length", "60"]
    assert main([*generate, "--seed", "5"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("To be") and len(text) == len("To be") + 61
    assert main([*generate, "--seed", "5"]) == 0
    assert capsys.readouterr().out == text
    # --streams N: N continuations sampled together, stream 0 the single text
    single = ["lm", "generate", str(out), "--prompt", "To be", "--seed", "5"]
    assert main([*single, "--length", "20"]) == 0
    alone = capsys.readouterr().out
    assert main([*single, "--length", "20", "--streams", "3"]) == 0
    printed = capsys.readouterr().out.split("----- stream ")
    assert [p.split(" ")[0] for p in printed[1:]] == ["0", "1", "2"]
    streams = [p.split(" -----\n", 1)[1] for p in printed[1:]]
    assert streams[0] == alone and all(len(t) == len("To be") + 21 for t in streams)
    with pytest.raises(SystemExit) as exited:
        main([*single, "--streams", "0"])
    assert exited.value.code == 2
    assert "--streams" in capsys.readouterr().err
    # a value only the model can refuse is still named by its flag
    assert main(["lm", "generate", str(out), "--top-k", "1000"]) == 2
    line = _one_error_line(capsys, "generate")
    assert "--top-k must be an integer in [1, " in line
    assert "top_k" not in line and "None" not in line


def test_interrupted_run_resumes(corpus, tmp_path, monkeypatch, capsys):
    import rnn_zoo.evaluation.language as language

    out = str(tmp_path / "lm")
    args = ["lm", "train", "--corpus", str(corpus), "--epochs", "3", "--out", out]
    real = language.bits_per_char
    calls = []

    def interrupt_at_epoch_2(*a, **k):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*a, **k)

    monkeypatch.setattr(language, "bits_per_char", interrupt_at_epoch_2)
    assert main([*args, *TINY]) == 130
    assert "run the same command again to resume" in capsys.readouterr().err

    # other settings: refused, with what changed
    assert main([*args, *TINY, "--seed", "1"]) == 2
    assert "holds a run trained with other settings: --seed 0 (now 1)" in (
        _one_error_line(capsys, "train")
    )

    assert main([*args, *TINY]) == 0
    assert "resuming the interrupted run" in capsys.readouterr().err
    with open(Path(out) / "run" / "history.csv") as f:
        assert [int(row["epoch"]) for row in csv.DictReader(f)] == [0, 1, 2]


def _bad_corpora(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.bin").write_bytes(b"abc\x00\x01\x02" * 100)
    (tmp_path / "latin1.txt").write_bytes("café olé ".encode("latin-1") * 100)
    (tmp_path / "short.txt").write_text("To be or not to be. " * 20)
    (tmp_path / "folder").mkdir()
    return {
        "missing.txt": "does not exist",
        "empty.txt": "is empty",
        "binary.bin": "looks binary",
        "latin1.txt": "is not UTF-8 text",
        "short.txt": "is too short",
        "folder": "is not a file",
    }


def test_bad_corpora_are_one_line_exit_2(tmp_path, capsys):
    for name, problem in _bad_corpora(tmp_path).items():
        code = main(
            [
                "lm",
                "train",
                "--corpus",
                str(tmp_path / name),
                "--out",
                str(tmp_path / "o"),
            ]
        )
        assert code == 2, name
        assert problem in _one_error_line(capsys, "train"), name


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        (["--units", "0"], "--units must be >= 1"),
        (["--minutes", "0"], "--minutes must be a finite number > 0"),
        (["--minutes", "nan"], "--minutes must be a finite number > 0"),
        (["--epochs", "0"], "--epochs must be >= 1"),
        (["--learning-rate", "-1"], "--learning-rate must be > 0"),
        (["--seq-len", "0"], "--seq-len must be >= 1"),
        (
            ["--backend", "jax", "--strategy", "multiworker"],
            "--backend jax trains on one machine; --strategy multiworker needs "
            "--backend tensorflow",
        ),
        # this process imported Keras on TensorFlow (a fresh `python -m` has not)
        (["--backend", "jax"], "Keras already runs on tensorflow in this process"),
    ],
)
def test_bad_train_options(options, problem, tmp_path, capsys):
    assert main(["lm", "train", "--out", str(tmp_path / "o"), *options]) == 2
    assert problem in _one_error_line(capsys, "train")


def test_backend_jax_needs_jax_installed(tmp_path, monkeypatch, capsys):
    import importlib.util

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "jax" else find_spec(name, *a),
    )
    assert main(["lm", "train", "--out", str(tmp_path / "o"), "--backend", "jax"]) == 2
    line = _one_error_line(capsys, "train")
    assert "--backend jax needs JAX, which is not installed: pip install" in line
    with pytest.raises(SystemExit) as exit_info:
        main(["lm", "train", "--out", str(tmp_path / "o"), "--backend", "torch"])
    assert exit_info.value.code == 2
    assert "(choose from 'tensorflow', 'jax')" in capsys.readouterr().err


def test_out_is_a_file(corpus, tmp_path, capsys):
    (tmp_path / "f").write_text("")
    args = ["lm", "train", "--corpus", str(corpus), "--out", str(tmp_path / "f")]
    assert main([*args, *TINY]) == 2
    assert "is a file" in _one_error_line(capsys, "train")


def test_minutes_and_epochs_exclude_each_other(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["lm", "train", "--out", "x", "--minutes", "1", "--epochs", "1"])
    assert exit_info.value.code == 2


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        (["--temperature", "0"], "argument --temperature: must be a positive"),
        (["--temperature", "nan"], "argument --temperature: must be a positive"),
        (["--top-k", "0"], "argument --top-k: must be a positive integer"),
        (["--top-p", "0"], "argument --top-p: must be a number in (0, 1]"),
        (["--top-p", "1.5"], "argument --top-p: must be a number in (0, 1]"),
        (["--length", "-1"], "argument --length: must be a non-negative integer"),
        (["--seed", "-1"], "argument --seed: must be a non-negative integer"),
        (["--prompt", ""], "--prompt must be a non-empty string"),
    ],
)
def test_bad_generate_options(options, problem, tmp_path, capsys):
    # one line naming the flag (never the Python name `top_k`), exit code 2
    try:
        code = main(["lm", "generate", str(tmp_path), *options])
    except SystemExit as exit_info:
        code = exit_info.code
    err = capsys.readouterr().err
    assert code == 2 and len(err.splitlines()) == 1, err
    assert err.startswith("rnn_zoo lm generate: error: ")
    assert problem in err and "`" not in err


def test_generate_needs_a_bundle(tmp_path, capsys):
    assert main(["lm", "generate", str(tmp_path / "none")]) == 2
    assert "does not exist" in _one_error_line(capsys, "generate")
    (tmp_path / "model.keras").write_bytes(b"not a zip")
    assert main(["lm", "generate", str(tmp_path)]) == 2
    assert "is not a language-model bundle" in _one_error_line(capsys, "generate")


def test_minutes_budget_keeps_the_best_epoch(corpus, tmp_path, capsys):
    import json

    out = tmp_path / "lm"
    args = ["lm", "train", "--corpus", str(corpus), "--minutes", "0.0001"]
    assert main([*args, "--out", str(out), *TINY]) == 0
    err = capsys.readouterr().err
    # the budget ends the first epoch after one batch; it is still evaluated
    assert err.count("validation bits/char: ") == 2  # baselines line + epoch 1
    config = json.loads((out / "config.json").read_text())["config"]
    assert config["epoch"] == 1 and config["units"] == 8
    assert config["validation_bits_per_char"] > 0


def test_train_on_two_workers(corpus, tmp_path):
    """``--strategy multiworker`` on two processes with the same --out."""
    out, scratch = tmp_path / "lm", tmp_path / "tmp"
    scratch.mkdir()
    hosts = [f"127.0.0.1:{port}" for port in free_ports(2)]
    args = ["train", "--corpus", str(corpus), "--out", str(out), *TINY]
    args += ["--minutes", "0.05", "--strategy", "multiworker"]  # a budget to share
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "rnn_zoo", "lm", *args],
            cwd=ROOT,
            env=worker_env(hosts, index, str(scratch)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for index in range(2)
    ]
    deadline = time.monotonic() + 120
    try:
        results = [
            w.communicate(timeout=max(1, deadline - time.monotonic())) for w in workers
        ]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.communicate()
    (chief_out, chief_err), (other_out, other_err) = results
    assert [w.returncode for w in workers] == [0, 0], chief_err + other_err
    # one result, from the chief; the same epochs on both (one shared budget)
    assert chief_out.startswith(f"bundle {str(out)!r}: validation bits/char")
    assert other_out == ""
    assert "worker 1 of 2 replicas: the chief writes --out" in other_err
    assert "TensorBoard: tensorboard --logdir" in chief_err
    epochs = [err.count("validation bits/char: ") - 1 for err in (chief_err, other_err)]
    with open(out / "run" / "history.csv") as f:
        assert len(list(csv.DictReader(f))) == epochs[0] == epochs[1] >= 1
    assert list(scratch.iterdir()) == []  # worker 1's folder is gone


def test_strategy_must_be_none_or_multiworker(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["lm", "train", "--out", str(tmp_path / "o"), "--strategy", "mirrored"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "argument --strategy: invalid choice: 'mirrored'" in err
    assert "'none', 'multiworker'" in err
