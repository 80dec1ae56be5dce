"""Check training data against a model's inputs and outputs before `fit` trains.

Private to `rnn_zoo.training`. Keras broadcasts a loss silently when targets and
predictions differ in shape (a 1-step model trained on 3-step targets trains
"fine"), and a wrong feature count fails deep inside a MatMul. These checks
compare shapes first and raise one `ValueError` naming both shapes.

What is accepted, as Keras accepts it:

- any batch size; ``None`` (unknown) sizes match anything;
- one extra or missing trailing axis of size 1 (``y (n,)`` for output ``(n, 1)``);
- with a sparse loss (``sparse_categorical_crossentropy``...), integer labels
  without the class axis: ``y (n,)``/``(n, 1)`` for output ``(n, V)``, ``y (n, T)``
  for output ``(n, T, V)``.

Only what can be read safely is checked: single arrays or lists/tuples with one
entry per model input/output, and ``tf.data`` element specs. Dicts, generators,
``PyDataset`` and custom (non-Keras) losses are left to Keras.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import keras
import tensorflow as tf

__all__ = ["check_data_shapes"]

Shape = tuple  # of int | None


def _shape_of(value: Any) -> Shape | None:
    """The shape of an array or tensor spec, or None when unknown."""
    if isinstance(value, tf.TensorSpec):
        return None if value.shape.rank is None else tuple(value.shape.as_list())
    shape = getattr(value, "shape", None)
    if shape is None or isinstance(value, (dict, list, tuple)):
        return None
    try:
        return tuple(None if d is None else int(d) for d in shape)
    except TypeError:
        return None


def _parts(data: Any, count: int) -> list[Any] | None:
    """One entry per model input/output, or None when that cannot be read."""
    if count == 1 and not isinstance(data, (dict, list, tuple)):
        return [data]
    if isinstance(data, (list, tuple)) and len(data) == count:
        return list(data)
    return None


def _same(expected: Sequence, got: Sequence) -> bool:
    return len(expected) == len(got) and all(
        e is None or g is None or e == g for e, g in zip(expected, got, strict=True)
    )


def _compatible(expected: Shape, got: Shape, *, sparse: bool = False) -> bool:
    """Whether data of shape ``got`` fits ``expected`` (batch axis ignored)."""
    e, g = expected[1:], got[1:]
    if _same(e, g):
        return True
    if len(g) == len(e) + 1 and g[-1] == 1 and _same(e, g[:-1]):
        return True
    if len(g) == len(e) - 1 and e and e[-1] == 1 and _same(e[:-1], g):
        return True
    if sparse and e:
        classes_dropped = e[:-1]
        if _same(classes_dropped, g):
            return True
        if len(g) == len(classes_dropped) + 1 and g[-1] == 1:
            return _same(classes_dropped, g[:-1])
    return False


def _loss_kinds(loss: Any, count: int) -> list[bool | None] | None:
    """Per output: True for a sparse loss, False for another Keras loss, None for
    a custom one (not checked); None when the losses cannot be matched to outputs.
    """
    if isinstance(loss, (list, tuple)):
        if len(loss) != count:
            return None
        return [_loss_kind(item) for item in loss]
    if isinstance(loss, dict):
        return None
    return [_loss_kind(loss)] * count


def _loss_kind(loss: Any) -> bool | None:
    if isinstance(loss, str):
        name = loss
    elif isinstance(loss, keras.losses.Loss) and type(loss).__module__.startswith(
        "keras."
    ):
        name = f"{type(loss).__name__} {getattr(loss, 'name', '')}"
    else:
        return None
    return "sparse" in name.lower()


def _split(data: Any) -> tuple[Any, Any, bool]:
    """``(x, y, is_dataset)`` of an ``(X, y)`` pair or a ``tf.data`` dataset."""
    if isinstance(data, tf.data.Dataset):
        spec = data.element_spec
        if isinstance(spec, tuple) and len(spec) in (2, 3):
            return spec[0], spec[1], True
        return None, None, True
    if isinstance(data, (tuple, list)) and len(data) == 2:
        return data[0], data[1], False
    return None, None, False


def _message(name: str, what: str, expected: Shape, got: Shape, remedy: str) -> str:
    return (
        f"`{name}` must have {what} of the model's shape {expected} (batch "
        f"first; None is any size). Received: {name} {what} of shape {got}. " + remedy
    )


def check_data_shapes(model: keras.Model, data: Any, name: str, loss: Any) -> None:
    """Raise a ValueError if ``data``'s inputs or targets cannot fit ``model``.

    Args:
        model: A built ``keras.Model``.
        data: ``(X, y)`` arrays or a ``tf.data.Dataset`` of ``(x, y[, w])``.
        name: Argument name for the message (``"train"``, ``"validation"``).
        loss: The loss the model trains with (decides sparse targets).

    Raises:
        ValueError: If the input feature shape or the target shape does not
            match; the message gives both shapes.
    """
    try:
        inputs, outputs = list(model.inputs), list(model.outputs)
    except (AttributeError, ValueError):
        return  # an unbuilt model: Keras builds it from the data
    x, y, is_dataset = _split(data)
    for expected, value in zip(
        (_shape_of(t) for t in inputs), _parts(x, len(inputs)) or [], strict=False
    ):
        got = _shape_of(value)
        if expected is None or got is None or _compatible(expected, got):
            continue
        if is_dataset and _same(expected[1:], got):
            raise ValueError(
                f"`{name}` must be a batched dataset. Received: elements of shape "
                f"{got} for a model input of shape {expected}. Batch it, e.g. "
                "`ds.batch(32)`"
            )
        raise ValueError(
            _message(
                name,
                "inputs",
                expected,
                got,
                "Check the number of features (the last axis) and of time steps "
                "the model was built for",
            )
        )
    kinds = _loss_kinds(loss, len(outputs))
    targets = _parts(y, len(outputs))
    if kinds is None or targets is None:
        return
    for tensor, value, sparse in zip(outputs, targets, kinds, strict=True):
        expected, got = _shape_of(tensor), _shape_of(value)
        if sparse is None or expected is None or got is None:
            continue
        if not _compatible(expected, got, sparse=sparse):
            raise ValueError(
                _message(
                    name,
                    "targets",
                    expected,
                    got,
                    "The loss would broadcast the two and train on the wrong "
                    "thing. Build the model for these targets (e.g. the same "
                    "`horizon` as `make_windows`), or make targets of the "
                    "model's output shape",
                )
            )
