"""accuracy_by_digits and the no-carry baseline: hand-computed values, bad input."""

from __future__ import annotations

import itertools

import pytest

from rnn_zoo.datasets import make_addition_problems
from rnn_zoo.evaluation.arithmetic import accuracy_by_digits, no_carry_answers


def test_accuracy_by_digits_by_hand():
    predictions = ["5", "7", "31", "130", "999", "1000"]
    answers = ["5", "8", "31", "131", "998", "1000"]
    digits = [1, 1, 2, 2, 3, 3]
    assert accuracy_by_digits(predictions, answers, digits) == {1: 0.5, 2: 0.5, 3: 0.5}
    # token accuracy: "7"/"8" 0 of 1; "130"/"131" 2 of 3; "999"/"998" 2 of 3
    tokens = accuracy_by_digits(predictions, answers, digits, metric="token_accuracy")
    assert tokens == pytest.approx({1: 1 / 2, 2: (2 + 2) / (2 + 3), 3: (2 + 4) / 7})
    assert list(accuracy_by_digits(["1", "2"], ["1", "2"], [4, 2])) == [2, 4]


def test_no_carry_rule_is_right_exactly_without_carries():
    # every one-digit problem: right iff a + b < 10, i.e. 55 of 100
    questions = [f"{a}+{b}" for a, b in itertools.product(range(10), repeat=2)]
    answers = [str(eval(q)) for q in questions]
    rule = no_carry_answers(questions)
    assert sum(r == a for r, a in zip(rule, answers, strict=True)) == 55
    assert no_carry_answers(["123+45", "58+67", "5+5", "999+1"]) == [
        "168",
        "15",
        "0",
        "990",
    ]
    p = make_addition_problems(50, 3, reverse=True, seed=0)
    plain = [q[::-1] for q in p.questions]
    assert no_carry_answers(p.questions, reverse=True) == no_carry_answers(plain)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: accuracy_by_digits(["1"], ["1"], [1, 2]), ValueError, "`digits`"),
        (lambda: accuracy_by_digits(["1"], ["1"], [1.5]), TypeError, "`digits`"),
        (lambda: accuracy_by_digits(["1"], ["1", "2"], [1]), ValueError, "one entry"),
        (
            lambda: accuracy_by_digits(["1"], ["1"], [1], metric="f1"),
            ValueError,
            "`metric`",
        ),
        (lambda: no_carry_answers("1+2"), TypeError, "`questions` must be a list"),
        (lambda: no_carry_answers(["1+2", "1-2"]), ValueError, r"`questions\[1\]`"),
        (lambda: no_carry_answers([12]), TypeError, r"`questions\[0\]`"),
    ],
)
def test_bad_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call()
