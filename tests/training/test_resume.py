"""Resuming `fit` after an interruption gives the same result as never stopping."""

from __future__ import annotations

import csv
import json

import keras
import numpy as np
import pytest
from tensorflow.python.framework import config as tf_config

from rnn_zoo.callbacks import _ResumeBookkeeping
from rnn_zoo.training import fit, set_seed

EPOCHS = 4
INTERRUPT_AFTER = 2  # epochs completed before the interruption


class _Interrupted(Exception):
    pass


class _InterruptAfterEpoch(keras.callbacks.Callback):
    """Raise at the end of an epoch, after `fit`'s BackupAndRestore has saved it."""

    def __init__(self, epochs_done):
        super().__init__()
        self.epochs_done = epochs_done

    def on_epoch_end(self, epoch, logs=None):
        if epoch + 1 == self.epochs_done:
            raise _Interrupted


@pytest.fixture
def deterministic_ops():
    """Enable op determinism for one test, then switch it off again."""
    was_enabled = tf_config.is_op_determinism_enabled()
    yield
    if not was_enabled:
        tf_config.disable_op_determinism()  # no public API to undo it


def _train(build, train, run_dir, *, validation=None, callbacks=None):
    """The call a notebook would rerun: same seed, fresh model, same run_dir."""
    set_seed(0, deterministic=True)
    model = build()
    history = fit(
        model,
        train,
        validation=validation,
        epochs=EPOCHS,
        batch_size=4,
        shuffle=False,
        loss="mse",
        learning_rate=0.05,
        run_dir=run_dir,
        callbacks=callbacks,
        verbose=0,
    )
    return model, history


def _train_interrupted_then_resume(build, train, run_dir, validation=None):
    with pytest.raises(_Interrupted):
        _train(
            build,
            train,
            run_dir,
            validation=validation,
            callbacks=[_InterruptAfterEpoch(INTERRUPT_AFTER)],
        )
    metadata = json.loads((run_dir / "backup" / "training_metadata.json").read_text())
    assert metadata["epoch"] == INTERRUPT_AFTER
    return _train(build, train, run_dir, validation=validation)


def _history_rows(run_dir):
    with open(run_dir / "history.csv", newline="") as f:
        return list(csv.DictReader(f))


def _assert_weights_close(actual, expected):
    for a, e in zip(actual, expected, strict=True):
        np.testing.assert_allclose(a, e, rtol=0, atol=1e-6)


def test_resumed_training_equals_uninterrupted_training(
    build_regressor, regression_data, tmp_path, deterministic_ops
):
    full_model, full = _train(build_regressor, regression_data, tmp_path / "a")
    assert full.epoch == [0, 1, 2, 3]

    run_dir = tmp_path / "b"
    model, resumed = _train_interrupted_then_resume(
        build_regressor, regression_data, run_dir
    )

    assert resumed.epoch == [2, 3]  # only the missing epochs ran
    # Same weights, so the Adam moments and step count were restored too.
    _assert_weights_close(model.get_weights(), full_model.get_weights())
    assert int(model.optimizer.iterations) == int(full_model.optimizer.iterations)
    rows = _history_rows(run_dir)
    assert [int(row["epoch"]) for row in rows] == [0, 1, 2, 3]
    np.testing.assert_allclose(
        [float(row["loss"]) for row in rows], full.history["loss"], rtol=1e-6
    )
    assert not (run_dir / "backup").exists()

    # The resume epoch is not left on the model: a later fit runs all its epochs.
    again = fit(model, regression_data, epochs=2, early_stopping=None, verbose=0)
    assert again.epoch == [0, 1]


def test_resume_remembers_a_best_epoch_from_before_the_interruption(
    build_regressor, regression_data, tmp_path, deterministic_ops
):
    # Training pulls the output to +1, validation wants -1: validation loss rises
    # every epoch, so epoch 0 is the best and early stopping restores it at the end.
    X, _ = regression_data
    ones = np.ones((len(X), 1), "float32")
    train, validation = (X, ones), (X, -ones)
    full_model, full = _train(
        build_regressor, train, tmp_path / "a", validation=validation
    )
    val_loss = full.history["val_loss"]
    assert val_loss == sorted(val_loss) and val_loss[0] < val_loss[-1]

    run_dir = tmp_path / "b"
    model, resumed = _train_interrupted_then_resume(
        build_regressor, train, run_dir, validation=validation
    )

    assert resumed.epoch == [2, 3]
    _assert_weights_close(model.get_weights(), full_model.get_weights())
    # best.keras still holds epoch 0: the resumed epochs were not taken as better.
    best = keras.saving.load_model(run_dir / "best.keras", safe_mode=True)
    _assert_weights_close(best.get_weights(), full_model.get_weights())
    assert len(_history_rows(run_dir)) == EPOCHS


def test_starting_over_drops_the_old_history(
    build_regressor, regression_data, tmp_path
):
    # A finished run deleted its backup, so the same call trains again from
    # scratch and history.csv describes only the new run.
    for _ in range(2):
        fit(
            build_regressor,
            regression_data,
            epochs=2,
            loss="mse",
            run_dir=tmp_path,
            verbose=0,
        )
    rows = _history_rows(tmp_path)
    assert [int(row["epoch"]) for row in rows] == [0, 1]


def _bookkeeping(tmp_path, model, resume_epoch, rows):
    """A resume bookkeeper over a hand-written history.csv, as after a restart."""
    path = tmp_path / "history.csv"
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["epoch", "loss"])
        writer.writeheader()
        writer.writerows({"epoch": e, "loss": loss} for e, loss in enumerate(rows))
    checkpoint = keras.callbacks.ModelCheckpoint(
        tmp_path / "best.keras", monitor="loss", save_best_only=True
    )
    stopper = keras.callbacks.EarlyStopping(monitor="loss", restore_best_weights=True)
    backup = tmp_path / "backup"
    backup.mkdir()
    # what BackupAndRestore writes after each epoch (and reads on a restart)
    (backup / "training_metadata.json").write_text(
        json.dumps({"epoch": resume_epoch, "batch": 0})
    )
    bookkeeper = _ResumeBookkeeping(
        str(path), str(tmp_path / "best.keras"), checkpoint, stopper, str(backup)
    )
    for callback in (stopper, checkpoint, bookkeeper):
        callback.set_model(model)
        callback.on_train_begin()
    return checkpoint, stopper


def test_bookkeeping_drops_stale_rows_and_seeds_the_best_epoch(
    build_regressor, tmp_path
):
    best_model = build_regressor()
    best_model.save(tmp_path / "best.keras")  # what ModelCheckpoint kept of epoch 0
    model = build_regressor()  # the model being resumed, with other weights
    checkpoint, stopper = _bookkeeping(tmp_path, model, 2, ["0.5", "nan", "0.1", "9"])
    assert [row["epoch"] for row in _history_rows(tmp_path)] == ["0", "1"]
    assert checkpoint.best == stopper.best == 0.5
    assert (stopper.best_epoch, stopper.wait) == (0, 1)
    for a, e in zip(stopper.best_weights, best_model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, e)


def test_bookkeeping_warns_when_best_weights_cannot_be_read(build_regressor, tmp_path):
    model = build_regressor()
    with pytest.warns(UserWarning, match="Could not read the best weights"):
        checkpoint, stopper = _bookkeeping(tmp_path, model, 2, ["0.5", "0.7"])
    # best.keras is missing: early stopping starts afresh rather than restore the
    # wrong weights, but best.keras is still only replaced by a better epoch.
    assert checkpoint.best == 0.5
    assert stopper.best is None and stopper.best_weights is None


def test_bookkeeping_uses_current_weights_when_the_last_epoch_was_best(
    build_regressor, tmp_path
):
    model = build_regressor()
    checkpoint, stopper = _bookkeeping(tmp_path, model, 2, ["0.5", "0.2", "0.1"])
    assert [row["epoch"] for row in _history_rows(tmp_path)] == ["0", "1"]
    assert checkpoint.best == stopper.best == 0.2
    assert (stopper.best_epoch, stopper.wait) == (1, 0)
    for a, e in zip(stopper.best_weights, model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, e)


def test_bookkeeping_without_finite_values_changes_nothing(build_regressor, tmp_path):
    checkpoint, stopper = _bookkeeping(tmp_path, build_regressor(), 1, ["nan", "NA"])
    assert checkpoint.best is None and stopper.best is None
