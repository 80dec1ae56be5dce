"""The shared argument checks: one message template everywhere."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_zoo import _validation as v


@pytest.mark.parametrize(
    ("kwargs", "allowed"),
    [
        ({"minimum": 1}, "a positive integer"),
        ({"minimum": 0}, "a non-negative integer"),
        ({"minimum": 2, "maximum": 5}, r"an integer in \[2, 5\]"),
        ({"minimum": 3}, "an integer >= 3"),
        ({"maximum": 3}, "an integer <= 3"),
        ({}, "an integer"),
    ],
)
def test_check_int_messages(kwargs, allowed):
    with pytest.raises(TypeError, match=f"`n` must be {allowed}. Received: n=1.5"):
        v.check_int(1.5, "n", **kwargs)


def test_check_int_range_and_none():
    assert v.check_int(np.int64(4), "n", minimum=1) == 4
    assert v.check_int(None, "n", allow_none=True) is None
    with pytest.raises(TypeError, match="or None"):
        v.check_int("3", "n", minimum=1, allow_none=True)
    with pytest.raises(TypeError, match="Received: n=True"):
        v.check_int(True, "n")
    with pytest.raises(ValueError, match=r"in \[2, 5\]. Received: n=6"):
        v.check_int(6, "n", minimum=2, maximum=5)


@pytest.mark.parametrize(
    ("kwargs", "value", "allowed"),
    [
        (
            {"low": 0.0, "high": 1.0, "high_inclusive": False},
            1.0,
            r"a number in \[0.0, 1.0\)",
        ),
        ({"low": 0.0, "low_inclusive": False}, 0.0, "a number > 0.0"),
        ({"low": 0.0}, -1.0, "a number >= 0.0"),
        ({"high": 1.0}, 2.0, "a number <= 1.0"),
        ({"high": 1.0, "high_inclusive": False}, 1.0, "a number < 1.0"),
        ({}, float("nan"), "a finite number"),
    ],
)
def test_check_float_messages(kwargs, value, allowed):
    with pytest.raises(ValueError, match=f"`x` must be {allowed}"):
        v.check_float(value, "x", **kwargs)


def test_check_float_types_and_none():
    assert v.check_float(1, "x") == 1.0
    assert v.check_float(None, "x", allow_none=True) is None
    with pytest.raises(TypeError, match="or None"):
        v.check_float("a", "x", allow_none=True)
    with pytest.raises(TypeError):
        v.check_float(False, "x")


def test_check_one_of_handles_unhashable():
    with pytest.raises(ValueError, match="`kind` must be one of 'a', 'b'"):
        v.check_one_of(["a"], "kind", ("a", "b"))


def test_check_type_and_long_repr():
    with pytest.raises(
        TypeError, match=r"`text` must be a string. Received: text=array"
    ):
        v.check_type(np.zeros((3, 4)), "text", str, "a string")
    msg = v.error_message("x", "short", "y" * 200, remedy="Do this")
    assert msg.endswith("...'. Do this") or msg.endswith(".... Do this")
    assert len(msg) < 160


def test_check_finite_and_fitted():
    arr = np.array([[1.0, 2.0], [np.inf, 3.0]])
    with pytest.raises(ValueError, match=r"index \(1, 0\)"):
        v.check_finite(arr, "series")
    assert v.check_finite(np.ones(3), "series") is not None

    class Est:
        fitted_ = None

    with pytest.raises(ValueError, match="This Est instance is not fitted yet"):
        v.check_fitted(Est(), "fitted_")
    est = Est()
    est.fitted_ = 1
    v.check_fitted(est, "fitted_")


def test_a_long_path_is_shown_whole():
    from pathlib import Path

    path = Path("/tmp") / ("deep-folder-" * 12) / "tok.json"
    message = v.error_message("path", "a tokenizer file", path)
    assert repr(str(path)) in message
    # other long values are still cut short
    assert "..." in v.error_message("text", "short text", "x" * 200)
