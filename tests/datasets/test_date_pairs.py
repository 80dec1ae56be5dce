"""make_date_pairs: correct ISO targets, exact alignments, unambiguous formats."""

from __future__ import annotations

import datetime
import re

import numpy as np
import pytest

from rnn_zoo.datasets.dates import (
    DATE_FIELDS,
    DATE_FORMATS,
    DatePairs,
    _render,
    make_date_pairs,
)

# Independent English tables, so the checks do not reuse the code under test.
MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
WEEKDAYS = "mon tue wed thu fri sat sun".split()


def _month(token: str) -> int:
    return int(token) if token.isdigit() else MONTHS.index(token[:3].lower()) + 1


def _year(token: str) -> int:
    year = int(token)
    if len(token) == 2:
        year += 1900 if year >= 50 else 2000
    return year


def _day(token: str) -> int:
    return int(re.fullmatch(r"(\d+)(st|nd|rd|th)?", token).group(1))


# A few formats parsed back with hand-written patterns (year, month, day groups).
PARSERS = {
    "{d} {B} {Y}": r"(?P<d>\d+) (?P<m>[A-Z][a-z]+) (?P<y>\d{4})",
    "{b} {d}, {Y}": r"(?P<m>[A-Z][a-z]{2}) (?P<d>\d+), (?P<y>\d{4})",
    "{mm}/{dd}/{y}": r"(?P<m>\d\d)/(?P<d>\d\d)/(?P<y>\d\d)",
    "{do} of {B} {Y}": r"(?P<d>\d+(st|nd|rd|th)) of (?P<m>[A-Z][a-z]+) (?P<y>\d{4})",
    "{A}, {B} {d}, {Y}": r"(?P<w>[A-Z][a-z]+), (?P<m>[A-Z][a-z]+) (?P<d>\d+), "
    r"(?P<y>\d{4})",
    "{Y}.{mm}.{dd}": r"(?P<y>\d{4})\.(?P<m>\d\d)\.(?P<d>\d\d)",
    "{dd}.{mm}.{y}": r"(?P<d>\d\d)\.(?P<m>\d\d)\.(?P<y>\d\d)",
    "{dd}{bU}{Y}": r"(?P<d>\d\d)(?P<m>[A-Z]{3})(?P<y>\d{4})",
}


@pytest.fixture(scope="module")
def pairs() -> DatePairs:
    return make_date_pairs(3000, seed=0)


def test_there_are_at_least_24_distinct_formats():
    assert len(set(DATE_FORMATS)) == len(DATE_FORMATS) >= 24
    # 2021-03-03 (single-digit day and month) written in every format: all distinct
    rendered = {_render(f, datetime.date(2021, 3, 3))[0] for f in DATE_FORMATS}
    assert len(rendered) == len(DATE_FORMATS)


@pytest.mark.parametrize(
    ("template", "text"),
    [
        ("{d} {B} {Y}", "3 March 2021"),
        ("{b} {d}, {Y}", "Mar 3, 2021"),
        ("{mm}/{dd}/{y}", "03/03/21"),
        ("{A}, {B} {d}, {Y}", "Wednesday, March 3, 2021"),
        ("{Y}.{mm}.{dd}", "2021.03.03"),
        ("{do} of {B} {Y}", "3rd of March 2021"),
        ("{dd}{bU}{Y}", "03MAR2021"),
    ],
)
def test_golden_renderings_of_2021_03_03(template, text):
    assert template in DATE_FORMATS
    assert _render(template, datetime.date(2021, 3, 3))[0] == text
    assert DATE_FIELDS["A"] == "Wednesday"  # the fields table shows 2021-03-03


@pytest.mark.parametrize(
    ("day", "ordinal"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"),
     (13, "13th"), (21, "21st"), (22, "22nd"), (23, "23rd"), (31, "31st")],
)  # fmt: skip
def test_ordinals(day, ordinal):
    assert _render("{do}", datetime.date(2021, 1, day))[0] == ordinal


def test_targets_are_iso_dates_in_range(pairs):
    assert len(pairs) == 3000
    for target, date in zip(pairs.targets, pairs.dates, strict=True):
        assert datetime.date.fromisoformat(target) == date
        assert len(target) == 10
    assert min(pairs.dates) >= datetime.date(1950, 1, 1)
    assert max(pairs.dates) <= datetime.date(2049, 12, 31)
    years = {d.year for d in pairs.dates}
    assert min(years) < 1960 and max(years) > 2040  # the whole century is used


def test_every_builtin_format_is_used(pairs):
    assert set(pairs.formats) == set(DATE_FORMATS)


@pytest.mark.parametrize("template", sorted(PARSERS))
def test_sources_parse_back_to_the_target(template):
    pairs = make_date_pairs(300, formats=[template], seed=1)
    for source, target in zip(pairs.sources, pairs.targets, strict=True):
        match = re.fullmatch(PARSERS[template], source)
        assert match, (template, source)
        parsed = datetime.date(_year(match["y"]), _month(match["m"]), _day(match["d"]))
        assert parsed.isoformat() == target
        if "w" in match.groupdict():
            assert WEEKDAYS.index(match["w"][:3].lower()) == parsed.weekday()


def test_alignment_spans_point_at_the_right_tokens(pairs):
    for source, target, spans in zip(
        pairs.sources, pairs.targets, pairs.alignments, strict=True
    ):
        assert len(spans) == len(target) == 10
        year, month, day = (source[s:e] for s, e in (spans[0], spans[5], spans[8]))
        assert spans[0] == spans[1] == spans[2] == spans[3]
        assert spans[5] == spans[6] and spans[8] == spans[9]
        assert spans[4] == spans[7] == (-1, -1)
        assert year in (target[:4], target[2:4])
        assert _year(year) == int(target[:4])
        assert _month(month) == int(target[5:7])
        assert _day(day) == int(target[8:])
        # spans are disjoint and inside the source
        ordered = sorted([spans[0], spans[5], spans[8]])
        assert 0 <= ordered[0][0] and ordered[-1][1] <= len(source)
        assert ordered[0][1] <= ordered[1][0] and ordered[1][1] <= ordered[2][0]


def test_sources_are_unambiguous(pairs):
    seen: dict[str, str] = {}
    for source, target in zip(pairs.sources, pairs.targets, strict=True):
        assert seen.setdefault(source, target) == target


def test_seed_reproducibility():
    a, b = make_date_pairs(20, seed=3), make_date_pairs(20, seed=3)
    assert a == b
    assert make_date_pairs(20, seed=4).sources != a.sources
    rng = np.random.default_rng(3)
    assert make_date_pairs(20, seed=rng) == a


def test_custom_template_and_alignment_matrix():
    pairs = make_date_pairs(2, formats=["{a} {do} of {B} '{y}"], seed=0)
    source, target = pairs.sources[0], pairs.targets[0]
    matrix = pairs.alignment_matrix(0)
    assert matrix.shape == (10, len(source)) and matrix.dtype == np.float32
    assert matrix[4].sum() == matrix[7].sum() == 0
    year_cols = np.flatnonzero(matrix[0])
    assert source[year_cols[0] : year_cols[-1] + 1] == target[2:4]
    assert source[year_cols[0] - 1] == "'"
    weekday_cols = range(3)  # "Mon" etc. is never pointed at
    assert matrix[:, weekday_cols].sum() == 0
    with pytest.raises(ValueError, match=r"`index` must be an integer in \[0, 1\]"):
        pairs.alignment_matrix(2)


@pytest.mark.parametrize(
    ("formats", "error", "match"),
    [
        ("{d} {B} {Y}", TypeError, "`formats` must be a non-empty sequence"),
        ([], ValueError, "`formats` must be a non-empty sequence"),
        (["{d} {B}"], ValueError, r"Bad template: '\{d\} \{B\}'"),
        (["{d} {m} {B} {Y}"], ValueError, "exactly one year, one month and one day"),
        (["{q} {d} {B} {Y}"], ValueError, r"Bad template: '\{q\}"),
        (["{d {B} {Y}"], ValueError, "Bad template"),
        ([3], TypeError, "`formats` must be"),
    ],
)
def test_format_errors(formats, error, match):
    with pytest.raises(error, match=match):
        make_date_pairs(2, formats=formats)


def test_n_errors():
    with pytest.raises(ValueError, match="`n` must be a positive integer"):
        make_date_pairs(0)
    with pytest.raises(TypeError, match="`n` must be a positive integer"):
        make_date_pairs("5")
