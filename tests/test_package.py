"""Package-level guarantees: cheap import, public names, the two README commands."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import rnn_zoo

ROOT = Path(__file__).resolve().parents[1]


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    return set(out.split())


@pytest.mark.slow  # a child process
@pytest.mark.parametrize(
    "code",
    [
        "import rnn_zoo",
        "import rnn_zoo.preprocessing, rnn_zoo.models, rnn_zoo.datasets",
        "from rnn_zoo.preprocessing import make_windows, CharTokenizer, SeriesScaler",
        "from rnn_zoo import reference",
        "import rnn_zoo.evaluation, rnn_zoo.plotting, rnn_zoo.cli, rnn_zoo.notebook",
        "import rnn_zoo.training, rnn_zoo.inference, rnn_zoo.tasks, rnn_zoo.inspection",
        "import rnn_zoo.tasks.run_folder, rnn_zoo.tasks.progress, rnn_zoo._moved",
    ],
)
def test_import_does_not_load_tensorflow(code):
    modules = _modules_after(code)
    assert "tensorflow" not in modules
    assert "keras" not in modules


@pytest.mark.slow  # a child process
def test_importtime_shows_no_tensorflow():
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import rnn_zoo"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert "rnn_zoo" in result.stderr
    assert "tensorflow" not in result.stderr


@pytest.mark.parametrize("name", sorted(rnn_zoo._LAZY))
def test_top_level_lazy_names_resolve(name):
    value = getattr(rnn_zoo, name)
    module = importlib.import_module(rnn_zoo._LAZY[name])
    assert value is getattr(module, name)


@pytest.mark.parametrize(
    "package",
    [
        "rnn_zoo.preprocessing",
        "rnn_zoo.models",
        "rnn_zoo.datasets",
        "rnn_zoo.evaluation",
        "rnn_zoo.plotting",
        "rnn_zoo.training",
        "rnn_zoo.inference",
        "rnn_zoo.tasks",
        "rnn_zoo.inspection",
    ],
)
def test_subpackage_names_resolve(package):
    pkg = importlib.import_module(package)
    for name in pkg.__all__:
        assert getattr(pkg, name) is not None, name
    assert sorted(pkg.__all__) == dir(pkg)


def test_unknown_attribute_raises():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        rnn_zoo.nope  # noqa: B018
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        importlib.import_module("rnn_zoo.models").nope  # noqa: B018


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme
    assert "make test" in ci


def test_requirements_are_pinned_exactly():
    lines = [
        line.strip()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines, "requirements.txt is empty"
    for line in lines:
        assert "==" in line, f"not pinned exactly: {line}"
    pins = dict(line.split("==") for line in lines)
    assert pins["tensorflow"].startswith("2.21.")
    major, minor, patch = (int(p) for p in pins["keras"].split("."))
    assert (major, minor, patch) >= (3, 15, 1)
