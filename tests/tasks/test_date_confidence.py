"""The checks behind ``dates translate``'s "unsure": no model needed."""

from __future__ import annotations

import json

import pytest

from rnn_zoo.datasets import DATE_FORMATS
from rnn_zoo.tasks.date_confidence import (
    MIN_PROBABILITY,
    date_problem,
    trained_years,
    unsure_reasons,
)
from rnn_zoo.tasks.date_training import date_pairs


def test_every_correct_answer_of_the_training_recipe_passes():
    # 3,000 dates in all 32 formats, any case, weekday prefixes: no false alarm
    pairs = date_pairs(3000, seed=11)
    assert all(any(f.endswith(base) for f in pairs.formats) for base in DATE_FORMATS)
    problems = [
        date_problem(s, t) for s, t in zip(pairs.sources, pairs.targets, strict=True)
    ]
    assert [p for p in problems if p is not None] == []


@pytest.mark.parametrize(
    ("text", "output", "fragment"),
    [
        # the reproductions
        ("21 july 3500", "2500-07-21", "year 3500 is outside the years"),
        ("hello world", "1777-04-04", "not a date: no month or weekday name"),
        ("31 february 2001", "2001-02-03", "February 2001 has no day 31"),
        # a two-digit year read in the wrong century (a real held-out mistake)
        ("5/16/12", "1012-05-16", "does not have the input's year"),
        ("3 march 2021", "2021-03-04", "does not have the input's day (3)"),
        ("3/4/2021", "2021-03-14", "input's day and month (3, 4)"),
        ("3 march 2021", "2021-04-03", "names March but the output"),
        ("saturday 22 july 1849", "1849-07-22", "says Saturday but 1849-07-22"),
        ("3 march 2021", "2021-03-3", "is not a valid date"),
        ("2/30/1999", "1999-02-30", "not a real date"),
        ("3 march", "2021-03-03", "it has 1 number(s)"),
        ("march april 3 2021", "2021-03-03", "more than one month"),
    ],
)
def test_unsure_answers_say_why(text, output, fragment):
    reason = date_problem(text, output)
    assert reason is not None and fragment in reason, reason


def test_years_come_from_the_bundle_settings(tmp_path):
    assert trained_years(tmp_path) == ((1000, 2999), None)
    settings = {"data": {"years": [1000, 2999]}, "exclude_years": [1850, 1899]}
    (tmp_path / "train_settings.json").write_text(json.dumps(settings))
    years, excluded = trained_years(tmp_path)
    assert (years, excluded) == ((1000, 2999), (1850, 1899))
    reason = date_problem("3 may 1860", "1860-05-03", exclude_years=excluded)
    assert reason == "year 1860 was left out of training (1850-1899)"
    assert date_problem("3 may 1900", "1900-05-03", exclude_years=excluded) is None


def test_low_model_probability_alone_makes_an_answer_unsure():
    texts = ["3 may 2001"] * 3
    outputs = ["2001-05-03"] * 3
    below = MIN_PROBABILITY - 0.01
    reasons = unsure_reasons(texts, outputs, [MIN_PROBABILITY, below, float("nan")])
    assert reasons[0] is None
    assert f"probability of only {below:.2f}" in reasons[1]
    assert reasons[2] is not None  # NaN is never sure
