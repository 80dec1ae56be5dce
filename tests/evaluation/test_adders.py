"""train_adder / compare_adders: steps, parameter counts, scores by operand
length, learning beyond the no-carry rule, the time budget, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_zoo.evaluation.adders import (
    addition_test_set,
    compare_adders,
    train_adder,
)

TINY = dict(steps_per_stage=2, batch_size=8, units=4, embedding_dim=2)


def test_train_adder_counts_steps_and_parameters_and_scores_every_length():
    test = addition_test_set(2, 3)
    run = train_adder(max_digits=2, test=test, keep_translator=True, **TINY)
    assert run.steps == 2 * 2  # every stage ran: max_digits * steps_per_stage
    assert len(run.stage_losses) == 2 and all(np.isfinite(run.stage_losses))
    # embeddings 13 x 2 (pad, unknown, 10 digits, "+") and 14 x 2 (+ start, end);
    # two LSTMs of 4 units on 2 inputs; Dense(14) logits
    lstm = 4 * 4 * (2 + 4 + 1)
    assert run.params == 13 * 2 + 14 * 2 + 2 * lstm + 4 * 14 + 14
    assert sorted(run.exact_match) == sorted(run.token_accuracy) == [1, 2, 3]
    assert all(0 <= v <= 1 for v in run.exact_match.values())
    translator = run.translator
    assert translator.attention is None
    assert translator.max_source_length == 2 * 3 + 1  # one digit more than trained
    rows = run.as_rows()
    assert [r["digits"] for r in rows] == [1, 2, 3]
    assert [r["trained"] for r in rows] == [True, True, False]


def test_a_small_adder_learns_one_digit_sums_beyond_the_no_carry_rule():
    test = addition_test_set(1, 100)
    run = train_adder(
        max_digits=1,
        steps_per_stage=400,
        learning_rate=1e-2,
        units=32,
        embedding_dim=8,
        batch_size=32,
        test=test,
    )
    # the no-carry rule gets 55% of one-digit sums right (a + b < 10); an
    # untrained model about 0%; this one has learned the carry too
    assert run.exact_match[1] > 0.75
    assert run.stage_losses[0] < 1.0  # log(14) ~ 2.6 at the start


def test_compare_adders_same_steps_unless_the_time_budget_cuts_a_run(capsys):
    frame, runs = compare_adders(
        {"as written": {"reverse": False}, "cut short": {"time_budget": 1e-6}},
        [0],
        max_digits=2,
        test=addition_test_set(2, 2),
        **TINY,
    )
    assert len(frame) == 2 * 1 * 3  # configs x seeds x lengths 1..3
    steps = frame.groupby("config")["steps"].first().to_dict()
    assert steps == {"as written": 4, "cut short": 1}  # the budget stops stage 1
    assert len(runs["cut short", 0].stage_losses) == 1
    assert (
        not runs["as written", 0].reverse and runs["as written", 0].translator is None
    )
    assert runs["cut short", 0].reverse  # reverse=True is train_adder's default
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and "seed 0" in lines[-1] and "on 3" in lines[-1]


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: train_adder(max_digits=0), ValueError, "`max_digits`"),
        (lambda: train_adder(curriculum="hard", **TINY), ValueError, "`strategy`"),
        (
            lambda: train_adder(max_digits=1, test=addition_test_set(2, 1)),
            ValueError,
            "`test` must be problems of at most max_digits \\+ 1 = 2 digits",
        ),
        (lambda: train_adder(test=[("1+1", "2")]), TypeError, "`test` must be"),
        (lambda: compare_adders({}, [0]), ValueError, "`configs` must be non-empty"),
        (lambda: compare_adders({"a": {}}, []), ValueError, "`seeds` must be"),
        (
            lambda: compare_adders({"a": {"seed": 3}}, [0]),
            ValueError,
            r"`configs\['a'\]` must be train_adder arguments other than seed",
        ),
    ],
)
def test_bad_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call()
