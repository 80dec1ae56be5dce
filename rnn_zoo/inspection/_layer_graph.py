"""Walk a Keras model's layers and symbolic calls (private to the inspection tools).

Finds every recurrent layer (also inside ``Bidirectional``, nested models and
custom layers) and the call that fed each layer, with its mask. The Keras
internals this needs are read through `rnn_zoo._keras_internals`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

import keras

from rnn_zoo._keras_internals import (
    graph_nodes,
    inbound_nodes,
    tensor_mask,
    tracked_sublayers,
)

_mask_of = tensor_mask


class _Call(NamedTuple):
    """How a layer was called inside one model's graph."""

    inputs: list  # positional tensors: the data
    initial_state: list
    outputs: list
    masked: bool  # whether a mask reached the layer


def _keras_tensors(value: Any) -> list:
    return [t for t in keras.tree.flatten(value) if isinstance(t, keras.KerasTensor)]


def _call_in(model: keras.Model, layer: keras.layers.Layer) -> _Call | None:
    """The call of ``layer`` recorded in ``model``'s graph, or None if there is none.

    Keras has no public accessor for this: ``layer.input`` returns a nested
    model's own graph tensors, and a shared layer's first call wherever it was, so
    the graph's nodes are read directly.
    """
    nodes = graph_nodes(model)
    node = next((n for n in inbound_nodes(layer) if id(n) in nodes), None)
    if node is None:
        return None
    inputs = _keras_tensors(node.arguments.args)
    kwargs = node.arguments.kwargs
    masked = bool(_keras_tensors(kwargs.get("mask"))) or any(
        _mask_of(t) is not None for t in inputs
    )
    return _Call(
        inputs=inputs,
        initial_state=_keras_tensors(kwargs.get("initial_state")),
        outputs=list(node.output_tensors),
        masked=masked,
    )


def _sublayers(layer: keras.layers.Layer) -> list:
    if isinstance(layer, keras.layers.Bidirectional):
        return [layer.forward_layer, layer.backward_layer]
    if isinstance(layer, keras.Model):
        return list(layer.layers)
    return tracked_sublayers(layer)  # custom layers that hold layers


def _recurrent_layers(
    layer: keras.layers.Layer, path: str, masked: bool
) -> Iterator[tuple[str, keras.layers.RNN, bool]]:
    """Yield ``(path, layer, input_is_masked)`` for every RNN inside ``layer``.

    ``path`` names ``layer`` itself; pass ``""`` for a top-level model so that its
    layers are named without the model's name.
    """
    if isinstance(layer, keras.layers.RNN):
        yield path, layer, masked
        return
    for sub in _sublayers(layer):
        if isinstance(layer, keras.Model):
            call = _call_in(layer, sub)
            sub_masked = call is not None and call.masked
        else:
            sub_masked = masked
        sub_path = f"{path}/{sub.name}" if path else sub.name
        yield from _recurrent_layers(sub, sub_path, sub_masked)
