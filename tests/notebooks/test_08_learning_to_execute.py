"""Notebook 08 at quick size: runs clean, and what it teaches holds in its numbers.

- the no-carry baseline is the rule that never carries (recomputed by hand);
- every recipe is scored on every length, with the same number of steps;
- the model built in the notebook is the one `build_seq2seq` gives (parameters);
- the reversal argument counts the characters of its own example;
- a winner is named iff the seed ranges do not overlap (recomputed from the
  recorded per-seed numbers), in the sentence `describe_difference` renders.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnn_zoo.datasets import addition_test_set
from rnn_zoo.evaluation import accuracy_by_digits, no_carry_answers
from rnn_zoo.training.experiments import describe_difference
from tools.run_tutorials import quick_parameters

pytestmark = pytest.mark.slow  # notebook run

NAME = "08_learning_to_execute"


@pytest.fixture(scope="module")
def params():
    return quick_parameters(NAME)


def expected_winner(first: list[float], second: list[float], a: str, b: str):
    """The winner iff the seed ranges do not overlap (and there is a range)."""
    if len(first) < 2:
        return None
    if min(first) > max(second):
        return a
    if min(second) > max(first):
        return b
    return None


def check_comparisons(results: dict, max_digits: int, seeds: list[int]) -> None:
    """Each recorded verdict, recomputed from the per-seed exact matches."""
    by_seed = results["exact_match_by_seed"]

    longest, trained_mean = (results["metrics"][k] for k in ("longest", "trained mean"))

    def score(name: str, seed: int, metric: str) -> float:
        em = by_seed[f"{name} / seed {seed}"]
        if metric == longest:
            return 100 * em[str(max_digits)]
        assert metric == trained_mean, metric
        return 100 * np.mean([em[str(k)] for k in range(1, max_digits + 1)])

    assert results["comparisons"], "no comparison recorded"
    for c in results["comparisons"]:
        a, b, metric = c["first"], c["second"], c["metric"]
        values = {n: [score(n, s, metric) for s in seeds] for n in (a, b)}
        assert c["winner"] == expected_winner(values[a], values[b], a, b), c
        runs = pd.DataFrame(
            [
                {"config": n, "seed": s, metric: v}
                for n in (a, b)
                for s, v in zip(seeds, values[n], strict=True)
            ]
        )
        sentence = describe_difference(
            runs, metric, a, b, lower_is_better=False, digits=3
        )
        assert c["sentence"] == sentence
        if c["winner"] is None:
            assert "not shown" in c["sentence"]
        else:
            assert c["sentence"].startswith(f"**{c['winner']}**")


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
    no_carry = np.mean([sum(map(int, q.split("+"))) < 10 for q in ones])
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
    untrained = str(max_digits + 1)
    assert results["next_digit_exact_match"] == pytest.approx(
        max(by_digits[name][untrained] for name in configs)
    )

    # the same budget for every recipe: MAX_DIGITS stages of STEPS_PER_STAGE steps
    planned = max_digits * params["STEPS_PER_STAGE"]
    assert results["steps"] == {name: [planned] for name in configs}
    # the notebook's model: embeddings (13 source ids, 14 target ids), two
    # LSTMs, the logits layer; build_seq2seq gives the same layers and count
    units, emb = params["UNITS"], params["EMBEDDING_DIM"]
    lstm = 4 * units * (emb + units + 1)
    assert results["params"] == 13 * emb + 14 * emb + 2 * lstm + units * 14 + 14
    assert results["builder_params"] == results["params"]
    assert results["same_layers_as_builder"] is True

    # "123+456": the leading '1' is followed by "23+456", 6 characters, before
    # the encoder stops; reversed it is the last character read
    example = "123+456"
    assert results["leading_digit_gap"] == {
        "as written": len(example.split("1", 1)[1]),
        "reversed": 0,
    }
    assert results["leading_digit_gap"]["as written"] == 6

    # a winner is named iff the seed ranges do not overlap
    check_comparisons(results, max_digits, seeds)
    reversal = [c for c in results["comparisons"] if c["label"] == "reversal"]
    assert results["reversal_winner"] == reversal[0]["winner"]

    # the accuracy-by-digits plot was drawn
    images = [
        output
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    ]
    assert len(images) >= 1


@pytest.mark.parametrize(
    "first, second, winner",
    [
        ([50.0, 60.0], [10.0, 20.0], "a"),
        ([10.0, 20.0], [50.0, 60.0], "b"),
        ([10.0, 50.0], [20.0, 60.0], None),  # overlapping ranges
        ([20.0, 30.0], [10.0, 20.0], None),  # touching ranges
        ([60.0], [10.0], None),  # one seed: no range to judge by
    ],
)
def test_expected_winner_needs_ranges_apart(first, second, winner):
    assert expected_winner(first, second, "a", "b") == winner
