"""Pin every private Keras internal the package uses (rnn_zoo._keras_internals).

If one of these fails after a Keras upgrade, the internal named in the test changed:
update the matching function in ``rnn_zoo/_keras_internals.py`` (or replace it with
a public API if Keras now has one). Each test checks behaviour, not only presence.
"""

from __future__ import annotations

import keras
import numpy as np
import pytest

from rnn_zoo import _keras_internals as internals


def test_unsafe_deserialization_flag_is_readable(monkeypatch):
    from keras.src.backend.common import global_state

    assert internals.unsafe_deserialization_enabled() is False
    monkeypatch.setattr(
        global_state.GLOBAL_STATE_TRACKER, "safe_mode_saving", None, raising=False
    )
    keras.config.enable_unsafe_deserialization()
    assert internals.unsafe_deserialization_enabled() is True


def test_backup_and_restore_resume_epoch_is_forgotten(tmp_path):
    inputs = keras.Input((2,))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    model.compile("sgd", "mse")
    x, y = np.ones((4, 2), "float32"), np.ones((4, 1), "float32")
    backup = keras.callbacks.BackupAndRestore(str(tmp_path / "backup"))

    class Interrupt(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        model.fit(x, y, epochs=4, verbose=0, callbacks=[backup, Interrupt()])
    history = model.fit(x, y, epochs=4, verbose=0, callbacks=[backup])
    assert history.epoch == [2, 3]  # resumed: Keras set the private epoch
    # Without forgetting it, a plain fit of the same model would skip epochs.
    assert model.fit(x, y, epochs=3, verbose=0).epoch == [2]
    internals.forget_resume_epoch(model)
    assert model.fit(x, y, epochs=3, verbose=0).epoch == [0, 1, 2]


def test_symbolic_mask_and_graph_nodes():
    inputs = keras.Input((4,), dtype="int32")
    embedded = keras.layers.Embedding(5, 3, mask_zero=True, name="embed")(inputs)
    lstm = keras.layers.LSTM(2, name="lstm")
    outputs = lstm(embedded)
    model = keras.Model(inputs, outputs)
    assert internals.tensor_mask(embedded) is not None
    assert internals.tensor_mask(inputs) is None
    nodes = internals.graph_nodes(model)
    calls = [n for n in internals.inbound_nodes(lstm) if id(n) in nodes]
    assert len(calls) == 1
    assert calls[0].arguments.args[0] is embedded
    assert list(calls[0].output_tensors) == [outputs]
    # a Sequential model keeps its graph one level down
    sequential = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    dense = sequential.layers[0]
    assert any(
        id(n) in internals.graph_nodes(sequential)
        for n in internals.inbound_nodes(dense)
    )


def test_tracked_sublayers_of_a_custom_layer():
    class Holder(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = keras.layers.GRU(2, name="inner")

    assert [layer.name for layer in internals.tracked_sublayers(Holder())] == ["inner"]


def test_multi_worker_fix_replaces_the_two_keras_steps_and_keeps_one_worker_alone():
    # What the fix is for (two workers) is checked by tests/training/
    # test_multiworker.py; here: the internals it replaces still exist, it is
    # installed once, and one-worker training goes on as Keras does it.
    import tensorflow as tf
    from keras.src.backend.tensorflow import trainer as tf_trainer

    strategy = tf.distribute.MirroredStrategy(["CPU:0"])
    with strategy.scope():
        inputs = keras.Input((2,))
        model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
        model.compile("sgd", "mse")
    assert callable(model._maybe_symbolic_build) and callable(model._symbolic_build)
    assert not tf_trainer._collective_all_reduce_multi_worker(strategy)
    internals.fix_multi_worker_training(model, strategy)
    fixed = tf_trainer.reduce_per_replica
    internals.fix_multi_worker_training(model, strategy)
    assert tf_trainer.reduce_per_replica is fixed and fixed.fixes_multi_worker
    assert float(fixed(tf.constant(2.0), strategy)) == 2.0  # Keras' own path
    x, y = np.ones((4, 2), "float32"), np.ones((4, 1), "float32")
    history = model.fit(x, y, epochs=2, batch_size=2, verbose=0)
    assert model.built and len(history.history["loss"]) == 2
    squared = (model.predict(x, verbose=0) - y) ** 2
    assert model.evaluate(x, y, verbose=0) == pytest.approx(squared.mean(), rel=1e-6)


def test_all_layers_built_sees_nested_layers():
    class Outer(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = keras.layers.Dense(2)

        def build(self, input_shape):
            pass  # built itself; its Dense is built on first use

        def call(self, x):
            return self.inner(x)

    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    assert internals.all_layers_built(model)
    outer = Outer()
    outer.build((None, 3))
    assert outer.built and not internals.all_layers_built(outer)


def test_compiled_state_is_built_from_a_batch_of_shapes():
    # Keras' TensorFlow trainer builds compiled metrics inside the first trace
    # (a second trace follows); `build_compiled_state` builds them beforehand
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    model.compile("adam", "mse", metrics=["mae"])
    assert not internals.compiled_state_built(model)
    batch = (keras.KerasTensor((None, 3)), keras.KerasTensor((None, 2)))
    internals.build_compiled_state(model, batch)
    assert internals.compiled_state_built(model) and model.optimizer.built
    assert [len(m.variables) for m in model.metrics] == [2, 2]
