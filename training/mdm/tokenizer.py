"""Word + hashed character n-gram tokenizer (docs/model-bundle.md, "tokenizer.json").

Words outside the vocabulary still get their n-grams, so misspelled or unseen words land near known
ones instead of collapsing to <unk>. The TypeScript engine implements the same rules; the shared
vectors in test/fixtures/tokenizer-vectors.json keep the two in step.
"""

from __future__ import annotations

import collections
import json
import unicodedata
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

PAD, UNK, BOS = 0, 1, 2
SPECIALS = ["<pad>", "<unk>", "<bos>"]

# Words encoded as another word. Captions say "a sun", and "the" occurs in the emoji corpus only
# inside two hand names ("sign of the horns", "index pointing at the viewer"), so a model learns
# "the" as a hand cue and "the sun" draws a hand. Articles carry no content: "the" is read as "a".
ARTICLE_ALIASES: Dict[str, str] = {"the": "a"}
# Words people put in prompts that say nothing about which emoji to draw, and that the captions use
# for one or two pictures only ("cute" and "adorable" are keywords of a pink heart, "little" of a
# pinching hand, "photo" of a camera, "picture" of a framed picture), so the model had learned them
# as cues for those pictures: "a cute cat" drew a box, "a photo of an apple" a camera-like blob.
# They are aliased to "" (dropped) in prompts and captions alike.
FILLER_WORDS = ("adorable", "beautiful", "big", "cool", "cute", "drawing", "funny", "icon", "illustration",
                "image", "little", "lovely", "nice", "photo", "picture", "pretty", "shiny", "tiny")
DEFAULT_ALIASES: Dict[str, str] = {**ARTICLE_ALIASES, **{w: "" for w in FILLER_WORDS}}


def fnv1a32(data: bytes) -> int:
    h = 0x811C9DC5
    for b in data:
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def _is_word_char(ch: str) -> bool:
    o = ord(ch)
    return o >= 0x80 or ("a" <= ch <= "z") or ("0" <= ch <= "9")


def split_words(text: str) -> List[str]:
    text = unicodedata.normalize("NFKC", text).lower()
    words: List[str] = []
    cur: List[str] = []
    for ch in text:  # Python strings iterate code points, which is what the contract asks for
        if _is_word_char(ch):
            cur.append(ch)
        elif cur:
            words.append("".join(cur))
            cur = []
    if cur:
        words.append("".join(cur))
    return words


def char_ngrams(word: str, n: int) -> List[str]:
    w = "<" + word + ">"
    if len(w) <= n:
        return [w]
    return [w[i : i + n] for i in range(len(w) - n + 1)]


@dataclass
class Tokenizer:
    vocab: List[str]
    max_tokens: int = 24
    ngram_n: int = 3
    ngram_buckets: int = 4096
    ngrams_per_token: int = 12
    aliases: Dict[str, str] = field(default_factory=dict)
    interpret: Optional[dict] = None  # the prompt-reading table (mdm/interpret.py); None in older bundles

    def __post_init__(self) -> None:
        if self.vocab[:3] != SPECIALS:
            raise ValueError(f"vocab must start with {SPECIALS}")
        self.index = {w: i for i, w in enumerate(self.vocab)}
        self._reader = None

    def read(self, prompt: str) -> dict:
        """The prompt read onto the vocabulary as the engine reads it: {"text", "changes"}; encode "text"."""
        if self._reader is None:
            from .interpret import PromptReader

            self._reader = PromptReader(self.vocab, self.aliases, self.interpret)
        return self._reader.read(prompt)

    @staticmethod
    def build(
        captions: Iterable[str], min_count: int = 2, max_vocab: int = 0, **kwargs
    ) -> "Tokenizer":
        """Vocabulary = words seen at least `min_count` times, most frequent first (ties alphabetical)."""
        aliases = kwargs.setdefault("aliases", dict(ARTICLE_ALIASES))
        counts = collections.Counter(aliases.get(w, w) for c in captions for w in split_words(c))
        counts.pop("", None)  # words aliased to "" are dropped
        words = sorted((w for w, k in counts.items() if k >= min_count), key=lambda w: (-counts[w], w))
        if max_vocab:
            words = words[: max_vocab - len(SPECIALS)]
        return Tokenizer(vocab=SPECIALS + words, **kwargs)

    @staticmethod
    def for_config(text_cfg, captions: Iterable[str], aliases: Optional[Dict[str, str]] = None) -> "Tokenizer":
        """The tokenizer a model config asks for, with its vocabulary built from `captions`."""
        return Tokenizer.build(
            captions,
            aliases=dict(ARTICLE_ALIASES if aliases is None else aliases),
            min_count=text_cfg.min_word_count,
            max_tokens=text_cfg.max_tokens,
            ngram_n=text_cfg.ngram_n,
            ngram_buckets=text_cfg.ngram_buckets,
            ngrams_per_token=text_cfg.ngrams_per_token,
        )

    def extended(self, captions: Iterable[str], min_count: int = 2) -> "Tokenizer":
        """This tokenizer with the words of `captions` it lacks appended (most frequent first): every
        old word keeps its id, so a trained model's embeddings stay valid."""
        counts = collections.Counter(self.aliases.get(w, w) for c in captions for w in split_words(c))
        counts.pop("", None)
        new = sorted((w for w, k in counts.items() if k >= min_count and w not in self.index),
                     key=lambda w: (-counts[w], w))
        return Tokenizer(vocab=self.vocab + new, max_tokens=self.max_tokens, ngram_n=self.ngram_n,
                         ngram_buckets=self.ngram_buckets, ngrams_per_token=self.ngrams_per_token,
                         aliases=dict(self.aliases))  # a new vocabulary needs its own interpret table

    def encode(self, text: str) -> Tuple[List[int], List[List[int]]]:
        words = [a for a in (self.aliases.get(w, w) for w in split_words(text)) if a][: self.max_tokens - 1]
        tokens = [BOS] + [self.index.get(w, UNK) for w in words]
        ngrams = [[0] * self.ngrams_per_token]
        for w in words:
            ids = [
                1 + fnv1a32(g.encode("utf-8")) % self.ngram_buckets
                for g in char_ngrams(w, self.ngram_n)[: self.ngrams_per_token]
            ]
            ngrams.append(ids + [0] * (self.ngrams_per_token - len(ids)))
        pad = self.max_tokens - len(tokens)
        tokens += [PAD] * pad
        ngrams += [[0] * self.ngrams_per_token for _ in range(pad)]
        return tokens, ngrams

    def encode_batch(self, texts: Sequence[str]):
        import numpy as np

        toks = np.zeros((len(texts), self.max_tokens), dtype=np.int64)
        grams = np.zeros((len(texts), self.max_tokens, self.ngrams_per_token), dtype=np.int64)
        for i, t in enumerate(texts):
            a, b = self.encode(t)
            toks[i] = a
            grams[i] = b
        return toks, grams

    def to_json(self) -> dict:
        d = {
            "type": "matryoshka-word-ngram",
            "version": 1,
            "maxTokens": self.max_tokens,
            "ngram": {
                "n": self.ngram_n,
                "buckets": self.ngram_buckets,
                "perToken": self.ngrams_per_token,
                "hash": "fnv1a32",
            },
            "vocab": self.vocab,
        }
        if self.aliases:  # optional field: bundles without it encode exactly as before
            d["aliases"] = dict(sorted(self.aliases.items()))
        if self.interpret:
            d["interpret"] = self.interpret
        return d

    @staticmethod
    def from_json(d: dict) -> "Tokenizer":
        if d.get("type") != "matryoshka-word-ngram" or d.get("version") != 1:
            raise ValueError("not a matryoshka-word-ngram v1 tokenizer")
        ng = d["ngram"]
        return Tokenizer(
            vocab=list(d["vocab"]),
            max_tokens=d["maxTokens"],
            ngram_n=ng["n"],
            ngram_buckets=ng["buckets"],
            ngrams_per_token=ng["perToken"],
            aliases=dict(d.get("aliases", {})),
            interpret=d.get("interpret"),
        )

    @staticmethod
    def from_checkpoint(d: dict) -> "Tokenizer":
        """A training checkpoint's tokenizer with every alias of DEFAULT_ALIASES it lacks added (its own
        win), so a resumed run, its exported bundle and the reference sampler all encode prompts alike."""
        tok = Tokenizer.from_json(d)
        tok.aliases = {**DEFAULT_ALIASES, **tok.aliases}
        return tok

    def save(self, path: str) -> None:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.to_json(), f, ensure_ascii=False, separators=(",", ":"))

    @staticmethod
    def load(path: str) -> "Tokenizer":
        with open(path, encoding="utf-8") as f:
            return Tokenizer.from_json(json.load(f))
