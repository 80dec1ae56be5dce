"""Training throughput of the char-LM builder vs the same model in plain Keras.

Prints a Markdown table: for LSTM and GRU with 1 and 2 layers (embedding 256,
512 units, batch 64, sequence 100, vocab 65 by default), the training tokens/s of
`rnn_zoo.models.build_char_lm`, of the identical model written inline in plain
Keras, their ratio, and the achieved GFLOP/s as a fraction of this machine's
float32 matmul peak, measured in the same run. If PyTorch is importable, a
`torch.nn.LSTM`/`GRU` column is added (optional; not a dependency).

The two Keras variants are timed one training step at a time in alternation
(A, B, A, B, ...) and the median step of each is kept, so drift on a shared
machine hits both alike. FLOPs count the matmuls only (forward x 3 for training).

Usage:
    python benchmarks/throughput.py            # full table (a few minutes on CPU)
    python benchmarks/throughput.py --quick    # small shapes, seconds
"""

from __future__ import annotations

import argparse
import os
import platform
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from rnn_zoo.models import build_char_lm  # noqa: E402
from rnn_zoo.training import set_seed  # noqa: E402

GATES = {"lstm": 4, "gru": 3}


def matmul_peak_gflops(n: int = 2048, repeats: int = 10) -> float:
    """Best float32 GFLOP/s of an n x n matmul (the machine's practical peak)."""
    a = tf.random.normal((n, n))
    b = tf.random.normal((n, n))

    @tf.function
    def mm(a, b):
        return tf.matmul(a, b)

    mm(a, b).numpy()
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        mm(a, b).numpy()
        best = min(best, time.perf_counter() - t0)
    return 2 * n**3 / best / 1e9


def training_flops_per_token(cell, embedding_dim, units, num_layers, vocab):
    """Multiply-add FLOPs of one training token: forward x 3 (forward + backward)."""
    gates = GATES[cell]
    fwd = 0
    in_dim = embedding_dim
    for _ in range(num_layers):
        fwd += 2 * gates * units * (in_dim + units)
        in_dim = units
    fwd += 2 * units * vocab
    return 3 * fwd


def plain_keras_char_lm(vocab, embedding_dim, units, num_layers, cell):
    """The same network as build_char_lm, written inline with stock layers."""
    layer = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU}[cell]
    inputs = keras.Input(shape=(None,), dtype="int32")
    x = keras.layers.Embedding(vocab, embedding_dim)(inputs)
    for _ in range(num_layers):
        x = layer(units, return_sequences=True)(x)
    outputs = keras.layers.Dense(vocab)(x)
    return keras.Model(inputs, outputs)


def compiled(model):
    model.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return model


def time_keras_pair(model_a, model_b, x, y, steps):
    """Median seconds per training step of two models, timed step by step in turn.

    Two warm-up steps each trace the graphs; then A and B alternate one step at a
    time, so drift on a shared machine hits both alike, and the median discards
    stragglers.
    """
    for _ in range(2):
        model_a.train_on_batch(x, y)
        model_b.train_on_batch(x, y)
    times = {id(model_a): [], id(model_b): []}
    for _ in range(steps):
        for model in (model_a, model_b):
            t0 = time.perf_counter()
            float(np.asarray(model.train_on_batch(x, y)))
            times[id(model)].append(time.perf_counter() - t0)
    return float(np.median(times[id(model_a)])), float(np.median(times[id(model_b)]))


def time_torch(cell, vocab, embedding_dim, units, num_layers, batch, seq, steps):
    """Seconds per training step of the same model in PyTorch, or None."""
    try:
        import torch
    except ImportError:
        return None
    torch.manual_seed(0)
    rnn_cls = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell]

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = torch.nn.Embedding(vocab, embedding_dim)
            self.rnn = rnn_cls(embedding_dim, units, num_layers, batch_first=True)
            self.out = torch.nn.Linear(units, vocab)

        def forward(self, x):
            return self.out(self.rnn(self.emb(x))[0])

    net = Net()
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    x = torch.randint(0, vocab, (batch, seq))
    y = torch.randint(0, vocab, (batch, seq))

    def step():
        opt.zero_grad()
        loss = loss_fn(net(x).reshape(-1, vocab), y.reshape(-1))
        loss.backward()
        opt.step()

    for _ in range(2):
        step()
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    return (time.perf_counter() - t0) / steps


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedding-dim", type=int, default=256)
    parser.add_argument("--units", type=int, default=512)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--seq", type=int, default=100)
    parser.add_argument("--vocab", type=int, default=65)
    parser.add_argument("--steps", type=int, default=15, help="timed steps each")
    parser.add_argument("--quick", action="store_true", help="tiny shapes")
    args = parser.parse_args(argv)
    if args.quick:
        args.embedding_dim, args.units, args.batch, args.seq = 16, 32, 8, 20
        args.steps = 3

    set_seed(0)
    peak = matmul_peak_gflops()
    rng = np.random.default_rng(0)
    x = rng.integers(0, args.vocab, (args.batch, args.seq)).astype("int32")
    y = rng.integers(0, args.vocab, (args.batch, args.seq)).astype("int32")
    tokens = args.batch * args.seq

    print(
        f"machine: {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} logical CPUs, TensorFlow {tf.__version__}, "
        f"Keras {keras.__version__}"
    )
    print(f"float32 matmul peak (2048^3): {peak:.1f} GFLOP/s")
    print(
        f"config: embedding {args.embedding_dim}, units {args.units}, batch "
        f"{args.batch}, sequence {args.seq}, vocab {args.vocab}\n"
    )
    header = (
        "| cell | layers | rnn_zoo tokens/s | plain Keras tokens/s | ratio "
        "| rnn_zoo GFLOP/s | % of matmul peak | torch tokens/s |"
    )
    print(header)
    print("|---" * 8 + "|")
    for cell in ("lstm", "gru"):
        for layers in (1, 2):
            kw = dict(
                embedding_dim=args.embedding_dim,
                units=args.units,
                num_layers=layers,
                cell=cell,
            )
            zoo = compiled(build_char_lm(args.vocab, **kw))
            plain = compiled(plain_keras_char_lm(args.vocab, **kw))
            if zoo.count_params() != plain.count_params():
                raise RuntimeError("rnn_zoo and plain Keras models differ in size")
            t_zoo, t_plain = time_keras_pair(zoo, plain, x, y, args.steps)
            flops = tokens * training_flops_per_token(
                cell, args.embedding_dim, args.units, layers, args.vocab
            )
            gflops = flops / t_zoo / 1e9
            t_torch = time_torch(
                cell,
                args.vocab,
                args.embedding_dim,
                args.units,
                layers,
                args.batch,
                args.seq,
                args.steps,
            )
            torch_col = "n/a" if t_torch is None else f"{tokens / t_torch:,.0f}"
            print(
                f"| {cell} | {layers} | {tokens / t_zoo:,.0f} | "
                f"{tokens / t_plain:,.0f} | {t_plain / t_zoo:.3f} | {gflops:.1f} | "
                f"{100 * gflops / peak:.0f}% | {torch_col} |",
                flush=True,
            )
            keras.backend.clear_session()


if __name__ == "__main__":
    main()
