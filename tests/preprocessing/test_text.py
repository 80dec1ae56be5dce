"""Tests for rnn_zoo.preprocessing.text: CharTokenizer and WordTokenizer."""

from __future__ import annotations

import json
import unicodedata

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_zoo.preprocessing import CharTokenizer, WordTokenizer

UNK = "\ufffd"
CORPUS = "the cat sat on the mat. Ça va? Über!"


def _saved(tok, tmp_path, edit=None):
    """Save ``tok`` to JSON, optionally edit the payload, return the path."""
    path = tmp_path / "tok.json"
    tok.save(path)
    if edit is not None:
        payload = json.loads(path.read_text(encoding="utf-8"))
        edit(payload)
        path.write_text(json.dumps(payload), encoding="utf-8")
    return path


# -- vocabulary order and ids ---------------------------------------------------------


def test_char_golden_ids():
    tok = CharTokenizer().fit("hello")
    assert tok.vocabulary_ == ["", UNK, "l", "e", "h", "o"]
    assert tok.token_to_id_ == {"": 0, UNK: 1, "l": 2, "e": 3, "h": 4, "o": 5}
    assert tok.vocab_size == 6
    assert tok.encode("hello") == [4, 3, 2, 2, 5]
    assert tok.encode("") == []
    assert tok.decode([4, 3, 2, 2, 5]) == "hello"


def test_word_golden_ids():
    tok = WordTokenizer().fit(["the cat, the dog.", "a cat!"])
    # the:2 cat:2 (tie -> 'cat' < 'the'), then singles by code point: ! , . a dog
    assert tok.vocabulary_ == [
        "<pad>", "<unk>", "cat", "the", "!", ",", ".", "a", "dog"
    ]  # fmt: skip
    assert tok.tokenize("the cat, the dog.") == ["the", "cat", ",", "the", "dog", "."]
    assert tok.encode("the cow.") == [3, 1, 6]
    assert tok.decode([3, 1, 6, 0, 0]) == "the <unk> ."


@pytest.mark.parametrize(
    ("cls", "texts", "expected"),
    [
        (CharTokenizer, "ba", ["a", "b"]),
        (CharTokenizer, "aAb", ["A", "a", "b"]),  # 'A' (65) < 'a' (97)
        (CharTokenizer, ["zz", "y", "é", "x"], ["z", "x", "y", "é"]),
        (WordTokenizer, "b a B ab", ["B", "a", "ab", "b"]),
        (WordTokenizer, ["dog cat", "cat"], ["cat", "dog"]),
    ],
)
def test_frequency_then_code_point_order(cls, texts, expected):
    assert cls().fit(texts).vocabulary_[2:] == expected


def test_order_does_not_depend_on_input_order():
    a = CharTokenizer().fit(["abc", "cba", "xyz"]).vocabulary_
    b = CharTokenizer().fit(["zyx", "abc", "cab"]).vocabulary_
    assert a == b


def test_max_tokens_counts_reserved_and_special_tokens():
    tok = CharTokenizer(max_tokens=4).fit("aaabbc")
    assert tok.vocabulary_ == ["", UNK, "a", "b"]
    assert tok.encode("abc") == [2, 3, 1]
    tok = CharTokenizer(max_tokens=5, start_token="<s>", end_token="</s>").fit("aab")
    assert tok.vocabulary_ == ["", UNK, "<s>", "</s>", "a"]
    assert tok.vocab_size == 5
    assert CharTokenizer(max_tokens=2).fit("ab").vocabulary_ == ["", UNK]
    assert CharTokenizer(max_tokens=100).fit("ab").vocab_size == 4


def test_min_freq_drops_rare_tokens():
    tok = WordTokenizer(min_freq=2).fit("a b a c b a")
    assert tok.vocabulary_ == ["<pad>", "<unk>", "a", "b"]
    assert tok.encode("c a") == [1, 2]


def test_refit_starts_from_scratch():
    tok = CharTokenizer().fit("ab")
    assert tok.fit("xy").vocabulary_[2:] == ["x", "y"]


# -- normalisation ------------------------------------------------------------------


def test_nfc_makes_composed_and_decomposed_the_same_token():
    tok = CharTokenizer().fit("caf\u00e9")
    assert tok.encode("cafe\u0301") == tok.encode("caf\u00e9") == [3, 2, 4, 5]
    assert tok.decode(tok.encode("cafe\u0301")) == "caf\u00e9"


def test_normalize_forms():
    assert CharTokenizer(normalize="NFD").tokenize("\u00e9") == ["e", "\u0301"]
    assert CharTokenizer(normalize=None).tokenize("e\u0301") == ["e", "\u0301"]
    assert CharTokenizer(normalize="NFKC").tokenize("\ufb01") == ["f", "i"]
    tok = CharTokenizer(normalize=None).fit("\u00e9")
    assert tok.encode("e\u0301") == [1, 1]


def test_lower():
    tok = WordTokenizer(lower=True).fit("The THE the")
    assert tok.vocabulary_ == ["<pad>", "<unk>", "the"]
    assert tok.encode("tHe") == [2]
    assert CharTokenizer().fit("Aa").encode("A") == [2]  # case kept by default


def test_word_split_pattern():
    assert WordTokenizer().tokenize("Hi, you're\tdone!") == [
        "Hi", ",", "you", "'", "re", "done", "!"
    ]  # fmt: skip
    assert WordTokenizer(split=r"\S+").tokenize("Hi, you!") == ["Hi,", "you!"]
    # groups in the pattern do not change the tokens; empty matches are dropped
    assert WordTokenizer(split=r"(a)b|\w*").tokenize("ab cd") == ["ab", "cd"]


def test_text_tokens_equal_to_reserved_tokens_get_their_ids():
    tok = WordTokenizer(split=r"\S+", start_token="<s>").fit("a <pad> b")
    assert tok.vocabulary_ == ["<pad>", "<unk>", "<s>", "a", "b"]
    assert tok.encode("a <pad> <unk>") == [3, 0, 1]
    # a start token in the text itself would vanish in decode: an error instead
    with pytest.raises(ValueError, match="`start_token` must not occur in the text"):
        WordTokenizer(split=r"\S+", start_token="<s>").fit("a <pad> <s> b")


# -- start / end tokens ---------------------------------------------------------------


def test_start_and_end_tokens():
    tok = CharTokenizer(start_token="<s>", end_token="</s>").fit("ab")
    assert tok.vocabulary_ == ["", UNK, "<s>", "</s>", "a", "b"]
    assert (tok.start_id, tok.end_id) == (2, 3)
    assert tok.encode("ba") == [5, 4]
    assert tok.encode("ba", add_special=True) == [2, 5, 4, 3]
    assert tok.decode([2, 5, 4, 3, 0, 0]) == "ba"
    assert tok.encode(["a", ""], add_special=True) == [[2, 4, 3], [2, 3]]


def test_only_end_token():
    tok = WordTokenizer(end_token="</s>").fit("hi")
    assert (tok.start_id, tok.end_id) == (None, 2)
    assert tok.encode("hi", add_special=True) == [3, 2]
    assert tok.decode([3, 2]) == "hi"


def test_add_special_needs_start_or_end_token():
    tok = CharTokenizer().fit("ab")
    with pytest.raises(ValueError, match="`add_special` must be False when neither"):
        tok.encode("a", add_special=True)
    with pytest.raises(TypeError, match="`add_special` must be True or False"):
        tok.encode("a", add_special=1)


# -- encode / decode ------------------------------------------------------------------


def test_unknown_markers():
    chars = CharTokenizer().fit("ab")
    assert chars.encode("axb") == [2, 1, 3]
    assert chars.decode(chars.encode("axb")) == f"a{UNK}b"
    words = WordTokenizer().fit("a b")
    assert words.decode(words.encode("a x b")) == "a <unk> b"


def test_encode_batch_and_iterables():
    tok = CharTokenizer().fit("ab")
    assert tok.encode(["ab", "", "ba"]) == [[2, 3], [], [3, 2]]
    assert tok.encode(("a",)) == [[2]]
    assert tok.encode(t for t in ["b"]) == [[3]]
    assert tok.encode(np.array(["ab", "b"])) == [[2, 3], [3]]


def test_encode_array():
    tok = CharTokenizer(end_token="</s>").fit("hello")
    ids = tok.encode_array("hole", add_special=True)
    assert ids.dtype == np.int32
    np.testing.assert_array_equal(ids, [5, 6, 3, 4, 2])
    assert tok.encode_array("hol", dtype=np.uint8).dtype == np.uint8
    assert tok.decode(ids) == "hole"


def test_decode_accepts_lists_tuples_arrays():
    tok = CharTokenizer().fit("hello")
    assert tok.decode([]) == ""
    assert tok.decode((4, 5)) == "ho"
    assert tok.decode([np.int64(4), np.int32(5)]) == "ho"
    assert tok.decode(np.array([4, 5], dtype=np.uint8)) == "ho"
    assert tok.decode(np.array([0, 1, 0])) == UNK


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "\u00e9", "e\u0301", " ", ",", ".", "Z", "b", "\n"]))
)
def test_char_round_trip_property(pieces):
    text = "".join(pieces)  # only fitted characters, "e\u0301" composes to "\u00e9"
    tok = CharTokenizer().fit("a é,.Zb\n")
    normalised = unicodedata.normalize("NFC", text)
    assert tok.decode(tok.encode(text)) == normalised
    ids = tok.encode(text, add_special=False)
    assert len(ids) == len(normalised)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=20))
def test_char_unknowns_become_one_marker_each(text):
    tok = CharTokenizer(lower=True).fit("hello world")
    normalised = unicodedata.normalize("NFC", text.lower())
    expected = "".join(c if c in tok.token_to_id_ else UNK for c in normalised)
    assert tok.decode(tok.encode(text)) == expected


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["cat", "dog", ",", "!", "Über", "x"]), max_size=8))
def test_word_round_trip_property(words):
    tok = WordTokenizer().fit("cat dog , ! Über")
    text = " ".join(words)
    expected = " ".join("<unk>" if w == "x" else w for w in words)
    assert (
        tok.decode(tok.encode(text))
        == expected
        == " ".join("<unk>" if t == "x" else t for t in tok.tokenize(text))
    )


# -- config, repr, save / load ------------------------------------------------------


def test_get_config_from_config_and_repr():
    tok = WordTokenizer(lower=True, split=r"\S+", max_tokens=9, start_token="<s>")
    config = tok.get_config()
    assert config == {
        "split": r"\S+",
        "lower": True,
        "normalize": "NFC",
        "max_tokens": 9,
        "min_freq": 1,
        "start_token": "<s>",
        "end_token": None,
    }
    clone = WordTokenizer.from_config(config)
    assert clone.get_config() == config
    assert not hasattr(clone, "vocabulary_")
    assert repr(tok) == (
        "WordTokenizer(split='\\\\S+', lower=True, max_tokens=9, start_token='<s>')"
    )
    assert repr(CharTokenizer()) == "CharTokenizer()"


@pytest.mark.parametrize(
    "tok",
    [
        CharTokenizer(lower=True, start_token="<s>", end_token="</s>", min_freq=1),
        WordTokenizer(split=r"\S+", normalize="NFKC", max_tokens=8),
    ],
    ids=["char", "word"],
)
def test_save_load_round_trip(tok, tmp_path):
    tok.fit(CORPUS)
    path = _saved(tok, tmp_path)
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert payload["format"] == f"rnn_zoo.{type(tok).__name__}"
    assert payload["version"] == 1
    assert payload["vocabulary"] == tok.vocabulary_
    assert "\\u" not in path.read_text(encoding="utf-8")  # UTF-8, not \\u escapes
    loaded = type(tok).load(str(path))
    assert loaded.get_config() == tok.get_config()
    assert loaded.vocabulary_ == tok.vocabulary_
    sample = "The bat sat. ça! zz"
    assert loaded.encode(sample) == tok.encode(sample)
    assert loaded.decode(tok.encode(sample)) == tok.decode(tok.encode(sample))


# -- errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "use",
    [
        lambda t: t.encode("a"),
        lambda t: t.encode_array("a"),
        lambda t: t.decode([0]),
        lambda t: t.vocab_size,
        lambda t: t.save("never.json"),
    ],
    ids=["encode", "encode_array", "decode", "vocab_size", "save"],
)
@pytest.mark.parametrize("cls", [CharTokenizer, WordTokenizer])
def test_not_fitted(cls, use):
    match = f"This {cls.__name__} instance is not fitted yet. Call `fit` first."
    with pytest.raises(ValueError, match=match):
        use(cls())


@pytest.mark.parametrize(
    ("ids", "match"),
    [
        ([2, 6], r"`ids` must contain integers in \[0, 6\) .*Received: ids\[1\]=6"),
        (np.array([-1, 2]), r"in \[0, 6\) .*Received: ids\[0\]=-1"),
        ([[2, 3]], "`ids` must be a 1-D list, tuple or array of integer ids"),
        (np.array([[2, 3]]), "`ids` must be a 1-D .*Decode a batch row by row"),
    ],
)
def test_decode_bad_values(ids, match):
    tok = CharTokenizer().fit("hello")
    with pytest.raises((ValueError, TypeError), match=match):
        tok.decode(ids)


@pytest.mark.parametrize(
    "ids", [[2.0, 3], np.array([2.0]), [True], np.array([True]), ["a"], 3, "23", None]
)
def test_decode_rejects_non_integers(ids):
    with pytest.raises(TypeError, match="`ids` must be a 1-D list, tuple or array"):
        CharTokenizer().fit("hello").decode(ids)


@pytest.mark.parametrize(
    ("texts", "match"),
    [
        (["ok", 3], r"`texts\[1\]` must be a string. Received: texts\[1\]=3"),
        (b"bytes", "`texts` must be a string or an iterable of strings.*decode"),
        (None, "`texts` must be a string or an iterable of strings"),
        (42, "Received: texts=42"),
    ],
)
def test_fit_rejects_non_strings(texts, match):
    with pytest.raises(TypeError, match=match):
        CharTokenizer().fit(texts)


@pytest.mark.parametrize(
    ("cls", "texts"),
    [(CharTokenizer, ""), (CharTokenizer, []), (WordTokenizer, ["  ", "\n"])],
)
def test_fit_rejects_empty_corpus(cls, texts):
    with pytest.raises(ValueError, match="`texts` must be a non-empty corpus"):
        cls().fit(texts)


def test_min_freq_above_every_count():
    with pytest.raises(ValueError, match="`min_freq` must be at most 2, the highest"):
        CharTokenizer(min_freq=3).fit("aab")


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"max_tokens": 1}, ValueError, "`max_tokens` must be an integer >= 2 or None"),
        ({"max_tokens": 0}, ValueError, "Received: max_tokens=0"),
        ({"max_tokens": 3.0}, TypeError, "`max_tokens` must be an integer >= 2"),
        ({"max_tokens": "3"}, TypeError, "`max_tokens` must be an integer >= 2"),
        (
            {"max_tokens": 3, "start_token": "<s>", "end_token": "</s>"},
            ValueError,
            "`max_tokens` must be an integer >= 4 or None. Received: max_tokens=3",
        ),
        ({"min_freq": 0}, ValueError, "`min_freq` must be a positive integer"),
        ({"min_freq": 1.5}, TypeError, "`min_freq` must be a positive integer"),
        ({"normalize": "NFX"}, ValueError, "`normalize` must be one of 'NFC', 'NFD'"),
        ({"lower": "yes"}, TypeError, "`lower` must be True or False"),
        ({"start_token": ""}, ValueError, "`start_token` must be a non-empty string"),
        ({"end_token": 5}, TypeError, "`end_token` must be a non-empty string"),
        (
            {"start_token": "<s>", "end_token": "<s>"},
            ValueError,
            "`end_token` must be different from the other reserved tokens",
        ),
        ({"start_token": UNK}, ValueError, "`start_token` must be different"),
    ],
)
def test_bad_constructor_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        CharTokenizer(**kwargs).fit("abc")


def test_bad_split_pattern():
    with pytest.raises(ValueError, match="`split` must be a valid regular expression"):
        WordTokenizer(split="(").fit("a")
    with pytest.raises(TypeError, match="`split` must be a regular expression string"):
        WordTokenizer(split=None).tokenize("a")
    with pytest.raises(TypeError, match="`text` must be a string"):
        WordTokenizer().tokenize(["a"])


def test_from_config_errors():
    with pytest.raises(ValueError, match=r"`config` must be a dict with keys among"):
        CharTokenizer.from_config({"lower": True, "split": r"\S+"})
    with pytest.raises(TypeError, match="`config` must be a dict"):
        CharTokenizer.from_config([("lower", True)])
    with pytest.raises(ValueError, match="`min_freq` must be a positive integer"):
        CharTokenizer.from_config({"min_freq": 0})


def test_encode_errors():
    tok = CharTokenizer().fit("ab")
    with pytest.raises(TypeError, match=r"`text\[0\]` must be a string"):
        tok.encode([1])
    with pytest.raises(TypeError, match="`text` must be a string or an iterable"):
        tok.encode(None)
    with pytest.raises(TypeError, match="`text` must be a string. Received: text="):
        tok.encode_array(["ab"])
    with pytest.raises(TypeError, match="`dtype` must be an integer NumPy dtype"):
        tok.encode_array("ab", dtype="float32")
    with pytest.raises(TypeError, match="`dtype` must be an integer NumPy dtype"):
        tok.encode_array("ab", dtype="not a dtype")
    big = CharTokenizer().fit([chr(c) for c in range(300, 600)])
    with pytest.raises(ValueError, match="`dtype` must be able to hold id 301"):
        big.encode_array("a", dtype=np.int8)


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (
            lambda p: p["vocabulary"].append("a"),
            "repeats 'a' at ids 2, 4",
        ),
        (
            lambda p: p["vocabulary"].pop(0),
            "must start with the reserved tokens",
        ),
        (
            lambda p: p["vocabulary"].__setitem__(1, "?"),
            "must start with the reserved tokens",
        ),
        (lambda p: p.update(version=2), r"version 2 is not supported. Supported versi"),
        (
            lambda p: p.update(format="rnn_zoo.WordTokenizer"),
            "format is 'rnn_zoo.WordTokenizer', not 'rnn_zoo.CharTokenizer'",
        ),
        (lambda p: p.pop("config"), "needs the keys format, version, config, vocab"),
        (lambda p: p.update(vocabulary="abc"), "vocabulary must be a list of strings"),
        (
            lambda p: p["vocabulary"].append("xy"),
            "token 'xy' at id 4 is not a single character",
        ),
        (
            lambda p: p["config"].update(max_tokens=3),
            "vocabulary has 4 > max_tokens entries",
        ),
        (
            lambda p: p["config"].update(normalize="NFX"),
            "config is invalid: `normalize` must be one of",
        ),
    ],
)
def test_load_rejects_bad_files(tmp_path, edit, match):
    path = _saved(CharTokenizer().fit("aab"), tmp_path, edit)
    with pytest.raises(ValueError, match=match) as info:
        CharTokenizer.load(path)
    assert str(path) in str(info.value)
    assert "`path` must be a CharTokenizer file written by `CharTokenizer.save`" in (
        str(info.value)
    )


def test_load_rejects_word_vocabulary_problems(tmp_path):
    def add_empty(payload):
        payload["vocabulary"].append("")

    path = _saved(WordTokenizer().fit("a b"), tmp_path, add_empty)
    with pytest.raises(ValueError, match="token '' at id 4 is empty"):
        WordTokenizer.load(path)
    path = _saved(WordTokenizer().fit("a b"), tmp_path)
    with pytest.raises(ValueError, match="not 'rnn_zoo.CharTokenizer'"):
        CharTokenizer.load(path)


@pytest.mark.parametrize(
    "content",
    [b"", b'{"format": "rnn_zoo.CharTokenizer", "vers', b"\xff\xfe\x00garbage", b"[1,"],
    ids=["empty", "truncated", "binary", "corrupted"],
)
def test_load_rejects_invalid_json(tmp_path, content):
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="It is not valid JSON") as info:
        CharTokenizer.load(path)
    assert str(path) in str(info.value)


def test_load_json_that_is_not_an_object(tmp_path):
    path = tmp_path / "list.json"
    path.write_text("[1, 2]")
    with pytest.raises(ValueError, match="needs the keys format, version"):
        CharTokenizer.load(path)


def test_load_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        CharTokenizer.load(tmp_path / "missing.json")


# ------------------------------------------------- issue 11 row 4: special tokens


@pytest.mark.parametrize("name", ["start_token", "end_token"])
def test_special_token_that_is_a_text_character_is_an_error(name):
    # Before the fix "banana" encoded and decoded as "bnn": the 'a's became the
    # start id, which decode drops.
    with pytest.raises(ValueError, match=f"`{name}` must not occur in the text"):
        CharTokenizer(**{name: "a"}).fit("banana")


def test_special_token_not_in_the_text_still_round_trips():
    tok = CharTokenizer(start_token="\x02", end_token="\x03").fit("banana")
    assert tok.decode(tok.encode("banana", add_special=True)) == "banana"


def test_encoding_a_special_token_character_is_an_error():
    tok = CharTokenizer(start_token="^").fit("banana")
    with pytest.raises(ValueError, match="`text` must be free of the start/end tokens"):
        tok.encode("ba^n")
