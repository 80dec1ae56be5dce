"""Shared fixtures: every test starts from a seeded, cleared Keras session."""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import random
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import configuration, settings
from xdist.scheduler import LoadScopeScheduling

from tests import tf_speed

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
if os.environ.get("PYTEST_XDIST_WORKER"):
    # `make test` runs one pytest-xdist worker per core: one thread each for
    # TensorFlow's ops (within an op and across independent ops) and BLAS, so the
    # workers (and the notebook kernels they start, which inherit this
    # environment) do not oversubscribe the cores.
    for _name in (
        "TF_NUM_INTRAOP_THREADS",
        "TF_NUM_INTEROP_THREADS",
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
    ):
        os.environ.setdefault(_name, "1")

#: The big third-party libraries the tests use. A process that runs tests imports
#: them in `pytest_configure` with coverage's tracer paused (`untraced`): under
#: the tracer they cost each worker about 7 CPU-seconds more. rnn_zoo's own
#: modules are imported, and covered, later.
PREIMPORTED = (
    "tensorflow",
    "keras",
    "matplotlib.pyplot",
    "pandas",
    "scipy.stats",
    "sklearn.linear_model",
    "nbformat",
    "nbclient",
)


@contextlib.contextmanager
def untraced() -> Iterator[None]:
    """Pause the running coverage measurement, if any, for third-party imports.

    pytest-cov starts a tracer in every xdist worker before `pytest_configure`
    (the worker's options ask for a distributed run, so it starts the
    controller's measurement too), and replaces it with the worker's own at
    session start; what it traces in between is discarded, but tracing
    TensorFlow's import costs about a quarter more CPU time (8.1 -> 10.3 s).
    """
    import coverage

    running = coverage.Coverage.current()
    if running is None:
        yield
        return
    running.stop()
    try:
        yield
    finally:
        running.start()


def runs_tests(config: pytest.Config) -> bool:
    """False only in pytest-xdist's controller, which hands tests to workers."""
    return hasattr(config, "workerinput") or not config.getoption("numprocesses", 0)


class DoctestTempFolders:
    """Each doctest's ``tempfile.mkdtemp()`` folders go in one folder, removed after.

    The examples in docstrings create folders with ``tempfile.mkdtemp()`` (what a
    reader would type) and leave them; without this every run of the suite left
    about twenty in the system's temporary folder. A plugin (registered in
    `pytest_configure`) rather than a fixture, because a fixture of this file does
    not reach the doctests in ``rnn_zoo/``.
    """

    def __init__(self) -> None:
        self.saved: str | None = None
        self.folder: str | None = None

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        if type(item).__name__ == "DoctestItem":
            self.saved, self.folder = tempfile.tempdir, tempfile.mkdtemp("-doctest")
            tempfile.tempdir = self.folder

    def pytest_runtest_teardown(self, item: pytest.Item) -> None:
        if self.folder is not None:
            tempfile.tempdir = self.saved
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def pytest_configure(config: pytest.Config) -> None:
    """Import the big libraries and speed TensorFlow up, where tests run.

    The xdist controller skips both: it runs no test, and its coverage tracer
    is already on, so importing TensorFlow there would only delay the workers.
    """
    config.pluginmanager.register(DoctestTempFolders(), "rnn_zoo-doctest-temp")
    if not runs_tests(config):
        return
    with untraced():
        importlib.import_module("matplotlib").use("Agg")  # no display in a test run
        for module in PREIMPORTED:
            importlib.import_module(module)
    # Grappler and tf.data autotuning off (tests/tf_speed.py): faster, same results
    if tf_speed.wanted():
        tf_speed.speed_up(importlib.import_module("tensorflow"))
        os.environ["IPYTHONDIR"] = tf_speed.kernel_profile(tempfile.mkdtemp("-ipython"))
        config.stash[KERNEL_FOLDER] = os.environ["IPYTHONDIR"]
    gc.collect()
    gc.freeze()  # the libraries' objects: no longer walked by every full collection


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the kernels' IPython folder `pytest_configure` made."""
    folder = config.stash.get(KERNEL_FOLDER, None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


KERNEL_FOLDER = pytest.StashKey[str]()


# Hypothesis keeps its example database outside the source tree, and in CI it is
# derandomized (the same examples every run, so a red build is reproducible).
HYPOTHESIS_HOME = Path(tempfile.gettempdir()) / "rnn_zoo-hypothesis"
configuration.set_hypothesis_home_dir(HYPOTHESIS_HOME)
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _seed_and_clear():
    """Seed Python/NumPy (and Keras if already imported); clear the Keras session."""
    random.seed(0)
    np.random.seed(0)
    if "keras" in sys.modules:
        import keras

        # free_memory=False skips gc.collect(), which costs ~0.5 s per test.
        keras.backend.clear_session(free_memory=False)
        keras.utils.set_random_seed(0)
    yield


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded NumPy generator."""
    return np.random.default_rng(0)


def pytest_collection_modifyitems(config, items):
    """Run the ``slow`` tests first (a stable sort: module order kept otherwise).

    With ``-n 2 --dist loadscope`` the workers take modules (the notebook runs
    as one unit: `NotebooksTogether`) in this order; the long ones (notebooks,
    child processes) first and the many short ones after keep both workers busy
    to the end instead of one waiting on a notebook.
    """
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


#: The test modules that run notebooks in the worker's shared kernel
#: (`tests/notebooks/conftest.py`): one pytest-xdist work unit, so one worker
#: runs them all and one kernel imports TensorFlow, not one per worker.
NOTEBOOK_RUNS = ("tests/notebooks/test_0", "tests/notebooks/test_shared_kernel.py")


def notebook_scope(nodeid: str) -> str | None:
    """``"notebook runs"`` for a test of `NOTEBOOK_RUNS`, else None (its module).

    Example:
        >>> notebook_scope("tests/notebooks/test_05_attention_seq2seq.py::test_x")
        'notebook runs'
        >>> notebook_scope("tests/notebooks/test_notebook_files.py::test_x") is None
        True
    """
    return "notebook runs" if nodeid.startswith(NOTEBOOK_RUNS) else None


class NotebooksTogether(LoadScopeScheduling):
    """pytest-xdist's ``loadscope`` scheduling, the notebook runs one scope."""

    def _split_scope(self, nodeid: str) -> str:
        return notebook_scope(nodeid) or super()._split_scope(nodeid)


def pytest_xdist_make_scheduler(config, log):
    """`NotebooksTogether` for ``--dist loadscope``; other modes left to xdist."""
    if config.getoption("dist") != "loadscope":
        return None
    return NotebooksTogether(config, log)
