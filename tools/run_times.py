"""Each notebook states its run time once, in its header, agreeing with README.

The figure comes from the latest ``make tutorials`` summary (default parameters,
every notebook ok). ``make tutorials RECORD=1`` calls :func:`record` after the run,
which writes the measured wall time into

- the notebook's header line ``# **Time:** M:SS ...`` (``notebooks/NN_topic.py``,
  then the paired ``.ipynb`` is re-synced by jupytext), and
- the "time" column of README's notebook table (the row starting ``| NN |``).

:func:`problems` lists every disagreement between the two, and every other run
time typed into a notebook's prose; ``tests/tools/test_run_times.py`` asserts it
is empty. Usage by hand::

    python tools/run_times.py build/tutorials/summary.md   # record a summary
    python tools/run_times.py --check                      # list problems
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
README = ROOT / "README.md"

HEADER = (
    "# **Time:** {time} to run with the default parameters on an idle 2-core laptop CPU"
)
HEADER_TAIL = (
    "# (measured by the latest `make tutorials`; README lists every notebook's time)."
)
TIME_LINE = re.compile(r"^# \*\*Time:\*\*")
HEADER_TIME = re.compile(r"^# \*\*Time:\*\* (\d+:\d\d) to run ")
SUMMARY_ROW = re.compile(r"^\| (\d\d)_\w+ \| (\d+:\d\d) \| ok \|", re.M)
README_ROW = re.compile(
    r"^\| (\d\d) \| (\[[^]]*\]\([^)]*\)) \| (.*?) \| (\d+:\d\d) \| "
)
# a run time typed into prose: "about 5 minutes", "4.5 min", "2:57", "90 s"
TYPED_TIME = re.compile(
    r"(?<![\w.`])\d+(?:\.\d+)?(?:\s|-)?(?:minutes?|mins?|seconds?|secs?|hours?|s)\b"
    r"|(?<![\w.:`])\d{1,2}:\d\d(?![\d:])"
)


def summary_times(summary: str) -> dict[str, str]:
    """``{"03": "6:06", ...}`` from a ``make tutorials`` summary's ok rows."""
    return dict(SUMMARY_ROW.findall(summary))


def readme_times(readme: str) -> dict[str, str]:
    """``{"03": "6:06", ...}`` from README's notebook table."""
    times = {}
    for line in readme.splitlines():
        match = README_ROW.match(line)
        if match:
            times[match.group(1)] = match.group(4)
    return times


def header_times(source: str) -> list[str]:
    """The figure of every ``**Time:**`` line of a notebook source (``""`` if odd)."""
    found = []
    for line in source.splitlines():
        if TIME_LINE.match(line):
            match = HEADER_TIME.match(line)
            found.append(match.group(1) if match else "")
    return found


def _markdown_lines(source: str):
    """(line number, text) of each markdown line of a jupytext percent source."""
    markdown = False
    for number, line in enumerate(source.splitlines(), 1):
        if line.startswith("# %%"):
            markdown = "[markdown]" in line
            continue
        if markdown:
            yield number, line


def typed_times(source: str) -> list[str]:
    """Markdown lines, other than the header, that type a run time."""
    hits = []
    for number, line in _markdown_lines(source):
        if TIME_LINE.match(line) or line == HEADER_TAIL:
            continue
        prose = re.sub(r"`[^`]*`", "", line)  # code such as `--minutes 30` is not prose
        if TYPED_TIME.search(prose):
            hits.append(f"line {number}: {line.strip()}")
    return hits


def problems(notebooks: Path = NOTEBOOKS, readme: Path = README) -> list[str]:
    """Every way the notebooks' stated run times break the rule; empty when fine."""
    table = readme_times(Path(readme).read_text(encoding="utf-8"))
    found = []
    for path in sorted(Path(notebooks).glob("[0-9][0-9]_*.py")):
        number = path.name[:2]
        source = path.read_text(encoding="utf-8")
        stated = header_times(source)
        if len(stated) != 1 or not stated[0]:
            found.append(
                f"{path.name}: needs exactly one header line of the form "
                f"'{HEADER.format(time='M:SS')}'; found {len(stated)} **Time:** "
                f"line(s), {sum(1 for t in stated if t)} of that form"
            )
        elif table.get(number) != stated[0]:
            found.append(
                f"{path.name}: header says {stated[0]}, README's table says "
                f"{table.get(number, 'nothing')}"
            )
        found += [f"{path.name}: typed run time, {hit}" for hit in typed_times(source)]
    return found


def _set_header(source: str, time: str) -> str:
    """``source`` with its ``**Time:**`` paragraph replaced by the standard one."""
    lines = source.splitlines()
    start = next(i for i, line in enumerate(lines) if TIME_LINE.match(line))
    end = start + 1
    while (
        end < len(lines)
        and lines[end].strip() not in ("#", "")
        and not (lines[end].startswith("# %%") or lines[end].startswith("# #"))
    ):
        end += 1
    lines[start:end] = [HEADER.format(time=time), HEADER_TAIL]
    return "\n".join(lines) + "\n"


def record(
    summary: str, notebooks: Path = NOTEBOOKS, readme: Path = README
) -> list[Path]:
    """Write a summary's wall times into the notebook headers and README.

    Args:
        summary: the text of a ``make tutorials`` ``summary.md``; only rows whose
            status is ``ok`` are recorded.
        notebooks: the folder of ``NN_topic.py`` sources.
        readme: README.md, whose notebook table has a time column.

    Returns:
        The ``NN_topic.py`` paths whose header changed (re-sync their ``.ipynb``).

    Raises:
        ValueError: if ``summary`` has no ok row, or a notebook of the summary
            has no ``**Time:**`` header line.

    Example:
        >>> summary_times("| 03_lm | 6:06 | ok | x |")
        {'03': '6:06'}
    """
    times = summary_times(summary)
    if not times:
        raise ValueError("`summary` has no notebook row with status ok. Received none.")
    changed = []
    for path in sorted(Path(notebooks).glob("[0-9][0-9]_*.py")):
        time = times.get(path.name[:2])
        if time is None:
            continue
        source = path.read_text(encoding="utf-8")
        if not header_times(source):
            raise ValueError(f"{path.name} has no '# **Time:**' header line.")
        updated = _set_header(source, time)
        if updated != source:
            path.write_text(updated, encoding="utf-8")
            changed.append(path)
    lines = Path(readme).read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        match = README_ROW.match(line)
        if match and match.group(1) in times:
            start, end = match.span(4)
            lines[i] = line[:start] + times[match.group(1)] + line[end:]
    Path(readme).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("summary", nargs="?", help="a make tutorials summary.md")
    parser.add_argument("--check", action="store_true", help="only list problems")
    args = parser.parse_args(argv)
    if not args.check:
        if args.summary is None:
            parser.error("give a summary.md to record, or --check")
        changed = record(Path(args.summary).read_text(encoding="utf-8"))
        if changed:
            import subprocess

            subprocess.run(
                [sys.executable, "-m", "jupytext", "--sync", *map(str, changed)],
                check=True,
                capture_output=True,
            )
    found = problems()
    print("\n".join(found) if found else "run times: header == README, none typed")
    return 1 if found and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
