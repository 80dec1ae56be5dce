"""Notebook 08 at quick size: runs clean, and its recorded numbers are consistent."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_zoo.evaluation import accuracy_by_digits, addition_test_set, no_carry_answers
from tools.run_tutorials import quick_parameters

NAME = "08_learning_to_execute"


@pytest.fixture(scope="module")
def params():
    return quick_parameters(NAME)


def test_learning_to_execute(run_notebook, params):
    results, nb = run_notebook(NAME)
    max_digits, seeds = params["MAX_DIGITS"], params["SEEDS"]
    lengths = [str(k) for k in range(1, max_digits + 2)]
    configs = ["as written", "reversed", "reversed + combined"]

    # the no-carry baseline, recomputed from the same fixed test set
    test = addition_test_set(max_digits, params["TEST_PER_DIGIT"], seed=1234)
    expected = accuracy_by_digits(
        no_carry_answers(test.questions), test.answers, test.digits
    )
    assert results["no_carry_baseline"] == {str(k): v for k, v in expected.items()}
    # by hand for one-digit sums: right exactly when a + b < 10
    ones = [q for q, k in zip(test.questions, test.digits, strict=True) if k == 1]
    no_carry = np.mean([eval(q) < 10 for q in ones])
    assert results["no_carry_baseline"]["1"] == pytest.approx(no_carry)

    # every recipe scored on every length, the mean over seeds recorded
    by_digits = results["exact_match_by_digits"]
    assert list(by_digits) == configs
    for name in configs:
        assert list(by_digits[name]) == lengths
        for k in lengths:
            per_seed = [
                results["exact_match_by_seed"][f"{name} / seed {s}"][k] for s in seeds
            ]
            assert by_digits[name][k] == pytest.approx(np.mean(per_seed))
            assert 0.0 <= by_digits[name][k] <= 1.0
    untrained = str(max_digits + 1)
    assert results["next_digit_exact_match"] == pytest.approx(
        max(by_digits[name][untrained] for name in configs)
    )
    assert 0.0 <= results["next_digit_right_length"] <= 1.0

    # the same budget for every recipe: MAX_DIGITS stages of STEPS_PER_STAGE steps
    planned = max_digits * params["STEPS_PER_STAGE"]
    assert results["steps"] == {name: [planned] for name in configs}
    # embeddings (13 source ids, 14 target ids), two LSTMs, the logits layer
    units, emb = params["UNITS"], params["EMBEDDING_DIM"]
    lstm = 4 * units * (emb + units + 1)
    assert results["params"] == 13 * emb + 14 * emb + 2 * lstm + units * 14 + 14

    # a winner is named only where the seed ranges do not overlap
    assert results["reversal_winner"] in (None, "reversed", "as written")
    assert results["curriculum_winner"] in (None, "reversed + combined", "reversed")

    # the accuracy-by-digits plot was drawn
    images = [
        output
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    ]
    assert len(images) >= 1
