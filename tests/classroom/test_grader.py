"""The grader: source -> student -> grade, and what students do to notebooks."""

from __future__ import annotations

import json

import nbformat
import pytest

from rnn_zoo.classroom.authoring import build_exercises
from rnn_zoo.classroom.grader import grade_folder, grade_notebook
from rnn_zoo.cli import main

pytestmark = pytest.mark.slow

NUMPY_ONLY = ("01_rnn_cells", "03_attention", "04_forecasting_pipeline")
MAX = {
    "01_rnn_cells": 15,
    "02_char_lm": 10,
    "03_attention": 9,
    "04_forecasting_pipeline": 9,
}


@pytest.fixture(scope="module")
def handout(tmp_path_factory):
    out = tmp_path_factory.mktemp("handout")
    build_exercises(out)
    return out


def _edited(handout, tmp_path, name, edit, kind="teacher"):
    nb = nbformat.read(handout / kind / f"{name}.ipynb", as_version=4)
    edit(nb)
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize("name", sorted(MAX))
def test_teacher_full_marks_student_zero(handout, name):
    teacher = grade_notebook(handout / "teacher" / f"{name}.ipynb")
    assert teacher.score == teacher.max_score == MAX[name]
    assert {t["status"] for t in teacher.tests} == {"pass"}
    if name in NUMPY_ONLY:  # the char LM's student notebook costs a TF import more
        student = grade_notebook(handout / "student" / f"{name}.ipynb")
        assert student.score == 0 and student.max_score == MAX[name]
        assert {t["status"] for t in student.tests} == {"error"}
        visible = [t for t in student.tests if not t["hidden"]]
        assert all("NotImplementedError" in t["output"] for t in visible)


def test_results_json_is_gradescope_shaped(handout):
    grade = grade_notebook(handout / "student" / "01_rnn_cells.ipynb")
    results = json.loads(json.dumps(grade.to_json()))
    assert set(results) >= {"score", "max_score", "tests", "versions"}
    assert set(results["versions"]) == {"python", "numpy", "keras", "tensorflow"}
    for test in results["tests"]:
        assert {"name", "score", "max_score", "visibility", "output"} <= set(test)
        assert {"status", "location", "hint", "observed", "expected"} <= set(test)
        hidden = test["name"].endswith("_hidden")
        assert test["visibility"] == ("after_published" if hidden else "visible")
    report = grade.to_markdown()
    assert report.startswith("# 01_rnn_cells: 0 / 15") and "q1_rnn_step" in report


def test_deleted_duplicated_and_reordered_cells(handout, tmp_path):
    def scramble(nb):
        cells = nb.cells
        by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in cells}
        del cells[cells.index(by_id["q2_make_windows"])]  # a check cell deleted
        cells.append(by_id["q1_time_split"])  # a check cell duplicated
        answer = by_id["a4_pipeline"]  # an answer cell moved below its check
        cells.remove(answer)
        cells.append(answer)
        setup = by_id["setup"]
        del setup.metadata["nbgrader"]  # metadata stripped by an editor

    path = _edited(handout, tmp_path, "04_forecasting_pipeline", scramble)
    grade = grade_notebook(path)
    status = {t["name"]: t["status"] for t in grade.tests}
    assert status.pop("q2_make_windows") == "missing"
    assert set(status.values()) == {"pass"}
    assert [t["name"] for t in grade.tests].count("q1_time_split") == 1
    assert grade.score == MAX["04_forecasting_pipeline"] - 2


def test_stderr_noise_does_not_cost_points_and_a_loop_times_out(handout, tmp_path):
    def sabotage(nb):
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id == "a1_additive_scores":
                cell.source = (
                    "import sys, warnings\n"
                    "print('noise', file=sys.stderr)\n"
                    "warnings.warn('a warning')\n" + cell.source
                )
            if grade_id == "a3_context_vector":
                cell.source = cell.source.replace(
                    "    return np.einsum", "    while True:\n        pass\n    return"
                )

    path = _edited(handout, tmp_path, "03_attention", sabotage)
    grade = grade_notebook(path, timeout=3)  # per cell; this assignment is NumPy
    status = {t["name"]: t["status"] for t in grade.tests}
    assert status.pop("q3_context_vector") == "timeout"
    # the decoder step calls context_vector too, and its cell times out as well
    assert status.pop("q4_decoder_step") == "timeout"
    assert set(status.values()) == {"pass"}


def test_a_folder_is_graded_into_one_csv(handout, tmp_path):
    folder = tmp_path / "subs"
    folder.mkdir()
    for kind in ("teacher", "student"):
        source = handout / kind / "04_forecasting_pipeline.ipynb"
        (folder / f"{kind}.ipynb").write_bytes(source.read_bytes())
    csv = grade_folder(folder)
    lines = csv.read_text().splitlines()
    assert lines[0].startswith("submission,assignment,score,max_score,q1_time_split")
    assert lines[1].startswith("student.ipynb,04_forecasting_pipeline,0.0,9.0")
    assert lines[2].startswith("teacher.ipynb,04_forecasting_pipeline,9.0,9.0")
    assert (folder / "teacher.results.json").exists()
    assert (folder / "teacher.report.md").exists()


def test_cli_round_trip_and_errors(tmp_path, capsys):
    assert main(["exercises", "build", "--out", str(tmp_path / "h")]) == 0
    student = tmp_path / "h" / "student" / "03_attention.ipynb"
    out = tmp_path / "r" / "results.json"
    out.parent.mkdir()
    assert main(["exercises", "grade", str(student), "--out", str(out)]) == 0
    assert json.loads(out.read_text())["score"] == 0
    assert out.with_suffix(".md").exists()
    assert "03_attention: 0 / 9" in capsys.readouterr().out

    missing = tmp_path / "nope.ipynb"
    assert main(["exercises", "grade", str(missing)]) == 2
    assert "does not exist" in capsys.readouterr().err
    not_a_notebook = tmp_path / "x.ipynb"
    not_a_notebook.write_text("{")
    assert main(["exercises", "grade", str(not_a_notebook)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "a readable .ipynb notebook" in err
    with pytest.raises(SystemExit) as exit_info:
        main(["exercises", "grade", str(student), "--timeout", "0"])
    assert exit_info.value.code == 2
