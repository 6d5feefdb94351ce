"""Training FLOPs of a model, counted layer by layer, so that runs of different shapes can be given
the same compute (the nested-versus-flat comparison) however loaded the machine was.

torch 1.13 (Debian's) has no FlopCounterMode, so convolutions and linear layers are counted with
forward hooks and attention's two matmuls by wrapping the one attention function. Norms, activations
and additions are left out (well under 1% here). A training step costs ~3x its forward pass
(forward + gradients w.r.t. activations and weights).
"""

from __future__ import annotations

from typing import Dict, Sequence

import torch
import torch.nn as nn

from . import model as model_module
from .config import ModelConfig
from .model import MatryoshkaModel

TRAIN_FACTOR = 3


def forward_flops(model: MatryoshkaModel) -> int:
    """FLOPs (2 per multiply-add) of one forward pass for ONE sample at every level the model has."""
    total = [0]

    def conv_hook(m: nn.Conv2d, inp, out):
        k = m.kernel_size[0] * m.kernel_size[1] * (m.in_channels // m.groups)
        total[0] += 2 * out.numel() * k

    def linear_hook(m: nn.Linear, inp, out):
        total[0] += 2 * out.numel() * m.in_features

    real_attention = model_module.attention

    def counted_attention(q, k, v, mask):
        b, h, nq, d = q.shape
        total[0] += 2 * 2 * b * h * nq * k.shape[2] * d
        return real_attention(q, k, v, mask)

    hooks = []
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            hooks.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, nn.Linear):
            hooks.append(m.register_forward_hook(linear_hook))
    model_module.attention = counted_attention
    try:
        c = model.cfg
        xs = [torch.zeros(1, c.channels, r, r) for r in model.resolutions]
        tokens = torch.zeros(1, c.text.max_tokens, dtype=torch.long)
        ngrams = torch.zeros(1, c.text.max_tokens, c.text.ngrams_per_token, dtype=torch.long)
        with torch.no_grad():
            model(xs, torch.full((1,), 0.5), tokens, ngrams)
    finally:
        model_module.attention = real_attention
        for h in hooks:
            h.remove()
    return total[0]


def train_flops_per_sample(cfg: ModelConfig, vocab_size: int) -> Dict[int, int]:
    """{number of levels: training FLOPs per sample} for every progressive stage of the config."""
    out = {}
    for st in cfg.train.stages:
        if st.levels not in out:
            out[st.levels] = TRAIN_FACTOR * forward_flops(MatryoshkaModel(cfg, vocab_size, num_levels=st.levels))
    return out


def run_flops(cfg: ModelConfig, vocab_size: int, stage_samples: Sequence[int]) -> int:
    """Total training FLOPs of a run that saw stage_samples[k] samples in stage k."""
    per = train_flops_per_sample(cfg, vocab_size)
    return sum(per[st.levels] * n for st, n in zip(cfg.train.stages, stage_samples))
