"""Grade a submitted exercise notebook from its check results, never from stderr.

`grade_notebook`:

1. reads the submission and finds its assignment's source notebook (by the
   ``rnn_zoo.assignment`` metadata, else by its check cells' ``grade_id``);
2. builds the notebook it runs: the submission's own cells in their order
   (check cells left out, duplicates too), then every check cell *of the
   source*, hidden tests included, in the source's order. A check cell the
   submission deleted is not run: its checks are reported as ``missing``;
3. executes it on the CPU in a fresh kernel, with outbound network connections
   refused and a timeout per cell (a cell that runs over is interrupted; its
   checks are reported as ``timeout``);
4. scores each check from the line `rnn_zoo.classroom.checks.check` logged.

The results come back as a `Grade`: ``to_json()`` is the Gradescope / otter
shape (``score``, ``max_score``, ``tests: [{name, score, max_score, visibility,
output}]``) with, per check, ``status``, ``location``, ``hint``, observed vs
expected and the versions of python, numpy, keras and tensorflow; ``to_markdown()``
is a readable report. `grade_folder` grades every submission of a folder into
one CSV.
"""

from __future__ import annotations

import copy
import csv
import json
import os
import platform
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from rnn_zoo._validation import check_float, error_message
from rnn_zoo.classroom.authoring import EXERCISES, check_names, exercise_paths
from rnn_zoo.classroom.checks import CHECKS, GRADE_LOG_ENV, _load_assignment_checks

__all__ = ["Grade", "grade_folder", "grade_notebook"]

# Run first in the grading kernel: CPU only, quiet TensorFlow, and no outbound
# network (connections to anything but this machine are refused).
PREAMBLE = """\
import os as _os, socket as _socket
_os.environ["CUDA_VISIBLE_DEVICES"] = "-1"
_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
_connect = _socket.socket.connect
def _local_only(self, address, _connect=_connect):
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and not (
        host.startswith("127.") or host in ("localhost", "::1") or host.startswith("/")
    ):
        raise OSError("the grader runs without network")
    return _connect(self, address)
_socket.socket.connect = _local_only
del _os, _socket, _local_only
"""


def _grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _is_check_cell(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    if cell.cell_type != "code":
        return False
    if meta:
        return bool(meta.get("grade")) and not meta.get("solution")
    return bool(check_names(cell.source))  # metadata stripped by an editor


def _check_cells(nb) -> dict[str, object]:
    """grade_id (or the first check name) -> check cell, first occurrence only."""
    cells = {}
    for cell in nb.cells:
        if _is_check_cell(cell):
            key = _grade_id(cell) or (check_names(cell.source) or [""])[0]
            cells.setdefault(key, cell)
    return cells


def _assignment_source(nb, source: Path):
    import nbformat

    wanted = nb.metadata.get("rnn_zoo", {}).get("assignment")
    ids = set(_check_cells(nb))
    for path in exercise_paths(source):
        candidate = nbformat.read(path, as_version=4)
        name = candidate.metadata.get("rnn_zoo", {}).get("assignment", path.stem)
        if wanted == name or (not wanted and ids & set(_check_cells(candidate))):
            return name, candidate
    known = [p.stem for p in exercise_paths(source)]
    raise ValueError(
        error_message(
            "submission",
            f"an exercise notebook of one of {known}",
            wanted or "a notebook without rnn_zoo metadata or known check cells",
            "pass `source` (--source), the folder of the assignment's source notebook",
        )
    )


@dataclass
class Grade:
    """The graded submission (see the module docstring)."""

    submission: str
    assignment: str
    tests: list[dict] = field(default_factory=list)
    versions: dict = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def score(self) -> float:
        return sum(t["score"] for t in self.tests)

    @property
    def max_score(self) -> float:
        return sum(t["max_score"] for t in self.tests)

    def to_json(self) -> dict:
        """The Gradescope / otter results shape, with rnn_zoo's extra fields."""
        return {
            "score": self.score,
            "max_score": self.max_score,
            "assignment": self.assignment,
            "submission": self.submission,
            "execution_time": round(self.seconds, 1),
            "versions": self.versions,
            "tests": self.tests,
        }

    def to_markdown(self) -> str:
        """A readable report: one row per check, then the hints of what failed."""
        lines = [
            f"# {self.assignment}: {self.score:g} / {self.max_score:g}",
            "",
            f"Submission `{self.submission}`, graded in {self.seconds:.0f} s "
            f"(python {self.versions.get('python')}, keras "
            f"{self.versions.get('keras')}).",
            "",
            "| check | status | score | hint |",
            "|---|---|---:|---|",
        ]
        for t in self.tests:
            hint = "" if t["status"] == "pass" else t["hint"]
            lines.append(
                f"| {t['name']}{' (hidden)' if t['hidden'] else ''} | {t['status']} | "
                f"{t['score']:g}/{t['max_score']:g} | {hint} |"
            )
        details = [t for t in self.tests if t["status"] != "pass" and t["output"]]
        if details:
            lines += ["", "## What went wrong", ""]
            lines += [f"- **{t['name']}**: {t['output']}" for t in details]
        return "\n".join(lines) + "\n"


def _versions() -> dict:
    found = {"python": platform.python_version()}
    for name in ("numpy", "keras", "tensorflow"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def _row(name: str, status: str, *, message: str = "", result: dict | None = None):
    spec = CHECKS[name]
    row = {
        "name": name,
        "score": 0.0,
        "max_score": spec.points,
        "visibility": "after_published" if spec.hidden else "visible",
        "status": status,
        "hidden": spec.hidden,
        "hint": spec.hint,
        "location": "",
        "observed": "",
        "expected": "",
        "message": message,
    }
    if result is not None:
        row.update({k: result[k] for k in row if k in result and k != "visibility"})
    if row["hidden"]:
        row.update(location="", observed="", expected="", message="")
    parts = [row["message"]] if row["message"] else []
    if row["observed"] or row["expected"]:
        parts.append(f"observed {row['observed']}; expected {row['expected']}")
    if row["status"] != "pass" and row["hint"]:
        parts.append(f"Hint: {row['hint']}")
    row["output"] = f"{row['status']}. " + " ".join(parts)
    return row


def _cell_error(cell) -> str:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return f"{output.get('ename')}: {output.get('evalue')}"[:300]
    return ""


def grade_notebook(
    submission: str | Path,
    *,
    source: str | Path = EXERCISES,
    timeout: float = 60.0,
) -> Grade:
    """Execute and grade one submitted notebook.

    Args:
        submission: The student's ``.ipynb``.
        source: The folder of the assignments' source notebooks (default: the
            checkout's ``exercises/``).
        timeout: Seconds each cell may run before it is interrupted (> 0).

    Returns:
        A `Grade` (``to_json()`` for ``results.json``, ``to_markdown()``).

    Raises:
        ValueError: If the submission is not a notebook, or matches no assignment,
            or ``timeout`` is not positive.

    Example:
        >>> grade = grade_notebook("student/01_rnn_cells.ipynb")  # doctest: +SKIP
        >>> grade.score, grade.max_score  # doctest: +SKIP
        (0.0, 15.0)
    """
    import nbformat
    from nbclient import NotebookClient

    check_float(timeout, "timeout", low=0.0, low_inclusive=False)
    path = Path(submission)
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # noqa: BLE001 - any unreadable file: one message
        raise ValueError(
            error_message("submission", "a readable .ipynb notebook", path, str(exc))
        ) from None
    _load_assignment_checks()
    assignment, teacher = _assignment_source(nb, Path(source))
    teacher_checks = _check_cells(teacher)
    submitted = _check_cells(nb)

    run = nbformat.v4.new_notebook(metadata=copy.deepcopy(nb.metadata))
    run.cells = [nbformat.v4.new_code_cell(PREAMBLE)]
    run.cells += [
        copy.deepcopy(c)
        for c in nb.cells
        if c.cell_type == "code" and not _is_check_cell(c)
    ]
    first_check = len(run.cells)
    present = [key for key in teacher_checks if key in submitted]
    run.cells += [copy.deepcopy(teacher_checks[key]) for key in present]

    start = time.perf_counter()
    timed_out: set[int] = set()
    with tempfile.TemporaryDirectory(prefix="rnn-zoo-grade-") as work:
        log = Path(work) / "checks.jsonl"
        env = {
            **os.environ,
            GRADE_LOG_ENV: str(log),
            "CUDA_VISIBLE_DEVICES": "-1",
            "TF_CPP_MIN_LOG_LEVEL": "3",
        }
        client = NotebookClient(
            run,
            timeout=timeout,
            interrupt_on_timeout=True,
            allow_errors=True,
            kernel_name="python3",
            resources={"metadata": {"path": work}},
        )
        # the kernel process's own logs (TensorFlow's, at import) are not the
        # grader's output: they go to a file in the scratch folder
        kernel_log = open(Path(work) / "kernel.log", "wb")  # noqa: SIM115
        with kernel_log, client.setup_kernel(env=env, cwd=work, stderr=kernel_log):
            for index, cell in enumerate(run.cells):
                began = time.monotonic()
                try:
                    client.execute_cell(cell, index)
                except Exception as exc:  # noqa: BLE001 - a dead kernel, say
                    cell.outputs = [
                        nbformat.v4.new_output(
                            "error", ename=type(exc).__name__, evalue=str(exc)[:200]
                        )
                    ]
                if time.monotonic() - began >= timeout - 0.05:
                    timed_out.add(index)
        logged = {}
        if log.exists():
            for line in log.read_text(encoding="utf-8").splitlines():
                entry = json.loads(line)
                logged.setdefault(entry["name"], entry)

    grade = Grade(str(path), assignment, versions=_versions())
    grade.seconds = time.perf_counter() - start
    positions = {key: first_check + i for i, key in enumerate(present)}
    for key, cell in teacher_checks.items():
        for name in check_names(cell.source):
            if key not in positions:
                row = _row(name, "missing", message=f"check cell '{key}' was deleted")
            elif name in logged:
                row = _row(name, logged[name]["status"], result=logged[name])
            elif positions[key] in timed_out:
                row = _row(name, "timeout", message=f"the check ran over {timeout:g} s")
            else:
                error = (
                    _cell_error(run.cells[positions[key]]) or "the check did not run"
                )
                row = _row(name, "error", message=error)
            grade.tests.append(row)
    return grade


def grade_folder(
    folder: str | Path,
    *,
    out: str | Path | None = None,
    source: str | Path = EXERCISES,
    timeout: float = 60.0,
) -> Path:
    """Grade every ``*.ipynb`` of a folder into one CSV of scores.

    Each submission's ``results.json`` and Markdown report are written beside the
    CSV, in ``<name>.results.json`` and ``<name>.report.md``.

    Args:
        folder: The folder of submissions.
        out: The CSV's path (default ``folder/scores.csv``).
        source: As in `grade_notebook`.
        timeout: As in `grade_notebook`.

    Returns:
        The CSV's path: one row per submission (``submission, assignment, score,
        max_score``, then one column per check).

    Raises:
        ValueError: If ``folder`` holds no notebook.
    """
    folder = Path(folder)
    paths = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
    if not paths:
        raise ValueError(
            error_message("folder", "a folder holding .ipynb submissions", folder)
        )
    out = Path(out) if out is not None else folder / "scores.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    rows, names = [], []
    for path in paths:
        grade = grade_notebook(path, source=source, timeout=timeout)
        stem = out.parent / path.stem
        Path(f"{stem}.results.json").write_text(json.dumps(grade.to_json(), indent=2))
        Path(f"{stem}.report.md").write_text(grade.to_markdown())
        row = {
            "submission": path.name,
            "assignment": grade.assignment,
            "score": grade.score,
            "max_score": grade.max_score,
        }
        for test in grade.tests:
            row[test["name"]] = test["score"]
            if test["name"] not in names:
                names.append(test["name"])
        rows.append(row)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(
            handle, ["submission", "assignment", "score", "max_score", *names]
        )
        writer.writeheader()
        writer.writerows(rows)
    return out
