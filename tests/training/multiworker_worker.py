"""One worker of the two-worker tests (tests/training/test_multiworker.py).

Run as ``python -m tests.training.multiworker_worker RESULTS RUN_DIR [RUN_DIR ...]``
with ``TF_CONFIG`` naming this worker: it creates the multi-worker strategy
first, then trains the small model of `build` on `data` once per ``RUN_DIR``
with `fit(..., strategy="multiworker", run_dir=RUN_DIR)`, and after each run
appends one JSON line to ``RESULTS`` (its task, whether it is the chief, the
epochs it ran, its history and the trained model's predictions on `data`).
``--kill RUN:EPOCH:BATCH`` kills this process (SIGKILL, no clean-up) after that
batch of that epoch of the RUN-th run (counting from 0), mid-epoch.

The test trains the same model in one process with `FIT_OPTIONS` and the same
global batch, so everything shared lives here, with `free_ports` and
`worker_env` for any test that starts workers (the CLI tests too).

Example:
    >>> X, y = data()
    >>> X.shape, y.shape, FIT_OPTIONS["batch_size"]
    ((16, 5, 2), (16, 1), 4)
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import sys
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

#: `fit` options of every run (global batch 4: 2 per worker with two workers).
FIT_OPTIONS: dict[str, Any] = {
    "epochs": 4,
    "batch_size": 4,
    "shuffle": False,
    "loss": "mse",
    "metrics": ["mae"],
    "learning_rate": 0.01,
    "early_stopping": 3,
    "verbose": 0,
}


def free_ports(count: int) -> list[int]:
    """Ports free now on 127.0.0.1 (bound all at once, so they differ)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def worker_env(hosts: list[str], index: int, tmpdir: str) -> dict[str, str]:
    """The environment of worker ``index``: ``TF_CONFIG``, its ``TMPDIR``, quiet TF.

    ``TMPDIR`` is where a worker that is not the chief writes its files.
    """
    config = {"cluster": {"worker": hosts}, "task": {"type": "worker", "index": index}}
    return {
        **os.environ,
        "TF_CONFIG": json.dumps(config),
        "TMPDIR": tmpdir,
        "TF_CPP_MIN_LOG_LEVEL": "3",
    }


def data() -> tuple[np.ndarray, np.ndarray]:
    """16 windows of 5 steps x 2 features; the target is the window's mean."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(16, 5, 2)).astype("float32")
    return X, X.mean(axis=(1, 2))[:, None].astype("float32")


def build() -> keras.Model:
    """Input (5 steps, 2 features) -> LSTM(4) -> Dense(1), every layer named."""
    inputs = keras.Input((5, 2), name="series")
    hidden = keras.layers.LSTM(4, name="lstm")(inputs)
    return keras.Model(inputs, keras.layers.Dense(1, name="head")(hidden))


#: How long the coordination service waits for a silent worker (TensorFlow's
#: default is 10 s): the test of a killed worker waits this long for the error.
HEARTBEAT_TIMEOUT_MS = 2000


def detect_dead_workers_sooner(timeout_ms: int = HEARTBEAT_TIMEOUT_MS) -> None:
    """Configure ``TF_CONFIG``'s coordination service with a shorter heartbeat timeout.

    ``MultiWorkerMirroredStrategy`` configures the service itself only when
    nothing did before it, with TensorFlow's default timeout; there is no public
    setting, so this uses the same (internal) call with ``timeout_ms``. Call it
    before the strategy is created.
    """
    from tensorflow.compiler.xla.tsl.protobuf import coordination_config_pb2
    from tensorflow.python.distribute import multi_worker_util
    from tensorflow.python.eager import context

    cluster = json.loads(os.environ["TF_CONFIG"])["cluster"]
    context.context().configure_coordination_service(
        service_type="standalone",
        service_leader=multi_worker_util.coordination_leader(cluster),
        heartbeat_timeout_in_ms=timeout_ms,
        coordinated_jobs=[
            coordination_config_pb2.CoordinatedJob(name=job, num_tasks=len(hosts))
            for job, hosts in cluster.items()
        ],
    )


class KillAt(keras.callbacks.Callback):
    """SIGKILL this process after batch ``batch`` of epoch ``epoch`` (from 0)."""

    def __init__(self, epoch: int, batch: int):
        super().__init__()
        self.at = (epoch, batch)
        self.epoch = -1

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self.epoch = epoch

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if (self.epoch, batch) == self.at:
            os.kill(os.getpid(), signal.SIGKILL)


def main(argv: list[str] | None = None) -> int:
    """Train once per run folder and record the results (see the module doc)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results")
    parser.add_argument("run_dirs", nargs="+")
    parser.add_argument("--kill", metavar="RUN:EPOCH:BATCH")
    args = parser.parse_args(argv)
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    from rnn_zoo.training.multiworker import (
        is_chief,
        multiworker_strategy,
        worker_name,
    )

    detect_dead_workers_sooner()
    strategy = multiworker_strategy()  # before TensorFlow's first operation
    from rnn_zoo.training import fit, set_seed

    kill = [int(part) for part in args.kill.split(":")] if args.kill else None
    X, y = data()
    for index, run_dir in enumerate(args.run_dirs):
        callbacks = []
        if kill is not None and kill[0] == index:
            callbacks.append(KillAt(kill[1], kill[2]))
        set_seed(0)
        history = fit(
            build,
            (X, y),
            validation=(X[:8], y[:8]),
            strategy="multiworker",
            run_dir=run_dir,
            callbacks=callbacks,
            **FIT_OPTIONS,
        )
        record = {
            "run": index,
            "task": worker_name(strategy),
            "chief": is_chief(strategy),
            "epoch": history.epoch,
            "history": history.history,
            "prediction": np.asarray(history.model(X)).ravel().tolist(),
        }
        with open(args.results, "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
