"""Old module paths from before the package re-layout keep importing, with a warning.

``rnn_zoo.callbacks``, ``rnn_zoo.models.generation`` and the other modules that
moved (the table `MOVED`) still import: a meta-path finder loads the module at
its new path, registers it under the old name too and issues a
``DeprecationWarning`` that names the new path. The package's own code, notebooks,
tests and benchmarks use the new paths only.

Example:
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     import rnn_zoo.tuning as old
    >>> old.__name__, "rnn_zoo.training.tuning" in str(caught[0].message)
    ('rnn_zoo.training.tuning', True)
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings
from types import ModuleType

__all__ = ["MOVED", "install"]

# old module path -> new module path
MOVED: dict[str, str] = {
    "rnn_zoo.callbacks": "rnn_zoo.training.callbacks",
    "rnn_zoo.gradient_log": "rnn_zoo.training.gradient_log",
    "rnn_zoo.experiments": "rnn_zoo.training.experiments",
    "rnn_zoo.tuning": "rnn_zoo.training.tuning",
    "rnn_zoo.run_state": "rnn_zoo.training.run_state",
    "rnn_zoo.models.generation": "rnn_zoo.inference.generation",
    "rnn_zoo.models.decoding": "rnn_zoo.inference.decoding",
    "rnn_zoo.models.translator": "rnn_zoo.tasks.translator",
    "rnn_zoo.models.lm_bundle": "rnn_zoo.tasks.lm_bundle",
    "rnn_zoo.models.manifest": "rnn_zoo.tasks.manifest",
    "rnn_zoo.models.serialization": "rnn_zoo.saving",
    "rnn_zoo.models.shapes": "rnn_zoo.inspection.shapes",
    "rnn_zoo.models.fused_kernels": "rnn_zoo.inspection.fused_kernels",
    "rnn_zoo.models.diagnostics": "rnn_zoo.inspection.diagnostics",
    "rnn_zoo.models.reference": "rnn_zoo.reference",
    "rnn_zoo.models.reference_bptt": "rnn_zoo.reference.bptt",
    "rnn_zoo.cli.date_training": "rnn_zoo.tasks.date_training",
    "rnn_zoo.cli.lm_training": "rnn_zoo.tasks.lm_training",
    "rnn_zoo.cli.run_folder": "rnn_zoo.tasks.run_folder",
    "rnn_zoo.cli.date_confidence": "rnn_zoo.tasks.date_confidence",
}


class _AliasLoader(importlib.abc.Loader):
    """Loads the module at its new path and hands it out under the old name."""

    def __init__(self, new: str) -> None:
        self.new = new
        self.spec: importlib.machinery.ModuleSpec | None = None  # the new path's

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        warnings.warn(
            f"{spec.name} moved to {self.new}; import it from there",
            DeprecationWarning,
            stacklevel=2,
        )
        module = importlib.import_module(self.new)
        self.spec = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run (the module ran under its new name); its spec put back.

        Python sets ``module.__spec__`` to the old name's spec between
        `create_module` and this call; the module keeps its own (so
        ``importlib.reload`` and tools that read ``__spec__.name`` see the new
        path).
        """
        module.__spec__ = self.spec


class _MovedFinder(importlib.abc.MetaPathFinder):
    """Finds the old paths of `MOVED`; every other name is left to Python."""

    def find_spec(self, fullname, path=None, target=None):  # noqa: D102
        new = MOVED.get(fullname)
        if new is None:
            return None
        return importlib.util.spec_from_loader(fullname, _AliasLoader(new))


def install() -> None:
    """Put the finder of the old paths on ``sys.meta_path`` (once).

    Returns:
        None.

    Example:
        >>> install(); install()
        >>> sum(isinstance(f, _MovedFinder) for f in sys.meta_path)
        1
    """
    if not any(isinstance(finder, _MovedFinder) for finder in sys.meta_path):
        sys.meta_path.append(_MovedFinder())
