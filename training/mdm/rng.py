"""The engine's noise generator (docs/model-bundle.md, "Determinism"), bit-exact with TypeScript.

xoshiro128** seeded from splitmix32; uniforms from the top 24 bits; Box–Muller normals in float64
stored as float32. The Python sampler draws its noise here so that a seed gives the same picture in
both languages.
"""

from __future__ import annotations

import math

import numpy as np

M32 = 0xFFFFFFFF


def _rotl(x: int, k: int) -> int:
    return ((x << k) | (x >> (32 - k))) & M32


def _imul(a: int, b: int) -> int:
    return (a * b) & M32


class SplitMix32:
    def __init__(self, seed: int):
        self.s = seed & M32

    def next(self) -> int:
        self.s = (self.s + 0x9E3779B9) & M32
        z = self.s
        z = _imul(z ^ (z >> 16), 0x85EBCA6B)
        z = _imul(z ^ (z >> 13), 0xC2B2AE35)
        return (z ^ (z >> 16)) & M32


class Xoshiro128:
    """xoshiro128** with the project's seeding, uniform and normal conventions."""

    def __init__(self, seed: int):
        if not (0 <= seed <= M32):
            raise ValueError(f"seed must be a uint32, got {seed}")
        sm = SplitMix32(seed)
        self.s = [sm.next() for _ in range(4)]

    def next(self) -> int:
        s = self.s
        result = _imul(_rotl(_imul(s[1], 5), 7), 9)
        t = (s[1] << 9) & M32
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = _rotl(s[3], 11)
        return result

    def uniform(self) -> float:
        return ((self.next() >> 8) + 0.5) / 16777216.0

    def normals(self, n: int) -> np.ndarray:
        """n standard normals as float32; pairs come from one Box–Muller draw (cos first, then sin)."""
        out = np.empty(n, dtype=np.float64)
        i = 0
        while i < n:
            u1 = self.uniform()
            u2 = self.uniform()
            r = math.sqrt(-2.0 * math.log(u1))
            out[i] = r * math.cos(2.0 * math.pi * u2)
            if i + 1 < n:
                out[i + 1] = r * math.sin(2.0 * math.pi * u2)
            i += 2
        return out.astype(np.float32)
