"""Can the date translator stand behind an answer? Checks for ``dates translate``.

An answer is *sure* only when every check passes, and *unsure* with the first
failing check's reason otherwise:

1. the input reads as a date: besides numbers it has only month and weekday
   names (full or abbreviated) and the words "the", "of", "st", "nd", "rd",
   "th"; it names at most one month; it has a day, a month and a year (three
   numbers, or two and a month name; ``20210303`` counts as three);
2. its four-digit year lies in the years the model was trained on (1000-2999
   for ``dates train``, minus any block left out);
3. its numbers make a real date (not "31 february 2001");
4. the output is a valid ISO date ``YYYY-MM-DD``;
5. the input's day, month (number or name) and year (four digits, or two
   for 1950-2049, as in training) reappear in the output, and nothing else
   does; a weekday name in the input matches the output's weekday;
6. the model's own probability of its answer (`Seq2SeqTranslator.confidence`,
   one teacher-forced forward pass) is at least ``MIN_PROBABILITY``.

The checks 1-5 need no model; 6 does. ``MIN_PROBABILITY`` was picked on
held-out dates (README, "Date translation"): the highest threshold that marks
at most 1 % of correct answers unsure.

Nothing here imports TensorFlow.
"""

from __future__ import annotations

import datetime
import itertools
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "MIN_PROBABILITY",
    "TRAINED_YEARS",
    "trained_years",
    "date_problem",
    "unsure_reasons",
]

#: Answers the model gives a lower probability than this are marked unsure.
MIN_PROBABILITY = 0.95
#: The years ``dates train`` draws (``rnn_zoo.tasks.date_training.TRAINING_DATA``).
TRAINED_YEARS = (1000, 2999)
_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december",
)  # fmt: skip
_WEEKDAYS = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
_FILLERS = frozenset({"the", "of", "st", "nd", "rd", "th"})
_TWO_DIGIT_YEARS = (1950, 2049)  # how make_date_pairs writes two-digit years
_SETTINGS_FILE = "train_settings.json"


def _name_index(word: str, names: Sequence[str]) -> int | None:
    """Index of the name ``word`` spells in full or abbreviates (3+ letters)."""
    for i, name in enumerate(names):
        if word == name or (len(word) >= 3 and name.startswith(word)):
            return i
    return None


def trained_years(folder: str | Path) -> tuple[tuple[int, int], tuple[int, int] | None]:
    """The years a ``dates train`` bundle was trained on, from its settings file.

    Args:
        folder: The bundle folder (``--model``).

    Returns:
        ``((first, last), excluded)``: the year range and the block of years
        left out of training (or None). Bundles without a readable
        ``train_settings.json`` get ``TRAINED_YEARS`` and None.

    Example:
        >>> trained_years("/no/such/folder")
        ((1000, 2999), None)
    """
    path = Path(folder) / _SETTINGS_FILE
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
        first, last = (int(y) for y in settings["data"]["years"])
        block = settings.get("exclude_years")
        excluded = None if not block else (int(block[0]), int(block[1]))
        return (first, last), excluded
    except (OSError, ValueError, KeyError, TypeError):
        return TRAINED_YEARS, None


def _numbers(text: str) -> list[str]:
    numbers = re.findall(r"\d+", text)
    if len(numbers) == 1 and len(numbers[0]) == 8:  # 20210303: YYYYMMDD
        return [numbers[0][:4], numbers[0][4:6], numbers[0][6:]]
    return numbers


def _real_date(year: int, month_day: Sequence[int]) -> bool:
    try:
        datetime.date(year, *month_day)
    except ValueError:
        return False
    return True


def date_problem(
    text: str,
    output: str,
    *,
    years: tuple[int, int] = TRAINED_YEARS,
    exclude_years: tuple[int, int] | None = None,
) -> str | None:
    """Checks 1-5 of the module docstring: why ``output`` is unsure, or None.

    Args:
        text: The input as typed.
        output: The translator's answer for it.
        years: ``(first, last)`` year the model was trained on.
        exclude_years: A ``(first, last)`` block left out of training, or None.

    Returns:
        A short reason (no trailing period), or None when every check passes.

    Example:
        >>> print(date_problem("saturday 21 july 1849", "1849-07-21"))
        None
        >>> date_problem("21 july 3500", "2500-07-21")
        'year 3500 is outside the years the model was trained on (1000-2999)'
        >>> date_problem("31 february 2001", "2001-02-03")
        'not a real date: February 2001 has no day 31'
        >>> date_problem("hello world", "1777-04-04")
        "not a date: no month or weekday name in 'hello', 'world'"
        >>> date_problem("3/4/21", "2021-03-14")
        "the output 2021-03-14 does not have the input's day and month (3, 4)"
    """
    lowered = text.lower()
    words = re.findall(r"[a-z]+", lowered)
    months = {m for w in words if (m := _name_index(w, _MONTHS)) is not None}
    weekdays = {d for w in words if (d := _name_index(w, _WEEKDAYS)) is not None}
    unknown = [
        w
        for w in words
        if w not in _FILLERS
        and _name_index(w, _MONTHS) is None
        and _name_index(w, _WEEKDAYS) is None
    ]
    if unknown:
        shown = ", ".join(repr(w) for w in dict.fromkeys(unknown))
        return f"not a date: no month or weekday name in {shown}"
    if len(months) > 1:
        return "not a date: it names more than one month"
    if len(weekdays) > 1:
        return "not a date: it names more than one weekday"
    numbers = _numbers(lowered)
    wanted = 2 if months else 3
    if len(numbers) != wanted:
        what = "a month name and two numbers" if months else "three numbers"
        return (
            f"not a date: it has {len(numbers)} number(s); a date here is day, "
            f"month and year ({what})"
        )
    first, last = years
    for number in numbers:
        if len(number) == 4 and not first <= int(number) <= last:
            return (
                f"year {number} is outside the years the model was trained on "
                f"({first}-{last})"
            )
        if (
            len(number) == 4
            and exclude_years
            and exclude_years[0] <= int(number) <= exclude_years[1]
        ):
            return (
                f"year {number} was left out of training "
                f"({exclude_years[0]}-{exclude_years[1]})"
            )
    impossible = _impossible(numbers, months)
    if impossible:
        return impossible
    try:
        date = datetime.date.fromisoformat(output)
        valid = date.isoformat() == output
    except ValueError:
        valid = False
    if not valid:
        return f"the output {output!r} is not a valid date"
    return _mismatch(numbers, months, weekdays, date, output)


def _year_index(numbers: Sequence[str], year: int) -> int | None:
    for i, number in enumerate(numbers):
        if len(number) == 4 and int(number) == year:
            return i
    low, high = _TWO_DIGIT_YEARS
    for i, number in enumerate(numbers):
        if len(number) == 2 and low <= year <= high and int(number) == year % 100:
            return i
    return None


def _impossible(numbers: Sequence[str], months: set[int]) -> str | None:
    """Whether no reading of the numbers (and month name) is a calendar date."""
    years = [i for i, n in enumerate(numbers) if len(n) in (2, 4)]
    for i in years:
        year = int(numbers[i])
        if len(numbers[i]) == 2:  # 50-99 -> 1950-1999, 00-49 -> 2000-2049
            year += 1900 if year >= 50 else 2000
        rest = [int(n) for j, n in enumerate(numbers) if j != i]
        if months:
            if _real_date(year, (next(iter(months)) + 1, rest[0])):
                return None
        elif any(_real_date(year, p) for p in itertools.permutations(rest)):
            return None
    if months and len(numbers) == 2:
        month = _MONTHS[next(iter(months))].title()
        day, year = sorted(numbers, key=len)
        if len(year) == 4:
            return f"not a real date: {month} {year} has no day {int(day)}"
    shown = ", ".join(numbers)
    return f"not a real date: no day, month and year can be read from {shown}"


def _mismatch(
    numbers: Sequence[str],
    months: set[int],
    weekdays: set[int],
    date: datetime.date,
    output: str,
) -> str | None:
    index = _year_index(numbers, date.year)
    if index is None:
        return f"the output {output} does not have the input's year"
    rest = sorted(int(n) for j, n in enumerate(numbers) if j != index)
    if months:
        month = next(iter(months)) + 1
        if month != date.month:
            return (
                f"the input names {_MONTHS[month - 1].title()} but the output "
                f"{output} has month {date.month:02d}"
            )
        expected = [date.day]
    else:
        expected = sorted([date.month, date.day])
    if rest != expected:
        what = "day" if months else "day and month"
        shown = ", ".join(str(n) for n in rest)
        return f"the output {output} does not have the input's {what} ({shown})"
    if weekdays and next(iter(weekdays)) != date.weekday():
        return (
            f"the input says {_WEEKDAYS[next(iter(weekdays))].title()} but "
            f"{output} is a {_WEEKDAYS[date.weekday()].title()}"
        )
    return None


def unsure_reasons(
    texts: Sequence[str],
    outputs: Sequence[str],
    probabilities: Any,
    *,
    years: tuple[int, int] = TRAINED_YEARS,
    exclude_years: tuple[int, int] | None = None,
    min_probability: float = MIN_PROBABILITY,
) -> list[str | None]:
    """All six checks for each answer: a reason it is unsure, or None.

    Args:
        texts: The inputs.
        outputs: The translator's answers, one per input.
        probabilities: The model's probability of each answer
            (`Seq2SeqTranslator.confidence`).
        years: ``(first, last)`` year the model was trained on.
        exclude_years: A block of years left out of training, or None.
        min_probability: Answers below this probability are unsure.

    Returns:
        One reason or None per input.

    Example:
        >>> unsure_reasons(["3 may 2001", "4 may 2001"], ["2001-05-03", "2001-05-04"],
        ...                [0.99, 0.42])
        [None, 'the model gives its answer a probability of only 0.42 (sure needs >= 0.95)']
    """  # noqa: E501
    reasons: list[str | None] = []
    for text, output, probability in zip(texts, outputs, probabilities, strict=True):
        reason = date_problem(text, output, years=years, exclude_years=exclude_years)
        if reason is None and not float(probability) >= min_probability:
            reason = (
                f"the model gives its answer a probability of only "
                f"{float(probability):.2f} (sure needs >= {min_probability:g})"
            )
        reasons.append(reason)
    return reasons
