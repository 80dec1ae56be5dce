"""Look inside a recurrent model: fused-kernel eligibility and a shape walkthrough.

Two tools for the questions learners ask most about RNNs:

- :func:`fused_kernel_report` says, for every ``LSTM``/``GRU``/``SimpleRNN``
  (also inside ``Bidirectional`` and nested models), whether Keras would run it
  with the fused cuDNN kernel on a GPU, and if not, which setting prevents it.
- :func:`explain` prints each layer's input and output shapes written as
  ``(batch, timesteps, features)``, the recurrent settings, the state layout and
  where masks are created and consumed.

The fused-kernel rules are those of Keras 3's TensorFlow backend
(``keras/src/backend/tensorflow/rnn.py``, ``cudnn_ok``): ``activation='tanh'``,
``recurrent_activation='sigmoid'``, ``recurrent_dropout=0``, ``unroll=False``,
``use_bias=True``, GRU ``reset_after=True`` and ``use_cudnn`` not False. The
report is about eligibility; the kernel is only used when a GPU is present.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple

import keras
import numpy as np

from rnn_zoo._validation import check_type, error_message

__all__ = ["FusedKernelRecord", "FusedKernelReport", "fused_kernel_report", "explain"]

_MASK_NOTE = (
    "masked input: on a GPU the fused kernel needs right-padded rows "
    "(padding='post') with at least one real step, else it raises; "
    "or set use_cudnn=False"
)


# --------------------------------------------------------------------------
# Walking layers and symbolic tensors
# --------------------------------------------------------------------------


def _mask_of(tensor: Any) -> Any:
    return getattr(tensor, "_keras_mask", None)


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
    graph = getattr(model, "_functional", model)  # Sequential keeps its graph here
    by_depth = getattr(graph, "_nodes_by_depth", None) or {}
    nodes = {id(node) for level in by_depth.values() for node in level}
    node = next(
        (n for n in getattr(layer, "_inbound_nodes", ()) if id(n) in nodes), None
    )
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
    # Custom layers that hold layers (Keras' own tracking; no public accessor).
    return list(layer._flatten_layers(include_self=False, recursive=False))


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


# --------------------------------------------------------------------------
# Fused-kernel report
# --------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class FusedKernelRecord:
    """Fused-kernel eligibility of one recurrent layer.

    Attributes:
        layer: Path of the layer, e.g. ``"lstm"``, ``"bi/forward_lstm"`` or
            ``"encoder/gru"`` for a layer inside a nested model.
        layer_class: The layer's class name, e.g. ``"LSTM"``.
        cell: ``"lstm"``, ``"gru"``, ``"rnn"`` (SimpleRNN), or the cell class name
            for a generic ``keras.layers.RNN``.
        fused: Whether Keras would use the fused cuDNN kernel on a GPU.
        reasons: Why not, one string per setting, e.g.
            ``"recurrent_dropout=0.2 (must be 0)"``. Empty when ``fused``.
        notes: Caveats that cannot be checked statically (masked inputs).
    """

    layer: str
    layer_class: str
    cell: str
    fused: bool
    reasons: list[str] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)


class FusedKernelReport(list):
    """A list of :class:`FusedKernelRecord` that prints as a table.

    Example:
        >>> report = FusedKernelReport(
        ...     [FusedKernelRecord("lstm", "LSTM", "lstm", True)]
        ... )
        >>> report.all_fused
        True
        >>> print(report)
        layer  class  cell  fused  reasons
        lstm   LSTM   lstm  yes    -
    """

    @property
    def all_fused(self) -> bool:
        """Whether every recurrent layer can use the fused kernel."""
        return all(record.fused for record in self)

    def __str__(self) -> str:
        if not self:
            return "No recurrent layers found."
        header = ("layer", "class", "cell", "fused", "reasons")
        rows = [
            (
                r.layer,
                r.layer_class,
                r.cell,
                "yes" if r.fused else "no",
                "; ".join(r.reasons) or "-",
            )
            for r in self
        ]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]

        def line(row: Sequence[str]) -> str:
            cells = [
                text.ljust(width) for text, width in zip(row[:4], widths, strict=True)
            ]
            return "  ".join([*cells, row[4]]).rstrip()

        lines = [line(header), *(line(row) for row in rows)]
        notes: dict[str, list[str]] = {}  # each distinct note once, with its layers
        for record in self:
            for note in record.notes:
                notes.setdefault(note, []).append(record.layer)
        lines += [f"note ({', '.join(names)}): {n}" for n, names in notes.items()]
        return "\n".join(lines)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


def _activation_name(fn: Any) -> str:
    return getattr(fn, "__name__", None) or repr(fn)


def _is_builtin_activation(fn: Any, name: str) -> bool:
    """Mirror Keras' check ``fn in (activations.X, tf.X, ops.X)``, without TF."""
    if fn is getattr(keras.activations, name) or fn is getattr(keras.ops, name):
        return True
    module = getattr(fn, "__module__", None) or ""
    return _activation_name(fn) == name and module.startswith("tensorflow")


def _cell_kind(layer: keras.layers.RNN) -> str:
    if isinstance(layer, keras.layers.LSTM):
        return "lstm"
    if isinstance(layer, keras.layers.GRU):
        return "gru"
    if isinstance(layer, keras.layers.SimpleRNN):
        return "rnn"
    return type(layer.cell).__name__


def _fused_reasons(layer: keras.layers.RNN) -> list[str]:
    """Every setting of ``layer`` that rules out the fused cuDNN kernel."""
    if isinstance(layer, keras.layers.SimpleRNN):
        return ["SimpleRNN has no fused cuDNN kernel"]
    if not isinstance(layer, (keras.layers.LSTM, keras.layers.GRU)):
        return [
            f"{type(layer).__name__}({type(layer.cell).__name__}) has no fused "
            "cuDNN kernel; use keras.layers.LSTM or keras.layers.GRU"
        ]
    reasons = []
    if not _is_builtin_activation(layer.activation, "tanh"):
        name = _activation_name(layer.activation)
        reasons.append(f"activation={name!r} (must be 'tanh')")
    if not _is_builtin_activation(layer.recurrent_activation, "sigmoid"):
        name = _activation_name(layer.recurrent_activation)
        reasons.append(f"recurrent_activation={name!r} (must be 'sigmoid')")
    if not layer.use_bias:
        reasons.append("use_bias=False (must be True)")
    if layer.recurrent_dropout:
        reasons.append(f"recurrent_dropout={layer.recurrent_dropout} (must be 0)")
    if layer.unroll:
        reasons.append("unroll=True (must be False)")
    if isinstance(layer, keras.layers.GRU) and not layer.reset_after:
        reasons.append("reset_after=False (must be True)")
    if layer.use_cudnn is False:
        reasons.append("use_cudnn=False (must be 'auto' or True)")
    return reasons


def fused_kernel_report(model: keras.layers.Layer) -> FusedKernelReport:
    """Report which recurrent layers can run on the fused cuDNN kernel.

    Looks at every ``LSTM``, ``GRU``, ``SimpleRNN`` and generic
    ``keras.layers.RNN``, including both directions of a ``Bidirectional`` and
    layers of nested models, and checks Keras 3's conditions for the fused
    kernel (see the module docstring). ``print(report)`` shows a table.

    Args:
        model: ``keras.Model`` or ``keras.layers.Layer``. The model (or a single
            layer) to inspect.

    Returns:
        A :class:`FusedKernelReport` (a list of :class:`FusedKernelRecord`, in
        layer order; empty when there is no recurrent layer).

    Raises:
        TypeError: If ``model`` is not a Keras model or layer.

    Example:
        >>> import keras
        >>> inputs = keras.Input((5, 3))
        >>> x = keras.layers.LSTM(4, return_sequences=True, name="lstm")(inputs)
        >>> x = keras.layers.GRU(4, recurrent_dropout=0.2, name="gru")(x)
        >>> report = fused_kernel_report(keras.Model(inputs, x))
        >>> [(r.layer, r.fused) for r in report]
        [('lstm', True), ('gru', False)]
        >>> report[1].reasons
        ['recurrent_dropout=0.2 (must be 0)']
    """
    check_type(model, "model", keras.layers.Layer, "a keras.Model or keras layer")
    root = "" if isinstance(model, keras.Model) else model.name
    records = []
    for path, layer, masked in _recurrent_layers(model, root, False):
        reasons = _fused_reasons(layer)
        notes = [_MASK_NOTE] if masked and not reasons else []
        records.append(
            FusedKernelRecord(
                layer=path,
                layer_class=type(layer).__name__,
                cell=_cell_kind(layer),
                fused=not reasons,
                reasons=reasons,
                notes=notes,
            )
        )
    return FusedKernelReport(records)


# --------------------------------------------------------------------------
# explain: a shape walkthrough
# --------------------------------------------------------------------------

_MERGE_WORDS = {
    "concat": "concatenated",
    "sum": "added",
    "ave": "averaged",
    "mul": "multiplied",
}


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
    print_fn: Callable[[str], Any] = print,
) -> list[str]:
    """Print each layer's shapes, recurrent settings, state layout and masks.

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
        print_fn: Callable taking one string, called once per line. Default
            ``print``; pass ``lambda line: None`` to only get the lines.

    Returns:
        The printed lines, as a list of strings.

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
        >>> lines = explain(model, np.zeros((2, 5, 3)))
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
    if not callable(print_fn):
        raise TypeError(error_message("print_fn", "a callable such as print", print_fn))
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
    for line in lines:
        print_fn(line)
    return lines
