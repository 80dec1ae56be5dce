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
# # 08 · Learning to execute: an encoder-decoder that adds numbers
#
# **What you will learn**
# - how a sequence-to-sequence model learns to add numbers written as text
#   (`"123+456"` -> `"579"`), one character at a time, after keras-io's
#   *addition RNN* and Zaremba & Sutskever's *Learning to Execute* (2014)
# - how its accuracy falls with the number of digits, against a baseline that
#   adds digit by digit but never carries
# - the **input-reversal trick**, measured: reversed questions against questions
#   as written, the same number of training steps, several seeds
# - how to build the **encoder-decoder** with `keras.layers` (Embedding, LSTM
#   encoder, teacher-forced LSTM decoder, Dense) and train it stage by stage
# - **curriculum learning** (short numbers first) against a mix of all lengths
#   from the start, the same number of steps
# - whether the model **generalises to one more digit** than it was trained on
#   (an honest "no" is a result too)
#
# **Time:** 2:55 to run with the default parameters on an idle 2-core laptop CPU
# (measured by the latest `make tutorials`; README lists every notebook's time).

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
SEEDS = [0, 1, 2]  # every recipe is trained once per seed
MAX_DIGITS = 3  # longest operands in training; the test adds one digit more
STEPS_PER_STAGE = 200  # training steps per curriculum stage (MAX_DIGITS stages)
BATCH_SIZE = 128
UNITS = 128  # LSTM units of the encoder and of the decoder
EMBEDDING_DIM = 16
LEARNING_RATE = 0.01
CURRICULA = ["combined"]  # curricula tried on reversed questions: "naive", "combined"
TEST_PER_DIGIT = 200  # test problems per operand length
TIME_BUDGET = 120  # safety cap in seconds per model (a slow machine stops early)
N_SHOWN = 6  # problems shown per table

# %%
print(setup_notebook(SEED))

import keras  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

from rnn_zoo.datasets import (  # noqa: E402
    addition_test_set,
    make_addition_curriculum,
    make_addition_problems,
)
from rnn_zoo.evaluation import accuracy_by_digits, no_carry_answers  # noqa: E402
from rnn_zoo.models import (  # noqa: E402
    Seq2SeqTranslator,
    build_seq2seq,
)
from rnn_zoo.notebook import quiet_retracing_warnings  # noqa: E402
from rnn_zoo.plotting import plot_runs  # noqa: E402
from rnn_zoo.preprocessing import CharTokenizer  # noqa: E402
from rnn_zoo.training import (  # noqa: E402
    TimeBudget,
    build_optimizer,
    clearly_better,
    describe_difference,
    set_seed,
    summarize_runs,
)

unknown = sorted(set(CURRICULA) - {"naive", "combined"})
assert not unknown, f"CURRICULA: {unknown} unknown; use 'naive' and/or 'combined'"

# %% [markdown]
# ## The task: addition, written as text
#
# `make_addition_problems(n, k)` writes `n` questions `"a+b"` whose operands both
# have exactly `k` digits, with the answer `str(a + b)`. The model gets no
# numbers, only characters: it has to discover what the digits mean, which
# column goes with which, and how a carry moves left. The *reversed* question is
# the same string read backwards, the input-reversal trick we measure below.

# %%
shown = [make_addition_problems(2, k, seed=SEED) for k in range(1, MAX_DIGITS + 2)]
display(
    pd.DataFrame(
        {
            "digits": [k for p in shown for k in p.digits],
            "question": [q for p in shown for q in p.questions],
            "reversed question": [q[::-1] for p in shown for q in p.questions],
            "answer": [a for p in shown for a in p.answers],
        }
    )
)

# %% [markdown]
# The test set is fixed (`addition_test_set`): `TEST_PER_DIGIT` problems for
# each length from 1 to `MAX_DIGITS + 1`, the last one digit longer than
# anything in training. Every model is scored on these same problems. How many
# different problems exist of each length matters: one-digit sums can simply be
# memorised, longer ones cannot.

# %%
test = addition_test_set(MAX_DIGITS, TEST_PER_DIGIT, seed=1234)
n_train = STEPS_PER_STAGE * BATCH_SIZE * MAX_DIGITS  # problems seen per model
train_seen = make_addition_curriculum(
    STEPS_PER_STAGE * BATCH_SIZE, MAX_DIGITS, strategy="mix", seed=SEEDS[0]
)
seen = {q for stage in train_seen for q in stage.questions}
lengths = range(1, MAX_DIGITS + 2)
trained_lengths = list(lengths[:-1])
possible = {k: 100 if k == 1 else (9 * 10 ** (k - 1)) ** 2 for k in lengths}
in_training = accuracy_by_digits(
    ["seen" if q in seen else "new" for q in test.questions],
    ["seen"] * len(test.questions),
    test.digits,
)
display(
    pd.DataFrame(
        {
            "possible problems": possible,
            "test problems": {k: TEST_PER_DIGIT for k in lengths},
            f"share also in training (seed {SEEDS[0]}, mix)": {
                k: f"{v:.0%}" for k, v in in_training.items()
            },
        }
    ).rename_axis("operand digits")
)
display(
    Markdown(
        f"Each model trains on {n_train:,} problems (fresh ones at every step, "
        f"{STEPS_PER_STAGE * MAX_DIGITS:,} steps of {BATCH_SIZE}). Of the "
        f"{MAX_DIGITS}-digit test problems only "
        f"**{in_training[MAX_DIGITS]:.0%}** also occur in training, so accuracy "
        f"there measures addition, not memory; for 1 digit "
        f"({in_training[1]:.0%} seen) it measures memory as much as anything."
    )
)

# %% [markdown]
# ## Baseline first: add digit by digit, never carry
#
# Chance is about zero (an untrained model never writes the exact answer). A
# more useful yardstick is a rule that knows everything about addition except
# the carry: column by column, `(a_i + b_i) mod 10` (`no_carry_answers`). It is
# right exactly when no column carries, so its accuracy falls as the numbers
# grow. A model that does not beat it has not learned to carry.

# %%
baseline = accuracy_by_digits(
    no_carry_answers(test.questions), test.answers, test.digits
)
display(
    pd.Series(baseline, name="no-carry rule: exact match")
    .rename_axis("operand digits")
    .to_frame()
    .style.format("{:.1%}")
)

# %% [markdown]
# ## The model: a plain encoder-decoder
#
# As in keras-io's addition RNN: an LSTM **encoder** reads the question one
# character at a time, and its final state `(h, c)` is all the **decoder** LSTM
# knows about it; the decoder starts from that state and writes the answer one
# character at a time, each step ending in a `Dense` layer of scores (logits)
# over the next character. Characters enter as ids, through an `Embedding`
# (`mask_zero=True`: id 0 is padding, which the LSTMs skip and the loss
# ignores).
#
# In training the decoder reads the true previous character of the answer
# (**teacher forcing**): its input is the answer shifted right behind a start
# token `<s>`, its target the answer followed by an end token `</s>`. keras-io's
# version instead copies the encoder's state to every output step with
# `RepeatVector`, so its decoder never sees what it wrote; here, in the test,
# the decoder reads its own previous output (greedy decoding), one step at a
# time.

# %%
source_tokenizer = CharTokenizer().fit(["0123456789+"])  # every question character
target_tokenizer = CharTokenizer(start_token="<s>", end_token="</s>").fit(
    ["0123456789"]
)
MAX_SOURCE = 2 * (MAX_DIGITS + 1) + 1  # the longest test question, "a+b"
MAX_TARGET = (MAX_DIGITS + 2) + 1  # the longest answer, plus the end token


def build_adder(units: int, embedding_dim: int) -> keras.Model:
    """LSTM encoder -> final state -> LSTM decoder with teacher forcing -> logits.

    The layer names are the ones `build_seq2seq` uses, so the package's decoding
    (`Seq2SeqTranslator`) can find the encoder and the decoder by name.
    """
    source = keras.Input((None,), dtype="int32", name="source")
    target_in = keras.Input((None,), dtype="int32", name="target_in")
    # encoder: character ids -> vectors -> LSTM; we keep only its final state
    # (its outputs at every step are what attention would read: exercise 3)
    x = keras.layers.Embedding(
        source_tokenizer.vocab_size,
        embedding_dim,
        mask_zero=True,
        name="source_embedding",
    )(source)
    _, state_h, state_c = keras.layers.LSTM(
        units, return_sequences=True, return_state=True, name="encoder_0"
    )(x)
    # decoder: starts from the encoder's final state, reads <s> + the answer
    y = keras.layers.Embedding(
        target_tokenizer.vocab_size,
        embedding_dim,
        mask_zero=True,
        name="target_embedding",
    )(target_in)
    y, _, _ = keras.layers.LSTM(
        units, return_sequences=True, return_state=True, name="decoder"
    )(y, initial_state=[state_h, state_c])
    logits = keras.layers.Dense(target_tokenizer.vocab_size, name="logits")(y)
    return keras.Model([source, target_in], logits, name="adder")


def make_translator(model: keras.Model) -> Seq2SeqTranslator:
    """Bundle the model with the tokenizers: encodes pairs, decodes greedily."""
    return Seq2SeqTranslator(
        model,
        source_tokenizer,
        target_tokenizer,
        max_source_length=MAX_SOURCE,
        max_target_length=MAX_TARGET,
    )


model = build_adder(UNITS, EMBEDDING_DIM)
model.summary()  # not_equal: the padding mask that mask_zero=True passes on

# %% [markdown]
# One training pair as the model sees it: the encoder reads the (here
# reversed) question, the decoder reads `<s>` and the answer, and must write
# the answer and `</s>`, one step later. `·` is padding (id 0).

# %%
example = "123+456"
a, b = example.split("+")
example_answer = str(int(a) + int(b))
translator = make_translator(model)
(source_ids, target_in), target_out = translator.teacher_forcing(
    [example[::-1]], [example_answer]
)


def spell(ids, tokenizer) -> list[str]:
    """Token ids -> their characters, with '·' for padding."""
    return [tokenizer.vocabulary_[i] if i else "·" for i in ids]


pairs = {
    "encoder reads (reversed question)": spell(source_ids[0], source_tokenizer),
    "decoder reads": spell(target_in[0], target_tokenizer),
    "decoder must write": spell(target_out[0], target_tokenizer),
}
width = max(len(row) for row in pairs.values())
display(
    pd.DataFrame(
        [row + [""] * (width - len(row)) for row in pairs.values()],
        index=list(pairs),
        columns=[f"step {i}" for i in range(1, width + 1)],
    )
)

# %% [markdown]
# `rnn_zoo.models.build_seq2seq` builds this same model for copy-paste (with
# `attention=None` and a one-way encoder); it gives the same layers and the
# same number of parameters:

# %%
builder = build_seq2seq(
    source_tokenizer.vocab_size,
    target_tokenizer.vocab_size,
    attention=None,
    encoder_bidirectional=False,
    cell="lstm",
    units=UNITS,
    embedding_dim=EMBEDDING_DIM,
)


def layer_table(m: keras.Model) -> pd.DataFrame:
    """Layer type and parameter count, by layer name."""
    return pd.DataFrame(
        {
            "type": {layer.name: type(layer).__name__ for layer in m.layers},
            "parameters": {layer.name: layer.count_params() for layer in m.layers},
        }
    )


ours = layer_table(model)
theirs = layer_table(builder).reindex(ours.index)
display(pd.concat({"build_adder (above)": ours, "build_seq2seq": theirs}, axis=1))
same = ours.equals(theirs) and len(model.layers) == len(builder.layers)
display(
    Markdown(
        f"Same layers: **{'yes' if same else 'no'}**; parameters "
        f"{model.count_params():,} (ours) and {builder.count_params():,} "
        "(`build_seq2seq`)."
    )
)

# %% [markdown]
# ### Why should reversing the question help?
#
# The decoder writes the answer's **leading** digit first, and that digit
# depends on the operands' leading digits (and on every carry below them).

# %%
leading = example[0]  # the first operand's leading digit
gap = {
    "as written": len(example) - 1 - example.index(leading),
    "reversed": len(example) - 1 - example[::-1].index(leading),
}
display(
    Markdown(
        f"Written as is, `{example}`, the first operand's leading digit "
        f"`{leading}` is read **{gap['as written']}** characters before the "
        f"encoder stops (`{example[1:]}` follow it); reversed, "
        f"`{example[::-1]}`, it is the very last character read "
        f"({gap['reversed']} after it), right before the decoder starts writing."
    )
)

# %% [markdown]
# Sutskever et al. (2014) found that reversing the source sentence in
# translation creates such short-range dependencies and makes optimisation
# easier, and keras-io's addition RNN reverses its questions for that reason.
# (The last digits then move far from the start of the answer instead; what
# matters is which dependencies the LSTM must carry furthest.) We measure
# whether it helps here.
#
# ## Curriculum: short numbers first?
#
# Training runs in `MAX_DIGITS` stages of `STEPS_PER_STAGE` steps on fresh
# problems. The recipes differ only in which lengths each stage draws
# (`make_addition_curriculum`), Zaremba & Sutskever's strategies:
#
# - `"mix"`: every stage draws every length with equal odds (their *mix*
#   strategy, our control; their "no curriculum" baseline, which trains on the
#   longest problems only, is not run here);
# - `"naive"`: stage *s* has only *s*-digit problems (short numbers first);
# - `"combined"` (the strategy they found best): each problem is from the naive
#   stage or from the mix, with equal odds, so no length is forgotten.
#
# The share of each length in each stage:

# %%
mix = {
    strategy: [
        pd.Series(stage.digits).value_counts(normalize=True).reindex(trained_lengths)
        for stage in make_addition_curriculum(
            3000, MAX_DIGITS, strategy=strategy, seed=0
        )
    ]
    for strategy in ("mix", *CURRICULA)
}
display(
    pd.concat(
        {
            f"{strategy}, stage {s}": share
            for strategy, stages in mix.items()
            for s, share in enumerate(stages, start=1)
        },
        axis=1,
    )
    .fillna(0)
    .T.rename(columns=lambda k: f"{k} digit{'s' if k > 1 else ''}")
    .style.format("{:.0%}")
)

# %% [markdown]
# ## The training loop
#
# `train_adder` trains one fresh model through the stages, one pass over each
# stage's problems (`STEPS_PER_STAGE` steps of `BATCH_SIZE`), with Adam and
# gradient clipping at norm 1, then scores it on the test set by operand
# length. The optimizer is created once, so its state carries over from stage
# to stage; only the data changes. The seed fixes the initial weights (the same
# for every recipe with that seed) and the training problems.


# %%
def train_adder(*, reverse: bool, curriculum: str, seed: int) -> dict:
    """Train one adder on a curriculum; score it by operand length."""
    stages = make_addition_curriculum(
        STEPS_PER_STAGE * BATCH_SIZE,
        MAX_DIGITS,
        strategy=curriculum,
        reverse=reverse,
        seed=seed,
    )
    set_seed(seed)
    model = build_adder(UNITS, EMBEDDING_DIM)
    model.compile(
        optimizer=keras.optimizers.Adam(LEARNING_RATE, clipnorm=1.0),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    build_optimizer(model)  # Adam's moments now: fit traces its step once, not twice
    translator = make_translator(model)
    start, stage_losses = time.perf_counter(), []
    for stage in stages:
        left = TIME_BUDGET - (time.perf_counter() - start)
        if left <= 0:
            break  # a slow machine: report fewer steps rather than run on
        x, y = translator.teacher_forcing(stage.questions, stage.answers)
        history = model.fit(
            x,
            y,
            batch_size=BATCH_SIZE,
            epochs=1,
            verbose=0,
            callbacks=[TimeBudget(left)],
        )
        stage_losses.append(history.history["loss"][-1])
    seconds = time.perf_counter() - start
    # the test: greedy decoding, each step reads the model's own previous output
    questions = [q[::-1] for q in test.questions] if reverse else test.questions
    predictions = translator.translate(questions)
    return {
        "translator": translator,
        "steps": int(keras.ops.convert_to_numpy(model.optimizer.iterations)),
        "seconds": seconds,
        "stage_losses": stage_losses,
        "exact_match": accuracy_by_digits(predictions, test.answers, test.digits),
        "token_accuracy": accuracy_by_digits(
            predictions, test.answers, test.digits, metric="token_accuracy"
        ),
    }


# %% [markdown]
# ## The recipes, the same steps, several seeds
#
# Every model has the same size and takes the same number of steps with the same
# optimiser; the recipes differ only in the question's direction and in the
# order of the training data. Each recipe is trained with every seed in
# `SEEDS`. One line per model.

# %%
RECIPES = {
    "as written": {"reverse": False, "curriculum": "mix"},
    "reversed": {"reverse": True, "curriculum": "mix"},
    **{f"reversed + {c}": {"reverse": True, "curriculum": c} for c in CURRICULA},
}
runs, rows = {}, []
with quiet_retracing_warnings():  # a new model per run retraces, as expected
    for name, recipe in RECIPES.items():
        for seed in SEEDS:
            run = runs[name, seed] = train_adder(**recipe, seed=seed)
            rows += [
                {
                    "config": name,
                    "seed": seed,
                    "digits": k,
                    "exact_match": v,
                    "token_accuracy": run["token_accuracy"][k],
                }
                for k, v in run["exact_match"].items()
            ]
            trained = np.mean([run["exact_match"][k] for k in trained_lengths])
            print(
                f"{name:>22s}  seed {seed}: {run['steps']:,} steps in "
                f"{run['seconds']:5.1f} s, loss {run['stage_losses'][-1]:.4f}, "
                f"exact match {trained:6.1%} on 1-{MAX_DIGITS} digits, "
                f"{run['exact_match'][MAX_DIGITS + 1]:6.1%} on {MAX_DIGITS + 1}",
                flush=True,
            )
frame = pd.DataFrame(rows)
names = list(RECIPES)
steps = {name: sorted({runs[name, s]["steps"] for s in SEEDS}) for name in names}
display(
    Markdown(
        f"Every model has **{model.count_params():,}** parameters. Steps per "
        "model: "
        + ", ".join(f"{n} {'/'.join(f'{v:,}' for v in steps[n])}" for n in names)
        + " (fewer than planned only where `TIME_BUDGET` stopped a run)."
    )
)

# %% [markdown]
# ## Accuracy against the number of digits
#
# Exact match (the whole answer right) on the test problems of each length. The
# lines are the mean over seeds, the bands the range from the worst to the best
# seed; the dashed line is the no-carry rule. Lengths right of the dotted line
# were never seen in training.

# %%
per_run = (
    frame.groupby(["config", "seed"], sort=False)["exact_match"]
    .agg(list)
    .rename("exact match by digits")
    .reset_index()
)
fig, ax = plt.subplots()
plot_runs(
    per_run,
    "exact match by digits",
    title="Exact match on held-out sums, by operand length (mean, min-max band)",
    xlabel="digits per operand",
    ylabel="exact match (share of test sums)",
    ax=ax,
)
ax.plot(list(baseline), list(baseline.values()), "k--", label="no-carry rule")
ax.axvline(MAX_DIGITS + 0.5, color="0.5", linestyle=":", label="trained up to here")
ax.set_xticks(list(lengths))
ax.set_ylim(-0.02, 1.02)
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))  # beside the bands
plt.show()

summary = pd.concat(
    {k: summarize_runs(frame[frame["digits"] == k], "exact_match") for k in lengths},
    names=["digits"],
)
table = (
    summary.apply(
        lambda r: (
            f"{r['mean']:.1%} ± {r['std']:.1%} ({r['min']:.0%}-{r['max']:.0%})"
            if r["runs"] > 1
            else f"{r['mean']:.1%} (one seed)"
        ),
        axis=1,
    )
    .unstack("digits")
    .reindex(names)
)
table.columns = [
    f"{k} digit{'s' if k > 1 else ''}" + (" (untrained)" if k > MAX_DIGITS else "")
    for k in lengths
]
table.loc["no-carry rule"] = [f"{baseline[k]:.1%}" for k in lengths]
display(table)
mean = summary["mean"].unstack("digits").reindex(names)

# %% [markdown]
# Each cell: mean ± standard deviation over seeds (worst-best seed in brackets).

# %%
best = mean[MAX_DIGITS].idxmax()
falls = mean.loc[best, 1] > mean.loc[best, MAX_DIGITS]
beats = [k for k in lengths[:-1] if summary.loc[(k, best), "min"] > baseline[k]]
display(
    Markdown(
        f"The best recipe at {MAX_DIGITS} digits, **{best}**, gets "
        + ", ".join(
            f"{mean.loc[best, k]:.1%} ({k} digit{'s' if k > 1 else ''})"
            for k in lengths[:-1]
        )
        + " against the no-carry rule's "
        + ", ".join(f"{baseline[k]:.1%}" for k in lengths[:-1])
        + ". Every seed of it beats the rule at "
        + (
            (", ".join(str(k) for k in beats) + " digits")
            if beats
            else "no length: at this budget it has not learned to carry reliably"
        )
        + f". Accuracy {'falls' if falls else 'does not fall'} with the number "
        f"of digits: {mean.loc[best, 1]:.1%} at 1 digit, "
        f"{mean.loc[best, MAX_DIGITS]:.1%} at {MAX_DIGITS}."
    )
)
below = [
    f"{name} at {k} digit{'s' if k > 1 else ''} ({mean.loc[name, k]:.1%} vs "
    f"{baseline[k]:.1%})"
    for name in names
    for k in lengths[:-1]
    if mean.loc[name, k] < baseline[k]
]
display(
    Markdown(
        "Below the no-carry rule on average: "
        + (
            "; ".join(below) + ". There the model has not learned to carry."
            if below
            else "no recipe at any trained length."
        )
    )
)


# %% [markdown]
# ## Did reversing the input help? Did the curriculum?
#
# We compare recipes on two numbers per run: the exact match on the longest
# trained length (`MAX_DIGITS` digits, the hardest part of the training
# distribution) and the mean over all trained lengths. `describe_difference`
# (from `rnn_zoo.training.experiments`) calls a difference shown only when the ranges
# over seeds do not overlap: every seed of the winner beats every seed of the
# other (`clearly_better`). With three seeds that is a modest bar; where the
# ranges overlap, or with a single seed, the honest conclusion is "not shown".

# %%
METRICS = {  # per run, in percent
    "longest": f"exact match at {MAX_DIGITS} digits (%)",
    "trained mean": f"exact match, mean over 1-{MAX_DIGITS} digits (%)",
}
scores = pd.DataFrame(
    [
        {
            "config": n,
            "seed": s,
            METRICS["longest"]: 100 * runs[n, s]["exact_match"][MAX_DIGITS],
            METRICS["trained mean"]: 100
            * np.mean([runs[n, s]["exact_match"][k] for k in trained_lengths]),
        }
        for n in names
        for s in SEEDS
    ]
)
PAIRS = {
    "reversal": ("reversed", "as written"),
    **{f"{c} curriculum": (f"reversed + {c}", "reversed") for c in CURRICULA},
}
comparisons = []
for label, (a, b) in PAIRS.items():
    for metric in METRICS.values():
        winner = clearly_better(scores, metric, a, b, lower_is_better=False)
        comparisons.append(
            {
                "label": label,
                "metric": metric,
                "first": a,
                "second": b,
                "winner": winner if len(SEEDS) > 1 else None,  # one seed: no range
                "sentence": describe_difference(
                    scores, metric, a, b, lower_is_better=False, digits=3
                ),
            }
        )
display(
    Markdown("\n".join(f"- **{c['label']}**: {c['sentence']}" for c in comparisons))
)

# %% [markdown]
# The training loss at the end of each stage, averaged over seeds. A
# curriculum's stages hold other lengths than the mix, so its losses are not
# comparable with the others'; only recipes trained on the same mix of lengths
# (`as written` and `reversed`) compare like with like.

# %%
losses = pd.DataFrame(
    {
        name: np.mean([runs[name, s]["stage_losses"] for s in SEEDS], axis=0)
        for name in names
    },
    index=[f"end of stage {s}" for s in range(1, MAX_DIGITS + 1)],
).T
display(losses.style.format("{:.3f}"))
last = losses.iloc[:, -1]
agree = (last["reversed"] < last["as written"]) == (
    mean.loc["reversed", MAX_DIGITS] > mean.loc["as written", MAX_DIGITS]
)
display(
    Markdown(
        f"On the same mix, the last stage ended at a loss of "
        f"{last['reversed']:.3f} reversed and {last['as written']:.3f} as "
        "written: "
        + (
            "the same order as their exact match above."
            if agree
            else "the opposite order to their exact match above (a lower loss "
            "is not the same as more answers exactly right)."
        )
    )
)

# %% [markdown]
# ## One digit more than it was trained on
#
# Now the test the title asks for: sums of two `MAX_DIGITS + 1`-digit numbers.
# The model has never read an operand that long, nor (for most of them) written
# an answer that long.

# %%
next_digit = MAX_DIGITS + 1
token = (
    frame[frame["digits"] == next_digit]
    .groupby("config", sort=False)["token_accuracy"]
    .mean()
)
display(
    pd.DataFrame(
        {
            f"exact match at {next_digit} digits": mean[next_digit],
            f"exact match at {MAX_DIGITS} digits": mean[MAX_DIGITS],
            f"characters right at {next_digit} digits": token,
        }
    ).style.format("{:.1%}")
)
best_seed = max(SEEDS, key=lambda s: runs[best, s]["exact_match"][MAX_DIGITS])
translator = runs[best, best_seed]["translator"]
rows = np.flatnonzero(test.digits == next_digit)
reverse = RECIPES[best]["reverse"]
questions = [test.questions[i] for i in rows]
answers = [test.answers[i] for i in rows]
outputs = translator.translate([q[::-1] for q in questions] if reverse else questions)
right_length = np.mean(
    [len(o) == len(a) for o, a in zip(outputs, answers, strict=True)]
)
display(
    pd.DataFrame(
        {
            "question": questions[:N_SHOWN],
            "answer": answers[:N_SHOWN],
            f"model ({best}, seed {best_seed})": outputs[:N_SHOWN],
            "right": [o == a for o, a in zip(outputs[:N_SHOWN], answers, strict=False)],
        }
    )
)
lengths_out = pd.Series([len(o) for o in outputs]).value_counts(normalize=True)

# %%
generalises = mean[next_digit].max()
display(
    Markdown(
        f"At {next_digit} digits no recipe gets more than **{generalises:.1%}** "
        f"of the sums exactly right on average (the best one at {MAX_DIGITS} "
        f"digits, {best}, got {mean.loc[best, MAX_DIGITS]:.1%} there); the "
        f"no-carry rule gets {baseline[next_digit]:.1%}. "
        + (
            "So **no**: the model does not generalise to one more digit; it does "
            "no better than a rule that cannot carry. "
            if generalises <= baseline[next_digit]
            else "So it carries over only part of what it learned. "
        )
        + f"{right_length:.0%} of its {next_digit}-digit answers have the right "
        f"number of characters; the most common output length is "
        f"{lengths_out.index[0]} characters ({lengths_out.iloc[0]:.0%} of them). "
        "What the model learned is tied to the lengths it saw, not the "
        "column-by-column algorithm that works for any length."
    )
)

# %% [markdown]
# ## Takeaways

# %%
minutes = (time.perf_counter() - START) / 60
verdict = {(c["label"], c["metric"]): c for c in comparisons}
rev = verdict["reversal", METRICS["longest"]]
display(
    Markdown(
        "- A plain LSTM encoder-decoder "
        + ("learned to add" if len(beats) == MAX_DIGITS else "learned to add in part")
        + ": after "
        f"{STEPS_PER_STAGE * MAX_DIGITS:,} steps the best recipe ({best}) gets "
        + ", ".join(f"{mean.loc[best, k]:.1%}" for k in lengths[:-1])
        + f" of 1- to {MAX_DIGITS}-digit sums exactly right, against "
        + ", ".join(f"{baseline[k]:.1%}" for k in lengths[:-1])
        + " for the rule that never carries"
        + ("; accuracy falls as the numbers grow.\n" if falls else ".\n")
        + f"- Input reversal, on {MAX_DIGITS}-digit sums: {rev['sentence']}\n"
        + "".join(
            f"- The {c} curriculum ("
            + (
                "short numbers first"
                if c == "naive"
                else "short numbers first, half of each stage mixed with all lengths"
            )
            + f") against the mix, both reversed: "
            f"{verdict[f'{c} curriculum', METRICS['longest']]['sentence']}\n"
            for c in CURRICULA
        )
        + f"- One digit more than in training: at most **{generalises:.1%}** exact "
        f"match (the no-carry rule: {baseline[next_digit]:.1%})"
        + (
            ": the model learned the lengths it saw, not the algorithm.\n"
            if generalises <= baseline[next_digit]
            else f": it transfers part of what it learned ({generalises:.1%} vs "
            f"{mean.loc[best, MAX_DIGITS]:.1%} at {MAX_DIGITS} digits).\n"
        )
        + f"- {len(SEEDS)} seeds per recipe; a difference counts only when the "
        f"seed ranges do not overlap. This notebook ran in {minutes:.1f} minutes.\n"
        "- The loss of the `reversed` recipe (the same mix of lengths in every "
        f"stage) went {' -> '.join(f'{v:.3f}' for v in losses.loc['reversed'])} "
        "over the stages: "
        + (
            "still falling when training ended, so more steps should help."
            if losses.shape[1] > 1
            and losses.loc["reversed"].iloc[-1] < losses.loc["reversed"].iloc[-2]
            else "no longer falling at the end."
        )
    )
)

# %% [markdown]
# **Train longer:** raise `STEPS_PER_STAGE` (the biggest lever; training time
# grows in proportion), then `UNITS`. `SEEDS =
# [0, 1, 2, 3, 4]` makes the comparisons sharper. The full-size checks of this
# notebook's claims, with 3 seeds and a longer budget, are in
# `python benchmarks/craft.py execute` (results in the README).

# %% [markdown]
# ## Exercises
#
# 1. Reverse the **answers** as well, so the decoder writes the units digit
#    first: `train_adder` does not, so reverse the answers it trains on and
#    compare its predictions with the reversed test answers. Predict first: why
#    should writing the least significant digit first make the carry easier?
# 2. Give the encoder both directions: in `build_adder`, wrap the encoder in
#    `keras.layers.Bidirectional(...)`, concatenate the forward and backward
#    `h` (and `c`) states, and give the decoder `2 * units` (or use
#    `build_seq2seq(..., encoder_bidirectional=True, attention=None)`, whose
#    layer names the translator knows). Does reversal still matter? Why would
#    it not?
# 3. Add Bahdanau attention: let `build_adder` return
#    `build_seq2seq(..., encoder_bidirectional=False, attention="bahdanau")`.
#    Does the model now get more of the `MAX_DIGITS + 1`-digit sums right?
# 4. Set `CURRICULA = ["naive", "combined"]`. Look at the 1-digit accuracy of
#    the naive recipe and at the loss table: what happens to what it learned in
#    the first stage?
# 5. Train on `MAX_DIGITS = 2` and test on 3 digits. Is the drop to the unseen
#    length as sharp as it is here?
#
# <details><summary>Solutions</summary>
#
# 1. Written units-first, each answer digit depends only on the operand digits
#    of its own column and on the carry from the digit just written: the
#    decoder can produce the answer in the order a person computes it, carrying
#    forward. Written leading-digit-first, the first character depends on every
#    column below it. Expect faster learning with reversed answers (measure it:
#    same steps, three seeds).
# 2. A bidirectional encoder's backward half has just read the *start* of the
#    question when it finishes, so both ends are fresh in the final state
#    whichever way the question is written: the gap between "reversed" and "as
#    written" should shrink or vanish (check the seed ranges before saying so).
# 3. Attention lets each output step look at the input characters directly, so
#    the model no longer has to squeeze the question into one state. It usually
#    helps within the trained lengths; at the unseen length it still has to
#    attend to positions it never used, so expect at most a partial gain: test,
#    don't assume.
# 4. A naive curriculum spends its last stage on `MAX_DIGITS`-digit problems
#    only; the shorter lengths are no longer practised, and their accuracy
#    drops (catastrophic forgetting): in `benchmarks/craft.py execute` (1,800
#    steps, 3 seeds) the naive recipe got 0.0% of 1- and 2-digit sums right on
#    every seed. That is why Zaremba & Sutskever's combined strategy keeps
#    mixing all lengths in (half of each stage is the mix).
# 5. Expect the same cliff: the model learns the lengths it sees. Compare
#    `exact match` at `MAX_DIGITS + 1` in both runs.
#
# </details>

# %%
record_results(
    f"exact match at {MAX_DIGITS} digits: "
    + ", ".join(f"{n} {mean.loc[n, MAX_DIGITS]:.1%}" for n in names)
    + f"; at {next_digit} digits (untrained) at most {generalises:.1%}",
    exact_match_by_digits={
        n: {str(k): float(mean.loc[n, k]) for k in lengths} for n in names
    },
    exact_match_by_seed={
        f"{n} / seed {s}": {
            str(k): float(v) for k, v in runs[n, s]["exact_match"].items()
        }
        for n in names
        for s in SEEDS
    },
    no_carry_baseline={str(k): float(v) for k, v in baseline.items()},
    comparisons=comparisons,
    metrics=METRICS,
    reversal_winner=rev["winner"],
    leading_digit_gap=gap,
    steps={n: steps[n] for n in names},
    params=model.count_params(),
    builder_params=builder.count_params(),
    same_layers_as_builder=bool(same),
    next_digit_exact_match=float(generalises),
    next_digit_right_length=float(right_length),
    test_per_digit=TEST_PER_DIGIT,
    seeds=list(SEEDS),
    curricula=list(CURRICULA),
    minutes=round(minutes, 2),
)
