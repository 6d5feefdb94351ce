"""The grid every sampler shares, in the diffusers shape of the engine's samplers (sampler.ts):

    sampler.set_timesteps(steps)
    for t in sampler.timesteps:
        sample = sampler.step(model(sample, t), t, sample).prev_sample
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional

from ..prediction import apply_x0_policy, predict_x0
from ..schedule import LevelNoise, NestedSchedule


@dataclass
class SamplerStep:
    prev_sample: list  # z at the next (smaller) time, one array per level
    pred_original_sample: list  # the thresholded x0 that drove this step, one array per level


@dataclass
class StepContext:
    index: int  # 0-based; steps is N
    steps: int
    t: float
    s: float
    noise_t: List[LevelNoise]
    noise_s: List[LevelNoise]
    x0: list
    sample: list


class GridSampler:
    """The grid t_i = 1 - i/N; a subclass says how z moves from t to s given x0 (`update`)."""

    name = ""

    def __init__(self, schedule: NestedSchedule, prediction: str = "v", clip: bool = True,
                 dynamic_threshold: Optional[dict] = None, rng=None):
        self.schedule, self.prediction = schedule, prediction
        self.clip, self.dynamic_threshold, self.rng = clip, dynamic_threshold, rng
        self.grid: List[float] = []

    @property
    def timesteps(self) -> List[float]:
        """The times at which the model is called, from 1 down to 1/N."""
        return self.grid[:-1]

    def set_timesteps(self, steps: int) -> None:
        if not isinstance(steps, int) or steps < 1:
            raise ValueError(f"steps must be an integer >= 1, got {steps}")
        self.grid = [1.0 - i / steps for i in range(steps + 1)]
        self.reset()

    def step(self, model_output: list, t: float, sample: list) -> SamplerStep:
        if t not in self.timesteps:
            raise ValueError(f"t={t} is not one of this sampler's timesteps (call set_timesteps first)")
        index = self.grid.index(t)
        s = self.grid[index + 1]
        noise_t, noise_s = self.schedule.at(t), self.schedule.at(s)
        x0 = [apply_x0_policy(predict_x0(out, z, n, self.prediction), self.clip, self.dynamic_threshold)
              for out, z, n in zip(model_output, sample, noise_t)]
        ctx = StepContext(index, len(self.grid) - 1, t, s, noise_t, noise_s, x0, sample)
        return SamplerStep(self.update(ctx), x0)

    def reset(self) -> None:
        pass

    def update(self, ctx: StepContext) -> list:
        raise NotImplementedError
