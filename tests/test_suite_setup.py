"""The test suite itself: no stray writes into the source tree, reproducible CI."""

from __future__ import annotations

import ast
import gc
import os
from pathlib import Path

import pytest
from hypothesis import configuration, settings

from tests import tf_speed

ROOT = Path(__file__).resolve().parents[1]


def test_hypothesis_writes_outside_the_source_tree():
    home = configuration.storage_directory(intent_to_write=False).path
    assert ROOT not in home.resolve().parents, home


def test_hypothesis_is_derandomized_in_ci():
    if os.environ.get("CI"):
        assert settings().derandomize
        assert settings().database is None


def test_workers_do_not_oversubscribe_the_cores():
    if os.environ.get("PYTEST_XDIST_WORKER"):
        assert os.environ["TF_NUM_INTRAOP_THREADS"] == "1"
        assert os.environ["TF_NUM_INTEROP_THREADS"] == "1"
        assert os.environ["OMP_NUM_THREADS"] == "1"


SPAWN = "subprocess" + "."  # split, so this file does not match itself


def _marked_slow(node) -> bool:
    return any("slow" in ast.unparse(d) for d in node.decorator_list)


def test_slow_marks_notebook_runs_child_processes_and_resumes():
    """``pytest -m "not slow"`` leaves out every notebook run and child process."""
    unmarked = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        tree = ast.parse(path.read_text())
        whole = any(
            isinstance(n, ast.Assign)
            and any(getattr(t, "id", "") == "pytestmark" for t in n.targets)
            and "slow" in ast.unparse(n.value)
            for n in tree.body
        )
        if whole:
            continue
        rel = path.relative_to(ROOT).as_posix()
        must = rel.startswith("tests/notebooks/test_0") or "resume" in path.name
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                spawns = SPAWN in ast.unparse(node) or must
                if spawns and not _marked_slow(node):
                    unmarked.append(f"{rel}::{node.name}")
    assert not unmarked, unmarked


def test_grappler_and_tf_data_autotuning_are_off_in_a_test_process():
    """`pytest_configure` ran here (a process that runs tests)."""
    import tensorflow as tf

    if not tf_speed.wanted():
        pytest.skip(f"{tf_speed.DEFAULTS_VARIABLE}=1 keeps TensorFlow's defaults")
    options = tf.config.optimizer.get_experimental_options()
    assert options["disable_meta_optimizer"] is True
    assert not _autotuned(tf)
    assert gc.get_freeze_count() > 100_000  # the libraries' objects, frozen


def _autotuned(tf) -> bool:
    """Whether the dataset an iterator actually iterates is autotuned (unset: yes)."""
    iterator = iter(tf.data.Dataset.range(3).prefetch(tf.data.AUTOTUNE))
    return iterator._dataset.options().autotune.enabled is not False


def test_only_the_xdist_controller_skips_the_big_imports():
    """The controller (``-n 2``, no ``workerinput``) imports no TensorFlow."""
    from types import SimpleNamespace

    from tests.conftest import runs_tests

    def config(numprocesses, **extra):
        def getoption(name, default=None):
            return {"numprocesses": numprocesses}.get(name, default)

        return SimpleNamespace(getoption=getoption, **extra)

    assert runs_tests(config(2)) is False  # the controller
    assert runs_tests(config(2, workerinput={"workerid": "gw0"})) is True
    assert runs_tests(config(0)) is True  # plain pytest
    assert runs_tests(config(None)) is True  # no -n given


def test_doctest_temp_folders_are_removed(pytestconfig):
    import tempfile

    from tests.conftest import DoctestTempFolders

    assert pytestconfig.pluginmanager.get_plugin("rnn_zoo-doctest-temp") is not None

    class DoctestItem:  # what the plugin recognises a doctest by
        pass

    plugin, item, before = DoctestTempFolders(), DoctestItem(), tempfile.gettempdir()
    plugin.pytest_runtest_setup(item)
    made = Path(tempfile.mkdtemp())  # as a docstring example does
    assert made.parent == Path(plugin.folder) and made.is_dir()
    plugin.pytest_runtest_teardown(item)
    assert not made.exists() and tempfile.gettempdir() == before
    plugin.pytest_runtest_setup(object())  # not a doctest: left alone
    assert plugin.folder is None and tempfile.gettempdir() == before


def test_notebook_kernels_speed_tensorflow_up_once_after_its_import():
    from types import SimpleNamespace

    import tensorflow as tf
    from tensorflow.python.data.ops import dataset_ops

    if tf_speed.wanted():
        folder = Path(os.environ["IPYTHONDIR"]) / "profile_default" / "startup"
        assert (folder / "00-rnn-zoo-tests.py").read_text() == tf_speed.KERNEL_STARTUP
    registered = []
    events = SimpleNamespace(
        register=lambda *args: registered.append(args),
        unregister=lambda *args: registered.remove(args),
    )
    namespace = {"get_ipython": lambda: SimpleNamespace(events=events)}
    options = tf.config.optimizer.get_experimental_options()
    apply_debug_options = dataset_ops.DatasetV2._apply_debug_options
    tf.config.optimizer.set_experimental_options({"disable_meta_optimizer": False})
    dataset_ops.DatasetV2._apply_debug_options = getattr(  # TensorFlow's own
        apply_debug_options, "tf_original", apply_debug_options
    )
    try:
        assert _autotuned(tf)
        exec(tf_speed.KERNEL_STARTUP, namespace)
        ((event, callback),) = registered
        assert event == "post_run_cell"
        callback(None)  # after a cell, with TensorFlow imported: once, then gone
        assert registered == []
        assert tf.config.optimizer.get_experimental_options()["disable_meta_optimizer"]
        assert not _autotuned(tf)
    finally:
        tf.config.optimizer.set_experimental_options(options)
        dataset_ops.DatasetV2._apply_debug_options = apply_debug_options


def test_every_notebook_run_is_in_one_xdist_scope():
    """One worker runs the notebooks: one kernel imports TensorFlow, not two."""
    from types import SimpleNamespace

    from tests.conftest import NotebooksTogether, pytest_xdist_make_scheduler

    uses_kernel = sorted(
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "tests" / "notebooks").glob("test_*.py")
        if "run_notebook" in path.read_text() or "shared_kernel" in path.read_text()
    )
    assert len(uses_kernel) >= 10  # the nine notebooks and the kernel's own test
    config = SimpleNamespace(
        getoption=lambda name, default=None: {"dist": "loadscope"}.get(name, default),
        getvalue=lambda name: {"tx": ["popen", "popen"]}.get(name),
        option=SimpleNamespace(loadscopereorder=False),
    )
    scheduler = pytest_xdist_make_scheduler(config, log=None)
    assert isinstance(scheduler, NotebooksTogether)
    scopes = {scheduler._split_scope(f"{path}::test_x") for path in uses_kernel}
    assert scopes == {"notebook runs"}
    other = "tests/notebooks/test_notebook_files.py::test_x"
    assert scheduler._split_scope(other) == "tests/notebooks/test_notebook_files.py"
    load = SimpleNamespace(getoption=lambda name, default=None: "load")
    assert pytest_xdist_make_scheduler(load, log=None) is None
