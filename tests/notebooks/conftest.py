"""Run a notebook with its quick parameters; hand back its recorded results.

Each notebook test calls ``run_notebook("03_char_language_model")`` (optionally
with overrides) and asserts on the values the notebook passed to
``rnn_zoo.notebook.record_results``. The runner is the one ``make tutorials``
uses, so a notebook that passes here also runs there.
"""

from __future__ import annotations

import tempfile

import pytest

from tools.run_tutorials import NOTEBOOKS, execute, kernel_transport, quick_parameters

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


#: Run in a new kernel before its first notebook: what `RESET` puts back later.
SNAPSHOT = """\
import sys, types, warnings
import matplotlib
import matplotlib.pyplot

_state = types.ModuleType("_rnn_zoo_kernel_state")
_state.filters = list(warnings.filters)
_state.rc = {k: v for k, v in matplotlib.rcParams.items() if k != "backend"}


def _reset(state=_state):
    import gc, sys, warnings
    import matplotlib, matplotlib.pyplot

    matplotlib.pyplot.close("all")
    matplotlib.rcParams.update(state.rc)
    warnings.filters[:] = state.filters
    warnings._filters_mutated()  # forget which warnings were shown once
    if "keras" in sys.modules:
        keras = sys.modules["keras"]
        keras.mixed_precision.set_global_policy("float32")
        keras.backend.clear_session()
    gc.collect()


_state.reset = _reset
sys.modules[_state.__name__] = _state
del sys, types, warnings, matplotlib, _state, _reset
"""

#: Run between two notebooks in one kernel: no name of the last one is left.
RESET = """\
%reset -f
__import__("sys").modules["_rnn_zoo_kernel_state"].reset()
"""


class SharedKernel:
    """One Jupyter kernel for every notebook a test worker runs.

    A kernel costs a process start and the TensorFlow import (about 10
    CPU-seconds); each worker runs several notebooks. Between two notebooks
    `RESET` empties the user namespace (``%reset -f``: a notebook that uses a
    name it did not define fails as in a new kernel), closes the figures,
    puts back matplotlib's settings, the warning filters and the float32 Keras
    policy (a warning an earlier notebook showed is shown again: tested), and
    clears the Keras session. What stays is what a notebook cannot see:
    imported modules and compiled code. A kernel that died is replaced.
    ``make tutorials`` gives every notebook a new kernel.
    """

    def __init__(self):
        self.manager = None
        self.used = False
        self._sockets = tempfile.TemporaryDirectory(prefix="rnn-zoo-shared-kernel-")

    def ready(self):
        """The kernel manager, its kernel alive and reset for the next notebook."""
        from jupyter_client import AsyncKernelManager
        from jupyter_core.utils import run_sync

        if self.manager is not None and not run_sync(self.manager.is_alive)():
            self.shutdown()
        if self.manager is None:
            self.manager = AsyncKernelManager(
                kernel_name="python3", **kernel_transport(self._sockets.name)
            )
            run_sync(self.manager.start_kernel)(cwd=str(NOTEBOOKS))
            self._run(SNAPSHOT)
            self.used = False
        if self.used:
            self._run(RESET)
        self.used = True
        return self.manager

    def _run(self, code: str) -> None:
        from jupyter_client import BlockingKernelClient

        client = BlockingKernelClient()
        client.load_connection_info(self.manager.get_connection_info())
        client.start_channels()
        errors = []

        def keep_errors(message):
            content = message["content"]
            if message["msg_type"] == "error" or content.get("name") == "stderr":
                errors.append(content.get("text") or content.get("evalue"))

        try:
            client.wait_for_ready(timeout=120)
            reply = client.execute_interactive(
                code, timeout=120, output_hook=keep_errors
            )
        finally:
            client.stop_channels()
        assert reply["content"]["status"] == "ok" and not errors, errors

    def shutdown(self) -> None:
        from jupyter_core.utils import run_sync

        if self.manager is not None:
            run_sync(self.manager.shutdown_kernel)(now=True)
            self.manager = None


@pytest.fixture(scope="session")
def shared_kernel():
    """This worker's `SharedKernel`, shut down when the worker ends."""
    kernel = SharedKernel()
    yield kernel
    kernel.shutdown()


@pytest.fixture
def run_notebook(tmp_path, shared_kernel):
    """Execute ``notebooks/<name>.ipynb`` with its quick parameters.

    Returns a function ``(name, **overrides) -> (results, nb)`` that fails the test
    with the notebook's error if a cell raised, or if a cell wrote to stderr. The
    notebook runs in this worker's `SharedKernel`.
    """

    def run(name: str, **overrides):
        path = NOTEBOOKS / f"{name}.ipynb"
        params = {**quick_parameters(name), **overrides}
        kernel = shared_kernel.ready()
        outcome, nb = execute(path, tmp_path, params, html=False, kernel=kernel)
        if not outcome.ok:
            pytest.fail(f"{name} failed: {outcome.error}")
        noise = stderr_outputs(nb)
        assert not noise, f"{name} wrote to stderr:\n" + "\n".join(noise)
        return outcome.results, nb

    return run
