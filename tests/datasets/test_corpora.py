"""Tiny Shakespeare (from the local mirror, never the network) and the fallback."""

from __future__ import annotations

import io
import urllib.error
import urllib.request

import pytest

from rnn_zoo.datasets import corpora, download
from rnn_zoo.datasets.corpora import (
    TEXT_CORPORA,
    load_python_docs,
    load_shakespeare,
    load_text_corpus,
)
from rnn_zoo.datasets.download import ChecksumError, DatasetUnavailableError
from tests.mirror import MIRROR, needs_mirror

SHA = "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"


class _Network:
    def __init__(self, *outcomes):
        self.outcomes = list(outcomes)
        self.calls = 0

    def __call__(self, url, timeout=None):
        self.calls += 1
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, BaseException):
            raise outcome
        return io.BytesIO(outcome)


@pytest.fixture
def network(monkeypatch):
    """No RNN_ZOO_DATA_DIR, instant retries, and a fake urlopen to configure."""
    monkeypatch.delenv("RNN_ZOO_DATA_DIR", raising=False)
    monkeypatch.setattr(download, "_RETRY_DELAY_S", 0.0)

    def install(*outcomes) -> _Network:
        fake = _Network(*outcomes)
        monkeypatch.setattr(urllib.request, "urlopen", fake)
        return fake

    return install


@needs_mirror
def test_real_corpus_from_the_mirror(monkeypatch, network):
    fake = network()  # any download attempt would fail
    monkeypatch.setenv("RNN_ZOO_DATA_DIR", str(MIRROR.parent))
    text = load_shakespeare()
    assert len(text) == 1_115_394 == MIRROR.stat().st_size  # ASCII: chars == bytes
    assert text.isascii()
    assert text.startswith("First Citizen:\nBefore we proceed any further")
    assert fake.calls == 0


@needs_mirror
def test_download_of_the_real_file_is_verified_and_cached(tmp_path, network):
    fake = network(urllib.error.URLError("flaky"), MIRROR.read_bytes())
    text = load_shakespeare(data_dir=tmp_path)
    assert fake.calls == 2
    assert (tmp_path / "tinyshakespeare.txt").read_bytes() == MIRROR.read_bytes()
    assert text == MIRROR.read_text()
    assert load_shakespeare(data_dir=tmp_path) == text  # from the cache now
    assert fake.calls == 2


@needs_mirror
def test_explicit_path(network):
    network()
    assert load_shakespeare(MIRROR)[:14] == "First Citizen:"


def test_truncated_download_is_rejected(tmp_path, network):
    network(b"First Citizen:\nBefore we proceed")
    with pytest.raises(ChecksumError, match=f"expected {SHA}"):
        load_shakespeare(data_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_offline_error_explains_the_manual_route(tmp_path, network):
    network(urllib.error.URLError("offline"), urllib.error.URLError("offline"))
    with pytest.raises(DatasetUnavailableError) as info:
        load_shakespeare(data_dir=tmp_path)
    message = str(info.value)
    for needle in ("RNN_ZOO_DATA_DIR", "tinyshakespeare.txt", "path=", SHA):
        assert needle in message
    assert "karpathy/char-rnn" in message


def test_missing_explicit_path(tmp_path, network):
    network()
    with pytest.raises(ValueError, match="`path` must be an existing file"):
        load_shakespeare(tmp_path / "nope.txt")


def test_missing_env_dir(tmp_path, monkeypatch, network):
    network()
    monkeypatch.setenv("RNN_ZOO_DATA_DIR", str(tmp_path / "gone"))
    with pytest.raises(ValueError, match="`RNN_ZOO_DATA_DIR` must be an existing"):
        load_shakespeare(data_dir=tmp_path)


def test_corrupt_local_copy(tmp_path, monkeypatch, network):
    network()
    (tmp_path / "tinyshakespeare.txt").write_text("To be, or not to be\n")
    monkeypatch.setenv("RNN_ZOO_DATA_DIR", str(tmp_path))
    with pytest.raises(ChecksumError, match=f"RNN_ZOO_DATA_DIR file .*expected {SHA}"):
        load_shakespeare(fallback=True)  # a corrupt copy is never papered over


def test_fallback_warns_and_is_clearly_not_shakespeare(tmp_path, network):
    network()
    with pytest.warns(UserWarning, match="OFFLINE FALLBACK.*NOT Shakespeare"):
        text = load_shakespeare(data_dir=tmp_path, download=False, fallback=True)
    assert text == load_python_docs()
    assert text.startswith("rnn_zoo OFFLINE FALLBACK corpus (NOT Shakespeare)")
    assert "First Citizen" not in text


def test_fallback_must_be_a_bool(network):
    network()
    with pytest.raises(TypeError, match="`fallback` must be a bool"):
        load_shakespeare(fallback="yes")


def test_python_docs_is_deterministic_and_large():
    from pydoc_data.topics import topics

    text = load_python_docs()
    assert text == load_python_docs()
    assert len(text) >= 300_000
    header, body = text.split("\n\n", 1)
    assert "pydoc_data.topics" in header
    first = sorted(topics)[0]
    assert body.startswith(topics[first])
    assert body.endswith(topics[sorted(topics)[-1]])


def test_load_text_corpus_dispatches(tmp_path, network, monkeypatch):
    network()
    assert TEXT_CORPORA == ("shakespeare", "python-docs")
    assert load_text_corpus("python-docs") == load_python_docs()
    calls = []
    monkeypatch.setattr(
        corpora, "load_shakespeare", lambda **kw: calls.append(kw) or "text"
    )
    assert load_text_corpus(data_dir=tmp_path, download=False) == "text"
    assert calls == [{"data_dir": tmp_path, "download": False}]
    with pytest.raises(ValueError, match="`name` must be one of 'shakespeare'"):
        load_text_corpus("poems")
