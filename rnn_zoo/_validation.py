"""Argument checks shared by the whole package, so every message reads the same.

Every check raises ``ValueError`` (wrong value) or ``TypeError`` (wrong type) with
one template::

    `lookback` must be a positive integer. Received: lookback=0

The argument is named in backticks, then what is allowed, then what was received,
then (optionally) a remedy. Checks never clamp or coerce silently.
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = [
    "error_message",
    "check_int",
    "check_float",
    "check_one_of",
    "check_type",
    "check_finite",
    "check_fitted",
]


def _short_repr(value: Any, limit: int = 80) -> str:
    if isinstance(value, os.PathLike):  # a path is shown whole: the user needs it
        return repr(os.fspath(value))
    if isinstance(value, np.ndarray):
        text = f"array(shape={value.shape}, dtype={value.dtype})"
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def error_message(
    name: str, allowed: str, received: Any, remedy: str | None = None
) -> str:
    """Build the house error message.

    Args:
        name: The argument's name, as the caller spells it.
        allowed: What is allowed, phrased to follow "must be" / "must have".
        received: The value that was given (shown with ``repr``, shortened).
        remedy: Optional extra sentence telling the user what to do.

    Returns:
        The message string.

    Example:
        >>> error_message("lookback", "a positive integer", 0)
        '`lookback` must be a positive integer. Received: lookback=0'
    """
    msg = f"`{name}` must be {allowed}. Received: {name}={_short_repr(received)}"
    if remedy:
        msg += f". {remedy}"
    return msg


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_int(
    value: Any,
    name: str,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    allow_none: bool = False,
) -> int | None:
    """Check that ``value`` is an integer within ``[minimum, maximum]``.

    Args:
        value: The value to check. Floats (even ``2.0``) and bools are rejected.
        name: Argument name for the message.
        minimum: Smallest allowed value, or None for no lower bound.
        maximum: Largest allowed value, or None for no upper bound.
        allow_none: Whether ``None`` is accepted (and returned as is).

    Returns:
        ``int(value)``, or None when allowed and given.

    Raises:
        TypeError: If ``value`` is not an integer.
        ValueError: If ``value`` is out of range.

    Example:
        >>> check_int(3, "units", minimum=1)
        3
        >>> check_int(0, "units", minimum=1)
        Traceback (most recent call last):
        ...
        ValueError: `units` must be a positive integer. Received: units=0
    """
    if value is None and allow_none:
        return None
    if minimum == 1 and maximum is None:
        allowed = "a positive integer"
    elif minimum == 0 and maximum is None:
        allowed = "a non-negative integer"
    elif minimum is not None and maximum is not None:
        allowed = f"an integer in [{minimum}, {maximum}]"
    elif minimum is not None:
        allowed = f"an integer >= {minimum}"
    elif maximum is not None:
        allowed = f"an integer <= {maximum}"
    else:
        allowed = "an integer"
    if allow_none:
        allowed += " or None"
    if not _is_int(value):
        raise TypeError(error_message(name, allowed, value))
    if (minimum is not None and value < minimum) or (
        maximum is not None and value > maximum
    ):
        raise ValueError(error_message(name, allowed, value))
    return int(value)


def check_float(
    value: Any,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    allow_none: bool = False,
) -> float | None:
    """Check that ``value`` is a finite real number in the given interval.

    Args:
        value: The value to check (int or float; bools are rejected).
        name: Argument name for the message.
        low: Lower bound, or None.
        high: Upper bound, or None.
        low_inclusive: Whether ``low`` itself is allowed.
        high_inclusive: Whether ``high`` itself is allowed.
        allow_none: Whether ``None`` is accepted.

    Returns:
        ``float(value)``, or None when allowed and given.

    Raises:
        TypeError: If ``value`` is not a real number.
        ValueError: If it is NaN/inf or outside the interval.

    Example:
        >>> check_float(0.2, "dropout", low=0.0, high=1.0, high_inclusive=False)
        0.2
        >>> check_float(1.0, "dropout", low=0.0, high=1.0, high_inclusive=False)
        Traceback (most recent call last):
        ...
        ValueError: `dropout` must be a number in [0.0, 1.0). Received: dropout=1.0
    """
    if value is None and allow_none:
        return None
    if low is not None and high is not None:
        allowed = (
            f"a number in {'[' if low_inclusive else '('}{low}, "
            f"{high}{']' if high_inclusive else ')'}"
        )
    elif low is not None:
        allowed = f"a number {'>=' if low_inclusive else '>'} {low}"
    elif high is not None:
        allowed = f"a number {'<=' if high_inclusive else '<'} {high}"
    else:
        allowed = "a finite number"
    if allow_none:
        allowed += " or None"
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(error_message(name, allowed, value))
    v = float(value)
    bad = not np.isfinite(v)
    if low is not None:
        bad = bad or (v < low if low_inclusive else v <= low)
    if high is not None:
        bad = bad or (v > high if high_inclusive else v >= high)
    if bad:
        raise ValueError(error_message(name, allowed, value))
    return v


def check_one_of(value: Any, name: str, options: Iterable[Any]) -> Any:
    """Check that ``value`` is one of ``options``.

    Args:
        value: The value to check.
        name: Argument name for the message.
        options: The allowed values.

    Returns:
        ``value`` unchanged.

    Raises:
        ValueError: If ``value`` is not among ``options``.

    Example:
        >>> check_one_of("lstm", "cell", ("lstm", "gru", "rnn"))
        'lstm'
        >>> check_one_of("tcn", "cell", ("lstm", "gru", "rnn"))
        Traceback (most recent call last):
        ...
        ValueError: `cell` must be one of 'lstm', 'gru', 'rnn'. Received: cell='tcn'
    """
    options = tuple(options)
    try:
        ok = value in options
    except TypeError:  # unhashable / incomparable
        ok = False
    if not ok:
        allowed = "one of " + ", ".join(repr(o) for o in options)
        raise ValueError(error_message(name, allowed, value))
    return value


def check_type(value: Any, name: str, types: type | tuple[type, ...], what: str) -> Any:
    """Check ``isinstance(value, types)``.

    Args:
        value: The value to check.
        name: Argument name for the message.
        types: A type or tuple of types passed to ``isinstance``.
        what: Human description of the allowed types, e.g. "a string".

    Returns:
        ``value`` unchanged.

    Raises:
        TypeError: If ``value`` is not an instance of ``types``.

    Example:
        >>> check_type("abc", "text", str, "a string")
        'abc'
    """
    if not isinstance(value, types):
        raise TypeError(error_message(name, what, value))
    return value


def check_finite(array: np.ndarray, name: str) -> np.ndarray:
    """Check that a numeric array holds no NaN or infinity.

    Args:
        array: A NumPy array of numbers.
        name: Argument name for the message.

    Returns:
        ``array`` unchanged.

    Raises:
        ValueError: If any element is NaN or +/-inf; the message gives the first
            offending index.

    Example:
        >>> check_finite(np.array([1.0, float("nan")]), "series")
        Traceback (most recent call last):
        ...
        ValueError: `series` must contain only finite values (no NaN or inf). ...
    """
    finite = np.isfinite(array)
    if not finite.all():
        first = tuple(int(i) for i in np.argwhere(~finite)[0])
        raise ValueError(
            f"`{name}` must contain only finite values (no NaN or inf). "
            f"Received: {name} with NaN/inf at index {first}. Fill or drop missing "
            "values first, e.g. `df.ffill()` or `df.dropna()`"
        )
    return array


def check_fitted(estimator: Any, attribute: str) -> None:
    """Raise if a stateful transform has not been fitted.

    Args:
        estimator: The object to check.
        attribute: A learned attribute (ending in ``_``) that ``fit`` sets.

    Raises:
        ValueError: "This X instance is not fitted yet. Call `fit` first."

    Example:
        >>> class Thing:
        ...     vocabulary_ = None
        >>> check_fitted(Thing(), "vocabulary_")
        Traceback (most recent call last):
        ...
        ValueError: This Thing instance is not fitted yet. Call `fit` first.
    """
    if getattr(estimator, attribute, None) is None:
        raise ValueError(
            f"This {type(estimator).__name__} instance is not fitted yet. "
            "Call `fit` first."
        )
