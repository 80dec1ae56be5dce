# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     formats: ipynb,py:percent
#     notebook_metadata_filter: kernelspec,jupytext,-all
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 03 · A character language model of Shakespeare, with honest numbers
#
# **What you will learn**
# - what a language model is, and how to measure one: **bits per character** on
#   held-out text, over the *whole* validation text
# - why a model's number means nothing without baselines: uniform guessing, a
#   unigram model and a smoothed character n-gram model, on the same split
# - the preprocessing every text model needs, shown step by step: cleaning,
#   integer encoding, cutting into samples, padding/truncating with a mask, and
#   batching with `tf.data`
# - how to build the model with `keras.layers` (Embedding → GRU → Dense) and
#   train it with `model.fit` on a laptop CPU within a time budget
# - the "initial loss ≈ ln V" sanity check before training
# - how temperature, top-k and top-p change generated text
# - why generation must carry the recurrent state (one step per character)
#   instead of re-reading the text, measured; and how a stateful model carries
#   it across training batches (`layer.reset_state()` in Keras 3)
#
# **Time:** 6:07 to run with the default parameters on an idle 2-core laptop CPU
# (measured by the latest `make tutorials`; README lists every notebook's time).

# %% [markdown]
# ## Setup

# %%
import time
import unicodedata

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from rnn_zoo.datasets import load_text_corpus
from rnn_zoo.notebook import record_results, setup_notebook

# %% tags=["parameters"]
# Every knob lives here; the tests run this notebook with smaller values.
SEED = 0
CORPUS = "shakespeare"  # or "python-docs" (offline fallback); see Exercise 1
TEXT_CHARS = None  # keep only the first N characters (None: the whole text)
VALIDATION_FRACTION = 0.1  # the last 10% validates (char-rnn's and nanoGPT's split)
CELL = "gru"  # "gru" or "lstm"
UNITS = 512  # recurrent units
EMBEDDING_DIM = 64
SEQ_LEN = 100  # characters per training chunk
BATCH_SIZE = 64
LEARNING_RATE = 3e-3  # Adam, gradient norm clipped to 1
MINUTES = 5.0  # wall-clock training budget
MAX_EPOCHS = 10_000  # at most this many short epochs (the budget ends it first)
BATCHES_PER_EPOCH = 40  # a short "epoch", so validation is measured often
NGRAM_ORDER = 6  # order of the Kneser-Ney n-gram baseline
SAMPLE_LENGTH = 300  # characters per sample
TIMING_LENGTH = 1000  # characters generated for the speed comparison
REREAD_WINDOW = 100  # characters the naive loop re-reads per new character
PAD_LENGTH = 24  # length the padding demo pads or truncates lines to
STREAMS = 4  # batch rows (parallel text streams) of the stateful aside
STATEFUL_BATCHES = 20  # batches per epoch in the stateful aside

# %%
print(setup_notebook(SEED))  # quiet TensorFlow import, Keras 3 check, seeds, plots

# these import TensorFlow, so they come after the quiet import above
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from rnn_zoo.evaluation import bits_per_char, language_baselines  # noqa: E402
from rnn_zoo.inference import (  # noqa: E402
    CharGenerator,
    generate_by_rereading,
    generate_text,
)
from rnn_zoo.models import build_char_lm  # noqa: E402
from rnn_zoo.plotting import plot_history  # noqa: E402
from rnn_zoo.preprocessing import (  # noqa: E402
    WordTokenizer,
    char_dataset,
    mask_of,
    pad,
    prepare_char_corpus,
    split_text,
)
from rnn_zoo.training import TimeBudget, build_optimizer  # noqa: E402

# %% [markdown]
# ## What a language model is
#
# A character language model reads text one character at a time and, after each
# character, outputs a probability for every possible next character. Trained on
# Shakespeare, after `"ROME"` it should put most of its bet on `"O"`.
#
# We score it by how surprised it is by text it has never seen: the average of
# `-log2 P(actual next character)` over a held-out text, in **bits per
# character** (bits/char). Guessing uniformly among `V` characters costs
# `log2 V` bits; a perfect model would cost 0. The Keras loss (cross-entropy) is
# the same quantity in nats: bits/char = loss / ln 2.
#
# ## Data, step by step
#
# Tiny Shakespeare is 1.1 million characters of plays. A language model needs
# it as batches of integer ids; the steps below do that one at a time.

# %% [markdown]
# ### Step 1: clean the text
#
# Downloaded text comes with habits of its origin: Windows line endings (`\r\n`),
# spaces at the ends of lines, the same accented letter written as one code point
# or as a letter plus a combining accent. Each would become a character of its
# own the model must learn. We normalise line endings, strip trailing spaces and
# put the text in Unicode's composed form (NFC):

# %%
raw = load_text_corpus(CORPUS)
if TEXT_CHARS is not None:
    raw = raw[:TEXT_CHARS]


def clean_text(text):
    """One line ending, no trailing spaces, composed Unicode (NFC)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return unicodedata.normalize("NFC", text)


text = clean_text(raw)
print(text[:250])
display(
    Markdown(
        f"Cleaning took the text from **{len(raw):,}** to **{len(text):,}** "
        f"characters ({len(raw) - len(text):,} removed); "
        f"**{len(set(raw))}** distinct characters before, **{len(set(text))}** after."
    )
)

# %% [markdown]
# ### Step 2: split, build the vocabulary, encode
#
# The split is **contiguous**: the first `1 - VALIDATION_FRACTION` of the text
# trains, the rest validates (the 90/10 split char-rnn and nanoGPT report on, so
# numbers are comparable). A random split of chunks would let the model see lines
# adjacent to the ones it is tested on. The vocabulary is fitted on the training
# part only; a validation character that never occurs in training becomes the
# *unknown* id and is counted, not dropped. First by hand:

# %%
train_text, validation_text = split_text(text, validation_fraction=VALIDATION_FRACTION)
unseen = sorted(set(validation_text) - set(train_text))
unknown_by_hand = sum(validation_text.count(char) for char in unseen)
print(f"characters of the validation text never seen in training: {unseen}")

# %% [markdown]
# `prepare_char_corpus` does the same split, fits a `CharTokenizer` on the
# training part (id 0 is padding, id 1 unknown, then one id per character) and
# encodes both parts as integer arrays:

# %%
corpus = prepare_char_corpus(text, validation_fraction=VALIDATION_FRACTION)
tokenizer = corpus.tokenizer
V = tokenizer.vocab_size
print(
    "first ids:",
    corpus.train_ids[:15],
    "->",
    repr(tokenizer.decode(corpus.train_ids[:15])),
)
display(
    Markdown(
        f"**{len(text):,}** characters: **{len(corpus.train_ids):,}** for training, "
        f"**{len(corpus.validation_ids):,}** for validation. Vocabulary: **{V}** "
        f"ids (id 0 padding, id 1 unknown, {V - 2} characters). "
        f"**{corpus.unknown_validation}** validation characters were never seen "
        f"in training (counted by hand: **{unknown_by_hand}**); they are scored as "
        "the unknown id."
    )
)

# %% [markdown]
# ### Step 3: cut the text into samples
#
# A training sample is a chunk of `SEQ_LEN` characters and the same chunk shifted
# by one: at every position the target is the next character. Consecutive,
# non-overlapping chunks cover the whole training text:

# %%
ids = corpus.train_ids
n_samples = (len(ids) - 1) // SEQ_LEN
sample_inputs = ids[: n_samples * SEQ_LEN].reshape(n_samples, SEQ_LEN)
sample_targets = ids[1 : n_samples * SEQ_LEN + 1].reshape(n_samples, SEQ_LEN)
print(f"{n_samples:,} samples of {SEQ_LEN} characters: {sample_inputs.shape}")
print("input  :", repr(tokenizer.decode(sample_inputs[1, :40])))
print("target :", repr(tokenizer.decode(sample_targets[1, :40])))

# %% [markdown]
# ### Step 4: batch with `tf.data`
#
# `tf.data` shuffles the samples (afresh every epoch) and stacks them into
# batches of `BATCH_SIZE`, dropping the last incomplete batch so every batch has
# the same shape. `rnn_zoo.preprocessing.char_dataset` is steps 3 and 4 in one
# call; with `shuffle=False` both give the same batches:

# %%
by_hand_ds = (
    tf.data.Dataset.from_tensor_slices((sample_inputs, sample_targets))
    .shuffle(n_samples, seed=SEED, reshuffle_each_iteration=True)
    .batch(BATCH_SIZE, drop_remainder=True)
)
train_ds = char_dataset(
    corpus.train_ids, sequence_length=SEQ_LEN, batch_size=BATCH_SIZE, seed=SEED
)
val_ds = char_dataset(
    corpus.validation_ids,
    sequence_length=SEQ_LEN,
    batch_size=BATCH_SIZE,
    shuffle=False,
)
unshuffled = tf.data.Dataset.from_tensor_slices((sample_inputs, sample_targets))
first_by_hand = next(iter(unshuffled.batch(BATCH_SIZE, drop_remainder=True)))
first_packaged = next(
    iter(
        char_dataset(ids, sequence_length=SEQ_LEN, batch_size=BATCH_SIZE, shuffle=False)
    )
)
same_batches = all(
    np.array_equal(a.numpy(), b.numpy())
    for a, b in zip(first_by_hand, first_packaged, strict=True)
)
inputs, targets = next(iter(train_ds))
print("batch shapes:", tuple(inputs.shape), tuple(targets.shape), "(batch, time)")
print(f"{len(by_hand_ds):,} batches per pass over the training text")
print("first batch by hand == char_dataset's:", same_batches)

# %% [markdown]
# ### Aside: samples of different lengths need padding
#
# Our chunks all have `SEQ_LEN` characters. Samples cut at natural boundaries,
# such as the lines of a play, do not, and a batch must be a rectangle. `pad`
# (a checked wrapper around `keras.utils.pad_sequences`) pads short samples with
# id 0 and truncates long ones to `PAD_LENGTH`, either at the end (`"post"`) or at
# the start (`"pre"`); a **mask** marks the real steps so the model can skip the
# padding (`Embedding(mask_zero=True)` computes the same mask). Keep `"post"`
# padding for LSTM/GRU: the fast cuDNN kernels need the real steps first.

# %%
lines = [line for line in train_text.split("\n") if line][:4]
encoded = [tokenizer.encode(line) for line in lines]
shown = {}
for padding in ("post", "pre"):
    padded = pad(encoded, maxlen=PAD_LENGTH, padding=padding, truncating=padding)
    for line, row in zip(lines, padded, strict=True):
        shown[(f"padding={padding!r}, truncating={padding!r}", line[:30])] = "".join(
            "·" if i == 0 else tokenizer.decode([i]) for i in row
        )
display(pd.Series(shown, name=f"padded to {PAD_LENGTH} (· = padding id 0)").to_frame())
padded = pad(encoded, maxlen=PAD_LENGTH)  # post: real characters first
mask = mask_of(padded)
embedding_mask = keras.ops.convert_to_numpy(
    keras.layers.Embedding(V, 4, mask_zero=True).compute_mask(padded)
)
same_mask = bool(np.array_equal(mask, embedding_mask))
display(
    Markdown(
        f"Line lengths {[len(e) for e in encoded]}; the mask keeps "
        f"{mask.sum(axis=1).tolist()} steps of each padded row (at most "
        f"{PAD_LENGTH}), and `Embedding(mask_zero=True)` computes "
        f"{'the same mask' if same_mask else 'a DIFFERENT mask'}."
    )
)

# %% [markdown]
# ### Characters or words?
#
# A `WordTokenizer` gives one id per word or punctuation mark instead of per
# character: far fewer steps per line, but a much larger vocabulary, and every
# word never seen in training is unknown. Exercise 3 builds on it.

# %%
words = WordTokenizer(lower=True, max_tokens=5000).fit(train_text)
line = lines[1]
word_ids = words.encode(line)
display(
    Markdown(
        f"`{line}` is **{len(tokenizer.encode(line))}** character ids but "
        f"**{len(word_ids)}** word ids {word_ids} (decoded: "
        f"`{words.decode(word_ids)}`). Word vocabulary: **{words.vocab_size:,}** "
        f"ids against **{V}** characters; the training text has "
        f"**{len(words.tokenize(train_text)):,}** word tokens, "
        f"**{len(train_text) / len(words.tokenize(train_text)):.2f}** characters "
        "per token."
    )
)

# %% [markdown]
# ## Baselines first
#
# Three reference models, scored on exactly the characters the RNN will be
# scored on:
#
# - **uniform**: every id a target can take is equally likely;
# - **unigram**: character frequencies of the training text, ignoring context;
# - **n-gram**: the probability of the next character given the previous
#   `NGRAM_ORDER - 1`, with interpolated Kneser-Ney smoothing (it falls back to
#   shorter contexts in proportion to how many different characters followed
#   them). A surprisingly strong baseline for characters.

# %%
start = time.perf_counter()
baselines = language_baselines(
    corpus.train_ids, corpus.validation_ids, vocab_size=V, order=NGRAM_ORDER
)
ngram_name = f"{NGRAM_ORDER}-gram"
baseline_table = pd.DataFrame(
    {
        "validation bits/char": baselines,
        "perplexity": {k: 2**v for k, v in baselines.items()},
    }
)
display(baseline_table.round(3))
print(f"baselines computed in {time.perf_counter() - start:.1f} s")

# %% [markdown]
# ## The model
#
# Three layers: an `Embedding` turns each character id into a vector of
# `EMBEDDING_DIM` learned numbers, a recurrent layer (`GRU` or `LSTM`) reads them
# in order and returns its hidden state at **every** step
# (`return_sequences=True`), and a `Dense` layer turns each state into one logit
# per vocabulary id: the scores for the next character. The sequence length is
# left open (`None`), so the same model reads 100-character chunks in training
# and one character at a time in generation.

# %%
RECURRENT = {"gru": keras.layers.GRU, "lstm": keras.layers.LSTM}
tokens = keras.Input(shape=(None,), dtype="int32", name="tokens")
vectors = keras.layers.Embedding(V, EMBEDDING_DIM, name="embedding")(tokens)
# with CELL = "gru" this is keras.layers.GRU(UNITS, return_sequences=True, ...)
states = RECURRENT[CELL](UNITS, return_sequences=True, name="rnn_0")(vectors)
logits = keras.layers.Dense(V, name="logits")(states)
model = keras.Model(tokens, logits, name="char_lm")
model.summary(line_length=80)

# %% [markdown]
# `rnn_zoo.models.build_char_lm` (which the command line `python -m rnn_zoo lm`
# trains) builds the same network:

# %%
packaged = build_char_lm(V, embedding_dim=EMBEDDING_DIM, units=UNITS, cell=CELL)
same_layers = pd.DataFrame(
    {
        "by hand": [f"{x.name}: {type(x).__name__}" for x in model.layers],
        "build_char_lm": [f"{x.name}: {type(x).__name__}" for x in packaged.layers],
        "parameters (by hand)": [x.count_params() for x in model.layers],
        "parameters (builder)": [x.count_params() for x in packaged.layers],
    }
)
same_architecture = bool(
    (same_layers["by hand"] == same_layers["build_char_lm"]).all()
    and model.count_params() == packaged.count_params()
)
display(same_layers)
display(
    Markdown(
        f"**{model.count_params():,}** parameters by hand, "
        f"**{packaged.count_params():,}** from `build_char_lm`: the architectures "
        f"are {'the same' if same_architecture else 'NOT the same'}."
    )
)

# %% [markdown]
# **Sanity check before training:** an untrained model spreads its bets almost
# evenly over the `V` ids, so its loss should be close to `ln V`. A very
# different number means a bug (wrong targets, logits passed as probabilities).

# %%
loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
initial_loss = float(loss_fn(targets, model(inputs)))
display(
    Markdown(
        f"Initial loss **{initial_loss:.3f}** nats/char, ln V = ln {V} = "
        f"**{np.log(V):.3f}**."
    )
)

# %% [markdown]
# ## Train within a time budget
#
# The training loop: Adam with each gradient clipped to norm 1, cross-entropy on
# the logits, and `rnn_zoo.training.callbacks.TimeBudget`, which stops cleanly after
# `MINUTES`. Each "epoch" here is `BATCHES_PER_EPOCH` batches of a fresh shuffle,
# so the validation loss is measured often. That validation loss starts every
# 100-character chunk from a blank state; the final score below carries the
# state through the whole validation text.

# %%
budget = TimeBudget(seconds=MINUTES * 60)
model.compile(
    optimizer=keras.optimizers.Adam(LEARNING_RATE, clipnorm=1.0), loss=loss_fn
)
build_optimizer(model)  # Adam's moments now: fit traces its step once, not twice
history = model.fit(
    train_ds.take(BATCHES_PER_EPOCH),
    validation_data=val_ds,
    epochs=MAX_EPOCHS,
    shuffle=False,  # the dataset reshuffles itself every epoch
    callbacks=[budget],
    verbose=2,
)
epochs_run = len(history.epoch)
print(f"trained {epochs_run} short epochs in {budget.elapsed / 60:.1f} minutes")

# %%
fig = plot_history(
    history,
    labels={"loss": "cross-entropy (nats/char)"},
    title=f"{CELL.upper()}-{UNITS} on {CORPUS}: loss per short epoch",
)
ax = fig.axes[0]
ax.set_xlabel(
    f"short epoch ({BATCHES_PER_EPOCH} batches of {BATCH_SIZE} x {SEQ_LEN} chars)"
)
ax.axhline(
    baselines[ngram_name] * np.log(2),
    color="gray",
    linestyle=":",
    label=f"{ngram_name} baseline",
)
ax.legend()
plt.show()

# %% [markdown]
# ## Evaluate on the whole validation text
#
# `bits_per_char` scores every validation character but the first, given all the
# text before it: the recurrent state is carried across chunks (the text is read
# as 32 parallel pieces, each warmed on the 256 characters before it).

# %%
start = time.perf_counter()
model_bpc = bits_per_char(model, corpus.validation_ids)
eval_seconds = time.perf_counter() - start
chunked_bpc = history.history["val_loss"][-1] / np.log(2)
results = pd.DataFrame(
    {
        "validation bits/char": {
            **baselines,
            f"{CELL.upper()}-{UNITS}, state carried": model_bpc,
            f"{CELL.upper()}-{UNITS}, chunks from a blank state": chunked_bpc,
        }
    }
)
results["perplexity"] = 2 ** results["validation bits/char"]
display(results.round(3))
verdict = "beats" if model_bpc < baselines[ngram_name] else "does not beat"
display(
    Markdown(
        f"After {budget.elapsed / 60:.1f} minutes of training the {CELL.upper()} "
        f"scores **{model_bpc:.3f}** bits/char and **{verdict}** the "
        f"{ngram_name} baseline (**{baselines[ngram_name]:.3f}**); the unigram "
        f"model scores {baselines['unigram']:.3f}. Carrying the state is worth "
        f"{chunked_bpc - model_bpc:.3f} bits/char over blank-state chunks "
        f"(evaluated in {eval_seconds:.1f} s)."
    )
)

# %% [markdown]
# ## Generate text: temperature, top-k, top-p
#
# `generate_text` reads the prompt once, then samples one character at a time.
# **Temperature** divides the logits before sampling: low values pick the likely
# characters (safe, repetitive), high values flatten the distribution (varied,
# misspelt). **top-k** samples only among the k likeliest characters; **top-p**
# among the smallest set whose probability reaches p. Same seed, same text.

# %%
prompt = "ROMEO:" if CORPUS == "shakespeare" else "The "
samples = {}
for name, options in {
    "temperature 0.2": {"temperature": 0.2},
    "temperature 0.5": {"temperature": 0.5},
    "temperature 0.8": {"temperature": 0.8},
    "temperature 1.2": {"temperature": 1.2},
    "top-k 5": {"top_k": 5},
    "top-p 0.9": {"top_p": 0.9},
}.items():
    samples[name] = generate_text(
        model, tokenizer, prompt, SAMPLE_LENGTH, seed=SEED, **options
    )
    print(f"----- {name} -----\n{samples[name]}\n")

# %% [markdown]
# ## Why carrying the state matters
#
# A recurrent network summarises everything it has read in its state. Generation
# can keep that state and feed one new character per step, or, as many tutorials
# do, re-run the model on the text so far (here its last `REREAD_WINDOW`
# characters) for every new character. Same model, same way of sampling (the
# random draws differ); only the work differs.

# %%
generator = CharGenerator(model)
generator.generate(tokenizer, prompt, 20, seed=0)  # trace the loop once
start = time.perf_counter()
generator.generate(tokenizer, prompt, TIMING_LENGTH, seed=0)
stateful_seconds = time.perf_counter() - start
generate_by_rereading(model, tokenizer, prompt, 2, window=REREAD_WINDOW, seed=0)
start = time.perf_counter()
generate_by_rereading(
    model, tokenizer, prompt, TIMING_LENGTH, window=REREAD_WINDOW, seed=0
)
reread_seconds = time.perf_counter() - start
speedup = reread_seconds / stateful_seconds
display(
    Markdown(
        f"{TIMING_LENGTH:,} characters: **{stateful_seconds:.2f} s** carrying the "
        f"state ({TIMING_LENGTH / stateful_seconds:,.0f} characters/s) against "
        f"**{reread_seconds:.2f} s** re-reading {REREAD_WINDOW} characters per "
        f"step: **{speedup:.0f}×** faster. Re-reading the whole growing prefix "
        "instead would cost more with every character (quadratic time)."
    )
)

# %% [markdown]
# ### Aside: stateful training across consecutive batches
#
# Training above starts every chunk from a blank state, so the model never
# learns to use more than `SEQ_LEN` characters of context. A *stateful* model
# keeps its state from one batch to the next. That only makes sense if row `r`
# of each batch continues row `r` of the previous one, which
# `char_dataset(..., stateful=True)` arranges: the text is cut into `STREAMS`
# streams, nothing is shuffled. The layout:

# %%
stream_ds = char_dataset(
    corpus.train_ids,
    sequence_length=SEQ_LEN,
    batch_size=STREAMS,
    shuffle=False,
    stateful=True,
)
first, second = [x.numpy() for x, _ in stream_ds.take(2)]
for row in range(2):
    print(
        f"row {row}: batch 1 ends {tokenizer.decode(first[row, -25:])!r} | "
        f"batch 2 starts {tokenizer.decode(second[row, :25])!r}"
    )

# %% [markdown]
# A stateful layer needs a fixed batch size (one state per row):
# `build_char_lm(..., stateful=True, batch_size=STREAMS)`. We copy the trained
# weights into one. The state must be reset where the streams start over, at
# the start of every epoch. In Keras 3 that is a call on the **recurrent layer**,
# `layer.reset_state()` (`reset_states()` is kept as an alias); a Keras 3
# `Model` has no `reset_states()` method any more, so the Keras 2 idiom
# `model.reset_states()` raises `AttributeError`:

# %%
stateful_model = build_char_lm(
    V,
    embedding_dim=EMBEDDING_DIM,
    units=UNITS,
    cell=CELL,
    stateful=True,
    batch_size=STREAMS,
)
stateful_model.set_weights(model.get_weights())
rnn_layer = stateful_model.get_layer("rnn_0")
print("model has reset_states():", hasattr(stateful_model, "reset_states"))
print("layer has reset_state():", hasattr(rnn_layer, "reset_state"))


def state_norm():
    """Size of the stateful layer's carried state, summed over its tensors."""
    return sum(
        float(np.abs(keras.ops.convert_to_numpy(v)).sum()) for v in rnn_layer.states
    )


stateful_model.predict_on_batch(first)
print(f"carried state after one batch: {state_norm():.1f} (sum of |values|)")
rnn_layer.reset_state()
print(f"after rnn_layer.reset_state(): {state_norm():.1f}")

# %% [markdown]
# Does the carried state help? The same model scores the first
# `STATEFUL_BATCHES` batches of the validation streams twice: once carrying the
# state from batch to batch (reset once, at the start), once resetting before
# every batch, which is what the chunked training above amounts to.

# %%
val_streams = char_dataset(
    corpus.validation_ids,
    sequence_length=SEQ_LEN,
    batch_size=STREAMS,
    shuffle=False,
    stateful=True,
).take(STATEFUL_BATCHES)
stream_loss = {"state carried": [], "reset before every batch": []}
for mode, losses in stream_loss.items():
    rnn_layer.reset_state()
    for x_batch, y_batch in val_streams:
        if mode == "reset before every batch":
            rnn_layer.reset_state()
        losses.append(float(loss_fn(y_batch, stateful_model.predict_on_batch(x_batch))))
stream_bpc = {mode: np.mean(losses) / np.log(2) for mode, losses in stream_loss.items()}
display(
    Markdown(
        f"Over {len(stream_loss['state carried'])} validation batches: "
        f"**{stream_bpc['state carried']:.3f}** bits/char with the state carried, "
        f"**{stream_bpc['reset before every batch']:.3f}** with a reset before "
        "every batch: carrying the state is worth "
        f"{stream_bpc['reset before every batch'] - stream_bpc['state carried']:+.3f} "
        "bits/char on these batches."
    )
)

# %% [markdown]
# Training the stateful model: `shuffle` stays off (the dataset is already in
# stream order), and a callback resets the state at the start of every epoch.
# Two short epochs of `STATEFUL_BATCHES` batches, to show the loop runs:

# %%
stateful_model.compile(
    optimizer=keras.optimizers.Adam(LEARNING_RATE, clipnorm=1.0), loss=loss_fn
)
build_optimizer(stateful_model)
reset_each_epoch = keras.callbacks.LambdaCallback(
    on_epoch_begin=lambda epoch, logs: rnn_layer.reset_state()
)
stateful_history = stateful_model.fit(
    stream_ds.take(STATEFUL_BATCHES),
    epochs=2,
    shuffle=False,
    callbacks=[reset_each_epoch],
    verbose=2,
)

# %%
record_results(
    f"{CELL.upper()}-{UNITS}: {model_bpc:.3f} bits/char vs {ngram_name} "
    f"{baselines[ngram_name]:.3f} after {budget.elapsed / 60:.1f} min; "
    f"generation {speedup:.0f}x faster with the state",
    model_bits_per_char=model_bpc,
    chunked_bits_per_char=chunked_bpc,
    baselines=baselines,
    initial_loss=initial_loss,
    ln_vocab=float(np.log(V)),
    vocab_size=V,
    unknown_validation=corpus.unknown_validation,
    unknown_by_hand=unknown_by_hand,
    unseen_characters=unseen,
    same_architecture=same_architecture,
    same_batches=same_batches,
    pad_mask_steps=mask.sum(axis=1).tolist(),
    same_mask=same_mask,
    line_lengths=[len(e) for e in encoded],
    stream_bits_per_char=stream_bpc,
    stateful_epochs=len(stateful_history.epoch),
    epochs=epochs_run,
    minutes=budget.elapsed / 60,
    stateful_seconds=stateful_seconds,
    reread_seconds=reread_seconds,
    chars_per_second=TIMING_LENGTH / stateful_seconds,
    sample=samples["temperature 0.8"],
)

# %% [markdown]
# ## Takeaways

# %%
display(
    Markdown(
        f"- The initial loss ({initial_loss:.3f}) was "
        f"{abs(initial_loss - np.log(V)):.3f} nats from ln V ({np.log(V):.3f}): "
        "the targets and logits were wired right.\n"
        f"- After {budget.elapsed / 60:.1f} minutes ({epochs_run} short epochs) the "
        f"{CELL.upper()} scored {model_bpc:.3f} bits/char against "
        f"{baselines[ngram_name]:.3f} for the {ngram_name}: whether a few minutes of "
        "CPU training beats a Kneser-Ney n-gram depends on the minutes and the "
        "machine."
    )
)

# %% [markdown]
# - A language model's score is bits/char on held-out text; quote it next to
#   uniform, unigram and n-gram baselines computed on the same split.
# - Generation that carries the state does one step per character; re-reading
#   the text multiplies the work by the window length.
# - Preprocessing is a handful of small steps: clean the text, split it in time,
#   fit the vocabulary on the training part only (and count what it misses),
#   encode, cut into samples, pad and mask where lengths differ, batch with
#   `tf.data`.
# - A stateful model carries its state across batches; in Keras 3 you reset it
#   with `reset_state()` on the recurrent layer
#   (`model.get_layer("rnn_0").reset_state()`), since `model.reset_states()` no
#   longer exists.
#
# **Train longer:** raise `MINUTES` (validation bits/char keeps falling as the
# budget grows; README's benchmark table lists what longer budgets give), or run
# `python -m rnn_zoo lm train --minutes 30 --out my_lm` and
# `python -m rnn_zoo lm generate my_lm --prompt "ROMEO:"`. A second layer
# (`num_layers=2`) and dropout are worth trying once training runs much longer
# (not measured here).

# %% [markdown]
# ## Exercises
#
# 1. **Your own text.** Set `CORPUS = "python-docs"` (or load any UTF-8 file with
#    `Path(p).read_text()` and pass it to `prepare_char_corpus`). Before running,
#    predict: will the n-gram baseline be better or worse than on Shakespeare?
# 2. **GRU vs LSTM.** Set `CELL = "lstm"` with the same `MINUTES`. Which reaches
#    lower bits/char in the same wall-clock time, and why might the answer differ
#    from a comparison at the same number of epochs?
# 3. **A word-level variant.** Train on the word ids of the `WordTokenizer`
#    shown in "Characters or words?" (`words.encode_array(train_text)` in place
#    of `corpus.train_ids`, `words.vocab_size` in place of `V`). How do you
#    compare its perplexity per *word* with bits per *character*?
# 4. **Temperature.** Generate 1,000 characters at temperature 0.2 and count the
#    distinct words. What goes wrong at very low temperature?
#
# <details><summary>Solutions</summary>
#
# 1. Python's help text is more repetitive (keywords, code), so the n-gram
#    baseline is stronger there; the RNN has less room to beat it.
# 2. A GRU has three gate blocks to an LSTM's four, so each step is about 25%
#    cheaper and it sees more batches in the same time; per epoch they are
#    close. Compare at equal wall-clock time, as the benchmark does.
# 3. Convert both to the same unit: total bits over the text divided by the
#    number of characters. A word model's bits/word divided by the average
#    characters per word (spaces included) gives comparable bits/char.
# 4. It repeats the likeliest phrase in a loop: low temperature approaches
#    greedy decoding, which gets stuck in cycles.
#
# </details>
