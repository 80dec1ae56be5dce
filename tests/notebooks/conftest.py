"""Run a notebook with its quick parameters; hand back its recorded results.

Each notebook test calls ``run_notebook("03_char_language_model")`` (optionally
with overrides) and asserts on the values the notebook passed to
``rnn_zoo.notebook.record_results``. The runner is the one ``make tutorials``
uses, so a notebook that passes here also runs there.
"""

from __future__ import annotations

import pytest

from tools.run_tutorials import NOTEBOOKS, execute, quick_parameters

# stderr text a notebook may show on purpose (a warning the lesson is about)
ALLOWED_STDERR = ("Warning",)


def stderr_outputs(nb) -> list[str]:
    """Every stderr stream output of an executed notebook, except deliberate ones."""
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                text = output.get("text", "")
                if not any(word in text for word in ALLOWED_STDERR):
                    found.append(text)
    return found


@pytest.fixture
def run_notebook(tmp_path):
    """Execute ``notebooks/<name>.ipynb`` with its quick parameters.

    Returns a function ``(name, **overrides) -> (results, nb)`` that fails the test
    with the notebook's error if a cell raised, or if a cell wrote to stderr.
    """

    def run(name: str, **overrides):
        path = NOTEBOOKS / f"{name}.ipynb"
        params = {**quick_parameters(name), **overrides}
        outcome, nb = execute(path, tmp_path, params, html=False)
        if not outcome.ok:
            pytest.fail(f"{name} failed: {outcome.error}")
        noise = stderr_outputs(nb)
        assert not noise, f"{name} wrote to stderr:\n" + "\n".join(noise)
        return outcome.results, nb

    return run
