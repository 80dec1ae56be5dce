"""Training and generation throughput: rnn_zoo vs plain Keras vs PyTorch, one table.

Prints one Markdown table, all measured in the same run:

- training tokens/s of the char LM (Adam, full-batch steps of ``batch x seq``
  tokens) for the rnn_zoo default (``python -m rnn_zoo lm train``'s model and
  batch, from `rnn_zoo.cli.lm.DEFAULTS`) and for LSTM and GRU with 1 and 2 layers
  (embedding 256, 512 units, batch 64, sequence 100, vocab 65 by default): the
  model of `rnn_zoo.models.build_char_lm`, the identical model written inline in
  plain Keras, and ``torch.nn.LSTM`` / ``nn.GRU`` with the same shapes;
- generation characters/s of the default model for 1 stream and for 64 streams:
  rnn_zoo's `CharGenerator` (state carried in an XLA-compiled loop), plain
  Keras the TensorFlow tutorial's way (a one-step model with ``return_state``
  called once per character in a ``tf.function``, ``tf.random.categorical``),
  and PyTorch's (``nn.GRU`` one step per character under ``torch.no_grad``,
  ``torch.multinomial``);
- the machine's float32 matmul peak (a 2048^3 matmul, best of 10), measured
  before and after the table, and each rnn_zoo row's GFLOP/s against it (FLOPs
  count the matmuls only: the recurrent and output layers; training = forward
  x 3).

The three implementations of a row are timed one unit at a time in turn (a
training step, or a block of generated characters: A, B, C, A, B, C, ...) and
the median unit of each is kept, so drift on a shared machine hits all alike;
ratio columns compare numbers measured side by side. PyTorch is optional (not a
runtime dependency: ``pip install -r benchmarks/requirements.txt``); without it
the torch columns say n/a.

Usage:
    python benchmarks/throughput.py            # full table (several minutes on CPU)
    python benchmarks/throughput.py --quick    # small shapes, under a minute
"""

from __future__ import annotations

import argparse
import os
import platform
import string
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from rnn_zoo.cli.lm import DEFAULTS  # noqa: E402
from rnn_zoo.inference.generation import CharGenerator  # noqa: E402
from rnn_zoo.models import build_char_lm  # noqa: E402
from rnn_zoo.preprocessing import CharTokenizer  # noqa: E402
from rnn_zoo.training import set_seed  # noqa: E402

GATES = {"lstm": 4, "gru": 3, "rnn": 1}


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


def forward_flops_per_token(cell, embedding_dim, units, num_layers, vocab):
    """Multiply-add FLOPs of one token through the recurrent and output layers."""
    gates = GATES[cell]
    fwd = 0
    in_dim = embedding_dim
    for _ in range(num_layers):
        fwd += 2 * gates * units * (in_dim + units)
        in_dim = units
    return fwd + 2 * units * vocab


def training_flops_per_token(cell, embedding_dim, units, num_layers, vocab):
    """Multiply-add FLOPs of one training token: forward x 3 (forward + backward)."""
    return 3 * forward_flops_per_token(cell, embedding_dim, units, num_layers, vocab)


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


def time_interleaved(units, repeats, warmup=2):
    """Median seconds of each callable's unit of work, timed in turn.

    Args:
        units: Dict name -> zero-argument callable (one unit of work), or None
            for a missing implementation.
        repeats: Timed calls of each.
        warmup: Untimed calls of each first (tracing, compiling).

    Returns:
        Dict name -> median seconds (None where the callable was None).
    """
    present = {name: unit for name, unit in units.items() if unit is not None}
    for _ in range(warmup):
        for unit in present.values():
            unit()
    times = {name: [] for name in present}
    for _ in range(repeats):
        for name, unit in present.items():
            t0 = time.perf_counter()
            unit()
            times[name].append(time.perf_counter() - t0)
    return {
        name: float(np.median(times[name])) if name in present else None
        for name in units
    }


def _torch():
    try:
        import torch
    except ImportError:
        return None
    return torch


def torch_char_lm(torch, vocab, embedding_dim, units, num_layers, cell):
    """``nn.Embedding`` -> ``nn.LSTM``/``nn.GRU`` -> ``nn.Linear``, batch first."""
    rnn_cls = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell]
    torch.manual_seed(0)
    return torch.nn.ModuleDict(
        {
            "emb": torch.nn.Embedding(vocab, embedding_dim),
            "rnn": rnn_cls(embedding_dim, units, num_layers, batch_first=True),
            "out": torch.nn.Linear(units, vocab),
        }
    )


def torch_train_step(cell, vocab, embedding_dim, units, num_layers, x, y):
    """One training step of the same model in PyTorch, as a callable, or None."""
    torch = _torch()
    if torch is None:
        return None
    net = torch_char_lm(torch, vocab, embedding_dim, units, num_layers, cell)
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    x, y = torch.from_numpy(x).long(), torch.from_numpy(y).long()

    def step():
        opt.zero_grad()
        logits = net["out"](net["rnn"](net["emb"](x))[0])
        loss = loss_fn(logits.reshape(-1, vocab), y.reshape(-1))
        loss.backward()
        opt.step()

    return step


def torch_generate(cell, vocab, embedding_dim, units, num_layers, streams, length):
    """Generate ``length`` tokens for ``streams`` rows in PyTorch, or None.

    One ``nn.GRU``/``nn.LSTM`` step per character carrying the state, sampled
    with ``torch.multinomial``, under ``torch.no_grad``.
    """
    torch = _torch()
    if torch is None:
        return None
    net = torch_char_lm(torch, vocab, embedding_dim, units, num_layers, cell).eval()
    generator = torch.Generator().manual_seed(0)

    def generate():
        with torch.no_grad():
            token = torch.full((streams,), 2, dtype=torch.long)
            state = None
            out = []
            for _ in range(length):
                hidden, state = net["rnn"](net["emb"](token)[:, None], state)
                probs = torch.softmax(net["out"](hidden[:, 0]), -1)
                token = torch.multinomial(probs, 1, generator=generator)[:, 0]
                out.append(token)
            return torch.stack(out, 1).numpy()

    return generate


def plain_keras_generate(model, streams, length):
    """Generate with a stock one-step Keras model, the TF tutorial's way.

    A one-step functional model (``return_state=True``, the trained layers'
    weights copied) is called once per character inside a ``tf.function`` that
    also samples with ``tf.random.categorical``; Python carries the state.
    """
    embedding = model.get_layer("embedding")
    tokens = keras.Input(shape=(1,), dtype="int32")
    x = keras.layers.Embedding(embedding.input_dim, embedding.output_dim)(tokens)
    states_in, states_out = [], []
    names = {layer.name for layer in model.layers}
    index = 0
    while f"rnn_{index}" in names:
        trained = model.get_layer(f"rnn_{index}")
        lstm = isinstance(trained, keras.layers.LSTM)
        own = [keras.Input((trained.units,)) for _ in range(2 if lstm else 1)]
        layer = (keras.layers.LSTM if lstm else keras.layers.GRU)(
            trained.units, return_sequences=True, return_state=True
        )
        x, *new = layer(x, initial_state=own)
        states_in += own
        states_out += new
        index += 1
    logits = keras.layers.Dense(model.get_layer("logits").units)(x[:, -1])
    step_model = keras.Model([tokens, *states_in], [logits, *states_out])
    step_model.set_weights(model.get_weights())

    @tf.function
    def one_step(token, states):
        logits, *states = step_model([token[:, None], *states])
        token = tf.random.categorical(logits, 1, dtype=tf.int32)[:, 0]
        return token, states

    def generate():
        token = tf.fill((streams,), 2)
        states = [tf.zeros((streams, s.shape[-1])) for s in states_in]
        out = []
        for _ in range(length):
            token, states = one_step(token, states)
            out.append(token)
        return tf.stack(out, 1).numpy()

    return generate


def zoo_generate(model, tokenizer, streams, length):
    """Generate with rnn_zoo's `CharGenerator` (one prompt, ``streams`` rows)."""
    generator = CharGenerator(model)
    seeds = iter(range(10**9))
    prompt = tokenizer.decode([2])  # one character, as the other two start

    def generate():
        return generator.generate(
            tokenizer,
            prompt,
            length,
            seed=next(seeds),
            num_streams=None if streams == 1 else streams,
        )

    return generate


def _fmt(value, digits=0):
    return "n/a" if value is None else f"{value:,.{digits}f}"


def _ratio(a, b):
    return "n/a" if a is None or b is None else f"{a / b:.2f}"


def _row(what, config, rates, flops, peak):
    """One Markdown row: rates are units/s (None for n/a)."""
    zoo, plain, torch = rates["rnn_zoo"], rates["keras"], rates["torch"]
    gflops = zoo * flops / 1e9
    return (
        f"| {what} | {config} | {_fmt(zoo)} | {_fmt(plain)} | {_fmt(torch)} | "
        f"{_ratio(zoo, plain)} | {_ratio(zoo, torch)} | {gflops:.1f} | "
        f"{100 * gflops / peak:.0f}% |"
    )


def _config_name(shape):
    return (
        f"{shape['cell']}-{shape['units']} x{shape['num_layers']}, "
        f"emb {shape['embedding_dim']}"
    )


def training_row(name, shape, vocab, batch, seq, steps, peak, rng):
    """Time one training configuration in rnn_zoo, plain Keras and torch."""
    x = rng.integers(0, vocab, (batch, seq)).astype("int32")
    y = rng.integers(0, vocab, (batch, seq)).astype("int32")
    zoo = compiled(build_char_lm(vocab, **shape))
    plain = compiled(plain_keras_char_lm(vocab, **shape))
    if zoo.count_params() != plain.count_params():
        raise RuntimeError("rnn_zoo and plain Keras models differ in size")
    seconds = time_interleaved(
        {
            "rnn_zoo": lambda: float(np.asarray(zoo.train_on_batch(x, y))),
            "keras": lambda: float(np.asarray(plain.train_on_batch(x, y))),
            "torch": torch_train_step(
                shape["cell"],
                vocab,
                shape["embedding_dim"],
                shape["units"],
                shape["num_layers"],
                x,
                y,
            ),
        },
        steps,
    )
    tokens = batch * seq
    rates = {k: None if s is None else tokens / s for k, s in seconds.items()}
    flops = training_flops_per_token(
        shape["cell"],
        shape["embedding_dim"],
        shape["units"],
        shape["num_layers"],
        vocab,
    )
    config = f"{_config_name(shape)}, batch {batch} x seq {seq}"
    keras.backend.clear_session()
    return _row(f"train tokens/s ({name})", config, rates, flops, peak)


def generation_row(shape, vocab, streams, length, repeats, peak):
    """Time generating ``length`` characters for ``streams`` streams, three ways."""
    # printable characters as the vocabulary (ids 0 and 1 are reserved)
    tokenizer = CharTokenizer().fit((string.printable * 2)[: vocab - 2])
    if tokenizer.vocab_size != vocab:
        raise RuntimeError(f"tokenizer has {tokenizer.vocab_size} ids, not {vocab}")
    model = build_char_lm(vocab, **shape)
    seconds = time_interleaved(
        {
            "rnn_zoo": zoo_generate(model, tokenizer, streams, length),
            "keras": plain_keras_generate(model, streams, length),
            "torch": torch_generate(
                shape["cell"],
                vocab,
                shape["embedding_dim"],
                shape["units"],
                shape["num_layers"],
                streams,
                length,
            ),
        },
        repeats,
        warmup=1,
    )
    chars = streams * length
    rates = {k: None if s is None else chars / s for k, s in seconds.items()}
    flops = forward_flops_per_token(
        shape["cell"],
        shape["embedding_dim"],
        shape["units"],
        shape["num_layers"],
        vocab,
    )
    what = f"generate chars/s, {streams} stream{'s' if streams > 1 else ''}"
    keras.backend.clear_session()
    return _row(what, f"{_config_name(shape)} (default)", rates, flops, peak)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedding-dim", type=int, default=256)
    parser.add_argument("--units", type=int, default=512)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--seq", type=int, default=100)
    parser.add_argument("--vocab", type=int, default=65)
    parser.add_argument("--steps", type=int, default=15, help="timed steps each")
    parser.add_argument(
        "--gen-length",
        type=int,
        default=1000,
        help="characters per timed generation block of one stream (64 streams: "
        "a fifth of it each)",
    )
    parser.add_argument("--quick", action="store_true", help="tiny shapes")
    args = parser.parse_args(argv)
    default = {
        "cell": DEFAULTS["cell"],
        "units": DEFAULTS["units"],
        "num_layers": DEFAULTS["layers"],
        "embedding_dim": DEFAULTS["embedding_dim"],
    }
    default_batch, default_seq = DEFAULTS["batch_size"], DEFAULTS["seq_len"]
    if args.quick:
        args.embedding_dim, args.units, args.batch, args.seq = 16, 32, 8, 20
        args.steps, args.gen_length = 5, 100
        default |= {"units": 32, "embedding_dim": 16}
        default_batch, default_seq = 8, 20

    set_seed(0)
    peak_before = matmul_peak_gflops()
    rng = np.random.default_rng(0)
    torch = _torch()
    torch_version = "not installed" if torch is None else torch.__version__
    print(
        f"machine: {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} logical CPUs; TensorFlow {tf.__version__}, "
        f"Keras {keras.__version__}, PyTorch {torch_version}"
        + ("" if torch is None else f" ({torch.get_num_threads()} threads)")
    )
    print(f"float32 matmul peak (2048^3) before the table: {peak_before:.1f} GFLOP/s")
    print(
        f"training: vocab {args.vocab}, median of {args.steps} steps each; "
        f"generation: {args.gen_length} characters per block for 1 stream, "
        f"{args.gen_length // 5} x 64 for 64 streams, median of "
        f"{max(3, args.steps // 3)} blocks each\n",
        flush=True,
    )
    print(
        "| measure | model | rnn_zoo | plain Keras | torch | rnn_zoo / Keras "
        "| rnn_zoo / torch | rnn_zoo GFLOP/s | % of matmul peak |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|", flush=True)
    repeats = max(3, args.steps // 3)
    print(
        generation_row(default, args.vocab, 1, args.gen_length, repeats, peak_before),
        flush=True,
    )
    print(
        generation_row(
            default, args.vocab, 64, max(1, args.gen_length // 5), repeats, peak_before
        ),
        flush=True,
    )
    print(
        training_row(
            "default",
            default,
            args.vocab,
            default_batch,
            default_seq,
            args.steps,
            peak_before,
            rng,
        ),
        flush=True,
    )
    for cell in ("lstm", "gru"):
        for layers in (1, 2):
            shape = {
                "cell": cell,
                "units": args.units,
                "num_layers": layers,
                "embedding_dim": args.embedding_dim,
            }
            print(
                training_row(
                    f"{cell}, {layers} layer{'s' if layers > 1 else ''}",
                    shape,
                    args.vocab,
                    args.batch,
                    args.seq,
                    args.steps,
                    peak_before,
                    rng,
                ),
                flush=True,
            )
    peak_after = matmul_peak_gflops()
    print(
        f"\nfloat32 matmul peak after the table: {peak_after:.1f} GFLOP/s "
        f"(the % column uses the one before: {peak_before:.1f})"
    )


if __name__ == "__main__":
    main()
