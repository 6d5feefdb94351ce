"""The Python prompt reader gives exactly the engine's readings (test/fixtures/interpret-vectors.json)."""

import json
import os

from training.mdm.interpret import PromptReader, edit_distance
from training.mdm.tokenizer import Tokenizer

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def _vectors():
    with open(os.path.join(ROOT, "test", "fixtures", "interpret-vectors.json"), encoding="utf-8") as f:
        return json.load(f)


def test_shared_vectors_read_exactly_as_the_engine_reads_them():
    v = _vectors()
    reader = PromptReader(v["vocab"], v["aliases"], v["interpret"])
    for case in v["cases"]:
        expected = {"text": case["text"], "changes": case["changes"]}
        if "recolour" in case:
            expected["recolour"] = case["recolour"]
        assert reader.read(case["prompt"]) == expected, case["prompt"]


def test_tokenizer_read_uses_its_bundle_table():
    v = _vectors()
    tok = Tokenizer(vocab=v["vocab"], aliases=v["aliases"], interpret=v["interpret"])
    assert tok.read("a kitty")["text"] == "a cat"
    assert Tokenizer.from_json(tok.to_json()).read("a crimson heart")["text"] == "a red heart"


def test_edit_distance_matches_the_typescript_rules():
    assert edit_distance("rokcet", "rocket", 2) == 1
    assert edit_distance("cat", "dog", 1) == 2
