"""Building blocks shared by the text encoder and the NestedUNet.

Written for torch 1.13 CPU and torch 2.x CUDA alike: attention is plain matmul + softmax (no SDPA),
and normalisation layers run in fp32 under bf16 autocast (CPU GroupNorm crashes on bf16 input with
fp32 weights in torch 1.13, and fp32 statistics are the safer choice anyway).
"""

from __future__ import annotations

import math
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F


class GroupNorm32(nn.GroupNorm):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dtype == torch.float32 and not torch.is_autocast_enabled() and not _cpu_autocast():
            return super().forward(x)
        with _no_autocast(x):
            return F.group_norm(x.float(), self.num_groups, self.weight, self.bias, self.eps).to(x.dtype)


class LayerNorm32(nn.LayerNorm):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dtype == torch.float32 and not torch.is_autocast_enabled() and not _cpu_autocast():
            return super().forward(x)
        with _no_autocast(x):
            return F.layer_norm(x.float(), self.normalized_shape, self.weight, self.bias, self.eps).to(x.dtype)


def _cpu_autocast() -> bool:
    return torch.is_autocast_cpu_enabled()


class _no_autocast:
    def __init__(self, x: torch.Tensor):
        self.ctx = torch.autocast(device_type=x.device.type, enabled=False)

    def __enter__(self):
        self.ctx.__enter__()

    def __exit__(self, *a):
        self.ctx.__exit__(*a)


def zero_module(m: nn.Module) -> nn.Module:
    for p in m.parameters():
        nn.init.zeros_(p)
    return m


def attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, key_mask: Optional[torch.Tensor]) -> torch.Tensor:
    """q: [B, H, Nq, D], k/v: [B, H, Nk, D], key_mask: [B, Nk] bool (True = attend) or None.

    Softmax in fp32: bf16 logits lose the small differences that matter for peaked attention.
    """
    scale = 1.0 / math.sqrt(q.shape[-1])
    scores = torch.matmul(q, k.transpose(-1, -2)).float() * scale
    if key_mask is not None:
        scores = scores.masked_fill(~key_mask[:, None, None, :], -1e9)
    w = torch.softmax(scores, dim=-1).to(v.dtype)
    return torch.matmul(w, v)


def split_heads(x: torch.Tensor, heads: int) -> torch.Tensor:
    b, n, c = x.shape
    return x.reshape(b, n, heads, c // heads).transpose(1, 2)


def merge_heads(x: torch.Tensor) -> torch.Tensor:
    b, h, n, d = x.shape
    return x.transpose(1, 2).reshape(b, n, h * d)


def timestep_embedding(t: torch.Tensor, dim: int, scale: float = 1000.0) -> torch.Tensor:
    """Sinusoidal features of the continuous time t in [0, 1] (scaled like a 1000-step schedule)."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, device=t.device, dtype=torch.float32) / half)
    args = (t.float() * scale)[:, None] * freqs[None, :]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)
