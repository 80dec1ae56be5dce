"""rnn_zoo.training: set_seed, fit's compile/callback wiring, NaN guard, bad input."""

from __future__ import annotations

import csv
import json
import warnings

import keras
import numpy as np
import pytest
import tensorflow as tf

from rnn_zoo.training import StopOnNaN, TrainingDivergedError, fit, set_seed


def _fit_quiet(model, data, **kwargs):
    kwargs.setdefault("loss", "mse")
    kwargs.setdefault("verbose", 0)
    return fit(model, data, **kwargs)


class _WeightRecorder(keras.callbacks.Callback):
    """Keep a copy of the weights at the end of every epoch."""

    def __init__(self):
        super().__init__()
        self.weights = []

    def on_epoch_end(self, epoch, logs=None):
        self.weights.append(self.model.get_weights())


class _PoisonAtEpoch(keras.callbacks.Callback):
    """Make the head's kernel NaN when an epoch begins, so its first batch is NaN."""

    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            kernel = self.model.get_layer("head").kernel
            kernel.assign(np.full(kernel.shape, np.nan, "float32"))


def _assert_weights_equal(actual, expected, atol=0.0):
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected, strict=True):
        np.testing.assert_allclose(a, e, rtol=0, atol=atol)


# set_seed ------------------------------------------------------------------------


def test_same_seed_gives_same_initial_weights_and_losses(
    build_regressor, regression_data
):
    runs = []
    for _ in range(2):
        set_seed(3)
        model = build_regressor()
        initial = model.get_weights()
        history = _fit_quiet(model, regression_data, epochs=2, batch_size=4)
        runs.append((initial, history.history["loss"]))
    _assert_weights_equal(runs[0][0], runs[1][0])
    assert runs[0][1] == runs[1][1]

    set_seed(4)
    other = build_regressor().get_weights()
    assert not np.array_equal(other[0], runs[0][0][0])


@pytest.mark.parametrize(
    ("seed", "error"),
    [(-1, ValueError), (1.5, TypeError), (True, TypeError), ("a", TypeError)],
)
def test_set_seed_rejects_bad_seeds(seed, error):
    with pytest.raises(error, match="`seed` must be a non-negative integer"):
        set_seed(seed)


def test_set_seed_rejects_non_bool_deterministic():
    with pytest.raises(TypeError, match="`deterministic` must be a bool"):
        set_seed(0, deterministic=1)


# fit: inputs, compile, callbacks -------------------------------------------------


def test_fit_arrays_and_tf_data_give_the_same_losses(build_regressor, regression_data):
    X, y = regression_data
    set_seed(0)
    from_arrays = _fit_quiet(
        build_regressor(),
        (X, y),
        validation=[X, y],  # a list works like a tuple
        epochs=2,
        batch_size=4,
        shuffle=False,
    )
    set_seed(0)
    dataset = tf.data.Dataset.from_tensor_slices((X, y)).batch(4)
    from_dataset = _fit_quiet(build_regressor(), dataset, validation=dataset, epochs=2)
    assert from_arrays.epoch == from_dataset.epoch == [0, 1]
    assert sorted(from_arrays.history) == ["loss", "val_loss"]
    for key in ("loss", "val_loss"):
        np.testing.assert_allclose(
            from_arrays.history[key], from_dataset.history[key], rtol=1e-6
        )


def test_model_factory_is_called_and_returned_as_history_model(
    build_regressor, regression_data
):
    history = _fit_quiet(build_regressor, regression_data, epochs=1)
    assert isinstance(history.model, keras.Model)
    assert history.model.name == "tiny_regressor"
    assert history.model.optimizer.iterations.numpy() == 1  # 8 samples, batch 32


def test_early_stopping_restores_the_best_epoch(build_regressor, regression_data):
    # Training pulls the output towards +1 while validation wants -1, so the
    # validation loss rises every epoch and the first epoch is the best.
    X, _ = regression_data
    ones = np.ones((len(X), 1), "float32")
    recorder = _WeightRecorder()
    model = build_regressor()
    history = _fit_quiet(
        model,
        (X, ones),
        validation=(X, -ones),
        epochs=10,
        batch_size=4,
        learning_rate=0.05,
        early_stopping=2,
        callbacks=[recorder],
    )
    val_loss = history.history["val_loss"]
    assert val_loss == sorted(val_loss) and len(set(val_loss)) == len(val_loss)
    assert history.epoch == [0, 1, 2]  # epoch 0 best, then 2 epochs of patience
    _assert_weights_equal(model.get_weights(), recorder.weights[0])
    assert not np.array_equal(model.get_weights()[0], recorder.weights[-1][0])


def test_early_stopping_stops_on_a_plateau():
    # Zero inputs, zero kernel, zero targets: the loss is 0 and never improves.
    inputs = keras.Input((5, 2))
    hidden = keras.layers.LSTM(2, name="lstm")(inputs)
    outputs = keras.layers.Dense(1, kernel_initializer="zeros", name="head")(hidden)
    zeros = (np.zeros((4, 5, 2), "float32"), np.zeros((4, 1), "float32"))
    history = _fit_quiet(
        keras.Model(inputs, outputs), zeros, epochs=10, early_stopping=2
    )
    assert history.history["loss"] == [0.0, 0.0, 0.0]


def test_early_stopping_none_runs_every_epoch(build_regressor):
    zeros = (np.zeros((4, 5, 2), "float32"), np.zeros((4, 1), "float32"))
    history = _fit_quiet(build_regressor(), zeros, epochs=4, early_stopping=None)
    assert history.epoch == [0, 1, 2, 3]


@pytest.mark.parametrize("clipnorm", [0.5, None])
def test_clipnorm_is_set_on_the_named_optimizer(
    build_regressor, regression_data, clipnorm
):
    model = build_regressor()
    _fit_quiet(
        model,
        regression_data,
        epochs=1,
        optimizer="sgd",
        learning_rate=0.1,
        clipnorm=clipnorm,
    )
    assert isinstance(model.optimizer, keras.optimizers.SGD)
    assert model.optimizer.clipnorm == clipnorm
    assert float(model.optimizer.learning_rate) == pytest.approx(0.1)


def test_clipnorm_bounds_every_update(build_regressor, regression_data):
    # One SGD step with learning rate 1: no variable may move further than clipnorm.
    model = build_regressor()
    before = model.get_weights()
    big_targets = regression_data[1] * 1e3
    _fit_quiet(
        model,
        (regression_data[0], big_targets),
        epochs=1,
        batch_size=8,
        optimizer="sgd",
        learning_rate=1.0,
        clipnorm=1e-3,
    )
    steps = [
        np.linalg.norm(a - b) for a, b in zip(model.get_weights(), before, strict=True)
    ]
    assert max(steps) <= 1e-3 * (1 + 1e-5)
    assert max(steps) > 0.9e-3  # the clip was active, not a tiny gradient


def test_optimizer_instance_is_used_as_is(build_regressor, regression_data):
    optimizer = keras.optimizers.RMSprop(learning_rate=0.01)
    model = build_regressor()
    _fit_quiet(model, regression_data, epochs=1, optimizer=optimizer, clipnorm=0.5)
    assert model.optimizer is optimizer
    assert optimizer.clipnorm is None


def test_compiled_model_keeps_its_compile(build_regressor, regression_data):
    model = build_regressor()
    optimizer = keras.optimizers.SGD(0.01)
    model.compile(optimizer=optimizer, loss="mae")
    X, y = regression_data
    initial_mae = np.mean(np.abs(model.predict(X, verbose=0) - y))
    history = fit(model, (X, y), epochs=1, batch_size=8, verbose=0)
    assert model.optimizer is optimizer
    # One step on the whole batch: the logged loss is the MAE before the update.
    assert history.history["loss"][0] == pytest.approx(initial_mae, rel=1e-5)
    with pytest.raises(ValueError, match="`loss` must be given when `optimizer`"):
        fit(model, (X, y), optimizer="adam", verbose=0)


def test_loss_is_required_for_an_uncompiled_model(build_regressor, regression_data):
    with pytest.raises(ValueError, match="`loss` must be given when `model` is not"):
        fit(build_regressor(), regression_data, verbose=0)


def test_run_dir_holds_history_csv_and_best_model(
    build_regressor, regression_data, tmp_path
):
    run_dir = tmp_path / "run"
    model = build_regressor()
    history = _fit_quiet(model, regression_data, epochs=3, run_dir=run_dir)
    with open(run_dir / "history.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [int(row["epoch"]) for row in rows] == [0, 1, 2]
    np.testing.assert_allclose(
        [float(row["loss"]) for row in rows], history.history["loss"], rtol=1e-6
    )
    assert not (run_dir / "backup").exists()  # deleted after a normal end
    best = keras.saving.load_model(run_dir / "best.keras", safe_mode=True)
    X = regression_data[0]
    np.testing.assert_allclose(best.predict(X, verbose=0), model.predict(X, verbose=0))


# NaN guard -----------------------------------------------------------------------


def test_nan_loss_raises_and_keeps_the_backup(
    build_regressor, regression_data, tmp_path
):
    run_dir = tmp_path / "run"
    with pytest.raises(TrainingDivergedError, match="NaN") as caught:
        _fit_quiet(
            build_regressor(),
            regression_data,
            epochs=3,
            batch_size=4,
            run_dir=run_dir,
            callbacks=[_PoisonAtEpoch(1)],
        )
    error = caught.value
    assert isinstance(error, RuntimeError)
    assert (error.epoch, error.batch) == (1, 0)
    assert np.isnan(error.loss)
    assert "at epoch 2, batch 1" in str(error)
    assert "was kept" in str(error) and "`clipnorm`" in str(error)
    backup = run_dir / "backup"
    assert error.backup_dir == str(backup)
    assert (backup / "latest.weights.h5").is_file()
    metadata = json.loads((backup / "training_metadata.json").read_text())
    assert metadata["epoch"] == 1  # the last good epoch, not the diverged one
    with open(run_dir / "history.csv", newline="") as f:
        assert [row["epoch"] for row in csv.DictReader(f)] == ["0"]

    # Rerunning the same call (without the poison) resumes after epoch 1.
    model = build_regressor()
    history = _fit_quiet(
        model, regression_data, epochs=3, batch_size=4, run_dir=run_dir
    )
    assert history.epoch == [1, 2]
    assert all(np.isfinite(w).all() for w in model.get_weights())
    assert not backup.exists()


def test_nan_in_the_first_epoch_has_no_backup(build_regressor, regression_data):
    X, y = regression_data
    y = y.copy()
    y[0] = np.inf
    with pytest.raises(TrainingDivergedError, match="at epoch 1, batch 1") as caught:
        _fit_quiet(build_regressor(), (X, y), epochs=2, batch_size=4, shuffle=False)
    assert caught.value.backup_dir is None
    assert "was kept" not in str(caught.value)


def test_stop_on_nan_without_backup_names_no_backup(tmp_path):
    callback = StopOnNaN(backup_dir=tmp_path / "missing")
    with pytest.raises(TrainingDivergedError, match="no backup to resume from"):
        callback.on_train_batch_end(0, {"loss": float("nan")})
    callback.on_train_batch_end(0, {"loss": 1.0})  # finite: nothing happens
    callback.on_train_batch_end(0, {})  # no loss logged: nothing happens
    with pytest.raises(TypeError, match="`backup_dir` must be a path or None"):
        StopOnNaN(backup_dir=3)


def test_stop_on_nan_is_keras_terminate_on_nan_raising():
    callback = StopOnNaN()
    assert isinstance(callback, keras.callbacks.TerminateOnNaN)
    assert callback.raise_error is True  # Keras raises; the epoch does not finish
    with pytest.raises(TrainingDivergedError, match="got inf") as caught:
        callback.on_train_batch_end(4, {"loss": float("inf")})
    assert (caught.value.epoch, caught.value.batch) == (0, 4)


# Bad input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"epochs": 0}, ValueError, "`epochs` must be a positive integer"),
        ({"epochs": 2.0}, TypeError, "`epochs` must be a positive integer"),
        ({"early_stopping": -1}, ValueError, "`early_stopping` must be a non-neg"),
        ({"early_stopping": 1.5}, TypeError, "`early_stopping` must be a non-neg"),
        ({"clipnorm": 0.0}, ValueError, r"`clipnorm` must be a number > 0.0"),
        ({"clipnorm": -1.0}, ValueError, r"`clipnorm` must be a number > 0.0"),
        ({"learning_rate": 0.0}, ValueError, "`learning_rate` must be a number > 0"),
        ({"optimizer": "adamx"}, ValueError, "`optimizer` must be a Keras optimizer"),
        ({"optimizer": 3}, TypeError, "`optimizer` must be an optimizer name"),
        ({"batch_size": 0}, ValueError, "`batch_size` must be a positive integer"),
        ({"shuffle": "yes"}, TypeError, "`shuffle` must be a bool or None"),
        ({"verbose": 3}, ValueError, "`verbose` must be one of"),
        ({"callbacks": [print]}, TypeError, "`callbacks` must be a list of keras"),
        (
            {"strategy": "mirrored"},
            ValueError,
            "`strategy` must be a tf.distribute.Strategy, 'multiworker' or None. "
            "Received: strategy='mirrored'",
        ),
        ({"strategy": 2}, TypeError, "`strategy` must be a tf.distribute.Strategy"),
        ({"run_dir": 5}, TypeError, "`run_dir` must be a folder path or None"),
    ],
)
def test_bad_arguments(build_regressor, regression_data, kwargs, error, match):
    kwargs = {"loss": "mse", "verbose": 0, **kwargs}
    with pytest.raises(error, match=match):
        fit(build_regressor, regression_data, **kwargs)


def test_run_dir_that_is_a_file(build_regressor, regression_data, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a folder")
    with pytest.raises(ValueError, match="`run_dir` must be a folder.*It is a file"):
        _fit_quiet(build_regressor, regression_data, run_dir=path)


@pytest.mark.parametrize("model", ["lstm", None, keras.layers.Dense(1)])
def test_model_must_be_a_model_or_factory(regression_data, model):
    with pytest.raises(TypeError, match="`model` must be a keras.Model or a callable"):
        _fit_quiet(model, regression_data)


def test_factory_must_return_a_model(regression_data):
    with pytest.raises(TypeError, match="The callable returned Dense"):
        _fit_quiet(lambda: keras.layers.Dense(1), regression_data)


@pytest.mark.parametrize(
    ("train", "error", "match"),
    [
        ([1, 2, 3], TypeError, "`train` must be a batched tf.data.Dataset"),
        (np.zeros((8, 5, 2)), TypeError, "`train` must be a batched tf.data"),
        (
            (np.zeros((8, 5, 2)), np.zeros((7, 1))),
            ValueError,
            "Got 8 and 7 samples",
        ),
    ],
)
def test_bad_training_data(build_regressor, train, error, match):
    with pytest.raises(error, match=match):
        _fit_quiet(build_regressor, train)


def test_bad_validation_data(build_regressor, regression_data):
    with pytest.raises(TypeError, match="`validation` must be a batched"):
        _fit_quiet(build_regressor, regression_data, validation=regression_data[0])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"batch_size": 4}, "`batch_size` must be None when `train` is a dataset"),
        ({"shuffle": True}, "`shuffle` must be None when .*ds.shuffle"),
    ],
)
def test_dataset_rejects_batch_size_and_shuffle(
    build_regressor, regression_data, kwargs, match
):
    dataset = tf.data.Dataset.from_tensor_slices(regression_data).batch(4)
    with pytest.raises(ValueError, match=match):
        _fit_quiet(build_regressor, dataset, **kwargs)


# ------------------------------- issue 11 row 9: recompiling a compiled model


def test_fit_warns_before_recompiling_a_compiled_model(
    build_regressor, regression_data
):
    X, y = regression_data
    model = build_regressor()
    fit(model, (X, y), epochs=1, loss="mse", verbose=0)
    steps = int(model.optimizer.iterations)
    with pytest.warns(UserWarning, match="recompile.*optimizer state"):
        fit(model, (X, y), epochs=1, loss="mse", verbose=0)
    assert int(model.optimizer.iterations) == 1  # a new optimizer, one batch of 8
    # recompile=False keeps the optimizer (its step count carries on), no warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit(model, (X, y), epochs=1, loss="mse", recompile=False, verbose=0)
        assert int(model.optimizer.iterations) == 2
        fit(model, (X, y), epochs=1, loss="mse", recompile=True, verbose=0)
    assert int(model.optimizer.iterations) == 1 and steps == 1


# ------------------------------ issue 11 row 1: targets must match the model output


def _forecaster(horizon: int, features: int = 2) -> keras.Model:
    inputs = keras.Input((5, features), name="series")
    hidden = keras.layers.LSTM(4, name="lstm")(inputs)
    flat = keras.layers.Dense(horizon, name="head")(hidden)
    return keras.Model(inputs, keras.layers.Reshape((horizon, 1))(flat))


def test_fit_rejects_targets_of_another_horizon_before_training(rng):
    X = rng.normal(size=(8, 5, 2)).astype("float32")
    y = rng.normal(size=(8, 3, 1)).astype("float32")  # horizon 3, model horizon 1
    model = _forecaster(horizon=1)
    with pytest.raises(ValueError, match=r"\(None, 1, 1\).*\(8, 3, 1\)"):
        fit(model, (X, y), epochs=1, loss="mse", verbose=0)
    assert not model.compiled or model.optimizer.iterations == 0
    ds = tf.data.Dataset.from_tensor_slices((X, y)).batch(4)
    with pytest.raises(ValueError, match=r"\(None, 1, 1\).*\(None, 3, 1\)"):
        fit(model, ds, epochs=1, loss="mse", verbose=0)
    with pytest.raises(ValueError, match=r"`validation`.*\(None, 1, 1\)"):
        fit(model, (X, y[:, :1]), validation=(X, y), epochs=1, loss="mse", verbose=0)


def test_fit_rejects_a_wrong_feature_count(rng):
    X = rng.normal(size=(8, 5, 3)).astype("float32")  # model expects 2 features
    y = rng.normal(size=(8, 1, 1)).astype("float32")
    with pytest.raises(ValueError, match=r"\(None, 5, 2\).*\(8, 5, 3\)"):
        fit(_forecaster(horizon=1), (X, y), epochs=1, loss="mse", verbose=0)


@pytest.mark.parametrize(
    ("y_shape", "head", "loss"),
    [
        ((8,), "classes", "sparse_categorical_crossentropy"),
        ((8, 1), "classes", "sparse_categorical_crossentropy"),
        ((8, 5), "sequence", "sparse_categorical_crossentropy"),
        ((8, 4), "classes", "categorical_crossentropy"),
        ((8,), "scalar", "mse"),
    ],
)
def test_fit_accepts_valid_target_shapes(rng, y_shape, head, loss):
    inputs = keras.Input((5,), dtype="int32")
    x = keras.layers.Embedding(6, 3, mask_zero=True)(inputs)
    x = keras.layers.LSTM(4, return_sequences=head == "sequence")(x)
    outputs = keras.layers.Dense(1 if head == "scalar" else 4)(x)
    model = keras.Model(inputs, outputs)
    X = rng.integers(1, 6, size=(8, 5)).astype("int32")
    y = rng.integers(0, 4, size=y_shape)
    if loss == "categorical_crossentropy":
        y = keras.utils.to_categorical(y[:, 0], 4)
    history = fit(model, (X, y.astype("float32")), epochs=1, loss=loss, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_fit_shape_check_accepts_multi_output_bidirectional_and_weights(rng):
    inputs = keras.Input((5, 2))
    hidden = keras.layers.Bidirectional(keras.layers.LSTM(3), name="bi")(inputs)
    value = keras.layers.Dense(1, name="value")(hidden)
    label = keras.layers.Dense(3, name="label")(hidden)
    model = keras.Model(inputs, [value, label])
    X = rng.normal(size=(8, 5, 2)).astype("float32")
    y_value = rng.normal(size=(8, 1)).astype("float32")
    y_label = rng.integers(0, 3, size=(8,))
    losses = ["mse", "sparse_categorical_crossentropy"]
    fit(model, (X, [y_value, y_label]), loss=losses, epochs=1, verbose=0)
    weights = np.ones(8, "float32")
    ds = tf.data.Dataset.from_tensor_slices((X, y_value, weights)).batch(4)
    single = keras.Model(inputs, value)
    history = fit(single, ds, validation=ds, loss="mse", epochs=1, verbose=0)
    assert np.isfinite(history.history["val_loss"][0])
    # negative control: the wrong target width for the second output is caught
    with pytest.raises(ValueError, match=r"targets of the model's shape \(None, 3\)"):
        fit(model, (X, [y_value, np.zeros((8, 5))]), loss=losses, recompile=True)
