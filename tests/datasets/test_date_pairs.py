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
    _apply_case,
    _has_weekday,
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
    return int(re.fullmatch(r"(\d+)(st|nd|rd|th)?", token, re.IGNORECASE).group(1))


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


@pytest.fixture(scope="module")
def wide_pairs() -> DatePairs:
    """Every knob on: years 1000-2999 minus 1900-1949, any case, weekday prefixes."""
    return make_date_pairs(
        3000,
        years=(1000, 2999),
        exclude_years=(1900, 1949),
        case="random",
        weekday_prefix=0.3,
        seed=0,
    )


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


@pytest.mark.parametrize("fixture", ["pairs", "wide_pairs"])
def test_alignment_spans_point_at_the_right_tokens(fixture, request):
    pairs = request.getfixturevalue(fixture)
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


@pytest.mark.parametrize("fixture", ["pairs", "wide_pairs"])
def test_sources_are_unambiguous(fixture, request):
    pairs = request.getfixturevalue(fixture)
    seen: dict[str, str] = {}
    for source, target in zip(pairs.sources, pairs.targets, strict=True):
        # a translator lower-cases its input, so case must not matter either
        assert seen.setdefault(source.lower(), target) == target


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


# -- years, case and weekday knobs ------------------------------------------------


def test_defaults_keep_the_pairs_of_earlier_versions():
    # recorded before `years`, `exclude_years`, `case`, `weekday_prefix` existed
    pairs = make_date_pairs(6, seed=0)
    assert pairs.sources == [
        "24 Jan 2035",
        "12 September 2013",
        "February 11 2001",
        "1976.12.23",
        "10/13/80",
        "05-Feb-1954",
    ]
    assert pairs.targets[4] == "1980-10-13"
    same = make_date_pairs(6, seed=0, years=(1950, 2049), exclude_years=None, case=None)
    assert same == pairs


def test_wide_years_are_all_used_and_the_excluded_block_never(wide_pairs):
    years = np.array([d.year for d in wide_pairs.dates])
    assert years.min() >= 1000 and years.max() <= 2999
    assert not ((years >= 1900) & (years <= 1949)).any()
    # uniform over 1950 allowed years: each quarter of 1000-2999 gets a fair share
    counts = np.histogram(years, bins=[1000, 1500, 2000, 2500, 3000])[0]
    assert counts.min() > 0.2 * len(years)
    # two-digit years only where they read back unambiguously
    for date, template in zip(wide_pairs.dates, wide_pairs.formats, strict=True):
        if "{y}" in template:
            assert 1950 <= date.year <= 2049
    assert any("{y}" in t for t in wide_pairs.formats)


def test_held_out_block_is_drawn_on_its_own():
    held_out = make_date_pairs(200, years=(1900, 1909), seed=1)
    assert {d.year for d in held_out.dates} == set(range(1900, 1910))
    # a block partly outside `years` only removes the overlap
    pairs = make_date_pairs(300, years=(2000, 2009), exclude_years=(1990, 2004))
    assert {d.year for d in pairs.dates} == set(range(2005, 2010))


def test_single_day_ranges_and_edges():
    pairs = make_date_pairs(
        50, years=(1000, 1001), exclude_years=(1001, 1001), formats=["{Y}{mm}{dd}"]
    )
    assert {d.year for d in pairs.dates} == {1000}
    edges = make_date_pairs(400, years=(9999, 9999), formats=["{d} {b} {Y}"], seed=0)
    assert max(edges.dates) <= datetime.date(9999, 12, 31)


def test_dates_outside_the_two_digit_window_use_four_digit_templates():
    pairs = make_date_pairs(
        300, years=(1000, 1949), formats=["{m}/{d}/{y}", "{Y}-{mm}-{dd}"], seed=0
    )
    assert set(pairs.formats) == {"{Y}-{mm}-{dd}"}
    mixed = make_date_pairs(
        300, years=(1949, 1950), formats=["{m}/{d}/{y}", "{Y}-{mm}-{dd}"], seed=0
    )
    for date, template in zip(mixed.dates, mixed.formats, strict=True):
        assert template == "{Y}-{mm}-{dd}" or date.year == 1950
    assert set(mixed.formats) == {"{m}/{d}/{y}", "{Y}-{mm}-{dd}"}


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (None, "Wednesday, the 3rd of March 2021"),
        ("lower", "wednesday, the 3rd of march 2021"),
        ("upper", "WEDNESDAY, THE 3RD OF MARCH 2021"),
        ("title", "Wednesday, The 3rd Of March 2021"),
    ],
)
def test_case_golden(case, expected):
    text = _render("{A}, the {do} of {B} {Y}", datetime.date(2021, 3, 3))[0]
    assert _apply_case(text, case) == expected
    pairs = make_date_pairs(20, formats=["{A}, the {do} of {B} {Y}"], case=case)
    for source, date in zip(pairs.sources, pairs.dates, strict=True):
        plain = _render("{A}, the {do} of {B} {Y}", date)[0]
        assert source == _apply_case(plain, case)
    assert _apply_case("03MAR2021 the 21ST", "title") == "03MAR2021 The 21ST"


def test_case_changes_nothing_but_letter_case():
    plain = make_date_pairs(500, years=(1000, 2999), seed=5)
    for case in ("lower", "upper", "title"):
        cased = make_date_pairs(500, years=(1000, 2999), case=case, seed=5)
        assert cased.targets == plain.targets
        assert cased.alignments == plain.alignments
        assert [s.lower() for s in cased.sources] == [s.lower() for s in plain.sources]
    upper = make_date_pairs(500, case="upper", seed=5)
    assert all(s == s.upper() for s in upper.sources)
    # "random" uses all four cases, each for roughly a quarter of the pairs
    mixed = make_date_pairs(2000, case="random", formats=["{B} {d}, {Y}"], seed=5)
    month = [s.split()[0] for s in mixed.sources]
    kinds = {
        "as template or title": sum(m == m.capitalize() for m in month),
        "lower": sum(m == m.lower() for m in month),
        "upper": sum(m == m.upper() for m in month),
    }
    assert 0.15 * 2000 < kinds["lower"] < 0.35 * 2000
    assert 0.15 * 2000 < kinds["upper"] < 0.35 * 2000
    assert 0.4 * 2000 < kinds["as template or title"] < 0.6 * 2000


def test_weekday_prefix_names_the_right_day():
    pairs = make_date_pairs(2000, weekday_prefix=0.5, years=(1000, 2999), seed=2)
    with_weekday = 0
    for source, date, template in zip(
        pairs.sources, pairs.dates, pairs.formats, strict=True
    ):
        word = re.match(r"[A-Za-z]+", source)
        if word and word[0][:3].lower() in WEEKDAYS:
            with_weekday += 1
            assert WEEKDAYS.index(word[0][:3].lower()) == date.weekday()
            assert template.startswith(("{A}", "{a}"))
        else:
            assert template in DATE_FORMATS
    # 5 of the 32 templates start with a weekday; half of the other 27 get one
    expected = (5 + 27 * 0.5) / 32
    assert abs(with_weekday / 2000 - expected) < 0.04
    index = next(i for i, t in enumerate(pairs.formats) if t.startswith("{A}, {d}"))
    weekday_length = len(WEEKDAY_FULL[pairs.dates[index].weekday()]) + 2
    matrix = pairs.alignment_matrix(index)
    assert matrix[:, :weekday_length].sum() == 0  # "Saturday, " is never pointed at
    assert matrix[8:, weekday_length:].sum() > 0  # the day right after it is
    assert make_date_pairs(50, weekday_prefix=0.0, seed=2) == make_date_pairs(
        50, seed=2
    )
    always = make_date_pairs(200, weekday_prefix=1.0, seed=2)
    assert all(_has_weekday(t) for t in always.formats)


WEEKDAY_FULL = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"years": (999, 2000)}, ValueError, r"`years` must be a pair \(first, last\)"),
        ({"years": (2000, 1999)}, ValueError, "first <= last"),
        ({"years": 2000}, TypeError, "`years` must be a pair"),
        ({"years": (2000.0, 2001)}, ValueError, "`years` must be"),
        ({"years": None}, TypeError, "`years` must be"),
        ({"exclude_years": (1, 2)}, ValueError, "`exclude_years` must be .* or None"),
        (
            {"years": (2000, 2001), "exclude_years": (1999, 2005)},
            ValueError,
            "leaves some of `years`",
        ),
        ({"case": "camel"}, ValueError, "`case` must be one of None, 'lower'"),
        ({"case": "Upper"}, ValueError, "`case` must be one of"),
        ({"weekday_prefix": 1.5}, ValueError, r"`weekday_prefix` must be a number"),
        ({"weekday_prefix": "0.5"}, TypeError, "`weekday_prefix` must be"),
        (
            {"years": (1000, 2999), "formats": ["{d}/{m}/{y}"]},
            ValueError,
            r"four-digit year \{Y\}",
        ),
    ],
)
def test_knob_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_date_pairs(2, **kwargs)
