"""Fast text generation from a `build_char_lm` model: carry the state, one step a char.

The naive loop re-runs the model on the whole growing text for every new
character: O(n) work per character, O(n^2) for a text. Here the recurrent state
is carried instead. `CharStepper` rebuilds a one-step inference model from the
model's named layers (``"embedding"``, the cells of ``"rnn_0"``, ``"rnn_1"``, ...,
``"logits"``; the weights are shared, not copied) and `CharGenerator` runs it in a
compiled loop (``tf.function(jit_compile=True)`` + ``tf.while_loop``, 256
characters per call): the prompt is read once to warm the state (compiled too, 64
characters per call), then each new character costs exactly one call of the
one-step model (``CharGenerator.step_calls`` counts them, inside the loop). XLA
fuses each step's small operations, the first layer's input projection is a
table looked up per character, and the sampling noise is drawn on the host, so a
step of one stream is little more than one ``state @ recurrent_kernel`` product.
Many streams (a list of prompts, or ``num_streams``) share each step's matrix
product. Speeds on a 2-core CPU, against plain Keras and PyTorch: README
(``benchmarks/throughput.py``).

Sampling is seeded (the Gumbel-max trick, with the noise drawn on the host by
one NumPy generator per stream, seeded by the seed and the stream's row), so the
same seed gives the same text on the same machine, and a stream's text does not
depend on the other streams of its batch; it works on logits, so no probability
rounding can make it fail. Reserved ids (padding, unknown, and
start/end where the tokenizer has them) are never generated, however much the
model favours them: their logits are set to -inf before sampling.

Example:
    >>> from rnn_zoo.models import build_char_lm
    >>> from rnn_zoo.preprocessing import CharTokenizer
    >>> tok = CharTokenizer().fit("to be or not to be")
    >>> model = build_char_lm(tok.vocab_size, embedding_dim=4, units=8)
    >>> text = generate_text(model, tok, "to ", 12, seed=0)
    >>> len(text), text.startswith("to ")
    (15, True)
    >>> text == generate_text(model, tok, "to ", 12, seed=0)
    True
"""

from __future__ import annotations

import random
import warnings
import weakref
from typing import Any

import keras
import numpy as np
import tensorflow as tf

from rnn_zoo._validation import check_float, check_int, check_type, error_message
from rnn_zoo.inference._cell_steps import cell_step, project_inputs, supported
from rnn_zoo.inference.portable import OnePerModel, char_lm_layers
from rnn_zoo.preprocessing.text import CharTokenizer

__all__ = [
    "CharStepper",
    "CharGenerator",
    "generate_text",
    "generate_by_rereading",
    "reserved_ids",
]

_CHUNK = 256  # tokens sampled per compiled call of `CharGenerator._chunk`
# ... fewer for many streams, so that a chunk's noise stays within 16 MiB
_NOISE_VALUES = 2**22
_PROMPT_CHUNK = 64  # prompt tokens read per compiled call of `CharGenerator._read`


class CharStepper(OnePerModel):
    """One-step inference model rebuilt from a char LM's named layers.

    ``step`` feeds one token per row and returns the next-token logits and the new
    state; ``run`` feeds a whole ``(batch, steps)`` block from a given state (used
    to warm the state on a prompt, and by `rnn_zoo.evaluation.bits_per_char`).
    Both use the model's own layer objects and variables, so they always see its
    current weights. Dropout is off (inference). SimpleRNN, GRU and LSTM cells
    after a plain ``Embedding`` are stepped from their weights with the first
    layer's input projection looked up per token id (`input_table`), the same
    math as the Keras cells with one matrix product fewer per step; other cells
    are called as they are.

    Args:
        model: A model built by `build_char_lm` (stateful or not).

    Attributes:
        state_sizes: List of the widths of the flat state tensors (LSTM layers
            have two: ``h`` and ``c``).
        vocab_size: Width of the logits.

    Raises:
        TypeError: If ``model`` is not a ``keras.Model``.
        ValueError: If it lacks the named layers of `build_char_lm`.

    Example:
        >>> from rnn_zoo.models import build_char_lm
        >>> model = build_char_lm(5, embedding_dim=2, units=3, cell="lstm")
        >>> stepper = CharStepper(model)
        >>> stepper.state_sizes
        [3, 3]
        >>> logits, states = stepper.step(
        ...     tf.constant([2, 3]), stepper.initial_state(2))
        >>> tuple(logits.shape), len(states)
        ((2, 5), 2)
        >>> full = model(np.array([[2, 3, 4]]))[0, -1]
        >>> logits, _ = stepper.run(tf.constant([[2, 3, 4]]), stepper.initial_state(1))
        >>> bool(np.allclose(full, logits[0, -1], atol=1e-5))
        True
    """

    def __init__(self, model: keras.Model):
        self.embedding, self.recurrent, self.logits = char_lm_layers(model)
        self.cells = [layer.cell for layer in self.recurrent]
        self._layout = []  # number of flat state tensors per cell
        self.state_sizes: list[int] = []
        for cell in self.cells:
            sizes = cell.state_size
            sizes = list(sizes) if isinstance(sizes, list | tuple) else [sizes]
            self._layout.append(len(sizes))
            self.state_sizes += [int(s) for s in sizes]
        self.vocab_size = int(self.logits.units)
        # SimpleRNN/GRU/LSTM cells after a plain Embedding are stepped from their
        # weights, with the first layer's input projection tabled per token id
        # (`input_table`); any other cell is called as it is.
        self._fused = type(self.embedding) is keras.layers.Embedding and all(
            supported(cell) for cell in self.cells
        )

    @staticmethod
    def _zeros(shape: tuple[int, int]) -> tf.Tensor:  # for `initial_state`
        return tf.zeros(shape)

    def input_table(self) -> tf.Tensor | None:
        """The first layer's input projection of every token id, or None.

        Row ``i`` is ``embedding[i] @ kernel + bias`` of the first recurrent
        cell, so a step gathers it instead of multiplying (computed from the
        current weights on each call). None when the cells are not stepped
        from their weights (see the class notes).

        Returns:
            A float32 tensor ``(vocab_size, gates * units)``, or None.

        Example:
            >>> from rnn_zoo.models import build_char_lm
            >>> stepper = CharStepper(build_char_lm(5, units=3, cell="lstm"))
            >>> tuple(stepper.input_table().shape)
            (5, 12)
        """
        if not self._fused:
            return None
        return self._input_table()

    @tf.function
    def _input_table(self) -> tf.Tensor:
        # one graph call instead of a few eager ops (a generate call's overhead)
        return project_inputs(self.cells[0], self.embedding.embeddings)

    def step(
        self,
        tokens: tf.Tensor,
        states: list[tf.Tensor],
        table: tf.Tensor | None = None,
    ) -> tuple[tf.Tensor, list[tf.Tensor]]:
        """Feed one token per row: ``(batch,)`` ids -> ``(batch, vocab)`` logits.

        Args:
            tokens: int tensor ``(batch,)``.
            states: Flat list of state tensors, as from `initial_state`.
            table: Optional `input_table()`, computed once for many steps.

        Returns:
            ``(logits, new_states)``.

        Example:
            >>> from rnn_zoo.models import build_char_lm
            >>> stepper = CharStepper(build_char_lm(5, units=3, cell="gru"))
            >>> logits, _ = stepper.step(tf.constant([1]), stepper.initial_state(1))
            >>> tuple(logits.shape)
            (1, 5)
        """
        tabled = self._fused and table is not None
        x = tf.gather(table, tokens) if tabled else self.embedding(tokens)
        new_states: list[tf.Tensor] = []
        offset = 0
        for index, (cell, count) in enumerate(
            zip(self.cells, self._layout, strict=True)
        ):
            own = list(states[offset : offset + count])
            offset += count
            if self._fused:
                projected = x if index == 0 and tabled else project_inputs(cell, x)
                x, updated = cell_step(cell, projected, own)
            else:
                x, updated = cell(x, own, training=False)
                updated = (
                    list(updated) if isinstance(updated, list | tuple) else [updated]
                )
            new_states += updated
        return self.logits(x), new_states

    @tf.function(reduce_retracing=True)
    def run(
        self, tokens: tf.Tensor, states: list[tf.Tensor]
    ) -> tuple[tf.Tensor, list[tf.Tensor]]:
        """Feed ``(batch, steps)`` ids from ``states``; a compiled loop of `step`.

        Args:
            tokens: int tensor ``(batch, steps)``, ``steps >= 1``.
            states: Flat list of state tensors for ``batch`` rows.

        Returns:
            ``(logits, final_states)``, logits ``(batch, steps, vocab)``.

        Example:
            >>> from rnn_zoo.models import build_char_lm
            >>> stepper = CharStepper(build_char_lm(5, units=3, cell="gru"))
            >>> logits, states = stepper.run(
            ...     tf.constant([[1, 2, 3]]), stepper.initial_state(1))
            >>> tuple(logits.shape), tuple(states[0].shape)
            ((1, 3, 5), (1, 3))
        """
        steps = tf.shape(tokens)[1]
        out = tf.TensorArray(tf.float32, size=steps)
        table = self.input_table()

        def body(t, states, out):
            logits, states = self.step(tokens[:, t], states, table)
            return t + 1, states, out.write(t, logits)

        _, states, out = tf.while_loop(
            lambda t, *_: t < steps, body, (tf.constant(0), list(states), out)
        )
        return tf.transpose(out.stack(), (1, 0, 2)), states


def reserved_ids(tokenizer: CharTokenizer) -> list[int]:
    """The ids generation never samples: padding, unknown, and start/end if any.

    Args:
        tokenizer: A fitted `CharTokenizer`.

    Returns:
        Sorted list of ids.

    Example:
        >>> reserved_ids(CharTokenizer().fit("ab"))
        [0, 1]
        >>> reserved_ids(CharTokenizer(start_token="<s>", end_token="</s>").fit("ab"))
        [0, 1, 2, 3]
    """
    ids = {tokenizer.pad_id, tokenizer.unk_id, tokenizer.start_id, tokenizer.end_id}
    return sorted(i for i in ids if i is not None)


def _banned_offset(tokenizer: CharTokenizer, vocab: int) -> np.ndarray:
    """float32 ``(vocab,)``: -inf at the reserved ids, 0 elsewhere."""
    offset = np.zeros(vocab, dtype=np.float32)
    offset[[i for i in reserved_ids(tokenizer) if i < vocab]] = -np.inf
    return offset


def _chunk_length(streams: int, vocab: int) -> int:
    """Characters per compiled sampling call: 256, fewer for very many streams."""
    return max(16, min(_CHUNK, _NOISE_VALUES // (streams * vocab)))


def _gumbel_noise(
    generators: list[np.random.Generator], steps: int, vocab: int, chunk: int
) -> np.ndarray:
    """Standard Gumbel noise ``(chunk, rows, vocab)`` float32, finite everywhere.

    Row ``r`` draws its first ``steps`` rows from ``generators[r]``, in order (so
    a stream's noise does not depend on how it is cut into chunks); the rest
    (unused by `CharGenerator._chunk`) is zero. The uniforms are ``(k + 0.5) /
    2**24`` for integer ``k``, strictly inside (0, 1), so the noise is never
    infinite and a banned id's ``-inf`` logit is never cancelled.
    """
    noise = np.zeros((chunk, len(generators), vocab), dtype=np.float32)
    for row, generator in enumerate(generators):
        uniform = (generator.integers(0, 2**24, (steps, vocab)) + 0.5) / 2**24
        noise[:steps, row] = -np.log(-np.log(uniform))
    return noise


def _filter_logits(
    logits: tf.Tensor,
    temperature: tf.Tensor,
    top_k: tf.Tensor,
    top_p: tf.Tensor,
    banned: tf.Tensor,
) -> tf.Tensor:
    """Scale by temperature, ban reserved ids, keep the top-k / top-p tokens."""
    vocab = tf.shape(logits)[-1]
    minus_inf = tf.fill(tf.shape(logits), float("-inf"))
    logits = logits / temperature + banned
    ranked = tf.sort(logits, axis=-1, direction="DESCENDING")
    k = tf.where(top_k > 0, tf.minimum(top_k, vocab), vocab)
    kth = ranked[:, k - 1 : k]
    # top-p: the smallest set of tokens whose probability reaches top_p; the
    # best token always stays (so rounding can never empty the set).
    before = tf.math.cumsum(tf.nn.softmax(ranked), axis=-1, exclusive=True)
    n_kept = tf.reduce_sum(tf.cast(before < top_p, tf.int32), axis=-1)
    pth = tf.gather(ranked, tf.maximum(n_kept, 1) - 1, axis=1, batch_dims=1)
    threshold = tf.maximum(kth, pth[:, tf.newaxis])
    return tf.where(logits >= threshold, logits, minus_inf)


class CharGenerator:
    """Generate text from a char LM, carrying the state in a compiled loop.

    Build it once per model and call `generate` as often as you like (the graph
    is traced once per batch size). `generate_text` keeps one per model for you.

    Args:
        model: A model built by `build_char_lm`.

    Attributes:
        stepper: The `CharStepper` (one-step model) it runs.
        step_calls: Number of one-step model calls made by the generation loops
            so far (one per generated character and row batch; the prompt is
            read by separate compiled calls of 64 characters, not counted).

    Raises:
        TypeError: If ``model`` is not a ``keras.Model``.
        ValueError: If it lacks the named layers of `build_char_lm`.

    Example:
        >>> from rnn_zoo.models import build_char_lm
        >>> tok = CharTokenizer().fit("abcd")
        >>> generator = CharGenerator(build_char_lm(tok.vocab_size, units=4))
        >>> texts = generator.generate(tok, ["ab", "c"], 5, seed=1)
        >>> [len(t) for t in texts], generator.step_calls
        ([7, 6], 5)
    """

    def __init__(self, model: keras.Model):
        self.stepper = CharStepper.for_model(model)
        self._calls = tf.Variable(0, dtype=tf.int64, trainable=False)

    @property
    def step_calls(self) -> int:
        """Count of one-step model calls by the generation loop (an int)."""
        return int(self._calls.numpy())

    @tf.function(jit_compile=True)
    def _chunk(
        self,
        logits,
        states,
        table,
        steps,
        temperature,
        top_k,
        top_p,
        banned,
        gumbel,
        filter,
    ):
        # One XLA-compiled call samples the next `steps` (<= chunk) tokens. The
        # shapes are static (`chunk` noise rows, a `chunk`-row TensorArray), so
        # it compiles once per batch size and `filter`, whatever `length` is; XLA
        # fuses each step's ops (faster on a CPU than the op-by-op graph, see
        # the module notes). `filter` is a Python bool: one trace without
        # the top-k/top-p sorting (the common case) and one with it.
        # Gumbel-max trick: argmax(logits / T + Gumbel noise) is a categorical
        # sample; it needs no normalised probabilities (so no rounding can make
        # it fail). The noise `(chunk, batch, vocab)` comes from the host
        # (`_gumbel_noise`): XLA's own random-number expansion on a CPU took
        # longer than 256 steps of a GRU-512.
        out = tf.TensorArray(tf.int32, size=gumbel.shape[0])
        # 1 / T, and -inf for the reserved ids: one scale and one offset
        inverse_t = 1.0 / temperature

        def body(i, logits, states, out):
            if filter:
                scaled = _filter_logits(logits, temperature, top_k, top_p, banned)
            else:
                scaled = logits * inverse_t + banned
            token = tf.argmax(scaled + gumbel[i], -1, tf.int32)
            logits, states = self.stepper.step(token, states, table)
            self._calls.assign_add(1)
            return i + 1, logits, states, out.write(i, token)

        _, logits, states, out = tf.while_loop(
            lambda i, *_: i < steps, body, (tf.constant(0), logits, states, out)
        )
        # (chunk, batch); rows from `steps` on are unused
        return logits, states, out.stack()

    def _sample(
        self, logits, states, table, length, temperature, top_k, top_p, seed, banned
    ):
        """Sample ``length`` tokens chunk by chunk: an int32 array (batch, length).

        ``table`` is the stepper's `CharStepper.input_table`, ``banned`` the
        ``(vocab,)`` offset of `_banned_offset`.
        """
        arguments = (
            tf.constant(temperature, tf.float32),
            tf.constant(top_k or 0),
            tf.constant(1.0 if top_p is None else top_p, tf.float32),
            tf.constant(banned, tf.float32),
        )
        filter = top_k is not None or top_p is not None
        # one noise generator per stream, seeded by (seed, row): a row's text
        # depends on its seed and row number only, not on the other rows
        generators = [
            np.random.default_rng([seed, row]) for row in range(len(states[0]))
        ]
        vocab = self.stepper.vocab_size
        chunk = _chunk_length(len(generators), vocab)
        chunks = []
        for start in range(0, length, chunk):
            steps = min(chunk, length - start)
            gumbel = _gumbel_noise(generators, steps, vocab, chunk)
            logits, states, tokens = self._chunk(
                logits,
                states,
                table,
                tf.constant(steps),
                *arguments,
                tf.constant(gumbel),
                filter,
            )
            chunks.append(tokens.numpy()[:steps])
        # (length, batch) -> (batch, length), in NumPy (TF's oneDNN int32
        # transpose logs)
        return np.concatenate(chunks).T

    @tf.function(jit_compile=True)
    def _read(self, logits, states, table, tokens, lengths, start):
        # One XLA-compiled call reads the prompt columns `start` to `start +
        # _PROMPT_CHUNK` ((batch, _PROMPT_CHUNK) `tokens`, padded past each
        # row's end); a row whose prompt has ended keeps its logits and state,
        # so prompts of different lengths share the calls. Static shapes: it
        # compiles once per batch size, whatever the prompts' lengths.
        steps = tf.minimum(_PROMPT_CHUNK, tf.reduce_max(lengths) - start)

        def body(i, logits, states):
            new_logits, new_states = self.stepper.step(tokens[:, i], states, table)
            live = (start + i < lengths)[:, tf.newaxis]
            logits = tf.where(live, new_logits, logits)
            states = [
                tf.where(live, n, o) for n, o in zip(new_states, states, strict=True)
            ]
            return i + 1, logits, states

        _, logits, states = tf.while_loop(
            lambda i, *_: i < steps, body, (tf.constant(0), logits, states)
        )
        return logits, states

    def _warm(
        self, rows: list[list[int]], table: tf.Tensor | None
    ) -> tuple[tf.Tensor, list[tf.Tensor]]:
        """Read each prompt once; return the last logits and states, row by row."""
        lengths = [len(ids) for ids in rows]
        width = -(-max(lengths) // _PROMPT_CHUNK) * _PROMPT_CHUNK
        tokens = np.zeros((len(rows), width), dtype=np.int32)
        for row, ids in enumerate(rows):
            tokens[row, : len(ids)] = ids
        logits = tf.zeros((len(rows), self.stepper.vocab_size))
        states = self.stepper.initial_state(len(rows))
        lengths = tf.constant(lengths, tf.int32)
        for start in range(0, width, _PROMPT_CHUNK):
            logits, states = self._read(
                logits,
                states,
                table,
                tf.constant(tokens[:, start : start + _PROMPT_CHUNK]),
                lengths,
                tf.constant(start),
            )
        return logits, list(states)

    def generate(
        self,
        tokenizer: CharTokenizer,
        prompt: str | list[str],
        length: int,
        *,
        temperature: float = 1.0,
        top_k: int | None = None,
        top_p: float | None = None,
        seed: int | None = None,
        num_streams: int | None = None,
    ) -> str | list[str]:
        """Continue ``prompt`` by ``length`` characters; see `generate_text`."""
        check_type(tokenizer, "tokenizer", CharTokenizer, "a fitted CharTokenizer")
        prompts = _check_prompts(prompt)
        num_streams = check_int(num_streams, "num_streams", minimum=1, allow_none=True)
        if num_streams is not None:
            if not isinstance(prompt, str):
                raise ValueError(
                    error_message(
                        "num_streams",
                        "None when `prompt` is a list (a list gives one stream "
                        "per prompt)",
                        num_streams,
                    )
                )
            prompts = prompts * num_streams
        length = check_int(length, "length", minimum=0)
        temperature = check_float(
            temperature, "temperature", low=0.0, low_inclusive=False
        )
        vocab = self.stepper.vocab_size
        top_k = check_int(top_k, "top_k", minimum=1, maximum=vocab, allow_none=True)
        top_p = check_float(
            top_p, "top_p", low=0.0, high=1.0, low_inclusive=False, allow_none=True
        )
        seed = check_int(seed, "seed", minimum=0, allow_none=True)
        if seed is None:
            seed = random.SystemRandom().randrange(2**31)
        if tokenizer.vocab_size != vocab:
            raise ValueError(
                error_message(
                    "tokenizer",
                    f"the tokenizer the model was trained with ({vocab} ids)",
                    tokenizer,
                    f"It has {tokenizer.vocab_size} ids",
                )
            )
        rows = [tokenizer.encode(p) for p in prompts]
        _warn_unknown(tokenizer, prompts, rows)
        if length == 0:
            new = np.zeros((len(rows), 0), dtype=np.int32)
        else:
            table = self.stepper.input_table()  # once per call, outside XLA
            logits, states = self._warm(rows, table)
            banned = _banned_offset(tokenizer, vocab)
            new = self._sample(
                logits, states, table, length, temperature, top_k, top_p, seed, banned
            )
        texts = [p + tokenizer.decode(ids) for p, ids in zip(prompts, new, strict=True)]
        return texts[0] if isinstance(prompt, str) and num_streams is None else texts


def _check_prompts(prompt: Any) -> list[str]:
    allowed = "a non-empty string or a non-empty list of non-empty strings"
    prompts = [prompt] if isinstance(prompt, str) else prompt
    if not isinstance(prompts, list | tuple) or not all(
        isinstance(p, str) for p in prompts
    ):
        raise TypeError(error_message("prompt", allowed, prompt))
    if not prompts or not all(prompts):
        raise ValueError(
            error_message(
                "prompt",
                allowed,
                prompt,
                "The prompt warms the state; pass at least one character, e.g. '\\n'",
            )
        )
    return list(prompts)


def _warn_unknown(tokenizer: CharTokenizer, prompts: list[str], rows: list) -> None:
    unknown = sorted(
        {
            char
            for prompt in prompts
            for char in tokenizer.tokenize(prompt)
            if tokenizer.token_to_id_.get(char, tokenizer.unk_id) == tokenizer.unk_id
        }
    )
    if unknown:
        warnings.warn(
            f"The prompt has characters the tokenizer never saw in training "
            f"({''.join(unknown)!r}); they are fed to the model as the unknown id "
            f"{tokenizer.unk_id}.",
            UserWarning,
            stacklevel=3,
        )


_GENERATORS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def generate_text(
    model: keras.Model,
    tokenizer: CharTokenizer,
    prompt: str | list[str],
    length: int,
    *,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
    seed: int | None = None,
    num_streams: int | None = None,
) -> str | list[str]:
    """Generate ``length`` characters after ``prompt`` with a char LM.

    The prompt is read once to warm the recurrent state; then each new character
    is sampled from the last logits and fed back through the one-step model,
    carrying the state (`CharGenerator`), never re-reading the prefix. A list of
    prompts, or ``num_streams`` copies of one prompt, is generated as one batch
    of independent streams (prompts may differ in length): one matrix product
    per step serves every stream, so 64 streams give several times the
    characters per second of one.

    Args:
        model: A model built by `build_char_lm` (trained with ``tokenizer``).
        tokenizer: The fitted `CharTokenizer` of the model.
        prompt: A non-empty string, or a list of them. Characters the tokenizer
            does not know are fed as the unknown id, with a ``UserWarning``.
        length: Number of characters to generate (>= 0).
        temperature: Divides the logits before sampling (> 0): below 1 is more
            conservative, above 1 more random. Defaults to 1.0.
        top_k: Sample only among the ``top_k`` most likely tokens (1 = greedy),
            in ``[1, vocab_size]``, or None (default) for no limit.
        top_p: Nucleus sampling: only the most likely tokens whose probability
            (after ``temperature``) first reaches ``top_p``, in (0, 1]; None
            (default) for no limit. The most likely token is always kept.
        seed: Non-negative int; the same seed gives the same text. None
            (default) draws a fresh seed. Stream ``r`` (the ``r``-th prompt)
            samples with noise seeded by ``(seed, r)``: its text does not depend
            on the other streams in the batch (up to float rounding, batched
            matrix products may differ in the last bits).
        num_streams: Generate this many independent continuations of the one
            string ``prompt`` (a positive int), returned as a list; None
            (default) for one stream per prompt.

    Returns:
        ``prompt`` followed by the generated text; a list of such strings when
        ``prompt`` is a list or ``num_streams`` is given.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``prompt`` is empty, ``length < 0``, ``temperature <= 0``
            or NaN, ``top_k`` is outside ``[1, vocab_size]``, ``top_p`` outside
            (0, 1], ``num_streams < 1`` or given with a list of prompts, the
            tokenizer does not match the model, or the model lacks the named
            layers of `build_char_lm`.

    Example:
        >>> from rnn_zoo.models import build_char_lm
        >>> tok = CharTokenizer().fit("abc")
        >>> model = build_char_lm(tok.vocab_size, units=4)
        >>> out = generate_text(model, tok, ["a", "bc"], 3, top_k=1)
        >>> [len(t) for t in out]
        [4, 5]
        >>> streams = generate_text(model, tok, "ab", 5, seed=0, num_streams=3)
        >>> len(streams), streams[0] == generate_text(model, tok, "ab", 5, seed=0)
        (3, True)
        >>> generate_text(model, tok, "a", 3, temperature=0)
        Traceback (most recent call last):
        ...
        ValueError: `temperature` must be a number > 0.0. Received: temperature=0
    """
    generator = _GENERATORS.get(model) if isinstance(model, keras.Model) else None
    if generator is None:
        generator = CharGenerator(model)
        _GENERATORS[model] = generator
    return generator.generate(
        tokenizer,
        prompt,
        length,
        temperature=temperature,
        top_k=top_k,
        top_p=top_p,
        seed=seed,
        num_streams=num_streams,
    )


def generate_by_rereading(
    model: keras.Model,
    tokenizer: CharTokenizer,
    prompt: str,
    length: int,
    *,
    window: int | None = None,
    seed: int | None = None,
) -> str:
    """The slow way, for comparison only: re-read the text for every new character.

    Each step runs the full model on the whole text so far (or its last
    ``window`` characters, as keras-io's example does with 40) and samples the
    next character from the last logits (temperature 1). The cost per character
    grows with the prefix (or is ``window`` times a state step): time it against
    `generate_text` to see why carrying the state matters.

    Args:
        model: A model built by `build_char_lm`.
        tokenizer: Its fitted `CharTokenizer`.
        prompt: A non-empty string.
        length: Number of characters to generate (>= 0).
        window: Characters re-read per step (positive), or None (default) for
            the whole prefix.
        seed: Seed of the NumPy sampler, or None.

    Returns:
        ``prompt`` followed by the generated text.

    Raises:
        TypeError, ValueError: If an argument is invalid.

    Example:
        >>> from rnn_zoo.models import build_char_lm
        >>> tok = CharTokenizer().fit("abc")
        >>> model = build_char_lm(tok.vocab_size, units=4)
        >>> len(generate_by_rereading(model, tok, "ab", 5, window=3, seed=0))
        7
    """
    check_type(tokenizer, "tokenizer", CharTokenizer, "a fitted CharTokenizer")
    _check_prompts(prompt)
    check_type(prompt, "prompt", str, "a non-empty string")
    length = check_int(length, "length", minimum=0)
    window = check_int(window, "window", minimum=1, allow_none=True)
    rng = np.random.default_rng(seed)
    forward = tf.function(
        lambda x: model(x, training=False)[:, -1],
        input_signature=[tf.TensorSpec((1, None), tf.int32)],
    )
    ids = tokenizer.encode(prompt)
    for _ in range(length):
        context = ids if window is None else ids[-window:]
        logits = forward(tf.constant([context], tf.int32))[0].numpy().astype("float64")
        logits += _banned_offset(tokenizer, len(logits))
        gumbel = -np.log(-np.log(rng.uniform(1e-12, 1.0, logits.shape)))
        ids.append(int(np.argmax(logits + gumbel)))
    return prompt + tokenizer.decode(ids[len(tokenizer.encode(prompt)) :])
