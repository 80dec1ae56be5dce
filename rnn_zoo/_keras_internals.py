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
- `fix_multi_worker_training`: Keras 3.15's TensorFlow trainer cannot train
  under a ``MultiWorkerMirroredStrategy`` spanning several workers
  (keras-team/keras#20585): it builds the model from a first batch reduced
  across workers with ``strategy.reduce`` on a tuple of per-replica values,
  and reduces the per-replica step logs (scalars) with ``axis=0``; both raise.
  The fix builds from this worker's own first batch (only shapes matter) and
  reduces the logs with ``axis=None`` (the mean over replicas, as Keras does
  for one worker).
- `tensor_mask`, `graph_nodes`, `inbound_nodes`, `tracked_sublayers`: the
  symbolic graph of a Functional/Sequential model (which call of a layer belongs
  to which model, and the mask a symbolic tensor carries), used by the model
  inspection tools. ``layer.input`` gives only a layer's first call, and nested
  models' own graph tensors.
- `all_layers_built`: whether every layer of a model, nested ones included, has
  its variables (Keras' own check before it builds a model symbolically).
- `compiled_state_built`, `build_compiled_state`: Keras' TensorFlow trainer
  creates the variables of the compiled metrics (and loss) inside the first
  trace of the train step, so TensorFlow traces the step twice; it builds them
  beforehand (``model._symbolic_build``, from a batch's shapes) only under a
  distribution strategy.

Importing this module imports Keras (and so TensorFlow).
"""

from __future__ import annotations

from typing import Any

import keras

__all__ = [
    "unsafe_deserialization_enabled",
    "forget_resume_epoch",
    "fix_multi_worker_training",
    "tensor_mask",
    "graph_nodes",
    "inbound_nodes",
    "tracked_sublayers",
    "all_layers_built",
    "compiled_state_built",
    "build_compiled_state",
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


def _multi_worker_reduce(original: Any) -> Any:
    """Keras' ``reduce_per_replica``, with the mean of a multi-worker step fixed."""
    import tensorflow as tf
    from keras.src.backend.tensorflow import trainer as tf_trainer

    def reduce_per_replica(values: Any, strategy: Any, reduction: str = "auto") -> Any:
        # the condition under which Keras takes its multi-worker branch
        multi_worker = tf_trainer._collective_all_reduce_multi_worker(strategy)
        if not (multi_worker and reduction in ("auto", "mean")):
            return original(values, strategy, reduction)

        def mean(value: Any) -> Any:
            if isinstance(value, tf.distribute.DistributedValues) or tf.is_tensor(
                value
            ):
                return strategy.reduce("MEAN", value, axis=None)
            return value

        return keras.tree.map_structure(mean, values)

    reduce_per_replica.fixes_multi_worker = True
    return reduce_per_replica


def fix_multi_worker_training(model: keras.Model, strategy: Any) -> None:
    """Let ``model`` fit, evaluate and predict under a multi-worker strategy.

    Replaces ``model._maybe_symbolic_build`` (on this model only) and, once per
    process, the TensorFlow trainer's ``reduce_per_replica`` (which then
    differs from Keras' only for multi-worker strategies). Idempotent.

    Args:
        model: A model created in ``strategy.scope()``.
        strategy: The ``MultiWorkerMirroredStrategy``.
    """
    import tensorflow as tf
    from keras.src.backend.tensorflow import trainer as tf_trainer

    if not getattr(tf_trainer.reduce_per_replica, "fixes_multi_worker", False):
        tf_trainer.reduce_per_replica = _multi_worker_reduce(
            tf_trainer.reduce_per_replica
        )

    def local(value: Any) -> Any:
        if isinstance(value, tf.distribute.DistributedValues):
            return strategy.experimental_local_results(value)[0]
        return value

    def symbolic_build(iterator: Any = None, data_batch: Any = None) -> None:
        if iterator is not None:
            for _, _, batches in iterator:
                data_batch = keras.tree.map_structure(local, next(batches))
                break
        with strategy.scope():
            model._symbolic_build(data_batch=data_batch)

    object.__setattr__(model, "_maybe_symbolic_build", symbolic_build)


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


def all_layers_built(model: keras.layers.Layer) -> bool:
    """Whether ``model`` and every layer inside it (recursively) is built."""
    return all(layer.built for layer in model._flatten_layers())


def compiled_state_built(model: keras.Model) -> bool:
    """Whether the compiled metrics and loss of ``model`` have their variables."""
    return all(
        state is None or state.built
        for state in (model._compile_metrics, model._compile_loss)
    )


def build_compiled_state(model: keras.Model, data_batch: Any) -> None:
    """Create the model's, compiled metrics', loss' and optimizer's variables now.

    Keras' own symbolic build (what its TensorFlow trainer runs under a
    distribution strategy): ``data_batch`` is ``(x, y)`` or ``(x, y,
    sample_weight)`` of `keras.KerasTensor` (only shapes and dtypes are used).
    """
    model._symbolic_build(data_batch=data_batch)
