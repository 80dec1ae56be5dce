"""The recurrent-stack arguments the model builders share, defined once.

Every builder (`build_sequence_classifier`, `build_sequence_regressor`,
`build_char_lm`, `build_forecaster`) takes the same keyword arguments for its
recurrent layers: ``cell``, ``units``, ``num_layers``, ``bidirectional``,
``merge_mode``, ``dropout``, ``recurrent_dropout``, ``kernel_initializer``,
``recurrent_initializer``, ``bias_initializer`` and ``unit_forget_bias``.
`STACK_ARGUMENTS` defines them (default, type, description) once:

- `shares_stack_arguments` (a decorator) puts them into a builder's signature
  (``inspect.signature`` and ``help()`` list them like ordinary arguments, just
  before ``name``) and their descriptions into its docstring, where the
  ``{stack_args}`` placeholder stands;
- the builder itself takes them as ``**stack_options`` and calls
  `stack_options` to get every value (the given ones, else the defaults), with
  Python's usual ``TypeError`` for an unknown keyword.

Private to ``rnn_zoo.models``.
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable
from typing import Any, NamedTuple

__all__ = ["STACK_ARGUMENTS", "shares_stack_arguments", "stack_options"]


class _Argument(NamedTuple):
    name: str
    default: Any
    annotation: str
    doc: str


STACK_ARGUMENTS = (
    _Argument("cell", "lstm", "str", '``"lstm"``, ``"gru"`` or ``"rnn"``.'),
    _Argument(
        "units",
        64,
        "int | list[int]",
        "Width of every recurrent layer, or a list (one per layer).",
    ),
    _Argument(
        "num_layers",
        None,
        "int | None",
        "Number of recurrent layers; None means 1, or ``len(units)``.",
    ),
    _Argument(
        "bidirectional",
        False,
        "bool",
        "Whether the recurrent layers read the sequence both ways.",
    ),
    _Argument(
        "merge_mode",
        "concat",
        "str",
        'How bidirectional outputs combine: ``"concat"``, ``"sum"``, ``"ave"`` '
        'or ``"mul"``.',
    ),
    _Argument(
        "dropout",
        0.0,
        "float",
        "Dropout rate after each recurrent layer, in ``[0, 1)``.",
    ),
    _Argument(
        "recurrent_dropout",
        0.0,
        "float",
        "Dropout on the recurrent state, in ``[0, 1)``; above 0 it disables the "
        "fused cuDNN kernel.",
    ),
    _Argument(
        "kernel_initializer",
        "glorot_uniform",
        "Any",
        "Initializer of the input kernels (see ``recurrent_stack``).",
    ),
    _Argument(
        "recurrent_initializer",
        "orthogonal",
        "Any",
        "Initializer of the recurrent kernels.",
    ),
    _Argument(
        "bias_initializer", "zeros", "Any", "Initializer of the recurrent biases."
    ),
    _Argument(
        "unit_forget_bias",
        True,
        "bool",
        "LSTM only: the forget-gate bias starts at 1.",
    ),
)
_BY_NAME = {argument.name: argument for argument in STACK_ARGUMENTS}
_PLACEHOLDER = "{stack_args}"


def _args_doc(parameters: list[inspect.Parameter], indent: str) -> str:
    lines = []
    for parameter in parameters:
        default = parameter.default
        shown = f'``"{default}"``' if isinstance(default, str) else repr(default)
        text = f"{parameter.name}: {_BY_NAME[parameter.name].doc} Defaults to {shown}."
        lines += textwrap.wrap(
            text,
            width=88 - len(indent),
            initial_indent=indent,
            subsequent_indent=indent + "    ",
            break_on_hyphens=False,
        )
    return "\n".join(lines).lstrip()


def shares_stack_arguments(
    *, omit: tuple[str, ...] = (), **defaults: Any
) -> Callable[[Callable], Callable]:
    """Add the shared stack arguments to a builder's signature and docstring.

    Args:
        omit: Names of stack arguments the builder does not take (e.g. a causal
            language model has no ``bidirectional``).
        **defaults: Builder-specific defaults, e.g. ``units=256``.

    Returns:
        A decorator returning the same function, with ``__signature__`` and
        ``__doc__`` set.
    """
    unknown = set(defaults) - set(_BY_NAME)
    if unknown:
        raise TypeError(f"Unknown stack arguments: {sorted(unknown)}")

    def decorate(builder: Callable) -> Callable:
        signature = inspect.signature(builder)
        own = [
            p
            for p in signature.parameters.values()
            if p.kind is not inspect.Parameter.VAR_KEYWORD
        ]
        shared = [
            inspect.Parameter(
                a.name,
                inspect.Parameter.KEYWORD_ONLY,
                default=defaults.get(a.name, a.default),
                annotation=a.annotation,
            )
            for a in STACK_ARGUMENTS
            if a.name not in omit
        ]
        at = [p.name for p in own].index("name")
        builder.__signature__ = signature.replace(
            parameters=[*own[:at], *shared, *own[at:]]
        )
        doc = builder.__doc__ or ""
        line = next(line for line in doc.splitlines() if _PLACEHOLDER in line)
        indent = line[: len(line) - len(line.lstrip())]
        builder.__doc__ = doc.replace(_PLACEHOLDER, _args_doc(shared, indent))
        return builder

    return decorate


def stack_options(builder: Callable, given: dict[str, Any]) -> dict[str, Any]:
    """Every stack argument of ``builder``: the ``given`` ones, else its defaults.

    Arguments the builder omits get the shared default (e.g. ``bidirectional``
    False for a language model).

    Raises:
        TypeError: For a keyword ``builder`` does not take, as Python would.
    """
    parameters = builder.__signature__.parameters
    for key in given:
        if key not in parameters or key not in _BY_NAME:
            raise TypeError(
                f"{builder.__name__}() got an unexpected keyword argument {key!r}"
            )
    return {
        a.name: given.get(
            a.name,
            parameters[a.name].default if a.name in parameters else a.default,
        )
        for a in STACK_ARGUMENTS
    }
