"""MDM's joint multi-resolution training objective (ml-mdm `NestedDiffusion.get_loss`), for pictures and clips.

One t per sample shared by every level, independent noise per level, low-resolution targets are the
average-pooled full image, and the loss is a weighted sum of per-level losses.

We regress v (Salimans & Ho) with a plain per-pixel MSE on v. ml-mdm predicts v too but takes the
MSE on the implied epsilon, i.e. weights each t by alpha^2; that weight is ~0 at the high-noise end,
exactly where the layout of the innermost level is decided, and layout is what small models fail at.
The v-MSE keeps weight on those steps (equal to the x0 loss near t = 1 and the eps loss near t = 0).
"""

from __future__ import annotations

from typing import Dict, List, Sequence

import torch
import torch.nn.functional as F

from .schedule import Schedule


def pyramid(x: torch.Tensor, resolutions: Sequence[int]) -> List[torch.Tensor]:
    """Average-pooled copies of a batch, one per resolution (outermost first)."""
    out = []
    for r in resolutions:
        k = x.shape[-1] // r
        out.append(x if k == 1 else F.avg_pool2d(x, k))
    return out


def diffusion_loss(
    model,
    resolutions: Sequence[int],
    schedule: Schedule,
    targets: Sequence[torch.Tensor],
    tokens: torch.Tensor,
    ngrams: torch.Tensor,
    weights: Sequence[float],
    generator: torch.Generator = None,
    autocast_dtype=None,
) -> Dict[str, torch.Tensor]:
    """targets: the clean batch per level, outermost first, in [-1, 1] (pictures [B, C, r, r] from
    `pyramid`, clips [B, C, F, r, r] from clip_model.clip_pyramid); `model` may be DDP-wrapped."""
    x = targets[0]
    t = torch.rand(x.shape[0], generator=generator, device=x.device)
    zs, vs = [], []
    for x, r in zip(targets, resolutions):
        z, v = schedule.noised(x, torch.randn(x.shape, generator=generator, device=x.device), t, r)
        zs.append(z)
        vs.append(v)
    with torch.autocast(device_type=x.device.type, dtype=autocast_dtype, enabled=autocast_dtype is not None):
        preds = model(zs, t, tokens, ngrams)
    out: Dict[str, torch.Tensor] = {}
    total = x.new_zeros(())
    core = model.module if hasattr(model, "module") else model
    refiners = [lv.x0_from_inner for lv in core.cfg.levels[len(core.cfg.levels) - len(resolutions):]]
    for k, (p, v, r, w) in enumerate(zip(preds, vs, resolutions, weights)):
        if refiners[k]:
            # A refiner predicts x0: its loss is on x0 (on v it would weigh each t by 1/sigma^2).
            a, s = (u.view(-1, *[1] * (zs[k].ndim - 1)) for u in schedule.alpha_sigma(t, r))
            level = F.mse_loss(a * zs[k] - s * p.float(), targets[k])
        else:
            level = F.mse_loss(p.float(), v)
        out[f"loss_{r}"] = level.detach()
        total = total + w * level
    out["loss"] = total
    return out
