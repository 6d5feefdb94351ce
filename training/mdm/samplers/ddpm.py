"""Ancestral sampling from q(z_s | z_t, x0) with fresh noise every step, as ddpm.ts."""

import math

from .sampler import GridSampler, StepContext


class DdpmSampler(GridSampler):
    name = "ddpm"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.rng is None:
            raise ValueError("the ddpm sampler needs an rng for its per-step noise")

    def update(self, ctx: StepContext) -> list:
        out = []
        # Noise for all levels in level order, NCHW, as the shared RNG contract requires.
        for z, x, nt, ns in zip(ctx.sample, ctx.x0, ctx.noise_t, ctx.noise_s):
            keep = -math.expm1(nt.logsnr - ns.logsnr)  # 1 - SNR_t/SNR_s without cancellation
            cz = math.exp(nt.logsnr - ns.logsnr) * ns.alpha / nt.alpha
            noise = self.rng.normals(z.size).astype(z.dtype).reshape(z.shape)
            out.append(cz * z + ns.alpha * keep * x + ns.sigma * math.sqrt(keep) * noise)
        return out
