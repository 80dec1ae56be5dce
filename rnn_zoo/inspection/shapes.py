"""Explain a recurrent model's shapes: ``(batch, timesteps, features)`` per layer.

:func:`explain` describes each layer's input and output shapes written as
``(batch, timesteps, features)``, the recurrent settings (``return_sequences``,
``return_state``, ``stateful``), the state layout and where masks are created
and consumed: the shape confusion learners hit most.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import keras
import numpy as np

from rnn_zoo._validation import check_type, error_message
from rnn_zoo.inspection._layer_graph import (
    _Call,
    _call_in,
    _mask_of,
    _recurrent_layers,
)

__all__ = ["explain", "Explanation"]

_MERGE_WORDS = {
    "concat": "concatenated",
    "sum": "added",
    "ave": "averaged",
    "mul": "multiplied",
}


class Explanation(list):
    """The lines of `explain`, shown once as text wherever it is displayed.

    A list of strings (so ``lines[0]`` and ``len(lines)`` work) whose ``repr`` and
    ``str`` are the lines joined by newlines, and whose ``_repr_html_`` is the
    same text in a ``<pre>`` block: as the last expression of a Jupyter cell it
    appears once, as text.

    Example:
        >>> Explanation(["Model 'm': 1 layers", "x (InputLayer)"])
        Model 'm': 1 layers
        x (InputLayer)
    """

    def __str__(self) -> str:
        return "\n".join(self)

    def __repr__(self) -> str:
        return str(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        return f"<pre>{html.escape(str(self))}</pre>"


def _axis_names(rank: int, dtype: str) -> tuple[str, ...]:
    if rank == 2:
        integer = "int" in str(dtype)
        return ("batch", "timesteps" if integer else "features")
    if rank == 3:
        return ("batch", "timesteps", "features")
    return ("batch",) + ("",) * (rank - 1)


def _format_dims(dims: Sequence[int | None], names: Sequence[str]) -> str:
    """``(batch=2, timesteps=5)`` style; unknown sizes show the axis name only."""
    parts = []
    for size, name in zip(dims, names, strict=True):
        if not name:
            parts.append("?" if size is None else str(size))
        elif size is None:
            parts.append(name)
        else:
            parts.append(f"{name}={size}")
    return "(" + ", ".join(parts) + ")"


class _Shapes:
    """Shapes of symbolic tensors: concrete when a sample was run, else symbolic."""

    def __init__(self, values: dict[int, np.ndarray] | None = None):
        self.values = values or {}

    def value(self, tensor: Any) -> np.ndarray | None:
        return self.values.get(id(tensor))

    def dims(self, tensor: Any) -> tuple:
        value = self.value(tensor)
        return tuple(tensor.shape) if value is None else value.shape

    def format(self, tensor: Any, names: Sequence[str] | None = None) -> str:
        dims = self.dims(tensor)
        if names is None or len(names) != len(dims):
            names = _axis_names(len(dims), tensor.dtype)
        return _format_dims(dims, names)


def _state_names(layer: keras.layers.RNN) -> list[str]:
    if isinstance(layer.cell, keras.layers.LSTMCell):
        return ["h", "c"]
    count = len(keras.tree.flatten(layer.cell.state_size))
    return ["h"] if count == 1 else [f"s{i}" for i in range(count)]


def _state_layout(layer: keras.layers.RNN, batch: int | None) -> str:
    units = getattr(layer.cell, "units", None)
    shape = _format_dims((batch, units), ("batch", "units"))
    states = [f"{name} {shape}" for name in _state_names(layer)]
    return _join(states)


def _output_labels(layer: keras.layers.Layer, count: int) -> list[str] | None:
    """Names for each output of a recurrent layer that returns several tensors."""
    if isinstance(layer, keras.layers.Bidirectional):
        states = _state_names(layer.forward_layer)
        merged = ["forward", "backward"] if layer.merge_mode is None else ["output"]
        labels = merged
        if layer.return_state:
            labels += [f"{s}_fwd" for s in states] + [f"{s}_bwd" for s in states]
    elif isinstance(layer, keras.layers.RNN) and layer.return_state:
        labels = ["output", *_state_names(layer)]
    else:
        return None
    return labels if len(labels) == count else None


def _format_outputs(layer: keras.layers.Layer, tensors: list, shapes: _Shapes) -> str:
    if len(tensors) == 1:
        return shapes.format(tensors[0])
    labels = _output_labels(layer, len(tensors))
    if labels is None:
        return _join([shapes.format(t) for t in tensors])
    texts = []
    for label, tensor in zip(labels, tensors, strict=True):
        is_state = label not in ("output", "forward", "backward")
        names = ("batch", "units") if is_state else None
        texts.append(f"{label} {shapes.format(tensor, names)}")
    return _join(texts)


def _join(texts: list[str]) -> str:
    return texts[0] if len(texts) == 1 else "[" + ", ".join(texts) + "]"


def _flags(layer: keras.layers.Layer, units: int | None, per: str = "") -> str:
    return (
        f"units={units}{per}, return_sequences={layer.return_sequences}, "
        f"return_state={layer.return_state}, stateful={layer.stateful}"
    )


def _step_note(
    return_sequences: bool,
    batch: int | None,
    steps: int | None,
    size: int | None,
    name: str,
    of_what: str = "",
) -> str:
    """The one-line reminder of what ``return_sequences`` does to the shape."""
    if return_sequences:
        shape = _format_dims((batch, steps, size), ("batch", "timesteps", name))
        return f"note: return_sequences=True returns every step: {shape}"
    shape = _format_dims((batch, size), ("batch", name))
    return f"note: return_sequences=False returns only the last step{of_what}: {shape}"


def _rnn_lines(
    layer: keras.layers.RNN, batch: int | None, steps: int | None
) -> list[str]:
    units = getattr(layer.cell, "units", None)
    flags = _flags(layer, units)
    if layer.go_backwards:
        flags += ", go_backwards=True"
    return [
        flags,
        f"{type(layer).__name__} state: {_state_layout(layer, batch)}",
        _step_note(layer.return_sequences, batch, steps, units, "units"),
    ]


def _bidirectional_lines(
    layer: keras.layers.Bidirectional, batch: int | None, steps: int | None
) -> list[str]:
    forward, backward = layer.forward_layer, layer.backward_layer
    units = forward.cell.units
    state = (
        f"Bidirectional({type(forward).__name__}) state: forward "
        f"{_state_layout(forward, batch)} + backward {_state_layout(backward, batch)}"
    )
    if layer.merge_mode is None:
        features = units
        merge = (
            "merge_mode=None: forward and backward outputs are returned "
            f"separately, features={units} each"
        )
    else:
        concat = layer.merge_mode == "concat"
        features = units + backward.cell.units if concat else units
        merge = (
            f"merge_mode={layer.merge_mode!r}: forward and backward outputs are "
            f"{_MERGE_WORDS[layer.merge_mode]} -> features={features}"
        )
    note = _step_note(
        layer.return_sequences, batch, steps, features, "features", " of each direction"
    )
    return [_flags(layer, units, " per direction"), state, merge, note]


def _mask_line(layer: keras.layers.Layer, call: _Call) -> str:
    if getattr(layer, "mask_zero", False):
        return (
            "mask: creates a mask from token id 0 (mask_zero=True); later layers "
            "skip those steps"
        )
    if isinstance(layer, keras.layers.Masking):
        return (
            "mask: creates a mask; steps whose features all equal "
            f"mask_value={layer.mask_value} are skipped"
        )
    if not call.masked:
        return ""
    passes_on = any(_mask_of(t) is not None for t in call.outputs)
    if isinstance(layer, (keras.layers.RNN, keras.layers.Bidirectional)):
        then = "passes the mask on" if passes_on else "the mask stops here"
        return f"mask: receives a mask and skips masked steps; {then}"
    if passes_on:
        return "mask: passes the incoming mask on"
    return "mask: the incoming mask stops here (this layer does not pass it on)"


def _layer_lines(
    model: keras.Model, layer: keras.layers.Layer, shapes: _Shapes, indent: str
) -> list[str]:
    detail = indent + "    "
    nested = isinstance(layer, keras.Model)
    title = f"{type(layer).__name__}, nested model" if nested else type(layer).__name__
    lines = [f"{indent}{layer.name} ({title})"]
    call = _call_in(model, layer)
    if call is None:
        return [*lines, f"{detail}(not called in this model: shapes unknown)"]
    if isinstance(layer, keras.layers.InputLayer):
        dtype = call.outputs[0].dtype
        return [*lines, f"{detail}output: {shapes.format(call.outputs[0])} {dtype}"]
    if call.inputs:
        lines.append(
            f"{detail}input:  {_join([shapes.format(t) for t in call.inputs])}"
        )
    if call.initial_state:
        units = ("batch", "units")
        states = _join([shapes.format(t, units) for t in call.initial_state])
        lines.append(f"{detail}initial_state: {states}")
    lines.append(f"{detail}output: {_format_outputs(layer, call.outputs, shapes)}")
    steps = shapes.dims(call.inputs[0])[:2] if call.inputs else (None, None)
    if isinstance(layer, keras.layers.Bidirectional):
        extra = _bidirectional_lines(layer, *steps)
    elif isinstance(layer, keras.layers.RNN):
        extra = _rnn_lines(layer, *steps)
    else:
        extra = []
    extra.append(_mask_line(layer, call))
    lines.extend(f"{detail}{text}" for text in extra if text)
    if nested:
        arrays = [shapes.value(t) for t in call.inputs]
        known = bool(arrays) and all(a is not None for a in arrays)
        lines.extend(_model_lines(layer, arrays if known else None, indent + "  "))
    return lines


@contextlib.contextmanager
def _states_preserved(model: keras.Model) -> Iterator[None]:
    """Restore the states of stateful RNNs after running a sample through."""
    saved = []
    for _, rnn, _ in _recurrent_layers(model, "", False):
        if rnn.stateful and rnn.states is not None:
            for variable in keras.tree.flatten(rnn.states):
                saved.append((variable, keras.ops.convert_to_numpy(variable)))
    try:
        yield
    finally:
        for variable, value in saved:
            variable.assign(value)


def _run_sample(model: keras.Model, arrays: list[np.ndarray]) -> dict[int, np.ndarray]:
    """Run ``arrays`` through ``model``; return every layer tensor's value by id."""
    tensors, seen = [], set()
    for layer in model.layers:
        call = _call_in(model, layer)
        if call is None:
            continue
        for tensor in call.inputs + call.initial_state + call.outputs:
            if id(tensor) not in seen:
                seen.add(id(tensor))
                tensors.append(tensor)
    probe = keras.Model(model.inputs, tensors)
    with _states_preserved(model):
        results = probe(list(arrays), training=False)
    results = keras.tree.flatten(results)
    return {
        id(t): keras.ops.convert_to_numpy(r)
        for t, r in zip(tensors, results, strict=True)
    }


def _model_lines(
    model: keras.Model, arrays: list[np.ndarray] | None, indent: str
) -> list[str]:
    shapes = _Shapes(None if arrays is None else _run_sample(model, arrays))
    return [
        line
        for layer in model.layers
        for line in _layer_lines(model, layer, shapes, indent)
    ]


def _expected_shape(tensor: Any) -> str:
    dims = tuple(tensor.shape)
    names = _axis_names(len(dims), tensor.dtype)
    return (
        "("
        + ", ".join(
            n if d is None else str(d) for d, n in zip(dims, names, strict=True)
        )
        + ")"
    )


def _check_sample(sample: Any, inputs: list) -> list[np.ndarray]:
    """Match ``sample`` to the model inputs: one array per input, shapes checked."""
    if len(inputs) == 1:
        items, names = [sample], ["sample"]
    else:
        if not isinstance(sample, (list, tuple)) or len(sample) != len(inputs):
            raise TypeError(
                error_message(
                    "sample",
                    f"a list of {len(inputs)} arrays, one per model input",
                    sample,
                )
            )
        items, names = list(sample), [f"sample[{i}]" for i in range(len(inputs))]
    arrays = []
    for item, name, tensor in zip(items, names, inputs, strict=True):
        array = np.asarray(item)
        if array.dtype.kind not in "biuf":
            raise TypeError(error_message(name, "a numeric array", array))
        dims = tuple(tensor.shape)
        matches = array.ndim == len(dims) and all(
            d is None or d == s for d, s in zip(dims, array.shape, strict=True)
        )
        if not matches:
            raise ValueError(
                error_message(
                    name,
                    f"an array of shape {_expected_shape(tensor)} (the model's "
                    "input shape)",
                    array,
                )
            )
        if array.shape[0] == 0:
            raise ValueError(
                error_message(name, "a non-empty batch (at least one row)", array)
            )
        arrays.append(array)
    return arrays


def _model_inputs(model: keras.Model, sample: Any) -> list:
    """The model's symbolic inputs, building an input-less Sequential from sample."""
    try:
        return list(model.inputs)
    except (AttributeError, ValueError):
        pass
    if isinstance(model, keras.Sequential) and np.ndim(sample) >= 2:
        try:
            model.build((None, *np.shape(sample)[1:]))
        except (ValueError, TypeError) as exc:
            raise ValueError(
                error_message(
                    "sample",
                    "an array whose shape the Sequential model accepts",
                    np.asarray(sample),
                    f"Building the model from it failed: {exc}",
                )
            ) from exc
        return list(model.inputs)
    raise ValueError(
        error_message(
            "model",
            "a Functional or Sequential model whose input shape is known",
            model,
            "Start it with `keras.Input(shape)`; for a Sequential model you can "
            "also pass `sample` so it is built from the sample's shape",
        )
    )


def explain(
    model: keras.Model,
    sample: Any = None,
    *,
    print_fn: Callable[[str], Any] | None = None,
) -> Explanation:
    """Explain each layer's shapes, recurrent settings, state layout and masks.

    Shapes are written with their axis names, ``(batch, timesteps, features)``.
    Without ``sample``, sizes Keras does not know yet (usually batch and often
    timesteps) show the name alone; with ``sample``, the model is run once on
    it and every size is concrete, e.g. ``(batch=2, timesteps=5, features=3)``.
    Running a sample does not change the model (stateful RNN states are
    restored afterwards).

    Args:
        model: ``keras.Model``. A Functional or Sequential model (nested models
            are explained layer by layer, indented).
        sample: Optional array-like, or a list of them for a model with several
            inputs. A batch of inputs shaped like the model's input. Default
            None.
        print_fn: Optional callable taking one string, called once per line
            (e.g. ``print`` in a script, or ``logger.info``). Default None: print
            nothing, and let the returned `Explanation` display itself.

    Returns:
        An `Explanation`: the list of lines, whose ``repr`` (and HTML form in
        Jupyter) is the text. As the last line of a notebook cell it is shown
        once; in a script, ``print(explain(model))``.

    Raises:
        TypeError: If ``model`` is not a ``keras.Model``, ``print_fn`` is not
            callable, or ``sample`` is not numeric / not one array per input.
        ValueError: If the model's input shape is unknown, or ``sample`` does not
            have the model's input shape.

    Example:
        >>> import keras, numpy as np
        >>> inputs = keras.Input((5, 3), name="series")
        >>> x = keras.layers.GRU(4, name="gru")(inputs)
        >>> outputs = keras.layers.Dense(1, name="head")(x)
        >>> model = keras.Model(inputs, outputs, name="demo")
        >>> explain(model, np.zeros((2, 5, 3)))
        Model 'demo': 3 layers; shapes are (batch, timesteps, features)
        sizes from a sample of shape (2, 5, 3)
        series (InputLayer)
            output: (batch=2, timesteps=5, features=3) float32
        gru (GRU)
            input:  (batch=2, timesteps=5, features=3)
            output: (batch=2, features=4)
            units=4, return_sequences=False, return_state=False, stateful=False
            GRU state: h (batch=2, units=4)
            note: return_sequences=False returns only the last step: (batch=2, units=4)
        head (Dense)
            input:  (batch=2, features=4)
            output: (batch=2, features=1)
        >>> explain(model, np.zeros((2, 4, 3)))
        Traceback (most recent call last):
        ...
        ValueError: `sample` must be an array of shape (batch, 5, 3) ...
    """
    check_type(model, "model", keras.Model, "a keras.Model (Functional or Sequential)")
    if print_fn is not None and not callable(print_fn):
        raise TypeError(
            error_message("print_fn", "a callable such as print, or None", print_fn)
        )
    inputs = _model_inputs(model, sample)
    arrays = None if sample is None else _check_sample(sample, inputs)
    lines = [
        f"Model {model.name!r}: {len(model.layers)} layers; "
        "shapes are (batch, timesteps, features)",
    ]
    if arrays is None:
        lines.append("sizes without a number are not fixed until data arrives")
    else:
        shown = ", ".join(str(a.shape) for a in arrays)
        lines.append(f"sizes from a sample of shape {shown}")
    lines += _model_lines(model, arrays, "")
    if print_fn is not None:
        for line in lines:
            print_fn(line)
    return Explanation(lines)
