"""Tests for the fused-kernel report and explain() (rnn_zoo.models)."""

from __future__ import annotations

import keras
import numpy as np
import pytest

import rnn_zoo
from rnn_zoo.inspection.fused_kernels import (
    FusedKernelRecord,
    FusedKernelReport,
    fused_kernel_report,
)
from rnn_zoo.inspection.shapes import explain


def _model(layer: keras.layers.Layer, shape=(5, 3)) -> keras.Model:
    inputs = keras.Input(shape, name="x")
    outputs = layer(inputs)
    if isinstance(outputs, (list, tuple)):
        outputs = outputs[0]
    return keras.Model(inputs, keras.layers.Dense(1, name="head")(outputs))


def _text_model() -> keras.Model:
    """Embedding(mask_zero) -> LSTM(return_sequences) -> GRU -> Dense."""
    tokens = keras.Input((5,), dtype="int32", name="tokens")
    x = keras.layers.Embedding(20, 8, mask_zero=True, name="embed")(tokens)
    x = keras.layers.LSTM(6, return_sequences=True, name="lstm")(x)
    x = keras.layers.GRU(4, name="gru")(x)
    outputs = keras.layers.Dense(3, name="out")(x)
    return keras.Model(tokens, outputs, name="text")


def _quiet(model, sample=None) -> list[str]:
    return explain(model, sample, print_fn=lambda line: None)


# --------------------------------------------------------------------------
# fused_kernel_report
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("layer", "cell"),
    [(keras.layers.LSTM, "lstm"), (keras.layers.GRU, "gru")],
)
def test_default_lstm_and_gru_are_fused(layer, cell):
    report = fused_kernel_report(_model(layer(4, name="rnn")))
    assert report == [FusedKernelRecord("rnn", layer.__name__, cell, True, [], [])]
    assert report.all_fused


def test_lstm_relu_and_recurrent_dropout_give_two_reasons():
    layer = keras.layers.LSTM(4, activation="relu", recurrent_dropout=0.2, name="l")
    (record,) = fused_kernel_report(_model(layer))
    assert not record.fused
    assert record.reasons == [
        "activation='relu' (must be 'tanh')",
        "recurrent_dropout=0.2 (must be 0)",
    ]


@pytest.mark.parametrize(
    ("layer", "reasons"),
    [
        (keras.layers.GRU(4, reset_after=False), ["reset_after=False (must be True)"]),
        (keras.layers.LSTM(4, unroll=True), ["unroll=True (must be False)"]),
        (keras.layers.GRU(4, use_bias=False), ["use_bias=False (must be True)"]),
        (
            keras.layers.LSTM(4, recurrent_activation="hard_sigmoid"),
            ["recurrent_activation='hard_sigmoid' (must be 'sigmoid')"],
        ),
        (
            keras.layers.LSTM(4, use_cudnn=False),
            ["use_cudnn=False (must be 'auto' or True)"],
        ),
        (keras.layers.SimpleRNN(4), ["SimpleRNN has no fused cuDNN kernel"]),
        (
            keras.layers.RNN(keras.layers.LSTMCell(4)),
            [
                "RNN(LSTMCell) has no fused cuDNN kernel; use keras.layers.LSTM "
                "or keras.layers.GRU"
            ],
        ),
    ],
    ids=["gru-reset", "unroll", "bias", "hard-sigmoid", "no-cudnn", "simple", "rnn"],
)
def test_single_reason(layer, reasons):
    (record,) = fused_kernel_report(_model(layer))
    assert record.reasons == reasons
    assert record.fused is False


def test_cell_kinds():
    inputs = keras.Input((5, 3))
    x = keras.layers.SimpleRNN(2, return_sequences=True, name="s")(inputs)
    x = keras.layers.RNN(keras.layers.GRUCell(2), name="g")(x)
    report = fused_kernel_report(keras.Model(inputs, x))
    assert [(r.layer_class, r.cell) for r in report] == [
        ("SimpleRNN", "rnn"),
        ("RNN", "GRUCell"),
    ]


def test_bidirectional_reports_both_directions():
    bi = keras.layers.Bidirectional(
        keras.layers.LSTM(4, recurrent_dropout=0.1), name="bi"
    )
    report = fused_kernel_report(_model(bi))
    assert [r.layer for r in report] == ["bi/forward_lstm", "bi/backward_lstm"]
    assert [r.reasons for r in report] == [["recurrent_dropout=0.1 (must be 0)"]] * 2


def test_nested_model_layers_are_found():
    inner_in = keras.Input((5, 2))
    gru = keras.layers.GRU(4, reset_after=False, name="g")(inner_in)
    inner = keras.Model(inner_in, gru, name="enc")
    inputs = keras.Input((5, 3))
    x = keras.layers.LSTM(2, return_sequences=True, name="l")(inputs)
    report = fused_kernel_report(keras.Model(inputs, inner(x)))
    assert [(r.layer, r.fused) for r in report] == [("l", True), ("enc/g", False)]
    assert report[1].reasons == ["reset_after=False (must be True)"]


def test_masked_input_adds_a_note_not_a_reason():
    report = fused_kernel_report(_text_model())
    assert [r.layer for r in report] == ["lstm", "gru"]
    assert report.all_fused
    for record in report:
        assert len(record.notes) == 1
        assert "right-padded" in record.notes[0]
        assert "padding='post'" in record.notes[0]
    assert str(report).splitlines()[-1].startswith("note (lstm, gru): masked input")


def test_a_single_layer_and_a_model_without_rnns():
    (record,) = fused_kernel_report(keras.layers.GRU(3, unroll=True, name="solo"))
    assert record.layer == "solo"
    assert record.reasons == ["unroll=True (must be False)"]
    empty = fused_kernel_report(_model(keras.layers.Dense(2)))
    assert empty == []
    assert str(empty) == "No recurrent layers found."


def test_report_prints_a_table():
    inputs = keras.Input((5, 3))
    x = keras.layers.LSTM(2, return_sequences=True, name="lstm")(inputs)
    x = keras.layers.SimpleRNN(2, name="simple")(x)
    report = fused_kernel_report(keras.Model(inputs, x))
    assert isinstance(report, FusedKernelReport)
    assert str(report).splitlines() == [
        "layer   class      cell  fused  reasons",
        "lstm    LSTM       lstm  yes    -",
        "simple  SimpleRNN  rnn   no     SimpleRNN has no fused cuDNN kernel",
    ]
    assert not report.all_fused


def test_report_rejects_non_keras_objects():
    with pytest.raises(TypeError, match="`model` must be a keras.Model or keras layer"):
        fused_kernel_report("lstm")


# --------------------------------------------------------------------------
# explain
# --------------------------------------------------------------------------


def test_explain_without_sample_uses_axis_names():
    lines = _quiet(_text_model())
    text = "\n".join(lines)
    assert lines[0] == "Model 'text': 5 layers; shapes are (batch, timesteps, features)"
    assert "    output: (batch, timesteps=5) int32" in lines
    assert "    output: (batch, timesteps=5, features=8)" in lines
    assert "units=6, return_sequences=True, return_state=False, stateful=False" in text
    assert "LSTM state: [h (batch, units=6), c (batch, units=6)]" in text
    assert "GRU state: h (batch, units=4)" in text
    assert "return_sequences=False returns only the last step: (batch, units=4)" in text


def test_explain_with_sample_gives_concrete_shapes():
    printed = []
    sample = np.array([[3, 4, 5, 0, 0], [6, 7, 0, 0, 0]])
    lines = explain(_text_model(), sample, print_fn=printed.append)
    assert printed == lines
    assert lines[1] == "sizes from a sample of shape (2, 5)"
    # Layer order, each with its shapes right below.
    start = lines.index("lstm (LSTM)")
    assert lines[start : start + 7] == [
        "lstm (LSTM)",
        "    input:  (batch=2, timesteps=5, features=8)",
        "    output: (batch=2, timesteps=5, features=6)",
        "    units=6, return_sequences=True, return_state=False, stateful=False",
        "    LSTM state: [h (batch=2, units=6), c (batch=2, units=6)]",
        "    note: return_sequences=True returns every step: "
        "(batch=2, timesteps=5, units=6)",
        "    mask: receives a mask and skips masked steps; passes the mask on",
    ]
    text = "\n".join(lines)
    assert "    output: (batch=2, features=4)" in lines  # GRU: last step only
    assert (
        "return_sequences=False returns only the last step: (batch=2, units=4)" in text
    )
    assert "mask: receives a mask and skips masked steps; the mask stops here" in text
    assert "mask: creates a mask from token id 0 (mask_zero=True)" in text
    assert lines[-3:] == [
        "out (Dense)",
        "    input:  (batch=2, features=4)",
        "    output: (batch=2, features=3)",
    ]


def test_explain_is_reexported_at_top_level():
    assert rnn_zoo.explain is explain


def test_explain_bidirectional_states_and_merge_mode():
    bi = keras.layers.Bidirectional(
        keras.layers.LSTM(4, return_sequences=True, return_state=True), name="bi"
    )
    lines = _quiet(_model(bi), np.zeros((2, 5, 3), "float32"))
    text = "\n".join(lines)
    assert (
        "output: [output (batch=2, timesteps=5, features=8), h_fwd (batch=2, units=4), "
        "c_fwd (batch=2, units=4), h_bwd (batch=2, units=4), c_bwd (batch=2, units=4)]"
    ) in text
    assert (
        "Bidirectional(LSTM) state: forward [h (batch=2, units=4), c (batch=2, "
        "units=4)] + backward [h (batch=2, units=4), c (batch=2, units=4)]"
    ) in text
    assert "merge_mode='concat': forward and backward outputs are concatenated" in text
    assert "-> features=8" in text


@pytest.mark.parametrize(
    ("merge_mode", "expected"),
    [
        (
            "sum",
            "merge_mode='sum': forward and backward outputs are added -> features=4",
        ),
        (
            None,
            "merge_mode=None: forward and backward outputs are returned separately, "
            "features=4 each",
        ),
    ],
)
def test_explain_other_merge_modes(merge_mode, expected):
    bi = keras.layers.Bidirectional(keras.layers.GRU(4), merge_mode=merge_mode)
    lines = _quiet(_model(bi))
    assert f"    {expected}" in lines
    last_step = [line for line in lines if "returns only the last step" in line]
    assert len(last_step) == 1


def test_explain_gru_return_state_and_initial_state():
    inputs = keras.Input((5, 3), name="x")
    seq, h = keras.layers.GRU(4, return_sequences=True, return_state=True, name="enc")(
        inputs
    )
    out = keras.layers.GRU(4, go_backwards=True, name="dec")(seq, initial_state=h)
    lines = _quiet(keras.Model(inputs, out))
    assert (
        "    output: [output (batch, timesteps=5, features=4), h (batch, units=4)]"
        in (lines)
    )
    assert "    initial_state: (batch, units=4)" in lines
    assert any(line.endswith("stateful=False, go_backwards=True") for line in lines)


def test_explain_masking_layer():
    inputs = keras.Input((5, 3))
    x = keras.layers.Masking(mask_value=-1.0, name="pad")(inputs)
    x = keras.layers.Dense(2, name="proj")(x)
    model = keras.Model(inputs, keras.layers.SimpleRNN(2, name="s")(x))
    text = "\n".join(_quiet(model))
    assert "steps whose features all equal mask_value=-1.0 are skipped" in text
    assert "proj (Dense)" in text
    assert "mask: passes the incoming mask on" in text
    assert "SimpleRNN state: h (batch, units=2)" in text


def test_explain_nested_model_is_indented_with_concrete_shapes():
    inner_in = keras.Input((5, 3), name="inner_x")
    inner = keras.Model(inner_in, keras.layers.LSTM(2, name="l")(inner_in), name="enc")
    inputs = keras.Input((5, 3), name="x")
    model = keras.Model(inputs, keras.layers.Dense(1, name="head")(inner(inputs)))
    lines = _quiet(model, np.ones((2, 5, 3)))
    start = lines.index("enc (Functional, nested model)")
    assert lines[start + 1 : start + 6] == [
        "    input:  (batch=2, timesteps=5, features=3)",
        "    output: (batch=2, features=2)",
        "  inner_x (InputLayer)",
        "      output: (batch=2, timesteps=5, features=3) float32",
        "  l (LSTM)",
    ]


def test_explain_sequential_built_from_the_sample():
    model = keras.Sequential([keras.layers.LSTM(3, name="l"), keras.layers.Dense(1)])
    lines = _quiet(model, np.zeros((2, 5, 4)))
    assert "    input:  (batch=2, timesteps=5, features=4)" in lines
    assert model.built
    assert model.inputs[0].shape == (None, 5, 4)


def test_explain_does_not_change_stateful_states():
    inputs = keras.Input(batch_shape=(2, 5, 3))
    model = keras.Model(inputs, keras.layers.GRU(2, stateful=True, name="g")(inputs))
    before = keras.ops.convert_to_numpy(model.get_layer("g").states[0])
    _quiet(model, np.ones((2, 5, 3)))
    after = keras.ops.convert_to_numpy(model.get_layer("g").states[0])
    np.testing.assert_array_equal(before, after)
    assert model(np.ones((2, 5, 3))).shape == (2, 2)


def test_explain_multi_input_model():
    a = keras.Input((5, 3), name="a")
    b = keras.Input((2,), name="b")
    x = keras.layers.Concatenate(name="cat")([keras.layers.GRU(4, name="g")(a), b])
    model = keras.Model([a, b], x)
    lines = _quiet(model, [np.zeros((2, 5, 3)), np.zeros((2, 2))])
    assert "    input:  [(batch=2, features=4), (batch=2, features=2)]" in lines
    with pytest.raises(TypeError, match="`sample` must be a list of 2 arrays"):
        _quiet(model, np.zeros((2, 5, 3)))
    with pytest.raises(ValueError, match=r"`sample\[1\]` must be an array of shape"):
        _quiet(model, [np.zeros((2, 5, 3)), np.zeros((2, 3))])


@pytest.mark.parametrize("shape", [(2, 4, 3), (2, 5, 2), (5, 3)])
def test_sample_shape_mismatch(shape):
    with pytest.raises(ValueError, match="`sample` must be an array of shape") as e:
        _quiet(_model(keras.layers.LSTM(2)), np.zeros(shape))
    message = str(e.value)
    assert "(batch, 5, 3) (the model's input shape)" in message
    assert f"Received: sample=array(shape={shape}" in message


def test_sample_errors():
    model = _model(keras.layers.LSTM(2))
    with pytest.raises(ValueError, match="`sample` must be a non-empty batch"):
        _quiet(model, np.zeros((0, 5, 3)))
    with pytest.raises(TypeError, match="`sample` must be a numeric array"):
        _quiet(model, np.full((2, 5, 3), "a"))


def test_explain_argument_errors():
    with pytest.raises(TypeError, match="`model` must be a keras.Model") as e:
        explain(keras.layers.LSTM(2))
    assert "Received: model=<LSTM" in str(e.value)
    with pytest.raises(TypeError, match="`print_fn` must be a callable"):
        explain(_model(keras.layers.LSTM(2)), print_fn="stdout")
    with pytest.raises(ValueError, match="input shape is known"):
        explain(keras.Sequential([keras.layers.LSTM(2)]))

    class Subclassed(keras.Model):
        def call(self, x):
            return x

    with pytest.raises(ValueError, match="`model` must be a Functional or Sequential"):
        explain(Subclassed(), np.zeros((2, 5, 3)))


def test_rnn_inside_a_custom_layer_is_found():
    class Encoder(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.rnn = keras.layers.GRU(3, unroll=True, name="inner_gru")

        def call(self, x):
            return self.rnn(x)

    (record,) = fused_kernel_report(_model(Encoder(name="encoder")))
    assert record.layer == "encoder/inner_gru"
    assert record.reasons == ["unroll=True (must be False)"]


def test_report_pretty_printer_shows_the_table():
    report = fused_kernel_report(_model(keras.layers.LSTM(2, name="l")))

    class Printer:
        text_seen = ""

        def text(self, value):
            self.text_seen += value

    printer = Printer()
    report._repr_pretty_(printer, False)
    assert printer.text_seen == str(report)


def test_explain_mask_consumed_by_pooling_and_rank_four_shapes():
    inputs = keras.Input((5, 3))
    x = keras.layers.Masking(name="pad")(inputs)
    pooled = keras.layers.GlobalAveragePooling1D(name="pool")(x)
    grid = keras.layers.Reshape((5, 3, 1), name="grid")(inputs)
    model = keras.Model(inputs, [pooled, grid])
    lines = _quiet(model, np.ones((2, 5, 3)))
    start = lines.index("pool (GlobalAveragePooling1D)")
    assert lines[start + 3] == (
        "    mask: the incoming mask stops here (this layer does not pass it on)"
    )
    assert "    output: (batch=2, 5, 3, 1)" in lines
    assert "    output: (batch, 5, 3, 1)" in _quiet(model)


def test_sequential_that_cannot_be_built_from_the_sample():
    model = keras.Sequential([keras.layers.LSTM(3)])
    with pytest.raises(ValueError, match="`sample` must be an array whose shape") as e:
        _quiet(model, np.zeros((2, 5)))
    assert "expected ndim=3, found ndim=2" in str(e.value)


# ---------------------------------- issue 11 row 10: the trace is shown only once


def test_explain_returns_a_report_that_displays_itself_once(capsys):
    model = _model(keras.layers.LSTM(2, name="lstm"))
    report = explain(model)
    assert capsys.readouterr().out == ""  # nothing printed: Jupyter shows the repr
    text = repr(report)
    assert text == str(report) == "\n".join(report)
    assert "lstm (LSTM)" in text
    assert "<pre>" in report._repr_html_() and "lstm (LSTM)" in report._repr_html_()
    printed = []
    assert explain(model, print_fn=printed.append) == printed
