"""Tests for generate_text: O(1) per character (counted), seeded, batched, errors."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

from rnn_zoo.inference import generation
from rnn_zoo.inference.generation import (
    CharGenerator,
    CharStepper,
    generate_by_rereading,
    generate_text,
    reserved_ids,
)
from rnn_zoo.models import build_char_lm
from rnn_zoo.preprocessing import CharTokenizer

TOK = CharTokenizer().fit("the quick brown fox jumps over the lazy dog")


@pytest.fixture(scope="module")
def model():
    # read-only in every test: one model, so its compiled loops are shared
    return build_char_lm(TOK.vocab_size, embedding_dim=4, units=[6, 5], cell="gru")


@pytest.fixture(scope="module")
def generator(model):
    """The model's one `CharGenerator`: the one `generate_text` uses too, so its
    XLA loops compile once for the module (tests count step calls as deltas)."""
    generate_text(model, TOK, "t", 1, seed=0)
    return generation._GENERATORS[model]


@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
def test_stepper_matches_the_full_model(cell, rng):
    model = build_char_lm(TOK.vocab_size, embedding_dim=4, units=[6, 5], cell=cell)
    tokens = rng.integers(1, TOK.vocab_size, size=(3, 7)).astype("int32")
    full = np.asarray(model(tokens))
    stepper = CharStepper(model)
    logits, states = stepper.run(tf.constant(tokens[:, :4]), stepper.initial_state(3))
    np.testing.assert_allclose(logits, full[:, :4], atol=1e-5)
    table = stepper.input_table()
    for t in range(4, 7):  # then one character at a time, carrying the state
        # the first layer's input projection looked up in a table, or computed
        tabled, _ = stepper.step(tf.constant(tokens[:, t]), states, table)
        step_logits, states = stepper.step(tf.constant(tokens[:, t]), states)
        np.testing.assert_allclose(step_logits, full[:, t], atol=1e-5)
        np.testing.assert_allclose(tabled, full[:, t], atol=1e-5)


@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
def test_prompts_of_any_length_warm_the_state_like_the_model(cell, rng):
    # prompts are read in compiled calls of 64 characters, rows of different
    # lengths together: the last logits and the states equal the full model's
    model = build_char_lm(TOK.vocab_size, embedding_dim=4, units=[6, 5], cell=cell)
    generator = CharGenerator(model)
    rows = [rng.integers(1, TOK.vocab_size, size=n).tolist() for n in (70, 3, 64)]
    logits, states = generator._warm(rows, generator.stepper.input_table())
    stepper = generator.stepper
    for row, ids in enumerate(rows):
        full = np.asarray(model(np.array([ids])))[0, -1]
        np.testing.assert_allclose(logits[row], full, atol=1e-5)
        _, alone = stepper.run(tf.constant([ids]), stepper.initial_state(1))
        for batched, single in zip(states, alone, strict=True):
            np.testing.assert_allclose(batched[row], single[0], atol=1e-5)
    # and greedy text after a long prompt follows the model's argmax
    prompt = ("the quick brown fox " * 4)[:70]
    text = generate_text(model, TOK, [prompt, "dog"], 6, top_k=1)[0]
    ids = TOK.encode(text)
    full = np.array(model(np.array([ids[:-1]])))[0, len(prompt) - 1 :]
    full[:, reserved_ids(TOK)] = -np.inf
    np.testing.assert_array_equal(np.argmax(full, -1), ids[len(prompt) :])


def test_one_step_call_per_new_character(generator):
    for prompt, length in [("the", 25), ("a much longer prompt read once", 25)]:
        before = generator.step_calls
        text = generator.generate(TOK, prompt, length, seed=0)
        assert len(text) == len(prompt) + length
        # exactly one call per generated character, whatever the prompt length
        assert generator.step_calls - before == length
    before = generator.step_calls
    generator.generate(TOK, ["the", "fox", "lazy dog"], 40, seed=0)
    assert generator.step_calls - before == 40  # a batch shares each step


def test_long_texts_cross_the_compiled_chunks(generator):
    # 600 characters take three compiled calls of 256 steps (the last one 88)
    before = generator.step_calls
    text = generator.generate(TOK, "the ", 600, seed=5)
    assert len(text) == 604 and generator.step_calls - before == 600
    assert generator.generate(TOK, "the ", 300, seed=5) == text[:304]
    # greedy across the chunk boundaries follows the model's argmax
    greedy = generator.generate(TOK, "the ", 300, top_k=1)
    ids = TOK.encode(greedy)
    stepper = generator.stepper
    logits, _ = stepper.run(tf.constant([ids[:-1]]), stepper.initial_state(1))
    logits = np.array(logits[0])
    logits[:, reserved_ids(TOK)] = -np.inf  # reserved ids are never generated
    np.testing.assert_array_equal(np.argmax(logits, -1)[3:], ids[4:])


def test_cells_that_are_not_stepped_from_weights_are_called(rng):
    import keras

    class MyGRUCell(keras.layers.GRUCell):  # a subclass may change the math
        pass

    inputs = keras.Input((None,), dtype="int32")
    x = keras.layers.Embedding(TOK.vocab_size, 4, name="embedding")(inputs)
    x = keras.layers.RNN(MyGRUCell(5), return_sequences=True, name="rnn_0")(x)
    model = keras.Model(inputs, keras.layers.Dense(TOK.vocab_size, name="logits")(x))
    stepper = CharStepper(model)
    assert stepper.input_table() is None
    tokens = rng.integers(1, TOK.vocab_size, size=(2, 6)).astype("int32")
    logits, _ = stepper.run(tf.constant(tokens), stepper.initial_state(2))
    np.testing.assert_allclose(logits, model(tokens), atol=1e-5)
    assert len(generate_text(model, TOK, "the", 20, seed=0)) == 23


def test_same_seed_same_text_other_seed_other_text(model):
    a = generate_text(model, TOK, "the ", 60, seed=7)
    assert generate_text(model, TOK, "the ", 60, seed=7) == a
    assert generate_text(model, TOK, "the ", 60, seed=8) != a
    assert generate_text(model, TOK, "the ", 30, seed=7) == a[:34]


def test_batched_rows_equal_single_prompts(model):
    prompts = ["the", "lazy dog", "fox"]
    batch = generate_text(model, TOK, prompts, 10, top_k=1)
    singles = [generate_text(model, TOK, p, 10, top_k=1) for p in prompts]
    assert batch == singles  # greedy: no randomness, rows are independent


def test_streams_are_independent_and_seeded_by_row(model, generator):
    many = generate_text(model, TOK, "the ", 30, seed=4, num_streams=5)
    assert len(many) == 5 and all(len(t) == 34 for t in many)
    assert len(set(many)) > 1  # each stream draws its own noise
    # stream 0 is the single-prompt text of the same seed
    assert many[0] == generate_text(model, TOK, "the ", 30, seed=4)
    # a row's text depends on its prompt, the seed and its row, not on the others
    a = generate_text(model, TOK, ["the", "fox", "dog"], 25, seed=9)
    b = generate_text(model, TOK, ["dog", "fox", "the"], 25, seed=9)
    assert a[1] == b[1] and a[0] != b[2]
    before = generator.step_calls
    generator.generate(TOK, "o", 12, seed=0, num_streams=64)
    assert generator.step_calls - before == 12  # one step serves all streams


def test_many_streams_take_shorter_chunks_with_the_same_text(model, monkeypatch):
    # very many streams sample fewer characters per compiled call (the noise of
    # a call stays within a budget); each stream's noise is drawn in order, so
    # the text does not depend on where the chunks are cut
    from rnn_zoo.inference import generation

    reference = generate_text(model, TOK, "the ", 100, seed=2, num_streams=3)
    monkeypatch.setattr(generation, "_NOISE_VALUES", 3 * TOK.vocab_size * 16)
    assert generation._chunk_length(3, TOK.vocab_size) == 16
    generator = CharGenerator(model)
    assert generator.generate(TOK, "the ", 100, seed=2, num_streams=3) == reference
    assert generator.step_calls == 100


def test_samples_are_the_gumbel_max_of_the_model_logits(model):
    # the documented sampler: row r's noise comes from default_rng([seed, r]),
    # `vocab` uniforms (k + 0.5) / 2**24 per step; the sample is the argmax of
    # logits / temperature + noise over the allowed ids
    seed, temperature, length = 11, 1.7, 40
    texts = generate_text(
        model, TOK, ["the", "fox"], length, temperature=temperature, seed=seed
    )
    vocab = TOK.vocab_size
    for row, text in enumerate(texts):
        ids = TOK.encode(text)
        rng = np.random.default_rng([seed, row])
        uniform = (rng.integers(0, 2**24, (length, vocab)) + 0.5) / 2**24
        noise = -np.log(-np.log(uniform))
        logits = np.array(model(np.array([ids[:-1]])))[0, 2:]  # predicts ids[3:]
        logits[:, reserved_ids(TOK)] = -np.inf
        np.testing.assert_array_equal(
            np.argmax(logits / temperature + noise, -1), ids[3:]
        )


def test_greedy_follows_the_argmax(model):
    text = generate_text(model, TOK, "th", 5, top_k=1)
    ids = TOK.encode(text)
    for t in range(2, len(ids)):
        logits = np.array(model(np.array([ids[:t]])))[0, -1]
        logits[reserved_ids(TOK)] = -np.inf  # reserved ids are never generated
        assert ids[t] == int(np.argmax(logits))


def test_top_p_tiny_is_greedy_and_top_k_restricts(model):
    greedy = generate_text(model, TOK, "the", 20, top_k=1)
    assert generate_text(model, TOK, "the", 20, top_p=1e-6, seed=3) == greedy
    # top_k=2: every sampled id is among the two most likely
    text = generate_text(model, TOK, "the", 8, top_k=2, temperature=5.0, seed=1)
    ids = TOK.encode(text)
    for t in range(3, len(ids)):
        logits = np.array(model(np.array([ids[:t]])))[0, -1]
        logits[reserved_ids(TOK)] = -np.inf
        assert ids[t] in np.argsort(logits)[-2:]


def test_extreme_temperatures_never_fail(model):
    greedy = generate_text(model, TOK, "o", 50, top_k=1)
    assert generate_text(model, TOK, "o", 50, temperature=1e-6, seed=0) == greedy
    hot = generate_text(model, TOK, "o", 200, temperature=1e6, seed=0)
    assert len(hot) == 201 and len(set(hot)) > 10  # close to uniform


@pytest.mark.parametrize(
    "tokenizer",
    [TOK, CharTokenizer(start_token="<s>", end_token="</s>").fit("ab cd")],
    ids=["pad-unk", "pad-unk-start-end"],
)
def test_reserved_ids_are_never_sampled_even_when_favoured(tokenizer):
    # the logits layer's bias makes every reserved id far likelier than any
    # character (a softmax of e^30 against e^0): unbanned, they would win always
    model = build_char_lm(tokenizer.vocab_size, embedding_dim=4, units=4)
    reserved = reserved_ids(tokenizer)
    bias = np.zeros(tokenizer.vocab_size, dtype="float32")
    bias[reserved] = 30.0
    logits = model.get_layer("logits")
    logits.bias.assign(bias)
    logits.kernel.assign(np.zeros_like(logits.kernel.numpy()))
    texts = {
        300: generate_text(model, tokenizer, "a", 300, seed=1),
        301: generate_text(model, tokenizer, "a", 301, temperature=50.0, seed=2),
        50: generate_text(model, tokenizer, "a", 50, top_k=1),
        51: generate_text(model, tokenizer, "a", 51, top_k=3, seed=3),
        52: generate_text(model, tokenizer, "a", 52, top_p=0.5, seed=4),
        30: generate_by_rereading(model, tokenizer, "a", 30, seed=5),
    }
    allowed = set(tokenizer.vocabulary_) - {tokenizer.vocabulary_[i] for i in reserved}
    for length, text in texts.items():
        # decode drops padding and start/end ids (the text would be shorter)
        # and shows the unknown id as U+FFFD (not an allowed character)
        assert len(text) == 1 + length
        assert set(text[1:]) <= allowed, sorted(set(text[1:]) - allowed)
    assert reserved[:2] == [tokenizer.pad_id, tokenizer.unk_id]


def test_unknown_prompt_characters_warn(model):
    with pytest.warns(UserWarning, match="never saw in training \\('Z'\\)"):
        text = generate_text(model, TOK, "Zoo", 3, seed=0)
    assert text.startswith("Zoo")


def test_length_zero_returns_prompt(model):
    assert generate_text(model, TOK, "fox", 0) == "fox"


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"temperature": 0}, ValueError, "`temperature` must be a number > 0"),
        ({"temperature": -1.0}, ValueError, "`temperature` must be"),
        ({"temperature": float("nan")}, ValueError, "`temperature` must be"),
        ({"top_k": 0}, ValueError, "`top_k` must be an integer in \\[1, "),
        ({"top_k": 1000}, ValueError, "`top_k` must be an integer in \\[1, "),
        ({"top_p": 0.0}, ValueError, "`top_p` must be a number in \\(0.0, 1.0\\]"),
        ({"top_p": 1.5}, ValueError, "`top_p` must be a number in"),
        ({"length": -1}, ValueError, "`length` must be a non-negative integer"),
        ({"prompt": ""}, ValueError, "`prompt` must be a non-empty string"),
        ({"prompt": []}, ValueError, "`prompt` must be a non-empty string"),
        ({"prompt": ["a", ""]}, ValueError, "`prompt` must be a non-empty string"),
        ({"prompt": 3}, TypeError, "`prompt` must be a non-empty string"),
        ({"seed": -1}, ValueError, "`seed` must be a non-negative integer"),
        (
            {"num_streams": 0},
            ValueError,
            "`num_streams` must be a positive integer or None",
        ),
        ({"num_streams": 2.0}, TypeError, "`num_streams` must be a positive integer"),
        (
            {"prompt": ["a", "b"], "num_streams": 2},
            ValueError,
            "`num_streams` must be None when `prompt` is a list",
        ),
    ],
)
def test_bad_arguments(model, kwargs, error, match):
    args = {"prompt": "the", "length": 5, **kwargs}
    prompt, length = args.pop("prompt"), args.pop("length")
    with pytest.raises(error, match=match):
        generate_text(model, TOK, prompt, length, **args)


def test_wrong_model_or_tokenizer():
    import keras

    inputs = keras.Input((None,), dtype="int32")
    plain = keras.Model(inputs, keras.layers.Embedding(5, 2)(inputs))
    with pytest.raises(ValueError, match="`model` must be a model built by"):
        generate_text(plain, TOK, "a", 1)
    other = build_char_lm(TOK.vocab_size + 1, units=2)
    with pytest.raises(ValueError, match="`tokenizer` must be the tokenizer"):
        generate_text(other, TOK, "a", 1)
