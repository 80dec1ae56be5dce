"""Every notebook is a jupytext pair in sync, committed without outputs, in shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tools.run_tutorials import NOTEBOOKS, QUICK_PARAMETERS

SOURCES = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py"))
IPYNBS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
ids = [p.stem for p in SOURCES]


def test_every_notebook_has_both_halves():
    assert {p.stem for p in SOURCES} == {p.stem for p in IPYNBS}


@pytest.mark.parametrize("source", SOURCES, ids=ids)
def test_pair_is_in_sync(source: Path):
    import jupytext

    from_py = jupytext.read(source)
    from_ipynb = jupytext.read(source.with_suffix(".ipynb"))

    def cells(nb):
        return [(c.cell_type, c.source.strip()) for c in nb.cells]

    assert cells(from_py) == cells(from_ipynb), (
        f"{source.name} and its .ipynb differ: run "
        f"`.venv/bin/jupytext --sync {source}` (edit the .py, then sync)"
    )


@pytest.mark.parametrize("source", SOURCES, ids=ids)
def test_committed_ipynb_has_no_outputs(source: Path):
    nb = json.loads(source.with_suffix(".ipynb").read_text())
    with_outputs = [
        i
        for i, c in enumerate(nb["cells"])
        if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))
    ]
    assert not with_outputs, f"cells {with_outputs} carry outputs"


@pytest.mark.parametrize("source", SOURCES, ids=ids)
def test_notebook_shape(source: Path):
    import jupytext

    nb = jupytext.read(source)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged `parameters`"
    headings = [
        line.strip()
        for c in nb.cells
        if c.cell_type == "markdown"
        for line in c.source.splitlines()
    ]
    for heading in ("## Setup", "## Takeaways", "## Exercises"):
        assert heading in headings, f"missing {heading!r}"
    assert headings[0].startswith("# "), "starts with a title"
    text = "\n".join(c.source for c in nb.cells)
    assert "What you will learn" in text
    assert "record_results(" in text, "records its key results for the tests"


def test_quick_parameters_name_real_knobs():
    import jupytext

    quick = json.loads(QUICK_PARAMETERS.read_text())
    for name, params in quick.items():
        source = NOTEBOOKS / f"{name}.py"
        assert source.exists(), f"quick_parameters.json names a missing {name}"
        nb = jupytext.read(source)
        cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
        defined = {
            line.split("=")[0].strip()
            for line in cell.source.splitlines()
            if "=" in line and not line.lstrip().startswith("#")
        }
        unknown = set(params) - defined
        assert not unknown, f"{name}: {sorted(unknown)} are not in its parameters cell"
