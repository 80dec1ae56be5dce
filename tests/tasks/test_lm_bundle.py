"""Tests for the language-model bundle: round trip in a fresh process, bad folders.

The fresh process is the real entry point, ``python -m rnn_zoo lm generate``
(``tests/cli/test_lm.py`` runs ``lm generate`` in-process on a bundle ``lm train``
wrote).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rnn_zoo.models import build_char_lm, generate_text
from rnn_zoo.preprocessing import CharTokenizer
from rnn_zoo.tasks.lm_bundle import load_lm_bundle, save_lm_bundle

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bundle_dir(tmp_path):
    tok = CharTokenizer().fit("to be, or not to be: that is the question")
    model = build_char_lm(tok.vocab_size, embedding_dim=4, units=8, cell="gru")
    folder = save_lm_bundle(tmp_path / "lm", model, tok, {"cell": "gru", "bpc": 1.5})
    return folder, model, tok


@pytest.mark.slow  # a child process
def test_round_trip_in_a_fresh_process(bundle_dir):
    """A fresh interpreter (the real ``python -m rnn_zoo lm generate``) loads the
    bundle and samples what this process samples from the model it saved."""
    folder, model, tok = bundle_dir
    here = generate_text(model, tok, "to be", 40, seed=11, top_p=0.9, num_streams=3)
    assert len(set(here)) > 1  # the streams differ: each row is its own sample
    args = ["--prompt", "to be", "--length", "40", "--seed", "11", "--top-p", "0.9"]
    result = subprocess.run(
        [sys.executable, "-m", "rnn_zoo", "lm", "generate", str(folder), *args]
        + ["--streams", "3"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"},
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # logs only; nothing from TensorFlow
    expected = "".join(f"----- stream {i} -----\n{t}\n" for i, t in enumerate(here))
    assert result.stdout == expected
    assert load_lm_bundle(folder).config == {"cell": "gru", "bpc": 1.5}


def test_bad_folders(bundle_dir, tmp_path):
    folder, model, tok = bundle_dir
    with pytest.raises(ValueError, match="It does not exist"):
        load_lm_bundle(tmp_path / "nothing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="lacks model.keras, tokenizer.json"):
        load_lm_bundle(tmp_path / "empty")
    (folder / "config.json").write_text("{not json")
    with pytest.raises(ValueError, match="is torn: config.json has 9 bytes"):
        load_lm_bundle(folder)  # the manifest sees the change first
    (folder / "manifest.json").unlink()  # a bundle saved before manifests
    with pytest.raises(ValueError, match="config.json is not valid JSON"):
        load_lm_bundle(folder)
    (folder / "config.json").write_text(json.dumps({"format": "other"}))
    with pytest.raises(ValueError, match="is not an rnn_zoo.LMBundle file"):
        load_lm_bundle(folder)
    save_lm_bundle(folder, model, tok)
    (folder / "model.keras").write_bytes(b"garbage")
    with pytest.raises(ValueError, match="is torn: model.keras has 7 bytes"):
        load_lm_bundle(folder)
    (folder / "manifest.json").unlink()
    with pytest.raises(ValueError, match="corrupted or truncated"):
        load_lm_bundle(folder)


def test_save_checks(bundle_dir, tmp_path):
    _, model, tok = bundle_dir
    other = CharTokenizer().fit("xyz")
    with pytest.raises(ValueError, match="`tokenizer` must be the model's tokenizer"):
        save_lm_bundle(tmp_path / "x", model, other)
    with pytest.raises(TypeError, match="`config` must be a JSON-serialisable"):
        save_lm_bundle(tmp_path / "x", model, tok, {"f": object()})
    (tmp_path / "file").write_text("")
    with pytest.raises(ValueError, match="It is a file"):
        save_lm_bundle(tmp_path / "file", model, tok)
