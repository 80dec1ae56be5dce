"""Two TensorFlow settings that make the test suite faster and change no result.

`speed_up` is called in every process that runs tests (``tests/conftest.py``)
and, through the IPython start-up file `KERNEL_STARTUP`, in every notebook kernel
the tests start, right after the notebook's own TensorFlow import.
``RNN_ZOO_TEST_TF_DEFAULTS=1`` keeps TensorFlow's defaults everywhere.

1. **Grappler off.** TensorFlow's graph optimizer runs on every traced function;
   on the suite's tiny models it costs more than it saves (a tiny fit: 1.7 s ->
   1.35 s; notebook 05's quick run: 59 s -> 46 s).
2. **tf.data autotuning off.** An iterator with autotuning has a model thread,
   and destroying the iterator waits for that thread to wake up. Keras leaves
   each ``fit``'s iterator in a reference cycle (a generator closed by an
   exception), so the iterators pile up until Python's cyclic garbage
   collector destroys them all at once: one collection then blocked a test
   worker for 20-45 s (native stacks taken with gdb during the stall:
   ``gc_collect_main -> _PyGen_Finalize -> ... ->
   RootDataset::Iterator::~Iterator -> ~LogicalThreadWrapper``, the model
   thread still in ``Model::OptimizeLoop``). Autotuning only sizes buffers and
   thread counts; the elements and their order are the same without it.
"""

from __future__ import annotations

import inspect
import os
from pathlib import Path
from typing import Any

#: Set to "1" to keep TensorFlow's defaults in the test processes and kernels.
DEFAULTS_VARIABLE = "RNN_ZOO_TEST_TF_DEFAULTS"


def speed_up(tf: Any) -> None:
    """Switch Grappler and tf.data autotuning off in this process.

    Args:
        tf: The imported ``tensorflow`` module.

    Example:
        >>> import tensorflow as tf
        >>> speed_up(tf)
        >>> tf.config.optimizer.get_experimental_options()["disable_meta_optimizer"]
        True
    """
    tf.config.optimizer.set_experimental_options({"disable_meta_optimizer": True})
    from tensorflow.python.data.ops import dataset_ops

    datasets = dataset_ops.DatasetV2
    if hasattr(datasets._apply_debug_options, "tf_original"):
        return  # already done
    apply_debug_options = datasets._apply_debug_options

    def without_autotune(dataset):
        # called by every iterator's constructor on the dataset it iterates
        options = tf.data.Options()
        options.autotune.enabled = False
        return apply_debug_options(dataset).with_options(options)

    without_autotune.tf_original = apply_debug_options
    datasets._apply_debug_options = without_autotune


#: The notebook kernels' IPython start-up file: `speed_up` once, after the
#: cell that imported TensorFlow (a notebook without TensorFlow pays nothing).
KERNEL_STARTUP = (
    "from typing import Any\n\n\n"
    + inspect.getsource(speed_up)
    + """

def _rnn_zoo_after_cell(*_):
    import sys

    if "tensorflow" in sys.modules:
        speed_up(sys.modules["tensorflow"])
        get_ipython().events.unregister("post_run_cell", _rnn_zoo_after_cell)


get_ipython().events.register("post_run_cell", _rnn_zoo_after_cell)
"""
)


def kernel_profile(folder: str) -> str:
    """An IPython folder whose start-up file runs `speed_up` in test kernels.

    The notebooks the tests run (and the exercise notebooks the grader tests
    run) train many tiny models at their quick sizes, as the test processes
    do. The kernels inherit ``IPYTHONDIR``. ``make tutorials`` keeps
    TensorFlow's defaults.

    Args:
        folder: An empty folder to use as ``IPYTHONDIR``.

    Returns:
        ``folder``.
    """
    startup = Path(folder) / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-rnn-zoo-tests.py").write_text(KERNEL_STARTUP)
    return folder


def wanted() -> bool:
    """False when ``RNN_ZOO_TEST_TF_DEFAULTS=1`` asks for TensorFlow's defaults.

    Example:
        >>> wanted() == (os.environ.get(DEFAULTS_VARIABLE) != "1")
        True
    """
    return os.environ.get(DEFAULTS_VARIABLE) != "1"
