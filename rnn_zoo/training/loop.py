"""`fit`: one call that wires the callbacks you want anyway.

`fit` compiles (with gradient clipping), trains, stops early and restores the best
weights, guards against NaN, and with a ``run_dir`` keeps a resumable backup, the
best model, a CSV history and TensorBoard logs. With a ``tf.distribute`` strategy
(or ``"multiworker"``: several machines, `rnn_zoo.training.multiworker`) it builds
and compiles the model inside ``strategy.scope()``.

Example:
    >>> import keras, numpy as np
    >>> from rnn_zoo.training import set_seed
    >>> set_seed(0)
    >>> def build():
    ...     inputs = keras.Input((5, 2))
    ...     hidden = keras.layers.LSTM(4, name="lstm")(inputs)
    ...     return keras.Model(inputs, keras.layers.Dense(1, name="head")(hidden))
    >>> X, y = np.zeros((8, 5, 2), "float32"), np.zeros((8, 1), "float32")
    >>> history = fit(build, (X, y), epochs=2, loss="mse", batch_size=4, verbose=0)
    >>> history.epoch, history.model.get_layer("lstm").units
    ([0, 1], 4)
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from rnn_zoo._keras_internals import (
    all_layers_built,
    build_compiled_state,
    compiled_state_built,
    fix_multi_worker_training,
    forget_resume_epoch,
)
from rnn_zoo._validation import (
    check_float,
    check_int,
    check_one_of,
    check_type,
    error_message,
)
from rnn_zoo.training._data_shapes import check_data_shapes
from rnn_zoo.training.callbacks import (
    RunCheckpoint,
    StopOnNaN,
)
from rnn_zoo.training.multiworker import (
    STRATEGY_NAMES,
    broadcast_from_chief,
    broadcast_json,
    is_chief,
    is_multi_worker,
    multiworker_strategy,
    worker_folder,
)
from rnn_zoo.training.run_state import (
    BACKUP,
    LOGS,
    WEIGHTS,
    RunState,
    bad_state,
    clear_run,
    read_run_state,
)

__all__ = ["fit", "build_optimizer"]

_DEFAULT_BATCH_SIZE = 32


def fit(
    model: keras.Model | Callable[[], keras.Model],
    train: Any,
    *,
    validation: Any = None,
    epochs: int = 10,
    batch_size: int | None = None,
    optimizer: str | keras.optimizers.Optimizer | None = None,
    learning_rate: float = 1e-3,
    loss: Any = None,
    metrics: Sequence[Any] | None = None,
    clipnorm: float | None = 1.0,
    early_stopping: int | None = 5,
    run_dir: str | os.PathLike | None = None,
    histogram_freq: int = 0,
    strategy: tf.distribute.Strategy | str | None = None,
    shuffle: bool | None = None,
    callbacks: Sequence[keras.callbacks.Callback] | None = None,
    verbose: str | int = "auto",
    recompile: bool | None = None,
    continue_finished: bool = False,
) -> keras.callbacks.History:
    """Compile (if asked) and train a model with the usual safety callbacks.

    Always wired in: `StopOnNaN` (raises `TrainingDivergedError` on the first NaN
    or inf batch loss) and, unless ``early_stopping`` is None,
    ``keras.callbacks.EarlyStopping(patience=early_stopping,
    restore_best_weights=True)`` monitoring ``val_loss`` when ``validation`` is
    given, else ``loss``. With ``run_dir`` also (`rnn_zoo.training.run_state` has the
    details):

    - ``run_dir/backup/``: the weights and optimizer state (Adam moments, step
      count, learning rate) of the last committed epoch. If a run is interrupted
      (crash, kill, ``KeyboardInterrupt``, `TrainingDivergedError`), rerunning
      the same call with a fresh model and the same ``run_dir`` resumes after
      that epoch. Early stopping's best epoch and patience and ``best.keras``'s
      best value carry over too. After a normal end it moves to
      ``run_dir/final/`` (the weights the run ended with).
    - ``run_dir/best.keras``: the model of the best epoch (same monitor).
    - ``run_dir/history.csv``: one row per epoch of the run.
    - ``run_dir/logs/``: TensorBoard logs (``keras.callbacks.TensorBoard``):
      per epoch, every value of ``history.csv`` (loss, metrics, ``val_`` ones
      under ``logs/validation``, and ``grad_norm`` when a `GradientNormLog`
      is among ``callbacks``) plus the learning rate, and weight histograms
      every ``histogram_freq`` epochs. View them with
      ``tensorboard --logdir run_dir/logs``.

    Under a multi-worker strategy only the chief (the ``chief`` task, or worker
    0 without one) writes ``run_dir``; every other worker writes the same files
    into a temporary folder that is deleted when ``fit`` returns. A restarted
    cluster resumes from the chief's backup: the chief sends its state
    (epoch, history, weights, optimizer state) to every worker before
    training, so the other workers need no files of their own, and the
    chief's ``epochs`` is the one every worker trains to.

    Every epoch is committed once, after all callbacks (``callbacks`` included)
    have handled it: new files are written under temporary names and a small
    record (``backup/training_metadata.json``, with the SHA-256 of each file and
    the history rows) is renamed into place last. A kill at any moment leaves
    the previous epoch or the new one, never a torn file; the rerun redoes an
    uncommitted epoch, so ``history.csv`` has no missing or repeated epoch. A
    backup that does not match its record is reported in one line saying
    which folder to delete.

    A run that ended normally (``final/``) is started over by the same call
    (its ``final/``, ``best.keras`` and ``history.csv`` are replaced), unless
    ``continue_finished=True``: then training continues from its final weights
    and optimizer state up to ``epochs`` in total, appending to
    ``history.csv`` (early stopping's patience starts afresh).

    A resumed run ends with the same weights as an uninterrupted one when the data
    order does not depend on how many epochs ran in this process: use
    ``shuffle=False`` with arrays, or a ``tf.data`` pipeline in a fixed order
    (a reshuffling pipeline starts its sequence of orders again), plus
    ``set_seed(seed, deterministic=True)``. Dropout is the exception: its random
    state is not in the backup, so a resumed run draws different masks.

    Args:
        model: A built ``keras.Model``, or a model factory: a callable with no
            arguments returning one. With ``strategy``, pass a factory (or a model
            created inside ``strategy.scope()``); it is called in the scope.
        train: Training data: a batched ``tf.data.Dataset`` (or
            ``keras.utils.PyDataset``) yielding ``(inputs, targets)``, or a tuple
            ``(X, y)`` of arrays shaped ``(samples, timesteps, features)`` and
            ``(samples, ...)``.
        validation: Validation data in the same forms as ``train``, or None.
            Defaults to None.
        epochs: int. Total number of epochs (a resumed run counts the epochs
            already done). Defaults to 10.
        batch_size: int or None. Global batch size for array inputs (split across
            replicas with ``strategy``); must be None for datasets, which come
            batched. Defaults to None, meaning 32 for arrays.
        optimizer: An optimizer name (``"adam"``, ``"sgd"``, ``"rmsprop"``, ...),
            built with ``learning_rate`` and ``clipnorm``, or a
            ``keras.optimizers.Optimizer`` used as is (``learning_rate`` and
            ``clipnorm`` are then ignored; with ``strategy`` a copy is made from
            its config inside the scope). Defaults to None, meaning ``"adam"``.
        learning_rate: float. Learning rate for a named optimizer. Defaults to 1e-3.
        loss: A loss name or ``keras.losses.Loss``. Required unless ``model`` is
            already compiled, in which case leaving ``loss``, ``optimizer`` and
            ``metrics`` all None keeps the model's own compile (and ignores
            ``learning_rate`` and ``clipnorm``). Defaults to None.
        metrics: List of metrics to compile with, or None. Defaults to None.
        clipnorm: float or None. Clip each gradient to this L2 norm (optimizer
            ``clipnorm``); None disables clipping. Defaults to 1.0.
        early_stopping: int or None. Patience in epochs; None disables early
            stopping. Defaults to 5.
        run_dir: str, path or None. Folder for the backup, ``best.keras``,
            ``history.csv`` and ``logs/`` described above; created if missing.
            Defaults to None.
        histogram_freq: int. With ``run_dir``, write weight histograms to the
            TensorBoard logs every this many epochs; 0 (default) writes none.
        strategy: A ``tf.distribute.Strategy``, ``"multiworker"`` (the
            process's ``tf.distribute.MultiWorkerMirroredStrategy``, which reads
            the cluster from ``TF_CONFIG``: see
            `rnn_zoo.training.multiworker.multiworker_strategy`) or None.
            Defaults to None.
        shuffle: bool or None. Shuffle array inputs before each epoch; must be
            None for datasets (shuffle the dataset itself). Defaults to None,
            meaning True for arrays.
        callbacks: Extra ``keras.callbacks.Callback`` objects, run after
            `StopOnNaN` and early stopping and before the epoch is committed to
            ``run_dir`` (an exception they raise at the end of an epoch leaves
            that epoch uncommitted: the rerun does it again). Defaults to None.
        verbose: ``"auto"``, 0, 1 or 2, as in ``keras.Model.fit``. Defaults to
            ``"auto"``.
        recompile: bool or None. What to do when ``model`` is already compiled
            and ``loss`` is given (e.g. a second ``fit`` to train longer).
            Compiling again starts a new optimizer: its state (Adam moments,
            step count, learning-rate schedule position) is lost. True:
            recompile. False: keep the existing compile and optimizer state
            (``loss``, ``optimizer``, ``metrics``, ``learning_rate`` and
            ``clipnorm`` are then used only for a model that is not compiled
            yet). None (default): recompile with a ``UserWarning`` saying so.
        continue_finished: bool. With a ``run_dir`` holding a run that ended
            normally: True continues it (see above; no epoch runs when
            ``epochs`` is not more than the epochs done, and the model gets the
            final weights); False (default) starts over.

    Before training, the data's shapes are checked against the model: inputs
    against ``model.inputs`` (feature count, time steps) and targets against
    ``model.outputs`` (with sparse losses, integer labels without the class
    axis are accepted), for arrays and for ``tf.data`` (its ``element_spec``), so
    a 1-step model is not silently trained on 3-step targets.

    Returns:
        The ``keras.callbacks.History`` of this call: ``history.history`` maps
        metric names to per-epoch lists, ``history.epoch`` lists the 0-based epochs
        run (starting after the resume point when resuming), and
        ``history.model`` is the trained model (the one a factory built).

    Raises:
        TypeError: If an argument has the wrong type, e.g. ``model`` is neither a
            ``keras.Model`` nor a callable returning one.
        ValueError: If an argument is out of range (``strategy`` a string other
            than ``"multiworker"``); if ``loss`` is missing for an
            uncompiled model; if the inputs or targets of ``train`` or
            ``validation`` do not fit the model's input or output shape (the
            message gives both shapes); if ``model`` was not created in
            ``strategy``'s scope; if a stateful recurrent layer would be split
            across replicas; or if
            ``batch_size`` is not divisible by ``strategy.num_replicas_in_sync``.
            Also if ``run_dir`` holds a backup that cannot be resumed (cut
            short, edited, or of another model): one line naming the folder to
            delete.
        TrainingDivergedError: If the training loss becomes NaN or inf. With
            ``run_dir``, the backup of the last completed epoch is kept.
        RuntimeError: If ``strategy="multiworker"`` is first asked for after
            TensorFlow ran an operation in a process with a ``TF_CONFIG``
            cluster: call `rnn_zoo.training.multiworker_strategy()` at the
            start of the program.

    Example:
        >>> import keras, numpy as np
        >>> inputs = keras.Input((5, 2))
        >>> outputs = keras.layers.Dense(1)(keras.layers.LSTM(4)(inputs))
        >>> model = keras.Model(inputs, outputs)
        >>> X, y = np.zeros((8, 5, 2), "float32"), np.zeros((8, 1), "float32")
        >>> history = fit(model, (X, y), epochs=3, loss="mse", verbose=0)
        >>> history.epoch, sorted(history.history), model.optimizer.clipnorm
        ([0, 1, 2], ['loss'], 1.0)
        >>> fit(model, (X, y), epochs=0, loss="mse")
        Traceback (most recent call last):
        ...
        ValueError: `epochs` must be a positive integer. Received: epochs=0
    """
    epochs = check_int(epochs, "epochs", minimum=1)
    learning_rate = check_float(
        learning_rate, "learning_rate", low=0.0, low_inclusive=False
    )
    clipnorm = check_float(
        clipnorm, "clipnorm", low=0.0, low_inclusive=False, allow_none=True
    )
    early_stopping = check_int(
        early_stopping, "early_stopping", minimum=0, allow_none=True
    )
    check_one_of(verbose, "verbose", ("auto", 0, 1, 2))
    if recompile is not None:
        check_type(recompile, "recompile", bool, "True, False or None")
    check_type(continue_finished, "continue_finished", bool, "True or False")
    histogram_freq = check_int(histogram_freq, "histogram_freq", minimum=0)
    strategy = _check_strategy(strategy)
    if optimizer is not None:
        check_type(
            optimizer,
            "optimizer",
            (str, keras.optimizers.Optimizer),
            "an optimizer name, a keras.optimizers.Optimizer or None",
        )
    callbacks = _check_callbacks(callbacks)
    arrays = _check_data(train, "train")
    if validation is not None:
        _check_data(validation, "validation")
    batch_size, shuffle = _check_batching(arrays, batch_size, shuffle)
    run_dir = _check_run_dir(run_dir)

    model = _materialize(model, strategy)
    if strategy is not None:
        _check_distributable(model, strategy, batch_size, train)
    compile_args = (optimizer, learning_rate, loss, metrics, clipnorm)
    if loss is not None and model.compiled and recompile is False:
        compile_args = (None, learning_rate, None, None, clipnorm)
    effective_loss = getattr(model, "loss", None) if compile_args[2] is None else loss
    check_data_shapes(model, train, "train", effective_loss)
    if validation is not None:
        check_data_shapes(model, validation, "validation", effective_loss)
    if compile_args[2] is not None and model.compiled and recompile is None:
        warnings.warn(
            "`fit` will recompile the already compiled `model` with the given "
            "`loss`, which starts a new optimizer: its optimizer state (Adam "
            "moments, step count) is lost. Pass `recompile=True` to do this "
            "without a warning, or `recompile=False` (or leave `loss`, "
            "`optimizer` and `metrics` None) to keep training with the current "
            "optimizer",
            UserWarning,
            stacklevel=2,
        )
    _maybe_compile(model, strategy, *compile_args)
    multi_worker = is_multi_worker(strategy)
    if multi_worker:
        fix_multi_worker_training(model, strategy)
    # its variables now (on every worker alike): the step is traced once, not twice
    build_optimizer(model, strategy=strategy, data=train)

    monitor = "val_loss" if validation is not None else "loss"
    # Keras warns about shuffle=True (its default) with a dataset.
    fit_kwargs = {"batch_size": batch_size, "shuffle": shuffle if arrays else False}
    x, y = train if arrays else (train, None)
    if isinstance(validation, list):
        validation = tuple(validation)
    with worker_folder(run_dir, strategy) as own_dir:  # the chief's: run_dir
        if own_dir is not None:
            os.makedirs(own_dir, exist_ok=True)
        state = _resume_state(model, strategy, own_dir, continue_finished)
        if multi_worker:
            state, epochs = _sync_with_chief(model, strategy, own_dir, state, epochs)
        wired, committer = _wired_callbacks(
            own_dir,
            monitor,
            early_stopping,
            state,
            histogram_freq=histogram_freq,
            chief=is_chief(strategy),
        )
        try:
            return model.fit(
                x,
                y,
                validation_data=validation,
                epochs=epochs,
                initial_epoch=0 if state is None else state.epoch,
                callbacks=[*wired, *callbacks, *committer],
                verbose=verbose,
                **fit_kwargs,
            )
        finally:
            # A BackupAndRestore among `callbacks` leaves the resume epoch on the
            # model; a later fit of it would otherwise silently skip epochs.
            forget_resume_epoch(model)


def _check_strategy(strategy: Any) -> tf.distribute.Strategy | None:
    """The strategy object for ``strategy`` (a name is looked up)."""
    names = ", ".join(repr(name) for name in STRATEGY_NAMES)
    allowed = f"a tf.distribute.Strategy, {names} or None"
    if isinstance(strategy, str):
        if strategy not in STRATEGY_NAMES:
            raise ValueError(error_message("strategy", allowed, strategy))
        return multiworker_strategy()
    if strategy is not None:
        check_type(strategy, "strategy", tf.distribute.Strategy, allowed)
    return strategy


def build_optimizer(
    model: keras.Model,
    *,
    strategy: tf.distribute.Strategy | None = None,
    data: Any = None,
) -> bool:
    """Create a compiled model's optimizer variables now, before ``model.fit``.

    Keras creates them (Adam's moments, for example) inside the first trace of
    the train step, and TensorFlow then has to trace the step a second time.
    Built beforehand, the step is traced once: the first epoch of a small model
    starts about a third sooner. Compiled metrics (``metrics=["accuracy"]``)
    have variables too: pass ``data`` (the training data, or one batch of it;
    only its shapes and dtypes are read) and they are created now as well.
    Nothing else changes: the same variables with the same zero values, so
    training gives bit-identical weights. `fit` does all this itself; call it
    after ``model.compile`` when you call ``model.fit``.

    Args:
        model: A compiled ``keras.Model``.
        strategy: The ``tf.distribute.Strategy`` the model was built under, or
            None (default). The variables are created in its scope (Keras
            itself builds the metrics under a strategy).
        data: What ``model.fit`` will get: ``(x, y)`` or ``(x, y,
            sample_weight)`` (arrays or nested lists of them), a
            ``tf.data.Dataset`` or a ``keras.utils.PyDataset`` of such batches
            (its first batch is read), or None (default: the optimizer only).
            A model Keras cannot build from these shapes is left to Keras (its
            step is then traced twice, as without ``data``).

    Returns:
        True if the optimizer's variables were created now; False if the
        optimizer was already built, or a layer is not built yet (a subclassed
        model never called: its variables do not exist yet, so Keras builds
        everything in the first step as usual).

    Raises:
        TypeError: If ``model`` is not a ``keras.Model``, or ``data`` is not a
            tuple, list, ``tf.data.Dataset`` or ``keras.utils.PyDataset``.
        ValueError: If ``model`` is not compiled (it has no optimizer).

    Example:
        >>> import keras, numpy as np
        >>> inputs = keras.Input((3, 2))
        >>> model = keras.Model(inputs, keras.layers.GRU(4)(inputs))
        >>> model.compile("adam", "mse", metrics=["mae"])
        >>> X, y = np.zeros((8, 3, 2)), np.zeros((8, 4))
        >>> build_optimizer(model, data=(X, y)), build_optimizer(model, data=(X, y))
        (True, False)
        >>> len(model.optimizer.variables)  # iterations, learning rate, 2 x 3 moments
        8
        >>> [len(m.variables) for m in model.metrics]  # loss and mae trackers
        [2, 2]
    """
    check_type(model, "model", keras.Model, "a keras.Model")
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        raise ValueError(
            "`model` must be compiled (it has no optimizer): call "
            "`model.compile(optimizer, loss)` first"
        )
    if data is not None and not isinstance(
        data, (tf.data.Dataset, keras.utils.PyDataset)
    ):
        allowed = "(x, y), (x, y, sample_weight), a tf.data.Dataset or a PyDataset"
        check_type(data, "data", (tuple, list), allowed)
    if not all_layers_built(model):
        return False
    created = not optimizer.built
    if data is not None and strategy is None and not compiled_state_built(model):
        try:  # only here: a PyDataset's batch is read only when it is needed
            build_compiled_state(model, _symbolic_batch(data))  # the optimizer too
        except (ValueError, TypeError, RuntimeError):
            pass  # Keras builds them in the first trace, as it always does
    if not optimizer.built:
        with _scope(strategy):
            optimizer.build(model.trainable_variables)
    return created


def _symbolic_batch(data: Any) -> tuple:
    """``data``'s batch as `keras.KerasTensor` (any batch size), for Keras' build."""
    if isinstance(data, tf.data.Dataset):
        spec = data.element_spec
        return keras.tree.map_structure(
            lambda s: keras.KerasTensor(s.shape, s.dtype.name),
            spec if isinstance(spec, tuple) else (spec,),
        )
    if isinstance(data, keras.utils.PyDataset):
        data = data[0]  # Keras' JAX and torch trainers read it the same way

    def symbolic(array: Any) -> keras.KerasTensor:
        if not (hasattr(array, "shape") and hasattr(array, "dtype")):
            array = np.asarray(array)  # a list; arrays and tensors are not copied
        dtype = keras.backend.standardize_dtype(array.dtype)
        if "float" in dtype:
            dtype = keras.backend.floatx()  # what Keras feeds the model
        return keras.KerasTensor((None, *tuple(array.shape)[1:]), dtype)

    return keras.tree.map_structure(symbolic, tuple(data))


def _sync_with_chief(
    model: keras.Model,
    strategy: tf.distribute.Strategy,
    run_dir: str | None,
    state: RunState | None,
    epochs: int,
) -> tuple[RunState | None, int]:
    """Give every worker the chief's run state, weights and ``epochs``.

    The chief alone reads ``run_dir`` (the other workers' folders are
    temporary), so a restarted cluster resumes from the chief's backup. Every
    worker must call this at the same point (collective steps).

    Args:
        model: The compiled model, its optimizer built.
        strategy: The multi-worker strategy.
        run_dir: This worker's run folder (temporary unless the chief), or None.
        state: What `_resume_state` found (on the chief: what to resume).
        epochs: This worker's ``epochs``.

    Returns:
        ``(state, epochs)``: the chief's, with the other workers' ``state``
        rebased on their own ``run_dir``.

    Example:
        >>> _sync_with_chief(model, strategy, "run", None, 4)  # doctest: +SKIP
        (None, 4)
    """
    chief = is_chief(strategy)
    header = None
    if chief:
        fields = None
        if state is not None:
            fields = {
                "epoch": state.epoch,
                "finished": state.finished,
                "monitor": state.monitor,
                "best": state.best,
                "history": state.history,
            }
        header = {"epochs": epochs, "state": fields}
    header = broadcast_json(strategy, header)
    fields = header["state"]
    if fields is not None:  # the chief restored weights: every worker takes them
        optimizer = [] if model.optimizer is None else model.optimizer.variables
        for variable in [*model.weights, *optimizer]:
            value = broadcast_from_chief(
                strategy, keras.ops.convert_to_numpy(variable.value)
            )
            if not chief:
                variable.assign(value)
    if chief:
        return state, epochs
    if fields is None or run_dir is None:
        return None, header["epochs"]
    rebased = RunState(
        int(fields["epoch"]),
        bool(fields["finished"]),
        Path(run_dir) / BACKUP,
        fields["monitor"],
        fields["best"],
        list(fields["history"]),
    )
    return rebased, header["epochs"]


def _resume_state(
    model: keras.Model,
    strategy: tf.distribute.Strategy | None,
    run_dir: str | None,
    continue_finished: bool,
) -> RunState | None:
    """Restore ``model`` from ``run_dir`` when resuming or continuing, else clear."""
    if run_dir is None:
        return None
    state = read_run_state(run_dir)
    if state is None or (state.finished and not continue_finished):
        clear_run(run_dir)  # a new run, or a finished one started over
        return None
    # Under several workers the optimizer is built already, and Keras' loading
    # creates throwaway variables that must not become distributed ones (their
    # creation is a collective step the other workers do not take).
    with _scope(None if is_multi_worker(strategy) else strategy):
        _restore_weights(model, state)
    return state


def _restore_weights(model: keras.Model, state: RunState) -> None:
    """Load a state's weights and optimizer state into ``model``.

    Args:
        model: The compiled model of the same architecture.
        state: From `read_run_state`.

    Raises:
        ValueError: One line naming the folder to delete, if the weights do
            not fit the model or cannot be read.

    Example:
        >>> _restore_weights(model, read_run_state("run"))  # doctest: +SKIP
    """
    if not model.built:
        raise ValueError(
            "`model` must be built before it can resume from a run folder; "
            "build it (call it on a batch) or pass a factory that builds it"
        )
    if model.optimizer is not None and not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)
    try:
        model.load_weights(state.folder / WEIGHTS)
    except (OSError, ValueError, KeyError) as exc:
        problem = (
            f"its {WEIGHTS} does not fit this model or cannot be read "
            f"({type(exc).__name__}: {' '.join(str(exc).split())[:150]})"
        )
        raise bad_state(state.folder, problem) from None


def _wired_callbacks(
    run_dir: str | None,
    monitor: str,
    early_stopping: int | None,
    state: RunState | None,
    *,
    histogram_freq: int = 0,
    chief: bool = True,
) -> tuple[list[keras.callbacks.Callback], list[keras.callbacks.Callback]]:
    """The callbacks `fit` runs before the caller's, and those run after them."""
    backup_dir = None if run_dir is None else os.path.join(run_dir, BACKUP)
    wired: list[keras.callbacks.Callback] = [StopOnNaN(backup_dir=backup_dir)]
    stopper = None
    if early_stopping is not None:
        stopper = keras.callbacks.EarlyStopping(
            monitor=monitor, patience=early_stopping, restore_best_weights=True
        )
        wired.append(stopper)
    if run_dir is None:
        return wired, []
    # After the caller's callbacks, so it logs what they add (grad_norm).
    board = keras.callbacks.TensorBoard(
        log_dir=os.path.join(run_dir, LOGS),
        histogram_freq=histogram_freq,
        write_graph=False,
    )
    # Last, so an epoch is committed only after every other callback handled it.
    return wired, [board, RunCheckpoint(run_dir, monitor, state, stopper, chief)]


def _check_callbacks(callbacks: Any) -> list[keras.callbacks.Callback]:
    allowed = "a list of keras.callbacks.Callback objects or None"
    if callbacks is None:
        return []
    if not isinstance(callbacks, (list, tuple)) or not all(
        isinstance(c, keras.callbacks.Callback) for c in callbacks
    ):
        raise TypeError(error_message("callbacks", allowed, callbacks))
    return list(callbacks)


def _check_run_dir(run_dir: Any) -> str | None:
    if run_dir is None:
        return None
    check_type(run_dir, "run_dir", (str, os.PathLike), "a folder path or None")
    run_dir = os.fspath(run_dir)
    if os.path.exists(run_dir) and not os.path.isdir(run_dir):
        raise ValueError(
            error_message(
                "run_dir",
                "a folder (existing or new)",
                run_dir,
                "It is a file; pass a folder path",
            )
        )
    return run_dir


def _check_data(data: Any, name: str) -> bool:
    """Return True for an ``(X, y)`` pair of arrays, False for a dataset."""
    if isinstance(data, (tf.data.Dataset, keras.utils.PyDataset)):
        return False
    allowed = (
        "a batched tf.data.Dataset, a keras.utils.PyDataset, or a tuple (X, y) "
        "of arrays"
    )
    if not isinstance(data, (tuple, list)) or len(data) != 2:
        raise TypeError(error_message(name, allowed, data))
    n_features, n_targets = (_n_samples(part) for part in data)
    if None not in (n_features, n_targets) and n_features != n_targets:
        raise ValueError(
            error_message(
                name,
                "a tuple (X, y) with as many samples in X as in y",
                data,
                f"Got {n_features} and {n_targets} samples",
            )
        )
    return True


def _n_samples(array: Any) -> int | None:
    shape = getattr(array, "shape", None)
    return shape[0] if shape else None  # None for dicts/lists of inputs


def _check_batching(
    arrays: bool, batch_size: Any, shuffle: Any
) -> tuple[int | None, bool | None]:
    if shuffle is not None:
        check_type(shuffle, "shuffle", bool, "a bool or None")
    if not arrays:
        for name, value, remedy in (
            ("batch_size", batch_size, "Batch the dataset itself: `ds.batch(n)`"),
            ("shuffle", shuffle, "Shuffle the dataset itself: `ds.shuffle(n)`"),
        ):
            if value is not None:
                raise ValueError(
                    error_message(name, "None when `train` is a dataset", value, remedy)
                )
        return None, None
    batch_size = check_int(batch_size, "batch_size", minimum=1, allow_none=True)
    return (
        _DEFAULT_BATCH_SIZE if batch_size is None else batch_size,
        True if shuffle is None else shuffle,
    )


def _materialize(
    model: keras.Model | Callable[[], keras.Model],
    strategy: tf.distribute.Strategy | None,
) -> keras.Model:
    """Return the model, calling a factory (inside the strategy's scope)."""
    allowed = "a keras.Model or a callable returning one"
    if not isinstance(model, keras.Model) and (
        isinstance(model, keras.layers.Layer) or not callable(model)
    ):
        raise TypeError(error_message("model", allowed, model))
    if isinstance(model, keras.Model):
        if strategy is not None and not _created_in_scope(model, strategy):
            raise ValueError(
                "`model` must be created inside `strategy.scope()` when `strategy` "
                "is given. Received: a model built outside it. Pass a factory "
                "instead, e.g. `fit(lambda: build_forecaster(...), train, "
                "strategy=strategy)`, and `fit` builds it in the scope"
            )
        return model
    with _scope(strategy):
        built = model()
    if not isinstance(built, keras.Model):
        remedy = f"The callable returned {type(built).__name__}"
        raise TypeError(error_message("model", allowed, model, remedy))
    return built


def _scope(strategy: tf.distribute.Strategy | None) -> Any:
    return contextlib.nullcontext() if strategy is None else strategy.scope()


def _created_in_scope(model: keras.Model, strategy: tf.distribute.Strategy) -> bool:
    if model.weights:
        return all(
            strategy.extended.variable_created_in_scope(weight.value)
            for weight in model.weights
        )
    return model.distribute_strategy is strategy


def _stateful_layer_names(model: keras.Model) -> list[str]:
    """Names of stateful layers, looking into nested models and RNN wrappers."""
    names, stack, seen = [], [model], set()
    while stack:
        layer = stack.pop()
        if id(layer) in seen:
            continue
        seen.add(id(layer))
        if getattr(layer, "stateful", False) is True:
            names.append(layer.name)  # a stateful Bidirectional: name the wrapper
            continue
        stack.extend(getattr(layer, "layers", None) or [])
        for attribute in ("layer", "forward_layer", "backward_layer"):
            child = getattr(layer, attribute, None)
            if isinstance(child, keras.layers.Layer):
                stack.append(child)
    return sorted(names)


def _check_distributable(
    model: keras.Model,
    strategy: tf.distribute.Strategy,
    batch_size: int | None,
    train: Any,
) -> None:
    replicas = strategy.num_replicas_in_sync
    if replicas <= 1:
        return
    stateful = _stateful_layer_names(model)
    if stateful:
        raise ValueError(
            f"`model` must not contain stateful recurrent layers when `strategy` "
            f"has more than one replica: a stateful layer carries its state from "
            f"one batch to the next, which cannot be split across {replicas} "
            f"replicas. Received: stateful layers {stateful}. Train without "
            "`strategy`, or build the model with `stateful=False`"
        )
    name, size = "batch_size", batch_size
    if batch_size is None:
        name, size = "train", _static_batch_size(train)
    if size is None or size % replicas == 0:
        return
    lower = size // replicas * replicas
    options = [n for n in (lower, lower + replicas) if n > 0]
    allowed = (
        f"divisible by the number of replicas ({replicas}, "
        "`strategy.num_replicas_in_sync`) so every replica gets an equal share"
    )
    if name == "train":
        allowed = "batched with a size " + allowed
        remedy = f"It is batched by {size}; use " + " or ".join(
            f"`ds.batch({n})`" for n in options
        )
        raise ValueError(error_message(name, allowed, train, remedy))
    remedy = "Use " + " or ".join(str(n) for n in options)
    raise ValueError(error_message(name, allowed, size, remedy))


def _static_batch_size(data: Any) -> int | None:
    if not isinstance(data, tf.data.Dataset):
        return None
    spec = tf.nest.flatten(data.element_spec)[0]
    shape = getattr(spec, "shape", None)
    if shape is None or shape.rank in (None, 0):
        return None
    return shape[0]


def _maybe_compile(
    model: keras.Model,
    strategy: tf.distribute.Strategy | None,
    optimizer: Any,
    learning_rate: float,
    loss: Any,
    metrics: Any,
    clipnorm: float | None,
) -> None:
    if loss is None:
        if not model.compiled:
            raise ValueError(
                error_message(
                    "loss",
                    "given when `model` is not compiled",
                    None,
                    'Pass e.g. loss="mse" for regression or '
                    'loss="sparse_categorical_crossentropy" for classes',
                )
            )
        if optimizer is not None or metrics is not None:
            raise ValueError(
                error_message(
                    "loss",
                    "given when `optimizer` or `metrics` is, since `fit` then "
                    "recompiles the compiled `model`",
                    None,
                    "Pass the loss too, or leave all three None to keep the "
                    "model's compile",
                )
            )
        return
    with _scope(strategy):
        if strategy is not None and isinstance(optimizer, keras.optimizers.Optimizer):
            # Its variables must live in the scope: rebuild it there.
            optimizer = optimizer.__class__.from_config(optimizer.get_config())
        model.compile(
            optimizer=_make_optimizer(optimizer, learning_rate, clipnorm),
            loss=loss,
            metrics=metrics,
        )


def _make_optimizer(
    optimizer: str | keras.optimizers.Optimizer | None,
    learning_rate: float,
    clipnorm: float | None,
) -> keras.optimizers.Optimizer:
    if isinstance(optimizer, keras.optimizers.Optimizer):
        return optimizer
    name = "adam" if optimizer is None else optimizer
    config = {"learning_rate": learning_rate, "clipnorm": clipnorm}
    try:
        return keras.optimizers.get({"class_name": name, "config": config})
    except ValueError:
        raise ValueError(
            error_message(
                "optimizer",
                "a Keras optimizer name such as 'adam', 'adamw', 'sgd' or "
                "'rmsprop', a keras.optimizers.Optimizer, or None",
                optimizer,
            )
        ) from None
