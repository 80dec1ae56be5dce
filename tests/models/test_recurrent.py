"""Tests for recurrent_stack, build_sequence_classifier and build_sequence_regressor.

Cheap symbolic variants are looped inside a test rather than parametrized, to keep
the number of (seeded, session-clearing) tests small. Training steps run eagerly
(``run_eagerly=True``) for speed; one test runs the compiled train step on a
masked model.
"""

from __future__ import annotations

import itertools

import keras
import numpy as np
import pytest

from rnn_zoo.models.recurrent import (
    build_sequence_classifier,
    build_sequence_regressor,
    recurrent_stack,
)
from tests.models.builder_checks import assert_round_trip, predict, two_training_steps

CELLS = ("lstm", "gru", "rnn")
GATES = {"lstm": 4, "gru": 3, "rnn": 1}
# (bidirectional, num_layers) combinations every builder is checked with.
VARIANTS = list(itertools.product([False, True], [1, 2]))


def _recurrent_layers(layer):
    """The plain RNN layers inside ``layer`` (itself, or a Bidirectional's two)."""
    if isinstance(layer, keras.layers.Bidirectional):
        return [layer.forward_layer, layer.backward_layer]
    return [layer]


def _stack_model(x_shape=(5, 3), **kwargs):
    inputs = keras.Input(shape=x_shape)
    return keras.Model(inputs, recurrent_stack(inputs, **kwargs))


def _weights(layer):
    cell = layer.cell
    return tuple(
        keras.ops.convert_to_numpy(w)
        for w in (cell.kernel, cell.recurrent_kernel, cell.bias)
    )


# ---------------------------------------------------------------- recurrent_stack


@pytest.mark.parametrize("cell", CELLS)
def test_stack_output_shape(cell):
    for (bidirectional, num_layers), return_sequences in itertools.product(
        VARIANTS, [False, True]
    ):
        outputs = recurrent_stack(
            keras.Input(shape=(5, 3)),
            cell=cell,
            units=4,
            num_layers=num_layers,
            bidirectional=bidirectional,
            return_sequences=return_sequences,
        )
        width = 8 if bidirectional else 4
        expected = (None, 5, width) if return_sequences else (None, width)
        assert outputs.shape == expected


def test_stack_merge_mode_sets_width():
    for merge_mode, width in [("concat", 8), ("sum", 4), ("ave", 4), ("mul", 4)]:
        out = recurrent_stack(
            keras.Input(shape=(5, 3)),
            units=4,
            bidirectional=True,
            merge_mode=merge_mode,
        )
        assert out.shape == (None, width)


def test_stack_layer_names_with_dropout_and_bidirectional():
    model = _stack_model(
        units=4, num_layers=2, dropout=0.2, bidirectional=True, name="enc"
    )
    names = [layer.name for layer in model.layers[1:]]
    assert names == ["enc_0", "enc_dropout_0", "enc_1", "enc_dropout_1"]
    inner = _recurrent_layers(model.get_layer("enc_1"))
    assert [layer.name for layer in inner] == ["forward_enc_1", "backward_enc_1"]
    assert model.get_layer("enc_dropout_0").rate == 0.2


def test_stack_units_per_layer_and_return_sequences():
    model = _stack_model(units=[6, 5, 4])
    layers = [model.get_layer(f"rnn_{i}") for i in range(3)]
    assert [layer.units for layer in layers] == [6, 5, 4]
    assert [layer.return_sequences for layer in layers] == [True, True, False]
    model = _stack_model(cell="gru", units=4, num_layers=3)
    assert [layer.units for layer in model.layers[1:]] == [4, 4, 4]
    assert len(_stack_model(units=[4, 4], num_layers=2).layers) == 3


@pytest.mark.parametrize("cell", CELLS)
def test_stack_return_state(cell, rng):
    x = rng.normal(size=(2, 5, 3)).astype("float32")
    for bidirectional in (False, True):
        inputs = keras.Input(shape=(5, 3))
        out, states = recurrent_stack(
            inputs,
            cell=cell,
            units=4,
            num_layers=2,
            bidirectional=bidirectional,
            return_state=True,
        )
        n_states = (2 if cell == "lstm" else 1) * (2 if bidirectional else 1)
        assert len(states) == n_states
        values = keras.Model(inputs, [out, *states])(x)
        out_value, *state_values = (keras.ops.convert_to_numpy(v) for v in values)
        # The forward direction's final hidden state is the (last-step) output.
        np.testing.assert_allclose(state_values[0], out_value[:, :4], atol=1e-6)


@pytest.mark.parametrize("cell", CELLS)
def test_stack_defaults_keep_cudnn_conditions(cell):
    model = _stack_model(cell=cell, units=4, num_layers=2, bidirectional=True)
    for name in ("rnn_0", "rnn_1"):
        for layer in _recurrent_layers(model.get_layer(name)):
            assert layer.cell.activation is keras.activations.tanh
            assert layer.recurrent_dropout == 0
            assert layer.unroll is False
            assert layer.cell.use_bias is True
            if cell != "rnn":
                assert layer.cell.recurrent_activation is keras.activations.sigmoid
            if cell == "gru":
                assert layer.cell.reset_after is True


def test_stack_recurrent_dropout_and_stateful_passed_through():
    model = _stack_model(units=4, num_layers=2, recurrent_dropout=0.25)
    assert [layer.recurrent_dropout for layer in model.layers[1:]] == [0.25, 0.25]
    inputs = keras.Input(shape=(5, 3), batch_size=2)
    model = keras.Model(inputs, recurrent_stack(inputs, units=4, stateful=True))
    assert model.get_layer("rnn_0").stateful is True
    with pytest.raises(ValueError, match="fixed batch size when `stateful=True`"):
        recurrent_stack(keras.Input(shape=(5, 3)), units=4, stateful=True)


# ---------------------------------------------------------------- initializers


def test_zeros_initializer_gives_zero_weights():
    for cell in CELLS:
        model = _stack_model(
            cell=cell,
            units=4,
            kernel_initializer="zeros",
            recurrent_initializer="zeros",
            unit_forget_bias=False,
        )
        for weights in _weights(model.get_layer("rnn_0")):
            np.testing.assert_array_equal(weights, 0.0)


def test_constant_initializer_instance_dict_and_string():
    constant = {"class_name": "Constant", "config": {"value": 0.1}}
    for initializer in (keras.initializers.Constant(0.1), constant):
        model = _stack_model(
            cell="gru",
            units=4,
            kernel_initializer=initializer,
            recurrent_initializer=initializer,
            bias_initializer=initializer,
        )
        for weights in _weights(model.get_layer("rnn_0")):
            np.testing.assert_allclose(weights, 0.1)
    # The bare string "constant" is Keras' default Constant(0.0).
    model = _stack_model(cell="rnn", units=4, kernel_initializer="constant")
    np.testing.assert_array_equal(_weights(model.get_layer("rnn_0"))[0], 0.0)


def test_orthogonal_recurrent_kernel():
    # SimpleRNN: the (units, units) recurrent kernel is an orthogonal matrix.
    kernel = _weights(_stack_model(cell="rnn", units=4).get_layer("rnn_0"))[1]
    np.testing.assert_allclose(kernel.T @ kernel, np.eye(4), atol=1e-5)
    # LSTM: Keras makes the whole (units, 4 * units) kernel orthogonal: its rows
    # are orthonormal.
    kernel = _weights(_stack_model(cell="lstm", units=4).get_layer("rnn_0"))[1]
    assert kernel.shape == (4, 16)
    np.testing.assert_allclose(kernel @ kernel.T, np.eye(4), atol=1e-5)


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_glorot_uniform_bound_and_xavier_alias(cell):
    fan_in, fan_out = 30, GATES[cell] * 8
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    for initializer in ("glorot_uniform", "xavier", "xavier_uniform"):
        model = _stack_model(
            x_shape=(5, fan_in), cell=cell, units=8, kernel_initializer=initializer
        )
        layer = model.get_layer("rnn_0")
        kernel = _weights(layer)[0]
        assert kernel.shape == (fan_in, fan_out)
        assert np.abs(kernel).max() <= limit
        assert np.abs(kernel).max() > 0.8 * limit  # spread over the interval
        assert isinstance(
            layer.cell.kernel_initializer, keras.initializers.GlorotUniform
        )


def test_unit_forget_bias_lstm_only():
    model = _stack_model(cell="lstm", units=4, num_layers=2)
    for name in ("rnn_0", "rnn_1"):
        bias = _weights(model.get_layer(name))[2]
        np.testing.assert_array_equal(bias[4:8], 1.0)  # gate order i, f, c, o
        np.testing.assert_array_equal(np.delete(bias, np.s_[4:8]), 0.0)
    model = _stack_model(cell="lstm", units=4, unit_forget_bias=False)
    np.testing.assert_array_equal(_weights(model.get_layer("rnn_0"))[2], 0.0)
    model = _stack_model(cell="gru", units=4, unit_forget_bias=True)
    np.testing.assert_array_equal(_weights(model.get_layer("rnn_0"))[2], 0.0)


def test_shared_unseeded_initializer_differs_per_layer():
    model = _stack_model(
        units=4, num_layers=2, recurrent_initializer=keras.initializers.Orthogonal()
    )
    first = _weights(model.get_layer("rnn_0"))[1]
    second = _weights(model.get_layer("rnn_1"))[1]
    assert not np.allclose(first, second)


# ---------------------------------------------------------------- stack errors


def _assert_stack_raises(cases):
    for kwargs, error, match in cases:
        with pytest.raises(error, match=match):
            recurrent_stack(keras.Input(shape=(5, 3)), **{"units": 4, **kwargs})


def test_stack_rejects_unknown_cell():
    _assert_stack_raises(
        [({"cell": "tcn"}, ValueError, "`cell` must be one of 'lstm', 'gru', 'rnn'")]
    )


def test_stack_rejects_bad_units_and_num_layers():
    _assert_stack_raises(
        [
            ({"units": 0}, ValueError, "`units` must be .*Received: units=0"),
            ({"units": -3}, ValueError, "`units` must be a positive integer"),
            ({"units": 2.5}, TypeError, "`units` must be a positive integer"),
            ({"units": [4, 0]}, ValueError, r"`units` must be .* list of positive"),
            ({"units": []}, ValueError, r"`units` must be .* non-empty list"),
            ({"units": [4, "8"]}, TypeError, r"Received: units=\[4, '8'\]"),
            ({"num_layers": 0}, ValueError, "`num_layers` must be a positive integer"),
            (
                {"units": [4, 4], "num_layers": 3},
                ValueError,
                r"`num_layers` must be None or equal to len\(units\)=2",
            ),
        ]
    )


def test_stack_rejects_dropout_outside_unit_interval_never_clamps():
    _assert_stack_raises(
        [
            (
                {"dropout": 1.0},
                ValueError,
                r"`dropout` must be a number in \[0.0, 1.0\)",
            ),
            ({"dropout": -0.1}, ValueError, "Received: dropout=-0.1"),
            ({"recurrent_dropout": 1.0}, ValueError, "`recurrent_dropout` must be"),
            ({"recurrent_dropout": -0.5}, ValueError, "`recurrent_dropout` must be"),
        ]
    )


def test_stack_rejects_unknown_merge_mode():
    _assert_stack_raises(
        [
            ({"merge_mode": "max"}, ValueError, "`merge_mode` must be one of 'concat'"),
            ({"merge_mode": None}, ValueError, "`merge_mode` must be one of"),
        ]
    )


def test_stack_rejects_unknown_initializers():
    _assert_stack_raises(
        [
            (
                {"kernel_initializer": "foo"},
                ValueError,
                "`kernel_initializer` must be a Keras initializer name such as "
                "'glorot_uniform'",
            ),
            (
                {"recurrent_initializer": "orthogonl"},
                ValueError,
                "Received: recurrent_initializer='orthogonl'",
            ),
            ({"bias_initializer": {"class_name": "Nope"}}, ValueError, "`bias_init"),
            ({"bias_initializer": 3}, TypeError, "`bias_initializer` must be"),
        ]
    )


def test_stack_rejects_wrong_types_and_inputs():
    _assert_stack_raises(
        [
            ({"bidirectional": "yes"}, TypeError, "`bidirectional` must be a bool"),
            ({"return_sequences": 1}, TypeError, "`return_sequences` must be a bool"),
            ({"name": None}, TypeError, "`name` must be a string"),
        ]
    )
    with pytest.raises(TypeError, match="`inputs` must be a symbolic Keras tensor"):
        recurrent_stack(np.zeros((2, 5, 3)))
    with pytest.raises(ValueError, match=r"Received: inputs=\(None, 5\)"):
        recurrent_stack(keras.Input(shape=(5,)))


# ---------------------------------------------------------------- classifier


@pytest.mark.parametrize("cell", CELLS)
def test_classifier_shape_and_names(cell, rng):
    tokens = rng.integers(1, 10, size=(2, 5))
    for bidirectional, num_layers in VARIANTS:
        model = build_sequence_classifier(
            vocab_size=10,
            num_classes=3,
            embedding_dim=4,
            cell=cell,
            units=4,
            num_layers=num_layers,
            bidirectional=bidirectional,
            dropout=0.1,
        )
        names = [layer.name for layer in model.layers]
        stack = []
        for i in range(num_layers):
            stack += [f"rnn_{i}", f"rnn_dropout_{i}"]
        assert names == ["tokens", "embedding", *stack, "logits"]
        assert len(set(names)) == len(names)
        assert predict(model, tokens).shape == (2, 3)


def test_builders_return_uncompiled_functional_models():
    for model in (
        build_sequence_classifier(5, 2, units=4),
        build_sequence_regressor(5, 2, units=4),
    ):
        assert isinstance(model, keras.Model)
        assert model.__class__.__name__ == "Functional"
        assert not model.compiled


@pytest.mark.parametrize("cell", CELLS)
def test_classifier_padding_is_masked(cell):
    for bidirectional in (False, True):
        model = build_sequence_classifier(
            vocab_size=10,
            embedding_dim=4,
            cell=cell,
            units=4,
            num_layers=2,
            bidirectional=bidirectional,
        )
        unpadded = predict(model, np.array([[3, 4, 5], [6, 2, 9]]))
        padded = predict(model, np.array([[3, 4, 5, 0, 0], [6, 2, 9, 0, 0]]))
        np.testing.assert_allclose(padded, unpadded, atol=1e-6)
    # Without the mask the padding steps change the answer.
    model = build_sequence_classifier(
        vocab_size=10, embedding_dim=4, cell=cell, units=4, mask_zero=False
    )
    unpadded = predict(model, np.array([[3, 4, 5]]))
    padded = predict(model, np.array([[3, 4, 5, 0, 0]]))
    assert np.abs(padded - unpadded).max() > 1e-6


@pytest.mark.parametrize("num_classes, activation", [(2, "sigmoid"), (4, "softmax")])
def test_classifier_logits_and_probabilities(num_classes, activation, rng):
    width = 1 if num_classes == 2 else num_classes
    x = rng.normal(size=(2, 5, 3)).astype("float32")
    model = build_sequence_classifier(5, 3, num_classes=num_classes, units=4)
    assert model.input_shape == (None, 5, 3)
    assert model.layers[-1].name == "logits"
    assert predict(model, x).shape == (2, width)

    model = build_sequence_classifier(
        5, 3, num_classes=num_classes, output_activation=activation, units=4
    )
    assert model.layers[-1].name == "probabilities"
    logits = keras.Model(model.input, model.get_layer("logits").output)
    expected = keras.ops.convert_to_numpy(
        keras.activations.get(activation)(predict(logits, x))
    )
    probabilities = predict(model, x)
    assert probabilities.shape == (2, width)
    np.testing.assert_allclose(probabilities, expected, atol=1e-6)
    if activation == "softmax":
        np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-6)


def test_classifier_variable_length_numeric_input(rng):
    model = build_sequence_classifier(None, 3, units=4, cell="gru")
    assert model.input_shape == (None, None, 3)
    for steps in (2, 7):
        x = rng.normal(size=(2, steps, 3)).astype("float32")
        assert predict(model, x).shape == (2, 1)


@pytest.mark.parametrize(
    "cell, bidirectional, num_layers",
    [("lstm", False, 1), ("gru", True, 1), ("rnn", False, 2)],
)
def test_classifier_training_step_and_round_trip(
    cell, bidirectional, num_layers, rng, tmp_path
):
    model = build_sequence_classifier(
        vocab_size=10,
        num_classes=3,
        embedding_dim=4,
        cell=cell,
        units=4,
        num_layers=num_layers,
        bidirectional=bidirectional,
    )
    tokens = rng.integers(1, 10, size=(2, 5))
    labels = np.array([0, 2])
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    first, second = two_training_steps(model, tokens, labels, loss)
    assert np.isfinite(first) and second < first
    assert_round_trip(model, tokens, tmp_path)


def test_classifier_compiled_training_step_with_mask():
    model = build_sequence_classifier(vocab_size=10, embedding_dim=4, units=4)
    tokens = np.array([[3, 4, 5, 0, 0], [6, 2, 9, 1, 0]])
    labels = np.array([[0.0], [1.0]])
    loss = keras.losses.BinaryCrossentropy(from_logits=True)
    first, second = two_training_steps(model, tokens, labels, loss, run_eagerly=False)
    assert np.isfinite(first) and second < first


def test_classifier_rejects_bad_input_description():
    cases = [
        ((), {}, "`n_features` must be a positive integer when `vocab_size` is None"),
        ((5, 3), {"vocab_size": 10}, "`n_features` must be None when `vocab_size`"),
        ((), {"vocab_size": 1}, "`vocab_size` must be an integer >= 2"),
        ((0, 3), {}, "`timesteps` must be a positive integer or None"),
        ((), {"vocab_size": 10, "embedding_dim": 0}, "`embedding_dim` must be"),
    ]
    for args, kwargs, match in cases:
        with pytest.raises(ValueError, match=match):
            build_sequence_classifier(*args, **kwargs)


def test_classifier_rejects_bad_hyperparameters():
    cases = [
        ({"num_classes": 1}, "`num_classes` must be an integer >= 2"),
        ({"output_activation": "relu"}, "`output_activation` must be one of"),
        (
            {"output_activation": "softmax"},
            "`output_activation` must be None or 'sigmoid' when `num_classes=2`",
        ),
        ({"units": 0}, "`units` must be a positive integer"),
        ({"dropout": 1.0}, "`dropout` must be a number in"),
        ({"cell": "transformer"}, "`cell` must be one of"),
    ]
    for kwargs, match in cases:
        with pytest.raises(ValueError, match=match):
            build_sequence_classifier(5, 3, **kwargs)


# ---------------------------------------------------------------- regressor


@pytest.mark.parametrize("cell", CELLS)
def test_regressor_shape_and_names(cell, rng):
    x = rng.normal(size=(2, 5, 3)).astype("float32")
    for bidirectional, num_layers in VARIANTS:
        model = build_sequence_regressor(
            5,
            3,
            n_outputs=2,
            cell=cell,
            units=4,
            num_layers=num_layers,
            bidirectional=bidirectional,
        )
        rnn = [f"rnn_{i}" for i in range(num_layers)]
        names = [layer.name for layer in model.layers]
        assert names == ["features", *rnn, "prediction"]
        assert model.get_layer("prediction").activation is keras.activations.linear
        assert predict(model, x).shape == (2, 2)


@pytest.mark.parametrize("cell, bidirectional", [("lstm", True), ("gru", False)])
def test_regressor_training_step_and_round_trip(cell, bidirectional, rng, tmp_path):
    model = build_sequence_regressor(
        5, 3, n_outputs=2, cell=cell, units=4, bidirectional=bidirectional
    )
    x = rng.normal(size=(2, 5, 3)).astype("float32")
    y = rng.normal(size=(2, 2)).astype("float32")
    first, second = two_training_steps(model, x, y, "mse")
    assert np.isfinite(first) and second < first
    assert_round_trip(model, x, tmp_path)


def test_regressor_rejects_bad_arguments():
    cases = [
        ((5, 0), {}, "`n_features` must be a positive integer"),
        ((0, 3), {}, "`timesteps` must be a positive integer or None"),
        ((5, 3), {"n_outputs": 0}, "`n_outputs` must be a positive integer"),
        ((5, 3), {"merge_mode": "max"}, "`merge_mode` must be one of"),
        ((5, 3), {"kernel_initializer": "xavierr"}, "`kernel_initializer` must be"),
    ]
    for args, kwargs, match in cases:
        with pytest.raises(ValueError, match=match):
            build_sequence_regressor(*args, **kwargs)


# ---------------------------- the shared recurrent-stack arguments (one definition)


def test_builders_share_one_definition_of_the_stack_arguments():
    import inspect

    from rnn_zoo.models import build_char_lm, build_forecaster
    from rnn_zoo.models._stack_arguments import STACK_ARGUMENTS

    names = [argument.name for argument in STACK_ARGUMENTS]
    builders = {
        build_sequence_classifier: 64,
        build_sequence_regressor: 64,
        build_forecaster: 32,
        build_char_lm: 256,
    }
    for builder, units in builders.items():
        parameters = inspect.signature(builder).parameters
        expected = [n for n in names if n in parameters]
        assert list(parameters)[-len(expected) - 1 : -1] == expected  # before name
        assert parameters["units"].default == units
        assert "units: Width of every recurrent layer" in builder.__doc__
        assert "{stack_args}" not in builder.__doc__
        with pytest.raises(TypeError, match="unexpected keyword argument 'unit'"):
            builder(5, 3, unit=4) if builder is not build_char_lm else builder(
                5, unit=4
            )
    assert "bidirectional" not in inspect.signature(build_char_lm).parameters
    with pytest.raises(TypeError, match="'bidirectional'"):
        build_char_lm(5, bidirectional=True)  # a causal LM must not read ahead
