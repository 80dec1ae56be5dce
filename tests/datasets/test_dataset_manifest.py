"""datasets/manifest.json and README.md agree with the code; the package is lazy."""

from __future__ import annotations

import dataclasses
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

import rnn_zoo.datasets as datasets
from rnn_zoo.datasets import DATASETS, load_stock_prices

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = json.loads((ROOT / "datasets" / "manifest.json").read_text())
ENTRIES = {entry["name"]: entry for entry in MANIFEST["datasets"]}
README = (ROOT / "datasets" / "README.md").read_text()


def _resolve(dotted: str):
    module, name = dotted.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def test_manifest_names_are_unique():
    assert len(ENTRIES) == len(MANIFEST["datasets"])


def test_download_entries_mirror_the_code_registry():
    downloads = {n: e for n, e in ENTRIES.items() if e["kind"] == "download"}
    assert set(downloads) == set(DATASETS)
    for name, info in DATASETS.items():
        entry = downloads[name]
        for field, value in dataclasses.asdict(info).items():
            assert entry[field] == value, (name, field)


def test_every_loader_and_generator_is_listed():
    public = {
        name
        for name in datasets.__all__
        if name.startswith(("load_", "make_")) and name != "load_text_corpus"
    }
    listed = {entry["loader"].rsplit(".", 1)[1] for entry in MANIFEST["datasets"]}
    assert public == listed
    for entry in MANIFEST["datasets"]:
        assert callable(_resolve(entry["loader"]))
        assert entry["kind"] in ("download", "bundled", "generated")
        assert entry["licence"] and entry["source"]
        if entry["kind"] == "generated":
            assert "generated in code, seeded" in entry["source"]


def test_goog_entry_matches_the_data():
    entry, prices = ENTRIES["goog"], load_stock_prices("GOOG")
    assert entry["rows"] == len(prices) == 1047
    assert entry["first_date"] == str(prices.index[0].date())
    assert entry["last_date"] == str(prices.index[-1].date())
    assert entry["columns"] == list(prices.columns)


def test_readme_documents_every_data_set():
    for name, entry in ENTRIES.items():
        assert name in README
        if entry["kind"] == "download":
            assert entry["sha256"] in README and entry["url"] in README
    for needle in ("RNN_ZOO_DATA_DIR", "path=", "~/.cache/rnn_zoo", "fallback=True"):
        assert needle in README


def test_package_names_resolve_lazily():
    assert dir(datasets) == sorted(datasets.__all__)
    for name in datasets.__all__:
        assert getattr(datasets, name) is not None
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        datasets.nope  # noqa: B018


@pytest.mark.slow  # a child process
def test_import_loads_neither_pandas_nor_tensorflow():
    code = (
        "import sys, rnn_zoo.datasets as d; d.make_sine_waves; d.fetch; "
        "print(' '.join(sys.modules))"
    )
    modules = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    for heavy in ("pandas", "tensorflow", "keras", "matplotlib"):
        assert heavy not in modules
