"""build_seq2seq and its inference models: shapes, masks, step == teacher forcing."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from rnn_zoo.models import load_model
from rnn_zoo.models.attention import AttentiveDecoder, BahdanauAttention, LuongAttention
from rnn_zoo.models.seq2seq import build_inference_models, build_seq2seq
from tests.models.builder_checks import predict, two_training_steps

SRC = np.array([[5, 6, 7, 8, 0, 0], [9, 4, 0, 0, 0, 0]], dtype="int32")
TGT_IN = np.array([[2, 5, 6, 7], [2, 8, 0, 0]], dtype="int32")  # start id 2
TGT_OUT = np.array([[5, 6, 7, 3], [8, 3, 0, 0]], dtype="int32")  # end id 3

VARIANTS = [
    pytest.param(dict(cell="gru", attention="bahdanau"), id="gru-bahdanau"),
    pytest.param(
        dict(cell="gru", attention="bahdanau", wiring="bahdanau"),
        id="gru-bahdanau-wired-bahdanau",
    ),
    pytest.param(
        dict(cell="lstm", attention="luong", wiring="bahdanau"),
        id="lstm-luong-wired-bahdanau",
    ),
    pytest.param(dict(cell="lstm", attention="luong"), id="lstm-luong-general"),
    pytest.param(
        dict(cell="gru", attention="luong", attention_score="dot"), id="gru-luong-dot"
    ),
    pytest.param(
        dict(cell="lstm", attention=None, encoder_bidirectional=False),
        id="lstm-none-unidirectional",
    ),
    pytest.param(
        dict(cell="gru", attention="bahdanau", encoder_bidirectional=False),
        id="gru-bahdanau-unidirectional",
    ),
]


def _model(**kwargs):
    return build_seq2seq(12, 10, embedding_dim=4, units=3, **kwargs)


def _step_by_step(model, source, target_in):
    """Run the inference models one target token at a time, carrying the state."""
    inference = build_inference_models(model)
    encoder_outputs, *states = map(np.asarray, inference.encoder(source))
    mask = source != 0
    logits, weights = [], []
    for t in range(target_in.shape[1]):
        out = inference.decoder_step(
            [target_in[:, t : t + 1], encoder_outputs, mask, *states]
        )
        logits.append(np.asarray(out[0])[:, 0])
        if inference.has_attention:
            weights.append(np.asarray(out[1])[:, 0])
        states = [np.asarray(s) for s in out[-inference.num_states :]]
    return np.stack(logits, 1), (np.stack(weights, 1) if weights else None)


@pytest.mark.parametrize("kwargs", VARIANTS)
def test_step_by_step_decoder_equals_teacher_forcing(kwargs):
    model = _model(**kwargs)
    expected = predict(model, [SRC, TGT_IN])
    assert expected.shape == (2, 4, 10)
    logits, weights = _step_by_step(model, SRC, TGT_IN)
    # compare real (unpadded) target steps only
    np.testing.assert_allclose(logits[0], expected[0], atol=1e-5)
    np.testing.assert_allclose(logits[1, :2], expected[1, :2], atol=1e-5)
    if kwargs["attention"] is None:
        assert weights is None
    else:
        assert weights.shape == (2, 4, 6)
        assert np.all(weights[0, :, 4:] == 0) and np.all(weights[1, :, 2:] == 0)
        np.testing.assert_allclose(weights.sum(-1), 1.0, atol=1e-6)


@pytest.mark.parametrize("kwargs", VARIANTS[:2])
def test_source_padding_does_not_change_the_output(kwargs):
    model = _model(**kwargs)
    short = predict(model, [SRC[:, :4], TGT_IN])
    long = predict(model, [np.pad(SRC, ((0, 0), (0, 5))), TGT_IN])
    np.testing.assert_allclose(short, long, atol=1e-6)
    other = SRC.copy()
    other[1, 1] = 7  # negative control: a real source token matters
    assert not np.allclose(predict(model, [other, TGT_IN])[1], short[1], atol=1e-4)


def test_loss_skips_padded_target_steps():
    model = _model(cell="gru", attention="bahdanau")
    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    base = model.evaluate([SRC, TGT_IN], TGT_OUT, verbose=0)
    junk = TGT_OUT.copy()
    junk[1, 2:] = [7, 9]  # labels under padded decoder inputs
    assert model.evaluate([SRC, TGT_IN], junk, verbose=0) == pytest.approx(base)
    junk[0, 0] = 9  # negative control
    assert model.evaluate([SRC, TGT_IN], junk, verbose=0) != pytest.approx(base)


@pytest.mark.parametrize("kwargs", [VARIANTS[0], VARIANTS[1]])
def test_trains_and_round_trips_through_keras_file(kwargs, tmp_path):
    model = _model(**kwargs)
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    first, second = two_training_steps(model, [SRC, TGT_IN], TGT_OUT, loss)
    assert np.isfinite(first) and second < first
    # initial loss is about log(vocab) before training (uniform guessing)
    assert first == pytest.approx(np.log(10), abs=0.3)

    path = tmp_path / "seq2seq.keras"
    model.save(path)
    loaded = load_model(path)
    np.testing.assert_allclose(
        predict(loaded, [SRC, TGT_IN]), predict(model, [SRC, TGT_IN]), atol=1e-6
    )
    np.testing.assert_allclose(
        _step_by_step(loaded, SRC, TGT_IN)[0],
        _step_by_step(model, SRC, TGT_IN)[0],
        atol=1e-6,
    )


def test_layers_are_named_and_fused_kernel_ready():
    model = _model(cell="lstm", attention="bahdanau", dropout=0.1)
    names = {layer.name for layer in model.layers}
    assert {
        "source",
        "target_in",
        "source_embedding",
        "target_embedding",
        "encoder_0",
        "encoder_dropout_0",
        "encoder_state_h",
        "encoder_state_c",
        "decoder",
        "attention",
        "attention_concat",
        "attention_vector",
        "decoder_dropout",
        "logits",
    } == names
    for layer in (
        model.get_layer("decoder"),
        model.get_layer("encoder_0").forward_layer,
    ):
        config = layer.get_config()
        assert config["activation"] == "tanh"
        assert config["recurrent_activation"] == "sigmoid"
        assert config["recurrent_dropout"] == 0 and config["unroll"] is False
    assert model.get_layer("attention").units == 6  # decoder width 2 * units


def _first_step(model, first_token, keys_scale=1.0):
    """Attention weights and new states of decoder step 0 (token, scaled keys)."""
    inference = build_inference_models(model)
    keys, *states = map(np.asarray, inference.encoder(SRC))
    token = np.full((2, 1), first_token, dtype="int32")
    out = inference.decoder_step([token, keys * keys_scale, SRC != 0, *states])
    return np.asarray(out[1]), [np.asarray(s) for s in out[2:]]


@pytest.mark.parametrize("wiring", ["luong", "bahdanau"])
def test_wiring_decides_the_query_and_where_the_context_goes(wiring):
    keras.utils.set_random_seed(0)
    model = _model(cell="gru", attention="bahdanau", wiring=wiring)
    embeddings = model.get_layer("target_embedding").embeddings
    embeddings.assign(embeddings * 20.0)  # tokens that move the state visibly
    score = build_inference_models(model).attention_layer.score_vector
    score.assign(score * 20.0)  # and scores that differ visibly
    weights, states = _first_step(model, 2)
    other_weights, _ = _first_step(model, 5)
    _, other_states = _first_step(model, 2, keys_scale=3.0)
    changed_states = not np.allclose(states[0], other_states[0], atol=1e-6)
    if wiring == "bahdanau":
        # query = previous state: step 0 attends before reading its token ...
        np.testing.assert_array_equal(weights, other_weights)
        # ... and the context is part of the RNN's input
        assert changed_states
    else:
        # query = the RNN's output after reading the token; context after the RNN
        assert np.abs(weights - other_weights).max() > 1e-3
        assert not changed_states
    inference = build_inference_models(model)
    assert inference.wiring == wiring
    assert isinstance(inference.attention_layer, BahdanauAttention)


def test_bahdanau_wiring_layers_and_bad_wiring():
    model = _model(cell="lstm", attention="luong", wiring="bahdanau", dropout=0.1)
    names = {layer.name for layer in model.layers}
    assert {"decoder", "attention_vector", "logits"} <= names
    assert not {"attention", "attention_concat"} & names  # inside the cell
    decoder = model.get_layer("decoder")
    assert isinstance(decoder, AttentiveDecoder) and decoder.units == 6
    assert isinstance(decoder.cell.attention, LuongAttention)
    encoder = model.get_layer("encoder_0").forward_layer.get_config()
    assert encoder["recurrent_dropout"] == 0 and encoder["unroll"] is False
    # no attention: the wiring is ignored, the decoder stays a fused GRU/LSTM
    plain = _model(attention=None, wiring="bahdanau")
    assert isinstance(plain.get_layer("decoder"), keras.layers.GRU)
    with pytest.raises(ValueError, match="`wiring` must be one of 'luong', 'bahdanau'"):
        _model(wiring="after")


def test_inference_models_share_the_weights():
    model = _model(cell="gru", attention="luong")
    before = _step_by_step(model, SRC, TGT_IN)[0]
    kernel = model.get_layer("logits").kernel
    kernel.assign(kernel * 2.0)
    after = _step_by_step(model, SRC, TGT_IN)[0]
    assert not np.allclose(before, after)
    np.testing.assert_allclose(after[0], predict(model, [SRC, TGT_IN])[0], atol=1e-5)


def test_attention_none_string_and_vocab_sizes():
    model = _model(attention="none")
    assert not any(layer.name == "attention" for layer in model.layers)
    inference = build_inference_models(model)
    assert (inference.src_vocab_size, inference.tgt_vocab_size) == (12, 10)
    assert not inference.has_attention and inference.num_states == 1


def test_bad_arguments():
    with pytest.raises(ValueError, match="`attention` must be one of 'bahdanau'"):
        _model(attention="multihead")
    with pytest.raises(ValueError, match="`cell` must be one of 'gru', 'lstm'"):
        _model(cell="rnn")
    with pytest.raises(ValueError, match="`attention_score` must be one of"):
        _model(attention="luong", attention_score="cosine")
    with pytest.raises(ValueError, match="`tgt_vocab_size` must be an integer >= 5"):
        build_seq2seq(12, 4)
    with pytest.raises(ValueError, match="`dropout` must be a number in"):
        _model(dropout=1.0)
    with pytest.raises(TypeError, match="`encoder_bidirectional` must be a bool"):
        _model(encoder_bidirectional="yes")
    plain = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    with pytest.raises(
        ValueError, match="`model` must be a model from `build_seq2seq`"
    ):
        build_inference_models(plain)
