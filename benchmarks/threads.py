"""Training tokens/s of the default char LM under thread, oneDNN and backend settings.

Issue 21 asks whether thread-pool or oneDNN settings, or a Keras backend other
than TensorFlow (JAX, PyTorch: the same `keras.layers.GRU`/`LSTM`, the same
weights), make the zoo's GRU/LSTM train faster on a CPU, and how that compares
with PyTorch's own ``nn.GRU`` / ``nn.LSTM`` (the ``torch.nn`` row: the same
shapes and Adam, `throughput.torch_train_step`). Each setting needs a
fresh process (TensorFlow's pools and oneDNN, and Keras' backend, are fixed at
start-up), so every measurement is one child process of this
script: it builds `lm train`'s default model (GRU-512, embedding 64, vocabulary
65) with `rnn_zoo.models.build_char_lm`, runs 3 untimed training steps on a
batch of 64 x 100 and reports the median of the timed ones. The settings are
run in turn, round after round, so a slow minute of the machine hits all of
them; the table gives each setting's median over rounds and its ratio to
TensorFlow's default (pools sized by TensorFlow, oneDNN on). The float32
matmul peak is measured in the same run.

Usage:
    python benchmarks/threads.py [--rounds 2] [--steps 12] [--cell gru]
        [--only "intra 2, inter 2;Keras on"]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import time

import numpy as np

# name -> (intra-op threads, inter-op threads, TF_ENABLE_ONEDNN_OPTS, KERAS_BACKEND);
# 0 = TensorFlow's choice. The JAX and PyTorch backends need
# `pip install -r benchmarks/requirements.txt`; a backend not installed is skipped.
SETTINGS = {
    "TensorFlow default (oneDNN on)": (0, 0, "1", "tensorflow"),
    "intra 2, inter 2": (2, 2, "1", "tensorflow"),
    "intra 2, inter 1": (2, 1, "1", "tensorflow"),
    "intra 1, inter 1": (1, 1, "1", "tensorflow"),
    "intra 4, inter 2 (oversubscribed)": (4, 2, "1", "tensorflow"),
    "oneDNN off": (0, 0, "0", "tensorflow"),
    "Keras on JAX (jit, lax.scan)": (0, 0, "1", "jax"),
    "Keras on PyTorch": (0, 0, "1", "torch"),
    # not Keras: PyTorch's own nn.GRU / nn.LSTM (oneDNN's fused cells), the same
    # shapes and Adam (benchmarks/throughput.py's torch model), the goal to beat
    "torch.nn (PyTorch's own cells)": (0, 0, "1", "torch.nn"),
}


def _median_rate(step, tokens: int, steps: int) -> float:
    """``tokens`` / the median seconds of ``steps`` calls of ``step`` (3 untimed)."""
    for _ in range(3):
        step()
    seconds = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        seconds.append(time.perf_counter() - start)
    return tokens / float(np.median(seconds))


def child(intra: int, inter: int, steps: int, cell: str, torch_nn: bool) -> float:
    """Median training tokens/s of one step of the default model, this process."""
    rng = np.random.default_rng(0)
    x = rng.integers(0, 65, (64, 100)).astype("int32")
    y = rng.integers(0, 65, (64, 100)).astype("int32")
    if torch_nn:
        from throughput import torch_train_step

        step = torch_train_step(cell, 65, 64, 512, 1, x, y)
        return _median_rate(step, x.size, steps)
    import keras

    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        if intra:
            tf.config.threading.set_intra_op_parallelism_threads(intra)
        if inter:
            tf.config.threading.set_inter_op_parallelism_threads(inter)

    from rnn_zoo.models import build_char_lm

    model = build_char_lm(65, cell=cell, units=512, embedding_dim=64, num_layers=1)
    model.compile(
        keras.optimizers.Adam(1e-3),
        keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return _median_rate(lambda: model.train_on_batch(x, y), x.size, steps)


def installed(backend: str) -> bool:
    """Whether Keras' ``backend`` (or ``torch.nn``: PyTorch) can be imported here."""
    return importlib.util.find_spec(backend.split(".")[0]) is not None


def run_child(setting: tuple[int, int, str, str], steps: int, cell: str) -> float:
    intra, inter, onednn, backend = setting
    env = {**os.environ, "TF_ENABLE_ONEDNN_OPTS": onednn, "TF_CPP_MIN_LOG_LEVEL": "3"}
    env["KERAS_BACKEND"] = "tensorflow" if backend == "torch.nn" else backend
    for name in ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS"):
        env.pop(name, None)  # the setting alone decides
    args = ["--child", str(intra), str(inter), "--steps", str(steps), "--cell", cell]
    args += ["--torch-nn"] if backend == "torch.nn" else []
    done = subprocess.run(
        [sys.executable, __file__, *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return float(json.loads(done.stdout.strip().splitlines()[-1])["tokens_per_s"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--steps", type=int, default=12, help="timed steps each")
    parser.add_argument("--cell", choices=("gru", "lstm"), default="gru")
    parser.add_argument(
        "--only",
        default="",
        help="settings to run besides the default, by name prefix, separated by ;",
    )
    parser.add_argument("--child", nargs=2, type=int, help=argparse.SUPPRESS)
    parser.add_argument("--torch-nn", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        rate = child(*args.child, args.steps, args.cell, args.torch_nn)
        print(json.dumps({"tokens_per_s": rate}))
        return 0

    from throughput import matmul_peak_gflops

    wanted = [part.strip() for part in args.only.split(";") if part.strip()]
    settings = {
        name: setting
        for name, setting in SETTINGS.items()
        if (
            name.startswith("TensorFlow default")
            or not wanted
            or any(name.startswith(prefix) for prefix in wanted)
        )
        and installed(setting[3])
    }
    peak = matmul_peak_gflops()
    rates: dict[str, list[float]] = {name: [] for name in settings}
    for _ in range(args.rounds):
        for name, setting in settings.items():
            rates[name].append(run_child(setting, args.steps, args.cell))
    base = float(np.median(rates["TensorFlow default (oneDNN on)"]))
    print(
        f"{args.cell}-512, embedding 64, batch 64 x seq 100; {os.cpu_count()} CPUs; "
        f"float32 matmul peak {peak:.1f} GFLOP/s; {args.rounds} rounds x "
        f"{args.steps} steps, median"
    )
    print("| setting | train tokens/s | each round | vs TensorFlow default |")
    print("|---|---:|---|---:|")
    for name, values in rates.items():
        median = float(np.median(values))
        rounds = ", ".join(f"{v:,.0f}" for v in values)
        print(f"| {name} | {median:,.0f} | {rounds} | {median / base:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
