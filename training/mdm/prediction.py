"""From a level's model output to its x0 estimate, and the bundle's x0 policy (prediction.ts).

The functions take numpy arrays (the float64 reference sampler) or torch tensors (batched sampling
for evaluation) alike; arrays carry a leading batch axis, so the policy is per sample as in the engine.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from .schedule import LevelNoise


def predict_x0(output, z, noise: LevelNoise, prediction: str = "v"):
    if prediction == "v":
        return noise.alpha * z - noise.sigma * output
    if prediction == "eps":
        return (z - noise.sigma * output) / noise.alpha
    if prediction == "x0":
        return output
    raise ValueError(f"unknown prediction type {prediction!r}")


def apply_x0_policy(x0, clip: bool = True, dynamic: Optional[dict] = None):
    """Imagen dynamic thresholding per sample when the bundle asks for it, else a plain clamp."""
    if dynamic:
        out = []
        for sample in x0:
            s = _quantile(abs(sample).reshape(-1), dynamic["percentile"])
            s = min(max(1.0, s), dynamic["max"])
            out.append(sample.clip(-s, s) / s)
        return _stack(out, x0)
    return x0.clip(-1.0, 1.0) if clip else x0


def _quantile(values, p: float) -> float:
    """Linear interpolation between order statistics, as numpy, torch and the engine's quantile do."""
    if isinstance(values, np.ndarray):
        return float(np.quantile(values, p))
    return float(values.double().quantile(p))


def _stack(parts, like):
    import torch

    return torch.stack(parts) if isinstance(like, torch.Tensor) else np.stack(parts)
