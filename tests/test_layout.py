"""The package layout: one concern per folder, imports that only run downwards.

Checked on the source (AST), so a function-level import counts as much as a
module-level one, and on the import machinery for the paths that moved.
"""

from __future__ import annotations

import ast
import importlib
import sys
import warnings
from pathlib import Path

import pytest

from rnn_zoo._moved import MOVED

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "rnn_zoo"

# each top-level part of the package and its layer: an import may only go to the
# same or a lower layer (DESIGN.md: datasets -> preprocessing -> models -> training
# -> evaluation / plotting; notebooks and the CLI on top)
LAYERS = {
    "_validation": 0, "_lazy": 0, "_faults": 0, "_atomic": 0, "_quiet": 0,
    "_keras_internals": 0, "_moved": 0,
    "datasets": 1, "preprocessing": 1, "reference": 1,
    "models": 2,
    "inference": 3, "saving": 3, "inspection": 3,
    "training": 4,
    "evaluation": 5,
    "tasks": 6, "plotting": 6, "classroom": 6, "notebook": 6,
    "cli": 7,
    "__main__": 8, "__init__": 8,
}  # fmt: skip


def _modules() -> dict[str, ast.Module]:
    return {
        str(path.relative_to(PACKAGE)): ast.parse(path.read_text())
        for path in sorted(PACKAGE.rglob("*.py"))
    }


MODULES = _modules()


def _part(relative: str) -> str:
    return Path(relative).parts[0].removesuffix(".py")


def _imported_parts(tree: ast.Module) -> set[str]:
    """Top-level package parts a module imports (``rnn_zoo.x...`` -> ``x``)."""
    parts = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "rnn_zoo":  # from rnn_zoo import _faults
                names = [f"rnn_zoo.{alias.name}" for alias in node.names]
            else:
                names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        parts |= {n.split(".")[1] for n in names if n.startswith("rnn_zoo.")}
    return parts


def test_every_part_of_the_package_has_a_layer():
    assert {_part(relative) for relative in MODULES} == set(LAYERS)


@pytest.mark.parametrize("relative", sorted(MODULES))
def test_imports_only_run_downwards(relative):
    here = _part(relative)
    upwards = {
        part
        for part in _imported_parts(MODULES[relative])
        if LAYERS[part] > LAYERS[here]
    }
    assert not upwards, f"rnn_zoo/{relative} ({here}) imports the higher {upwards}"


@pytest.mark.parametrize("relative", sorted(MODULES))
def test_no_class_is_defined_inside_a_function(relative):
    for node in ast.walk(MODULES[relative]):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inner = [n.name for n in ast.walk(node) if isinstance(n, ast.ClassDef)]
            assert not inner, f"rnn_zoo/{relative}: {node.name} defines {inner}"


def test_models_holds_builders_and_layers_only():
    for relative, tree in MODULES.items():
        if not relative.startswith("models/") or relative == "models/__init__.py":
            continue
        assert _imported_parts(tree) <= {"models", "_validation"}, relative
        if Path(relative).name.startswith("_"):
            continue  # shared argument handling of the builders
        public = [
            node.name
            for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.ClassDef))
            and not node.name.startswith("_")
        ]
        builds = [n for n in public if n.startswith("build_") or n[0].isupper()]
        assert (
            builds or public == ["recurrent_stack"] or relative.endswith("budget.py")
        ), f"rnn_zoo/{relative} neither builds a model nor defines a layer: {public}"


@pytest.mark.parametrize("relative", sorted(r for r in MODULES if r.startswith("cli/")))
def test_cli_is_argparse_and_printing_only(relative):
    tree = MODULES[relative]
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert not imported & {"keras", "tensorflow"}, f"{relative} uses Keras itself"
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            bases = {ast.unparse(base) for base in node.bases}
            assert bases <= {"Exception", "argparse.ArgumentParser"}, (node.name, bases)


@pytest.fixture
def unimported(old):
    """``old`` as in a process that has not imported it yet; put back after."""
    parent, _, name = old.rpartition(".")
    package = importlib.import_module(parent)
    saved = sys.modules.pop(old, None), package.__dict__.pop(name, None)
    yield old
    sys.modules.pop(old, None)
    package.__dict__.pop(name, None)
    if saved[0] is not None:
        sys.modules[old] = saved[0]
    if saved[1] is not None:
        setattr(package, name, saved[1])


@pytest.mark.parametrize("old", sorted(MOVED))
def test_moved_paths_import_with_a_warning_naming_the_new_one(unimported):
    old, new = unimported, MOVED[unimported]
    real = importlib.import_module(new)
    spec = real.__spec__
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        module = importlib.import_module(old)
    assert module is real, f"{old} is not the module {new}"
    messages = [str(w.message) for w in caught if w.category is DeprecationWarning]
    assert messages == [f"{old} moved to {new}; import it from there"]
    assert real.__spec__ is spec and real.__name__ == new  # still its own spec


def test_the_new_paths_exist_and_the_old_files_are_gone():
    for old, new in MOVED.items():
        assert importlib.util.find_spec(new) is not None, new
        old_file = ROOT / (old.replace(".", "/") + ".py")
        assert not old_file.exists(), f"{old_file} should have moved to {new}"


def test_public_imports_people_use_keep_working():
    import rnn_zoo
    from rnn_zoo import inference, inspection, reference, saving, tasks, training
    from rnn_zoo.models import (
        Seq2SeqTranslator,
        build_char_lm,
        explain,
        generate_text,
        load_model,
    )
    from rnn_zoo.training import fit

    assert rnn_zoo.fit is fit is training.loop.fit
    assert rnn_zoo.set_seed is training.set_seed is training.seeding.set_seed
    assert build_char_lm.__module__ == "rnn_zoo.models.language_model"
    assert generate_text is inference.generate_text
    assert Seq2SeqTranslator is tasks.Seq2SeqTranslator
    assert load_model is saving.load_model
    assert explain is inspection.explain
    assert importlib.import_module("rnn_zoo.models").reference is reference
    assert reference.lstm_step is reference.cells.lstm_step
