"""Human-written dates and their ISO form, for sequence-to-sequence translation.

``make_date_pairs`` writes random dates in dozens of human formats ("3 March
2021", "Mar 3, 2021", "03/03/21", ...) and pairs each with its ISO form
"2021-03-03". Month and weekday names come from explicit English tables, never
from the locale, so the data is the same on every machine. For each pair it also
returns which source characters each target character comes from: a known
alignment to check attention weights against.

What people actually write varies more than the 32 templates, so three knobs
widen the data (all off by default, which keeps old seeds' outputs unchanged):

- ``years``/``exclude_years``: any range of years in 1000-9999, with an optional
  block of years left out (to test on years the model never saw). Two-digit
  years keep one reading, 50-99 -> 1950-1999 and 00-49 -> 2000-2049, so only
  dates in 1950-2049 are ever written with one.
- ``case``: lower, upper, title or a random mix of them ("saturday 21 july
  1849", "MARCH 3, 2009"). Case changes never move a character, so the
  alignment stays exact. A translator should lower-case its input (see
  ``rnn_zoo.preprocessing.CharTokenizer(lower=True)``) rather than learn every
  case: then mixed-case data is for testing that normalisation.
- ``weekday_prefix``: the share of sources that get a weekday name in front
  ("Sat, 03/03/2021", "Saturday 3 March 2021") besides the templates that
  already have one.
"""

from __future__ import annotations

import datetime
import re
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from rnn_zoo._validation import (
    check_float,
    check_int,
    check_one_of,
    check_type,
    error_message,
)
from rnn_zoo.datasets.synthetic import _rng

__all__ = [
    "DATE_FORMATS",
    "DATE_FIELDS",
    "DATE_CASES",
    "DEFAULT_YEARS",
    "DatePairs",
    "make_date_pairs",
]

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)  # fmt: skip
WEEKDAY_NAMES = (
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
)  # fmt: skip
#: Years drawn by default; also the only years written with two digits.
DEFAULT_YEARS = (1950, 2049)
FIRST_DATE = datetime.date(DEFAULT_YEARS[0], 1, 1)
LAST_DATE = datetime.date(DEFAULT_YEARS[1], 12, 31)
NO_SOURCE = (-1, -1)
#: Allowed ``case`` values besides None (each template's own case).
DATE_CASES = ("lower", "upper", "title", "random")
_RANDOM_CASES = (None, "lower", "upper", "title")
_WEEKDAY_PREFIXES = ("{A}, ", "{A} ", "{a}, ", "{a} ")
_YEAR_LIMITS = (1000, 9999)


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


def _check_year_block(value: object, name: str, allow_none: bool) -> tuple | None:
    """Check a ``(first, last)`` pair of years within ``_YEAR_LIMITS``."""
    low, high = _YEAR_LIMITS
    allowed = f"a pair (first, last) of years with {low} <= first <= last <= {high}"
    if value is None and allow_none:
        return None
    what = allowed + (", or None" if allow_none else "")
    check_type(value, name, (tuple, list), what)
    ok = len(value) == 2 and all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    )
    if not ok or not low <= value[0] <= value[1] <= high:
        raise ValueError(error_message(name, what, value))
    return int(value[0]), int(value[1])


def _draw_ordinals(
    rng: np.random.Generator, n: int, years: tuple, exclude: tuple | None
) -> np.ndarray:
    """Draw ``n`` day ordinals uniformly from ``years`` minus the ``exclude`` block."""
    first = datetime.date(years[0], 1, 1).toordinal()
    last = datetime.date(years[1], 12, 31).toordinal()
    gap_start = gap_end = last + 1  # the excluded days, [gap_start, gap_end)
    if exclude is not None:
        gap_start = max(first, datetime.date(exclude[0], 1, 1).toordinal())
        gap_end = min(last + 1, datetime.date(exclude[1], 12, 31).toordinal() + 1)
        gap_end = max(gap_end, gap_start)
    allowed_days = (last + 1 - first) - (gap_end - gap_start)
    if allowed_days <= 0:
        raise ValueError(
            error_message(
                "exclude_years",
                "a block that leaves some of `years` to draw from",
                exclude,
                f"It covers all of years={years}",
            )
        )
    ordinals = rng.integers(0, allowed_days, size=n) + first
    return np.where(ordinals >= gap_start, ordinals + (gap_end - gap_start), ordinals)


def _two_digit_year(template: str) -> bool:
    return "y" in _template_fields(template)


def _has_weekday(template: str) -> bool:
    return any(f in ("A", "a") for f in _template_fields(template))


def _four_digit_templates(
    templates: Sequence[str], need: bool, years: tuple
) -> tuple[str, ...]:
    """The templates a date outside 1950-2049 may use (no two-digit year)."""
    kept = tuple(t for t in templates if not _two_digit_year(t))
    if need and not kept:
        raise ValueError(
            error_message(
                "formats",
                "at least one template with a four-digit year {Y} when `years` "
                f"goes beyond {DEFAULT_YEARS[0]}-{DEFAULT_YEARS[1]}",
                list(templates),
                f"Two-digit years are read as {DEFAULT_YEARS[0]}-{DEFAULT_YEARS[1]}"
                f", so they cannot write the other dates of years={years}",
            )
        )
    return kept


def _apply_case(text: str, case: str | None) -> str:
    """Change the letter case of ``text`` without moving any character."""
    if case == "lower":
        return text.lower()
    if case == "upper":
        return text.upper()
    if case == "title":  # capitalise each word, but not ordinal suffixes ("3rd")
        return re.sub(r"(?<![0-9A-Za-z])[A-Za-z]+", lambda m: m[0].capitalize(), text)
    return text


def make_date_pairs(
    n: int,
    *,
    formats: Sequence[str] | None = None,
    seed: int | np.random.Generator | None = None,
    years: tuple[int, int] = DEFAULT_YEARS,
    exclude_years: tuple[int, int] | None = None,
    case: str | None = None,
    weekday_prefix: float = 0.0,
) -> DatePairs:
    """Generate human-written dates paired with their ISO form and alignment.

    Dates are drawn uniformly from the days of ``years`` (1950-01-01 to
    2049-12-31 by default), leaving out those of ``exclude_years``. Each pair's
    format is drawn uniformly from ``formats``, except that a two-digit year is
    read one way only (50-99 -> 1950-1999, 00-49 -> 2000-2049): a date outside
    1950-2049 that drew a ``{y}`` template is written with a template drawn
    uniformly from the four-digit-year ones instead, so no source is ambiguous.
    With the defaults of the last four arguments a seed gives the same pairs as
    before they existed.

    Args:
        n: Number of pairs, a positive integer.
        formats: Templates to write the sources with, built from the fields in
            ``DATE_FIELDS`` (e.g. ``"{b} {d}, {Y}"``), each with exactly one year,
            one month and one day field. Default None: all 32 ``DATE_FORMATS``.
        seed: None, a non-negative int or a ``numpy.random.Generator``. Default None.
        years: ``(first, last)`` years to draw dates from, inclusive, within
            1000-9999. Default ``DEFAULT_YEARS`` = (1950, 2049). The default
            translator of ``python -m rnn_zoo dates`` trains on (1000, 2999).
        exclude_years: ``(first, last)`` block of years never drawn (e.g. to
            hold them out for a test set; draw the test set with
            ``years=exclude_years``), or None. Default None.
        case: None keeps each template's case ("March", "MAR"); "lower",
            "upper" or "title" change every source ("title" capitalises each
            word but leaves letters right after a digit alone: "3rd Of March",
            "03MAR2021"); "random" draws one of None, "lower", "upper", "title"
            per pair. Default None.
        weekday_prefix: Probability in [0, 1] that a source whose template has
            no weekday gets one in front, drawn from "{A}, ", "{A} ", "{a}, ",
            "{a} " (the template in ``formats`` then includes it). Default 0.

    Returns:
        A ``DatePairs`` with ``sources``, ``targets``, ``alignments``, ``formats``
        and ``dates`` lists of length ``n`` (see ``DatePairs``).

    Raises:
        TypeError / ValueError: If ``n`` is not a positive integer; ``formats`` is
            not a non-empty sequence of valid templates (or has only two-digit-year
            templates while ``years`` goes beyond 1950-2049); ``years`` or
            ``exclude_years`` is not a ``(first, last)`` pair within 1000-9999,
            or ``exclude_years`` covers all of ``years``; ``case`` is not None or
            one of ``DATE_CASES``; ``weekday_prefix`` is not in [0, 1].

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
        >>> wide = make_date_pairs(3, years=(1000, 2999), case="upper",
        ...                        formats=["{d} {B} {Y}"], seed=0)
        >>> wide.sources
        ['2 APRIL 2701', '3 DECEMBER 2273', '10 APRIL 2022']
    """
    n = check_int(n, "n", minimum=1)
    templates = DATE_FORMATS if formats is None else _check_formats(formats)
    rng = _rng(seed)
    years = _check_year_block(years, "years", allow_none=False)
    exclude_years = _check_year_block(exclude_years, "exclude_years", allow_none=True)
    if case is not None:
        check_one_of(case, "case", (None, *DATE_CASES))
    weekday_prefix = check_float(weekday_prefix, "weekday_prefix", low=0.0, high=1.0)
    wide = years[0] < DEFAULT_YEARS[0] or years[1] > DEFAULT_YEARS[1]
    four_digit = _four_digit_templates(templates, wide, years)

    # The draws come in a fixed order, each only when its knob is used, so the
    # defaults consume the generator exactly as the original two draws did.
    ordinals = _draw_ordinals(rng, n, years, exclude_years)
    chosen = [templates[i] for i in rng.integers(0, len(templates), size=n).tolist()]
    dates = [datetime.date.fromordinal(o) for o in ordinals.tolist()]
    redraw = [
        i
        for i, (d, t) in enumerate(zip(dates, chosen, strict=True))
        if _two_digit_year(t) and not DEFAULT_YEARS[0] <= d.year <= DEFAULT_YEARS[1]
    ]
    if redraw:
        picks = rng.integers(0, len(four_digit), size=len(redraw)).tolist()
        for i, j in zip(redraw, picks, strict=True):
            chosen[i] = four_digit[j]
    if weekday_prefix > 0:
        add = rng.random(n) < weekday_prefix
        prefixes = rng.integers(0, len(_WEEKDAY_PREFIXES), size=n)
        chosen = [
            _WEEKDAY_PREFIXES[p] + t if a and not _has_weekday(t) else t
            for t, a, p in zip(chosen, add.tolist(), prefixes.tolist(), strict=True)
        ]
    cases = [case] * n
    if case == "random":
        cases = [_RANDOM_CASES[i] for i in rng.integers(0, 4, size=n).tolist()]

    sources, targets, alignments = [], [], []
    for date, template, this_case in zip(dates, chosen, cases, strict=True):
        source, spans = _render(template, date)
        sources.append(_apply_case(source, this_case))
        targets.append(date.isoformat())
        alignments.append(
            [spans[p] if p is not None else NO_SOURCE for p in _TARGET_PARTS]
        )
    return DatePairs(sources, targets, alignments, chosen, dates)
