"""Training on several machines with ``tf.distribute.MultiWorkerMirroredStrategy``.

`rnn_zoo.fit(..., strategy="multiworker")` (and ``--strategy multiworker`` on
``lm train`` / ``dates train``) trains one model on every worker named in the
``TF_CONFIG`` environment variable, each worker running the same program with
its own ``TF_CONFIG["task"]``. Gradients are all-reduced every step, so the
workers hold the same weights throughout (synchronous data parallelism).

- `multiworker_strategy`: the process's one ``MultiWorkerMirroredStrategy``
  (created on first use; TensorFlow needs it before its first operation).
- `is_chief`, `is_multi_worker`, `worker_name`: who this process is.
- `worker_folder`: the chief writes into the folder asked for; every other
  worker writes into a temporary folder removed afterwards (the files of a
  non-chief are never read: TensorFlow's own rule for checkpoints and
  summaries).
- `broadcast_from_chief`, `broadcast_json`, `any_worker`: the collective steps
  ``fit`` needs beyond Keras: the chief's run state (what a restarted cluster
  resumes from) sent to every worker, and one stop decision shared by all (a
  time budget).

Importing this module imports TensorFlow.

Example:
    >>> is_chief(None), is_multi_worker(None)
    (True, False)
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import tensorflow as tf

from rnn_zoo._validation import error_message

__all__ = [
    "MULTIWORKER",
    "STRATEGY_NAMES",
    "any_worker",
    "broadcast_from_chief",
    "broadcast_json",
    "is_chief",
    "is_multi_worker",
    "multiworker_strategy",
    "worker_folder",
    "worker_name",
]

#: The strategy name `fit` and the ``--strategy`` options accept.
MULTIWORKER = "multiworker"
#: Every strategy name `fit` accepts (a ``tf.distribute.Strategy`` object too).
STRATEGY_NAMES = (MULTIWORKER,)

_STRATEGY: tf.distribute.MultiWorkerMirroredStrategy | None = None


def _check_tf_config() -> None:
    """Refuse a ``TF_CONFIG`` that is not the JSON TensorFlow expects."""
    text = os.environ.get("TF_CONFIG")
    if not text:
        return  # no cluster: this machine alone (one worker)
    allowed = (
        'JSON like {"cluster": {"worker": ["host1:port", "host2:port"]}, '
        '"task": {"type": "worker", "index": 0}}'
    )
    try:
        config = json.loads(text)
    except ValueError:
        raise ValueError(error_message("TF_CONFIG", allowed, text)) from None
    cluster = config.get("cluster") if isinstance(config, dict) else None
    task = config.get("task") if isinstance(config, dict) else None
    hosts = cluster.get("worker", []) + cluster.get("chief", []) if cluster else []
    if not hosts or not isinstance(task, dict):
        raise ValueError(error_message("TF_CONFIG", allowed, text))
    kind, index = task.get("type"), task.get("index")
    count = len(cluster.get(kind, [])) if isinstance(kind, str) else 0
    if kind not in ("chief", "worker") or not isinstance(index, int) or index >= count:
        raise ValueError(
            error_message(
                "TF_CONFIG",
                allowed + ', where task names one of the cluster\'s "chief" or '
                '"worker" entries',
                text,
            )
        )


def multiworker_strategy() -> tf.distribute.MultiWorkerMirroredStrategy:
    """The process's ``MultiWorkerMirroredStrategy``, created on the first call.

    It reads the cluster from ``TF_CONFIG`` (without one, this machine trains
    alone) and waits until every worker has started. TensorFlow accepts it
    only before its first operation (creating a tensor, a model or a
    dataset), so call this first thing in the program; ``fit(...,
    strategy="multiworker")`` and the ``--strategy multiworker`` commands do.

    Returns:
        The strategy (the same object on every call).

    Raises:
        ValueError: If ``TF_CONFIG`` is set but not a valid cluster description.
        RuntimeError: If TensorFlow already ran an operation in this process.

    Example:
        >>> strategy = multiworker_strategy()  # doctest: +SKIP
        >>> strategy.num_replicas_in_sync  # doctest: +SKIP
        2
    """
    global _STRATEGY
    if _STRATEGY is None:
        _check_tf_config()
        try:
            _STRATEGY = tf.distribute.MultiWorkerMirroredStrategy()
        except RuntimeError as exc:
            if "program startup" not in str(exc):
                raise
            raise RuntimeError(
                "The multi-worker strategy must be created before TensorFlow runs "
                "its first operation in this process (it reconfigures the "
                "runtime). Call `rnn_zoo.training.multiworker_strategy()` first "
                "thing in the program, before building models or datasets, then "
                'pass it or "multiworker" to `fit`'
            ) from None
    return _STRATEGY


def _cluster_size(strategy: tf.distribute.Strategy) -> int:
    resolver = getattr(strategy, "cluster_resolver", None)
    if resolver is None:
        return 1
    jobs = resolver.cluster_spec().as_dict()
    return sum(len(jobs.get(kind, [])) for kind in ("chief", "worker"))


def is_multi_worker(strategy: tf.distribute.Strategy | None) -> bool:
    """Whether ``strategy`` trains across more than one worker process.

    Args:
        strategy: A ``tf.distribute.Strategy`` or None.

    Returns:
        True for a ``MultiWorkerMirroredStrategy`` whose cluster has two or
        more ``chief``/``worker`` tasks.

    Example:
        >>> is_multi_worker(tf.distribute.get_strategy())
        False
    """
    return (
        isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)
        and _cluster_size(strategy) > 1
    )


def is_chief(strategy: tf.distribute.Strategy | None) -> bool:
    """Whether this process writes the results (checkpoints, bundles, logs).

    The chief is the ``chief`` task, or worker 0 when the cluster has no
    ``chief`` (TensorFlow's rule); without a multi-worker strategy every
    process is its own chief.

    Args:
        strategy: A ``tf.distribute.Strategy`` or None.

    Returns:
        True or False.

    Example:
        >>> is_chief(tf.distribute.get_strategy())
        True
    """
    if strategy is None or not is_multi_worker(strategy):
        return True
    return bool(strategy.extended.should_checkpoint)


def worker_name(strategy: tf.distribute.Strategy | None) -> str:
    """This process's task in the cluster, e.g. ``"worker 1"`` (``"chief"`` alone).

    Args:
        strategy: A ``tf.distribute.Strategy`` or None.

    Returns:
        ``"<type> <index>"`` for a multi-worker strategy, else ``"chief"``.

    Example:
        >>> worker_name(None)
        'chief'
    """
    if not is_multi_worker(strategy):
        return "chief"
    resolver = strategy.cluster_resolver
    return f"{resolver.task_type} {resolver.task_id}"


@contextlib.contextmanager
def worker_folder(
    path: str | os.PathLike | None, strategy: tf.distribute.Strategy | None
) -> Iterator[str | None]:
    """The folder this process writes ``path``'s files into.

    The chief (and any process without a multi-worker strategy) gets ``path``
    itself. Every other worker gets a temporary folder, named after its task
    and ``path``, emptied on entry and deleted on exit: it must write what the
    chief writes (TensorFlow may need every worker to take part in a save), but
    nobody reads it.

    Args:
        path: The folder asked for, or None (then None is yielded).
        strategy: A ``tf.distribute.Strategy`` or None.

    Yields:
        The folder path as a string (or None).

    Example:
        >>> with worker_folder("run", None) as folder:
        ...     folder
        'run'
    """
    if path is None or is_chief(strategy):
        yield None if path is None else os.fspath(path)
        return
    resolver = strategy.cluster_resolver
    digest = hashlib.sha256(os.path.abspath(os.fspath(path)).encode()).hexdigest()
    folder = Path(tempfile.gettempdir()) / (
        f"rnn_zoo-{resolver.task_type}{resolver.task_id}-{digest[:12]}"
    )
    shutil.rmtree(folder, ignore_errors=True)  # left by a killed worker
    folder.mkdir(parents=True)
    try:
        yield str(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _from_replica_zero(strategy: tf.distribute.Strategy, value: tf.Tensor) -> Any:
    """Sum over replicas of ``value`` on replica 0 (the chief's) and zeros elsewhere."""

    def local(context: tf.distribute.experimental.ValueContext) -> tf.Tensor:
        if context.replica_id_in_sync_group == 0:
            return value
        return tf.zeros_like(value)

    values = strategy.experimental_distribute_values_from_function(local)
    return strategy.reduce("SUM", values, axis=None)


def broadcast_from_chief(strategy: tf.distribute.Strategy, value: Any) -> np.ndarray:
    """The chief's ``value``, on every worker (a collective: all must call it).

    Replica 0 lives on the chief; the others contribute zeros to a sum, so the
    chief's numbers arrive unchanged (exactly, for finite values).

    Args:
        strategy: The multi-worker strategy.
        value: An array (float or integer) of the same shape and dtype on
            every worker; only the chief's contents matter.

    Returns:
        The chief's value as a NumPy array.

    Example:
        >>> broadcast_from_chief(strategy, np.array([3.0]))  # doctest: +SKIP
        array([3.])
    """
    tensor = tf.convert_to_tensor(value)
    if tensor.dtype in (tf.bool, tf.uint8, tf.int8, tf.int16):
        tensor = tf.cast(tensor, tf.int32)
    return np.asarray(_from_replica_zero(strategy, tensor)).astype(
        np.asarray(value).dtype
    )


def broadcast_json(strategy: tf.distribute.Strategy, payload: Any) -> Any:
    """The chief's JSON-serialisable ``payload``, on every worker (collective).

    Args:
        strategy: The multi-worker strategy.
        payload: Any JSON-serialisable value (ignored on the other workers).

    Returns:
        The chief's payload, decoded.

    Example:
        >>> broadcast_json(strategy, {"epoch": 3})  # doctest: +SKIP
        {'epoch': 3}
    """
    data = json.dumps(payload).encode("utf-8") if is_chief(strategy) else b""
    size = int(broadcast_from_chief(strategy, np.array([len(data)], np.int64))[0])
    chunk = np.zeros(size, np.int32)
    chunk[: len(data)] = np.frombuffer(data, np.uint8)[:size]
    received = broadcast_from_chief(strategy, chunk).astype(np.uint8).tobytes()
    return json.loads(received.decode("utf-8"))


def any_worker(strategy: tf.distribute.Strategy, flag: bool) -> bool:
    """Whether ``flag`` is true on at least one worker (collective).

    Args:
        strategy: The multi-worker strategy.
        flag: This worker's answer.

    Returns:
        The same answer on every worker.

    Example:
        >>> any_worker(strategy, budget_spent)  # doctest: +SKIP
        True
    """
    votes = strategy.experimental_distribute_values_from_function(
        lambda _: tf.constant(1.0 if flag else 0.0)
    )
    return float(strategy.reduce("SUM", votes, axis=None)) > 0
