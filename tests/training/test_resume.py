"""Resuming `fit` after an interruption gives the same result as never stopping."""

from __future__ import annotations

import csv
import json

import keras
import numpy as np
import pytest
from tensorflow.python.framework import config as tf_config

from rnn_zoo.training import fit, set_seed
from rnn_zoo.training.callbacks import seed_early_stopping
from rnn_zoo.training.run_state import RunState, read_run_state
from tests.training.conftest import tiny_regressor

pytestmark = pytest.mark.slow  # resume: trains a run twice

EPOCHS = 4
INTERRUPT_AFTER = 2  # epochs completed before the interruption


class _Interrupted(Exception):
    pass


class _InterruptAfterEpoch(keras.callbacks.Callback):
    """Raise when the next epoch begins, after `fit` committed ``epochs_done``."""

    def __init__(self, epochs_done):
        super().__init__()
        self.epochs_done = epochs_done

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epochs_done:
            raise _Interrupted


class _InterruptInReport(keras.callbacks.Callback):
    """Raise in a caller's end-of-epoch report, before `fit` commits the epoch."""

    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.epoch:
            raise _Interrupted


@pytest.fixture
def deterministic_ops():
    """Enable op determinism for one test, then switch it off again."""
    was_enabled = tf_config.is_op_determinism_enabled()
    yield
    if not was_enabled:
        tf_config.disable_op_determinism()  # no public API to undo it


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    """One uninterrupted reference run, shared by the tests that resume one.

    Returns ``(data, weights, history, optimizer steps)``; ``data`` is the
    ``regression_data`` recipe, made here because this fixture outlives a test.
    """
    was_enabled = tf_config.is_op_determinism_enabled()
    rng = np.random.default_rng(0)
    X = rng.normal(size=(8, 5, 2)).astype("float32")
    data = (X, X.mean(axis=(1, 2))[:, None].astype("float32"))
    model, history = _train(tiny_regressor, data, tmp_path_factory.mktemp("full"))
    if not was_enabled:
        tf_config.disable_op_determinism()
    assert history.epoch == list(range(EPOCHS))
    return data, model.get_weights(), history.history, int(model.optimizer.iterations)


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


def _train_interrupted_then_resume(
    build, train, run_dir, validation=None, interrupt=None
):
    with pytest.raises(_Interrupted):
        _train(
            build,
            train,
            run_dir,
            validation=validation,
            callbacks=[interrupt or _InterruptAfterEpoch(INTERRUPT_AFTER)],
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
    uninterrupted, tmp_path, deterministic_ops
):
    regression_data, full_weights, full_history, full_steps = uninterrupted
    run_dir = tmp_path / "b"
    model, resumed = _train_interrupted_then_resume(
        tiny_regressor, regression_data, run_dir
    )

    assert resumed.epoch == [2, 3]  # only the missing epochs ran
    # Same weights, so the Adam moments and step count were restored too.
    _assert_weights_close(model.get_weights(), full_weights)
    assert int(model.optimizer.iterations) == full_steps
    rows = _history_rows(run_dir)
    assert [int(row["epoch"]) for row in rows] == [0, 1, 2, 3]
    np.testing.assert_allclose(
        [float(row["loss"]) for row in rows], full_history["loss"], rtol=1e-6
    )
    assert not (run_dir / "backup").exists()
    assert read_run_state(run_dir).finished  # kept in final/ for continue_finished

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


def test_an_epoch_whose_report_failed_is_done_again(
    uninterrupted, tmp_path, deterministic_ops
):
    # The caller's report of epoch 3 fails after fit's own callbacks ran (the
    # "Ctrl-C between the backup and the report" of issue 17): that epoch is not
    # committed, so the rerun does it again and history.csv has each epoch once.
    regression_data, full_weights, _, _ = uninterrupted
    run_dir = tmp_path / "b"
    model, resumed = _train_interrupted_then_resume(
        tiny_regressor,
        regression_data,
        run_dir,
        interrupt=_InterruptInReport(INTERRUPT_AFTER),
    )
    assert resumed.epoch == [2, 3]
    _assert_weights_close(model.get_weights(), full_weights)
    assert [int(row["epoch"]) for row in _history_rows(run_dir)] == [0, 1, 2, 3]


def test_continue_finished_appends_epochs(build_regressor, regression_data, tmp_path):
    first = build_regressor()
    fit(first, regression_data, epochs=2, loss="mse", run_dir=tmp_path, verbose=0)
    model = build_regressor()
    history = fit(
        model,
        regression_data,
        epochs=3,
        loss="mse",
        run_dir=tmp_path,
        continue_finished=True,
        verbose=0,
    )
    assert history.epoch == [2]  # only the extra epoch ran
    assert [row["epoch"] for row in _history_rows(tmp_path)] == ["0", "1", "2"]
    assert read_run_state(tmp_path).epoch == 3
    # no extra epoch asked: nothing runs, the model gets the final weights
    again = build_regressor()
    fit(
        again,
        regression_data,
        epochs=3,
        loss="mse",
        run_dir=tmp_path,
        continue_finished=True,
        verbose=0,
    )
    _assert_weights_close(again.get_weights(), model.get_weights())


def test_a_cut_short_backup_is_one_clear_error(
    build_regressor, regression_data, tmp_path
):
    with pytest.raises(_Interrupted):
        _train(
            build_regressor,
            regression_data,
            tmp_path,
            callbacks=[_InterruptAfterEpoch(INTERRUPT_AFTER)],
        )
    weights = tmp_path / "backup" / "latest.weights.h5"
    weights.write_bytes(weights.read_bytes()[:1000])  # a copy cut short
    with pytest.raises(ValueError) as caught:
        _train(build_regressor, regression_data, tmp_path)
    message = str(caught.value)
    assert "\n" not in message and "h5py" not in message
    assert "does not match the SHA-256" in message
    assert f"Delete {str(tmp_path / 'backup')!r} to start that run over" in message


def _seeded(tmp_path, model, resume_epoch, losses, best=None):
    """Early stopping seeded from a hand-written history, as after a restart."""
    rows = [{"epoch": str(e), "loss": value} for e, value in enumerate(losses)]
    state = RunState(resume_epoch, False, tmp_path / "backup", "loss", None, rows)
    stopper = keras.callbacks.EarlyStopping(monitor="loss", restore_best_weights=True)
    stopper.set_model(model)
    stopper.on_train_begin()
    seed_early_stopping(stopper, model, state)
    return stopper


def test_early_stopping_is_seeded_with_the_best_epoch(build_regressor, tmp_path):
    best_model = build_regressor()
    best_model.save(tmp_path / "best.keras")  # what was kept of epoch 0
    model = build_regressor()  # the model being resumed, with other weights
    stopper = _seeded(tmp_path, model, 2, ["0.5", "nan", "0.1", "9"])
    assert stopper.best == 0.5  # rows at or after the resume point are ignored
    assert (stopper.best_epoch, stopper.wait) == (0, 1)
    for a, e in zip(stopper.best_weights, best_model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, e)


def test_seeding_warns_when_best_weights_cannot_be_read(build_regressor, tmp_path):
    model = build_regressor()
    with pytest.warns(UserWarning, match="Could not read the best weights"):
        stopper = _seeded(tmp_path, model, 2, ["0.5", "0.7"])
    # best.keras is missing: early stopping starts afresh rather than restore
    # the wrong weights
    assert stopper.best_weights is None


def test_seeding_uses_current_weights_when_the_last_epoch_was_best(
    build_regressor, tmp_path
):
    model = build_regressor()
    stopper = _seeded(tmp_path, model, 2, ["0.5", "0.2", "0.1"])
    assert stopper.best == 0.2
    assert (stopper.best_epoch, stopper.wait) == (1, 0)
    for a, e in zip(stopper.best_weights, model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, e)


def test_seeding_without_finite_values_changes_nothing(build_regressor, tmp_path):
    stopper = _seeded(tmp_path, build_regressor(), 1, ["nan", "NA"])
    assert stopper.best_weights is None and stopper.wait == 0
