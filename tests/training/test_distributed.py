"""`fit` under tf.distribute.MirroredStrategy on two logical CPUs.

Logical devices must be configured before TensorFlow initialises, so the two-replica
runs happen in a child process that prints JSON; this process checks the numbers.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest
import tensorflow as tf

from rnn_zoo.training import fit
from rnn_zoo.training.loop import _check_distributable

pytestmark = pytest.mark.slow  # trains in child processes

CHILD = textwrap.dedent(
    """
    import json, os, sys
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import tensorflow as tf
    cpus = tf.config.list_physical_devices("CPU")
    tf.config.set_logical_device_configuration(
        cpus[0], [tf.config.LogicalDeviceConfiguration()] * 2
    )
    import keras
    import numpy as np
    from rnn_zoo.models import build_char_lm, build_forecaster
    from rnn_zoo.training import fit, set_seed

    out_dir = sys.argv[1]
    rng = np.random.default_rng(0)
    series = rng.normal(size=(8, 5, 2)).astype("float32")
    future = rng.normal(size=(8, 2, 1)).astype("float32")
    text = rng.integers(2, 10, size=(8, 7))
    lm_loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    cases = {
        "forecaster": (
            lambda: build_forecaster(5, 2, horizon=2, units=4),
            (series, future),
            "mse",
        ),
        "char_lm": (
            lambda: build_char_lm(10, embedding_dim=4, units=8),
            (text[:, :-1], text[:, 1:]),
            lm_loss,
        ),
    }
    strategy = tf.distribute.MirroredStrategy(["CPU:0", "CPU:1"])

    def train(factory, data, loss, **kwargs):
        set_seed(0)
        kwargs.setdefault("batch_size", 4)
        return fit(factory, data, epochs=2, shuffle=False, loss=loss,
                   early_stopping=None, verbose=0, **kwargs)

    def error_of(call):
        try:
            call()
        except ValueError as error:
            return str(error)
        return None

    results = {"replicas": strategy.num_replicas_in_sync}
    for name, (factory, data, loss) in cases.items():
        single = train(factory, data, loss)
        mirrored = train(factory, data, loss, strategy=strategy,
                         run_dir=os.path.join(out_dir, name))
        path = os.path.join(out_dir, name + ".keras")
        mirrored.model.save(path)
        in_strategy = mirrored.model.predict(data[0], verbose=0)
        loaded = keras.saving.load_model(path, safe_mode=True)
        results[name] = {
            "single": single.history["loss"],
            "mirrored": mirrored.history["loss"],
            "prediction_gap": float(
                np.max(np.abs(loaded.predict(data[0], verbose=0) - in_strategy))
            ),
            "best_saved": os.path.isfile(os.path.join(out_dir, name, "best.keras")),
        }

    factory, data, loss = cases["forecaster"]
    results["odd_batch"] = error_of(
        lambda: train(factory, data, loss, strategy=strategy, batch_size=3)
    )
    dataset = tf.data.Dataset.from_tensor_slices(data).batch(3, drop_remainder=True)
    results["odd_dataset"] = error_of(
        lambda: fit(factory, dataset, loss="mse", strategy=strategy, verbose=0)
    )
    results["stateful"] = error_of(
        lambda: fit(
            lambda: build_char_lm(10, embedding_dim=4, units=8, stateful=True,
                                  batch_size=4),
            cases["char_lm"][1], batch_size=4, loss=lm_loss, strategy=strategy,
            verbose=0,
        )
    )
    results["outside_scope"] = error_of(
        lambda: fit(factory(), data, loss="mse", strategy=strategy, verbose=0)
    )
    print("RESULTS " + json.dumps(results))
    """
)


@pytest.fixture(scope="module")
def child_results(tmp_path_factory):
    out_dir = tmp_path_factory.mktemp("distributed")
    completed = subprocess.run(
        [sys.executable, "-c", CHILD, str(out_dir)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    line = [x for x in completed.stdout.splitlines() if x.startswith("RESULTS ")]
    assert line, completed.stdout[-3000:] + completed.stderr[-3000:]
    return json.loads(line[-1].removeprefix("RESULTS "))


def test_child_has_two_replicas(child_results):
    assert child_results["replicas"] == 2


@pytest.mark.parametrize("name", ["forecaster", "char_lm"])
def test_two_replicas_train_like_one_device(child_results, name):
    result = child_results[name]
    assert len(result["single"]) == 2
    np.testing.assert_allclose(result["mirrored"], result["single"], atol=1e-5)


@pytest.mark.parametrize("name", ["forecaster", "char_lm"])
def test_model_saved_under_the_strategy_loads_without_it(child_results, name):
    assert child_results[name]["prediction_gap"] <= 1e-6
    assert child_results[name]["best_saved"]


def test_batch_size_must_divide_across_replicas(child_results):
    message = child_results["odd_batch"]
    assert message is not None
    assert "`batch_size` must be divisible by the number of replicas (2" in message
    assert "Received: batch_size=3. Use 2 or 4" in message


def test_dataset_batch_must_divide_across_replicas(child_results):
    message = child_results["odd_dataset"]
    assert message is not None
    assert "`train` must be batched with a size divisible by the number" in message
    assert "use `ds.batch(2)` or `ds.batch(4)`" in message


def test_stateful_model_is_refused_with_two_replicas(child_results):
    message = child_results["stateful"]
    assert message is not None
    assert "`model` must not contain stateful recurrent layers" in message
    assert "rnn_0" in message


def test_model_built_outside_the_scope_is_refused(child_results):
    message = child_results["outside_scope"]
    assert message is not None
    assert "`model` must be created inside `strategy.scope()`" in message
    assert "Pass a factory" in message


# One replica needs no logical devices, so these run in this process. -------------


def test_factory_is_built_and_compiled_in_the_scope(build_regressor, regression_data):
    strategy = tf.distribute.MirroredStrategy(["CPU:0"])
    optimizer = keras.optimizers.Adam(0.01)  # created outside: fit copies it
    history = fit(
        build_regressor,
        regression_data,
        epochs=1,
        loss="mse",
        optimizer=optimizer,
        strategy=strategy,
        verbose=0,
    )
    model = history.model
    assert all(
        strategy.extended.variable_created_in_scope(w.value) for w in model.weights
    )
    assert model.optimizer is not optimizer
    assert model.optimizer.get_config()["learning_rate"] == pytest.approx(0.01)
    with pytest.raises(ValueError, match="must be created inside `strategy.scope"):
        fit(build_regressor(), regression_data, loss="mse", strategy=strategy)
    unbuilt = keras.Sequential([keras.layers.Dense(1)])  # no weights to inspect yet
    with pytest.raises(ValueError, match="must be created inside `strategy.scope"):
        fit(unbuilt, regression_data, loss="mse", strategy=strategy)


class _Replicas:
    """Stands in for a strategy where only the replica count matters."""

    def __init__(self, count=2):
        self.num_replicas_in_sync = count


def _stateful_lstm(name):
    return keras.layers.LSTM(2, stateful=True, name=name)


@pytest.mark.parametrize(
    ("wrap", "named"),
    [("plain", "memory"), ("bidirectional", "bi"), ("nested", "memory")],
)
def test_stateful_layers_are_found_wherever_they_hide(wrap, named):
    inputs = keras.Input(batch_shape=(4, 5, 2))
    if wrap == "plain":
        hidden = _stateful_lstm("memory")(inputs)
    elif wrap == "bidirectional":
        hidden = keras.layers.Bidirectional(_stateful_lstm("memory"), name="bi")(inputs)
    else:
        inner_inputs = keras.Input(batch_shape=(4, 5, 2))
        inner = keras.Model(inner_inputs, _stateful_lstm("memory")(inner_inputs))
        hidden = inner(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1)(hidden))
    with pytest.raises(ValueError, match=rf"stateful layers \['{named}'\]"):
        _check_distributable(model, _Replicas(), 4, None)


def test_replica_checks_pass_for_good_input(build_regressor):
    model = build_regressor()
    _check_distributable(model, _Replicas(), 4, None)
    unknown_batch = tf.data.Dataset.from_tensor_slices(np.zeros((5, 5, 2))).batch(3)
    _check_distributable(model, _Replicas(), None, unknown_batch)


@pytest.mark.parametrize(
    ("replicas", "batch_size", "remedy"),
    [(2, 3, "Use 2 or 4"), (3, 4, "Use 3 or 6"), (4, 2, "Use 4")],
)
def test_batch_size_remedy_names_the_nearest_multiples(
    build_regressor, replicas, batch_size, remedy
):
    with pytest.raises(ValueError, match=rf"batch_size={batch_size}\. {remedy}$"):
        _check_distributable(build_regressor(), _Replicas(replicas), batch_size, None)
