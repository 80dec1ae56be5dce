"""One inference step of a Keras recurrent cell, split into input and state parts.

A Keras cell computes ``inputs @ kernel`` inside every step. When the inputs are
the embeddings of token ids, that projection can be done once for the whole
vocabulary (a table of ``vocab_size`` rows, gathered per step) and a step keeps a
single matrix product, ``state @ recurrent_kernel``. Under XLA on a CPU this makes
a one-token step of a 512-unit GRU or LSTM about 2-3x faster: the small
``(batch, embedding) @ kernel`` product is slow there (measured, see
`rnn_zoo.inference.generation`).

`project_inputs` and `cell_step` reproduce the inference math of Keras'
`SimpleRNNCell`, `GRUCell` (``reset_after`` either way) and `LSTMCell` with the
cell's own weights and activations; tests compare them with the cells. Other
cells (subclasses included) are not `supported` and are called as they are.
"""

from __future__ import annotations

from typing import Any

import keras
import tensorflow as tf

_SUPPORTED = (keras.layers.SimpleRNNCell, keras.layers.GRUCell, keras.layers.LSTMCell)


def supported(cell: Any) -> bool:
    """Whether `cell_step` reproduces ``cell`` (exact type, float32 compute)."""
    return type(cell) in _SUPPORTED and cell.compute_dtype == "float32"


def project_inputs(cell: Any, inputs: tf.Tensor) -> tf.Tensor:
    """``inputs @ kernel`` plus the input bias: ``(..., in) -> (..., gates*units)``."""
    projected = tf.matmul(inputs, cell.kernel)
    if isinstance(cell, keras.layers.GRUCell):
        if not cell.use_bias:
            return projected
        return projected + (cell.bias[0] if cell.reset_after else cell.bias)
    return projected if cell.bias is None else projected + cell.bias


def cell_step(
    cell: Any, projected: tf.Tensor, states: list[tf.Tensor]
) -> tuple[tf.Tensor, list[tf.Tensor]]:
    """One step from projected inputs: ``(output, new_states)`` as the cell gives.

    Args:
        cell: A `supported` cell.
        projected: ``project_inputs(cell, inputs)`` for this step.
        states: The cell's flat state list (``[h]``, or ``[h, c]`` for LSTM).
    """
    h = states[0]
    if isinstance(cell, keras.layers.SimpleRNNCell):
        output = projected + tf.matmul(h, cell.recurrent_kernel)
        if cell.activation is not None:
            output = cell.activation(output)
        return output, [output]
    if isinstance(cell, keras.layers.LSTMCell):
        z = projected + tf.matmul(h, cell.recurrent_kernel)
        i, f, g, o = tf.split(z, 4, axis=-1)
        act, gate = cell.activation, cell.recurrent_activation
        c = gate(f) * states[1] + gate(i) * act(g)
        h = gate(o) * act(c)
        return h, [h, c]
    # GRU: update gate z, reset gate r, candidate hh
    units = cell.units
    x_z, x_r, x_h = tf.split(projected, 3, axis=-1)
    if cell.reset_after:  # h @ all three gate matrices at once
        recurrent = tf.matmul(h, cell.recurrent_kernel)
        if cell.use_bias:
            recurrent = recurrent + cell.bias[1]
    else:  # reset gate applied before the candidate's matrix product
        recurrent = tf.matmul(h, cell.recurrent_kernel[:, : 2 * units])
    z = cell.recurrent_activation(x_z + recurrent[:, :units])
    r = cell.recurrent_activation(x_r + recurrent[:, units : 2 * units])
    if cell.reset_after:
        recurrent_h = r * recurrent[:, 2 * units :]
    else:
        recurrent_h = tf.matmul(r * h, cell.recurrent_kernel[:, 2 * units :])
    h = z * h + (1 - z) * cell.activation(x_h + recurrent_h)
    return h, [h]
