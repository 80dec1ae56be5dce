"""build_optimizer: the train step is traced once, and training is unchanged."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from rnn_zoo import _keras_internals as internals
from rnn_zoo.training import build_optimizer, fit, set_seed
from tests.training.conftest import tiny_regressor


class _CountingModel(keras.Model):
    """A Functional model that counts how often Keras traces its train step."""

    traces = 0

    def train_step(self, data):
        type(self).traces += 1
        return super().train_step(data)


def _counting_regressor() -> _CountingModel:
    plain = tiny_regressor()
    return _CountingModel(plain.inputs, plain.outputs, name="counting")


def _train(model, data, *, prebuild: bool):
    model.compile(keras.optimizers.Adam(1e-2, clipnorm=1.0), "mse")
    if prebuild:
        assert build_optimizer(model) is True
    model.fit(*data, batch_size=4, epochs=2, verbose=0)
    return model


def test_the_step_is_traced_once_and_training_is_bit_identical(regression_data):
    counts, runs = {}, {}
    for prebuild in (False, True):
        _CountingModel.traces = 0
        set_seed(0)
        model = _train(_counting_regressor(), regression_data, prebuild=prebuild)
        counts[prebuild] = _CountingModel.traces
        runs[prebuild] = model.get_weights() + [
            keras.ops.convert_to_numpy(v) for v in model.optimizer.variables
        ]
    # Keras creates Adam's moments inside the first trace, so TF traces again
    assert counts == {False: 2, True: 1}
    assert len(runs[False]) == len(runs[True]) == 5 + 2 + 2 * 5
    for a, b in zip(runs[False], runs[True], strict=True):
        np.testing.assert_array_equal(a, b)


def _counted_fit(data, *, prebuild, metrics=("mae",)):
    """Traces of the train step, final weights and metric values of one fit."""
    _CountingModel.traces = 0
    set_seed(0)
    model = _counting_regressor()
    model.compile(keras.optimizers.Adam(1e-2), "mse", metrics=list(metrics))
    if prebuild:
        assert build_optimizer(model, data=prebuild) is True
    history = model.fit(*data, batch_size=4, epochs=2, shuffle=False, verbose=0)
    weights = model.get_weights() + [
        keras.ops.convert_to_numpy(v) for m in model.metrics for v in m.variables
    ]
    return _CountingModel.traces, weights, history.history


def test_compiled_metrics_are_built_from_the_data_too(regression_data):
    X, y = regression_data
    plain = _counted_fit((X, y), prebuild=None)
    # Keras creates the metric's variables inside the first trace as well
    assert plain[0] == 2
    traces, weights, history = _counted_fit((X, y), prebuild=_Batches(X, y))
    assert traces == 1 and history == plain[2]
    for a, b in zip(weights, plain[1], strict=True):
        np.testing.assert_array_equal(a, b)
    # arrays, a list of them and a dataset give the same shapes to build from
    dataset = tf.data.Dataset.from_tensor_slices((X, y)).batch(4)
    for given in ((X, y), [X, y], dataset):
        model = tiny_regressor()
        model.compile("adam", "mse", metrics=["mae"])
        assert build_optimizer(model, data=given) is True
        assert internals.compiled_state_built(model), type(given)


class _Batches(keras.utils.PyDataset):
    def __init__(self, X, y):
        super().__init__()
        self.X, self.y = X, y

    def __len__(self):
        return 2

    def __getitem__(self, i):
        return self.X[4 * i : 4 * i + 4], self.y[4 * i : 4 * i + 4]


def test_a_model_keras_cannot_build_from_shapes_is_left_to_keras(regression_data):
    class NeedsValues(keras.Model):
        """Built, but its call needs concrete values (a Python branch on one)."""

        def __init__(self):
            super().__init__()
            self.head = keras.layers.Dense(1)
            self.head.build((None, 2))
            self.built = True

        def call(self, x):
            if float(keras.ops.max(x)) > 1e9:  # fails on a symbolic tensor
                return x[:, 0, :1]
            return self.head(keras.ops.mean(x, axis=1))

    model = NeedsValues()
    model.compile("adam", "mse", metrics=["mae"], run_eagerly=True)
    assert build_optimizer(model, data=regression_data) is True  # the optimizer
    assert not internals.compiled_state_built(model)  # left to Keras
    model.fit(*regression_data, epochs=1, verbose=0)
    assert [len(m.variables) for m in model.metrics] == [2, 2]


def test_fit_builds_the_optimizer_itself(regression_data):
    _CountingModel.traces = 0
    fit(_counting_regressor(), regression_data, loss="mse", epochs=2, verbose=0)
    assert _CountingModel.traces == 1


def test_already_built_or_unbuilt_models_are_left_to_keras(regression_data):
    class Subclassed(keras.Model):
        def __init__(self):
            super().__init__()
            self.head = keras.layers.Dense(1)

        def call(self, x):
            return self.head(keras.ops.mean(x, axis=1))

    model = Subclassed()
    model.compile("adam", "mse")
    assert build_optimizer(model) is False  # no variables yet
    assert not model.optimizer.built
    model.fit(*regression_data, epochs=1, verbose=0)  # Keras builds it as usual
    assert model.optimizer.built and build_optimizer(model) is False


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match="`model`"):
        build_optimizer("model")
    with pytest.raises(ValueError, match="must be compiled"):
        build_optimizer(tiny_regressor())
    model = tiny_regressor()
    model.compile("adam", "mse")
    with pytest.raises(TypeError, match="`data` must be .x, y."):
        build_optimizer(model, data=np.zeros((8, 5, 2)))
