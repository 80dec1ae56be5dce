"""The classroom kit: graded exercise notebooks, their checks, and the grader.

- `check` (``rnn_zoo.classroom.checks``): the one call of a check cell,
  ``check("q1_rnn_step", rnn_step)``; checks test behaviour through the student's
  function, with points, a hidden flag and a hint that says where the mistake is.
- ``rnn_cells``, ``char_lm``, ``attention``, ``forecasting``: each assignment's
  checks.
- `build_exercises` (``authoring``): ``exercises/*.ipynb`` -> ``student/`` and
  ``teacher/`` notebooks (``python -m rnn_zoo exercises build``).
- `grade_notebook` / `grade_folder` (``grader``): execute a submission and score
  it from its check results (``python -m rnn_zoo exercises grade``).

Importing this package imports neither TensorFlow nor Jupyter.
"""

from __future__ import annotations

from rnn_zoo._lazy import lazy_exports

_EXPORTS = {
    "check": "checks",
    "run_check": "checks",
    "CheckFailed": "checks",
    "CheckResult": "checks",
    "CheckNotPassed": "checks",
    "CHECKS": "checks",
    "build_exercises": "authoring",
    "student_version": "authoring",
    "grade_notebook": "grader",
    "grade_folder": "grader",
}

__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)
__all__ = sorted(_EXPORTS)
