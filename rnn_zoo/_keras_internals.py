"""Every use of a private Keras internal, in one place, each behind a small function.

Keras 3 has no public API for these; each is pinned by
``tests/test_keras_internals.py``, which fails loudly (naming the function here)
when a Keras upgrade renames or changes the internal. Everything else in the
package uses the public API only.

- `unsafe_deserialization_enabled`: Keras has a public setter
  (``keras.config.enable_unsafe_deserialization``) but no getter.
- `forget_resume_epoch`: ``keras.callbacks.BackupAndRestore`` announces the
  resume epoch by setting ``model._initial_epoch``, which ``Model.fit`` prefers to
  its ``initial_epoch`` argument and never resets; a later ``fit`` of the same
  model without a backup would silently skip epochs.
- `tensor_mask`, `graph_nodes`, `inbound_nodes`, `tracked_sublayers`: the
  symbolic graph of a Functional/Sequential model (which call of a layer belongs
  to which model, and the mask a symbolic tensor carries), used by the model
  inspection tools. ``layer.input`` gives only a layer's first call, and nested
  models' own graph tensors.

Importing this module imports Keras (and so TensorFlow).
"""

from __future__ import annotations

from typing import Any

import keras

__all__ = [
    "unsafe_deserialization_enabled",
    "forget_resume_epoch",
    "tensor_mask",
    "graph_nodes",
    "inbound_nodes",
    "tracked_sublayers",
]


def unsafe_deserialization_enabled() -> bool:
    """Whether ``keras.config.enable_unsafe_deserialization()`` is in effect.

    Returns:
        True when the global flag overrides ``safe_mode=True``.
    """
    from keras.src.saving.serialization_lib import in_safe_mode

    # None (unset), True, or False (unsafe deserialization enabled).
    return in_safe_mode() is False


def forget_resume_epoch(model: keras.Model) -> None:
    """Undo ``BackupAndRestore``'s resume epoch on ``model`` after training."""
    model._initial_epoch = None


def tensor_mask(tensor: Any) -> Any:
    """The mask a symbolic (or eager) tensor carries, or None."""
    return getattr(tensor, "_keras_mask", None)


def graph_nodes(model: keras.Model) -> set[int]:
    """The ids of the call nodes in ``model``'s own graph."""
    graph = getattr(model, "_functional", model)  # Sequential keeps its graph here
    by_depth = getattr(graph, "_nodes_by_depth", None) or {}
    return {id(node) for level in by_depth.values() for node in level}


def inbound_nodes(layer: keras.layers.Layer) -> list:
    """Every call node of ``layer`` (each has ``arguments`` and ``output_tensors``)."""
    return list(getattr(layer, "_inbound_nodes", ()))


def tracked_sublayers(layer: keras.layers.Layer) -> list:
    """The layers a custom layer holds as attributes (Keras' own tracking)."""
    return list(layer._flatten_layers(include_self=False, recursive=False))
