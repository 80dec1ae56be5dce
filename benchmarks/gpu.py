"""The GPU path: fused cuDNN LSTM/GRU vs plain Keras, mixed precision, decoding speed.

Run on a machine with an NVIDIA GPU (``pip install "tensorflow[and-cuda]==2.21.0"``).
Prints one Markdown table per part, all measured in the same run:

1. **Training throughput** (tokens/s) of the char LM of
   `rnn_zoo.models.build_char_lm` (LSTM and GRU) with Keras' fused cuDNN kernel
   (``use_cudnn="auto"``, what the builders keep possible) against the same
   model with ``use_cudnn=False`` (Keras' generic loop on the GPU), and the
   ratio.
2. **Which kernel really runs**: for each model, `fused_kernel_report`'s verdict
   next to what the traced training step contains (a ``CudnnRNNV3`` op or not).
   A model the report calls fused must contain it, and one it rules out (here
   ``recurrent_dropout=0.1``) must not.
3. **Mixed precision**: the same training under ``mixed_float16`` (Keras wraps
   the optimizer in a ``LossScaleOptimizer``; the logits stay float32), its
   tokens/s and ratio to float32, and the loss after the same steps.
4. **Decoding**: `CharGenerator` characters/s for 1 and 64 streams, and
   `beam_search_decode` sentences/s (width 5) of a date translator.

Without a GPU it says so and exits with code 0; ``--allow-cpu`` runs the same
code on the CPU at ``--quick`` sizes, to check the script itself.

Usage:
    python benchmarks/gpu.py             # on a GPU machine
    python benchmarks/gpu.py --quick --allow-cpu
"""

from __future__ import annotations

import argparse
import os
import platform
import string
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from rnn_zoo.inference import CharGenerator, beam_search_decode  # noqa: E402
from rnn_zoo.inspection import fused_kernel_report  # noqa: E402
from rnn_zoo.models import build_char_lm, build_seq2seq  # noqa: E402
from rnn_zoo.preprocessing import CharTokenizer  # noqa: E402
from rnn_zoo.training import set_seed  # noqa: E402

CUDNN_OP = "CudnnRNNV3"


def _gpu_name() -> str | None:
    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return None
    details = tf.config.experimental.get_device_details(gpus[0])
    return details.get("device_name", gpus[0].name)


def _char_lm(vocab: int, args: argparse.Namespace, cell: str, **layer_options):
    """`build_char_lm`, with options set on its recurrent layers afterwards."""
    model = build_char_lm(
        vocab, embedding_dim=args.embedding_dim, units=args.units, cell=cell
    )
    if layer_options:  # rebuild the same architecture with the changed layers
        config = model.get_config()
        for layer in config["layers"]:
            if layer["class_name"] in ("LSTM", "GRU"):
                layer["config"].update(layer_options)
        model = keras.Model.from_config(config)
    model.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return model


def _tokens_per_second(model, x, y, steps: int) -> tuple[float, float]:
    """Median tokens/s over ``steps`` training steps (after one warm-up); last loss."""
    model.train_on_batch(x, y)  # trace and compile
    times, loss = [], float("nan")
    for _ in range(steps):
        begin = time.perf_counter()
        loss = float(model.train_on_batch(x, y))
        times.append(time.perf_counter() - begin)
    return x.size / float(np.median(times)), loss


def _runs_cudnn(model, x, y) -> bool:
    """Whether the traced training step contains the fused cuDNN RNN op."""

    @tf.function
    def forward_and_backward(a, b):
        with tf.GradientTape() as tape:
            logits = model(a, training=True)
            loss = tf.reduce_mean(
                keras.losses.sparse_categorical_crossentropy(
                    b, logits, from_logits=True
                )
            )
        return tape.gradient(loss, model.trainable_variables)

    graph = forward_and_backward.get_concrete_function(
        tf.TensorSpec(x.shape, x.dtype), tf.TensorSpec(y.shape, y.dtype)
    ).graph
    ops = {op.type for op in graph.get_operations()}
    for function in graph._functions.values():  # while/cond bodies
        ops |= {node.op for node in function.definition.node_def}
    return CUDNN_OP in ops


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def training_tables(args, vocab, x, y) -> None:
    speed_rows, kernel_rows, mixed_rows = [], [], []
    for cell in ("lstm", "gru"):
        set_seed(0)
        fused = _char_lm(vocab, args, cell)
        set_seed(0)
        plain = _char_lm(vocab, args, cell, use_cudnn=False)
        fast, full_loss = _tokens_per_second(fused, x, y, args.steps)
        slow, _ = _tokens_per_second(plain, x, y, args.steps)
        speed_rows.append(
            [cell.upper(), f"{fast:,.0f}", f"{slow:,.0f}", f"{fast / slow:.2f}x"]
        )
        ruled_out = _char_lm(vocab, args, cell, recurrent_dropout=0.1)
        for name, model in (("builder", fused), ("recurrent_dropout=0.1", ruled_out)):
            report = fused_kernel_report(model)
            said = all(record.fused for record in report)
            ran = _runs_cudnn(model, x, y)
            kernel_rows.append(
                [
                    cell.upper(),
                    name,
                    str(said),
                    str(ran),
                    "yes" if said == ran else "NO",
                ]
            )
        keras.mixed_precision.set_global_policy("mixed_float16")
        try:
            set_seed(0)
            half = _char_lm(vocab, args, cell)
            scaled = isinstance(half.optimizer, keras.optimizers.LossScaleOptimizer)
            out_dtype = half.output.dtype
            half_rate, half_loss = _tokens_per_second(half, x, y, args.steps)
        finally:
            keras.mixed_precision.set_global_policy("float32")
        mixed_rows.append(
            [
                cell.upper(),
                f"{half_rate:,.0f}",
                f"{half_rate / fast:.2f}x",
                str(scaled),
                str(out_dtype),
                f"{half_loss:.3f} (float32 {full_loss:.3f})",
            ]
        )
    print("\n## Training throughput (tokens/s)\n")
    header = ["cell", "fused cuDNN (builder)", "use_cudnn=False", "ratio"]
    print(_table(header, speed_rows))
    print("\n## fused_kernel_report vs the traced training step\n")
    header = ["cell", "model", "report: fused", f"graph has {CUDNN_OP}", "agree"]
    print(_table(header, kernel_rows))
    print("\n## mixed_float16 training\n")
    header = ["cell", "tokens/s", "vs float32", "loss scaling", "output", "loss"]
    print(_table(header, mixed_rows))


def decoding_table(args, tokenizer) -> None:
    rows = []
    set_seed(0)
    model = build_char_lm(
        tokenizer.vocab_size, embedding_dim=args.embedding_dim, units=args.units
    )
    for streams in (1, 64):
        generator = CharGenerator(model)
        prompts = ["The "] * streams
        generator.generate(tokenizer, prompts, args.length, seed=0)  # compile
        begin = time.perf_counter()
        generator.generate(tokenizer, prompts, args.length, seed=1)
        seconds = time.perf_counter() - begin
        rows.append(
            [
                f"CharGenerator, {streams} stream(s)",
                f"{streams * args.length / seconds:,.0f} chars/s",
            ]
        )
    source_vocab, target_vocab, n = 40, 14, 64
    set_seed(0)
    seq2seq = build_seq2seq(source_vocab, target_vocab, attention="bahdanau", units=64)
    rng = np.random.default_rng(0)
    source = rng.integers(2, source_vocab, size=(n, 30)).astype("int32")
    beam_search_decode(
        seq2seq, source, start_id=2, end_id=3, max_length=12, beam_width=5
    )
    begin = time.perf_counter()
    beam_search_decode(
        seq2seq, source, start_id=2, end_id=3, max_length=12, beam_width=5
    )
    seconds = time.perf_counter() - begin
    rows.append(
        [f"beam_search_decode, width 5, {n} sources", f"{n / seconds:,.1f} sentences/s"]
    )
    print("\n## Decoding\n")
    print(_table(["what", "speed"], rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small shapes")
    parser.add_argument(
        "--allow-cpu", action="store_true", help="run without a GPU (to test)"
    )
    args = parser.parse_args(argv)
    args.embedding_dim, args.units = (16, 32) if args.quick else (256, 512)
    args.batch, args.seq = (8, 20) if args.quick else (64, 100)
    args.steps, args.length = (3, 50) if args.quick else (20, 1000)
    gpu = _gpu_name()
    if gpu is None and not args.allow_cpu:
        print("no GPU found: nothing to measure (pass --allow-cpu to test the script)")
        return 0
    cpu = platform.processor() or platform.machine()
    print(
        f"# GPU path: {gpu or 'no GPU (CPU run, --allow-cpu)'}; TensorFlow "
        f"{tf.__version__}, Keras {keras.__version__}, {cpu}"
    )
    tokenizer = CharTokenizer().fit(string.printable)
    vocab = tokenizer.vocab_size
    rng = np.random.default_rng(0)
    x = rng.integers(2, vocab, size=(args.batch, args.seq)).astype("int32")
    y = rng.integers(2, vocab, size=(args.batch, args.seq)).astype("int32")
    training_tables(args, vocab, x, y)
    decoding_table(args, tokenizer)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
