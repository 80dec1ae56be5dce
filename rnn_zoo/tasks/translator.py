"""A seq2seq model bundled with its tokenizers: translate text, save, load.

API::

    translator = Seq2SeqTranslator.create(sources, targets, lower=True,
                                          **build_seq2seq_kwargs)
    (x, y) = translator.teacher_forcing(sources, targets)  # x = [source, target_in]
    rnn_zoo.fit(translator.model, (x, y), loss=..., ...)
    translator.translate(texts, beam_width=1) -> list[str]
    translator.decode(texts, beam_width=1) -> list[Translation]  # + scores, attention
    translator.problems(texts) -> list[str | None]  # why each text can't be read
    translator.confidence(texts, outputs) -> probabilities  # how sure the model is
    translator.save(directory); Seq2SeqTranslator.load(directory)

A bundle is a folder of four files:

- ``model.keras``: the ``build_seq2seq`` training model (loaded with
  ``rnn_zoo.models.load_model``, Keras safe mode);
- ``source_tokenizer.json`` and ``target_tokenizer.json``: ``CharTokenizer`` files
  (the target one has start and end tokens);
- ``translator.json``: ``{"format": "rnn_zoo.Seq2SeqTranslator", "version": 1,
  "max_source_length": ..., "max_target_length": ..., "attention": ...}``;
- ``manifest.json``: sizes and SHA-256 of those four files, written last
  (`rnn_zoo.tasks.manifest`). Each file is written atomically, so a save cut
  short leaves files that disagree with it, and ``load`` says so in one line.

Text is cleaned before encoding, the same way for training and translation:
leading and trailing whitespace is dropped and inner runs of whitespace become
one space. Letter case is handled by the source tokenizer: ``create(lower=True)``
(the default) fits a ``CharTokenizer(lower=True)``, which lower-cases every text
it encodes, so "MARCH", "March" and "march" are the same input to the model.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keras
import numpy as np

from rnn_zoo._atomic import atomic_path, write_text
from rnn_zoo._validation import (
    check_float,
    check_int,
    check_one_of,
    check_type,
    error_message,
)
from rnn_zoo.inference.decoding import beam_search_decode, sequence_log_prob
from rnn_zoo.models.seq2seq import (
    Seq2SeqInference,
    build_inference_models,
    build_seq2seq,
)
from rnn_zoo.preprocessing.text import CharTokenizer
from rnn_zoo.saving import load_model, save_model
from rnn_zoo.tasks.manifest import verify_manifest, write_manifest

__all__ = ["Seq2SeqTranslator", "Translation", "BUNDLE_FILES", "clean_text"]

MODEL_FILE = "model.keras"
SOURCE_TOKENIZER_FILE = "source_tokenizer.json"
TARGET_TOKENIZER_FILE = "target_tokenizer.json"
CONFIG_FILE = "translator.json"
BUNDLE_FILES = (MODEL_FILE, SOURCE_TOKENIZER_FILE, TARGET_TOKENIZER_FILE, CONFIG_FILE)
_FORMAT = "rnn_zoo.Seq2SeqTranslator"
_VERSION = 1
START_TOKEN, END_TOKEN = "<s>", "</s>"


def clean_text(text: str) -> str:
    """Strip ``text`` and collapse inner whitespace runs to one space.

    Args:
        text: A string.

    Returns:
        The cleaned string.

    Example:
        >>> clean_text("  3  March\\t2021 ")
        '3 March 2021'
    """
    return " ".join(text.split())


@dataclass(frozen=True)
class Translation:
    """One decoded output of ``Seq2SeqTranslator.decode``.

    Attributes:
        source: The input text, cleaned (``clean_text``) but in its own case.
        text: The output text.
        score: The model's log-probability of the output (end token included
            when ``finished``).
        finished: Whether the model produced the end token within
            ``max_target_length`` tokens.
        source_tokens: The source characters the model read (lower-cased when the
            source tokenizer lower-cases), one per attention column.
        output_tokens: The output characters, one per attention row.
        attention: ``(len(output_tokens), len(source_tokens))`` float32 weights,
            or None for a model without attention.
    """

    source: str
    text: str
    score: float
    finished: bool
    source_tokens: list[str]
    output_tokens: list[str]
    attention: np.ndarray | None


def _vocab_size(tokenizer: Any, name: str) -> int:
    check_type(tokenizer, name, CharTokenizer, "a fitted CharTokenizer")
    return tokenizer.vocab_size  # raises if not fitted


class Seq2SeqTranslator:
    """A ``build_seq2seq`` model with its source and target tokenizers.

    Args:
        model: A model from ``build_seq2seq`` (trained or not).
        source_tokenizer: Fitted ``CharTokenizer`` of the source texts; its
            ``vocab_size`` must equal the model's ``src_vocab_size``.
        target_tokenizer: Fitted ``CharTokenizer`` with ``start_token`` and
            ``end_token``; its ``vocab_size`` must equal ``tgt_vocab_size``.
        max_source_length: Longest source (in characters, after cleaning) that
            ``translate`` accepts.
        max_target_length: Most output tokens decoded, end token included.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If a tokenizer's vocabulary size does not match the model
            (checked here, before the model ever runs), the target tokenizer has
            no start/end token, or ``model`` is not a ``build_seq2seq`` model.

    Example:
        >>> pairs = [("3 March 2021", "2021-03-03"), ("4 May 1999", "1999-05-04")]
        >>> translator = Seq2SeqTranslator.create(
        ...     [s for s, _ in pairs], [t for _, t in pairs], embedding_dim=4, units=4)
        >>> translator.max_source_length, translator.max_target_length
        (12, 11)
        >>> x, y = translator.teacher_forcing(*zip(*pairs))
        >>> x[0].shape, x[1].shape, y.shape
        ((2, 12), (2, 11), (2, 11))
        >>> outputs = translator.translate(["4 MARCH 1999"])  # untrained: gibberish
        >>> len(outputs), len(outputs[0]) <= translator.max_target_length
        (1, True)
        >>> translator.translate(["   "])
        Traceback (most recent call last):
        ...
        ValueError: `texts[0]` must be a non-empty string (not only whitespace). Received: texts[0]='   '
    """  # noqa: E501

    def __init__(
        self,
        model: keras.Model,
        source_tokenizer: CharTokenizer,
        target_tokenizer: CharTokenizer,
        *,
        max_source_length: int,
        max_target_length: int,
    ) -> None:
        check_type(model, "model", keras.Model, "a keras.Model from `build_seq2seq`")
        src_size = _vocab_size(source_tokenizer, "source_tokenizer")
        tgt_size = _vocab_size(target_tokenizer, "target_tokenizer")
        if target_tokenizer.start_id is None or target_tokenizer.end_id is None:
            raise ValueError(
                error_message(
                    "target_tokenizer",
                    "a CharTokenizer with `start_token` and `end_token`",
                    target_tokenizer,
                    f"Fit CharTokenizer(start_token={START_TOKEN!r}, "
                    f"end_token={END_TOKEN!r}) on the targets",
                )
            )
        self.max_source_length = check_int(
            max_source_length, "max_source_length", minimum=1
        )
        self.max_target_length = check_int(
            max_target_length, "max_target_length", minimum=1
        )
        inference = build_inference_models(model)
        for name, size, expected, what in (
            ("source_tokenizer", src_size, inference.src_vocab_size, "source"),
            ("target_tokenizer", tgt_size, inference.tgt_vocab_size, "target"),
        ):
            if size != expected:
                raise ValueError(
                    f"`{name}` must have vocab_size {expected}, the model's {what} "
                    f"vocabulary size. Received: {name} with vocab_size {size}. "
                    "Use the tokenizers the model was built and trained with"
                )
        self.model = model
        self.source_tokenizer = source_tokenizer
        self.target_tokenizer = target_tokenizer
        self._inference: Seq2SeqInference = inference

    # -- construction ------------------------------------------------------------

    @classmethod
    def create(
        cls,
        sources: Iterable[str],
        targets: Iterable[str],
        *,
        lower: bool = True,
        max_source_length: int | None = None,
        max_target_length: int | None = None,
        **model_kwargs: Any,
    ) -> Seq2SeqTranslator:
        """Fit both tokenizers on training pairs and build a fresh model.

        Args:
            sources: Training source texts.
            targets: Training target texts (same count).
            lower: Whether the source tokenizer lower-cases text (so the model is
                case-insensitive). Defaults to True.
            max_source_length: Longest accepted source; None (default) uses the
                longest cleaned training source.
            max_target_length: Most decoded tokens; None (default) uses the
                longest training target plus one (the end token).
            **model_kwargs: Passed to ``build_seq2seq`` (``embedding_dim``,
                ``units``, ``cell``, ``attention``, ...).

        Returns:
            An untrained ``Seq2SeqTranslator``.

        Raises:
            ValueError / TypeError: For empty or mismatched data and for bad
                ``build_seq2seq`` arguments (e.g. an unknown ``attention``).

        Example:
            >>> t = Seq2SeqTranslator.create(["ab", "ba"], ["x", "y"], units=2,
            ...                              attention=None)
            >>> t.source_tokenizer.vocab_size, t.target_tokenizer.vocab_size
            (4, 6)
        """
        sources, targets = cls._pairs(sources, targets)
        check_type(lower, "lower", bool, "True or False")
        source_tokenizer = CharTokenizer(lower=lower).fit(sources)
        target_tokenizer = CharTokenizer(
            start_token=START_TOKEN, end_token=END_TOKEN
        ).fit(targets)
        model = build_seq2seq(
            source_tokenizer.vocab_size, target_tokenizer.vocab_size, **model_kwargs
        )
        if max_source_length is None:
            max_source_length = max(len(s) for s in sources)
        if max_target_length is None:
            max_target_length = max(len(t) for t in targets) + 1
        return cls(
            model,
            source_tokenizer,
            target_tokenizer,
            max_source_length=max_source_length,
            max_target_length=max_target_length,
        )

    @staticmethod
    def _texts(texts: Any, name: str) -> list[str]:
        allowed = "a string or a list of strings"
        if isinstance(texts, str):
            texts = [texts]
        elif isinstance(texts, Iterable) and not isinstance(texts, bytes | bytearray):
            texts = list(texts)
        else:
            raise TypeError(error_message(name, allowed, texts))
        for i, text in enumerate(texts):
            check_type(text, f"{name}[{i}]", str, "a string")
        return texts

    @classmethod
    def _pairs(cls, sources: Any, targets: Any) -> tuple[list[str], list[str]]:
        sources = [clean_text(s) for s in cls._texts(sources, "sources")]
        targets = [clean_text(t) for t in cls._texts(targets, "targets")]
        if not sources or len(sources) != len(targets):
            raise ValueError(
                error_message(
                    "targets",
                    f"one target per source ({len(sources)} sources, at least 1)",
                    f"{len(targets)} targets",
                )
            )
        return sources, targets

    # -- properties ------------------------------------------------------------------

    @property
    def attention(self) -> str | None:
        """``"bahdanau"``, ``"luong"`` or None, read from the model's layers."""
        if not self._inference.has_attention:
            return None
        layer = self._inference.attention_layer  # top level or inside the decoder
        return "bahdanau" if type(layer).__name__ == "BahdanauAttention" else "luong"

    @property
    def inference(self) -> Seq2SeqInference:
        """The encoder and one-step decoder models (shared weights), built once."""
        return self._inference

    # -- data ------------------------------------------------------------------------

    def teacher_forcing(
        self, sources: Iterable[str], targets: Iterable[str]
    ) -> tuple[list[np.ndarray], np.ndarray]:
        """Encode training pairs as the model's inputs and targets.

        Sources are cleaned, encoded and 0-padded to ``max_source_length``;
        ``target_in`` is the start id plus the target ids, ``target_out`` the
        target ids plus the end id, both padded to ``max_target_length``.

        Args:
            sources: Source texts.
            targets: Target texts (same count).

        Returns:
            ``([source_ids, target_in], target_out)``, int32 arrays, ready for
            ``rnn_zoo.fit(model, (x, y), ...)`` or ``model.fit(x, y)``.

        Raises:
            ValueError: If the counts differ, a source is empty or longer than
                ``max_source_length``, or a target is longer than
                ``max_target_length - 1``.

        Example:
            >>> t = Seq2SeqTranslator.create(["ab"], ["xy"], units=2)
            >>> x, y = t.teacher_forcing(["ab"], ["xy"])
            >>> x[1].tolist(), y.tolist()  # start 2, end 3, x 4, y 5
            ([[2, 4, 5]], [[4, 5, 3]])
        """
        sources, targets = self._pairs(sources, targets)
        source_ids = self._encode_sources(
            sources, unknown="keep", name="sources", width=self.max_source_length
        )
        n = self.max_target_length
        target_in = np.zeros((len(targets), n), dtype="int32")
        target_out = np.zeros((len(targets), n), dtype="int32")
        tok = self.target_tokenizer
        for i, ids in enumerate(self._encode_targets(targets, "targets")):
            target_in[i, : len(ids) + 1] = [tok.start_id, *ids]
            target_out[i, : len(ids) + 1] = [*ids, tok.end_id]
        return [source_ids, target_in], target_out

    def _encode_targets(self, targets: list[str], name: str) -> list[list[int]]:
        n = self.max_target_length
        encoded = self.target_tokenizer.encode(targets)
        for i, ids in enumerate(encoded):
            if len(ids) + 1 > n:
                raise ValueError(
                    error_message(
                        f"{name}[{i}]",
                        f"at most {n - 1} tokens (max_target_length - 1, leaving "
                        "room for the end token)",
                        targets[i],
                    )
                )
        return encoded

    def problems(self, texts: Iterable[str]) -> list[str | None]:
        """Say, per text, why ``translate`` would refuse it (None when it is fine).

        The checks, in order: empty or whitespace-only; longer than
        ``max_source_length`` after cleaning; characters the source tokenizer
        never saw in training.

        Args:
            texts: A string or a list of strings.

        Returns:
            One message or None per text.

        Example:
            >>> t = Seq2SeqTranslator.create(["ab"], ["x"], units=2)
            >>> for problem in t.problems(["ba", " ", "ac", "abab"]):
            ...     print(problem)
            None
            `texts[1]` must be a non-empty string (not only whitespace). Received: texts[1]=' '
            `texts[2]` must use only characters seen in training. Received: texts[2]='ac', with unseen character 'c'
            `texts[3]` must have at most 2 characters (the maximum source length of this model). Received: texts[3]='abab' (4 characters)
        """  # noqa: E501
        return [
            self._problem(text, i, "texts")
            for i, text in enumerate(self._texts(texts, "texts"))
        ]

    def _problem(self, text: str, i: int, name: str, unknown: str = "error"):
        cleaned = clean_text(text)
        if not cleaned:
            return (
                f"`{name}[{i}]` must be a non-empty string (not only whitespace). "
                f"Received: {name}[{i}]={text!r}"
            )
        if len(cleaned) > self.max_source_length:
            return (
                f"`{name}[{i}]` must have at most {self.max_source_length} "
                "characters (the maximum source length of this model). Received: "
                f"{name}[{i}]={text!r} ({len(cleaned)} characters)"
            )
        if unknown == "error":
            tok = self.source_tokenizer
            unseen = sorted(
                {c for c in tok.tokenize(cleaned) if c not in tok.token_to_id_}
            )
            if unseen:
                shown = ", ".join(repr(c) for c in unseen)
                plural = "s" if len(unseen) > 1 else ""
                return (
                    f"`{name}[{i}]` must use only characters seen in training. "
                    f"Received: {name}[{i}]={text!r}, with unseen character{plural} "
                    f"{shown}"
                )
        return None

    def _encode_sources(
        self,
        texts: list[str],
        *,
        unknown: str,
        name: str = "texts",
        width: int | None = None,
    ) -> np.ndarray:
        for i, text in enumerate(texts):
            problem = self._problem(text, i, name, unknown)
            if problem is not None:
                raise ValueError(problem)
        ids = self.source_tokenizer.encode([clean_text(t) for t in texts])
        width = width or max(len(row) for row in ids)
        array = np.zeros((len(ids), width), dtype="int32")
        for i, row in enumerate(ids):
            array[i, : len(row)] = row
        return array

    # -- translation -----------------------------------------------------------------

    def decode(
        self,
        texts: str | Iterable[str],
        *,
        beam_width: int = 1,
        length_penalty: float = 0.0,
        batch_size: int = 256,
        unknown: str = "error",
    ) -> list[Translation]:
        """Translate texts and return the details: scores and attention.

        Args:
            texts: A string or a list of strings.
            beam_width: 1 (default) for greedy decoding, more for beam search.
            length_penalty: GNMT length-penalty exponent for beam search (see
                ``beam_search_decode``). Defaults to 0.0.
            batch_size: Texts decoded together. Defaults to 256.
            unknown: ``"error"`` (default): refuse texts with characters never
                seen in training; ``"keep"``: read them as the unknown id 1.

        Returns:
            One ``Translation`` per text, in order.

        Raises:
            ValueError: For an empty or whitespace-only text, a text longer than
                ``max_source_length``, an unseen character (with
                ``unknown="error"``), or ``beam_width < 1``; the message names
                the text's index. Nothing runs before all texts are checked.
            TypeError: If ``texts`` is not a string or strings.

        Example:
            >>> t = Seq2SeqTranslator.create(["ab"], ["x"], units=2)
            >>> result = t.decode(["BA"])[0]
            >>> result.source, result.source_tokens, result.attention.shape[1]
            ('BA', ['b', 'a'], 2)
        """
        texts = self._texts(texts, "texts")
        width = check_int(beam_width, "beam_width", minimum=1)
        alpha = check_float(length_penalty, "length_penalty", low=0.0)
        batch_size = check_int(batch_size, "batch_size", minimum=1)
        check_one_of(unknown, "unknown", ("error", "keep"))
        if not texts:
            return []
        source_ids = self._encode_sources(texts, unknown=unknown)
        tok = self.target_tokenizer
        out: list[Translation] = []
        for start in range(0, len(texts), batch_size):
            batch = source_ids[start : start + batch_size]
            batch = batch[:, : int((batch != 0).sum(axis=1).max())]
            result = beam_search_decode(
                self._inference,
                batch,
                start_id=tok.start_id,
                end_id=tok.end_id,
                max_length=self.max_target_length,
                beam_width=width,
                length_penalty=alpha,
            )
            for j, tokens in enumerate(result.tokens):
                text = texts[start + j]
                row = batch[j][batch[j] != 0]
                out.append(
                    Translation(
                        source=clean_text(text),
                        text=tok.decode(tokens),
                        score=float(result.scores[j]),
                        finished=bool(result.finished[j]),
                        source_tokens=[
                            self.source_tokenizer.vocabulary_[i] for i in row
                        ],
                        output_tokens=[tok.vocabulary_[i] for i in tokens],
                        attention=(
                            None if result.attention is None else result.attention[j]
                        ),
                    )
                )
        return out

    def translate(
        self,
        texts: str | Iterable[str],
        *,
        beam_width: int = 1,
        length_penalty: float = 0.0,
        batch_size: int = 256,
        unknown: str = "error",
    ) -> list[str]:
        """Translate texts; ``[t.text for t in decode(texts, ...)]``.

        Args:
            texts: A string or a list of strings.
            beam_width: 1 (default, greedy) or more (beam search).
            length_penalty: Beam-search length-penalty exponent. Defaults to 0.0.
            batch_size: Texts decoded together. Defaults to 256.
            unknown: ``"error"`` (default) or ``"keep"``; see ``decode``.

        Returns:
            One output string per text.

        Raises:
            ValueError / TypeError: As ``decode``.

        Example:
            >>> t = Seq2SeqTranslator.create(["ab"], ["x"], units=2)
            >>> t.translate(["ab"], beam_width=0)
            Traceback (most recent call last):
            ...
            ValueError: `beam_width` must be a positive integer. Received: beam_width=0
        """
        return [
            t.text
            for t in self.decode(
                texts,
                beam_width=beam_width,
                length_penalty=length_penalty,
                batch_size=batch_size,
                unknown=unknown,
            )
        ]

    def score(
        self,
        texts: str | Iterable[str],
        outputs: str | Iterable[str],
        *,
        unknown: str = "error",
    ) -> np.ndarray:
        """The model's log-probability of given outputs (end token included).

        Outputs of any length can be scored; the score always includes the end
        token, so for an unfinished ``decode`` result (``finished=False``) it is
        lower than that result's ``score``.

        Compare the score of a wrong translation with that of the right answer:
        if the right answer scores higher, the search missed it (a wider beam
        may help); if lower, the model itself prefers the wrong answer.

        Args:
            texts: Source texts (a string or a list of strings).
            outputs: One output text per source.
            unknown: ``"error"`` (default) or ``"keep"``; see ``decode``.

        Returns:
            ``(len(texts),)`` float64 array of log-probabilities.

        Raises:
            ValueError / TypeError: As ``decode``, and if the counts differ.

        Example:
            >>> t = Seq2SeqTranslator.create(["ab"], ["x"], units=2)
            >>> scores = t.score(["ab", "ba"], ["x", "xx"])
            >>> scores.shape, bool(np.all(scores < 0))
            ((2,), True)
        """
        texts, outputs = self._pairs(texts, outputs)
        check_one_of(unknown, "unknown", ("error", "keep"))
        source_ids = self._encode_sources(texts, unknown=unknown)
        return sequence_log_prob(
            self._inference,
            source_ids,
            self.target_tokenizer.encode(outputs),
            start_id=self.target_tokenizer.start_id,
            end_id=self.target_tokenizer.end_id,
        )

    def confidence(
        self,
        texts: str | Iterable[str],
        outputs: str | Iterable[str],
        *,
        unknown: str = "error",
        batch_size: int = 256,
    ) -> np.ndarray:
        """The model's probability of each output: how sure it is of an answer.

        ``exp(score(texts, outputs))``: the product of the probabilities the
        model gives each output token and the end token, each given the source
        and the tokens before it. It is computed by teacher-forcing the outputs
        through the training model, one forward pass per batch (no step-by-step
        decoding). Greedy decoding picks the likeliest token at each step, so
        an answer with a probability near 1 is one the model hardly doubted;
        one near 0.5 had a rival at some character.

        ``python -m rnn_zoo dates translate`` marks an answer unsure when its
        confidence is below ``rnn_zoo.tasks.date_confidence.MIN_PROBABILITY``
        (0.95, picked on held-out dates) or a date check fails
        (``rnn_zoo.tasks.date_confidence.unsure_reasons``).

        Args:
            texts: Source texts (a string or a list of strings).
            outputs: One output text per source, e.g. ``translate(texts)``.
            unknown: ``"error"`` (default) or ``"keep"``; see ``decode``.
            batch_size: Pairs per forward pass. Defaults to 256.

        Returns:
            ``(len(texts),)`` float64 array of probabilities in [0, 1].

        Raises:
            ValueError: If the counts differ, or a text cannot be read (as
                ``decode``).
            TypeError: If ``texts`` or ``outputs`` are not strings.

        Example:
            >>> t = Seq2SeqTranslator.create(["ab"], ["x"], units=2)
            >>> p = t.confidence(["ab", "ba"], ["x", "xx"])
            >>> p.shape, bool(np.all((0 < p) & (p < 1)))
            ((2,), True)
            >>> bool(np.allclose(p, np.exp(t.score(["ab", "ba"], ["x", "xx"]))))
            True
        """
        texts, outputs = self._texts(texts, "texts"), self._texts(outputs, "outputs")
        if not texts or len(outputs) != len(texts):
            raise ValueError(
                error_message(
                    "outputs",
                    f"one output per text ({len(texts)} texts, at least 1)",
                    f"{len(outputs)} outputs",
                )
            )
        texts, outputs = self._pairs(texts, outputs)
        check_one_of(unknown, "unknown", ("error", "keep"))
        batch_size = check_int(batch_size, "batch_size", minimum=1)
        source_ids = self._encode_sources(texts, unknown=unknown)
        tok = self.target_tokenizer
        encoded = tok.encode(outputs)
        width = max(len(ids) for ids in encoded) + 1
        target_in = np.zeros((len(encoded), width), dtype="int32")
        target_out = np.zeros((len(encoded), width), dtype="int32")
        for i, ids in enumerate(encoded):
            target_in[i, : len(ids) + 1] = [tok.start_id, *ids]
            target_out[i, : len(ids) + 1] = [*ids, tok.end_id]
        log_prob = np.zeros(len(encoded))
        for start in range(0, len(encoded), batch_size):
            rows = slice(start, start + batch_size)
            source = source_ids[rows]
            source = source[:, : int((source != 0).sum(axis=1).max())]
            logits = self.model([source, target_in[rows]], training=False)
            log_probs = np.asarray(
                keras.ops.log_softmax(keras.ops.cast(logits, "float32"), axis=-1),
                dtype=np.float64,
            )
            picked = np.take_along_axis(log_probs, target_out[rows][..., None], -1)
            log_prob[rows] = (picked[..., 0] * (target_out[rows] != 0)).sum(axis=1)
        return np.exp(log_prob)

    # -- files -------------------------------------------------------------------------

    def save(self, directory: str | os.PathLike, **manifest_info: Any) -> Path:
        """Write the bundle (``BUNDLE_FILES``) into ``directory`` (created if needed).

        Each file is written under a temporary name and renamed into place,
        then ``manifest.json`` (sizes and SHA-256 of the four files, plus
        ``manifest_info``), and the files are read back and checked against it.

        Args:
            directory: Destination folder; existing bundle files are replaced.
            **manifest_info: JSON-serialisable extras for ``manifest.json``
                (e.g. ``epoch=12``, ``score={"val_loss": 0.1}``).

        Returns:
            The folder as a ``Path``.

        Raises:
            TypeError: If ``directory`` is not a path.
            OSError: If the folder is not writable.

        Example:
            >>> import tempfile
            >>> t = Seq2SeqTranslator.create(["ab"], ["x"], units=2)
            >>> folder = t.save(tempfile.mkdtemp())
            >>> sorted(p.name for p in folder.iterdir())
            ['manifest.json', 'model.keras', 'source_tokenizer.json', 'target_tokenizer.json', 'translator.json']
        """  # noqa: E501
        check_type(directory, "directory", (str, os.PathLike), "a folder path")
        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        save_model(self.model, folder / MODEL_FILE)
        for tokenizer, name in (
            (self.source_tokenizer, SOURCE_TOKENIZER_FILE),
            (self.target_tokenizer, TARGET_TOKENIZER_FILE),
        ):
            with atomic_path(folder / name) as temp:
                tokenizer.save(temp)
        config = {
            "format": _FORMAT,
            "version": _VERSION,
            "max_source_length": self.max_source_length,
            "max_target_length": self.max_target_length,
            "attention": self.attention,
        }
        write_text(folder / CONFIG_FILE, json.dumps(config, indent=1) + "\n")
        write_manifest(folder, _FORMAT, BUNDLE_FILES, **manifest_info)
        return folder

    @classmethod
    def load(cls, directory: str | os.PathLike) -> Seq2SeqTranslator:
        """Read a bundle written by ``save``; the model loads in Keras safe mode.

        Args:
            directory: A folder written by ``save``.

        Returns:
            The ``Seq2SeqTranslator``, giving the same outputs as the saved one.

        Raises:
            FileNotFoundError: If ``directory`` does not exist.
            ValueError: If it is not a complete, valid bundle (a missing file,
                unreadable JSON, a tokenizer or model file that fails to load,
                vocabulary sizes that do not match the model, or files that
                differ from ``manifest.json`` because a save was cut short:
                ``rnn_zoo.tasks.manifest.TornBundleError``); the message is
                one line naming the problem.

        Example:
            >>> import tempfile
            >>> Seq2SeqTranslator.load(tempfile.mkdtemp())
            Traceback (most recent call last):
            ...
            ValueError: `directory` must be a Seq2SeqTranslator bundle ...
        """
        check_type(directory, "directory", (str, os.PathLike), "a folder path")
        folder = Path(directory)
        allowed = (
            "a Seq2SeqTranslator bundle (a folder with "
            + ", ".join(BUNDLE_FILES)
            + " written by `Seq2SeqTranslator.save`)"
        )

        def fail(problem: str) -> ValueError:
            return ValueError(error_message("directory", allowed, str(folder), problem))

        if not folder.exists():
            raise FileNotFoundError(
                error_message("directory", allowed, str(folder), "No such folder")
            )
        if not folder.is_dir():
            raise fail("It is not a folder")
        missing = [name for name in BUNDLE_FILES if not (folder / name).is_file()]
        if missing:
            raise fail(f"Missing: {', '.join(missing)}")
        verify_manifest(folder, _FORMAT)
        try:
            config = json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise fail(f"{CONFIG_FILE} is not valid JSON ({exc})") from None
        keys = ("format", "version", "max_source_length", "max_target_length")
        if not isinstance(config, dict) or not set(keys) <= set(config):
            raise fail(f"{CONFIG_FILE} needs the keys {', '.join(keys)}")
        if config["format"] != _FORMAT or config["version"] != _VERSION:
            raise fail(
                f"{CONFIG_FILE} has format {config['format']!r} version "
                f"{config['version']!r}; expected {_FORMAT!r} version {_VERSION}"
            )
        try:
            source_tokenizer = CharTokenizer.load(folder / SOURCE_TOKENIZER_FILE)
            target_tokenizer = CharTokenizer.load(folder / TARGET_TOKENIZER_FILE)
            model = load_model(folder / MODEL_FILE)
            return cls(
                model,
                source_tokenizer,
                target_tokenizer,
                max_source_length=config["max_source_length"],
                max_target_length=config["max_target_length"],
            )
        except (ValueError, TypeError) as exc:
            raise fail(str(exc).splitlines()[0]) from exc
