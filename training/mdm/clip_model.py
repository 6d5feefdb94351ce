"""Clip model: the image NestedUNet of model.py run on every frame, plus temporal layers, nested in
time as well as in space.

Layout inside the network: frames are folded into the batch ([B, C, F, r, r] -> [B*F, C, r, r]) so
every spatial layer of model.py runs unchanged, with the very same parameter names; the temporal
layers unfold the frames again ([B*r*r, F, C]) to mix information along time. Each level has a
fixed frame count, fewer inward (MDM's nesting in time): a level with F_outer frames hands every
s-th frame's features to its inner level (s = F_outer / F_inner) and repeats the inner level's
features s times on the way back out. The inner level's training target is then the spatially
average-pooled copy of frames 0, s, 2s, ... of the clip.

The temporal layers are attached to model.py's modules with forward hooks rather than by editing or
subclassing them, so that an image checkpoint loads into a clip model key for key (only the new
`temporal.*` keys are missing) and model.py stays the single definition of the spatial network.
Every temporal layer ends in a zero-initialised projection: a fresh clip model computes, for each
frame, exactly what the image model computes for that frame alone.
"""

from __future__ import annotations

from typing import List, Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F

from .config import ModelConfig
from .layers import GroupNorm32, attention, merge_heads, split_heads, zero_module
from .model import Block, MatryoshkaModel, UNet


class TemporalLayer(nn.Module):
    """Residual mixing along time at every pixel, in a bottleneck of half the channels: a projection
    down, a 3-tap temporal conv, optionally temporal self-attention over all frames (with a learned
    per-frame position), then a zero-initialised projection back up. The bottleneck keeps the clip
    model within the bundle budget: 2.5 ch^2 weights per layer instead of 7 ch^2 at full width.
    Input and output: [B*F, C, H, W]."""

    def __init__(self, ch: int, frames: int, groups: int, heads: int, use_attention: bool, joint_size: int = 0):
        super().__init__()
        width = ch // 2
        self.frames, self.heads = frames, heads
        self.norm = GroupNorm32(groups, ch)
        self.down = nn.Linear(ch, width)
        self.conv = nn.Conv1d(width, width, 3, padding=1)
        self.use_attention = use_attention
        if use_attention:
            self.pos = nn.Parameter(torch.randn(frames, width) * 0.02)
            self.qkv = nn.Linear(width, 3 * width)
        self.proj = zero_module(nn.Linear(width, ch))
        self.joint_size = joint_size
        if joint_size:
            # Joint attention over every (frame, pixel) of a small feature map: a per-pixel sequence
            # cannot move content, and a turn moves every pixel somewhere else. The position is one
            # learned vector per (frame, pixel): a turn maps pixel p of frame k to R^-k p, which a
            # sum of a frame vector and a pixel vector cannot express in q.k.
            self.joint_pos = nn.Parameter(torch.randn(frames, joint_size * joint_size, width) * 0.02)
            self.joint_qkv = nn.Linear(width, 3 * width)
            self.joint_proj = zero_module(nn.Linear(width, ch))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        bf, c, h, w = x.shape
        f = self.frames
        # [B*F, C, H, W] -> [B*H*W, F, C]: one sequence over time per pixel.
        seq = self.norm(x).reshape(-1, f, c, h, w).permute(0, 3, 4, 1, 2).reshape(-1, f, c)
        down = self.down(seq)
        y = F.silu(self.conv(down.transpose(1, 2))).transpose(1, 2)
        if self.use_attention:
            q, k, v = self.qkv(y + self.pos.to(y.dtype)).chunk(3, dim=-1)
            y = y + merge_heads(attention(split_heads(q, self.heads), split_heads(k, self.heads),
                                          split_heads(v, self.heads), None))
        out = self.proj(y).reshape(-1, h, w, f, c).permute(0, 3, 4, 1, 2).reshape(bf, c, h, w)
        if self.joint_size:
            if (h, w) != (self.joint_size, self.joint_size):
                raise ValueError(f"joint attention was built for {self.joint_size} px features, got {h}x{w}")
            out = out + self._joint(down, h, w).to(out.dtype)
        return x + out.to(x.dtype)

    def _joint(self, down: torch.Tensor, h: int, w: int) -> torch.Tensor:
        """[B*H*W, F, width] bottleneck features -> [B*F, C, H, W]: attention over all F*H*W positions."""
        f, width = self.frames, self.joint_pos.shape[-1]
        # One token per (frame, pixel) of each clip: [B, F*H*W, width], frame-major like joint_pos.
        tokens = down.reshape(-1, h * w, f, width).transpose(1, 2)
        q, k, v = self.joint_qkv(tokens + self.joint_pos.to(tokens.dtype)).flatten(1, 2).chunk(3, dim=-1)
        y = merge_heads(attention(split_heads(q, self.heads), split_heads(k, self.heads), split_heads(v, self.heads), None))
        c = self.joint_proj.out_features
        return self.joint_proj(y).reshape(-1, f, h, w, c).permute(0, 1, 4, 2, 3).reshape(-1, c, h, w)


def _after_block(block: nn.Module, inputs, output):
    return block.temporal(output)


def _fold(x: torch.Tensor, frames: int, stride: int) -> torch.Tensor:
    """Rows [B*F, ...] -> rows of every stride-th frame [B*F/stride, ...]."""
    rest = x.shape[1:]
    return x.reshape((-1, frames) + tuple(rest))[:, ::stride].reshape((-1,) + tuple(rest))


def _before_inner(inner: nn.Module, args):
    xs, t, text, pooled, text_mask, from_outer = args
    f, s = inner.outer_frames, inner.frame_stride
    return (xs, _fold(t, f, s), _fold(text, f, s), _fold(pooled, f, s), _fold(text_mask, f, s),
            _fold(from_outer, f, s))


def _after_inner(inner: nn.Module, args, output):
    preds, top = output
    fi, s = inner.outer_frames // inner.frame_stride, inner.frame_stride
    rest = tuple(top.shape[1:])
    # Nearest-neighbour upsampling in time (expand + reshape exports with a dynamic batch).
    up = top.reshape((-1, fi, 1) + rest).expand((-1, fi, s) + rest).reshape((-1,) + rest)
    return preds, up


class ClipModel(MatryoshkaModel):
    """forward(xs: per level [B, C, F_l, r, r], outermost first; t [B]; tokens; ngrams) -> v per level."""

    def __init__(self, cfg: ModelConfig, vocab_size: int, frames: Sequence[int], temporal_attention: str = "attn",
                 num_levels: Optional[int] = None):
        """frames: one count per level of the config, outermost first; num_levels keeps only the innermost
        levels (progressive training, as for images: a clip model grows outward with grow())."""
        super().__init__(cfg, vocab_size, num_levels=num_levels)
        frames = list(frames)
        if len(frames) != len(cfg.levels):
            raise ValueError(f"need one frame count per level of the config ({len(cfg.levels)}), got {frames}")
        for fo, fi in zip(frames, frames[1:]):
            if fi > fo or fo % fi:
                raise ValueError(f"inner frame counts must divide the outer ones: {frames}")
        self.all_frames, self.temporal_attention = frames, temporal_attention
        frames = frames[len(frames) - len(self.levels):]
        self.frames = frames
        if temporal_attention not in ("attn", "joint", "none"):
            raise ValueError(f"temporal_attention is attn, joint or none, not {temporal_attention!r}")
        unet: UNet = self.unet
        for i, (lv, f) in enumerate(zip(self.levels, frames)):
            sizes = _block_sizes(unet, lv.resolution)
            for module in unet.modules() if unet.inner is None else self._own_modules(unet):
                if isinstance(module, Block):
                    ch = module.res.norm2.num_channels
                    use_attn = temporal_attention != "none" and module.attn is not None
                    # Joint attention where the level already attends over space (its small maps).
                    joint = temporal_attention == "joint" and use_attn and module.attn.mode == "full"
                    module.temporal = TemporalLayer(ch, f, lv.groups, lv.heads, use_attn,
                                                    sizes[id(module)] if joint else 0)
                    module.register_forward_hook(_after_block)
            if unet.inner is not None:
                inner = unet.inner
                inner.outer_frames, inner.frame_stride = f, f // frames[i + 1]
                if inner.frame_stride > 1:
                    inner.register_forward_pre_hook(_before_inner)
                    inner.register_forward_hook(_after_inner)
            unet = unet.inner

    def grow(self) -> "ClipModel":
        """The next progressive stage: a new zero-adapted outer level around this (trained) clip model."""
        n = len(self.levels)
        if n == len(self.cfg.levels):
            raise ValueError("model already has every level of its config")
        grown = ClipModel(self.cfg, self.vocab_size, self.all_frames, self.temporal_attention, num_levels=n + 1)
        grown.text_encoder.load_state_dict(self.text_encoder.state_dict())
        grown.unet.inner.load_state_dict(self.unet.state_dict())
        return grown.to(next(self.parameters()).device)

    @staticmethod
    def _own_modules(unet: UNet):
        """A level's modules without those of its inner levels."""
        inner = set(id(m) for m in unet.inner.modules())
        return [m for m in unet.modules() if id(m) not in inner]

    def forward(self, xs: List[torch.Tensor], t: torch.Tensor, tokens: torch.Tensor, ngrams: torch.Tensor):
        f0 = self.frames[0]
        text, pooled, mask = self.text_encoder(tokens, ngrams)
        rows = [x.permute(0, 2, 1, 3, 4).reshape((-1,) + (x.shape[1], x.shape[3], x.shape[4])) for x in xs]
        preds, _ = self.unet(rows, _repeat(t, f0), _repeat(text, f0), _repeat(pooled, f0), _repeat(mask, f0))
        out = []
        for p, f in zip(preds, self.frames):
            c, r1, r2 = p.shape[1], p.shape[2], p.shape[3]
            out.append(p.reshape(-1, f, c, r1, r2).permute(0, 2, 1, 3, 4))
        return out


def _block_sizes(unet: UNet, resolution: int) -> dict:
    """id(block) -> the side of the feature map it sees (stage i of the encoder and decoder runs at
    resolution / 2^i; the middle at the last stage's)."""
    n = len(unet.down)
    sizes = {id(b): resolution >> i for i, stage in enumerate(unet.down) for b in stage}
    sizes.update({id(b): resolution >> (n - 1 - j) for j, stage in enumerate(unet.up) for b in stage})
    if unet.inner is None:
        sizes.update({id(unet.mid1): resolution >> (n - 1), id(unet.mid2): resolution >> (n - 1)})
    return sizes


def _repeat(x: torch.Tensor, frames: int) -> torch.Tensor:
    """[B, ...] -> [B*F, ...], each row repeated for every frame."""
    rest = tuple(x.shape[1:])
    return x.unsqueeze(1).expand((-1, frames) + rest).reshape((-1,) + rest)


def clip_pyramid(clip: torch.Tensor, resolutions: Sequence[int], frames: Sequence[int]) -> List[torch.Tensor]:
    """[B, C, F, R, R] -> per level the spatially average-pooled copy of every (F / F_l)-th frame."""
    b, c, f, r, _ = clip.shape
    out = []
    for res, fl in zip(resolutions, frames):
        x = clip[:, :, :: f // fl]
        k = r // res
        if k > 1:
            x = F.avg_pool2d(x.reshape(b, c * fl, r, r), k).reshape(b, c, fl, res, res)
        out.append(x)
    return out


def load_image_weights(clip: ClipModel, image_state: dict, outer_only: bool = False) -> List[str]:
    """Copies an image checkpoint's weights into the matching clip-model parameters. Either model may
    have fewer levels (progressive training): levels are matched from the innermost outward. With
    outer_only, only the clip model's outermost level is written (a level just grown around trained
    inner levels). Returns the names (of the part written) that were not initialised."""
    own = clip.state_dict()
    # Level k from the inside sits under "unet." + "inner." * (levels - 1 - k) in either model.
    depth = len(clip.levels) - _count_levels(image_state)
    mapped = {}
    for k, v in image_state.items():
        if k.startswith("unet."):
            rest = k[len("unet."):]
            if depth < 0:  # the image model has outer levels the clip model lacks: drop them
                if not rest.startswith("inner." * -depth):
                    continue
                rest = rest[len("inner." * -depth):]
            key = "unet." + "inner." * max(depth, 0) + rest
            if outer_only and key.startswith("unet.inner."):
                continue
        elif outer_only:
            continue
        else:
            key = k
        if key in own and own[key].shape == v.shape:
            mapped[key] = v
        elif key in own and key.endswith("word.weight") and own[key].shape[1] == v.shape[1]:
            # A clip vocabulary extends the image one (motion words appended): keep the old rows.
            grown = own[key].clone()
            grown[: v.shape[0]] = v
            mapped[key] = grown
    clip.load_state_dict(mapped, strict=False)
    scope = [k for k in own if not outer_only or (k.startswith("unet.") and not k.startswith("unet.inner."))]
    return sorted(set(scope) - set(mapped))


def zero_in_adapter(clip: ClipModel) -> None:
    """Cut the outermost level's features off from the level inside it (its in-adapter to zero, as a
    freshly grown level has it): the inner levels then compute exactly what they compute alone."""
    if clip.unet.inner is None:
        raise ValueError("a one-level model has no in-adapter")
    with torch.no_grad():
        for p in clip.unet.in_adapter.parameters():
            p.zero_()


def _count_levels(state: dict) -> int:
    n = 1
    while any(k.startswith("unet." + "inner." * n) for k in state):
        n += 1
    return n
