"""NestedUNet: the Matryoshka Diffusion Model (Gu et al., ICLR 2024), read top to bottom.

A UNet at resolution R whose middle is a whole UNet at a lower resolution, recursively:

    x_64 -> conv_in -> res blocks -> down ─┐                       ┌─> up -> res blocks -> out -> v_64
                                           in_adapter (zero init)  out_adapter (zero init)
    x_32 ───────────────> conv_in ──(+)────┴─> [UNet at 32 ... ] ──┘
                                                  └── same again around the 16 px UNet

Each level takes its own noisy image through its own input conv, receives the outer level's
features through a zero-initialised adapter added to that conv's output, and emits its own
prediction; its top features return outward through another zero-initialised adapter. Because both
adapters start at zero, wrapping a trained UNet in a new outer level leaves the inner one's output
exactly unchanged, which is what makes progressive growth (16 -> 32 -> 64) work.

Text: every level adds a projection of the pooled text embedding to its timestep embedding, and
attention blocks cross-attend to the token features (fused with self-attention as in ml-mdm: one
query, keys/values from the image and from the LayerNorm'd text, outputs summed).
"""

from __future__ import annotations

from typing import List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

from .config import LevelConfig, ModelConfig
from .layers import GroupNorm32, LayerNorm32, attention, merge_heads, split_heads, timestep_embedding, zero_module
from .schedule import Schedule
from .text_encoder import TextEncoder


class ResBlock(nn.Module):
    def __init__(self, cin: int, cout: int, temb_dim: int, groups: int, dropout: float):
        super().__init__()
        self.norm1 = GroupNorm32(groups, cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.temb = nn.Linear(temb_dim, 2 * cout)  # scale and shift (FiLM), as in ADM / ml-mdm
        self.norm2 = GroupNorm32(groups, cout)
        self.dropout = nn.Dropout(dropout)
        self.conv2 = zero_module(nn.Conv2d(cout, cout, 3, padding=1))
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x: torch.Tensor, temb: torch.Tensor) -> torch.Tensor:
        h = self.conv1(F.silu(self.norm1(x)))
        scale, shift = self.temb(F.silu(temb))[:, :, None, None].chunk(2, dim=1)
        h = self.norm2(h) * (1 + scale) + shift
        h = self.conv2(self.dropout(F.silu(h)))
        return self.skip(x) + h


class AttentionBlock(nn.Module):
    """mode "cross": queries attend to the text only; "full": to the image and the text, summed."""

    def __init__(self, ch: int, text_dim: int, heads: int, groups: int, mode: str):
        super().__init__()
        self.heads, self.mode = heads, mode
        self.norm = GroupNorm32(groups, ch)
        self.q = nn.Linear(ch, ch)
        if mode == "full":
            self.kv = nn.Linear(ch, 2 * ch)
        self.text_norm = LayerNorm32(text_dim)
        self.text_kv = nn.Linear(text_dim, 2 * ch)
        self.proj = zero_module(nn.Linear(ch, ch))

    def forward(self, x: torch.Tensor, text: torch.Tensor, text_mask: torch.Tensor) -> torch.Tensor:
        b, c, hh, ww = x.shape
        h = self.norm(x).reshape(b, c, hh * ww).transpose(1, 2)  # [B, N, C]
        q = split_heads(self.q(h), self.heads)
        tk, tv = self.text_kv(self.text_norm(text)).chunk(2, dim=-1)
        out = attention(q, split_heads(tk, self.heads), split_heads(tv, self.heads), text_mask)
        if self.mode == "full":
            k, v = self.kv(h).chunk(2, dim=-1)
            out = out + attention(q, split_heads(k, self.heads), split_heads(v, self.heads), None)
        out = self.proj(merge_heads(out))
        return x + out.transpose(1, 2).reshape(b, c, hh, ww)


class Block(nn.Module):
    """A res block, optionally followed by an attention block."""

    def __init__(self, cin: int, cout: int, cfg: LevelConfig, text_dim: int, attn: str):
        super().__init__()
        self.res = ResBlock(cin, cout, cfg.temb_dim, cfg.groups, cfg.dropout)
        self.attn = AttentionBlock(cout, text_dim, cfg.heads, cfg.groups, attn) if attn != "none" else None

    def forward(self, x, temb, text, text_mask):
        x = self.res(x, temb)
        return self.attn(x, text, text_mask) if self.attn is not None else x


class Downsample(nn.Module):
    def __init__(self, ch: int):
        super().__init__()
        self.conv = nn.Conv2d(ch, ch, 3, stride=2, padding=1)

    def forward(self, x):
        return self.conv(x)


class Upsample(nn.Module):
    def __init__(self, ch: int):
        super().__init__()
        self.conv = nn.Conv2d(ch, ch, 3, padding=1)

    def forward(self, x):
        return self.conv(F.interpolate(x, scale_factor=2.0, mode="nearest"))


class UNet(nn.Module):
    """One level of the nest. `inner` is the next level inward (None for the innermost UNet)."""

    def __init__(self, cfg: LevelConfig, text_dim: int, channels: int, inner: Optional["UNet"] = None):
        super().__init__()
        self.cfg, self.inner = cfg, inner
        self.inner_trainable = True  # MatryoshkaModel.train_only_outer sets it
        chs, n = cfg.channels, len(cfg.channels)
        self.conv_in = nn.Conv2d(channels, chs[0], 3, padding=1)
        self.time_mlp = nn.Sequential(
            nn.Linear(cfg.temb_dim, cfg.temb_dim), nn.SiLU(), nn.Linear(cfg.temb_dim, cfg.temb_dim)
        )
        self.text_mlp = nn.Sequential(nn.Linear(text_dim, cfg.temb_dim), nn.SiLU(), nn.Linear(cfg.temb_dim, cfg.temb_dim))

        # Encoder: stage i runs at resolution / 2^i; an outer level also downsamples after its last stage.
        self.down = nn.ModuleList()
        self.downsample = nn.ModuleList()
        skip_chs: List[int] = []
        ch = chs[0]
        for i in range(n):
            stage = nn.ModuleList()
            for _ in range(cfg.blocks[i]):
                stage.append(Block(ch, chs[i], cfg, text_dim, cfg.attention[i]))
                ch = chs[i]
                skip_chs.append(ch)
            self.down.append(stage)
            last = i == n - 1
            self.downsample.append(Downsample(ch) if (not last or inner is not None) else nn.Identity())

        if inner is None:
            self.mid1 = Block(ch, ch, cfg, text_dim, cfg.mid_attention)
            self.mid2 = Block(ch, ch, cfg, text_dim, "none")
        else:
            inner_ch = inner.cfg.channels[0]
            self.in_adapter = zero_module(nn.Conv2d(ch, inner_ch, 3, padding=1))
            self.out_adapter = zero_module(nn.Conv2d(inner_ch, ch, 3, padding=1))

        # Decoder mirrors the encoder; every block consumes one skip connection.
        self.up = nn.ModuleList()
        self.upsample = nn.ModuleList()
        for i in reversed(range(n)):
            last = i == n - 1
            self.upsample.append(Upsample(ch) if (not last or inner is not None) else nn.Identity())
            stage = nn.ModuleList()
            for _ in range(cfg.blocks[i]):
                stage.append(Block(ch + skip_chs.pop(), chs[i], cfg, text_dim, cfg.attention[i]))
                ch = chs[i]
            self.up.append(stage)
        self.norm_out = GroupNorm32(cfg.groups, ch)
        self.conv_out = zero_module(nn.Conv2d(ch, channels, 3, padding=1))

    def forward(
        self,
        xs: List[torch.Tensor],
        t: torch.Tensor,
        text: torch.Tensor,
        pooled: torch.Tensor,
        text_mask: torch.Tensor,
        from_outer: Optional[torch.Tensor] = None,
    ) -> Tuple[List[torch.Tensor], torch.Tensor]:
        """xs: this level's noisy image then the inner ones'. Returns (predictions, top features)."""
        prec = level_precision(self.cfg.bf16, xs[0])
        if prec.active:  # text features arrive in bf16 from the autocast text encoder
            text, pooled = text.float(), pooled.float()
        with prec:
            temb = self.time_mlp(timestep_embedding(t, self.cfg.temb_dim)) + self.text_mlp(pooled)
            h = self.conv_in(xs[0])
            if from_outer is not None:
                h = h + from_outer
            skips = []
            for stage, down in zip(self.down, self.downsample):
                for block in stage:
                    h = block(h, temb, text, text_mask)
                    skips.append(h)
                h = down(h)
            if self.inner is None:
                inner_preds: List[torch.Tensor] = []
                h = self.mid2(self.mid1(h, temb, text, text_mask), temb, text, text_mask)
            else:
                to_inner = self.in_adapter(h)
        if self.inner is not None:
            if not self.inner_trainable:  # a fixed inner model: no autograd graph through it at all
                to_inner = to_inner.detach()
            inner_preds, inner_top = self.inner(xs[1:], t, text, pooled, text_mask, to_inner)
            with prec:
                h = h + self.out_adapter(inner_top.float() if prec.active else inner_top)
        with prec:
            for up, stage in zip(self.upsample, self.up):
                h = up(h)
                for block in stage:
                    h = block(torch.cat([h, skips.pop()], dim=1), temb, text, text_mask)
            out = self.conv_out(F.silu(self.norm_out(h)))
        return [out] + inner_preds, h


class level_precision:
    """Inside an autocast region, runs an fp32 level's layers in fp32 (no-op without autocast)."""

    def __init__(self, bf16: bool, like: torch.Tensor):
        self.active = not bf16 and (torch.is_autocast_enabled() or torch.is_autocast_cpu_enabled())
        self.ctx = torch.autocast(device_type=like.device.type, enabled=False) if self.active else None

    def __enter__(self):
        if self.ctx is not None:
            self.ctx.__enter__()

    def __exit__(self, *a):
        if self.ctx is not None:
            self.ctx.__exit__(*a)


class MatryoshkaModel(nn.Module):
    """Text encoder + NestedUNet. forward(xs outermost first, t, tokens, ngrams) -> v per level."""

    def __init__(self, cfg: ModelConfig, vocab_size: int, num_levels: Optional[int] = None):
        super().__init__()
        self.cfg, self.vocab_size = cfg, vocab_size
        levels = cfg.levels[-num_levels:] if num_levels else cfg.levels
        self.text_encoder = TextEncoder(cfg.text, vocab_size)
        self.schedule = Schedule(cfg.schedule)
        unet: Optional[UNet] = None
        for lv in reversed(levels):
            unet = UNet(lv, cfg.text.dim, cfg.channels, inner=unet)
        self.unet = unet

    def train_only_outer(self, n: int) -> None:
        """Fix everything but the outermost n levels (and keep the n-th level's in-adapter at its
        value, zero after a grow), so the fixed inner model draws exactly what it drew before."""
        self.text_encoder.requires_grad_(False)
        u = self.unet
        for _ in range(n - 1):
            u = u.inner
        if u.inner is None:
            raise ValueError(f"train_only_outer({n}): the model has only {len(self.resolutions)} levels")
        u.inner.requires_grad_(False)
        u.in_adapter.requires_grad_(False)
        u.inner_trainable = False

    @property
    def levels(self) -> List[LevelConfig]:
        out, u = [], self.unet
        while u is not None:
            out.append(u.cfg)
            u = u.inner
        return out

    @property
    def resolutions(self) -> List[int]:
        return [lv.resolution for lv in self.levels]

    def grow(self) -> "MatryoshkaModel":
        """The next progressive stage: a new zero-adapted outer level around this (trained) model."""
        n = len(self.levels)
        if n == len(self.cfg.levels):
            raise ValueError("model already has every level of its config")
        grown = MatryoshkaModel(self.cfg, self.vocab_size, num_levels=n + 1)
        grown.text_encoder.load_state_dict(self.text_encoder.state_dict())
        grown.unet.inner.load_state_dict(self.unet.state_dict())
        return grown.to(next(self.parameters()).device)

    def forward(self, xs: List[torch.Tensor], t: torch.Tensor, tokens: torch.Tensor, ngrams: torch.Tensor):
        text, pooled, mask = self.text_encoder(tokens, ngrams)
        preds, _ = self.unet(xs, t, text, pooled, mask)
        # From the inside out, so that a refiner around a refiner reads the inner one's v.
        for k in reversed(range(len(preds) - 1)):
            if self.levels[k].x0_from_inner:
                preds[k] = self.refined_v(xs, t, preds, k)
        return preds

    def refined_v(self, xs: List[torch.Tensor], t: torch.Tensor, preds: List[torch.Tensor], k: int = 0) -> torch.Tensor:
        """Level k's v when its output is a residual on the next level's x0 estimate, enlarged."""
        res = self.resolutions
        a_in, s_in = (v.view(-1, 1, 1, 1) for v in self.schedule.alpha_sigma(t, res[k + 1]))
        a, s = (v.view(-1, 1, 1, 1) for v in self.schedule.alpha_sigma(t, res[k]))
        inner_x0 = a_in * xs[k + 1] - s_in * preds[k + 1].float()
        x0 = F.interpolate(inner_x0, scale_factor=2.0, mode="bilinear", align_corners=False) + preds[k].float()
        return (a * xs[k] - x0) / s
