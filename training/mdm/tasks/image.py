"""The image task: text-to-image pictures from packed SVG renders (training/data/pack.mjs)."""

from __future__ import annotations

from typing import Optional

import torch

from ..config import ModelConfig
from ..data import Batcher, Dataset
from ..diffusion import pyramid
from ..model import MatryoshkaModel
from ..tokenizer import Tokenizer


class ImageTask:
    kind = "image"

    def __init__(self, cfg: ModelConfig, data: Dataset, heldout: Optional[Dataset] = None):
        self.cfg, self.data, self.heldout = cfg, data, heldout

    def new_model(self, vocab_size: int, levels: int) -> MatryoshkaModel:
        return MatryoshkaModel(self.cfg, vocab_size, num_levels=levels)

    def batcher(self, tok: Tokenizer, seed: int) -> Batcher:
        tc = self.cfg.train
        return Batcher(self.data, tok, tc.caption_dropout, seed=seed, balance=tc.balance, recolour=tc.recolour,
                       shares=tc.family_shares)

    def batch(self, batcher: Batcher, n: int, model: MatryoshkaModel):
        x, toks, grams = batcher.next(n, model.resolutions[0])
        return pyramid(x, model.resolutions), toks, grams

    def heldout_batch(self, tok: Tokenizer, model: MatryoshkaModel, n: int = 64):
        """Fixed held-out images and their first captions (None without held-out data)."""
        if self.heldout is None or len(self.heldout) == 0:
            return None
        x = self.heldout.images[:n]
        toks, grams = tok.encode_batch([c[0] for c in self.heldout.captions[:n]])
        return pyramid(x, model.resolutions), torch.from_numpy(toks), torch.from_numpy(grams)

    def lr_scale(self, name: str) -> float:
        return 1.0

    def checkpoint_keys(self, model) -> dict:
        return {}


def extend_word_embeddings(ck: dict, vocab_size: int) -> dict:
    """The checkpoint with its word-embedding tables grown to `vocab_size` rows of zeros (old rows
    kept) and no optimizer state, whose moments would not fit the new table."""
    ck = dict(ck)
    for key in ("model", "ema"):
        if key not in ck:
            continue
        sd = dict(ck[key])
        w = sd["text_encoder.word.weight"]
        sd["text_encoder.word.weight"] = torch.cat([w, w.new_zeros(vocab_size - w.shape[0], w.shape[1])])
        ck[key] = sd
    ck.pop("optimizer", None)
    ck.pop("rng", None)
    return ck
