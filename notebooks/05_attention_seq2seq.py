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
# # 05 · Attention seq2seq: normalising dates, and seeing where the model looks
#
# **What you will learn**
# - how an encoder-decoder turns "Saturday, the 3rd of March 2021" into
#   "2021-03-03" one character at a time, trained with teacher forcing
# - what attention adds: the plain encoder-decoder against **Bahdanau** (additive)
#   and **Luong** (multiplicative) attention, trained for the same number of steps
# - why attention matters most for **long inputs** (exact match by source length)
# - how to read an attention heatmap, and how often attention points at the
#   characters a person would (alignment accuracy against the generator's gold
#   spans)
# - greedy decoding vs **beam search**, and how to tell a search error from a
#   model error when an answer is wrong
#
# **Time:** about 6 minutes on an otherwise idle 2-core laptop CPU with the
# default parameters (each of the three models trains for `EPOCHS` passes over
# the data); on a busy machine, several times that.

# %% [markdown]
# ## Setup

# %%
import time

import numpy as np
import pandas as pd
from IPython.display import Markdown, display

from rnn_zoo.notebook import record_results, setup_notebook

START = time.perf_counter()

# %% tags=["parameters"]
SEED = 0
N_TRAIN = 30000  # training pairs
N_TEST = 1000  # held-out pairs (another seed)
CASE = "random"  # letter case of the sources: None, "lower", "upper", "title", "random"
WEEKDAY_PREFIX = 0.2  # share of sources that get a weekday name in front
EMBEDDING_DIM = 16
UNITS = 32  # encoder units per direction; the decoder gets 2 * UNITS
BATCH_SIZE = 128
LEARNING_RATE = 0.005
EPOCHS = 3  # passes over the training pairs, the same for every model
TIME_BUDGET = 900  # safety cap in seconds per model (a slow machine stops early)
BEAM_WIDTH = 5
N_HEATMAPS = 2  # examples drawn per attention model
N_WRONG = 8  # wrong answers shown

# %%
print(setup_notebook(SEED))

import keras  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

from rnn_zoo.callbacks import TimeBudget  # noqa: E402
from rnn_zoo.datasets import make_date_pairs  # noqa: E402
from rnn_zoo.evaluation.sequences import (  # noqa: E402
    attention_alignment_accuracy,
    exact_match,
    token_accuracy,
)
from rnn_zoo.models import Seq2SeqTranslator  # noqa: E402
from rnn_zoo.plotting import plot_attention  # noqa: E402
from rnn_zoo.training import fit  # noqa: E402

# %% [markdown]
# ## The task: many human date formats -> ISO 8601
#
# `make_date_pairs` writes random dates in 32 human formats ("3 Mar 2021",
# "03/03/21", "the 3rd of March, 2021", ...) and pairs each with its ISO form. It
# also knows which source characters each target character comes from (the gold
# alignment), which we use later to check the attention. Training and test pairs
# come from different seeds.

# %%
train_pairs = make_date_pairs(
    N_TRAIN, seed=SEED, case=CASE, weekday_prefix=WEEKDAY_PREFIX
)
test_pairs = make_date_pairs(
    N_TEST, seed=SEED + 1, case=CASE, weekday_prefix=WEEKDAY_PREFIX
)
display(
    pd.DataFrame(
        {
            "source": train_pairs.sources[:8],
            "target": train_pairs.targets[:8],
            "format": train_pairs.formats[:8],
        }
    )
)
lengths = np.array([len(s) for s in test_pairs.sources])
display(
    Markdown(
        f"{N_TRAIN:,} training pairs, {N_TEST:,} test pairs. Sources are "
        f"{lengths.min()} to {lengths.max()} characters long (median "
        f"{np.median(lengths):.0f}); every target is 10 characters."
    )
)

# %% [markdown]
# ## Tokenizers and teacher forcing
#
# `Seq2SeqTranslator.create` fits a character tokenizer on the sources (with
# `lower=True`, so "MARCH", "March" and "march" are one input: case carries no
# information about the date, and folding it shrinks what the model must learn)
# and one on the targets, with start `<s>` and end `</s>` tokens. Id 0 is padding
# and id 1 stands for a character never seen in training.
#
# **Teacher forcing**: during training the decoder reads the *true* previous
# target character (`target_in` = start + target) and learns to predict the next
# one (`target_out` = target + end). At inference it reads its own previous
# prediction instead, one step at a time.

# %%
MODEL = dict(embedding_dim=EMBEDDING_DIM, units=UNITS, cell="gru")
KINDS = {"no attention": None, "Bahdanau": "bahdanau", "Luong": "luong"}
translators = {
    name: Seq2SeqTranslator.create(
        train_pairs.sources, train_pairs.targets, attention=kind, **MODEL
    )
    for name, kind in KINDS.items()
}
first = translators["Bahdanau"]
# the tokenizers are fitted deterministically, so all three read the same ids
assert all(
    t.source_tokenizer.vocabulary_ == first.source_tokenizer.vocabulary_
    and t.target_tokenizer.vocabulary_ == first.target_tokenizer.vocabulary_
    for t in translators.values()
)
(x_source, x_target_in), y_target_out = first.teacher_forcing(
    train_pairs.sources, train_pairs.targets
)
example = pd.DataFrame(
    {
        "source ids": [x_source[0, :12].tolist()],
        "target_in": [x_target_in[0].tolist()],
        "target_out": [y_target_out[0].tolist()],
    },
    index=[train_pairs.sources[0]],
).T
display(example)
display(
    Markdown(
        f"Source vocabulary: {first.source_tokenizer.vocab_size} ids "
        f"(`{''.join(first.source_tokenizer.vocabulary_[2:])}`); target "
        f"vocabulary: {first.target_tokenizer.vocab_size} ids. Sources are padded "
        f"to {first.max_source_length} characters."
    )
)

# %% [markdown]
# ## Three models, one budget
#
# All three share the encoder: an embedding and a bidirectional GRU reading the
# whole source. Its final forward and backward states start the decoder GRU.
#
# - **No attention** (the baseline): the decoder sees the source only through
#   that initial state, a fixed-size summary of the whole input.
# - **Bahdanau**: at each output step the decoder output `q` scores every encoder
#   output `k` with `v^T tanh(W_q q + W_k k)`; a softmax turns the scores into
#   weights, and the weighted sum of encoder outputs (the *context*) joins `q` to
#   predict the character.
# - **Luong** ("general"): the same, with the score `q^T W k`.
#
# Both attention layers live in `rnn_zoo.models.attention`; they give padded
# source positions a weight of exactly 0. The parameter counts:

# %%
params = {name: t.model.count_params() for name, t in translators.items()}
display(pd.Series(params, name="parameters").to_frame())

# %% [markdown]
# Each model trains for `EPOCHS` passes over the same pairs in batches of
# `BATCH_SIZE`: the same number of steps (Adam, gradient clipping, one line per
# epoch). The attention models cost a little more per step; the table below
# shows the seconds each took. `TIME_BUDGET` only guards against a very slow
# machine: it stops a model early, and the table then shows fewer steps.

# %%
loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
train_seconds, train_steps, losses = {}, {}, {}
for name, translator in translators.items():
    print(f"--- {name}")
    budget = TimeBudget(TIME_BUDGET)
    begin = time.perf_counter()
    history = fit(
        translator.model,
        ([x_source, x_target_in], y_target_out),
        epochs=EPOCHS,
        batch_size=BATCH_SIZE,
        learning_rate=LEARNING_RATE,
        loss=loss,
        early_stopping=None,
        callbacks=[budget],
        verbose=2,
    )
    train_seconds[name] = time.perf_counter() - begin
    losses[name] = history.history["loss"]
    train_steps[name] = int(
        keras.ops.convert_to_numpy(translator.model.optimizer.iterations)
    )

# %% [markdown]
# ## Exact match on held-out dates
#
# An answer counts only if all 10 characters are right (`exact_match`);
# `token_accuracy` gives partial credit per character. Decoding here is greedy:
# the most likely character at each step.

# %%
greedy = {name: t.decode(test_pairs.sources) for name, t in translators.items()}
predictions = {name: [d.text for d in out] for name, out in greedy.items()}
alignment = {
    name: attention_alignment_accuracy(
        [d.attention for d in out], test_pairs.alignments
    )
    for name, out in greedy.items()
    if out[0].attention is not None
}
summary = pd.DataFrame(
    {
        "training steps": train_steps,
        "training seconds": {k: round(v) for k, v in train_seconds.items()},
        "exact match": {
            k: exact_match(v, test_pairs.targets) for k, v in predictions.items()
        },
        "token accuracy": {
            k: token_accuracy(v, test_pairs.targets) for k, v in predictions.items()
        },
        "alignment accuracy": alignment,
    }
)
display(
    summary.style.format(
        {
            "exact match": "{:.1%}",
            "token accuracy": "{:.1%}",
            "alignment accuracy": "{:.1%}",
        },
        na_rep="-",
    )
)
em = summary["exact match"]
best_name = em.idxmax()
leaders = [name for name in KINDS if em[name] == em.max()]
steps_text = ", ".join(f"{k} {v:,}" for k, v in train_steps.items())
display(
    Markdown(
        f"Exact match is **{em['no attention']:.1%}** without attention, "
        f"**{em['Bahdanau']:.1%}** with Bahdanau and **{em['Luong']:.1%}** with "
        f"Luong attention (training steps: {steps_text}). Best: "
        f"**{' and '.join(leaders)}**."
    )
)

# %% [markdown]
# ## Exact match against source length
#
# Without attention, everything the decoder knows about the source has to pass
# through one state vector; the longer the source, the more it has to squeeze in
# (and the further the year is from where the encoder finished reading it). With
# attention, each output character can look straight at the characters it needs.
# So we expect the plain model to fall behind most on long sources. Whether that
# shows depends on how far its training got: a model that is still poor
# everywhere has a flat curve near zero, and only more training (see the end)
# reveals the length effect.

# %%
bins = [0, 10, 15, 20, 25, 30, 100]
labels = ["<=10", "11-15", "16-20", "21-25", "26-30", ">30"]
by_length = pd.DataFrame(
    {
        name: [p == t for p, t in zip(preds, test_pairs.targets, strict=True)]
        for name, preds in predictions.items()
    }
)
by_length["source length"] = pd.cut(lengths, bins=bins, labels=labels)
table = by_length.groupby("source length", observed=True).mean()
counts = by_length.groupby("source length", observed=True).size()

fig, ax = plt.subplots()
for name in KINDS:
    ax.plot(table.index.astype(str), 100 * table[name], marker="o", label=name)
ax.set_title("Exact match on held-out dates, by source length")
ax.set_xlabel("source length (characters)")
ax.set_ylabel("exact match (%)")
ax.set_ylim(-2, 102)
ax.legend()
plt.show()
display((100 * table).round(1).assign(examples=counts))

# %%
short_gap = table.iloc[0]["Bahdanau"] - table.iloc[0]["no attention"]
long_gap = table.iloc[-1]["Bahdanau"] - table.iloc[-1]["no attention"]
display(
    Markdown(
        f"Bahdanau minus no attention: **{100 * short_gap:+.1f}** points on the "
        f"shortest sources ({table.index[0]} characters) and **"
        f"{100 * long_gap:+.1f}** points on the longest ({table.index[-1]}), "
        f"with {counts.iloc[0]} and {counts.iloc[-1]} test examples in those bins."
    )
)

# %% [markdown]
# ## Where the model looks: attention heatmaps
#
# Rows are output characters, columns the source characters (lower-cased, as
# the model read them; "␣" is a space). Red boxes mark the gold alignment: the
# year digits should look at the year, the month at the month name or number,
# the day at the day. The dashes come from no source character, so they have no
# box and their attention is free to wander. *Alignment accuracy* (in the table
# above) is the share of boxed output characters whose most-attended source
# character lies inside the box.

# %%
long_examples = np.argsort(-lengths, kind="stable")[: 3 * N_HEATMAPS : 3]
for name in ("Bahdanau", "Luong"):
    for i in long_examples:
        out = greedy[name][i]
        fig = plot_attention(
            out.attention,
            out.source_tokens,
            out.output_tokens,
            alignment=(
                test_pairs.alignments[i] if len(out.output_tokens) == 10 else None
            ),
            title=f"{name}: {test_pairs.sources[i]!r} -> {out.text!r}",
        )
        plt.show()

# %% [markdown]
# ## Greedy vs beam search
#
# Greedy decoding commits to the most likely character at each step. Beam search
# keeps the `BEAM_WIDTH` most likely partial outputs and returns the most likely
# complete one, so its answer never has a lower log-probability under the model
# (`rnn_zoo.models.decoding` keeps the greedy answer as a candidate). For dates,
# where the model is usually confident, the gain is small.

# %%
beam_rows = {}
for name in ("Bahdanau", "Luong"):
    beam = translators[name].decode(test_pairs.sources, beam_width=BEAM_WIDTH)
    greedy_scores = np.array([d.score for d in greedy[name]])
    beam_scores = np.array([d.score for d in beam])
    beam_rows[name] = {
        "greedy exact match": exact_match(predictions[name], test_pairs.targets),
        "beam exact match": exact_match([d.text for d in beam], test_pairs.targets),
        "answers changed": sum(
            b.text != g.text for b, g in zip(beam, greedy[name], strict=True)
        ),
        "mean log-prob greedy": greedy_scores.mean(),
        "mean log-prob beam": beam_scores.mean(),
    }
beam_table = pd.DataFrame(beam_rows).T
display(
    beam_table.style.format(
        {
            "greedy exact match": "{:.1%}",
            "beam exact match": "{:.1%}",
            "answers changed": "{:.0f}",
            "mean log-prob greedy": "{:.4f}",
            "mean log-prob beam": "{:.4f}",
        }
    )
)

# %% [markdown]
# ## A look at the wrong answers
#
# We review the attention model with more wrong answers (the other one, if
# they tie, is no better). For each wrong answer we ask the model how likely it finds
# its own answer and the right one (`Seq2SeqTranslator.score`). If the right
# answer scores *higher*, the model knew better and greedy search missed it: a
# **search error**, which a beam can fix. If it scores lower, the model itself
# prefers the wrong answer: a **model error**, fixed only by more or better
# training.

# %%
review_name = min(("Bahdanau", "Luong"), key=lambda name: em[name])
best = translators[review_name]
wrong = [
    i
    for i, (p, t) in enumerate(
        zip(predictions[review_name], test_pairs.targets, strict=True)
    )
    if p != t
]
shown = wrong[:N_WRONG]
if shown:
    sources = [test_pairs.sources[i] for i in shown]
    own = best.score(sources, [predictions[review_name][i] for i in shown])
    right = best.score(sources, [test_pairs.targets[i] for i in shown])
    display(
        pd.DataFrame(
            {
                "source": sources,
                "format": [test_pairs.formats[i] for i in shown],
                "target": [test_pairs.targets[i] for i in shown],
                "prediction": [predictions[review_name][i] for i in shown],
                "log p(prediction)": own.round(2),
                "log p(target)": right.round(2),
                "error": np.where(right > own, "search", "model"),
            }
        )
    )
    formats = pd.Series([test_pairs.formats[i] for i in wrong]).value_counts()
    display(
        Markdown(
            f"{review_name} gets {len(wrong)} of {N_TEST} test dates wrong; the "
            f"format with most errors is `{formats.index[0]}` ({formats.iloc[0]})."
        )
    )
else:
    display(Markdown(f"{review_name} gets every one of the {N_TEST} test dates right."))

# %% [markdown]
# ## Takeaways

# %%
minutes = (time.perf_counter() - START) / 60
display(
    Markdown(
        f"- After {steps_text} training steps, attention reached "
        f"{em['Bahdanau']:.1%} (Bahdanau) and {em['Luong']:.1%} (Luong) exact "
        f"match, against {em['no attention']:.1%} without it.\n"
        f"- The gap between Bahdanau and no attention was {100 * short_gap:+.1f} "
        f"points on the shortest sources and {100 * long_gap:+.1f} on the longest "
        "(see the plot for the bins in between, and the counts per bin).\n"
        f"- Attention found the gold source span for "
        + ", ".join(f"{v:.1%} ({k})" for k, v in alignment.items())
        + " of the aligned output characters: the weights are interpretable, not "
        "just a trick that helps the loss.\n"
        f"- Beam search (width {BEAM_WIDTH}) changed "
        + " and ".join(
            f"{int(r['answers changed'])} answers ({k})" for k, r in beam_rows.items()
        )
        + "; it never lowers the model's log-probability of its answer, but a "
        "likelier answer is not always the right one.\n"
        "- The no-attention model's training loss per epoch went "
        + " -> ".join(f"{v:.3f}" for v in losses["no attention"])
        + ", against "
        + " -> ".join(f"{v:.4f}" for v in losses["Bahdanau"])
        + " for Bahdanau: at this size the plain model learns much more slowly.\n"
        f"- This notebook ran in {minutes:.1f} minutes."
    )
)

# %% [markdown]
# **Train longer:** raise `EPOCHS` (the biggest lever: these models are
# still improving when training ends), then `UNITS` (64) and `N_TRAIN`
# (100,000). `python -m rnn_zoo dates train --out DIR --minutes 5` trains the
# default date model (wider years, any letter case) and reports held-out exact
# match; `python -m rnn_zoo dates translate --model DIR "MARCH 3, 2009"` uses
# it. A budget of 5 minutes per model on a 2-core CPU is what the benchmark in
# `benchmarks/seq2seq.py` uses.

# %% [markdown]
# ## Exercises
#
# 1. Set `CASE = None` (the formats' own case) and test on upper-case sources
#    (`make_date_pairs(..., case="upper")`). Predict first: does the model
#    still work? Why (look at how the source tokenizer was made)?
# 2. Train the no-attention model with `encoder_bidirectional=False` (pass it in
#    `MODEL`). Which source lengths suffer most, and why does reading backwards
#    help a model that must output the year first?
# 3. Compare Luong's three scores (`attention_score="dot"`, `"general"`,
#    `"concat"` in `MODEL`): parameters, exact match, alignment accuracy.
# 4. Translate `"the 31st of February 2021"` and `"13/13/21"`. What does the
#    model answer, and what does `score` say about how sure it is?
# 5. Hold out a block of years (`make_date_pairs(..., exclude_years=(2000,
#    2009))` for training, `years=(2000, 2009)` for testing). Which characters
#    of the answers go wrong?
#
# <details><summary>Solutions</summary>
#
# 1. It still works, because `create(lower=True)` lower-cases every source
#    before encoding, in training and in translation: the model never sees
#    case. With `lower=False` and `CASE = None`, upper-case test sources would
#    hold characters and words the model rarely or never saw in training;
#    expect exact match to drop sharply (try it).
# 2. A forward-only encoder's final state is dominated by what it read last,
#    while the decoder must write the year first; in "3 March 2021" the year is
#    at the end but in "2021.03.03" at the start. The backward half of a
#    bidirectional encoder has just read the *beginning* of the source, so the
#    two halves together summarise both ends. Compare the exact-match-by-length
#    tables of the two runs to see where it hurts.
# 3. "dot" has no attention parameters (it needs equal query and key widths,
#    which holds here: 2 * `UNITS` on both sides); "general" adds a
#    (2 * `UNITS`)² matrix; "concat" is Bahdanau's additive score. Differences
#    in exact match at these budgets are small next to the spread over seeds:
#    run two seeds before believing a ranking.
# 4. The model can only write ISO-shaped strings, and it has never seen an
#    impossible date, so it answers something date-like. Compare its `score`
#    with the scores of real dates: a low score is a cheap (not reliable)
#    warning. Validate outputs with `datetime.date.fromisoformat` in any real
#    use.
# 5. Compare predictions and targets position by position: the errors sit in
#    the year digits whose values were never seen in training. Models
#    generalise poorly to digit patterns they never saw vary, which is why the
#    default date model of the CLI trains on years 1000 to 2999 rather than
#    hoping it extrapolates.
#
# </details>

# %%
record_results(
    f"exact match: Bahdanau {em['Bahdanau']:.1%}, Luong {em['Luong']:.1%}, "
    f"no attention {em['no attention']:.1%} "
    f"(steps: {', '.join(str(v) for v in train_steps.values())})",
    exact_match={k: float(v) for k, v in em.items()},
    token_accuracy={k: float(v) for k, v in summary["token accuracy"].items()},
    alignment_accuracy={k: float(v) for k, v in alignment.items()},
    exact_match_by_length={
        name: {str(b): float(v) for b, v in table[name].items()} for name in KINDS
    },
    examples_by_length={str(b): int(v) for b, v in counts.items()},
    beam=beam_rows,
    train_steps=train_steps,
    n_test=N_TEST,
    n_wrong_reviewed=len(wrong),
    reviewed=review_name,
    best=best_name,
    minutes=round(minutes, 2),
)
