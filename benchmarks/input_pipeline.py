"""Input pipelines: does ``cache`` / ``prefetch`` / workers make training steps faster?

For the three data paths of the zoo, the same model (same seed) trains on the
same batches fed different ways, and the median milliseconds per training step
is printed in one table per path, all measured in the same run, the variants
interleaved (A, B, C, A, B, C, ...) so drift on a shared machine hits all alike:

- **char LM** (``lm train``'s default model, `rnn_zoo.preprocessing.char_dataset`):
  the package's pipeline (shuffle, batch, ``prefetch(2)`` without autotuning),
  the same without ``prefetch``, with ``prefetch(AUTOTUNE)`` instead, that with
  ``cache()`` added, and NumPy arrays given to ``fit``;
- **forecasting** (`build_forecaster` on GOOG windows): NumPy arrays from
  `make_windows` (what the backtest and notebook 04 use), `windows_dataset`
  (``keras.utils.timeseries_dataset_from_array`` and its own ``prefetch(2)``), and
  it with a further ``prefetch(AUTOTUNE)`` (not ``cache``: it shuffles inside,
  so a cache would replay the first epoch's order every epoch);
- **dates** (``dates train``'s translator): `LengthBuckets` (batches of similar
  lengths, each cut to its longest source) in the main thread, the same with 2
  workers, and all sources padded to the longest (NumPy arrays).

Usage:
    python benchmarks/input_pipeline.py           # lm train's sizes (minutes)
    python benchmarks/input_pipeline.py --quick   # small models, under a minute
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from rnn_zoo.cli.lm import DEFAULTS  # noqa: E402
from rnn_zoo.datasets import load_stock_prices, make_date_pairs  # noqa: E402
from rnn_zoo.models import build_char_lm, build_forecaster, build_seq2seq  # noqa: E402
from rnn_zoo.preprocessing import (  # noqa: E402
    CharTokenizer,
    LengthBuckets,
    SeriesScaler,
    char_dataset,
    make_windows,
    windows_dataset,
)
from rnn_zoo.tasks import Seq2SeqTranslator  # noqa: E402
from rnn_zoo.training import set_seed  # noqa: E402

Feed = Callable[[keras.Model, int], None]  # (model, steps) -> trains that many steps


def _compiled(model: keras.Model, loss: str | keras.losses.Loss) -> keras.Model:
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=loss)
    return model


def _fit_steps(data) -> Feed:
    def feed(model: keras.Model, steps: int) -> None:
        model.fit(data, epochs=1, steps_per_epoch=steps, shuffle=False, verbose=0)

    return feed


def _fit_arrays(x, y, batch_size: int) -> Feed:
    def feed(model: keras.Model, steps: int) -> None:
        n = steps * batch_size
        head = [a[:n] for a in x] if isinstance(x, list | tuple) else x[:n]
        model.fit(head, y[:n], batch_size=batch_size, epochs=1, verbose=0)

    return feed


def measure(
    build: Callable[[], keras.Model], feeds: dict[str, Feed], steps: int, rounds: int
) -> dict[str, float]:
    """Median ms per step of each feed, interleaved round by round."""
    models = {}
    for name, feed in feeds.items():
        set_seed(0)
        models[name] = build()
        feed(models[name], 2)  # trace, compile and fill any buffers
    times: dict[str, list[float]] = {name: [] for name in feeds}
    for _ in range(rounds):
        for name, feed in feeds.items():
            begin = time.perf_counter()
            feed(models[name], steps)
            times[name].append((time.perf_counter() - begin) / steps * 1000)
    return {name: float(np.median(values)) for name, values in times.items()}


def lm_feeds(args) -> tuple[Callable[[], keras.Model], dict[str, Feed]]:
    rng = np.random.default_rng(0)
    vocab, seq, batch = 65, args.seq_len, args.batch_size
    ids = rng.integers(2, vocab, size=seq * batch * 40 + 1).astype("int32")
    package = char_dataset(ids, sequence_length=seq, batch_size=batch, seed=0)
    inputs = ids[:-1].reshape(-1, seq)
    targets = ids[1:].reshape(-1, seq)
    plain = (
        tf.data.Dataset.from_tensor_slices((inputs, targets))
        .shuffle(len(inputs), seed=0)
        .batch(batch, drop_remainder=True)
    )
    autotuned = plain.prefetch(tf.data.AUTOTUNE)
    cached = plain.cache().prefetch(tf.data.AUTOTUNE)
    feeds = {
        "char_dataset (shuffle, batch, prefetch 2)": _fit_steps(package.repeat()),
        "without prefetch": _fit_steps(plain.repeat()),
        "prefetch(AUTOTUNE) instead": _fit_steps(autotuned.repeat()),
        "prefetch(AUTOTUNE) + cache()": _fit_steps(cached.repeat()),
        "NumPy arrays to fit": _fit_arrays(inputs, targets, batch),
    }

    def build():
        model = build_char_lm(
            vocab, embedding_dim=args.embedding_dim, units=args.units, cell="gru"
        )
        return _compiled(
            model, keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        )

    return build, feeds


def forecast_feeds(args) -> tuple[Callable[[], keras.Model], dict[str, Feed]]:
    close = load_stock_prices("GOOG")[["Close"]]
    scaled = SeriesScaler().fit(close).transform(close).to_numpy("float32")
    lookback, batch = 60, 32
    X, y = make_windows(scaled, lookback)
    dataset = windows_dataset(scaled, lookback, batch_size=batch, shuffle=True, seed=0)
    feeds = {
        "make_windows arrays to fit (package)": _fit_arrays(X, y, batch),
        "windows_dataset (prefetch 2)": _fit_steps(dataset.repeat()),
        "windows_dataset + prefetch(AUTOTUNE)": _fit_steps(
            dataset.prefetch(tf.data.AUTOTUNE).repeat()
        ),
    }

    def build():
        return _compiled(
            build_forecaster(lookback, 1, units=args.forecast_units), "mse"
        )

    return build, feeds


def dates_feeds(args) -> tuple[Callable[[], keras.Model], dict[str, Feed]]:
    pairs = make_date_pairs(args.date_pairs, seed=0)
    source = CharTokenizer(lower=True).fit(pairs.sources)
    target = CharTokenizer(start_token="<s>", end_token="</s>").fit(pairs.targets)
    set_seed(0)
    model = build_seq2seq(
        source.vocab_size, target.vocab_size, attention="bahdanau", units=64
    )
    translator = Seq2SeqTranslator(
        model, source, target, max_source_length=40, max_target_length=12
    )
    x, y = translator.teacher_forcing(pairs.sources, pairs.targets)
    batch = 128
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    feeds = {
        "LengthBuckets (package)": _fit_steps(LengthBuckets(x, y, batch, seed=0)),
        "LengthBuckets, 2 workers": _fit_steps(
            LengthBuckets(x, y, batch, seed=0, workers=2)
        ),
        "padded to 40, NumPy arrays": _fit_arrays(x, y, batch),
    }

    def build():
        return _compiled(
            build_seq2seq(
                source.vocab_size, target.vocab_size, attention="bahdanau", units=64
            ),
            loss,
        )

    return build, feeds


def _table(title: str, timings: dict[str, float]) -> str:
    first = next(iter(timings.values()))
    lines = [f"\n## {title}\n", "| feed | ms / step | vs the first |", "|---|---|---|"]
    for name, ms in timings.items():
        lines.append(f"| {name} | {ms:.1f} | {ms / first:.2f}x |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small models")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    quick = args.quick
    args.units = 64 if quick else DEFAULTS["units"]
    args.embedding_dim = 16 if quick else DEFAULTS["embedding_dim"]
    args.seq_len, args.batch_size = DEFAULTS["seq_len"], DEFAULTS["batch_size"]
    args.forecast_units, args.date_pairs = 32, 4000 if quick else 20000
    steps = 5 if quick else 20
    threads = tf.config.threading.get_intra_op_parallelism_threads()
    print(
        f"# Input pipelines: {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs (TensorFlow intra-op threads {threads or 'auto'}), "
        f"{steps} steps x {args.rounds} rounds, median"
    )
    for title, make in (
        (
            f"char LM, GRU-{args.units}, batch {args.batch_size} x {args.seq_len}",
            lm_feeds,
        ),
        ("forecasting, LSTM-32 on GOOG, lookback 60, batch 32", forecast_feeds),
        ("dates, Bahdanau GRU-64, batch 128", dates_feeds),
    ):
        build, feeds = make(args)
        print(_table(title, measure(build, feeds, steps, args.rounds)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
