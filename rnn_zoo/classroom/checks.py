"""Checks are functions: points, a hidden flag, a hint, and a test of behaviour.

A check cell of an exercise notebook holds one call, ``check("q1_rnn_step",
rnn_step)``: the student's function is passed in explicitly, never read from
globals. The check runs it on inputs made at check time, compares with a NumPy
reference computed from those same inputs (tolerances by dtype), and probes it
with all inputs but one zeroed, so a failure can say *where* the mistake is
("h_next ignores the recurrent term: check U @ h_prev").

Each result is printed as one line on stdout (never stderr, which the student's
code and TensorFlow may fill) and, when the grader runs the notebook, appended
to the JSON-lines file named by ``$RNN_ZOO_GRADE_LOG``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import traceback
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from rnn_zoo._validation import error_message

__all__ = [
    "CHECKS",
    "Check",
    "CheckFailed",
    "CheckNotPassed",
    "CheckResult",
    "GRADE_LOG_ENV",
    "check",
    "expect_close",
    "expect_shape",
    "register",
    "tolerance",
]

GRADE_LOG_ENV = "RNN_ZOO_GRADE_LOG"
STATUSES = ("pass", "fail", "error", "timeout", "missing")


class CheckFailed(AssertionError):
    """A check's verdict that the student's answer is wrong.

    Args:
        message: What is wrong, in one sentence.
        hint: Where to look; replaces the check's default hint.
        location: Which part of the answer (a term, a gate, an axis).
        observed: What the answer gave (short text).
        expected: What it should give (short text).
    """

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        location: str = "",
        observed: Any = None,
        expected: Any = None,
    ) -> None:
        super().__init__(message)
        self.hint = hint
        self.location = location
        self.observed = observed
        self.expected = expected


@dataclass(frozen=True)
class Check:
    """One graded check.

    Attributes:
        name: Its id, the first argument of ``check(...)`` (``"q1_rnn_step"``).
        points: What a pass scores.
        hint: Shown on failure unless the failure names a more precise one.
        hidden: Instructor-only: reported as pass/fail with its hint, never with
            its inputs, observed or expected values.
        run: ``run(*student_objects)`` returns None or raises `CheckFailed`.
        assignment: The exercise notebook it belongs to.
    """

    name: str
    points: float
    hint: str
    hidden: bool
    run: Callable[..., None]
    assignment: str


@dataclass
class CheckResult:
    """The outcome of one check (a row of the grader's ``results.json``)."""

    name: str
    status: str
    score: float
    max_score: float
    hidden: bool
    hint: str = ""
    location: str = ""
    message: str = ""
    observed: str = ""
    expected: str = ""
    assignment: str = ""
    extra: dict = field(default_factory=dict)

    def line(self) -> str:
        """The one line printed in the notebook (a hidden check: verdict and hint)."""
        mark = "PASS" if self.status == "pass" else self.status.upper()
        label = f"{self.name} (hidden)" if self.hidden else self.name
        text = f"[{mark}] {label}: {self.score:g}/{self.max_score:g}"
        if self.status != "pass":
            if self.message and not self.hidden:
                text += f" - {self.message}"
            text += f" Hint: {self.hint}" if self.hint else ""
        return text

    def public(self) -> dict:
        """The result as a dict; a hidden check keeps only its verdict and hint."""
        row = asdict(self)
        row.pop("extra")
        if self.hidden:
            for key in ("observed", "expected", "location", "message"):
                row[key] = ""
        return row


CHECKS: dict[str, Check] = {}


def register(
    name: str, *, points: float, hint: str, assignment: str, hidden: bool = False
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register a check function under ``name`` (a decorator).

    Args:
        name: The check's id; unique across assignments.
        points: What a pass scores (> 0).
        hint: The default hint shown on failure.
        assignment: The exercise notebook's stem (``"01_rnn_cells"``).
        hidden: Instructor-only (see `Check`).

    Returns:
        The decorator; it returns the function unchanged.

    Raises:
        ValueError: If ``name`` is already registered or ``points`` is not > 0.

    Example:
        >>> @register("q0_demo", points=1, hint="return 2", assignment="demo")
        ... def _demo(f):
        ...     if f() != 2:
        ...         raise CheckFailed("f() is not 2")
        >>> check("q0_demo", lambda: 2)
        [PASS] q0_demo: 1/1
        >>> del CHECKS["q0_demo"]
    """
    if name in CHECKS:
        raise ValueError(error_message("name", "a new check id", name))
    if not points > 0:
        raise ValueError(error_message("points", "a number > 0", points))

    def decorate(function: Callable[..., None]) -> Callable[..., None]:
        CHECKS[name] = Check(name, float(points), hint, hidden, function, assignment)
        return function

    return decorate


ASSIGNMENT_MODULES = ("rnn_cells", "char_lm", "attention", "forecasting")


def _load_assignment_checks() -> None:
    # each assignment's module registers its checks when imported
    import importlib

    for module in ASSIGNMENT_MODULES:
        importlib.import_module(f"rnn_zoo.classroom.{module}")


def _short(value: Any, limit: int = 300) -> str:
    if value is None:
        return ""
    if isinstance(value, np.ndarray):
        with np.printoptions(precision=5, suppress=True, threshold=12, edgeitems=2):
            text = f"array(shape={value.shape}) {value}"
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def run_check(name: str, *objects: Any) -> CheckResult:
    """Run check ``name`` on the student's objects and return its result (no print).

    Args:
        name: A registered check id.
        *objects: The student's functions or values the check tests.

    Returns:
        A `CheckResult`: ``pass`` (full points), ``fail`` (the answer is wrong:
        `CheckFailed`), or ``error`` (the student's code raised).

    Raises:
        ValueError: If ``name`` is not a registered check.
    """
    _load_assignment_checks()
    if name not in CHECKS:
        raise ValueError(error_message("name", "a registered check id", name))
    spec = CHECKS[name]
    result = CheckResult(
        name=name,
        status="pass",
        score=spec.points,
        max_score=spec.points,
        hidden=spec.hidden,
        assignment=spec.assignment,
    )
    sink = io.StringIO()
    try:
        # the student's prints and warnings are not the grade: keep them off stderr
        with (
            warnings.catch_warnings(),
            np.errstate(all="ignore"),
            contextlib.redirect_stderr(sink),
            contextlib.redirect_stdout(sink),
        ):
            warnings.simplefilter("ignore")
            spec.run(*objects)
    except CheckFailed as failure:
        result.status, result.score = "fail", 0.0
        result.message = str(failure)
        result.hint = failure.hint or spec.hint
        result.location = failure.location
        result.observed = _short(failure.observed)
        result.expected = _short(failure.expected)
    except NotImplementedError:
        result.status, result.score = "error", 0.0
        result.message = "not answered yet (the code raises NotImplementedError)"
        result.hint = spec.hint
    except Exception as exc:  # noqa: BLE001 - the student's code raised: reported
        result.status, result.score = "error", 0.0
        result.message = f"{type(exc).__name__}: {_short(exc, 200)}"
        result.hint = spec.hint
        frames = traceback.extract_tb(exc.__traceback__)
        student = [f for f in frames if not _in_package(f.filename)]
        if student:
            result.location = f"line {student[-1].lineno}: {student[-1].line}"
    return result


#: This package's folder: frames under it are the checks', not the student's.
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def _in_package(filename: str) -> bool:
    """Whether ``filename`` is one of rnn_zoo's own files (a folder named
    ``rnn_zoo`` above the student's notebook, such as a checkout, does not count).
    """
    return os.path.abspath(filename).startswith(_PACKAGE)


class CheckNotPassed(AssertionError):
    """Raised by `check` in a notebook when a check does not pass.

    nbgrader and otter score a test cell that raises as 0 and one that runs
    through as full marks, so a failed check must raise there. Under
    ``rnn_zoo exercises grade`` it does not: that grader scores each check from
    its logged result, and the hidden checks after it in the cell still run.
    """


def check(name: str, *objects: Any) -> None:
    """Run a graded check, print its one-line verdict, and log it for the grader.

    Args:
        name: The check id (``"q1_rnn_step"``), as in the check cell.
        *objects: The student's functions or values under test, passed explicitly.

    Raises:
        ValueError: If ``name`` is not a registered check.
        CheckNotPassed: If the check did not pass (not under the rnn_zoo grader,
            which sets ``$RNN_ZOO_GRADE_LOG`` and reads the results from there).

    Example:
        >>> import numpy as np
        >>> def rnn_step(x, h, W, U, b):
        ...     return np.tanh(x @ W + h @ U + b)
        >>> check("q1_rnn_step", rnn_step)
        [PASS] q1_rnn_step: 2/2
    """
    result = run_check(name, *objects)
    print(result.line(), flush=True)
    log = os.environ.get(GRADE_LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(result.public()) + "\n")
    elif result.status != "pass":
        raise CheckNotPassed(result.line())


# ----------------------------------------------------------------- helpers for checks


def tolerance(*arrays: Any) -> float:
    """The comparison tolerance for these arrays' dtype: 1e-5 float32, 1e-9 float64.

    Args:
        *arrays: The arrays compared.

    Returns:
        ``1e-5`` if any is float32 or lower precision, else ``1e-9``.

    Example:
        >>> tolerance(np.zeros(2, "float32"), np.zeros(2))
        1e-05
    """
    low = any(
        np.asarray(a).dtype.kind == "f" and np.asarray(a).dtype.itemsize < 8
        for a in arrays
    )
    return 1e-5 if low else 1e-9


def expect_shape(
    value: Any, shape: tuple[int, ...], what: str, hint: str
) -> np.ndarray:
    """The value as an array, or `CheckFailed` naming its shape.

    Args:
        value: What the student returned.
        shape: The expected shape.
        what: Its name in the message (``"h_next"``).
        hint: The hint on failure.

    Returns:
        ``np.asarray(value)``.

    Raises:
        CheckFailed: If it is not numeric or not of ``shape``.

    Example:
        >>> expect_shape([[1.0, 2.0]], (1, 2), "h", "-").shape
        (1, 2)
    """
    if value is None:
        raise CheckFailed(f"{what} is None: did you forget to return it?", hint=hint)
    try:
        array = np.asarray(value, dtype="float64")
    except (TypeError, ValueError):
        raise CheckFailed(
            f"{what} is not a numeric array", hint=hint, observed=type(value).__name__
        ) from None
    if array.shape != tuple(shape):
        raise CheckFailed(
            f"{what} has shape {array.shape}, expected {tuple(shape)}",
            hint=hint,
            location=f"shape of {what}",
            observed=array.shape,
            expected=tuple(shape),
        )
    return array


def expect_close(
    observed: Any,
    expected: np.ndarray,
    what: str,
    hint: str,
    *,
    location: str = "",
    atol: float | None = None,
) -> None:
    """`CheckFailed` unless ``observed`` equals ``expected`` within the dtype tolerance.

    Args:
        observed: The student's value.
        expected: The reference value, same shape.
        what: Its name in the message.
        hint: The hint on failure.
        location: Which part of the answer this is.
        atol: The tolerance; by default `tolerance` of ``observed``.

    Raises:
        CheckFailed: On a shape mismatch or a value further than the tolerance.

    Example:
        >>> expect_close(np.ones(2), np.ones(2), "h", "-")
    """
    tol = tolerance(observed) if atol is None else atol
    array = expect_shape(observed, np.shape(expected), what, hint)
    if not np.all(np.isfinite(array)):
        raise CheckFailed(f"{what} has NaN or inf values", hint=hint, location=location)
    worst = float(np.max(np.abs(array - expected), initial=0.0))
    if worst > tol * max(1.0, float(np.max(np.abs(expected), initial=0.0))):
        raise CheckFailed(
            f"{what} differs from the reference by up to {worst:.3g}",
            hint=hint,
            location=location or what,
            observed=array,
            expected=expected,
        )
