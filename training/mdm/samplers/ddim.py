"""Deterministic DDIM (eta = 0), as ddim.ts."""

from .sampler import GridSampler, StepContext


class DdimSampler(GridSampler):
    name = "ddim"

    def update(self, ctx: StepContext) -> list:
        # eps is re-derived from the clipped x0, so clipping steers both terms (docs/model-bundle.md).
        return [ns.alpha * x + ns.sigma * (z - nt.alpha * x) / nt.sigma
                for z, x, nt, ns in zip(ctx.sample, ctx.x0, ctx.noise_t, ctx.noise_s)]
