"""``python -m rnn_zoo dates``: train/translate end to end, and every bad input.

One tiny in-process training run (module fixture) makes a bundle; one subprocess
translates with it in a fresh process (the saved model reloads in safe mode and
gives the same outputs). The bad-input cases call ``rnn_zoo.cli.main`` in
process; most fail before TensorFlow is imported.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rnn_zoo.cli import main
from rnn_zoo.tasks.date_training import (
    MAX_SOURCE_LENGTH,
    TRAINING_DATA,
    date_pairs,
    subset_pairs,
)

pytestmark = pytest.mark.slow  # trains in child processes

ROOT = Path(__file__).resolve().parents[2]
TINY = [
    "--samples", "64", "--units", "4", "--embedding-dim", "4", "--epochs", "1",
    "--batch-size", "64", "--eval-samples", "20", "--minutes", "2",
]  # fmt: skip
PROG = "rnn_zoo dates translate"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    """Train the tiny translator once; return its folder and what train printed."""
    out = tmp_path_factory.mktemp("dates") / "model"
    stdout, stderr = io.StringIO(), io.StringIO()
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = stdout, stderr
    try:
        code = main(["dates", "train", "--out", str(out), *TINY])
    finally:
        sys.stdout, sys.stderr = saved
    assert code == 0, stderr.getvalue()
    return out, stdout.getvalue(), stderr.getvalue()


def _run(capsys, *argv):
    code = main(["dates", *argv])
    out, err = capsys.readouterr()
    return code, out, err


# -- train ---------------------------------------------------------------------


def test_train_saves_a_bundle_and_prints_held_out_exact_match(bundle):
    out, stdout, stderr = bundle
    assert sorted(p.name for p in out.iterdir()) == [
        "manifest.json",
        "model.keras",
        "run",
        "source_tokenizer.json",
        "target_tokenizer.json",
        "train_settings.json",
        "translator.json",
    ]
    lines = stdout.splitlines()
    assert len(lines) == 1  # results only on stdout
    assert lines[0].startswith("held-out exact match: ")
    assert "dates never seen in training" in lines[0]
    assert "attention alignment accuracy" in lines[0]
    # logs and one progress line per epoch (no TTY) on stderr
    assert "training a bahdanau-attention GRU translator" in stderr
    # the one budget progress bar (BudgetProgbar), as `lm train` draws it
    assert "Epoch 1 (0.0 of " in stderr and " min)" in stderr
    logs = out / "run" / "logs"
    assert f"TensorBoard: tensorboard --logdir {logs}\n" in stderr
    assert (logs / "train").is_dir() and (logs / "validation").is_dir()
    settings = json.loads((out / "train_settings.json").read_text())
    assert settings["samples"] == 64 and settings["attention"] == "bahdanau"
    # the translator lower-cases its input: case is normalised, not learnt
    tokenizer = json.loads((out / "source_tokenizer.json").read_text())
    assert tokenizer["config"]["lower"] is True


def test_rerun_with_other_settings_is_refused(bundle, capsys):
    out, _, _ = bundle
    argv = ["train", "--out", str(out), *TINY[:-2], "--units", "8"]
    code, stdout, err = _run(capsys, *argv)
    assert code == 2 and stdout == ""
    assert err.count("\n") == 1
    assert "holds a run trained with other settings: --units 4 (now 8)" in err


def test_out_that_is_a_file_is_refused(tmp_path, capsys):
    path = tmp_path / "file.txt"
    path.write_text("x")
    code, _, err = _run(capsys, "train", "--out", str(path), *TINY)
    assert code == 2
    assert (
        err == f"rnn_zoo dates train: error: --out {str(path)!r} is a file; "
        "pass a folder\n"
    )


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (["train", "--out", "m", "--minutes", "0"], "--minutes: must be a positive"),
        (["train", "--out", "m", "--minutes", "nan"], "--minutes: must be a positive"),
        (["train", "--out", "m", "--attention", "multihead"], "invalid choice"),
        (["train", "--out", "m", "--samples", "-3"], "--samples: must be a positive"),
        (["train", "--out", "m", "--strategy", "ps"], "--strategy: invalid choice"),
        (["train"], "the following arguments are required: --out"),
        (["translate", "--model", "m", "--beam", "0", "x"], "--beam: must be"),
        (["translate", "--model", "m"], "required: TEXT"),
    ],
)
def test_unusable_arguments_exit_2(argv, match, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["dates", *argv])
    assert exit_info.value.code == 2
    assert match in capsys.readouterr().err


def test_train_with_the_multiworker_strategy_on_one_machine(tmp_path):
    # without TF_CONFIG the multi-worker strategy is this machine alone; the
    # model is built in its scope and trains like the default
    out = tmp_path / "model"
    env = {k: v for k, v in os.environ.items() if k != "TF_CONFIG"}
    result = subprocess.run(
        [sys.executable, "-m", "rnn_zoo", "dates", "train", "--out", str(out)]
        + [*TINY, "--strategy", "multiworker"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("held-out exact match: ")
    assert (out / "translator.json").is_file()
    assert (out / "run" / "final").is_dir()


# -- translate -----------------------------------------------------------------


def test_translate_in_a_fresh_process_matches_the_loaded_translator(bundle):
    from rnn_zoo.tasks.translator import Seq2SeqTranslator

    out, _, _ = bundle
    texts = ["saturday 21 july 1849", "MARCH 3, 2009", "03/04/21"]
    result = subprocess.run(
        [sys.executable, "-m", "rnn_zoo", "dates", "translate", "--model", str(out)]
        + ["--keep-unsure", *texts],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    expected = Seq2SeqTranslator.load(out).translate(texts)
    # a barely trained model is sure of nothing: exit 1, one line per input
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == expected  # --keep-unsure prints them
    # no TensorFlow noise; only our notes, one per unsure answer
    lines = result.stderr.splitlines()
    assert len(lines) == len(texts)
    for i, line in enumerate(lines):
        assert line.startswith(f"{PROG}: unsure: input {i + 1} "), line


def test_bad_inputs_one_message_each_and_lines_stay_aligned(bundle, capsys):
    out, _, _ = bundle
    texts = ["3 March 2021", "", "   ", "3 März 2021", "1" * 100, "march 3 2021"]
    code, stdout, err = _run(
        capsys, "translate", "--model", str(out), "--keep-unsure", *texts
    )
    assert code == 2
    lines = stdout.split("\n")[:-1]
    assert len(lines) == len(texts)  # one stdout line per input, in order
    assert [i for i, line in enumerate(lines) if line == ""] == [1, 2, 3, 4]
    errors = [e for e in err.splitlines() if ": error: " in e]
    assert [e.split(":")[2].strip() for e in errors] == [
        "input 2",
        "input 3",
        "input 4",
        "input 5",
    ]
    assert "non-empty" in errors[0] and "non-empty" in errors[1]
    assert "never" not in errors[0]
    assert "unseen character" in errors[2] and "'ä'" in errors[2]
    assert "at most" in errors[3] and "(100 characters)" in errors[3]


def test_stdin_dash_reads_one_input_per_line(bundle, capsys, monkeypatch):
    out, _, _ = bundle
    monkeypatch.setattr(sys, "stdin", io.StringIO("3 March 2021\nMar 4, 1999\n"))
    code, stdout, err = _run(capsys, "translate", "--model", str(out), "-", "5/6/07")
    assert code == 1  # the tiny model is unsure of all three
    assert stdout == "\n\n\n" and err.count(": unsure: input ") == 3


def test_sure_answers_print_and_exit_0_unsure_ones_exit_1(bundle, capsys, monkeypatch):
    from rnn_zoo.tasks.translator import Seq2SeqTranslator

    out, _, _ = bundle
    texts = ["saturday 21 july 1849", "21 july 3500", "21 july 1849"]
    answers = ["1849-07-21", "3500-07-21", "1849-07-21"]
    monkeypatch.setattr(
        Seq2SeqTranslator, "translate", lambda self, t, **k: answers[: len(t)]
    )
    probability = [0.99, 0.99, 0.5]
    monkeypatch.setattr(
        Seq2SeqTranslator, "confidence", lambda self, t, o: probability[: len(t)]
    )
    code, stdout, err = _run(capsys, "translate", "--model", str(out), texts[0])
    assert (code, stdout, err) == (0, "1849-07-21\n", "")
    code, stdout, err = _run(capsys, "translate", "--model", str(out), *texts)
    assert code == 1 and stdout == "1849-07-21\n\n\n"
    lines = err.splitlines()
    assert lines[0] == (
        f"{PROG}: unsure: input 2 ('21 july 3500') -> 3500-07-21, not printed: "
        "year 3500 is outside the years the model was trained on (1000-2999)"
    )
    assert "input 3" in lines[1] and "probability of only 0.50" in lines[1]


def test_missing_and_corrupted_bundles_are_one_line_errors(bundle, tmp_path, capsys):
    out, _, _ = bundle
    code, _, err = _run(capsys, "translate", "--model", str(tmp_path / "no"), "x")
    assert code == 2 and err.count("\n") == 1
    assert "does not exist; train one with `dates train`" in err
    broken = tmp_path / "broken"
    shutil.copytree(out, broken)
    (broken / "source_tokenizer.json").unlink()
    code, stdout, err = _run(capsys, "translate", "--model", str(broken), "x")
    assert code == 2 and stdout == "" and err.count("\n") == 1
    assert err == (
        f"{PROG}: error: --model {str(broken)!r} is not a translator bundle: "
        "Missing: source_tokenizer.json\n"
    )
    (broken / "source_tokenizer.json").write_text("{not json")
    code, _, err = _run(capsys, "translate", "--model", str(broken), "x")
    assert code == 2 and err.count("\n") == 1 and "not a translator bundle" in err


# -- the recipe helpers ----------------------------------------------------------


def test_date_pairs_follow_the_training_recipe():
    pairs = date_pairs(400, seed=0)
    years = [d.year for d in pairs.dates]
    assert TRAINING_DATA["years"] == (1000, 2999)
    assert min(years) < 1100 and max(years) > 2900
    assert any(s != s.lower() and s != s.upper() for s in pairs.sources)
    assert any(s.isupper() for s in pairs.sources)
    longest = date_pairs(3000, seed=0, years=(2000, 2000), weekday_prefix=1.0)
    assert max(map(len, longest.sources)) <= 38 < MAX_SOURCE_LENGTH
    held_out = date_pairs(100, seed=1, years=(1850, 1899))
    assert {d.year // 50 for d in held_out.dates} == {37}
    subset = subset_pairs(held_out, [3, 1])
    assert subset.sources == [held_out.sources[3], held_out.sources[1]]
    assert subset.alignments[0] == held_out.alignments[3]


def test_evaluate_translator_scores_and_drops_unreadable_pairs(bundle):
    from rnn_zoo.datasets import DatePairs
    from rnn_zoo.tasks.date_training import evaluate_translator
    from rnn_zoo.tasks.translator import Seq2SeqTranslator

    out, _, _ = bundle
    translator = Seq2SeqTranslator.load(out)
    pairs = date_pairs(6, seed=5)
    bad = DatePairs(
        pairs.sources[:5] + ["3 März 2021"],
        pairs.targets,
        pairs.alignments,
        pairs.formats,
        pairs.dates,
    )
    scores = evaluate_translator(translator, bad)
    assert scores["dropped"] == 1 and len(scores["pairs"]) == 5
    assert scores["predictions"] == translator.translate(pairs.sources[:5])
    assert 0.0 <= scores["exact_match"] <= 1.0
    assert 0.0 <= scores["token_accuracy"] <= 1.0
    assert 0.0 <= scores["alignment_accuracy"] <= 1.0


def test_rerun_into_a_finished_run_refuses_then_continues(bundle, tmp_path, capsys):
    out, _, _ = bundle
    again = tmp_path / "again"
    shutil.copytree(out, again)
    before = (again / "model.keras").stat().st_mtime_ns
    code, stdout, err = _run(capsys, "train", "--out", str(again), *TINY)
    assert code == 2 and stdout == "" and err.count("\n") == 1
    assert "holds a finished run (1 epochs); pass --continue" in err
    assert (again / "model.keras").stat().st_mtime_ns == before  # untouched

    code, stdout, err = _run(capsys, "train", "--out", str(again), *TINY, "--continue")
    assert code == 0, err
    assert "continuing the finished run" in err and "(after 1 epochs)" in err
    assert stdout.startswith("held-out exact match: ")
    assert (again / "model.keras").stat().st_mtime_ns > before
    with open(again / "run" / "history.csv") as f:
        assert [row.split(",")[0] for row in f.read().splitlines()[1:]] == ["0", "1"]
