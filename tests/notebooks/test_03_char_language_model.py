"""Notebook 03 (character language model) with its quick parameters."""

from __future__ import annotations

import math

import pytest


def test_03_char_language_model(run_notebook):
    results, _ = run_notebook("03_char_language_model")
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
    assert results["unknown_validation"] >= 0
