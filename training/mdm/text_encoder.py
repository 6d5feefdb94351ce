"""A small text encoder trained jointly with the UNet (ml-mdm uses a frozen T5; we cannot ship one).

Each token is its word embedding plus the mean of its hashed character n-gram embeddings, so an
unknown or misspelled word (id <unk>) still carries its spelling. A few pre-norm transformer layers
with a padding mask mix the tokens. Outputs: per-token features for cross-attention and a masked
mean for the timestep embedding.
"""

from __future__ import annotations

from typing import Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

from .config import TextConfig
from .layers import LayerNorm32, attention, merge_heads, split_heads


class TransformerLayer(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.norm1 = LayerNorm32(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.norm2 = LayerNorm32(dim)
        self.ff = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        q, k, v = self.qkv(self.norm1(x)).chunk(3, dim=-1)
        h = attention(split_heads(q, self.heads), split_heads(k, self.heads), split_heads(v, self.heads), mask)
        x = x + self.proj(merge_heads(h))
        return x + self.ff(self.norm2(x))


class TextEncoder(nn.Module):
    def __init__(self, cfg: TextConfig, vocab_size: int):
        super().__init__()
        self.cfg = cfg
        self.word = nn.Embedding(vocab_size, cfg.dim, padding_idx=0)
        self.ngram = nn.Embedding(cfg.ngram_buckets + 1, cfg.dim, padding_idx=0)
        self.pos = nn.Parameter(torch.zeros(cfg.max_tokens, cfg.dim))
        nn.init.normal_(self.word.weight, std=0.02)
        nn.init.normal_(self.ngram.weight, std=0.02)
        nn.init.normal_(self.pos, std=0.02)
        with torch.no_grad():
            self.word.weight[0].zero_()
            self.ngram.weight[0].zero_()
        self.layers = nn.ModuleList([TransformerLayer(cfg.dim, cfg.heads) for _ in range(cfg.layers)])
        self.norm = LayerNorm32(cfg.dim)

    def forward(self, tokens: torch.Tensor, ngrams: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Returns (token features [B, L, D], pooled [B, D], mask [B, L] bool)."""
        mask = tokens != 0
        count = (ngrams != 0).sum(-1, keepdim=True).clamp(min=1).to(self.ngram.weight.dtype)
        x = self.word(tokens) + self.ngram(ngrams).sum(2) / count + self.pos[None, : tokens.shape[1]]
        for layer in self.layers:
            x = layer(x, mask)
        x = self.norm(x)
        m = mask.unsqueeze(-1).to(x.dtype)
        pooled = (x * m).sum(1) / m.sum(1).clamp(min=1.0)
        return x, pooled, mask
