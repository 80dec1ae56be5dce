"""Shared fixtures: every test starts from a seeded, cleared Keras session."""

from __future__ import annotations

import importlib
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import configuration, settings

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
#: them in `pytest_configure`, before pytest-cov starts its tracer in an xdist
#: worker (at session start), so they load untraced (under the tracer they cost
#: each worker seconds of collection); rnn_zoo's own modules are imported, and
#: covered, later.
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
    """Import the big libraries and switch Grappler off, where tests run.

    The xdist controller skips both: it runs no test, and its coverage tracer
    is already on, so importing TensorFlow there would only delay the workers.
    """
    config.pluginmanager.register(DoctestTempFolders(), "rnn_zoo-doctest-temp")
    if not runs_tests(config):
        return
    importlib.import_module("matplotlib").use("Agg")  # no display in a test run
    for module in PREIMPORTED:
        importlib.import_module(module)
    # Grappler, TensorFlow's graph optimizer, runs on every traced function; on
    # the suite's tiny models it costs more than it saves (a tiny fit: 1.7 s ->
    # 1.35 s without it). The numbers a test compares are computed in the same
    # process, so they are unaffected; notebooks run in kernels and keep the
    # default. RNN_ZOO_TEST_GRAPPLER=1 turns it back on.
    if os.environ.get("RNN_ZOO_TEST_GRAPPLER") != "1":
        import tensorflow as tf

        tf.config.optimizer.set_experimental_options({"disable_meta_optimizer": True})
        os.environ["IPYTHONDIR"] = kernel_profile(tempfile.mkdtemp("-ipython"))
        config.stash[KERNEL_FOLDER] = os.environ["IPYTHONDIR"]


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the kernels' IPython folder `pytest_configure` made."""
    folder = config.stash.get(KERNEL_FOLDER, None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


KERNEL_FOLDER = pytest.StashKey[str]()


#: The notebook kernels' start-up file (see `kernel_profile`).
KERNEL_STARTUP = """\
import sys

_rnn_zoo_grappler = []


def _rnn_zoo_grappler_off(*_):
    # after the cell that imported TensorFlow (setup_notebook), once
    if "tensorflow" in sys.modules and not _rnn_zoo_grappler:
        options = {"disable_meta_optimizer": True}
        sys.modules["tensorflow"].config.optimizer.set_experimental_options(options)
        _rnn_zoo_grappler.append("off")


get_ipython().events.register("post_run_cell", _rnn_zoo_grappler_off)
"""


def kernel_profile(folder: str) -> str:
    """An IPython folder whose start-up file turns Grappler off in test kernels.

    The notebooks the tests run (and the exercise notebooks the grader tests
    run) train many tiny models at their quick sizes, each traced once: there
    Grappler costs more than it saves, as in the test processes (notebook 05's
    quick run: 59 s -> 46 s). The kernels inherit ``IPYTHONDIR``; the start-up
    file waits for the notebook's own TensorFlow import (a notebook without
    TensorFlow does not pay for one). ``make tutorials`` keeps the default.

    Args:
        folder: An empty folder to use as ``IPYTHONDIR``.

    Returns:
        ``folder``.
    """
    startup = Path(folder) / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-rnn-zoo-tests.py").write_text(KERNEL_STARTUP)
    return folder


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

    With ``-n 2 --dist loadscope`` the workers take modules in this order; the
    long ones (notebooks, child processes) first and the many short ones after
    keep both workers busy to the end instead of one waiting on a notebook.
    """
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
