"""Fréchet distance between two sets of feature vectors (the FID formula, in the evaluator's space).

FD = |mu1 - mu2|^2 + tr(S1) + tr(S2) - 2 tr((S1^1/2 S2 S1^1/2)^1/2)

The trace term is computed from eigenvalues of the symmetric matrix S1^1/2 S2 S1^1/2, which is
exact and needs no scipy (not installed here); tiny negative eigenvalues from rounding are clipped.
FD is biased upwards for small sets, so only compare numbers computed with the same set sizes.
"""

from __future__ import annotations

import numpy as np


def _sqrt_psd(m: np.ndarray) -> np.ndarray:
    w, v = np.linalg.eigh((m + m.T) / 2)
    return (v * np.sqrt(np.clip(w, 0, None))) @ v.T


def frechet_distance(a: np.ndarray, b: np.ndarray) -> float:
    """a: [N, D], b: [M, D] features -> FD (>= 0)."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    mu1, mu2 = a.mean(0), b.mean(0)
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    r1 = _sqrt_psd(s1)
    cross = np.sqrt(np.clip(np.linalg.eigvalsh(r1 @ s2 @ r1), 0, None)).sum()
    return float(max(0.0, ((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * cross))
