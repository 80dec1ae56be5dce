"""How far back can a recurrent cell remember? Train and score on memory tasks.

Two synthetic tasks from :mod:`rnn_zoo.datasets` whose answer depends on inputs
far in the past, so the sequence length sets the difficulty:

- ``"adding"``: the adding problem (two marked values to add, ``length`` steps);
  score = test mean squared error, baseline = MSE of always predicting the mean
  training target (about 1/6).
- ``"copy"``: the copy-memory task (``copy_symbols`` symbols to reproduce after a
  delay, ``length`` steps in all); score = accuracy on the recall steps, baseline
  = ``1 / n_symbols`` (guessing).

`train_memory_task` trains one cell at one length (with an optional wall-clock
budget, so a comparison fits a notebook); `compare_cells` runs a grid of cells and
lengths and prints one line per run. Both return `MemoryRun` records (parameter
count, training time, score, baseline). Imports TensorFlow.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import keras
import numpy as np

from rnn_zoo._validation import check_float, check_int, check_one_of
from rnn_zoo.callbacks import TimeBudget
from rnn_zoo.datasets.synthetic import make_adding_problem, make_copy_task
from rnn_zoo.models.diagnostics import quiet_retracing_warnings
from rnn_zoo.models.language_model import build_char_lm
from rnn_zoo.models.recurrent import build_sequence_regressor
from rnn_zoo.training import fit

__all__ = ["MEMORY_TASKS", "MemoryRun", "train_memory_task", "compare_cells"]

MEMORY_TASKS = ("adding", "copy")
_CELLS = ("rnn", "lstm", "gru")


@dataclass
class MemoryRun:
    """One trained model on one memory task.

    Attributes:
        task: ``"adding"`` or ``"copy"``.
        cell: ``"rnn"``, ``"lstm"`` or ``"gru"``.
        length: Time steps per sequence.
        params: ``model.count_params()``.
        seconds: Wall-clock training time (``fit`` only).
        epochs: Epochs run (fewer than asked when the time budget stopped it).
        metric: ``"mse"`` (adding, lower is better) or ``"recall_accuracy"``
            (copy, higher is better).
        score: The metric on freshly generated test sequences.
        baseline: The same metric for the trivial answer.
        model: The trained ``keras.Model`` (not in `as_row`).
    """

    task: str
    cell: str
    length: int
    params: int
    seconds: float
    epochs: int
    metric: str
    score: float
    baseline: float
    model: Any = field(default=None, repr=False)

    @property
    def beats_baseline_by(self) -> float:
        """``baseline / score`` for MSE, ``score / baseline`` for accuracy."""
        if self.metric == "mse":
            return self.baseline / max(self.score, 1e-12)
        return self.score / self.baseline

    def as_row(self) -> dict[str, Any]:
        """The record without the model, e.g. for a ``pandas.DataFrame``."""
        # not dataclasses.asdict: it would deep-copy the Keras model first
        return {
            f.name: getattr(self, f.name) for f in fields(self) if f.name != "model"
        }


def _data(task, n, length, copy_symbols, n_symbols, seed):
    if task == "adding":
        return make_adding_problem(n, length=length, seed=seed)
    delay = length - 2 * copy_symbols
    if delay < 1:
        raise ValueError(
            f"`length` must be at least 2 * copy_symbols + 1 = {2 * copy_symbols + 1} "
            f"for the copy task. Received: length={length}"
        )
    return make_copy_task(
        n, length=copy_symbols, n_symbols=n_symbols, delay=delay, seed=seed
    )


def train_memory_task(
    task: str,
    *,
    cell: str,
    length: int,
    units: int = 32,
    n_train: int = 4096,
    n_test: int = 512,
    epochs: int = 20,
    batch_size: int = 128,
    learning_rate: float = 1e-2,
    time_budget: float | None = None,
    copy_symbols: int = 3,
    n_symbols: int = 8,
    seed: int = 0,
    verbose: int = 0,
) -> MemoryRun:
    """Train one recurrent cell on a memory task and score it on new sequences.

    The adding problem uses ``build_sequence_regressor`` (one recurrent layer,
    linear output, MSE loss); the copy task ``build_char_lm`` (embedding of 16,
    one recurrent layer, logits at every step, cross-entropy over all steps).
    Training is `rnn_zoo.fit` with Adam, gradient clipping at norm 1 and no early
    stopping; the test set is generated with ``seed + 1``. Call
    ``rnn_zoo.set_seed`` first for repeatable weights.

    Args:
        task: ``"adding"`` or ``"copy"``.
        cell: ``"rnn"`` (SimpleRNN), ``"lstm"`` or ``"gru"``.
        length: Time steps per sequence (for the copy task at least
            ``2 * copy_symbols + 1``: the delay is ``length - 2 * copy_symbols``).
        units: Recurrent units. Default 32.
        n_train: Training sequences. Default 4096.
        n_test: Test sequences. Default 512.
        epochs: Maximum epochs. Default 20.
        batch_size: Default 128.
        learning_rate: Adam's learning rate. Default 1e-2.
        time_budget: Seconds of training after which the epoch in progress ends
            and training stops (`rnn_zoo.callbacks.TimeBudget`), or None (default)
            for no limit.
        copy_symbols: Copy task: symbols to remember. Default 3.
        n_symbols: Copy task: alphabet size. Default 8.
        seed: Data seed. Default 0.
        verbose: Passed to ``fit`` (0 silent, 2 one line per epoch). Default 0.

    Returns:
        A `MemoryRun`.

    Raises:
        ValueError / TypeError: If an argument is out of range or of the wrong
            type (named in the message).

    Example:
        >>> import rnn_zoo
        >>> rnn_zoo.set_seed(0)
        >>> run = train_memory_task("adding", cell="gru", length=6, units=4,
        ...                         n_train=64, n_test=16, epochs=1)
        >>> run.metric, run.params, run.epochs
        ('mse', 101, 1)
    """
    check_one_of(task, "task", MEMORY_TASKS)
    check_one_of(cell, "cell", _CELLS)
    length = check_int(length, "length", minimum=2)
    n_test = check_int(n_test, "n_test", minimum=1)
    check_int(n_train, "n_train", minimum=1)
    copy_symbols = check_int(copy_symbols, "copy_symbols", minimum=1)
    n_symbols = check_int(n_symbols, "n_symbols", minimum=2)
    time_budget = check_float(
        time_budget, "time_budget", low=0.0, low_inclusive=False, allow_none=True
    )
    X, y = _data(task, n_train, length, copy_symbols, n_symbols, seed)
    X_test, y_test = _data(task, n_test, length, copy_symbols, n_symbols, seed + 1)
    if task == "adding":
        model = build_sequence_regressor(length, 2, cell=cell, units=units)
        loss = "mse"
    else:
        model = build_char_lm(
            n_symbols + 2,
            embedding_dim=16,
            units=units,
            cell=cell,
            sequence_length=length,
        )
        loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    callbacks = [TimeBudget(time_budget)] if time_budget is not None else []
    start = time.perf_counter()
    with quiet_retracing_warnings():  # a new model per run retraces, as expected
        history = fit(
            model,
            (X, y),
            epochs=epochs,
            batch_size=batch_size,
            learning_rate=learning_rate,
            loss=loss,
            early_stopping=None,
            callbacks=callbacks,
            verbose=verbose,
        )
    seconds = time.perf_counter() - start
    # a direct call, not predict(): predict() retraces per new model and, after
    # five models, TensorFlow warns about it on stderr
    prediction = keras.ops.convert_to_numpy(model(X_test, training=False))
    if task == "adding":
        metric = "mse"
        score = float(np.mean((prediction - y_test) ** 2))
        baseline = float(np.mean((y.mean() - y_test) ** 2))
    else:
        metric = "recall_accuracy"
        recall = slice(length - copy_symbols, length)
        guess = prediction[:, recall].argmax(axis=-1)
        score = float(np.mean(guess == y_test[:, recall]))
        baseline = 1.0 / n_symbols
    return MemoryRun(
        task=task,
        cell=cell,
        length=length,
        params=int(model.count_params()),
        seconds=seconds,
        epochs=len(history.epoch),
        metric=metric,
        score=score,
        baseline=baseline,
        model=model,
    )


def compare_cells(
    task: str,
    lengths: Sequence[int],
    *,
    cells: Sequence[str] = _CELLS,
    seed: int = 0,
    keep_models: bool = False,
    **kwargs: Any,
) -> list[MemoryRun]:
    """Train every cell at every length on one task; print one line per run.

    Seeds Keras with ``seed`` before each model (via ``keras.utils.
    set_random_seed``), so each run is repeatable on its own.

    Args:
        task: ``"adding"`` or ``"copy"``.
        lengths: Sequence lengths to try, e.g. ``[10, 50, 100]``.
        cells: Cells to compare. Default ``("rnn", "lstm", "gru")``.
        seed: Seed of the weights and the data. Default 0.
        keep_models: Keep each trained model in its `MemoryRun` (memory grows
            with the grid). Default False.
        **kwargs: Passed to `train_memory_task` (``units``, ``epochs``,
            ``time_budget``, ...).

    Returns:
        The `MemoryRun` records, lengths outer, cells inner.

    Raises:
        ValueError / TypeError: If ``lengths`` or ``cells`` is empty, or as
            `train_memory_task`.

    Example:
        >>> runs = compare_cells("adding", [4], cells=["rnn"], units=2, n_train=32,
        ...                      n_test=8, epochs=1)  # doctest: +ELLIPSIS
        adding  length    4  rnn :      13 params, ...
        >>> [(r.cell, r.length, r.model) for r in runs]
        [('rnn', 4, None)]
    """
    lengths, cells = list(lengths), list(cells)
    for name, values in (("lengths", lengths), ("cells", cells)):
        if not values:
            raise ValueError(f"`{name}` must not be empty. Received: {name}=[]")
    runs = []
    for length in lengths:
        for cell in cells:
            keras.utils.set_random_seed(seed)
            run = train_memory_task(task, cell=cell, length=length, seed=seed, **kwargs)
            print(
                f"{task:6s}  length {length:4d}  {cell:4s}: {run.params:7,d} params, "
                f"{run.epochs:3d} epochs in {run.seconds:5.1f} s, {run.metric} "
                f"{run.score:.4f} (baseline {run.baseline:.4f})",
                flush=True,
            )
            if not keep_models:
                run.model = None
            runs.append(run)
    return runs
