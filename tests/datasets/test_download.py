"""fetch(): lookup order, checksums, atomic cached downloads, retry and offline errors.

The network is never touched: ``urllib.request.urlopen`` is replaced by a fake that
serves bytes or raises, and a tiny data set is registered for the duration of a test.
"""

from __future__ import annotations

import hashlib
import http.client
import io
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from rnn_zoo.datasets import download
from rnn_zoo.datasets.download import (
    DATASETS,
    ChecksumError,
    DatasetInfo,
    DatasetUnavailableError,
    default_cache_dir,
    fetch,
    sha256_of,
)

ROOT = Path(__file__).resolve().parents[2]
GOOD = b"hello, recurrent world\n"
GOOD_SHA = hashlib.sha256(GOOD).hexdigest()


class FakeResponse:
    def __init__(self, data: bytes, fail_after: int | None = None):
        self._buffer = io.BytesIO(data)
        self._fail_after = fail_after

    def read(self, size: int = -1) -> bytes:
        if self._fail_after is not None and self._buffer.tell() >= self._fail_after:
            raise http.client.IncompleteRead(b"")
        return self._buffer.read(size if self._fail_after is None else 4)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class FakeNetwork:
    """Stands in for urlopen: each call takes the next outcome (bytes or error)."""

    def __init__(self, *outcomes):
        self.outcomes = list(outcomes)
        self.calls = []

    def __call__(self, url, timeout=None):
        self.calls.append((url, timeout))
        if not self.outcomes:
            raise AssertionError("unexpected download")
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome if isinstance(outcome, FakeResponse) else FakeResponse(outcome)


@pytest.fixture
def tiny(monkeypatch):
    """Register a 23-byte data set, unset RNN_ZOO_DATA_DIR, make retries instant."""
    info = DatasetInfo(
        name="tiny",
        filename="tiny.txt",
        url="https://example.invalid/tiny.txt",
        sha256=GOOD_SHA,
        size=len(GOOD),
        licence="CC0",
        source="a test",
    )
    monkeypatch.setitem(DATASETS, "tiny", info)
    monkeypatch.delenv("RNN_ZOO_DATA_DIR", raising=False)
    monkeypatch.setattr(download, "_RETRY_DELAY_S", 0.0)
    return info


def offline(monkeypatch, *outcomes) -> FakeNetwork:
    network = FakeNetwork(*outcomes)
    monkeypatch.setattr(urllib.request, "urlopen", network)
    return network


def test_download_verifies_and_writes_the_cache(tiny, tmp_path, monkeypatch):
    network = offline(monkeypatch, GOOD)
    path = fetch("tiny", data_dir=tmp_path / "cache")
    assert path == tmp_path / "cache" / "tiny.txt"
    assert path.read_bytes() == GOOD
    assert network.calls == [(tiny.url, download._TIMEOUT_S)]
    assert download._TIMEOUT_S > 0
    assert sorted(p.name for p in path.parent.iterdir()) == ["tiny.txt"]
    # a second call reads the cache and does not download
    assert fetch("tiny", data_dir=tmp_path / "cache") == path
    assert len(network.calls) == 1


def test_checksum_mismatch_raises_and_leaves_no_file(tiny, tmp_path, monkeypatch):
    offline(monkeypatch, b"<html>captive portal</html>")
    bad_sha = hashlib.sha256(b"<html>captive portal</html>").hexdigest()
    with pytest.raises(ChecksumError, match=f"sha256 {bad_sha}, expected {GOOD_SHA}"):
        fetch("tiny", data_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_transient_error_is_retried_once(tiny, tmp_path, monkeypatch):
    network = offline(monkeypatch, urllib.error.URLError("reset"), GOOD)
    assert fetch("tiny", data_dir=tmp_path).read_bytes() == GOOD
    assert len(network.calls) == 2


def test_truncated_transfer_is_retried_and_leaves_no_partial_file(
    tiny, tmp_path, monkeypatch
):
    network = offline(monkeypatch, FakeResponse(GOOD, fail_after=8), GOOD)
    assert fetch("tiny", data_dir=tmp_path).read_bytes() == GOOD
    assert len(network.calls) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["tiny.txt"]


def test_offline_error_says_how_to_supply_the_file(tiny, tmp_path, monkeypatch):
    network = offline(
        monkeypatch, urllib.error.URLError("no route"), TimeoutError("timed out")
    )
    with pytest.raises(DatasetUnavailableError) as info:
        fetch("tiny", data_dir=tmp_path)
    message = str(info.value)
    assert isinstance(info.value, OSError)
    assert len(network.calls) == 2
    for needle in ("tried twice", "timed out", "RNN_ZOO_DATA_DIR", "path=", tiny.url):
        assert needle in message
    assert GOOD_SHA in message
    assert list(tmp_path.iterdir()) == []


def test_no_download_when_disabled(tiny, tmp_path, monkeypatch):
    network = offline(monkeypatch)
    with pytest.raises(
        DatasetUnavailableError, match="download=False.*RNN_ZOO_DATA_DIR"
    ):
        fetch("tiny", data_dir=tmp_path, download=False)
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    monkeypatch.setenv("RNN_ZOO_DATA_DIR", str(mirror))
    with pytest.raises(DatasetUnavailableError) as info:
        fetch("tiny", data_dir=tmp_path, download=False)
    assert f"looked in RNN_ZOO_DATA_DIR='{mirror}' and '{tmp_path}'" in str(info.value)
    assert network.calls == []


def test_env_dir_is_used_before_the_cache(tiny, tmp_path, monkeypatch):
    offline(monkeypatch)
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "tiny.txt").write_bytes(GOOD)
    monkeypatch.setenv("RNN_ZOO_DATA_DIR", str(mirror))
    assert fetch("tiny", data_dir=tmp_path / "cache") == mirror / "tiny.txt"
    assert not (tmp_path / "cache").exists()


def test_env_dir_without_the_file_falls_back_to_the_cache(tiny, tmp_path, monkeypatch):
    offline(monkeypatch)
    monkeypatch.setenv("RNN_ZOO_DATA_DIR", str(tmp_path))
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "tiny.txt").write_bytes(GOOD)
    assert fetch("tiny", data_dir=cache) == cache / "tiny.txt"


def test_empty_env_var_counts_as_unset(tiny, tmp_path, monkeypatch):
    offline(monkeypatch, GOOD)
    monkeypatch.setenv("RNN_ZOO_DATA_DIR", "")
    assert fetch("tiny", data_dir=tmp_path) == tmp_path / "tiny.txt"


def test_env_dir_that_does_not_exist_is_an_error(tiny, tmp_path, monkeypatch):
    offline(monkeypatch)
    missing = tmp_path / "nowhere"
    monkeypatch.setenv("RNN_ZOO_DATA_DIR", str(missing))
    with pytest.raises(
        ValueError, match="`RNN_ZOO_DATA_DIR` must be an existing directory"
    ) as info:
        fetch("tiny", data_dir=tmp_path)
    assert str(missing) in str(info.value)


def test_explicit_path_wins_and_must_exist(tiny, tmp_path, monkeypatch):
    offline(monkeypatch)
    mine = tmp_path / "my copy.txt"
    mine.write_bytes(GOOD)
    assert fetch("tiny", path=mine) == mine
    assert fetch("tiny", path=str(mine)) == mine
    with pytest.raises(ValueError, match="`path` must be an existing file") as info:
        fetch("tiny", path=tmp_path / "missing.txt")
    assert "missing.txt" in str(info.value)


@pytest.mark.parametrize("where", ["path", "env", "cache"])
def test_corrupt_local_copy_names_the_file_and_both_hashes(
    tiny, tmp_path, monkeypatch, where
):
    offline(monkeypatch)
    corrupt = tmp_path / "tiny.txt"
    corrupt.write_bytes(GOOD.upper())
    kwargs = {"data_dir": tmp_path}
    if where == "path":
        kwargs = {"path": corrupt}
    elif where == "env":
        monkeypatch.setenv("RNN_ZOO_DATA_DIR", str(tmp_path))
        kwargs = {"data_dir": tmp_path / "cache"}
    with pytest.raises(ChecksumError) as info:
        fetch("tiny", **kwargs)
    message = str(info.value)
    assert isinstance(info.value, ValueError)
    assert str(corrupt) in message
    assert hashlib.sha256(GOOD.upper()).hexdigest() in message
    assert f"expected {GOOD_SHA}" in message
    assert corrupt.read_bytes() == GOOD.upper()  # never deleted behind the user's back


def test_argument_errors(tiny, monkeypatch):
    offline(monkeypatch)
    with pytest.raises(ValueError, match="`name` must be one of .*'tinyshakespeare'"):
        fetch("shakespeare")
    with pytest.raises(TypeError, match="`path` must be a path"):
        fetch("tiny", path=3)
    with pytest.raises(TypeError, match="`data_dir` must be a path"):
        fetch("tiny", data_dir=["a"])
    with pytest.raises(TypeError, match="`download` must be a bool"):
        fetch("tiny", download="yes")


def test_default_cache_dir_is_the_checkout_datasets_folder():
    assert (ROOT / "datasets" / "manifest.json").is_file()
    assert default_cache_dir() == ROOT / "datasets"


def test_default_cache_dir_outside_a_checkout(tmp_path, monkeypatch):
    monkeypatch.setattr(download, "_PACKAGE_PARENT", tmp_path / "site-packages")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "rnn_zoo"


def test_sha256_of_matches_hashlib(tmp_path):
    file = tmp_path / "abc"
    file.write_bytes(b"abc" * 50_000)  # several read chunks
    assert sha256_of(file) == hashlib.sha256(b"abc" * 50_000).hexdigest()


# ---------------------------- issue 11 row 8: retry transient errors only, say why


def _http_error(code: int, reason: str) -> urllib.error.HTTPError:
    return urllib.error.HTTPError(
        "https://example.invalid/tiny.txt", code, reason, None, None
    )


@pytest.mark.parametrize(
    ("error", "needle"),
    [
        (_http_error(404, "Not Found"), "HTTP 404"),
        (_http_error(403, "Forbidden"), "HTTP 403"),
        (PermissionError(13, "Permission denied"), "Permission denied"),
    ],
)
def test_permanent_errors_are_not_retried_and_not_called_offline(
    tiny, tmp_path, monkeypatch, error, needle
):
    network = offline(monkeypatch, error, GOOD)
    with pytest.raises(DatasetUnavailableError) as info:
        fetch("tiny", data_dir=tmp_path)
    message = str(info.value)
    assert len(network.calls) == 1  # no retry
    assert needle in message
    assert "offline" not in message and "tried twice" not in message
    assert "RNN_ZOO_DATA_DIR" in message  # still says how to supply the file


def test_server_errors_are_retried(tiny, tmp_path, monkeypatch):
    network = offline(monkeypatch, _http_error(503, "Service Unavailable"), GOOD)
    assert fetch("tiny", data_dir=tmp_path).read_bytes() == GOOD
    assert len(network.calls) == 2
