"""DPM-Solver++(2M) in lambda = logsnr / 2, as dpmpp-2m.ts: the per-level shift is constant in
log-SNR, so every level shares one step size h and ratio r."""

import math

from .sampler import GridSampler, StepContext


class DpmPp2mSampler(GridSampler):
    name = "dpmpp-2m"

    def reset(self) -> None:
        self.previous_x0 = None
        self.previous_h = None

    def update(self, ctx: StepContext) -> list:
        h = ctx.noise_s[0].logsnr / 2 - ctx.noise_t[0].logsnr / 2
        first_order = ctx.index in (0, ctx.steps - 1) or self.previous_x0 is None
        r = 1.0 if first_order else self.previous_h / h
        w_now, w_prev = (1.0, 0.0) if first_order else (1 + 1 / (2 * r), -1 / (2 * r))
        prev = self.previous_x0
        out = []
        for level, (z, x, nt, ns) in enumerate(zip(ctx.sample, ctx.x0, ctx.noise_t, ctx.noise_s)):
            d = w_now * x + (w_prev * prev[level] if prev is not None and w_prev else 0.0)
            out.append((ns.sigma / nt.sigma) * z - ns.alpha * math.expm1(-h) * d)
        self.previous_x0, self.previous_h = ctx.x0, h
        return out
