"""make_addition_problems / make_addition_curriculum: operand lengths, answers,
reversal, curriculum stages, seeds and bad input."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_zoo.datasets import (
    AdditionProblems,
    addition_test_set,
    make_addition_curriculum,
    make_addition_problems,
)


def _operands(question: str, reverse: bool = False) -> tuple[str, str]:
    a, b = (question[::-1] if reverse else question).split("+")
    return a, b


def test_operands_have_exactly_the_drawn_number_of_digits_and_answers_add_up():
    p = make_addition_problems(600, [1, 2, 4], seed=3)
    assert isinstance(p, AdditionProblems)
    assert sorted(set(p.digits.tolist())) == [1, 2, 4]
    for question, answer, k in zip(p.questions, p.answers, p.digits, strict=True):
        a, b = _operands(question)
        assert len(a) == len(b) == k
        assert int(answer) == int(a) + int(b) and answer == str(int(answer))
        if k > 1:
            assert a[0] != "0" and b[0] != "0"  # no leading zeros
    # lengths are drawn uniformly from the list: each about a third
    counts = np.bincount(p.digits, minlength=5)[[1, 2, 4]]
    assert counts.min() > 150
    # one-digit operands cover 0 .. 9 (0 included)
    ones = make_addition_problems(500, 1, seed=0)
    assert {int(_operands(q)[0]) for q in ones.questions} == set(range(10))


def test_reverse_reverses_questions_only_and_seeds_repeat():
    p = make_addition_problems(20, 3, seed=7)
    r = make_addition_problems(20, 3, reverse=True, seed=7)
    assert r.questions == [q[::-1] for q in p.questions]
    assert r.answers == p.answers
    assert make_addition_problems(20, 3, seed=7).questions == p.questions
    assert make_addition_problems(20, 3, seed=8).questions != p.questions
    # a weighted list: repeat a length to draw it more often
    w = make_addition_problems(400, [1, 1, 1, 2], seed=0)
    assert (w.digits == 1).mean() > 0.6


def test_curriculum_strategies():
    naive = make_addition_curriculum(50, 3, strategy="naive", seed=0)
    assert [sorted(set(s.digits.tolist())) for s in naive] == [[1], [2], [3]]
    mix = make_addition_curriculum(300, 3, strategy="mix", seed=0)
    assert all(sorted(set(s.digits.tolist())) == [1, 2, 3] for s in mix)
    combined = make_addition_curriculum(2000, 3, strategy="combined", seed=0)
    # stage s: half from s, half uniform -> P(s) = 1/2 + 1/6 = 2/3
    for s, stage in enumerate(combined, start=1):
        assert len(stage.questions) == 2000
        assert (stage.digits == s).mean() == pytest.approx(2 / 3, abs=0.04)
    rev = make_addition_curriculum(5, 2, strategy="naive", reverse=True, seed=1)
    for stage in rev:
        for q, a in zip(stage.questions, stage.answers, strict=True):
            x, y = _operands(q, reverse=True)
            assert int(x) + int(y) == int(a)


def test_addition_test_set_has_every_length_up_to_one_more_fixed_by_seed():
    test = addition_test_set(3, 40)
    assert test.digits.tolist() == [k for k in (1, 2, 3, 4) for _ in range(40)]
    for q, a, k in zip(test.questions, test.answers, test.digits, strict=True):
        x, y = _operands(q)
        assert len(x) == len(y) == k and int(x) + int(y) == int(a)
    assert addition_test_set(3, 40).questions == test.questions
    assert addition_test_set(3, 40, seed=1).questions != test.questions


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: make_addition_problems(0, 2), ValueError, "`n` must be a positive"),
        (lambda: make_addition_problems(2, 0), ValueError, "`digits` must be"),
        (lambda: make_addition_problems(2, []), ValueError, "`digits` must be"),
        (lambda: make_addition_problems(2, 2.0), TypeError, "`digits` must be"),
        (lambda: make_addition_problems(2, "12"), TypeError, "`digits` must be"),
        (lambda: make_addition_problems(2, [1, True]), TypeError, "`digits` must"),
        (lambda: make_addition_problems(2, 2, reverse=1), TypeError, "`reverse`"),
        (lambda: make_addition_problems(2, 2, seed=-1), ValueError, "`seed`"),
        (lambda: make_addition_curriculum(0, 2), ValueError, "`n_per_stage`"),
        (lambda: addition_test_set(0, 2), ValueError, "`max_digits`"),
        (lambda: addition_test_set(9, 2), ValueError, "`max_digits`"),
        (lambda: addition_test_set(2, 0), ValueError, "`per_digit`"),
        (lambda: addition_test_set(2, 2, seed=-1), ValueError, "`seed`"),
        (lambda: make_addition_curriculum(2, 10), ValueError, "`max_digits`"),
        (
            lambda: make_addition_curriculum(2, 2, strategy="reverse"),
            ValueError,
            "`strategy` must be one of 'mix', 'naive', 'combined'",
        ),
    ],
)
def test_bad_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call()
