"""Source -> student / teacher notebooks, in a format nbgrader and otter accept."""

from __future__ import annotations

import nbformat
import pytest

from rnn_zoo.classroom.authoring import (
    EXERCISES,
    HIDDEN,
    SOLUTION,
    build_exercises,
    check_names,
    student_source,
)
from rnn_zoo.classroom.checks import CHECKS, _load_assignment_checks

SOURCES = sorted(EXERCISES.glob("[0-9][0-9]_*.ipynb"))


def test_there_are_four_assignments_paired_with_their_sources():
    assert [p.stem for p in SOURCES] == [
        "01_rnn_cells",
        "02_char_lm",
        "03_attention",
        "04_forecasting_pipeline",
    ]
    for path in SOURCES:
        assert path.with_suffix(".py").exists()


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_cells_carry_nbgrader_metadata_and_points_add_up(path):
    _load_assignment_checks()
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["rnn_zoo"]["assignment"] == path.stem
    ids = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if cell.cell_type != "code":
            continue
        assert meta is not None and meta["schema_version"] == 3
        ids.append(meta["grade_id"])
        if meta["solution"]:
            lines = [line.strip() for line in cell.source.splitlines()]
            assert lines.count(SOLUTION[0]) == lines.count(SOLUTION[1]) >= 1
        if meta["grade"]:
            assert meta["locked"] and not meta["solution"]
            names = check_names(cell.source)
            assert names[0] == meta["grade_id"]  # one visible call, then hidden
            assert meta["points"] == sum(CHECKS[n].points for n in names)
            assert all(CHECKS[n].assignment == path.stem for n in names)
    assert len(ids) == len(set(ids))


def test_student_source_keeps_hints_and_drops_hidden_tests():
    source = "\n".join(
        [
            "def f(x):",
            "    # BEGIN SOLUTION",
            "    # HINT: double it",
            "    y = 2 * x",
            "    return y",
            "    # END SOLUTION",
            'check("q1", f)',
            HIDDEN[0],
            'check("q1_hidden", f)',
            HIDDEN[1],
        ]
    )
    assert student_source(source).splitlines() == [
        "def f(x):",
        "    # HINT: double it",
        "    raise NotImplementedError()",
        'check("q1", f)',
    ]
    with pytest.raises(ValueError, match="never closed"):
        student_source("# BEGIN SOLUTION\nx = 1")
    with pytest.raises(ValueError, match="without '# BEGIN SOLUTION'"):
        student_source("x = 1\n# END SOLUTION")


def test_build_writes_student_and_teacher_versions(tmp_path):
    written = build_exercises(tmp_path)
    assert len(written) == 2 * len(SOURCES)
    for path in SOURCES:
        source = nbformat.read(path, as_version=4)
        teacher = nbformat.read(tmp_path / "teacher" / path.name, as_version=4)
        student = nbformat.read(tmp_path / "student" / path.name, as_version=4)
        assert [c.source for c in teacher.cells] == [c.source for c in source.cells]
        assert [c.metadata for c in student.cells] == [c.metadata for c in source.cells]
        text = "\n".join(c.source for c in student.cells)
        assert SOLUTION[0] not in text and HIDDEN[0] not in text
        assert "_hidden" not in text
        assert "raise NotImplementedError()" in text
        for nb in (teacher, student):
            code = [c for c in nb.cells if c.cell_type == "code"]
            assert all(not c.outputs and c.execution_count is None for c in code)


def test_build_refuses_an_empty_source(tmp_path):
    with pytest.raises(ValueError, match="`source` must be a folder holding"):
        build_exercises(tmp_path / "out", source=tmp_path)
