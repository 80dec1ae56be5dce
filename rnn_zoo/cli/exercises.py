"""``python -m rnn_zoo exercises``: build graded assignments and grade submissions.

Example::

    python -m rnn_zoo exercises build --out handout
    # hand out handout/student/*.ipynb; keep handout/teacher/*.ipynb
    python -m rnn_zoo exercises grade alice/01_rnn_cells.ipynb --out alice.json
    python -m rnn_zoo exercises grade submissions/ --out scores.csv

``build`` writes ``OUT/student/`` (solutions replaced by ``raise
NotImplementedError()`` plus the hint, hidden tests removed, outputs cleared) and
``OUT/teacher/`` (everything, outputs cleared) from the source notebooks in
``exercises/``; it needs neither nbgrader nor otter.

``grade`` executes a submission on the CPU, without network, each cell within
``--timeout`` seconds, and scores it from its checks' results only (never from
what it printed on stderr). For one notebook it writes ``results.json`` in the
Gradescope / otter shape (``--out``, default ``results.json`` beside the
submission) and a Markdown report beside it, and prints the score; for a folder
it grades every ``*.ipynb`` into one CSV (``--out``, default
``FOLDER/scores.csv``). Deleted, duplicated or reordered cells are tolerated; a
deleted check cell scores 0 as ``missing``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rnn_zoo.cli import UsageError, log
from rnn_zoo.cli.options import positive_float, with_flags
from rnn_zoo.tasks.run_folder import writable_folder

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``exercises`` command group (``build``, ``grade``).

    Args:
        subparsers: The top-level parser's sub-parsers.

    Example:
        >>> parser = argparse.ArgumentParser(prog="rnn_zoo")
        >>> register(parser.add_subparsers(dest="group"))
        >>> parser.parse_args(["exercises", "grade", "a.ipynb"]).timeout
        60.0
    """
    group = subparsers.add_parser(
        "exercises",
        help="build graded assignments and grade submissions (for teachers)",
        description=__doc__.split("\n\n")[0].split(": ", 1)[1],
    )
    commands = group.add_subparsers(dest="command", metavar="COMMAND", required=True)
    build = commands.add_parser(
        "build",
        help="write OUT/student and OUT/teacher notebooks",
        description="Write the student and teacher versions of every assignment.",
    )
    build.add_argument("--out", required=True, metavar="DIR", help="output folder")
    build.add_argument(
        "--source",
        metavar="DIR",
        help="folder of the source notebooks (default: the checkout's exercises/)",
    )
    build.set_defaults(run=_build)

    grade = commands.add_parser(
        "grade",
        help="grade a submitted notebook, or a folder of them",
        description="Execute a submission (CPU, no network) and score it from its "
        "checks. A folder is graded into one CSV of scores.",
    )
    grade.add_argument("submission", metavar="SUBMISSION", help=".ipynb or folder")
    grade.add_argument(
        "--timeout",
        type=positive_float,
        default=60.0,
        metavar="S",
        help="seconds each cell may run before it is interrupted (default: 60)",
    )
    grade.add_argument(
        "--out",
        metavar="FILE",
        help="results.json for one notebook (default: beside it), or the CSV for "
        "a folder (default: FOLDER/scores.csv)",
    )
    grade.add_argument(
        "--source",
        metavar="DIR",
        help="folder of the assignments' source notebooks (default: exercises/)",
    )
    grade.set_defaults(run=_grade)


def _source(args) -> dict:
    if args.source is None:
        return {}
    if not Path(args.source).is_dir():
        raise UsageError(f"--source {args.source!r} is not a folder")
    return {"source": args.source}


def _build(args) -> int:
    from rnn_zoo.classroom.authoring import build_exercises

    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create --out {str(out)!r} ({exc.strerror})") from None
    writable_folder(out, "--out")
    try:
        written = build_exercises(out, **_source(args))
    except ValueError as err:
        raise UsageError(with_flags(err, ["source", "out"])) from None
    for path in written:
        print(path)
    log(f"wrote {len(written)} notebooks into {out}/student and {out}/teacher")
    return 0


def _grade(args) -> int:
    from rnn_zoo.classroom.grader import grade_folder, grade_notebook

    path = Path(args.submission)
    if not path.exists():
        raise UsageError(f"submission {str(path)!r} does not exist")
    try:
        if path.is_dir():
            out = Path(args.out) if args.out else path / "scores.csv"
            writable_folder(out.parent, "--out")
            csv_path = grade_folder(
                path, out=out, timeout=args.timeout, **_source(args)
            )
            print(csv_path)
            return 0
        out = Path(args.out) if args.out else path.parent / "results.json"
        writable_folder(out.parent, "--out")
        grade = grade_notebook(path, timeout=args.timeout, **_source(args))
    except ValueError as err:
        raise UsageError(with_flags(err, ["timeout", "source", "submission"])) from None
    out.write_text(json.dumps(grade.to_json(), indent=2), encoding="utf-8")
    report = out.with_suffix(".md")
    report.write_text(grade.to_markdown(), encoding="utf-8")
    for test in grade.tests:
        mark = "ok" if test["status"] == "pass" else test["status"]
        log(f"{test['name']}: {mark} ({test['score']:g}/{test['max_score']:g})")
    print(f"{grade.assignment}: {grade.score:g} / {grade.max_score:g}")
    log(f"wrote {out} and {report}")
    return 0
