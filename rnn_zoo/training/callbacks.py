"""Callbacks that `rnn_zoo.training.fit` wires in besides the stock Keras ones.

- `StopOnNaN` ends training with a `TrainingDivergedError` on the first batch whose
  loss is NaN or infinite. Unlike ``keras.callbacks.TerminateOnNaN`` it does not let
  the epoch finish, so ``BackupAndRestore`` neither saves the diverged weights nor
  deletes its backup of the last good epoch.
- `TimeBudget` stops training cleanly once a wall-clock budget is spent (the
  "train for 10 minutes" knob of the CLI and the benchmarks).
- `WallClockDecay` anneals the learning rate over such a budget (cosine or
  linear in the elapsed time), since the number of steps is not known up front.
- `BudgetProgbar` is Keras' progress bar for such a budget: each epoch opens with
  "Epoch 3 (4.2 of 10.0 min)" instead of "Epoch 3/10000".

- `RunCheckpoint` keeps the run folder of ``fit(run_dir=...)`` (backup,
  ``best.keras``, ``history.csv``), committed atomically once per epoch after
  every other callback (the format: `rnn_zoo.training.run_state`), and
  `seed_early_stopping` gives a resumed run's ``EarlyStopping`` its memory.
"""

from __future__ import annotations

import math
import os
import time
import warnings
from pathlib import Path
from typing import Any

import keras

from rnn_zoo._validation import check_float, check_one_of, check_type
from rnn_zoo.training.run_state import (
    BEST,
    RunState,
    as_float,
    commit_epoch,
    finish_run,
    stage_best,
)

__all__ = [
    "BudgetProgbar",
    "StopOnNaN",
    "TimeBudget",
    "TrainingDivergedError",
    "WallClockDecay",
    "RunCheckpoint",
    "seed_early_stopping",
]


class TrainingDivergedError(RuntimeError):
    """Raised when the training loss becomes NaN or infinite.

    Attributes:
        epoch: 0-based epoch in which the loss became non-finite.
        batch: 0-based batch index within that epoch.
        loss: The non-finite loss value that was logged.
        backup_dir: The ``BackupAndRestore`` folder that was kept (it holds the
            last completed epoch), or None when there is no backup.
    """

    def __init__(
        self,
        message: str,
        *,
        epoch: int,
        batch: int,
        loss: float,
        backup_dir: str | None = None,
    ):
        super().__init__(message)
        self.epoch = epoch
        self.batch = batch
        self.loss = loss
        self.backup_dir = backup_dir


def _has_backup(backup_dir: str | None) -> bool:
    return (
        backup_dir is not None
        and os.path.isdir(backup_dir)
        and len(os.listdir(backup_dir)) > 0
    )


class StopOnNaN(keras.callbacks.TerminateOnNaN):
    """``keras.callbacks.TerminateOnNaN(raise_error=True)`` with a message that helps.

    Keras' callback finds the non-finite batch loss and raises at once, from
    the batch's end: the rest of the epoch does not run, no later callback sees
    the diverged weights, and a ``keras.callbacks.BackupAndRestore`` backup of the
    last completed epoch stays on disk (its ``on_train_end``, which deletes it,
    never runs), so rerunning the same training resumes from that epoch. This
    subclass only turns Keras' ``RuntimeError`` into a `TrainingDivergedError`
    that says where it happened, what to try, and which backup was kept.

    Args:
        backup_dir: str or None. The ``BackupAndRestore`` folder used in the same
            training run, mentioned in the error message. Defaults to None.

    Raises:
        TrainingDivergedError: During ``model.fit``, on the first batch whose logged
            loss is not finite. The message gives the epoch and batch (counting
            from 1, like the progress bar); the exception's ``epoch`` and
            ``batch`` attributes count from 0.
        TypeError: If ``backup_dir`` is not a string, path or None.

    Example:
        >>> import keras, numpy as np
        >>> inputs = keras.Input((3,))
        >>> model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
        >>> model.compile("sgd", "mse")
        >>> x = np.ones((4, 3), "float32")
        >>> y = np.array([[0.0], [1.0], [np.nan], [1.0]], "float32")
        >>> model.fit(
        ...     x, y, batch_size=2, shuffle=False, verbose=0, callbacks=[StopOnNaN()]
        ... )
        Traceback (most recent call last):
        ...
        rnn_zoo.training.callbacks.TrainingDivergedError: ... at epoch 1, batch 2 ...
    """

    def __init__(self, backup_dir: str | os.PathLike | None = None):
        super().__init__(raise_error=True)
        if backup_dir is not None:
            check_type(backup_dir, "backup_dir", (str, os.PathLike), "a path or None")
            backup_dir = os.fspath(backup_dir)
        self.backup_dir = backup_dir
        self._epoch = 0

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._epoch = epoch

    def on_batch_end(self, batch: int, logs: dict | None = None) -> None:
        try:
            super().on_batch_end(batch, logs)
        except RuntimeError:  # Keras found a NaN or inf loss
            loss = float((logs or {})["loss"])
            kept = self.backup_dir if _has_backup(self.backup_dir) else None
            raise TrainingDivergedError(
                _diverged_message(self._epoch, batch, loss, self.backup_dir, kept),
                epoch=self._epoch,
                batch=batch,
                loss=loss,
                backup_dir=kept,
            ) from None


class TimeBudget(keras.callbacks.Callback):
    """Stop training cleanly once a wall-clock budget is spent.

    The clock starts at ``on_train_begin``. After every training batch the elapsed
    time is compared with the budget; once it is spent, ``model.stop_training`` is
    set, so Keras ends the current epoch early, still runs its validation and
    ``on_epoch_end`` (``ModelCheckpoint`` and ``EarlyStopping`` see the partial
    epoch), then ``on_train_end`` (``restore_best_weights`` applies). The budget
    counts this ``fit`` call only: a resumed run gets a fresh budget.

    Under a multi-worker strategy the workers agree after every batch (one
    small collective): all stop after the first batch at which any worker's
    budget is spent, so none waits forever for the others.

    Args:
        seconds: float. The budget in seconds (> 0).

    Attributes:
        stopped: bool. True once the budget stopped training.
        elapsed: float. Seconds since ``on_train_begin`` at the last check.

    Raises:
        ValueError: If ``seconds`` is not a positive finite number.

    Example:
        >>> import keras, numpy as np
        >>> inputs = keras.Input((3,))
        >>> model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
        >>> model.compile("sgd", "mse")
        >>> budget = TimeBudget(seconds=1e-9)
        >>> history = model.fit(np.ones((8, 3)), np.ones((8, 1)), batch_size=2,
        ...                     epochs=5, verbose=0, callbacks=[budget])
        >>> budget.stopped, history.epoch
        (True, [0])
    """

    def __init__(self, seconds: float):
        super().__init__()
        self.seconds = check_float(seconds, "seconds", low=0.0, low_inclusive=False)
        self.stopped = False
        self.elapsed = 0.0
        self._start = 0.0
        self._strategy = None

    def on_train_begin(self, logs: dict | None = None) -> None:
        from rnn_zoo.training.multiworker import is_multi_worker

        self._start = time.perf_counter()
        self.stopped = False
        self.elapsed = 0.0
        # TensorFlow models only (Keras on JAX has no `distribute_strategy`)
        strategy = getattr(self.model, "distribute_strategy", None)
        self._strategy = strategy if is_multi_worker(strategy) else None

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self.elapsed = time.perf_counter() - self._start
        spent = self.elapsed >= self.seconds
        if self._strategy is not None:
            from rnn_zoo.training.multiworker import any_worker

            spent = any_worker(self._strategy, spent)
        if spent:
            self.stopped = True
            self.model.stop_training = True


class WallClockDecay(keras.callbacks.Callback):
    """Anneal the learning rate over a wall-clock budget instead of a step count.

    A schedule such as ``keras.optimizers.schedules.CosineDecay`` needs the number
    of steps in advance; with a time budget (`TimeBudget`) it is not known. This
    callback sets the optimizer's learning rate before every batch from the
    fraction ``f`` of ``seconds`` spent since ``on_train_begin``:
    ``lr = base * (final + (1 - final) * g(f))`` with ``g(f) = (1 + cos(pi f)) / 2``
    (``"cosine"``), ``1 - f`` (``"linear"``) or ``1`` (``"constant"``), and ``base``
    the rate the optimizer had when training began. Past the budget the rate stays
    at ``base * final`` (``base`` for ``"constant"``). With ``warmup = w > 0`` the
    first share ``w`` of the budget ramps the rate linearly from 0 to ``base``
    (``lr = base * f / w``) and the schedule then runs over the rest, ``f`` counted
    from the end of the warm-up. The base rate is put back at ``on_train_end``, so
    a second ``fit`` starts from it again. Use the same ``seconds`` as the
    `TimeBudget`.

    Args:
        seconds: The budget in seconds (> 0).
        schedule: ``"cosine"`` (default), ``"linear"`` or ``"constant"``.
        final: The last learning rate as a fraction of the first, in [0, 1];
            default 0.1. Unused by ``"constant"``.
        warmup: The share of the budget for a linear warm-up, in [0, 1);
            default 0 (none).

    Attributes:
        learning_rate: The rate set before the last batch (float).

    Raises:
        ValueError: If ``seconds`` is not positive, ``schedule`` unknown,
            ``final`` outside [0, 1] or ``warmup`` outside [0, 1).

    Example:
        >>> import keras, numpy as np
        >>> inputs = keras.Input((3,))
        >>> model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
        >>> model.compile(keras.optimizers.SGD(0.1), "mse")
        >>> decay = WallClockDecay(seconds=1e-9, final=0.25)
        >>> _ = model.fit(np.ones((4, 3)), np.ones((4, 1)), batch_size=2, verbose=0,
        ...               callbacks=[decay])
        >>> round(decay.learning_rate, 6)   # budget spent at once: base * final
        0.025
        >>> round(float(model.optimizer.learning_rate), 6)   # restored after fit
        0.1
        >>> WallClockDecay(seconds=600, schedule="constant", warmup=0.05).warmup
        0.05
    """

    _SCHEDULES = ("cosine", "linear", "constant")

    def __init__(
        self,
        seconds: float,
        schedule: str = "cosine",
        final: float = 0.1,
        warmup: float = 0.0,
    ):
        super().__init__()
        self.seconds = check_float(seconds, "seconds", low=0.0, low_inclusive=False)
        self.schedule = check_one_of(schedule, "schedule", self._SCHEDULES)
        self.final = check_float(final, "final", low=0.0, high=1.0)
        self.warmup = check_float(
            warmup, "warmup", low=0.0, high=1.0, high_inclusive=False
        )
        self.learning_rate = float("nan")
        self._base = float("nan")
        self._start = 0.0

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._start = time.perf_counter()
        self._base = float(self.model.optimizer.learning_rate)

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        fraction = min(1.0, (time.perf_counter() - self._start) / self.seconds)
        if fraction < self.warmup:
            self.learning_rate = self._base * fraction / self.warmup
        else:
            fraction = (fraction - self.warmup) / (1.0 - self.warmup)
            if self.schedule == "cosine":
                shape = 0.5 * (1.0 + math.cos(math.pi * fraction))
            elif self.schedule == "linear":
                shape = 1.0 - fraction
            else:
                shape = 1.0
            self.learning_rate = self._base * (self.final + (1 - self.final) * shape)
        self.model.optimizer.learning_rate.assign(self.learning_rate)

    def on_train_end(self, logs: dict | None = None) -> None:
        self.model.optimizer.learning_rate.assign(self._base)


class BudgetProgbar(keras.callbacks.ProgbarLogger):
    """Keras' progress bar for training on a wall-clock budget.

    With a `TimeBudget`, ``epochs`` is only an upper bound (often a large
    number), so Keras' "Epoch 3/10000" says nothing useful. This progress bar
    opens every epoch with the minutes used of the budget instead, e.g.
    "Epoch 3 (4.2 of 10.0 min)", and otherwise behaves like the stock one (Keras
    adds no second bar when one is passed in ``callbacks``). It prints only when
    ``fit`` runs with ``verbose=1`` or ``2``.

    Args:
        seconds: float. The budget in seconds (> 0), the same as the
            `TimeBudget`'s.

    Raises:
        ValueError: If ``seconds`` is not a positive finite number.

    Example:
        >>> import keras, numpy as np
        >>> inputs = keras.Input((3,))
        >>> model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
        >>> model.compile("sgd", "mse")
        >>> bar = BudgetProgbar(seconds=600)
        >>> _ = model.fit(np.ones((8, 3)), np.ones((8, 1)), epochs=2, verbose=2,
        ...               callbacks=[bar])  # doctest: +ELLIPSIS
        Epoch 1 (0.0 of 10.0 min)
        1/1 - ...
        Epoch 2 (0.0 of 10.0 min)
        1/1 - ...
    """

    def __init__(self, seconds: float):
        super().__init__()
        self.seconds = check_float(seconds, "seconds", low=0.0, low_inclusive=False)
        self._start = 0.0

    def set_params(self, params: dict) -> None:
        super().set_params(params)
        self.epochs = 1  # the stock "Epoch k/N" line is printed only when N > 1

    def on_train_begin(self, logs: dict | None = None) -> None:
        super().on_train_begin(logs)
        self._start = time.perf_counter()

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        super().on_epoch_begin(epoch, logs)
        if self.verbose:
            used = (time.perf_counter() - self._start) / 60
            print(f"Epoch {epoch + 1} ({used:.1f} of {self.seconds / 60:.1f} min)")


def _diverged_message(
    epoch: int, batch: int, loss: float, backup_dir: str | None, kept: str | None
) -> str:
    msg = (
        f"Training diverged: the loss became non-finite (NaN or inf; got {loss}) "
        f"at epoch {epoch + 1}, batch {batch + 1} (counting from 1, as the "
        "progress bar does). Try a lower `learning_rate` (e.g. 10x smaller) or a "
        "smaller `clipnorm`, and check the inputs and targets for NaN/inf."
    )
    if kept is not None:
        msg += (
            f" The backup of the last completed epoch in {kept!r} was kept: "
            "rerunning with the same `run_dir` resumes from it (with a new "
            "`clipnorm` if you change it, but with the saved optimizer state, "
            "learning rate included); delete that folder to start over instead."
        )
    elif backup_dir is not None:
        msg += (
            " No epoch had finished, so there is no backup to resume from; the "
            "next run starts from scratch."
        )
    return msg


def seed_early_stopping(
    stopper: keras.callbacks.EarlyStopping,
    model: keras.Model,
    state: RunState,
    *,
    best_weights: bool = True,
) -> None:
    """Give a resumed run's early stopping its memory of the best epoch.

    ``EarlyStopping`` starts every ``fit`` afresh; a resumed run should stop
    and restore exactly as the uninterrupted one would. Seeds ``best``,
    ``best_epoch``, ``wait`` and (with ``restore_best_weights``) the best
    weights: the model's own when the last committed epoch was the best, else
    those of ``best.keras`` (loaded in safe mode).

    Args:
        stopper: The callback, after its ``on_train_begin``.
        model: The model being trained (already restored).
        state: From `read_run_state`.
        best_weights: False seeds the best epoch and patience only, without
            the best weights of an earlier epoch (a worker of a multi-worker
            run that is not the chief holds no ``best.keras``; its model is not
            kept). Defaults to True.

    Example:
        >>> seed_early_stopping(stopper, model, state)  # doctest: +SKIP
    """
    from rnn_zoo.saving import load_model

    rows = [row for row in state.history if int(row["epoch"]) < state.epoch]
    values = [as_float(row.get(stopper.monitor)) for row in rows]
    finite = [v for v in values if not math.isnan(v)]
    if not finite:
        return
    best = min(finite)
    best_epoch = int(rows[values.index(best)]["epoch"])
    if stopper.restore_best_weights and best_weights:
        if best_epoch == state.epoch - 1:
            stopper.best_weights = model.get_weights()
        else:
            try:
                weights = load_model(state.folder.parent / BEST, compile=False)
                weights = weights.get_weights()
                if len(weights) != len(model.weights):
                    raise ValueError("its weights do not match the model")
            except Exception as error:  # any failure means "no best weights"
                warnings.warn(
                    f"Could not read the best weights from "
                    f"{str(state.folder.parent / BEST)!r} ({error!r}); early "
                    "stopping will restore the best weights seen since the resume.",
                    stacklevel=2,
                )
                return
            stopper.best_weights = weights
    stopper.best = best
    stopper.best_epoch = best_epoch
    stopper.wait = state.epoch - 1 - best_epoch


class RunCheckpoint(keras.callbacks.Callback):
    """Commit each epoch to a run folder (see the module docstring).

    Replaces ``BackupAndRestore``, ``ModelCheckpoint(save_best_only=True)`` and
    ``CSVLogger`` with one writer whose files are always consistent. It must be
    the last callback, so an epoch is committed only after every other callback
    handled it. Restoring is done by `rnn_zoo.fit` before training starts.

    Args:
        run_dir: The run folder (created).
        monitor: The quantity for ``best.keras`` (lower is better).
        state: The state being resumed or continued, or None for a new run.
        early_stopping: The run's ``EarlyStopping``, seeded (`seed_early_stopping`)
            when an interrupted run resumes; None when there is none.
        chief: False for a worker of a multi-worker run that is not the chief:
            it writes into a temporary ``run_dir`` and its ``state`` came from
            the chief, whose ``best.keras`` it cannot read. Defaults to True.

    Example:
        >>> RunCheckpoint("run", "loss")  # doctest: +SKIP
    """

    def __init__(
        self,
        run_dir: str | os.PathLike,
        monitor: str,
        state: RunState | None = None,
        early_stopping: keras.callbacks.EarlyStopping | None = None,
        chief: bool = True,
    ):
        super().__init__()
        self.chief = chief
        self.run_dir = Path(run_dir)
        self.monitor = monitor
        self.state = state
        self.early_stopping = early_stopping
        self.epoch = 0 if state is None else state.epoch
        self.history = [] if state is None else list(state.history)
        self.best = None if state is None else state.best

    def on_train_begin(self, logs: dict | None = None) -> None:
        # after EarlyStopping's own on_train_begin, which forgets everything
        resuming = self.state is not None and not self.state.finished
        if resuming and self.early_stopping is not None:
            seed_early_stopping(
                self.early_stopping, self.model, self.state, best_weights=self.chief
            )

    def _best_value(self) -> float:
        return math.inf if self.best is None else float(self.best["value"])

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = logs or {}
        value = as_float(logs.get(self.monitor))
        best = self.best
        if not math.isnan(value) and value < self._best_value():
            best = stage_best(self.run_dir, epoch, value, self.model.save)
        row = {"epoch": str(epoch)}
        row.update({k: repr(float(v)) for k, v in sorted(logs.items())})
        history = [r for r in self.history if int(r["epoch"]) < epoch] + [row]
        self._commit(epoch + 1, best, history, finished=False)

    def on_train_end(self, logs: dict | None = None) -> None:
        self._commit(self.epoch, self.best, self.history, finished=True)
        finish_run(self.run_dir)

    def _commit(self, epoch: int, best: Any, history: list, finished: bool) -> None:
        commit_epoch(
            self.run_dir,
            epoch=epoch,
            monitor=self.monitor,
            history=history,
            best=best,
            save_weights=self.model.save_weights,
            finished=finished,
        )
        self.epoch, self.best, self.history = epoch, best, history
