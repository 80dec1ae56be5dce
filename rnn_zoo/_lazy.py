"""Lazy re-exports for packages: a name loads its module on first use.

Keeps ``import rnn_zoo`` (and its subpackages) free of TensorFlow: the module
that defines a name is imported only when the name is first looked up.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(
    package: str, namespace: dict[str, Any], exports: Mapping[str, str | None]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Build a package's module-level ``__getattr__`` and ``__dir__`` (PEP 562).

    Args:
        package: The package's ``__name__``.
        namespace: The package's ``globals()``; a loaded name is cached there.
        exports: Public name -> module defining it: a submodule name relative to
            ``package`` (``"windows"``), an absolute module name (``"rnn_zoo.x"``),
            or None when the name is itself a submodule. An absolute module name
            whose last part is the name itself (``"reference":
            "rnn_zoo.reference"``) exports that module.

    Returns:
        ``(__getattr__, __dir__)`` to assign in the package.

    Example:
        >>> ga, dr = lazy_exports("json", {}, {"dumps": "encoder", "decoder": None})
        >>> ga("decoder").__name__, dr()
        ('json.decoder', ['decoder', 'dumps'])
    """

    def __getattr__(name: str) -> Any:
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = exports[name]
        if module is None:
            value = importlib.import_module(f"{package}.{name}")
        else:
            path = module if module.startswith("rnn_zoo.") else f"{package}.{module}"
            value = importlib.import_module(path)
            if path.rpartition(".")[2] != name:
                value = getattr(value, name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(exports)

    return __getattr__, __dir__
