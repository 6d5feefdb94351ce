"""Cosine schedule in log-SNR with MDM's per-level resolution shift (docs/model-bundle.md)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import List, Sequence, Tuple

import torch

from .config import ScheduleConfig


class Schedule:
    def __init__(self, cfg: ScheduleConfig):
        self.cfg = cfg
        self.t_min = math.atan(math.exp(-cfg.logsnr_max / 2))
        self.t_max = math.atan(math.exp(-cfg.logsnr_min / 2))

    def logsnr(self, t: torch.Tensor, resolution: int) -> torch.Tensor:
        """Larger images get less signal at the same t: SNR_r = SNR_base * (base / r)^power."""
        base = -2.0 * torch.log(torch.tan(self.t_min + t * (self.t_max - self.t_min)))
        return base - self.cfg.shift_power * math.log(resolution / self.cfg.shift_base)

    def alpha_sigma(self, t: torch.Tensor, resolution: int) -> Tuple[torch.Tensor, torch.Tensor]:
        lam = self.logsnr(t, resolution)
        return torch.sigmoid(lam).sqrt(), torch.sigmoid(-lam).sqrt()

    def noised(self, x: torch.Tensor, eps: torch.Tensor, t: torch.Tensor, resolution: int
               ) -> Tuple[torch.Tensor, torch.Tensor]:
        """(z_t, v target) of clean x ([B, ...] at `resolution`) with noise eps at per-sample times t."""
        alpha, sigma = (a.view(-1, *[1] * (x.ndim - 1)) for a in self.alpha_sigma(t, resolution))
        return alpha * x + sigma * eps, alpha * eps - sigma * x


def x0_from_v(z: torch.Tensor, v: torch.Tensor, alpha: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
    return alpha * z - sigma * v


def eps_from_v(z: torch.Tensor, v: torch.Tensor, alpha: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
    return sigma * z + alpha * v


@dataclass(frozen=True)
class LevelNoise:
    """One level's noise state at one time, in float64 as the engine computes it (schedule.ts)."""

    logsnr: float
    alpha: float
    sigma: float


def logsnr_at(t: float, resolution: int, sc: ScheduleConfig) -> float:
    t_min = math.atan(math.exp(-sc.logsnr_max / 2))
    t_max = math.atan(math.exp(-sc.logsnr_min / 2))
    base = -2.0 * math.log(math.tan(t_min + t * (t_max - t_min)))
    return base - sc.shift_power * math.log(resolution / sc.shift_base)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


def level_noise(t: float, resolution: int, sc: ScheduleConfig) -> LevelNoise:
    lam = logsnr_at(t, resolution, sc)
    return LevelNoise(lam, math.sqrt(_sigmoid(lam)), math.sqrt(_sigmoid(-lam)))


class NestedSchedule:
    """The joint schedule of a sampler: one t, one LevelNoise per level (outermost first)."""

    def __init__(self, cfg: ScheduleConfig, resolutions: Sequence[int]):
        self.cfg, self.resolutions = cfg, list(resolutions)

    def at(self, t: float) -> List[LevelNoise]:
        return [level_noise(t, r, self.cfg) for r in self.resolutions]
