"""Which recurrent layers can run on Keras' fused cuDNN kernel, and why not.

:func:`fused_kernel_report` says, for every ``LSTM``/``GRU``/``SimpleRNN`` (also
inside ``Bidirectional`` and nested models), whether Keras would run it with the
fused cuDNN kernel on a GPU, and if not, which setting prevents it.

The rules are those of Keras 3's TensorFlow backend
(``keras/src/backend/tensorflow/rnn.py``, ``cudnn_ok``): ``activation='tanh'``,
``recurrent_activation='sigmoid'``, ``recurrent_dropout=0``, ``unroll=False``,
``use_bias=True``, GRU ``reset_after=True`` and ``use_cudnn`` not False. The
report is about eligibility; the kernel is only used when a GPU is present.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import keras

from rnn_zoo._validation import check_type
from rnn_zoo.inspection._layer_graph import _recurrent_layers

__all__ = ["FusedKernelRecord", "FusedKernelReport", "fused_kernel_report"]

_MASK_NOTE = (
    "masked input: on a GPU the fused kernel needs right-padded rows "
    "(padding='post') with at least one real step, else it raises; "
    "or set use_cudnn=False"
)


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
