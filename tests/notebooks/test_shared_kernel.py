"""The shared kernel hides nothing one notebook leaves for the next."""

from __future__ import annotations

import nbformat
import pytest

from tests.notebooks.conftest import stderr_outputs
from tools.run_tutorials import execute

pytestmark = pytest.mark.slow  # starts a kernel


def _notebook(folder, name, *sources):
    path = folder / f"{name}.ipynb"
    cells = [nbformat.v4.new_code_cell(source) for source in sources]
    cells[0].metadata["tags"] = ["parameters"]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


def _run(shared_kernel, path, folder):
    return execute(path, folder / "out", {}, html=False, kernel=shared_kernel.ready())


def test_the_next_notebook_starts_clean(shared_kernel, tmp_path):
    # a warning raised inside a module that stays imported, as a library's is
    warn = (
        "import sys, types\n"
        "if 'warner' not in sys.modules:\n"
        "    sys.modules['warner'] = types.ModuleType('warner')\n"
        "    exec(WARNER, sys.modules['warner'].__dict__)\n"
        "sys.modules['warner'].warn()"
    )
    warner = "import warnings\ndef warn():\n    warnings.warn('shown in each notebook')"
    warn = f"WARNER = {warner!r}\n" + warn
    first = _notebook(
        tmp_path,
        "first",
        "import keras\nx = 1",  # nothing imported later changes the warning filters
        warn,
        "import matplotlib\nmatplotlib.rcParams['lines.linewidth'] = 7.0",
        "import keras\nkeras.mixed_precision.set_global_policy('mixed_float16')",
    )
    outcome, nb = _run(shared_kernel, first, tmp_path)
    assert outcome.ok, outcome.error
    assert any("shown in each notebook" in text for text in _stderr(nb))

    second = _notebook(
        tmp_path,
        "second",
        "pass",
        warn,  # shown again: the warning filters and their memory were reset
        "import matplotlib, keras\n"
        "assert matplotlib.rcParams['lines.linewidth'] != 7.0\n"
        "assert keras.mixed_precision.global_policy().name == 'float32'",
        "x",  # defined by the first notebook only: a NameError, as in a new kernel
    )
    outcome, nb = _run(shared_kernel, second, tmp_path)
    assert not outcome.ok and "NameError" in outcome.error, outcome.error
    assert any("shown in each notebook" in text for text in _stderr(nb))


def _stderr(nb):
    return [
        output.get("text", "")
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if output.get("name") == "stderr"
    ]


def test_stderr_outputs_still_flag_noise():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    nb.cells[0].outputs = [
        nbformat.v4.new_output("stream", name="stderr", text="E0000 noise\n")
    ]
    assert stderr_outputs(nb) == ["E0000 noise\n"]
