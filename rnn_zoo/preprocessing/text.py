"""Character and word tokenizers: reserved ids, a deterministic vocabulary, JSON files.

Both tokenizers follow the scikit-learn contract: the constructor only stores its
arguments, ``fit(texts)`` learns the vocabulary and returns ``self``, and the
learned state lives in attributes ending in ``_``:

- ``vocabulary_``: list of tokens, the index of a token is its id;
- ``token_to_id_``: the inverse dict, token -> id.

Id layout (the same as ``keras.layers.StringLookup`` with a mask token and one OOV
index):

====  ==========================================================================
id    token
====  ==========================================================================
0     padding (``pad_token``: ``""`` for characters, ``"<pad>"`` for words)
1     unknown (``unk_token``: ``"\\ufffd"`` for characters, ``"<unk>"`` for words)
2, 3  ``start_token`` then ``end_token``, only those that were given
rest  the fitted tokens, most frequent first; ties by code point order
====  ==========================================================================

Text is normalised before it is split: lower-cased when ``lower=True``, then brought
to the Unicode normal form ``normalize`` (NFC by default, so ``"e\\u0301"`` and
``"\\u00e9"`` are the same token). Tokens of the text that equal a reserved or
start/end token get that token's id, as in ``StringLookup``.

Example:
    >>> from rnn_zoo.preprocessing import CharTokenizer
    >>> tok = CharTokenizer().fit("hello")
    >>> tok.vocabulary_
    ['', '\ufffd', 'l', 'e', 'h', 'o']
    >>> tok.encode("hello!")
    [4, 3, 2, 2, 5, 1]
    >>> tok.decode([4, 3, 2, 2, 5, 1, 0, 0])
    'hello\ufffd'
"""

from __future__ import annotations

import inspect
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from rnn_zoo._validation import (
    _is_int,
    check_fitted,
    check_int,
    check_one_of,
    check_type,
    error_message,
)

__all__ = ["CharTokenizer", "WordTokenizer", "WORD_PATTERN"]

NORMALIZATION_FORMS = ("NFC", "NFD", "NFKC", "NFKD", None)
FILE_VERSION = 1
SUPPORTED_FILE_VERSIONS = (1,)
_FILE_KEYS = ("format", "version", "config", "vocabulary")
WORD_PATTERN = r"\w+|[^\w\s]"
"""Default `WordTokenizer` split: runs of word characters, and each other
non-space character (punctuation) as a token of its own."""


def _as_texts(texts: Any, name: str) -> list[str]:
    """Return ``texts`` as a list of strings (a single string becomes ``[texts]``)."""
    if isinstance(texts, str):
        return [texts]
    allowed = "a string or an iterable of strings"
    if isinstance(texts, bytes | bytearray):
        raise TypeError(
            error_message(name, allowed, texts, "Decode bytes first: data.decode()")
        )
    if not isinstance(texts, Iterable):
        raise TypeError(error_message(name, allowed, texts))
    texts = list(texts)
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(error_message(f"{name}[{i}]", "a string", text))
    return texts


class _Tokenizer:
    """Shared machinery; subclasses define `_split`, `_join` and the reserved tokens."""

    pad_token: ClassVar[str]
    unk_token: ClassVar[str]
    pad_id: ClassVar[int] = 0
    unk_id: ClassVar[int] = 1

    def __init__(
        self,
        *,
        lower: bool = False,
        normalize: str | None = "NFC",
        max_tokens: int | None = None,
        min_freq: int = 1,
        start_token: str | None = None,
        end_token: str | None = None,
    ) -> None:
        self.lower = lower
        self.normalize = normalize
        self.max_tokens = max_tokens
        self.min_freq = min_freq
        self.start_token = start_token
        self.end_token = end_token

    # -- subclass hooks --------------------------------------------------------

    def _split(self, text: str) -> list[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def _join(self, tokens: list[str]) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def _token_problem(self, token: str) -> str | None:
        """Why ``token`` cannot be a fitted token of this tokenizer, or None."""
        return None if token else "is empty"

    # -- configuration -----------------------------------------------------------

    def _special_tokens(self) -> list[str]:
        tokens = [self.pad_token, self.unk_token]
        return tokens + [t for t in (self.start_token, self.end_token) if t is not None]

    @property
    def start_id(self) -> int | None:
        """Id of ``start_token`` (2), or None when no start token was given.

        Example:
            >>> CharTokenizer(start_token="<s>").start_id
            2
        """
        return None if self.start_token is None else 2

    @property
    def end_id(self) -> int | None:
        """Id of ``end_token`` (2, or 3 after a start token), or None.

        Example:
            >>> CharTokenizer(start_token="<s>", end_token="</s>").end_id
            3
        """
        return None if self.end_token is None else 2 + (self.start_token is not None)

    def _check_params(self) -> None:
        check_type(self.lower, "lower", bool, "True or False")
        check_one_of(self.normalize, "normalize", NORMALIZATION_FORMS)
        check_int(self.min_freq, "min_freq", minimum=1)
        reserved = [self.pad_token, self.unk_token]
        for name in ("start_token", "end_token"):
            value = getattr(self, name)
            if value is None:
                continue
            if not isinstance(value, str):
                raise TypeError(
                    error_message(name, "a non-empty string or None", value)
                )
            if not value:
                raise ValueError(
                    error_message(name, "a non-empty string or None", value)
                )
            if value in reserved:
                allowed = f"different from the other reserved tokens {reserved}"
                raise ValueError(error_message(name, allowed, value))
            reserved.append(value)
        check_int(self.max_tokens, "max_tokens", minimum=len(reserved), allow_none=True)

    def get_config(self) -> dict[str, Any]:
        """Return the constructor arguments as a JSON-serialisable dict.

        Returns:
            Dict of every constructor argument; ``from_config`` rebuilds an
            (unfitted) tokenizer from it. ``save`` stores it with the vocabulary.

        Example:
            >>> CharTokenizer(lower=True).get_config()["lower"]
            True
        """
        return {
            "lower": self.lower,
            "normalize": self.normalize,
            "max_tokens": self.max_tokens,
            "min_freq": self.min_freq,
            "start_token": self.start_token,
            "end_token": self.end_token,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]):
        """Build an unfitted tokenizer from ``get_config()`` output.

        Args:
            config: Dict of constructor arguments.

        Returns:
            A new, unfitted tokenizer.

        Raises:
            TypeError: If ``config`` is not a dict.
            ValueError: If ``config`` has unknown keys or invalid values.

        Example:
            >>> CharTokenizer.from_config({"max_tokens": 10}).max_tokens
            10
        """
        check_type(config, "config", dict, "a dict of constructor arguments")
        allowed = list(inspect.signature(cls.__init__).parameters)[1:]
        unknown = sorted(set(config) - set(allowed))
        if unknown:
            raise ValueError(
                error_message("config", f"a dict with keys among {allowed}", config)
                + f". Unknown keys: {unknown}"
            )
        tokenizer = cls(**config)
        tokenizer._check_params()
        return tokenizer

    def __repr__(self) -> str:
        defaults = inspect.signature(type(self).__init__).parameters
        changed = [
            f"{key}={value!r}"
            for key, value in self.get_config().items()
            if value != defaults[key].default
        ]
        return f"{type(self).__name__}({', '.join(changed)})"

    # -- fitting and encoding ------------------------------------------------------

    def _tokenize(self, text: str) -> list[str]:
        if self.lower:
            text = text.lower()
        if self.normalize is not None:
            text = unicodedata.normalize(self.normalize, text)
        return self._split(text)

    def tokenize(self, text: str) -> list[str]:
        """Normalise ``text`` (``lower``, ``normalize``) and split it into tokens.

        Needs no fitting. ``encode(text)`` maps exactly these tokens to ids.

        Args:
            text: The string to split.

        Returns:
            List of token strings.

        Raises:
            TypeError: If ``text`` is not a string.

        Example:
            >>> WordTokenizer(lower=True).tokenize("Hi, there!")
            ['hi', ',', 'there', '!']
        """
        self._check_params()
        check_type(text, "text", str, "a string")
        return self._tokenize(text)

    def fit(self, texts: str | Iterable[str]):
        """Learn the vocabulary from a corpus.

        Tokens seen fewer than ``min_freq`` times are left out; then the most
        frequent tokens are kept (ties broken by code point order, so the result
        never depends on input order beyond counts) until the vocabulary, reserved
        and start/end tokens included, holds ``max_tokens`` entries.

        Args:
            texts: One string (e.g. a whole book) or an iterable of strings (e.g.
                lines or sentences; a pandas Series works).

        Returns:
            ``self``, fitted.

        Raises:
            TypeError: If ``texts`` is not a string or holds a non-string.
            ValueError: If the corpus has no tokens, ``min_freq`` exceeds every
                token count, ``start_token``/``end_token`` occurs in the text
                (``decode`` would drop it), or a constructor argument is invalid.

        Example:
            >>> tok = CharTokenizer(max_tokens=4).fit(["abb", "cc"])
            >>> tok.vocabulary_  # 'b' and 'c' tie at 2; 'b' has the lower code point
            ['', '\ufffd', 'b', 'c']
        """
        self._check_params()
        counts: Counter[str] = Counter()
        for text in _as_texts(texts, "texts"):
            counts.update(self._tokenize(text))
        if not counts:
            raise ValueError(
                error_message("texts", "a non-empty corpus (at least one token)", texts)
            )
        for name in ("start_token", "end_token"):
            token = getattr(self, name)
            if token is not None and token in counts:
                raise ValueError(
                    f"`{name}` must not occur in the text: it would be encoded as "
                    f"the {name.split('_')[0]} id and dropped by `decode`. "
                    f"Received: {name}={token!r}, which occurs {counts[token]} "
                    "time(s) in `texts`. Use a token the text never contains, "
                    "e.g. '\\x02' / '\\x03' for characters or '<s>' / '</s>' "
                    "for words"
                )
        specials = self._special_tokens()
        for token in specials:
            counts.pop(token, None)
        kept = sorted(
            (t for t, n in counts.items() if n >= self.min_freq),
            key=lambda t: (-counts[t], t),
        )
        if counts and not kept:
            top = max(counts.values())
            raise ValueError(
                error_message(
                    "min_freq",
                    f"at most {top}, the highest token count, to keep any token",
                    self.min_freq,
                )
            )
        if self.max_tokens is not None:
            kept = kept[: self.max_tokens - len(specials)]
        self._set_vocabulary(specials + kept)
        return self

    def _set_vocabulary(self, vocabulary: list[str]) -> None:
        self.vocabulary_ = list(vocabulary)
        self.token_to_id_ = {token: i for i, token in enumerate(self.vocabulary_)}
        self._id_to_token = np.array(self.vocabulary_, dtype=object)
        skip = [self.pad_id, self.start_id, self.end_id]
        self._skipped_ids = np.array([i for i in skip if i is not None])

    @property
    def vocab_size(self) -> int:
        """Number of ids, reserved ones included (``len(vocabulary_)``).

        Use it as the ``input_dim`` of an ``Embedding`` and the width of the
        output layer of a language model.

        Raises:
            ValueError: If the tokenizer is not fitted.

        Example:
            >>> CharTokenizer(end_token="</s>").fit("abca").vocab_size  # 3 + 3 chars
            6
        """
        check_fitted(self, "vocabulary_")
        return len(self.vocabulary_)

    def _special_ids(self, add_special: Any) -> tuple[list[int], list[int]]:
        check_type(add_special, "add_special", bool, "True or False")
        if not add_special:
            return [], []
        if self.start_id is None and self.end_id is None:
            raise ValueError(
                error_message(
                    "add_special",
                    "False when neither `start_token` nor `end_token` is set",
                    add_special,
                    "Pass e.g. start_token='<s>', end_token='</s>' to the constructor",
                )
            )
        start = [] if self.start_id is None else [self.start_id]
        end = [] if self.end_id is None else [self.end_id]
        return start, end

    def _encode_one(self, text: str, start: list[int], end: list[int]) -> list[int]:
        get = self.token_to_id_.get
        unk = self.unk_id
        ids = [get(token, unk) for token in self._tokenize(text)]
        self._check_no_special(ids, text)
        return start + ids + end

    def _check_no_special(self, ids: Any, text: str) -> None:
        """Raise if the text itself holds a start/end token (decode would drop it)."""
        special = [i for i in (self.start_id, self.end_id) if i is not None]
        if special and np.isin(ids, special).any():
            tokens = [self.vocabulary_[i] for i in special]
            raise ValueError(
                error_message(
                    "text",
                    f"free of the start/end tokens {tokens}, which are reserved "
                    "for `add_special=True`",
                    text,
                    "Remove them from the text",
                )
            )

    def encode(
        self, text: str | Iterable[str], *, add_special: bool = False
    ) -> list[int] | list[list[int]]:
        """Map text to token ids; unknown tokens become 1.

        Args:
            text: A string, or an iterable of strings (a batch).
            add_special: Whether to add the start id in front and the end id at
                the back (those that were configured). Default False.

        Returns:
            For a string, a ``list[int]``; for an iterable of strings, a list of
            such lists (ragged; pad them with ``rnn_zoo.preprocessing.pad``).

        Raises:
            ValueError: If not fitted, ``add_special=True`` without start/end
                tokens, or the text contains a start/end token.
            TypeError: If ``text`` is neither a string nor strings.

        Example:
            >>> tok = CharTokenizer(start_token="<s>", end_token="</s>").fit("ab")
            >>> tok.encode("abc", add_special=True)
            [2, 4, 5, 1, 3]
            >>> tok.encode(["b", "aa"])
            [[5], [4, 4]]
        """
        check_fitted(self, "vocabulary_")
        start, end = self._special_ids(add_special)
        if isinstance(text, str):
            return self._encode_one(text, start, end)
        return [self._encode_one(t, start, end) for t in _as_texts(text, "text")]

    def encode_array(
        self, text: str, *, add_special: bool = False, dtype: Any = "int32"
    ) -> np.ndarray:
        """Encode one (long) string into a 1-D NumPy array of ids.

        The fast path for a whole corpus, e.g. before ``make_windows`` (about a
        tenth of a second per megabyte of characters).

        Args:
            text: A string.
            add_special: As in ``encode``. Default False.
            dtype: An integer NumPy dtype that can hold ``vocab_size - 1``.
                Default ``"int32"``.

        Returns:
            Array of shape ``(n_tokens,)`` and dtype ``dtype``.

        Raises:
            ValueError: If not fitted, or ``dtype`` cannot hold every id.
            TypeError: If ``text`` is not a string or ``dtype`` not integer.

        Example:
            >>> CharTokenizer().fit("hello").encode_array("hole")
            array([4, 5, 2, 3], dtype=int32)
        """
        check_fitted(self, "vocabulary_")
        check_type(text, "text", str, "a string")
        try:
            np_dtype = np.dtype(dtype)
        except TypeError:
            np_dtype = np.dtype(object)
        if np_dtype.kind not in "iu":
            raise TypeError(error_message("dtype", "an integer NumPy dtype", dtype))
        if np.iinfo(np_dtype).max < self.vocab_size - 1:
            raise ValueError(
                error_message(
                    "dtype",
                    f"able to hold id {self.vocab_size - 1}",
                    dtype,
                    "Use int32",
                )
            )
        start, end = self._special_ids(add_special)
        return np.array(self._encode_one(text, start, end), dtype=np_dtype)

    def _check_ids(self, ids: Any) -> np.ndarray:
        allowed = "a 1-D list, tuple or array of integer ids"
        if isinstance(ids, list | tuple):
            if not all(map(_is_int, ids)):
                raise TypeError(error_message("ids", allowed, ids))
            ids = np.array(ids, dtype=np.int64)
        elif hasattr(ids, "__array__"):  # NumPy arrays, tf / torch tensors
            ids = np.asarray(ids)
            if ids.dtype.kind not in "iu":
                raise TypeError(error_message("ids", allowed, ids))
        else:
            raise TypeError(error_message("ids", allowed, ids))
        if ids.ndim != 1:
            raise ValueError(
                error_message(
                    "ids",
                    allowed,
                    ids,
                    "Decode a batch row by row: [decode(r) for r in x]",
                )
            )
        bad = np.flatnonzero((ids < 0) | (ids >= len(self.vocabulary_)))
        if bad.size:
            i = int(bad[0])
            raise ValueError(
                f"`ids` must contain integers in [0, {len(self.vocabulary_)}) "
                f"(0 to vocab_size - 1). Received: ids[{i}]={int(ids[i])}"
            )
        return ids

    def decode(self, ids: Any) -> str:
        """Map ids back to text.

        Padding (0) and the start/end ids are skipped; the unknown id (1) is shown
        as ``unk_token`` (``"\\ufffd"`` for characters, ``"<unk>"`` for words).

        Args:
            ids: A 1-D list, tuple or NumPy array (or tensor) of integer ids.

        Returns:
            The text. ``CharTokenizer`` concatenates the characters, so
            ``decode(encode(t))`` is the normalised ``t`` wherever every character
            is known; ``WordTokenizer`` joins tokens with single spaces.

        Raises:
            ValueError: If not fitted, ``ids`` is not 1-D, or an id is outside
                ``[0, vocab_size)``.
            TypeError: If ``ids`` holds non-integers (floats, bools, strings).

        Example:
            >>> CharTokenizer().fit("hello").decode(np.array([4, 5, 2, 3, 0]))
            'hole'
        """
        check_fitted(self, "vocabulary_")
        ids = self._check_ids(ids)
        kept = ids[~np.isin(ids, self._skipped_ids)]
        return self._join(self._id_to_token[kept].tolist())

    # -- interop and files -------------------------------------------------------

    def save(self, path: str | Path) -> None:
        """Write the tokenizer to a versioned JSON file (never pickle).

        The file is ``{"format": "rnn_zoo.<Class>", "version": 1, "config":
        get_config(), "vocabulary": vocabulary_}`` in UTF-8.

        Args:
            path: Destination file path.

        Raises:
            ValueError: If the tokenizer is not fitted.

        Example:
            >>> import tempfile
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     WordTokenizer().fit("to be").save(f"{folder}/tok.json")
            ...     json.loads(Path(f"{folder}/tok.json").read_text())["vocabulary"]
            ['<pad>', '<unk>', 'be', 'to']
        """
        check_fitted(self, "vocabulary_")
        payload = {
            "format": f"rnn_zoo.{type(self).__name__}",
            "version": FILE_VERSION,
            "config": self.get_config(),
            "vocabulary": self.vocabulary_,
        }
        text = json.dumps(payload, ensure_ascii=False, indent=1)
        Path(path).write_text(text + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path):
        """Read a tokenizer written by ``save``, checking the file thoroughly.

        Args:
            path: A file written by ``save`` of this class.

        Returns:
            A fitted tokenizer whose ``encode`` equals the saved one's.

        Raises:
            FileNotFoundError: If ``path`` does not exist.
            ValueError: If the file is not valid JSON (corrupted, truncated), was
                written by another class, has an unsupported version, or holds an
                invalid vocabulary (duplicates, misplaced reserved tokens).

        Example:
            >>> import tempfile
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     CharTokenizer(lower=True).fit("Hello").save(f"{folder}/tok.json")
            ...     CharTokenizer.load(f"{folder}/tok.json").encode("hello")
            [4, 3, 2, 2, 5]
        """
        expected = f"rnn_zoo.{cls.__name__}"

        def fail(problem: str) -> ValueError:
            allowed = f"a {cls.__name__} file written by `{cls.__name__}.save`"
            return ValueError(error_message("path", allowed, Path(path), problem))

        try:
            payload = json.loads(Path(path).read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise fail(f"It is not valid JSON ({exc}); it may be truncated") from None
        if not isinstance(payload, dict) or not set(_FILE_KEYS) <= set(payload):
            raise fail(f"It needs the keys {', '.join(_FILE_KEYS)}")
        if payload["format"] != expected:
            raise fail(
                f"Its format is {payload['format']!r}, not {expected!r}; load it with "
                "the matching class"
            )
        if payload["version"] not in SUPPORTED_FILE_VERSIONS:
            raise fail(
                f"Its version {payload['version']!r} is not supported. Supported "
                f"versions: {list(SUPPORTED_FILE_VERSIONS)}"
            )
        try:
            tokenizer = cls.from_config(payload["config"])
        except (TypeError, ValueError) as exc:
            raise fail(f"Its config is invalid: {exc}") from None
        problem = tokenizer._vocabulary_problem(payload["vocabulary"])
        if problem is not None:
            raise fail(problem)
        tokenizer._set_vocabulary(payload["vocabulary"])
        return tokenizer

    def _vocabulary_problem(self, vocabulary: Any) -> str | None:
        """Describe what is wrong with a loaded vocabulary, or return None."""
        if not isinstance(vocabulary, list) or not all(
            isinstance(t, str) for t in vocabulary
        ):
            return "Its vocabulary must be a list of strings"
        specials = self._special_tokens()
        if vocabulary[: len(specials)] != specials:
            return (
                f"Its vocabulary must start with the reserved tokens {specials} "
                f"(id 0 padding, id 1 unknown, then start/end); it starts with "
                f"{vocabulary[: len(specials)]}"
            )
        first_id: dict[str, int] = {}
        for i, token in enumerate(vocabulary):
            if token in first_id:
                return f"Its vocabulary repeats {token!r} at ids {first_id[token]}, {i}"
            first_id[token] = i
            problem = self._token_problem(token) if i >= len(specials) else None
            if problem is not None:
                return f"Its vocabulary token {token!r} at id {i} {problem}"
        if self.max_tokens is not None and len(vocabulary) > self.max_tokens:
            return f"Its vocabulary has {len(vocabulary)} > max_tokens entries"
        return None


class CharTokenizer(_Tokenizer):
    """Character-level tokenizer: one token per Unicode code point.

    Reserved tokens: ``pad_token = ""`` (id 0, decodes to nothing) and
    ``unk_token = "\\ufffd"`` (id 1, the Unicode replacement character, which is
    also what ``decode`` shows for unknown characters). Note that tokens are code
    points, not user-perceived characters: with ``normalize="NFD"`` an accented
    letter is two tokens.

    Args:
        lower: Whether to lower-case text before normalising. Default False.
        normalize: Unicode normal form applied to all text: "NFC" (default),
            "NFD", "NFKC", "NFKD", or None for none.
        max_tokens: Cap on ``vocab_size``, reserved and start/end tokens
            included; None (default) keeps every token.
        min_freq: Minimum count for a token to enter the vocabulary. Default 1.
        start_token: Optional start-of-sequence token (e.g. ``"<s>"``), id 2.
        end_token: Optional end-of-sequence token (e.g. ``"</s>"``), id 2 or 3.

    Attributes:
        vocabulary_: List of tokens; index = id. Set by ``fit`` / ``load``.
        token_to_id_: Dict token -> id.

    Example:
        >>> tok = CharTokenizer(lower=True).fit(["Abba", "cab"])
        >>> tok.vocabulary_[2:], tok.vocab_size
        (['a', 'b', 'c'], 5)
        >>> tok.encode("Cabz")
        [4, 2, 3, 1]
        >>> tok.decode(tok.encode("Cabz"))
        'cab\ufffd'
    """

    pad_token: ClassVar[str] = ""
    unk_token: ClassVar[str] = "\ufffd"

    def _split(self, text: str) -> list[str]:
        return list(text)

    def _join(self, tokens: list[str]) -> str:
        return "".join(tokens)

    def _token_problem(self, token: str) -> str | None:
        return None if len(token) == 1 else "is not a single character"


class WordTokenizer(_Tokenizer):
    """Word-level tokenizer: tokens are the matches of a regular expression.

    The default ``split``, ``WORD_PATTERN = r"\\w+|[^\\w\\s]"``, makes each run of
    word characters a token and each punctuation mark a token of its own:
    ``"Hi, you!"`` -> ``["Hi", ",", "you", "!"]``. Whitespace only separates.
    ``decode`` joins tokens with single spaces, so ``decode(encode(x))`` equals
    ``" ".join(tokenize(x))`` (unknown words shown as ``"<unk>"``), not
    necessarily ``x``.

    Reserved tokens: ``pad_token = "<pad>"`` (id 0) and ``unk_token = "<unk>"``
    (id 1). The default pattern never produces them (``<`` and ``>`` are split
    off), a custom one might, and then they get the reserved ids.

    Args:
        split: Regular expression whose matches are the tokens (empty matches are
            dropped). Default ``WORD_PATTERN``. ``r"\\S+"`` splits on whitespace.
        lower: Whether to lower-case text before normalising. Default False.
        normalize: Unicode normal form applied to all text: "NFC" (default),
            "NFD", "NFKC", "NFKD", or None. Keep a composed form (NFC/NFKC) with
            the default pattern: ``\\w`` does not match combining accents.
        max_tokens: Cap on ``vocab_size``, reserved and start/end tokens
            included; None (default) keeps every token.
        min_freq: Minimum count for a token to enter the vocabulary. Default 1.
        start_token: Optional start-of-sequence token (e.g. ``"<s>"``), id 2.
        end_token: Optional end-of-sequence token (e.g. ``"</s>"``), id 2 or 3.

    Attributes:
        vocabulary_: List of tokens; index = id. Set by ``fit`` / ``load``.
        token_to_id_: Dict token -> id.

    Example:
        >>> tok = WordTokenizer(lower=True).fit(["The cat.", "The dog!"])
        >>> tok.vocabulary_
        ['<pad>', '<unk>', 'the', '!', '.', 'cat', 'dog']
        >>> tok.encode("The cow.")
        [2, 1, 4]
        >>> tok.decode([2, 1, 4, 0])
        'the <unk> .'
    """

    pad_token: ClassVar[str] = "<pad>"
    unk_token: ClassVar[str] = "<unk>"

    def __init__(
        self,
        *,
        split: str = WORD_PATTERN,
        lower: bool = False,
        normalize: str | None = "NFC",
        max_tokens: int | None = None,
        min_freq: int = 1,
        start_token: str | None = None,
        end_token: str | None = None,
    ) -> None:
        super().__init__(
            lower=lower,
            normalize=normalize,
            max_tokens=max_tokens,
            min_freq=min_freq,
            start_token=start_token,
            end_token=end_token,
        )
        self.split = split

    def _check_params(self) -> None:
        check_type(self.split, "split", str, "a regular expression string")
        try:
            re.compile(self.split)
        except re.error as exc:
            raise ValueError(
                error_message(
                    "split", "a valid regular expression", self.split, str(exc)
                )
            ) from None
        super()._check_params()

    def get_config(self) -> dict[str, Any]:
        """Return the constructor arguments (``split`` included) as a dict.

        Returns:
            Dict of every constructor argument.

        Example:
            >>> WordTokenizer(split=r"\\S+").get_config()["split"]
            '\\\\S+'
        """
        return {"split": self.split, **super().get_config()}

    def _split(self, text: str) -> list[str]:
        return [m.group(0) for m in re.finditer(self.split, text) if m.group(0)]

    def _join(self, tokens: list[str]) -> str:
        return " ".join(tokens)
