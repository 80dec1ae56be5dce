"""Bad-input table helpers: each row is (call, error type, message fragment)."""

from __future__ import annotations

import re

import pytest


def row(call, error, fragment, id):
    """One table row: ``call()`` must raise ``error`` whose message has ``fragment``."""
    return pytest.param(call, error, fragment, id=id)


def check_row(call, error, fragment) -> None:
    """Raise ``error`` with ``fragment`` (plain text, not a regex) in the message.

    The message must also name an argument in backticks or say what to do, the
    house style; a bare Keras/NumPy error would fail here.
    """
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    assert fragment in message, f"{fragment!r} not in {message!r}"
    assert type(info.value) is error or issubclass(type(info.value), error)
    assert re.search(r"`\w[\w\[\]'.]*`|Received", message), message
