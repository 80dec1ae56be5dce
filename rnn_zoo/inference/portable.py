"""Run a char LM over a block of tokens from a given state, on any Keras backend.

`rnn_zoo.inference.generation.CharStepper` is TensorFlow code (``tf.function``,
``tf.while_loop``, the cells' weights used as TensorFlow variables), tuned for
one-character steps. A model trained with Keras on JAX (``lm train --backend
jax``) is scored in that process, so `rnn_zoo.evaluation.bits_per_char` needs a
loop that only uses Keras layers: `PortableStepper` builds, once per model, a
functional model ``(tokens, states) -> (logits, final states)`` from the model's
own ``"embedding"`` and ``"logits"`` layers and a ``keras.layers.RNN`` around each
recurrent layer's own cell (``return_state=True``). The weights are shared, not
copied, so it always sees the current weights; ``predict_on_batch`` compiles it
once per input shape on the backend in use (``jax.jit`` on JAX, ``tf.function``
on TensorFlow). The math is the Keras cells' own, so its logits equal the
model's (tests compare it with `CharStepper` and with the model itself).

Example:
    >>> from rnn_zoo.models import build_char_lm
    >>> model = build_char_lm(5, embedding_dim=2, units=3, cell="lstm")
    >>> stepper = PortableStepper.for_model(model)
    >>> logits, states = stepper.run(np.array([[2, 3, 4]]), stepper.initial_state(1))
    >>> logits.shape, [s.shape for s in states]
    ((1, 3, 5), [(1, 3), (1, 3)])
    >>> bool(np.allclose(logits, model.predict_on_batch(np.array([[2, 3, 4]])),
    ...                  atol=1e-5))
    True
"""

from __future__ import annotations

import weakref
from typing import Any

import keras
import numpy as np

from rnn_zoo._validation import check_int, check_type, error_message

__all__ = ["PortableStepper"]

_LAYERS_HINT = (
    "a model built by `build_char_lm` (layers 'embedding', 'rnn_0', 'rnn_1', ..., "
    "'logits')"
)

#: class -> {model: its stepper}, kept while the model lives
_STEPPERS: dict[type, weakref.WeakKeyDictionary] = {}


def char_lm_layers(model: Any) -> tuple[Any, list[Any], Any]:
    """The embedding, recurrent layers and logits layer of a char LM, or raise.

    Args:
        model: A model built by `build_char_lm`.

    Returns:
        ``(embedding, [rnn_0, rnn_1, ...], logits)``, the model's own layers.

    Raises:
        TypeError: If ``model`` is not a ``keras.Model``.
        ValueError: If it lacks those named layers, or a recurrent layer has
            no cell.

    Example:
        >>> from rnn_zoo.models import build_char_lm
        >>> _, recurrent, _ = char_lm_layers(build_char_lm(5, units=2, num_layers=2))
        >>> [layer.name for layer in recurrent]
        ['rnn_0', 'rnn_1']
    """
    check_type(model, "model", keras.Model, "a keras.Model")
    names = {layer.name for layer in model.layers}
    recurrent = []
    while f"rnn_{len(recurrent)}" in names:
        recurrent.append(model.get_layer(f"rnn_{len(recurrent)}"))
    if not recurrent or not {"embedding", "logits"} <= names:
        raise ValueError(error_message("model", _LAYERS_HINT, model))
    for layer in recurrent:
        if not hasattr(layer, "cell"):
            raise ValueError(
                error_message(
                    "model",
                    _LAYERS_HINT + " whose recurrent layers are LSTM, GRU or SimpleRNN",
                    model,
                )
            )
    return model.get_layer("embedding"), recurrent, model.get_layer("logits")


def _state_sizes(cell: Any) -> list[int]:
    sizes = cell.state_size
    return [int(s) for s in (sizes if isinstance(sizes, list | tuple) else [sizes])]


class OnePerModel:
    """What `PortableStepper` and `rnn_zoo.inference.generation.CharStepper`
    share: `for_model` (one stepper per model) and `initial_state`."""

    @classmethod
    def for_model(cls, model: keras.Model):
        """The cached stepper of this class for ``model`` (built on first use).

        Reusing one stepper reuses its traced or compiled functions.

        Args:
            model: A model built by `build_char_lm`.

        Returns:
            The model's stepper of this class.

        Raises:
            TypeError, ValueError: As the constructor.

        Example:
            >>> from rnn_zoo.models import build_char_lm
            >>> model = build_char_lm(5, units=3)
            >>> PortableStepper.for_model(model) is PortableStepper.for_model(model)
            True
        """
        cache = _STEPPERS.setdefault(cls, weakref.WeakKeyDictionary())
        stepper = cache.get(model) if isinstance(model, keras.Model) else None
        if stepper is None:
            stepper = cache[model] = cls(model)
        return stepper

    #: The widths of the flat state tensors (set by the constructor).
    state_sizes: list[int]

    @staticmethod
    def _zeros(shape: tuple[int, int]) -> Any:
        return np.zeros(shape, np.float32)

    def initial_state(self, batch_size: int) -> list[Any]:
        """Zero states (the model's own start) for ``batch_size`` rows.

        Args:
            batch_size: Number of rows (positive int).

        Returns:
            List of float32 arrays ``(batch_size, size)``, one per `state_sizes`
            (TensorFlow tensors for `CharStepper`, NumPy for `PortableStepper`).

        Raises:
            ValueError: If ``batch_size`` is not a positive integer.

        Example:
            >>> from rnn_zoo.models import build_char_lm
            >>> stepper = PortableStepper(build_char_lm(5, units=3, cell="lstm"))
            >>> [tuple(s.shape) for s in stepper.initial_state(4)]
            [(4, 3), (4, 3)]
        """
        batch_size = check_int(batch_size, "batch_size", minimum=1)
        return [self._zeros((batch_size, size)) for size in self.state_sizes]


class PortableStepper(OnePerModel):
    """``(tokens, states) -> (logits, final states)`` for a char LM, any backend.

    Args:
        model: A model built by `build_char_lm` (stateful or not; the stepper
            itself keeps no state).

    Attributes and errors are those of `rnn_zoo.inference.generation.CharStepper`
    (``state_sizes``, ``vocab_size``; TypeError for a non-model, ValueError for a
    model without `build_char_lm`'s named layers).

    Example:
        >>> from rnn_zoo.models import build_char_lm
        >>> model = build_char_lm(5, units=3, num_layers=2, cell="gru")
        >>> PortableStepper(model).state_sizes
        [3, 3]
    """

    def __init__(self, model: keras.Model):
        embedding, recurrent, logits = char_lm_layers(model)
        self.vocab_size = int(logits.units)
        self.state_sizes: list[int] = []
        tokens = keras.Input(shape=(None,), dtype="int32", name="tokens")
        states_in: list[Any] = []
        states_out: list[Any] = []
        x = embedding(tokens)
        for index, layer in enumerate(recurrent):
            sizes = _state_sizes(layer.cell)
            own = [
                keras.Input(shape=(size,), name=f"state_{index}_{k}")
                for k, size in enumerate(sizes)
            ]
            # the layer's own cell (shared weights), returning its final state
            loop = keras.layers.RNN(
                layer.cell, return_sequences=True, return_state=True
            )
            x, *final = loop(x, initial_state=own if len(own) > 1 else own[0])
            self.state_sizes += sizes
            states_in += own
            states_out += final
        self._model = keras.Model(
            [tokens, *states_in], [logits(x), *states_out], name="portable_stepper"
        )

    def run(
        self, tokens: Any, states: list[Any]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Feed ``(batch, steps)`` ids from ``states``.

        Args:
            tokens: int array ``(batch, steps)``, ``steps >= 1``.
            states: Flat list of state arrays for ``batch`` rows, as from
                `initial_state` or a previous `run`.

        Returns:
            ``(logits, final_states)`` as NumPy arrays, logits
            ``(batch, steps, vocab)``.

        Raises:
            ValueError: If ``tokens`` is not 2-D or ``states`` has the wrong
                number of arrays.

        Example:
            >>> from rnn_zoo.models import build_char_lm
            >>> stepper = PortableStepper(build_char_lm(5, units=3))
            >>> logits, states = stepper.run(
            ...     np.array([[1, 2]]), stepper.initial_state(1))
            >>> logits.shape, states[0].shape
            ((1, 2, 5), (1, 3))
        """
        tokens = np.asarray(tokens, dtype=np.int32)
        if tokens.ndim != 2 or tokens.shape[1] < 1:
            raise ValueError(
                error_message("tokens", "an int array (batch, steps >= 1)", tokens)
            )
        if len(states) != len(self.state_sizes):
            raise ValueError(
                error_message(
                    "states",
                    f"a list of {len(self.state_sizes)} arrays (see state_sizes)",
                    f"{len(states)} arrays",
                )
            )
        logits, *final = self._model.predict_on_batch([tokens, *states])
        return np.asarray(logits), [np.asarray(s) for s in final]
