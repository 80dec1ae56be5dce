"""Shared helpers: the teacher's solutions, executed from the source notebooks."""

from __future__ import annotations

import contextlib
import io

import nbformat
import pytest

from rnn_zoo.classroom.authoring import EXERCISES


def solution_namespace(assignment: str, edit=None) -> dict:
    """Run the setup and answer cells of ``exercises/<assignment>.ipynb``.

    ``edit(grade_id, source) -> source`` may change a cell first (a mutation: a
    deliberately wrong solution). Check and demo cells are not run.
    """
    nb = nbformat.read(EXERCISES / f"{assignment}.ipynb", as_version=4)
    namespace: dict = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or not (
            meta.get("solution") or meta.get("grade_id") == "setup"
        ):
            continue
        source = cell.source
        if edit is not None:
            source = edit(meta["grade_id"], source)
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(source, f"<{meta['grade_id']}>", "exec"), namespace)
    return namespace


@pytest.fixture(scope="module")
def solutions():
    """``solutions(assignment)`` -> the teacher's namespace (cached per module)."""
    cache: dict = {}

    def get(assignment: str) -> dict:
        if assignment not in cache:
            cache[assignment] = solution_namespace(assignment)
        return cache[assignment]

    return get
