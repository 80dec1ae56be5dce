"""Inference: text generation that carries the state, greedy and beam decoding.

- ``generation``: `generate_text`, `CharGenerator` (one compiled sampling loop,
  many streams), `CharStepper` (one step at a time), `generate_by_rereading`
  (the O(n^2) way, kept to measure against).
- ``portable``: `PortableStepper`, the same block-of-tokens loop on any Keras
  backend (scores a model trained with Keras on JAX).
- ``decoding``: `greedy_decode`, `beam_search_decode`, `sequence_log_prob` for
  the seq2seq models of `rnn_zoo.models.build_seq2seq`.

Importing this package does not import TensorFlow.

Example:
    >>> from rnn_zoo.inference import generate_text
    >>> generate_text.__module__
    'rnn_zoo.inference.generation'
"""

from __future__ import annotations

from rnn_zoo._lazy import lazy_exports

_LAZY: dict[str, str | None] = {
    "generate_text": "generation",
    "CharGenerator": "generation",
    "CharStepper": "generation",
    "generate_by_rereading": "generation",
    "reserved_ids": "generation",
    "PortableStepper": "portable",
    "Decoded": "decoding",
    "greedy_decode": "decoding",
    "beam_search_decode": "decoding",
    "sequence_log_prob": "decoding",
}

__all__ = list(_LAZY)


__getattr__, __dir__ = lazy_exports(__name__, globals(), _LAZY)
