"""One source notebook per assignment -> a student and a teacher version.

An exercise source (``exercises/NN_topic.ipynb``, paired with its jupytext
``.py``) is an nbgrader "source" notebook that otter-grader also reads:

- answer cells carry nbgrader schema-v3 metadata (``solution: true``, a
  ``grade_id``) and mark the solution between ``# BEGIN SOLUTION`` and
  ``# END SOLUTION``, each on its own line with a single ``#``; lines inside it
  that start with ``# HINT:`` are kept for the student;
- check cells (``grade: true, locked: true, points: N``) hold one
  ``check("id", function)`` call; instructor-only checks sit between
  ``# BEGIN HIDDEN TESTS`` and ``# END HIDDEN TESTS``.

`build_exercises` writes ``student/`` (solutions replaced by ``raise
NotImplementedError()`` plus the hint, hidden tests removed, outputs cleared) and
``teacher/`` (everything kept, outputs cleared). Neither nbgrader nor otter is
needed.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

from rnn_zoo._validation import error_message

__all__ = [
    "EXERCISES",
    "build_exercises",
    "check_names",
    "exercise_paths",
    "student_source",
    "student_version",
    "teacher_version",
]

EXERCISES = Path(__file__).resolve().parents[2] / "exercises"
SOLUTION = ("# BEGIN SOLUTION", "# END SOLUTION")
HIDDEN = ("# BEGIN HIDDEN TESTS", "# END HIDDEN TESTS")
CHECK_CALL = re.compile(r"""\bcheck\(\s*["'](\w+)["']""")


def check_names(source: str) -> list[str]:
    """The check ids a cell's source calls, in order.

    Example:
        >>> check_names('check("q1_a", f)\\ncheck("q1_b", f)')
        ['q1_a', 'q1_b']
    """
    return CHECK_CALL.findall(source)


def _regions(lines: list[str], begin: str, end: str):
    """(start, stop) line indices of each ``begin`` ... ``end`` region."""
    start = None
    for i, line in enumerate(lines):
        if line.strip() == begin:
            if start is not None:
                raise ValueError(f"'{begin}' at line {i + 1} inside another region")
            start = i
        elif line.strip() == end:
            if start is None:
                raise ValueError(f"'{end}' at line {i + 1} without '{begin}'")
            yield start, i
            start = None
    if start is not None:
        raise ValueError(f"'{begin}' at line {start + 1} is never closed by '{end}'")


def student_source(source: str) -> str:
    """A cell's source as the student gets it.

    Each solution region becomes its ``# HINT:`` lines plus ``raise
    NotImplementedError()`` at the marker's indentation; each hidden-tests region
    is removed.

    Args:
        source: The code of one cell of the source notebook.

    Returns:
        The student's code.

    Raises:
        ValueError: If a marker is unbalanced.

    Example:
        >>> src = "def f(x):\\n    # BEGIN SOLUTION\\n    # HINT: double it\\n"
        >>> src += "    return 2 * x\\n    # END SOLUTION"
        >>> print(student_source(src))
        def f(x):
            # HINT: double it
            raise NotImplementedError()
    """
    lines = source.splitlines()
    for begin, end in (HIDDEN, SOLUTION):
        for start, stop in reversed(list(_regions(lines, begin, end))):
            if begin == HIDDEN[0]:
                replacement = []
            else:
                indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
                hints = [
                    line
                    for line in lines[start + 1 : stop]
                    if line.strip().startswith("# HINT:")
                ]
                replacement = [*hints, f"{indent}raise NotImplementedError()"]
            lines[start : stop + 1] = replacement
    return "\n".join(lines)


def _cleared(nb):
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def teacher_version(nb):
    """The source notebook with every output cleared (solutions and hidden tests kept).

    Args:
        nb: An ``nbformat`` notebook.

    Returns:
        A new notebook.
    """
    return _cleared(nb)


def student_version(nb):
    """The notebook a student gets: solutions and hidden tests out, outputs cleared.

    Args:
        nb: The source (teacher) ``nbformat`` notebook.

    Returns:
        A new notebook; cell metadata (nbgrader's) is kept, so the grader and
        nbgrader can match cells by ``grade_id``.

    Raises:
        ValueError: If a cell's markers are unbalanced (the message names it).
    """
    nb = _cleared(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        try:
            cell.source = student_source(cell.source)
        except ValueError as err:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", f"cell {i}")
            raise ValueError(f"{grade_id}: {err}") from None
    return nb


def exercise_paths(source: str | Path = EXERCISES) -> list[Path]:
    """The assignment notebooks ``NN_topic.ipynb`` of a folder, in order.

    Raises:
        ValueError: If the folder does not exist or holds none.
    """
    folder = Path(source)
    paths = sorted(folder.glob("[0-9][0-9]_*.ipynb")) if folder.is_dir() else []
    if not paths:
        raise ValueError(
            error_message(
                "source", "a folder holding exercises/NN_topic.ipynb notebooks", folder
            )
        )
    return paths


def build_exercises(out: str | Path, *, source: str | Path = EXERCISES) -> list[Path]:
    """Write ``out/student/*.ipynb`` and ``out/teacher/*.ipynb`` from the sources.

    Args:
        out: The folder to write into (created if missing).
        source: The folder of source notebooks (default: the checkout's
            ``exercises/``).

    Returns:
        Every notebook written.

    Raises:
        ValueError: If ``source`` holds no notebook or a marker is unbalanced.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as out:  # doctest: +SKIP
        ...     paths = build_exercises(out)
    """
    import nbformat

    written = []
    for path in exercise_paths(source):
        nb = nbformat.read(path, as_version=4)
        for kind, version in (
            ("teacher", teacher_version),
            ("student", student_version),
        ):
            target = Path(out) / kind / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(version(nb), target)
            written.append(target)
    return written
