"""Human-written dates and their ISO form, for sequence-to-sequence translation.

``make_date_pairs`` writes random dates in dozens of human formats ("3 March
2021", "Mar 3, 2021", "03/03/21", ...) and pairs each with its ISO form
"2021-03-03". Month and weekday names come from explicit English tables, never
from the locale, so the data is the same on every machine. For each pair it also
returns which source characters each target character comes from: a known
alignment to check attention weights against.
"""

from __future__ import annotations

import datetime
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from rnn_zoo._validation import check_int, check_type, error_message
from rnn_zoo.datasets.synthetic import _rng

__all__ = ["DATE_FORMATS", "DATE_FIELDS", "DatePairs", "make_date_pairs"]

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)  # fmt: skip
WEEKDAY_NAMES = (
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
)  # fmt: skip
FIRST_DATE = datetime.date(1950, 1, 1)
LAST_DATE = datetime.date(2049, 12, 31)
NO_SOURCE = (-1, -1)


def _ordinal(day: int) -> str:
    suffix = (
        "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    )
    return f"{day}{suffix}"


# field -> (text for a date, the part of the ISO date it gives, or None)
_FIELDS: dict[str, tuple[Callable[[datetime.date], str], str | None]] = {
    "Y": (lambda d: f"{d.year:04d}", "year"),
    "y": (lambda d: f"{d.year % 100:02d}", "year"),
    "m": (lambda d: str(d.month), "month"),
    "mm": (lambda d: f"{d.month:02d}", "month"),
    "B": (lambda d: MONTH_NAMES[d.month - 1], "month"),
    "BU": (lambda d: MONTH_NAMES[d.month - 1].upper(), "month"),
    "b": (lambda d: MONTH_NAMES[d.month - 1][:3], "month"),
    "bU": (lambda d: MONTH_NAMES[d.month - 1][:3].upper(), "month"),
    "d": (lambda d: str(d.day), "day"),
    "dd": (lambda d: f"{d.day:02d}", "day"),
    "do": (lambda d: _ordinal(d.day), "day"),
    "A": (lambda d: WEEKDAY_NAMES[d.weekday()], None),
    "a": (lambda d: WEEKDAY_NAMES[d.weekday()][:3], None),
}

#: Template fields and what they write for 2021-03-03 (a Wednesday).
DATE_FIELDS = {
    name: text(datetime.date(2021, 3, 3)) for name, (text, _) in _FIELDS.items()
}

#: Built-in source formats, as templates of ``DATE_FIELDS``. Numeric orders are
#: unambiguous by separator: "/" is month/day/year (US), "." with the year last
#: is day.month.year (European), "-" and "." with the year first are year-month-day.
DATE_FORMATS = (
    "{d} {B} {Y}",  # 3 March 2021
    "{dd} {B} {Y}",  # 03 March 2021
    "{d} {b} {Y}",  # 3 Mar 2021
    "{d} {BU} {Y}",  # 3 MARCH 2021
    "{B} {d}, {Y}",  # March 3, 2021
    "{B} {d} {Y}",  # March 3 2021
    "{b} {d}, {Y}",  # Mar 3, 2021
    "{b}. {d}, {Y}",  # Mar. 3, 2021
    "{BU} {d}, {Y}",  # MARCH 3, 2021
    "{B} {do}, {Y}",  # March 3rd, 2021
    "{do} of {B} {Y}",  # 3rd of March 2021
    "the {do} of {B}, {Y}",  # the 3rd of March, 2021
    "{A}, {B} {d}, {Y}",  # Wednesday, March 3, 2021
    "{A} {d} {B} {Y}",  # Wednesday 3 March 2021
    "{A}, the {do} of {B} {Y}",  # Wednesday, the 3rd of March 2021
    "{a}, {d} {b} {Y}",  # Wed, 3 Mar 2021
    "{a} {b} {dd} {Y}",  # Wed Mar 03 2021
    "{b} {d} '{y}",  # Mar 3 '21
    "{Y} {B} {d}",  # 2021 March 3
    "{mm}/{dd}/{y}",  # 03/03/21
    "{m}/{d}/{y}",  # 3/3/21
    "{mm}/{dd}/{Y}",  # 03/03/2021
    "{m}/{d}/{Y}",  # 3/3/2021
    "{dd}.{mm}.{Y}",  # 03.03.2021
    "{d}.{m}.{Y}",  # 3.3.2021
    "{dd}.{mm}.{y}",  # 03.03.21
    "{Y}.{mm}.{dd}",  # 2021.03.03
    "{Y}-{mm}-{dd}",  # 2021-03-03
    "{Y}{mm}{dd}",  # 20210303
    "{dd}-{b}-{Y}",  # 03-Mar-2021
    "{d}-{b}-{y}",  # 3-Mar-21
    "{dd}{bU}{Y}",  # 03MAR2021
)

_TARGET_PARTS = ("year",) * 4 + (None,) + ("month",) * 2 + (None,) + ("day",) * 2


@dataclass(frozen=True)
class DatePairs:
    """Source/target date strings with their character alignment.

    All lists have one entry per pair.

    Attributes:
        sources: Human-written dates, e.g. ``"Mar 3, 2021"``.
        targets: The same dates as ISO ``"YYYY-MM-DD"`` strings (10 characters).
        alignments: For each pair, 10 ``(start, end)`` spans, one per target
            character: the target character comes from ``source[start:end]``.
            Characters 0-3 (year) point at the year in the source (4 or 2 digits),
            5-6 (month) at the month (number or name), 8-9 (day) at the day
            (number or ordinal such as "3rd"); the two dashes come from nowhere and
            get ``(-1, -1)``. A weekday name in the source is never pointed at.
        formats: The template each source was written with (see ``DATE_FORMATS``).
        dates: The dates as ``datetime.date`` objects.

    Example:
        >>> pairs = make_date_pairs(3, formats=["{Y}.{mm}.{dd}"], seed=0)
        >>> len(pairs), pairs.sources[0].replace(".", "-") == pairs.targets[0]
        (3, True)
        >>> pairs.alignments[0]
        [(0, 4), (0, 4), (0, 4), (0, 4), (-1, -1), (5, 7), (5, 7), (-1, -1),
         (8, 10), (8, 10)]
    """

    sources: list[str]
    targets: list[str]
    alignments: list[list[tuple[int, int]]]
    formats: list[str]
    dates: list[datetime.date]

    def __len__(self) -> int:
        return len(self.sources)

    def alignment_matrix(self, index: int) -> np.ndarray:
        """Return pair ``index``'s alignment as a 0/1 matrix, like attention weights.

        Args:
            index: Which pair, ``0 <= index < len(self)``.

        Returns:
            float32 array of shape ``(10, len(sources[index]))`` (target characters
            by source characters) with 1 where the target character comes from the
            source character; the rows of the two dashes are all 0.

        Raises:
            ValueError / TypeError: If ``index`` is out of range or not an int.

        Example:
            >>> pairs = make_date_pairs(1, formats=["{Y}{mm}{dd}"], seed=0)
            >>> pairs.alignment_matrix(0).shape
            (10, 8)
        """
        index = check_int(index, "index", minimum=0, maximum=len(self) - 1)
        matrix = np.zeros((10, len(self.sources[index])), dtype=np.float32)
        for row, (start, end) in enumerate(self.alignments[index]):
            matrix[row, max(start, 0) : max(end, 0)] = 1.0
        return matrix


def _template_fields(template: str) -> list[str]:
    return [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]


def _check_formats(formats: object) -> tuple[str, ...]:
    allowed = (
        "a non-empty sequence of templates using fields "
        + ", ".join("{" + f + "}" for f in _FIELDS)
        + " with exactly one year, one month and one day field"
    )
    check_type(formats, "formats", (list, tuple), allowed + ", or None")
    if len(formats) == 0:
        raise ValueError(error_message("formats", allowed, formats))
    for template in formats:
        try:
            fields = _template_fields(check_type(template, "formats", str, allowed))
        except ValueError:  # unbalanced braces
            fields = ["?"]
        parts = [_FIELDS[f][1] for f in fields if f in _FIELDS]
        ok = all(f in _FIELDS for f in fields) and sorted(filter(None, parts)) == [
            "day",
            "month",
            "year",
        ]
        if not ok:
            raise ValueError(
                error_message(
                    "formats", allowed, formats, f"Bad template: {template!r}"
                )
            )
    return tuple(formats)


def _render(template: str, date: datetime.date) -> tuple[str, dict[str, tuple]]:
    """Write ``date`` with ``template``; return the text and each part's span."""
    text, spans = "", {}
    for literal, field, _, _ in string.Formatter().parse(template):
        text += literal
        if field is not None:
            make, part = _FIELDS[field]
            value = make(date)
            if part is not None:
                spans[part] = (len(text), len(text) + len(value))
            text += value
    return text, spans


def make_date_pairs(
    n: int,
    *,
    formats: Sequence[str] | None = None,
    seed: int | np.random.Generator | None = None,
) -> DatePairs:
    """Generate human-written dates paired with their ISO form and alignment.

    Dates are drawn uniformly from 1950-01-01 to 2049-12-31 (inclusive), so a
    two-digit year is unambiguous: 50-99 mean 1950-1999 and 00-49 mean 2000-2049.
    Each pair's format is drawn uniformly from ``formats``.

    Args:
        n: Number of pairs, a positive integer.
        formats: Templates to write the sources with, built from the fields in
            ``DATE_FIELDS`` (e.g. ``"{b} {d}, {Y}"``), each with exactly one year,
            one month and one day field. Default None: all 32 ``DATE_FORMATS``.
        seed: None, a non-negative int or a ``numpy.random.Generator``. Default None.

    Returns:
        A ``DatePairs`` with ``sources``, ``targets``, ``alignments``, ``formats``
        and ``dates`` lists of length ``n`` (see ``DatePairs``).

    Raises:
        TypeError / ValueError: If ``n`` is not a positive integer or ``formats``
            is not a non-empty sequence of valid templates.

    Example:
        >>> pairs = make_date_pairs(2, formats=["{b} {d}, {Y}"], seed=0)
        >>> len(pairs), len(pairs.targets[0])
        (2, 10)
        >>> from datetime import date
        >>> pairs = make_date_pairs(1, formats=["{do} of {B} '{y}"], seed=0)
        >>> source, target = pairs.sources[0], pairs.targets[0]
        >>> date.fromisoformat(target) == pairs.dates[0]
        True
        >>> start, end = pairs.alignments[0][0]  # the year's first character
        >>> source[start:end] == target[2:4]
        True
        >>> pairs.alignments[0][4]  # the first dash comes from nowhere
        (-1, -1)
    """
    n = check_int(n, "n", minimum=1)
    templates = DATE_FORMATS if formats is None else _check_formats(formats)
    rng = _rng(seed)
    ordinals = rng.integers(FIRST_DATE.toordinal(), LAST_DATE.toordinal() + 1, size=n)
    choices = rng.integers(0, len(templates), size=n)
    sources, targets, alignments, used, dates = [], [], [], [], []
    for ordinal, choice in zip(ordinals.tolist(), choices.tolist(), strict=True):
        date = datetime.date.fromordinal(ordinal)
        template = templates[choice]
        source, spans = _render(template, date)
        sources.append(source)
        targets.append(date.isoformat())
        alignments.append(
            [spans[p] if p is not None else NO_SOURCE for p in _TARGET_PARTS]
        )
        used.append(template)
        dates.append(date)
    return DatePairs(sources, targets, alignments, used, dates)
