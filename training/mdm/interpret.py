"""Reading prompts as people write them: the twin of packages/core/src/interpret.ts.

The engine reads every prompt this way before tokenising it; the eval and the reference sampler must
read it the same way, so the steps and their order are the TypeScript file's, and the shared vectors
in test/fixtures/interpret-vectors.json keep the two in step (docs/model-bundle.md, "Reading prompts").
"""

from __future__ import annotations

import re
from typing import Dict, List, Optional, Sequence, Tuple

from .tokenizer import split_words

PICTURE_NOUNS = {"icon", "icons", "emoji", "emojis", "drawing", "illustration", "picture", "image", "sticker",
                 "clipart", "symbol", "logo", "sketch", "graphic", "photo", "photograph"}
CLAUSE_WORDS = {"for", "that", "which", "who", "representing", "symbolizing", "symbolising"}
ARTICLES = {"a", "an", "the", "some"}
# Colours hue can make (recolour.py's HUES; not imported, that module needs torch).
HUE_COLOURS = {"red", "orange", "yellow", "green", "blue", "purple", "pink"}
NOT_A_THING = {"and", "or", "with", "on", "in", "of", "a", "an", "to", "is", "color", "colour", "colored", "coloured"}
VOWEL_SOUND = re.compile(r"^(?:[aeio]|u(?!ni|s[eu]|ten|ku))")
IRREGULAR = {"children": "child", "mice": "mouse", "geese": "goose", "feet": "foot", "teeth": "tooth",
             "people": "person", "women": "woman", "men": "man", "oxen": "ox", "dice": "die", "leaves": "leaf",
             "knives": "knife", "wolves": "wolf", "loaves": "loaf"}
_LETTERS = re.compile(r"^[a-z]+$")

Change = Dict[str, str]


def lemmas(word: str) -> List[Tuple[str, str]]:
    out: List[Tuple[str, str]] = []
    if word in IRREGULAR:
        out.append((IRREGULAR[word], "plural"))
    if len(word) > 4 and word.endswith("ies"):
        out.append((word[:-3] + "y", "plural"))
    if len(word) > 4 and word.endswith("ves"):
        out += [(word[:-3] + "f", "plural"), (word[:-3] + "fe", "plural")]
    if len(word) > 3 and word.endswith("es"):
        out.append((word[:-2], "plural"))
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        out.append((word[:-1], "plural"))
    if len(word) > 5 and word.endswith("ing"):
        base = word[:-3]
        out += [(base, "inflection"), (base + "e", "inflection")]
        if len(base) >= 2 and base[-1] == base[-2]:
            out.append((base[:-1], "inflection"))
    if len(word) > 4 and word.endswith("ed"):
        base = word[:-2]
        out += [(base, "inflection"), (base + "e", "inflection")]
        if len(base) >= 2 and base[-1] == base[-2]:
            out.append((base[:-1], "inflection"))
    return out


def sound_of(word: str) -> str:
    """A word as it sounds, roughly: "ph" as "f", "ck" as "k", doubled letters once."""
    return re.sub(r"(.)\1+", r"\1", word.replace("ph", "f").replace("ck", "k"))


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance, or limit + 1 once it exceeds limit."""
    m, n = len(a), len(b)
    before = [0] * (n + 1)
    previous = list(range(n + 1))
    for i in range(1, m + 1):
        current = [0] * (n + 1)
        current[0] = i
        row_min = i
        for j in range(1, n + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d = min(d, before[j - 2] + 1)
            current[j] = d
            row_min = min(row_min, d)
        if row_min > limit:
            return limit + 1
        before, previous = previous, current
    return min(previous[n], limit + 1)


class PromptReader:
    def __init__(self, vocab: Sequence[str], aliases: Dict[str, str], table: Optional[dict] = None):
        self.known: Dict[str, int] = {}
        for i, w in enumerate(vocab):
            if i >= 3 and w not in self.known:
                self.known[w] = i
        for w in aliases:
            self.known.setdefault(w, len(vocab))
        self.table: Dict[str, Tuple[str, str]] = {}
        for to, reason, words in (table or {}).get("groups") or []:
            for w in words.split(" "):
                self.table.setdefault(w, (to, reason))
        self.keep = set(((table or {}).get("keep") or "").split(" ")) - {""}
        pairs = (table or {}).get("pairs")
        self.pairs = set(pairs) if pairs is not None else None
        self.candidates = [(w, sound_of(w)) for w in list(self.known) + list(self.table)
                           if len(w) >= 3 and _LETTERS.match(w)]

    def read(self, prompt: str) -> dict:
        changes: List[Change] = []
        words = split_words(prompt)
        words = self._move_style(words, changes)
        words = _drop_clause(words, changes)
        words = self._join_compounds(words, changes)
        out: List[str] = []
        for word in words:
            read = self._read_word(word)
            if read is None:
                out.append(word)
                continue
            changes.append({"from": word, "to": read[0], "reason": read[1]})
            if not read[0]:
                continue
            following = read[0].split(" ")
            if out and out[-1] in ("a", "an"):  # the article follows the word it now stands before
                out[-1] = "an" if VOWEL_SOUND.match(following[0]) else "a"
            out += following
        recolour = self._take_colour(out, changes) if self.pairs is not None else None
        return {"text": " ".join(out), "changes": changes, **({"recolour": recolour} if recolour else {})}

    def _take_colour(self, out: List[str], changes: List[Change]) -> Optional[str]:
        """The first hue colour before a known word it was never seen with, taken out of the words."""
        for i in range(len(out) - 1):
            colour, following = out[i], out[i + 1]
            if colour not in HUE_COLOURS or following not in self.known or following in NOT_A_THING:
                continue
            if f"{colour} {following}" in self.pairs:
                return None
            del out[i]
            if i > 0 and out[i - 1] in ("a", "an"):
                out[i - 1] = "an" if VOWEL_SOUND.match(following) else "a"
            changes.append({"from": colour, "to": "", "reason": "colour"})
            return colour
        return None

    def _join_compounds(self, words: List[str], changes: List[Change]) -> List[str]:
        """"paint brush" -> "paintbrush" when the joined word is known and seen more often than a part."""
        out: List[str] = []
        rank = lambda w: self.known.get(w, 2 ** 53 - 1)  # noqa: E731
        i = 0
        while i < len(words):
            a = words[i]
            b = words[i + 1] if i + 1 < len(words) else None
            if (b is not None and a + b in self.known and re.match(r"^[a-z]{2,}$", a)
                    and re.match(r"^[a-z]{2,}$", b) and self.known[a + b] < max(rank(a), rank(b))):
                changes.append({"from": f"{a} {b}", "to": a + b, "reason": "spelling"})
                out.append(a + b)
                i += 2
            else:
                out.append(a)
                i += 1
        return out

    def _move_style(self, words: List[str], changes: List[Change]) -> List[str]:
        if "of" not in words:
            return words
        of = words.index("of")
        if of < 1 or of > 4 or of == len(words) - 1 or words[of - 1] not in PICTURE_NOUNS:
            return words
        head = [w for w in words[:of] if w not in ARTICLES]
        changes.append({"from": " ".join(words[: of + 1]), "to": " ".join(head), "reason": "style"})
        return words[of + 1:] + head

    def _read_word(self, word: str) -> Optional[Tuple[str, str]]:
        if word in self.table:
            return self.table[word]
        if word in self.known or not re.search(r"[a-z]", word):
            return None
        for lemma, reason in lemmas(word):
            if lemma in self.known:
                return lemma, reason
            if lemma in self.table:
                return self.table[lemma]
        if word in self.keep or any(lemma in self.keep for lemma, _ in lemmas(word)):
            return None  # a real word the model lacks: "chat" is not a misspelt "cat"
        corrected = self._correct(word)
        for lemma, _ in lemmas(word) if corrected is None else []:  # "aples" through "aple"
            corrected = self._correct(lemma)
            if corrected is not None:
                break
        if corrected is None:
            return None
        return (self.table[corrected][0] if corrected in self.table else corrected), "spelling"

    def _correct(self, word: str) -> Optional[str]:
        if len(word) < 4 or not _LETTERS.match(word):
            return None
        limit = 2 if len(word) >= 10 else 1  # "spinning" must not become "grinning"
        sound = sound_of(word)
        best, best_d, best_rank = None, limit + 1, float("inf")
        for c, c_sound in self.candidates:
            if abs(len(c) - len(word)) > limit + 1:
                continue
            d = min(edit_distance(word, c, limit), edit_distance(sound, c_sound, limit) + 0.5)
            rank = self.known.get(c, 2 ** 53 - 1)
            if d < best_d or (d == best_d and (rank < best_rank or (rank == best_rank and c < (best or "~")))):
                best, best_d, best_rank = c, d, rank
        return best if best_d <= limit else None


def _drop_clause(words: List[str], changes: List[Change]) -> List[str]:
    for i, w in enumerate(words):
        if i >= 2 and w in CLAUSE_WORDS:
            changes.append({"from": " ".join(words[i:]), "to": "", "reason": "purpose"})
            return words[:i]
    return words
