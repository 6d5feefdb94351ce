import json
import os

from training.mdm.rng import Xoshiro128
from training.mdm.tokenizer import DEFAULT_ALIASES, Tokenizer, char_ngrams, fnv1a32, split_words

FIX = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures")


def test_rng_vectors_match_fixture():
    doc = json.load(open(os.path.join(FIX, "rng.json")))
    seeds = {v["seed"] for v in doc["vectors"]}
    assert {0, 4294967295} <= seeds
    for v in doc["vectors"]:
        r = Xoshiro128(v["seed"])
        assert [r.next() for _ in v["next"]] == v["next"]
        r = Xoshiro128(v["seed"])
        assert [r.uniform() for _ in v["uniforms"]] == v["uniforms"]
        r = Xoshiro128(v["seed"])
        assert [float(x) for x in r.normals(len(v["normals"]))] == v["normals"]


def test_rng_is_roughly_standard_normal():
    x = Xoshiro128(3).normals(20000)
    assert abs(float(x.mean())) < 0.03 and abs(float(x.std()) - 1) < 0.03


def test_fnv1a_known_values():
    # Published FNV-1a 32-bit test values.
    assert fnv1a32(b"") == 0x811C9DC5
    assert fnv1a32(b"a") == 0xE40C292C
    assert fnv1a32(b"foobar") == 0xBF9CF968


def test_words_and_ngrams():
    assert split_words("A Red-Apple!! café 猫の顔") == ["a", "red", "apple", "café", "猫の顔"]
    assert char_ngrams("a", 3) == ["<a>"]
    assert char_ngrams("cat", 3) == ["<ca", "cat", "at>"]


def test_tokenizer_vectors_round_trip():
    doc = json.load(open(os.path.join(FIX, "tokenizer-vectors.json")))
    tok = Tokenizer.load(os.path.join(FIX, doc["tokenizer"]))
    assert len(doc["cases"]) >= 30
    for case in doc["cases"]:
        tokens, ngrams = tok.encode(case["text"])
        assert tokens == case["tokens"], case["text"]
        assert ngrams == case["ngrams"], case["text"]
    assert Tokenizer.from_json(tok.to_json()).vocab == tok.vocab


def test_misspelled_word_shares_ngrams_with_known_word():
    tok = Tokenizer.build(["apple apple pie"], min_count=2)
    _, good = tok.encode("apple")
    toks, bad = tok.encode("appel")
    assert toks[1] == 1  # <unk>
    shared = set(good[1]) & set(bad[1]) - {0}
    assert len(shared) >= 2


def test_vocab_min_count_and_truncation():
    tok = Tokenizer.build(["red apple", "red heart", "apple"], min_count=2)
    assert tok.vocab[3:] == ["apple", "red"]
    tokens, ngrams = tok.encode(" ".join(["red"] * 40))
    assert len(tokens) == 24 and tokens[0] == 2 and all(t == tok.index["red"] for t in tokens[1:])
    assert all(len(row) == 12 for row in ngrams) and ngrams[0] == [0] * 12


def test_aliases_encode_the_as_a_and_round_trip():
    tok = Tokenizer.build(["a sun", "a sun", "sign of the horns", "sign of the horns"], min_count=2)
    assert tok.aliases == {"the": "a"} and "the" not in tok.vocab  # never produced, so no embedding row
    assert tok.encode("The sun") == tok.encode("a sun")
    assert tok.encode("the sun") != Tokenizer.build(["a sun"] * 2, min_count=2, aliases={}).encode("the sun")
    again = Tokenizer.from_json(tok.to_json())
    assert again.aliases == {"the": "a"} and again.encode("the sun") == tok.encode("a sun")


def test_checkpoints_gain_the_default_aliases_they_lack_but_bundles_do_not():
    old = Tokenizer.build(["a sun", "a sun", "the horns", "the horns"], min_count=2, aliases={}).to_json()
    assert "aliases" not in old
    assert Tokenizer.from_json(old).encode("the sun") != Tokenizer.from_json(old).encode("a sun")
    upgraded = Tokenizer.from_checkpoint(old)
    assert upgraded.encode("the sun") == upgraded.encode("a sun")
    assert upgraded.to_json()["aliases"] == DEFAULT_ALIASES
    # A checkpoint's own aliases win over the defaults.
    own = Tokenizer.build(["a sun"] * 2, min_count=2, aliases={"the": "the", "tiny": "small"}).to_json()
    assert Tokenizer.from_checkpoint(own).aliases == {**DEFAULT_ALIASES, "the": "the", "tiny": "small"}


def test_filler_words_are_dropped_from_prompts_and_get_no_vocabulary_row():
    caps = ["a pink heart", "a cute pink heart", "a cute pink heart", "a cat", "a cat"]
    tok = Tokenizer.build(caps, min_count=2, aliases=DEFAULT_ALIASES)
    assert "cute" not in tok.vocab and "" not in tok.vocab
    assert tok.encode("a cute cat") == tok.encode("a cat")
    assert tok.encode("a little photo of a cute cat") == tok.encode("a of a cat")
    plain = Tokenizer.build(caps, min_count=2, aliases={})
    assert plain.encode("a cute cat") != plain.encode("a cat")
