"""Keras on JAX in one child process, for test_jax_backend.py.

Run as ``python -m tests.training.jax_child CASES.npz RESULTS.npz [--lm-train
OUT_PREFIX ARG ...]``. With ``--lm-train`` it first runs ``lm train ARG ...
--backend jax`` through `rnn_zoo.cli.main`, before anything imports Keras (the
test starts it with ``KERAS_BACKEND=torch``: the flag must decide), with file
descriptors 1 and 2 sent to ``OUT_PREFIX.stdout`` / ``.stderr`` and its exit code
in ``OUT_PREFIX.code`` (as ``python -m rnn_zoo lm train`` would leave them).
Keras then runs on JAX for the rest. For each case ``k`` in ``CASES.npz`` it
loads the model ``model_k`` (a ``.keras`` path) and computes, on ``x_k`` with
cotangent ``cot_k``, the outputs and the gradients of ``sum(outputs * cot)`` with
respect to the trainable weights (in ``model.trainable_weights`` order) and, for
float inputs, the inputs. ``RESULTS.npz`` holds ``out_k``, ``grad_k_i`` and
``dx_k``, and ``budget_epochs``: the epochs `rnn_zoo.fit` ran with ``lm train
--minutes``'s callbacks (`TimeBudget` spent after the first batch, `BudgetProgbar`).
"""

from __future__ import annotations

import os
import sys

import numpy as np


def outputs_and_gradients(model, x, cot):
    """``(outputs, weight gradients, input gradient or None)`` under JAX."""
    import jax

    trainable = [v.value for v in model.trainable_variables]
    frozen = [v.value for v in model.non_trainable_variables]

    def objective(weights, inputs):
        out, _ = model.stateless_call(weights, frozen, inputs, training=False)
        return (out * cot).sum(), out

    floating = np.issubdtype(x.dtype, np.floating)
    argnums = (0, 1) if floating else 0
    # one compiled call (op by op, each primitive would be compiled on its own)
    gradient = jax.jit(jax.grad(objective, argnums=argnums, has_aux=True))
    grads, out = gradient(trainable, x)
    weight_grads, dx = grads if floating else (grads, None)
    return np.asarray(out), [np.asarray(g) for g in weight_grads], dx


def lm_train(out_prefix: str, args: list[str]) -> None:
    """``lm train ARGS --backend jax`` with fds 1 and 2 in files, like a child."""
    from rnn_zoo.cli import main

    saved = [os.dup(1), os.dup(2)]
    with (
        open(out_prefix + ".stdout", "w") as out,
        open(out_prefix + ".stderr", "w") as err,
    ):
        os.dup2(out.fileno(), 1)
        os.dup2(err.fileno(), 2)
        try:
            code = main(["lm", "train", *args, "--backend", "jax"])
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
    with open(out_prefix + ".code", "w") as f:
        f.write(str(code))


def main(cases_path: str, results_path: str, *rest: str) -> None:
    if rest:
        assert rest[0] == "--lm-train", rest
        lm_train(rest[1], list(rest[2:]))
    import keras

    assert keras.backend.backend() == "jax", keras.backend.backend()
    cases = np.load(cases_path)
    results = {}
    for k in range(int(cases["count"])):
        model = keras.saving.load_model(str(cases[f"model_{k}"]))
        out, grads, dx = outputs_and_gradients(
            model, cases[f"x_{k}"], cases[f"cot_{k}"]
        )
        results[f"out_{k}"] = out
        results.update({f"grad_{k}_{i}": g for i, g in enumerate(grads)})
        if dx is not None:
            results[f"dx_{k}"] = np.asarray(dx)
    results["budget_epochs"] = budget_epochs(cases["x_0"], cases["cot_0"])
    np.savez(results_path, **results)


def budget_epochs(x, y) -> int:
    """Epochs `rnn_zoo.fit` runs on JAX when the time budget is spent at once."""
    import keras

    from rnn_zoo.training import fit
    from rnn_zoo.training.callbacks import BudgetProgbar, TimeBudget

    inputs = keras.Input(x.shape[1:])
    model = keras.Model(
        inputs, keras.layers.GRU(y.shape[-1], return_sequences=True)(inputs)
    )
    budget = [TimeBudget(seconds=1e-9), BudgetProgbar(1e-9)]
    history = fit(model, (x, y), epochs=3, loss="mse", callbacks=budget, verbose=0)
    return len(history.epoch)


if __name__ == "__main__":
    main(*sys.argv[1:])
