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
# # 07 · Bidirectional RNNs: read the future to tag, never to forecast
#
# **What you will learn**
# - a tagging task where each token's tag depends on the token that *follows*
#   it, and the exact best accuracy any model that reads only forwards can reach
# - a unidirectional against a bidirectional RNN **at the same number of
#   parameters** (counted, not assumed), over several seeds, with the spread
# - the four ways `keras.layers.Bidirectional` merges its two directions
#   (`concat`, `sum`, `ave`, `mul`), compared on the same task
# - masking: a padded batch gives exactly the outputs of its unpadded rows, and
#   what the padding does to a bidirectional model without the mask
# - why a bidirectional model cannot forecast the next step: a leaky set-up
#   where it beats the noise floor (impossible for a real forecast), and the
#   honest one where it does several times worse than a unidirectional model
#
# **Time:** about 3.5 minutes on an otherwise idle 2-core laptop CPU with the
# default parameters (one small model per seed and configuration, plus two
# forecasters); on a busy machine, up to twice that.
#
# A bidirectional RNN runs two recurrent layers over the sequence, one forwards
# and one backwards, and combines their outputs at every step. At step $t$ the
# forward layer has read $x_1 \dots x_t$ and the backward layer $x_T \dots x_t$:
# together, the whole sequence. That is what you want when the whole sequence is
# known before you answer (tagging a finished sentence) and exactly what you must
# not have when the answer is about the future.

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
SEEDS = [0, 1, 2]  # one model per seed and configuration
N_TRAIN = 1000  # tagging: training sequences
N_TEST = 500  # tagging: held-out sequences
MIN_LENGTH = 8  # tagging: shortest sequence
MAX_LENGTH = 20  # tagging: longest sequence (the padded width)
N_SYMBOLS = 8  # tagging: distinct tokens
LOOKAHEAD = 1  # tagging: the compared token lies this many steps ahead
CELL = "gru"
UNITS = 24  # width of the unidirectional model; the bidirectional one matches its size
EMBEDDING_DIM = 8
MERGE_MODES = ["concat", "sum", "ave", "mul"]
EPOCHS = 4  # tagging: epochs per model
BATCH_SIZE = 32
LEARNING_RATE = 0.01
TIME_BUDGET = 60  # safety cap in seconds per model, for slow machines
N_SERIES = 512  # forecasting: training series (a quarter as many for testing)
SERIES_LENGTH = 40  # forecasting: steps per series
NOISE = 0.1  # forecasting: standard deviation of the noise on the sine waves
FORECAST_UNITS = 16
FORECAST_EPOCHS = 10

# %%
print(setup_notebook(SEED))

import keras  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

from rnn_zoo.datasets import (  # noqa: E402
    TAG_NAMES,
    forward_only_ceiling,
    make_sine_waves,
    make_tagging_task,
)
from rnn_zoo.evaluation import (  # noqa: E402
    leak_scores,
    padding_gap,
    prefix_predictions,
    tag_accuracy,
    tagging_configs,
    train_step_forecaster,
)
from rnn_zoo.experiments import clearly_better, compare_runs, summarize_runs  # noqa: E402
from rnn_zoo.plotting import plot_runs  # noqa: E402

# %% [markdown]
# ## The task: tag each token by the one that follows it
#
# `rnn_zoo.datasets.make_tagging_task` draws sequences of `MIN_LENGTH` to
# `MAX_LENGTH` tokens (ids 1 to `N_SYMBOLS`) and tags every token by comparing it
# with the token `LOOKAHEAD` steps later: **higher**, **lower**, **same**, or
# **end** when nothing follows that far. Shorter rows are padded with 0 (token and
# tag) to a common width. A part-of-speech tagger has the same problem in
# miniature: "book" is a noun or a verb depending on the words around it.

# %%
task = dict(
    min_length=MIN_LENGTH,
    max_length=MAX_LENGTH,
    n_symbols=N_SYMBOLS,
    lookahead=LOOKAHEAD,
)
train = make_tagging_task(N_TRAIN, seed=SEED, **task)
test = make_tagging_task(N_TEST, seed=SEED + 1, **task)
row = int(np.argmin(test.lengths))  # a short row, to show its padding
display(
    pd.DataFrame(
        [test.tokens[row], [TAG_NAMES[t] for t in test.tags[row]]],
        index=["token", "tag"],
        columns=[f"t={t}" for t in range(MAX_LENGTH)],
    )
)
display(
    Markdown(
        f"Test row {row} has {test.lengths[row]} real tokens and "
        f"{MAX_LENGTH - test.lengths[row]} steps of padding. Train: "
        f"{N_TRAIN} sequences, {int((train.tags > 0).sum()):,} tags; test: "
        f"{N_TEST} sequences, {int((test.tags > 0).sum()):,} tags."
    )
)

# %% [markdown]
# ## Baselines: the majority tag, and the ceiling of reading forwards
#
# Always answering the most common training tag is the floor. More useful is the
# ceiling of any model that reads only the past: at step $t$ it knows the token
# $x_t$ but not $x_{t+1}$, so the best it can do is guess the most likely tag for
# $x_t$ (shown for a few tokens below) and, near the end of the longest possible
# rows, "end".
# `forward_only_ceiling` computes that best expected accuracy exactly from the
# task's definition. A bidirectional model has no such ceiling: every tag is a
# function of the sequence, so it can reach 100%.

# %%
counts = np.bincount(train.tags[train.tags > 0], minlength=len(TAG_NAMES))
majority_tag = int(np.argmax(counts))
majority = tag_accuracy(test.tags, np.full_like(test.tags, majority_tag))
ceiling = forward_only_ceiling(**task)
display(
    Markdown(
        f"- Majority tag (**{TAG_NAMES[majority_tag]}**): test accuracy "
        f"**{majority:.3f}**.\n"
        f"- Best possible accuracy reading forwards only: **{ceiling:.3f}**. "
        f'(Seeing token 1, "higher" is right {N_SYMBOLS - 1} times in {N_SYMBOLS}; '
        f"seeing token {N_SYMBOLS // 2}, the best guess is right "
        f"{max(N_SYMBOLS // 2 - 1, N_SYMBOLS - N_SYMBOLS // 2, 1)} times in "
        f"{N_SYMBOLS}.)\n"
        "- Best possible accuracy reading both ways: **1.000**."
    )
)

# %% [markdown]
# ## Unidirectional against bidirectional, at the same parameter budget
#
# A `Bidirectional` layer holds two recurrent layers, so at the same `units` it has
# about twice the parameters, and "bidirectional wins" could just mean "bigger
# wins". `rnn_zoo.models.units_for_budget` finds the width per direction at which
# the bidirectional tagger has (nearly) as many parameters as the unidirectional
# one of `UNITS` units. Both are `rnn_zoo.models.build_sequence_tagger`: token
# embedding (`mask_zero=True`), one recurrent layer returning every step, and a
# `Dense` of tag logits at every step.

# %%
build, all_configs = tagging_configs(
    N_SYMBOLS + 1,
    len(TAG_NAMES),
    units=UNITS,
    merge_modes=MERGE_MODES,
    cell=CELL,
    embedding_dim=EMBEDDING_DIM,
)
configs = {name: all_configs[name] for name in ("unidirectional", "bidirectional")}
BI_UNITS = configs["bidirectional"]["units"]
params = {name: build(**settings).count_params() for name, settings in configs.items()}
uni_params = params["unidirectional"]
display(
    Markdown(
        f"Unidirectional {CELL.upper()}, {UNITS} units: **{params['unidirectional']:,}"
        f"** parameters. Bidirectional, {BI_UNITS} units per direction: "
        f"**{params['bidirectional']:,}** parameters "
        f"({params['bidirectional'] / params['unidirectional'] - 1:+.1%}). "
        f"Same data, {EPOCHS} epochs each, seeds {SEEDS}."
    )
)

# %%
common = dict(  # the same for every run of this notebook
    build=build,
    train=(train.tokens, train.tags),
    validation=(test.tokens, test.tags),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],  # masked: padded steps do not count
    batch_size=BATCH_SIZE,
    learning_rate=LEARNING_RATE,
    seconds=TIME_BUDGET,
)
runs = compare_runs(configs, SEEDS, EPOCHS, history=True, keep_models=True, **common)


# %%
def accuracy_table(runs):
    """Mean, spread and range over seeds of the held-out tag accuracy."""
    table = summarize_runs(runs, "final_val_accuracy")
    table.insert(0, "params", runs.groupby("config", sort=False)["params"].first())
    return table[["params", "mean", "std", "min", "max", "runs"]]


def mean_pm(table, name):
    """'mean ± std' of one configuration (std 0 for a single seed)."""
    spread = np.nan_to_num(table.loc[name, "std"])
    return f"{table.loc[name, 'mean']:.4f} ± {spread:.4f}"


direction_table = accuracy_table(runs)
display(direction_table.style.format("{:.3f}", subset=["mean", "std", "min", "max"]))
fig = plot_runs(
    runs,
    "val_accuracy",
    title="Held-out tag accuracy while training (band: range over seeds)",
    ylabel="tag accuracy (share of real steps)",
)
ax = fig.axes[0]
ax.axhline(ceiling, color="black", linestyle="--", label="forward-only ceiling")
ax.axhline(majority, color="grey", linestyle=":", label="majority tag")
ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))  # beside the plot
fig.tight_layout()

# %%
winner = clearly_better(
    runs, "final_val_accuracy", "bidirectional", "unidirectional", lower_is_better=False
)
uni_mean = direction_table.loc["unidirectional", "mean"]
bi_mean = direction_table.loc["bidirectional", "mean"]
verdict = {
    "bidirectional": "the bidirectional model is better on every seed (the ranges "
    "over seeds do not overlap)",
    "unidirectional": "the unidirectional model is better on every seed (the "
    "ranges over seeds do not overlap)",
    None: "the ranges over seeds overlap, so a difference is **not shown** with "
    "this budget",
}[winner]
display(
    Markdown(
        f"Held-out tag accuracy (mean ± standard deviation over {len(SEEDS)} seeds): "
        f"unidirectional **{mean_pm(direction_table, 'unidirectional')}**, "
        f"bidirectional **{mean_pm(direction_table, 'bidirectional')}**: {verdict}. "
        f"The unidirectional model reaches {uni_mean / ceiling:.0%} of the "
        f"forward-only ceiling ({ceiling:.3f})"
        + (
            "; it cannot go past it, however long it trains."
            if uni_mean <= ceiling + 0.01
            else f" and lies {uni_mean - ceiling:+.3f} above it, which is sampling "
            f"noise of the {int((test.tags > 0).sum()):,} test tags."
        )
        + f" The bidirectional model ends {bi_mean - ceiling:+.3f} from that ceiling."
    )
)

# %% [markdown]
# What the two models say on the short test row from above (first seed):

# %%
models = dict(
    zip(runs["config"] + "/" + runs["seed"].astype(str), runs["model"], strict=True)
)
first = str(SEEDS[0])
length = int(test.lengths[row])
shown = {"token": test.tokens[row, :length], "true tag": test.tags[row, :length]}
for name in configs:
    logits = keras.ops.convert_to_numpy(models[f"{name}/{first}"](test.tokens[[row]]))
    shown[name] = logits[0, :length].argmax(-1)
display(
    pd.DataFrame(
        {k: [TAG_NAMES[t] if k != "token" else t for t in v] for k, v in shown.items()}
    ).T.set_axis([f"t={t}" for t in range(length)], axis=1)
)

# %% [markdown]
# ## Merge modes: concat, sum, ave, mul
#
# `Bidirectional(layer, merge_mode=...)` combines the forward output $h^f_t$ and
# the backward output $h^b_t$ at every step: `concat` stacks them (width $2u$,
# so the next layer has more weights), `sum` adds them, `ave` averages them and
# `mul` multiplies them element by element (widths $u$). Each mode below gets the
# same `BI_UNITS` per direction, the same data and epochs, and the same seeds
# (`concat` is the bidirectional run above).

# %%
merge_configs = {k: v for k, v in all_configs.items() if k.startswith("bi-")}
other_runs = (
    compare_runs(merge_configs, SEEDS, EPOCHS, **common) if merge_configs else None
)
concat_runs = runs[runs["config"] == "bidirectional"].assign(config="bi-concat")
merge_runs = pd.concat(
    [concat_runs.drop(columns=["model", "history"]), other_runs], ignore_index=True
)
merge_table = accuracy_table(merge_runs)
display(merge_table.style.format("{:.3f}", subset=["mean", "std", "min", "max"]))
fig = plot_runs(
    merge_runs,
    "final_val_accuracy",
    title=f"Merge modes after {EPOCHS} epochs ({len(SEEDS)} seeds each)",
    ylabel="held-out tag accuracy",
)

# %%
names = list(merge_table.index)
best = merge_table["mean"].idxmax()
beaten = [
    name
    for name in names
    if name != best
    and clearly_better(
        merge_runs, "final_val_accuracy", best, name, lower_is_better=False
    )
    == best
]
tied = [name for name in names if name != best and name not in beaten]
other_params = merge_table["params"].drop("bi-concat")
merge_words = (
    f"Best mean: **{best}** ({mean_pm(merge_table, best)}). "
    + (
        f"It beats {', '.join(beaten)} on every seed. "
        if beaten
        else "It beats none of the others on every seed. "
    )
    + (
        f"Against {', '.join(tied)} the ranges over seeds overlap: a difference is "
        "**not shown**."
        if tied
        else ""
    )
    + f" `concat` has {merge_table.loc['bi-concat', 'params'] - uni_params:+,}"
    " parameters against the unidirectional model"
    + (
        f", the other modes {other_params.max() - uni_params:+,}"
        " (their logits layer reads half the width)."
        if len(merge_table) > 1
        else "."
    )
)
display(Markdown(merge_words))

# %% [markdown]
# ## Masking: padding must not change the answer
#
# The rows have different lengths, so a batch is padded to `MAX_LENGTH` with
# token 0. The embedding (`mask_zero=True`) marks those steps, and the recurrent
# layers skip them: the forward layer stops at the last real token, and the
# backward layer **starts** there instead of in the padding. Keras also leaves
# padded steps out of the loss and the accuracy.
#
# `rnn_zoo.evaluation.padding_gap` runs the padded test batch once, then each row
# alone without any padding, and reports the largest difference between the two
# sets of logits at the real steps. As a negative control we copy the trained
# weights into the same model built with `mask_zero=False`.

# %%
trained = models[f"bidirectional/{first}"]
unmasked = build(units=BI_UNITS, bidirectional=True, mask_zero=False)
unmasked.set_weights(trained.get_weights())
gap_masked = padding_gap(trained, test.tokens, test.lengths)
gap_unmasked = padding_gap(unmasked, test.tokens, test.lengths)
accuracy_masked = tag_accuracy(
    test.tags, keras.ops.convert_to_numpy(trained(test.tokens))
)
accuracy_unmasked = tag_accuracy(
    test.tags, keras.ops.convert_to_numpy(unmasked(test.tokens))
)
full = test.lengths == MAX_LENGTH  # rows without padding are not affected
display(
    pd.DataFrame(
        {
            "largest |padded - alone| logit": [gap_masked, gap_unmasked],
            "test accuracy": [accuracy_masked, accuracy_unmasked],
        },
        index=["mask_zero=True", "mask_zero=False (same weights)"],
    ).style.format(
        {"largest |padded - alone| logit": "{:.2e}", "test accuracy": "{:.3f}"}
    )
)
display(
    Markdown(
        f"With the mask, the {N_TEST} padded rows give the outputs of the rows alone "
        f"to within **{gap_masked:.1e}** (float32 round-off at most). Without it the "
        "backward layer "
        f"first reads up to {MAX_LENGTH - test.lengths.min()} padding steps; the "
        f"logits move by up to **{gap_unmasked:.2f}** and the accuracy changes from "
        f"{accuracy_masked:.3f} to {accuracy_unmasked:.3f} "
        f"({int((~full).sum())} of the {N_TEST} rows are padded)."
    )
)

# %% [markdown]
# ## Why a bidirectional model cannot forecast
#
# Now a forecasting task: noisy sine waves (`make_sine_waves`, noise standard
# deviation `NOISE`), and at every step the model predicts the **next** value:
# inputs $x_1 \dots x_{T}$, targets $x_2 \dots x_{T+1}$. Two per-step models
# (`build_step_regressor`), the same width, trained the same way:
# unidirectional and bidirectional. Two yardsticks: *persistence* ("the next
# value equals this one") and the **noise floor** $\sigma^2$ = `NOISE`²: the noise
# in $x_{t+1}$ is unpredictable, so no honest forecast has a mean squared error
# below it.

# %%
waves = make_sine_waves(N_SERIES, length=SERIES_LENGTH + 1, noise=NOISE, seed=SEED)
waves_test = make_sine_waves(
    N_SERIES // 4, length=SERIES_LENGTH + 1, noise=NOISE, seed=SEED + 1
)
X, y = waves[:, :-1], waves[:, 1:]
X_test, y_test = waves_test[:, :-1], waves_test[:, 1:]
forecasters = {}
for name, bidirectional in (("unidirectional", False), ("bidirectional", True)):
    print(f"--- {name}")
    forecasters[name] = train_step_forecaster(
        X,
        y,
        bidirectional=bidirectional,
        seed=SEED,
        units=FORECAST_UNITS,
        cell=CELL,
        epochs=FORECAST_EPOCHS,
        learning_rate=LEARNING_RATE,
        verbose=2,
    )

# %% [markdown]
# **The leaky evaluation** feeds each test series whole, as in training, and
# scores the prediction at every step. **The honest evaluation** is what
# forecasting means: at step $t$ the model gets $x_1 \dots x_t$ only, because
# $x_{t+1}$ has not happened yet (`rnn_zoo.evaluation.leak_scores` scores both;
# the honest one runs the model once per prefix and keeps the last step, with
# `prefix_predictions`).


# %%
forecast = {"persistence": float(np.mean((X_test - y_test) ** 2))}
for name, model in forecasters.items():
    for kind, score in leak_scores(model, X_test, y_test).items():
        forecast[f"{name}, {kind}"] = score
floor = NOISE**2
display(
    pd.Series(forecast, name="test MSE")
    .to_frame()
    .assign(**{"vs noise floor": lambda d: d["test MSE"] / floor})
    .style.format("{:.4f}")
)

# %%
one = X_test[:1]  # the first test series
curves = {
    "unidirectional (honest = leaky)": prefix_predictions(
        forecasters["unidirectional"], one, start=0
    ),
    "bidirectional, leaky": keras.ops.convert_to_numpy(
        forecasters["bidirectional"](one)
    ),
    "bidirectional, honest": prefix_predictions(
        forecasters["bidirectional"], one, start=0
    ),
}
steps = np.arange(1, SERIES_LENGTH + 1)
fig, ax = plt.subplots()
ax.plot(steps, y_test[0, :, 0], "k.", label="next value (truth)")
for name, curve in curves.items():
    style = "--" if name == "bidirectional, leaky" else "-"
    ax.plot(steps, curve[0, :, 0], style, label=name)
ax.set(
    title="One test series: the next value predicted at every step",
    xlabel="time step",
    ylabel="value (unitless)",
)
ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))  # beside the plot
fig.tight_layout()

# %%
bi_leaky, bi_honest = (
    forecast["bidirectional, leaky"],
    forecast["bidirectional, honest"],
)
uni_leaky, uni_honest = (
    forecast["unidirectional, leaky"],
    forecast["unidirectional, honest"],
)
persistence = forecast["persistence"]
uni_same = abs(uni_honest - uni_leaky)
leak_words = (
    f"- **Leaky:** the bidirectional model's MSE is **{bi_leaky:.4f}**, "
    + (
        f"*below* the noise floor {floor:.4f}: it does not forecast, it reads "
        "$x_{t+1}$ on its way back."
        if bi_leaky < floor
        else f"not yet below the noise floor {floor:.4f} (train longer), but "
        f"{uni_leaky / bi_leaky:.1f}× below the unidirectional model's."
        if bi_leaky < uni_leaky
        else f"not below the noise floor {floor:.4f} nor the unidirectional "
        "model's: too little training to exploit the leak yet (train longer)."
    )
    + f"\n- **Honest:** with only the past it scores **{bi_honest:.4f}**, "
    + (
        f"worse than persistence ({persistence:.4f})"
        if bi_honest > persistence
        else f"better than persistence ({persistence:.4f}) but worse than the "
        "unidirectional model"
        if bi_honest > uni_honest
        else "no worse than the unidirectional model"
    )
    + ": it was trained to rely on a backward pass that, in real use, has seen "
    "one value.\n"
    f"- **The unidirectional model** scores {uni_honest:.4f} both ways (difference "
    f"{uni_same:.1e}): it never looks ahead, so there is nothing to leak"
    + (
        f", and it beats persistence by {persistence / uni_honest:.1f}×."
        if uni_honest < persistence
        else f"; it does not beat persistence yet ({persistence:.4f})."
    )
)
display(Markdown(leak_words))

# %% [markdown]
# A bidirectional layer is still fine *inside* a forecaster when everything it
# reads lies in the past: `build_forecaster(..., bidirectional=True)` reads a
# window of past values both ways and predicts the steps after the window. The
# leak appears only when the model outputs a prediction *inside* the sequence it
# reads, as here.

# %% [markdown]
# ## Takeaways

# %%
elapsed = time.perf_counter() - START
display(
    Markdown(
        f"- On tagging, where the answer depends on what follows, the bidirectional "
        f"model reached {mean_pm(direction_table, 'bidirectional')} against "
        f"{mean_pm(direction_table, 'unidirectional')} for the unidirectional one, "
        f"at the same parameter count ({params['bidirectional']:,} vs "
        f"{params['unidirectional']:,}): {verdict}.\n"
        f"- No unidirectional model can pass {ceiling:.3f} on this task; the gap to "
        "1.0 is information it never sees, not capacity.\n"
        f"- Merge modes: {merge_words}\n"
        f"- Masking makes padding invisible (gap {gap_masked:.1e}); without it a "
        f"bidirectional model's logits move by up to {gap_unmasked:.2f}.\n"
        f"- Forecasting: bidirectional leaky MSE {bi_leaky:.4f} (noise floor "
        f"{floor:.4f}), honest {bi_honest:.4f}; unidirectional {uni_honest:.4f}. "
        "Use bidirectional "
        "layers only where the whole input is known before the answer.\n"
        f"\nThis notebook ran in {elapsed / 60:.1f} minutes."
    )
)

# %% [markdown]
# **Train longer:** raise `EPOCHS` and `N_TRAIN` to see where each merge mode
# ends up, and `FORECAST_EPOCHS` to push the leaky score further below the noise
# floor. `python benchmarks/craft.py bidirectional` does that with three seeds
# (8 epochs on 2,000 sequences, 15 forecasting epochs; about 9 minutes on 2
# cores) and prints the tables (results in the README).

# %%
record_results(
    f"tagging accuracy: bidirectional {mean_pm(direction_table, 'bidirectional')}, "
    f"unidirectional {mean_pm(direction_table, 'unidirectional')} "
    f"(forward-only ceiling {ceiling:.3f}); forecast MSE bi leaky "
    f"{forecast['bidirectional, leaky']:.4f} vs honest "
    f"{forecast['bidirectional, honest']:.4f}",
    params=params,
    bi_units=BI_UNITS,
    majority=majority,
    ceiling=ceiling,
    directions=direction_table.reset_index().to_dict("records"),
    direction_runs=runs[["config", "seed", "params", "final_val_accuracy"]].to_dict(
        "records"
    ),
    direction_winner=winner,
    merge=merge_table.reset_index().to_dict("records"),
    merge_words=merge_words,
    gap_masked=gap_masked,
    gap_unmasked=gap_unmasked,
    accuracy_masked=accuracy_masked,
    accuracy_unmasked=accuracy_unmasked,
    forecast=forecast,
    noise_floor=floor,
    leak_words=leak_words,
    minutes=elapsed / 60,
)

# %% [markdown]
# ## Exercises
#
# 1. Predict, then check: with `LOOKAHEAD = 3`, what happens to the forward-only
#    ceiling, and to the bidirectional model's accuracy after the same epochs?
# 2. Give the unidirectional model twice the parameters (`UNITS = 40`). Does it
#    get closer to the bidirectional one? Why can it not pass the ceiling?
# 3. Build the tagger with `mask_zero=False` and *train* it that way. Does it
#    learn to ignore the padding? Compare its `padding_gap` with the masked one.
# 4. Stack two bidirectional layers (`num_layers=2` in `build`). Do the merge modes
#    still rank the same way?
# 5. In the forecasting part, train the bidirectional model on windows and predict
#    only the step *after* each window (`build_forecaster(..., bidirectional=True)`
#    with `make_windows`). Is that honest? Compare its MSE with the unidirectional
#    per-step model's.
#
# <details><summary>Solutions</summary>
#
# 1. The ceiling drops (more of each row's last steps are "end", which only
#    reading ahead reveals, and the compared token is still unseen); the
#    bidirectional model needs to carry a token 3 steps back, so it usually needs
#    more epochs to get near 1.0.
# 2. It may edge closer to the ceiling, but the ceiling is a property of the
#    information (the next token is unseen and independent of the past), not of
#    the model: no width passes it.
# 3. Partly: a model can learn that token 0 means "nothing", but its backward
#    state still starts in the padding, so the gap stays far above round-off and
#    the padded and unpadded versions of a row can disagree.
# 4. Usually `concat` and `sum`/`ave` stay close; `mul` tends to start slower,
#    because a product of two small outputs gives a small, poorly scaled signal
#    early in training. Check the spread before calling a winner.
# 5. Yes: the window lies entirely in the past, so reading it backwards leaks
#    nothing. Its MSE is in the range of the unidirectional model's, not below
#    the noise floor.
#
# </details>
