"""Batched DDIM sampling of a clip model in PyTorch, for evaluation and previews.

It follows docs/model-bundle.md (time grid, per-level schedule, guidance, x0 clip, the x0 of the last
call) but draws its noise with torch's generator and runs many prompts in one batch, so it is fast
and NOT bit-identical to the engine; the engine's determinism is tested on the TypeScript side.
"""

from __future__ import annotations

from typing import List, Sequence

import torch

from .schedule import Schedule
from .tokenizer import Tokenizer
from .video import ClipModel


@torch.no_grad()
def sample_clips(model: ClipModel, tokenizer: Tokenizer, prompts: Sequence[str], seed: int = 0, steps: int = 20,
                 guidance: float = 4.0, batch: int = 16) -> torch.Tensor:
    """-> clips [N, C, F, R, R] in [-1, 1] (the outermost level's final x0)."""
    model.eval()
    sched = Schedule(model.cfg.schedule)
    out: List[torch.Tensor] = []
    g = torch.Generator().manual_seed(seed)
    for start in range(0, len(prompts), batch):
        chunk = list(prompts[start : start + batch])
        n = len(chunk)
        tok, ng = tokenizer.encode_batch(chunk + [""] * n)
        tok, ng = torch.from_numpy(tok), torch.from_numpy(ng)
        z = [torch.randn(n, model.cfg.channels, f, r, r, generator=g) for f, r in zip(model.frames, model.resolutions)]
        x0s = z
        for i in range(steps):
            t, s = 1.0 - i / steps, 1.0 - (i + 1) / steps
            v = model([torch.cat([zz, zz]) for zz in z], torch.full((2 * n,), t), tok, ng)
            x0s, new_z = [], []
            for lvl, r in enumerate(model.resolutions):
                vc, vu = v[lvl][:n].float(), v[lvl][n:].float()
                vg = vu + guidance * (vc - vu)
                a_t, s_t = (x.item() for x in sched.alpha_sigma(torch.tensor([t]), r))
                a_s, s_s = (x.item() for x in sched.alpha_sigma(torch.tensor([s]), r))
                x0 = (a_t * z[lvl] - s_t * vg).clamp(-1, 1)
                eps = (z[lvl] - a_t * x0) / s_t
                x0s.append(x0)
                new_z.append(a_s * x0 + s_s * eps)
            z = new_z
        out.append(x0s[0])
    return torch.cat(out)
