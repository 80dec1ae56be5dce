"""Quality per CPU-minute and generation speed of the character language model.

For each configuration, trains on Tiny Shakespeare's first 90% for a wall-clock
budget (``--minutes``, default 10; Adam with clipnorm 1, ``rnn_zoo.fit`` +
``TimeBudget``), then measures:

- validation bits/char over the *whole* last 10% (`rnn_zoo.evaluation.bits_per_char`,
  state carried), next to the uniform, unigram and 6-gram Kneser-Ney baselines;
- generation speed for one prompt (`CharGenerator`, state carried in a compiled
  loop): characters/s for 1,000 and 4,000 characters (best of 3) and the ratio of
  their per-character times;
- for the first configuration, the time to generate 1,000 characters by
  re-reading the last 100 characters for every new one (`generate_by_rereading`),
  and with ``--reread-full`` the whole growing prefix.

A configuration whose ``backend`` is not TensorFlow (``jax``: `lm train --backend
jax`) trains in a child process with ``KERAS_BACKEND`` set (``--child``), which
hands back its weights; they are loaded into the same model here and scored and
timed like every other configuration. ``torch-nn`` trains the same model with
PyTorch's own ``nn.GRU`` on the same batches and recipe in a child
(`benchmarks/torch_lm.py`; PyTorch from ``benchmarks/requirements.txt``) and is
scored here the same way.

Configurations: ``default`` (rnn_zoo's: GRU-512, embedding 64, lr 3e-3, sequence
100, batch 64) and ``tf-tutorial`` (the TensorFlow text-generation tutorial's:
embedding 256, GRU-1024, sequence 100, batch 64, Adam lr 1e-3), plus any of
``SWEEP`` with ``--configs``. The machine's float32 matmul peak is measured in
the same run (benchmarks/throughput.py). Prints Markdown tables.

Usage:
    python benchmarks/language_model.py                      # 2 x 10 minutes + extras
    python benchmarks/language_model.py --minutes 1          # a smoke run
    python benchmarks/language_model.py --configs default,lstm-512 --minutes 5
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import keras  # noqa: E402
import numpy as np  # noqa: E402
from throughput import matmul_peak_gflops  # noqa: E402
from torch_lm import train_torch  # noqa: E402

from rnn_zoo.datasets import load_shakespeare  # noqa: E402
from rnn_zoo.evaluation import bits_per_char, language_baselines  # noqa: E402
from rnn_zoo.inference.generation import (  # noqa: E402
    CharGenerator,
    generate_by_rereading,
    generate_text,
)
from rnn_zoo.models import build_char_lm  # noqa: E402
from rnn_zoo.preprocessing import char_dataset, prepare_char_corpus  # noqa: E402
from rnn_zoo.training import fit, set_seed  # noqa: E402
from rnn_zoo.training.callbacks import TimeBudget, WallClockDecay  # noqa: E402

BASE = {"cell": "gru", "units": 512, "embedding_dim": 64, "learning_rate": 3e-3}
BASE |= {"seq_len": 100, "batch_size": 64, "layers": 1, "decay": None, "warmup": 0.0}
BASE |= {"stateful": False, "policy": None, "backend": "tensorflow"}
BASE |= {"embedding_init": "keras"}
SWEEP = {
    "default": BASE,
    "tf-tutorial": {**BASE, "units": 1024, "embedding_dim": 256, "learning_rate": 1e-3},
    "lstm-512": {**BASE, "cell": "lstm", "embedding_dim": 256, "learning_rate": 1e-3},
    "gru-512-lr1e-3": {**BASE, "learning_rate": 1e-3},
    "gru-256": {**BASE, "units": 256},
    "gru-768": {**BASE, "units": 768},
    "gru-512-seq200": {**BASE, "seq_len": 200, "batch_size": 32},
    "gru-512-batch32": {**BASE, "batch_size": 32},
    "gru-512-cosine": {**BASE, "decay": "cosine"},
    "gru-512-cosine-lr5e-3": {**BASE, "decay": "cosine", "learning_rate": 5e-3},
    "gru-768-cosine": {**BASE, "units": 768, "decay": "cosine"},
    "gru-512-batch128-cosine": {**BASE, "batch_size": 128, "decay": "cosine"},
    # warm-up: the first 5% of the budget ramps the rate from 0
    "warmup": {**BASE, "warmup": 0.05},
    "warmup-cosine": {**BASE, "warmup": 0.05, "decay": "cosine"},
    "warmup-lr6e-3": {**BASE, "warmup": 0.05, "learning_rate": 6e-3},
    # issue 21's levers
    "stateful": {**BASE, "stateful": True},
    "stateful-seq50": {**BASE, "stateful": True, "seq_len": 50},
    "gru-512-seq50": {**BASE, "seq_len": 50},
    "gru-384": {**BASE, "units": 384},
    "gru-512-emb128": {**BASE, "embedding_dim": 128},
    "gru-2x320": {**BASE, "units": 320, "layers": 2},
    "gru-512-batch128-lr4.2e-3": {**BASE, "batch_size": 128, "learning_rate": 4.2e-3},
    "bf16": {**BASE, "policy": "mixed_bfloat16"},
    # the default model trained by Keras on JAX (`lm train --backend jax`)
    "jax": {**BASE, "backend": "jax"},
    # the same model and recipe trained by torch.nn.GRU (benchmarks/torch_lm.py)
    "torch-nn": {**BASE, "backend": "torch.nn"},
    # torch.nn.Embedding's initialisation, N(0, 1), instead of Keras' U(-0.05, 0.05)
    "emb-normal": {**BASE, "embedding_init": "normal"},
}
PROMPT = "ROMEO:"


def _keras_backend(config: dict) -> str:
    """The Keras backend a configuration trains on (torch.nn: TensorFlow's data)."""
    return "tensorflow" if config["backend"] == "torch.nn" else config["backend"]


def train_in_child(name: str, corpus, minutes: float, seed: int, folder: Path):
    """Train ``SWEEP[name]`` on its backend in a child process; load it here.

    Returns (model, steps, seconds) like `train`; the child's weights go through
    an ``.npz`` file (the layouts are the same on every backend).
    """
    config = SWEEP[name]
    weights = folder / f"{name}-{seed}.npz"
    child = subprocess.run(
        [sys.executable, __file__, "--child", name, "--minutes", str(minutes)]
        + ["--seeds", str(seed), "--weights", str(weights)],
        env={**os.environ, "KERAS_BACKEND": _keras_backend(config)},
        capture_output=True,
        text=True,
        check=False,
    )
    if child.returncode != 0:
        raise RuntimeError(f"{name} failed on {config['backend']}:\n{child.stderr}")
    report = json.loads(child.stdout.strip().splitlines()[-1])
    model = _build(config, corpus.tokenizer.vocab_size)
    with np.load(weights) as saved:
        model.set_weights([saved[f"w{i}"] for i in range(len(saved.files))])
    return model, report["steps"], report["seconds"]


def child_main(args, corpus) -> int:
    """``--child NAME``: train on this process's backend, save the weights."""
    config = SWEEP[args.child]
    if config["backend"] == "torch.nn":
        model, steps, seconds = train_torch(
            config, corpus, args.minutes, args.seed, _build, _dataset
        )
    else:
        model, steps, seconds = train(config, corpus, args.minutes, args.seed)
    np.savez(args.weights, **{f"w{i}": w for i, w in enumerate(model.get_weights())})
    backend = keras.backend.backend()
    print(json.dumps({"steps": steps, "seconds": seconds, "backend": backend}))
    return 0


def _build(config: dict, vocab_size: int, *, stateful: bool = False):
    return build_char_lm(
        vocab_size,
        embedding_dim=config["embedding_dim"],
        units=config["units"],
        num_layers=config["layers"],
        cell=config["cell"],
        stateful=stateful,
        batch_size=config["batch_size"] if stateful else None,
    )


def _dataset(config: dict, corpus, seed: int):
    return char_dataset(
        corpus.train_ids,
        sequence_length=config["seq_len"],
        batch_size=config["batch_size"],
        shuffle=not config["stateful"],
        stateful=config["stateful"],
        seed=seed if not config["stateful"] else None,
    )


def train(config: dict, corpus, minutes: float, seed: int):
    """Train one configuration for ``minutes``; return (model, steps, seconds).

    A ``stateful`` configuration trains on `char_dataset`'s stream layout (row r
    of a batch continues row r of the previous one) with the state carried and
    reset at each epoch; a ``policy`` (``"mixed_bfloat16"``) trains under that
    Keras dtype policy. Either way the returned model is a float32, stateless
    copy of the trained weights, so every configuration is scored alike.
    """
    set_seed(seed)
    if config["policy"]:
        keras.mixed_precision.set_global_policy(config["policy"])
    try:
        model = _build(config, corpus.tokenizer.vocab_size, stateful=config["stateful"])
    finally:
        keras.mixed_precision.set_global_policy("float32")
    if config["embedding_init"] == "normal":
        _normal_embedding(model, seed)
    data = _dataset(config, corpus, seed)
    budget = TimeBudget(seconds=minutes * 60)
    steps = StepCounter()
    extra = [budget, steps]
    if config["stateful"]:
        extra.append(ResetStatesEachEpoch())
    if config["decay"] or config["warmup"]:  # decay: anneal to a tenth over the budget
        schedule = config["decay"] or "constant"
        extra.append(WallClockDecay(minutes * 60, schedule, warmup=config["warmup"]))
    fit(
        model,
        data,
        epochs=1000,
        learning_rate=config["learning_rate"],
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        clipnorm=1.0,
        early_stopping=None,
        callbacks=extra,
        verbose=0,
    )
    if config["stateful"] or config["policy"]:
        trained, model = model, _build(config, corpus.tokenizer.vocab_size)
        model.set_weights([w.astype("float32") for w in trained.get_weights()])
    return model, steps.count, budget.elapsed


def _normal_embedding(model, seed: int) -> None:
    """Redraw the embedding table from N(0, 1), as ``torch.nn.Embedding`` does."""
    table = model.get_layer("embedding")
    shape = table.embeddings.shape
    rng = np.random.default_rng(seed)
    table.embeddings.assign(rng.standard_normal(shape).astype("float32"))


def _schedule(config: dict) -> str:
    """The learning-rate schedule column: "-", "cosine", "warm-up 5% + cosine"..."""
    parts = [f"warm-up {config['warmup']:.0%}"] if config["warmup"] else []
    parts += [config["decay"]] if config["decay"] else []
    return " + ".join(parts) or "-"


class ResetStatesEachEpoch(keras.callbacks.Callback):
    """Zero a stateful model's recurrent state when an epoch starts over the text."""

    def on_epoch_begin(self, epoch, logs=None):
        for layer in self.model.layers:
            if getattr(layer, "stateful", False):
                layer.reset_state()


def bf16_support() -> str:
    """What the CPU offers for bfloat16 (from /proc/cpuinfo's flags)."""
    try:
        flags = Path("/proc/cpuinfo").read_text().split("flags")[1].split("\n")[0]
    except (OSError, IndexError):
        return "unknown (no /proc/cpuinfo)"
    found = [f for f in ("avx512_bf16", "amx_bf16") if f in flags.split()]
    return ", ".join(found) if found else "none (bfloat16 is emulated)"


class StepCounter(keras.callbacks.Callback):
    """Counts training batches."""

    def __init__(self):
        super().__init__()
        self.count = 0

    def on_train_batch_end(self, batch, logs=None):
        self.count += 1


def generation_speed(model, tokenizer, repeats: int = 3) -> dict[str, float]:
    """Best-of-``repeats`` characters/s at 1,000 and 4,000 characters."""
    generator = CharGenerator(model)
    generator.generate(tokenizer, PROMPT, 50, seed=0)  # trace once
    speed = {}
    for length in (1000, 4000):
        best = min(
            _timed(generator.generate, tokenizer, PROMPT, length, seed=0)[1]
            for _ in range(repeats)
        )
        speed[length] = length / best
    return speed


def _timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def reread_seconds(model, tokenizer, window: int | None, length: int = 1000) -> float:
    generate_by_rereading(model, tokenizer, PROMPT, 3, window=window, seed=0)
    return _timed(
        generate_by_rereading, model, tokenizer, PROMPT, length, window=window, seed=0
    )[1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument(
        "--configs",
        default="default,tf-tutorial",
        help=f"comma-separated, among {', '.join(SWEEP)}",
    )
    parser.add_argument(
        "--seeds",
        default="0",
        help="comma-separated seeds; each config runs once per seed",
    )
    parser.add_argument(
        "--reread-full",
        action="store_true",
        help="also time re-reading the whole growing prefix (slow: quadratic)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)  # train_in_child
    parser.add_argument("--weights", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        args.seed = int(args.seeds)
        return child_main(args, prepare_char_corpus(load_shakespeare()))
    names = args.configs.split(",")
    unknown = [n for n in names if n not in SWEEP]
    if unknown:
        parser.error(f"unknown configs {unknown}; choose among {list(SWEEP)}")

    peak = matmul_peak_gflops()
    corpus = prepare_char_corpus(load_shakespeare())
    tokenizer = corpus.tokenizer
    baselines = language_baselines(
        corpus.train_ids, corpus.validation_ids, vocab_size=tokenizer.vocab_size
    )
    print(
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} "
        f"cores, float32 matmul peak {peak:.0f} GFLOP/s (measured in this run); "
        f"bfloat16 in hardware: {bf16_support()}"
    )
    print(
        "Baselines (validation bits/char): "
        + ", ".join(f"{k} {v:.3f}" for k, v in baselines.items())
    )
    print()
    rows = []
    seeds = [int(seed) for seed in args.seeds.split(",")]
    args.seed = seeds[0]
    for name, seed in [(name, seed) for name in names for seed in seeds]:
        config = SWEEP[name]
        if config["backend"] != keras.backend.backend():  # jax, torch.nn
            with tempfile.TemporaryDirectory() as folder:
                model, steps, seconds = train_in_child(
                    name, corpus, args.minutes, seed, Path(folder)
                )
        else:
            model, steps, seconds = train(config, corpus, args.minutes, seed)
        bpc = bits_per_char(model, corpus.validation_ids)
        speed = generation_speed(model, tokenizer)
        ratio = (1 / speed[4000]) / (1 / speed[1000])
        label = name if len(seeds) == 1 else f"{name} (seed {seed})"
        rows.append((label, config, seconds / 60, steps, bpc, speed, ratio))
        print(
            f"{label}: {bpc:.3f} bits/char after {steps} steps; "
            f"{speed[1000]:,.0f} chars/s",
            file=sys.stderr,
            flush=True,
        )
        if name == names[0] and seed == seeds[0]:
            first_model, first_speed = model, speed

    print(
        "| config | cell | layers x units | emb | lr | lr schedule | seq | batch | "
        "stateful | dtype | backend | minutes | steps | tokens/s | "
        "validation bits/char | "
        "vs first | gen chars/s (1k) | gen chars/s (4k) | 4k/1k per char |"
    )
    print("|" + "---|" * 19)
    first_bpc = rows[0][4]
    for name, c, minutes, steps, bpc, speed, ratio in rows:
        tokens = steps * c["seq_len"] * c["batch_size"] / (minutes * 60)
        print(
            f"| {name} | {c['cell']} | {c['layers']} x {c['units']} | "
            f"{c['embedding_dim']} | {c['learning_rate']:g} | {_schedule(c)} | "
            f"{c['seq_len']} | {c['batch_size']} | {'yes' if c['stateful'] else '-'} | "
            f"{c['policy'] or 'float32'} | {c['backend']} | {minutes:.1f} | "
            f"{steps} | {tokens:,.0f} | "
            f"{bpc:.3f} | {bpc - first_bpc:+.3f} | {speed[1000]:,.0f} | "
            f"{speed[4000]:,.0f} | {ratio:.2f} |"
        )
    print()
    stateful = 1000 / first_speed[1000]
    window = reread_seconds(first_model, tokenizer, window=100)
    print(f"Generating 1,000 characters with {names[0]}:")
    print("| method | seconds | vs carrying the state |")
    print("|---|---|---|")
    print(f"| carry the state (compiled loop) | {stateful:.2f} | 1x |")
    print(
        f"| re-read the last 100 characters | {window:.2f} | {window / stateful:.0f}x |"
    )
    if args.reread_full:
        full = reread_seconds(first_model, tokenizer, window=None)
        print(f"| re-read the whole prefix | {full:.2f} | {full / stateful:.0f}x |")
    sample = generate_text(
        first_model, tokenizer, PROMPT, 300, temperature=0.8, seed=args.seed
    )
    print(f"\n300 characters from {names[0]} (temperature 0.8, seed {args.seed}):\n")
    print("```\n" + sample + "\n```")
    return 0


if __name__ == "__main__":
    sys.exit(main())
