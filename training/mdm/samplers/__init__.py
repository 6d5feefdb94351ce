"""The engine's samplers in Python, class by class (packages/core/src/samplers/*.ts)."""

from .ddim import DdimSampler
from .ddpm import DdpmSampler
from .dpmpp_2m import DpmPp2mSampler
from .sampler import GridSampler, SamplerStep

SAMPLERS = {cls.name: cls for cls in (DdimSampler, DdpmSampler, DpmPp2mSampler)}


def create_sampler(name: str, *args, **kwargs) -> GridSampler:
    if name not in SAMPLERS:
        raise ValueError(f"unknown sampler {name}; known: {sorted(SAMPLERS)}")
    return SAMPLERS[name](*args, **kwargs)


__all__ = ["DdimSampler", "DdpmSampler", "DpmPp2mSampler", "GridSampler", "SamplerStep", "SAMPLERS", "create_sampler"]
