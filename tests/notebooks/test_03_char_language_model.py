"""Notebook 03 (character language model) with its quick parameters."""

from __future__ import annotations

import math

import pytest

from rnn_zoo.datasets import load_text_corpus
from tests.mirror import mirror_environment, needs_mirror
from tools.run_tutorials import quick_parameters

pytestmark = pytest.mark.slow  # notebook run

NAME = "03_char_language_model"


@needs_mirror  # the notebook reads Tiny Shakespeare; a test never downloads it
def test_03_char_language_model(run_notebook, monkeypatch):
    mirror_environment(monkeypatch)  # the kernel inherits RNN_ZOO_DATA_DIR
    results, _ = run_notebook(NAME)
    params = quick_parameters(NAME)
    baselines = results["baselines"]
    # an untrained model's loss is ln V (uniform bets), to 0.05 nats
    assert results["initial_loss"] == pytest.approx(results["ln_vocab"], abs=0.05)
    assert baselines["uniform"] == pytest.approx(math.log2(results["vocab_size"] - 1))
    assert baselines["3-gram"] < baselines["unigram"] < baselines["uniform"]
    # even 100 tiny training steps learn more than character frequencies
    assert results["model_bits_per_char"] < baselines["unigram"]
    assert results["epochs"] == 4
    assert results["sample"].startswith("ROMEO:")
    assert len(results["sample"]) == len("ROMEO:") + 40
    unknown_validation_characters_counted(results, params)
    # the hand-built model is build_char_lm's; hand-cut batches are char_dataset's
    assert results["same_architecture"] is True
    assert results["same_batches"] is True
    # padding to PAD_LENGTH: the mask keeps each line's real steps, at most that
    assert results["pad_mask_steps"] == [
        min(n, params.get("PAD_LENGTH", 24)) for n in results["line_lengths"]
    ]
    assert results["same_mask"] is True
    # the stateful aside ran: both evaluations and the training epochs
    assert set(results["stream_bits_per_char"]) == {
        "state carried",
        "reset before every batch",
    }
    assert results["stateful_epochs"] == 2


def unknown_validation_characters_counted(results, params):
    """Recount, from the raw corpus, validation characters unseen in training."""
    text = load_text_corpus("shakespeare")[: params["TEXT_CHARS"]]
    cut = int((1 - params["VALIDATION_FRACTION"]) * len(text))
    train, validation = text[:cut], text[cut:]
    seen = set(train)
    expected = sum(1 for char in validation if char not in seen)
    # the quick split is chosen so that some exist (a count of 0 proves little),
    # and so that one unseen character occurs more than once
    assert expected > len(set(validation) - set(train)) > 0
    assert results["unknown_validation"] == expected
    assert results["unknown_by_hand"] == expected
    assert results["unseen_characters"] == sorted(set(validation) - set(train))
